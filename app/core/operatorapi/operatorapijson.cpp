// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "operatorapi/operatorapijson.h"

#include <QJsonArray>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {
QJsonValue time(const QDateTime &at)
{
    return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}
QJsonValue text(const QString &value)
{
    return value.isEmpty() ? QJsonValue() : QJsonValue(value);
}
QJsonObject tagsJson(const QMap<QString, QString> &tags)
{
    QJsonObject object;
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}
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

// Encoding: what the server sends.

QJsonObject toJson(const JobRecord &job)
{
    return QJsonObject {
        {u"id"_s, double(job.id)},
        {u"state"_s, toString(job.state)},
        {u"trigger"_s, job.trigger},
        {u"vmId"_s, double(job.vmId)},
        {u"attempts"_s, job.attempt},
        {u"notBefore"_s, time(job.notBefore)},
        {u"evictedAt"_s, time(job.evictedAt)},
        {u"nextRetryAt"_s, time(job.nextAttemptAt)},
        {u"createdAt"_s, time(job.createdAt)},
        {u"updatedAt"_s, time(job.updatedAt)},
        {u"finishedAt"_s, time(job.finishedAt)},
        {u"reason"_s, text(job.reason)},
        {u"lastErrorCode"_s, text(job.lastErrorCode)},
        {u"lastError"_s, text(job.lastErrorMessage)},
    };
}

QJsonObject toJson(const VmRecord &vm, const std::optional<JobRecord> &job)
{
    return QJsonObject {
        {u"id"_s, double(vm.id)},
        {u"resourceId"_s, vm.resourceId},
        {u"subscriptionId"_s, vm.subscriptionId},
        {u"resourceGroup"_s, vm.resourceGroup},
        {u"name"_s, vm.name},
        {u"vmId"_s, text(vm.vmId)},
        {u"location"_s, text(vm.location)},
        {u"zone"_s, text(vm.zone)},
        {u"size"_s, text(vm.size)},
        {u"tags"_s, tagsJson(vm.tags)},
        {u"createdAt"_s, time(vm.createdAt)},
        {u"updatedAt"_s, time(vm.updatedAt)},
        {u"priority"_s, text(vm.priority)},
        {u"evictionPolicy"_s, text(vm.evictionPolicy)},
        {u"powerState"_s, toString(vm.powerState)},
        {u"powerStateAt"_s, time(vm.powerStateAt)},
        {u"desiredState"_s, toString(vm.desiredState)},
        {u"autoRestart"_s, vm.autoRestart},
        {u"managedBy"_s, toString(vm.managedBy)},
        {u"agentLastSeen"_s, time(vm.agentLastSeen)},
        {u"agentVersion"_s, text(vm.agentVersion)},
        {u"agentLastPollError"_s, text(vm.agentLastPollError)},
        {u"stoppedBy"_s, text(vm.stoppedBy)},
        {u"stoppedOperation"_s, text(vm.stoppedOperation)},
        {u"stoppedAt"_s, time(vm.stoppedAt)},
        {u"stoppedOnPurpose"_s,
         vm.desiredState == DesiredState::Stopped && !vm.stoppedBy.isEmpty()
             ? QJsonValue(u"Stopped on purpose by "_s + vm.stoppedBy)
             : QJsonValue()},
        {u"job"_s, job ? QJsonValue(toJson(*job)) : QJsonValue()},
    };
}

QJsonObject toJson(const EventRecord &event)
{
    QJsonObject object {
        {u"id"_s, double(event.id)},
        {u"vmId"_s, double(event.vmId)},
        {u"kind"_s, toString(event.kind)},
        {u"at"_s, time(event.at)},
        {u"source"_s, text(event.source)},
        {u"eventType"_s, text(event.eventType)},
        {u"eventId"_s, text(event.eventId)},
        {u"eventStatus"_s, text(event.eventStatus)},
        {u"webhookId"_s, text(event.webhookId)},
        {u"message"_s, text(event.message)},
        {u"evidence"_s, text(event.evidence)},
        {u"armErrorCode"_s, text(event.armErrorCode)},
        {u"correlationId"_s, text(event.correlationId)},
    };
    if (event.httpStatus != 0)
        object.insert(u"httpStatus"_s, event.httpStatus);
    return object;
}

QJsonObject toJson(const AgentKeyRecord &key, const QDateTime &now)
{
    QJsonArray secrets;
    int active = 0;
    for (const AgentKeySecret &secret : key.secrets) {
        const bool live = !secret.expiresAt.isValid() || secret.expiresAt > now;
        active += live ? 1 : 0;
        secrets.append(QJsonObject {{u"createdAt"_s, time(secret.createdAt)},
                                    {u"expiresAt"_s, time(secret.expiresAt)},
                                    {u"active"_s, live}});
    }
    return QJsonObject {
        {u"keyId"_s, key.keyId},
        {u"vm"_s, key.vmResourceKey},
        {u"createdAt"_s, time(key.createdAt)},
        {u"revokedAt"_s, time(key.revokedAt)},
        {u"status"_s,
         key.revokedAt.isValid() ? u"revoked"_s
             : active > 0        ? u"active"_s
                                 : u"expired"_s},
        {u"secrets"_s, secrets},
    };
}

QJsonObject toJson(const AuditRecord &record)
{
    return QJsonObject {
        {u"id"_s, double(record.id)}, {u"at"_s, time(record.at)},   {u"actor"_s, record.actor},
        {u"action"_s, record.action}, {u"target"_s, record.target}, {u"detail"_s, record.detail},
    };
}

// Decoding: what the remote client reads back.

std::optional<VmRecord> vmFromJson(const QJsonObject &o)
{
    VmRecord vm;
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
    vm.powerState = powerStateFromString(text(o, u"powerState"_s));
    vm.powerStateAt = time(o, u"powerStateAt"_s);
    vm.desiredState = desiredStateFromString(text(o, u"desiredState"_s));
    vm.autoRestart = o.value(u"autoRestart"_s).toBool(true);
    vm.managedBy = managedByFromString(text(o, u"managedBy"_s));
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

std::optional<JobRecord> jobFromJson(const QJsonObject &o, qint64 vmId)
{
    JobRecord job;
    job.id = id(o, u"id"_s);
    if (job.id <= 0 || !o.value(u"state"_s).isString())
        return std::nullopt;
    job.vmId = o.contains(u"vmId"_s) ? id(o, u"vmId"_s) : vmId;
    job.state = jobStateFromString(text(o, u"state"_s));
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

std::optional<EventRecord> eventFromJson(const QJsonObject &o)
{
    EventRecord event;
    event.id = id(o, u"id"_s);
    event.at = time(o, u"at"_s);
    if (event.id <= 0 || !event.at.isValid())
        return std::nullopt;
    event.vmId = id(o, u"vmId"_s);
    event.kind = eventKindFromString(text(o, u"kind"_s));
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

std::optional<AuditRecord> auditFromJson(const QJsonObject &o)
{
    AuditRecord record;
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

std::optional<AgentKeyRecord> agentKeyFromJson(const QJsonObject &o)
{
    AgentKeyRecord key;
    key.keyId = text(o, u"keyId"_s);
    if (key.keyId.isEmpty())
        return std::nullopt;
    key.vmResourceKey = text(o, u"vm"_s);
    key.createdAt = time(o, u"createdAt"_s);
    key.revokedAt = time(o, u"revokedAt"_s);
    const QJsonArray secrets = o.value(u"secrets"_s).toArray();
    for (const QJsonValue &value : secrets) {
        const QJsonObject s = value.toObject();
        key.secrets.append({QByteArray(), time(s, u"createdAt"_s), time(s, u"expiresAt"_s)});
    }
    return key;
}

} // namespace spotkeeper::core
