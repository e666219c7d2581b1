// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listenerjson.h"

#include <QJsonArray>
#include <QStringList>

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
} // namespace

QString validationMessage(const QList<protocol::ValidationError> &errors)
{
    QStringList parts;
    for (const protocol::ValidationError &error : errors)
        parts.append(error.message());
    return parts.isEmpty() ? u"invalid message"_s : parts.join(u"; "_s);
}

EventRecord noticeEvent(const protocol::Notice &notice, const QString &webhookId,
                        const QDateTime &receivedAt, const QByteArray &rawBody)
{
    EventRecord event;
    event.kind = EventKind::Notice;
    event.at = receivedAt;
    event.source = u"agent"_s;
    event.eventType = notice.event.eventTypeText.isEmpty()
        ? protocol::toString(notice.event.eventType)
        : notice.event.eventTypeText;
    event.eventId = notice.event.eventId;
    event.eventStatus = protocol::toString(notice.event.eventStatus);
    event.webhookId = webhookId;
    event.message = event.eventType + u' ' + event.eventStatus
        + (notice.event.notBefore.isValid()
               ? u", NotBefore "_s + notice.event.notBefore.toUTC().toString(Qt::ISODate)
               : QString());
    event.payload = rawBody;
    return event;
}

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

} // namespace spotkeeper::core
