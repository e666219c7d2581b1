// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "remotefleetsourcejson.h"

namespace spotkeeper::gui::remotejson {

using namespace Qt::StringLiterals;

namespace {
QDateTime time(const QJsonObject &o, const QString &key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODateWithMs);
}
QString text(const QJsonObject &o, const QString &key)
{
    return o.value(key).toString();
}
qint64 id(const QJsonObject &o, const QString &key)
{
    return qint64(o.value(key).toDouble());
}
} // namespace

std::optional<core::VmRecord> vmFromJson(const QJsonObject &o)
{
    core::VmRecord vm;
    vm.id = id(o, u"id"_s);
    vm.resourceId = text(o, u"resourceId"_s);
    if (vm.id <= 0 || vm.resourceId.isEmpty())
        return std::nullopt;
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = text(o, u"subscriptionId"_s);
    vm.resourceGroup = text(o, u"resourceGroup"_s);
    vm.name = text(o, u"name"_s);
    vm.vmId = text(o, u"vmId"_s);
    vm.location = text(o, u"location"_s);
    vm.zone = text(o, u"zone"_s);
    vm.size = text(o, u"size"_s);
    vm.priority = text(o, u"priority"_s);
    vm.evictionPolicy = text(o, u"evictionPolicy"_s);
    const QJsonObject tags = o.value(u"tags"_s).toObject();
    for (auto it = tags.constBegin(); it != tags.constEnd(); ++it)
        vm.tags.insert(it.key(), it.value().toString());
    vm.powerState = core::powerStateFromString(text(o, u"powerState"_s));
    vm.powerStateAt = time(o, u"powerStateAt"_s);
    vm.desiredState = core::desiredStateFromString(text(o, u"desiredState"_s));
    vm.autoRestart = o.value(u"autoRestart"_s).toBool(true);
    vm.managedBy = core::managedByFromString(text(o, u"managedBy"_s));
    vm.agentLastSeen = time(o, u"agentLastSeen"_s);
    vm.agentVersion = text(o, u"agentVersion"_s);
    vm.agentLastPollError = text(o, u"agentLastPollError"_s);
    vm.createdAt = time(o, u"createdAt"_s);
    vm.updatedAt = time(o, u"updatedAt"_s);
    vm.stoppedBy = text(o, u"stoppedBy"_s);
    vm.stoppedOperation = text(o, u"stoppedOperation"_s);
    vm.stoppedAt = time(o, u"stoppedAt"_s);
    return vm;
}

std::optional<core::JobRecord> jobFromJson(const QJsonObject &o, qint64 vmId)
{
    core::JobRecord job;
    job.id = id(o, u"id"_s);
    if (job.id <= 0 || !o.value(u"state"_s).isString())
        return std::nullopt;
    job.vmId = o.contains(u"vmId"_s) ? id(o, u"vmId"_s) : vmId;
    job.state = core::jobStateFromString(text(o, u"state"_s));
    job.trigger = text(o, u"trigger"_s);
    job.attempt = o.value(u"attempts"_s).toInt();
    job.nextAttemptAt = time(o, u"nextRetryAt"_s);
    job.notBefore = time(o, u"notBefore"_s);
    job.evictedAt = time(o, u"evictedAt"_s);
    job.createdAt = time(o, u"createdAt"_s);
    job.updatedAt = time(o, u"updatedAt"_s);
    job.finishedAt = time(o, u"finishedAt"_s);
    job.reason = text(o, u"reason"_s);
    job.lastErrorCode = text(o, u"lastErrorCode"_s);
    job.lastErrorMessage = text(o, u"lastError"_s);
    return job;
}

std::optional<core::EventRecord> eventFromJson(const QJsonObject &o)
{
    core::EventRecord event;
    event.id = id(o, u"id"_s);
    event.at = time(o, u"at"_s);
    if (event.id <= 0 || !event.at.isValid())
        return std::nullopt;
    event.vmId = id(o, u"vmId"_s);
    event.kind = core::eventKindFromString(text(o, u"kind"_s));
    event.source = text(o, u"source"_s);
    event.eventType = text(o, u"eventType"_s);
    event.eventId = text(o, u"eventId"_s);
    event.eventStatus = text(o, u"eventStatus"_s);
    event.webhookId = text(o, u"webhookId"_s);
    event.httpStatus = o.value(u"httpStatus"_s).toInt();
    event.armErrorCode = text(o, u"armErrorCode"_s);
    event.correlationId = text(o, u"correlationId"_s);
    event.message = text(o, u"message"_s);
    event.evidence = text(o, u"evidence"_s);
    return event;
}

std::optional<core::AuditRecord> auditFromJson(const QJsonObject &o)
{
    core::AuditRecord record;
    record.id = id(o, u"id"_s);
    record.at = time(o, u"at"_s);
    if (record.id <= 0 || !record.at.isValid())
        return std::nullopt;
    record.actor = text(o, u"actor"_s);
    record.action = text(o, u"action"_s);
    record.target = text(o, u"target"_s);
    record.detail = text(o, u"detail"_s);
    return record;
}

} // namespace spotkeeper::gui::remotejson
