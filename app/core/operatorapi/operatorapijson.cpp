// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "operatorapi/operatorapijson.h"

#include "fleet/cloud.h"

#include <QJsonArray>

#include <array>
#include <span>

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
QDateTime time(const QJsonObject &o, QStringView key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODateWithMs);
}
QString text(const QJsonObject &o, QStringView key)
{
    return o.value(key).toString();
}
qint64 id(const QJsonObject &o, QStringView key)
{
    return qint64(o.value(key).toDouble());
}

// A record's plain text and time fields, one entry each: the encoder and the decoder read
// the same table, so a key cannot be spelt one way on the server and another in the client.
template<class Record>
struct TextField
{
    QStringView key;
    QString Record::*member;
    bool keepEmpty = false; // sent as "" rather than null when empty
};
template<class Record>
struct TimeField
{
    QStringView key;
    QDateTime Record::*member;
};
template<class Record>
struct Fields
{
    std::span<const TextField<Record>> texts;
    std::span<const TimeField<Record>> times;
};

template<class Record>
void writeFields(QJsonObject &o, const Record &r, const Fields<Record> &fields)
{
    for (const TextField<Record> &f : fields.texts)
        o.insert(f.key, f.keepEmpty ? QJsonValue(r.*f.member) : text(r.*f.member));
    for (const TimeField<Record> &f : fields.times)
        o.insert(f.key, time(r.*f.member));
}

// A record with its id and the fields of its table read; the caller validates and adds
// the rest.
template<class Record>
Record readRecord(const QJsonObject &o, const Fields<Record> &fields)
{
    Record r;
    r.id = id(o, u"id");
    for (const TextField<Record> &f : fields.texts)
        r.*f.member = text(o, f.key);
    for (const TimeField<Record> &f : fields.times)
        r.*f.member = time(o, f.key);
    return r;
}

const auto kVmTexts = std::to_array<TextField<VmRecord>>({
    {u"resourceId", &VmRecord::resourceId, true},
    {u"subscriptionId", &VmRecord::subscriptionId, true},
    {u"resourceGroup", &VmRecord::resourceGroup, true},
    {u"name", &VmRecord::name, true},
    {u"vmId", &VmRecord::vmId},
    {u"location", &VmRecord::location},
    {u"zone", &VmRecord::zone},
    {u"size", &VmRecord::size},
    {u"priority", &VmRecord::priority},
    {u"evictionPolicy", &VmRecord::evictionPolicy},
    {u"agentVersion", &VmRecord::agentVersion},
    {u"agentLastPollError", &VmRecord::agentLastPollError},
    {u"stoppedBy", &VmRecord::stoppedBy},
    {u"stoppedOperation", &VmRecord::stoppedOperation},
    {u"appProbe", &VmRecord::appProbe},
    {u"appHealthDetail", &VmRecord::appHealthDetail},
});
const auto kVmTimes = std::to_array<TimeField<VmRecord>>({
    {u"createdAt", &VmRecord::createdAt},
    {u"updatedAt", &VmRecord::updatedAt},
    {u"powerStateAt", &VmRecord::powerStateAt},
    {u"agentLastSeen", &VmRecord::agentLastSeen},
    {u"stoppedAt", &VmRecord::stoppedAt},
    {u"agentSilentSince", &VmRecord::agentSilentSince},
    {u"appHealthSince", &VmRecord::appHealthSince},
});
const Fields<VmRecord> kVmFields {kVmTexts, kVmTimes};

const auto kJobTexts = std::to_array<TextField<JobRecord>>({
    {u"trigger", &JobRecord::trigger, true},
    {u"reason", &JobRecord::reason},
    {u"lastErrorCode", &JobRecord::lastErrorCode},
    {u"lastError", &JobRecord::lastErrorMessage},
});
const auto kJobTimes = std::to_array<TimeField<JobRecord>>({
    {u"notBefore", &JobRecord::notBefore},
    {u"evictedAt", &JobRecord::evictedAt},
    {u"nextRetryAt", &JobRecord::nextAttemptAt},
    {u"createdAt", &JobRecord::createdAt},
    {u"updatedAt", &JobRecord::updatedAt},
    {u"finishedAt", &JobRecord::finishedAt},
    {u"appHealthyAt", &JobRecord::appHealthyAt},
});
const Fields<JobRecord> kJobFields {kJobTexts, kJobTimes};

const auto kEventTexts = std::to_array<TextField<EventRecord>>({
    {u"source", &EventRecord::source},
    {u"eventType", &EventRecord::eventType},
    {u"eventId", &EventRecord::eventId},
    {u"eventStatus", &EventRecord::eventStatus},
    {u"webhookId", &EventRecord::webhookId},
    {u"message", &EventRecord::message},
    {u"evidence", &EventRecord::evidence},
    {u"armErrorCode", &EventRecord::armErrorCode},
    {u"correlationId", &EventRecord::correlationId},
});
const auto kEventTimes = std::to_array<TimeField<EventRecord>>({{u"at", &EventRecord::at}});
const Fields<EventRecord> kEventFields {kEventTexts, kEventTimes};

const auto kAuditTexts = std::to_array<TextField<AuditRecord>>({
    {u"actor", &AuditRecord::actor, true},
    {u"action", &AuditRecord::action, true},
    {u"target", &AuditRecord::target, true},
    {u"detail", &AuditRecord::detail, true},
});
const auto kAuditTimes = std::to_array<TimeField<AuditRecord>>({{u"at", &AuditRecord::at}});
const Fields<AuditRecord> kAuditFields {kAuditTexts, kAuditTimes};
} // namespace

// Encoding: what the server sends.

QJsonObject toJson(const JobRecord &job)
{
    QJsonObject object {
        {u"id"_s, double(job.id)},
        {u"state"_s, toString(job.state)},
        {u"vmId"_s, double(job.vmId)},
        {u"attempts"_s, job.attempt},
    };
    writeFields(object, job, kJobFields);
    return object;
}

QJsonObject toJson(const VmRecord &vm, const std::optional<JobRecord> &job)
{
    QJsonObject object {
        {u"id"_s, double(vm.id)},
        {u"cloud"_s, toString(cloudOf(vm))}, // from the id: "azure" | "gcp" | "aws"; not read back
        {u"tags"_s, tagsJson(vm.tags)},
        {u"powerState"_s, toString(vm.powerState)},
        {u"desiredState"_s, toString(vm.desiredState)},
        {u"autoRestart"_s, vm.autoRestart},
        {u"managedBy"_s, toString(vm.managedBy)},
        {u"agentSilent"_s, isAgentSilent(vm)},
        // The agent's application health probe (docs/ENGINE.md "Application health").
        {u"appHealth"_s, vm.appHealth == AppHealth::None ? QJsonValue() : toString(vm.appHealth)},
        {u"appLatencyMs"_s,
         vm.appLatencyMs < 0 ? QJsonValue() : QJsonValue(double(vm.appLatencyMs))},
        {u"stoppedOnPurpose"_s,
         vm.desiredState == DesiredState::Stopped && !vm.stoppedBy.isEmpty()
             ? QJsonValue(u"Stopped on purpose by "_s + vm.stoppedBy)
             : QJsonValue()},
        {u"job"_s, job ? QJsonValue(toJson(*job)) : QJsonValue()},
    };
    writeFields(object, vm, kVmFields);
    return object;
}

QJsonObject toJson(const EventRecord &event)
{
    QJsonObject object {
        {u"id"_s, double(event.id)},
        {u"vmId"_s, double(event.vmId)},
        {u"kind"_s, toString(event.kind)},
    };
    writeFields(object, event, kEventFields);
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
    QJsonObject object {{u"id"_s, double(record.id)}};
    writeFields(object, record, kAuditFields);
    return object;
}

QJsonObject toJson(const ChannelStatus &status)
{
    return {
        {u"name"_s, status.name},
        {u"type"_s, toString(status.type)},
        {u"pending"_s, double(status.pending)},
        {u"delivered"_s, double(status.delivered)},
        {u"failed"_s, double(status.failed)},
        {u"lastSuccess"_s, time(status.lastSuccess)},
        {u"lastError"_s, text(status.lastError)},
    };
}

// Decoding: what the remote client reads back.

std::optional<VmRecord> vmFromJson(const QJsonObject &o)
{
    VmRecord vm = readRecord(o, kVmFields);
    if (vm.id <= 0 || vm.resourceId.isEmpty())
        return std::nullopt;
    vm.resourceKey = vm.resourceId.toLower();
    const QJsonObject tags = o.value(u"tags"_s).toObject();
    for (auto it = tags.constBegin(); it != tags.constEnd(); ++it)
        vm.tags.insert(it.key(), it.value().toString());
    vm.powerState = powerStateFromString(text(o, u"powerState"));
    vm.desiredState = desiredStateFromString(text(o, u"desiredState"));
    vm.autoRestart = o.value(u"autoRestart"_s).toBool(true);
    vm.managedBy = managedByFromString(text(o, u"managedBy"));
    vm.appHealth = appHealthFromString(text(o, u"appHealth"));
    vm.appLatencyMs = o.value(u"appLatencyMs"_s).toInteger(-1);
    return vm;
}

std::optional<JobRecord> jobFromJson(const QJsonObject &o, qint64 vmId)
{
    JobRecord job = readRecord(o, kJobFields);
    if (job.id <= 0 || !o.value(u"state"_s).isString())
        return std::nullopt;
    job.vmId = o.contains(u"vmId"_s) ? id(o, u"vmId") : vmId;
    job.state = jobStateFromString(text(o, u"state"));
    job.attempt = o.value(u"attempts"_s).toInt();
    return job;
}

std::optional<EventRecord> eventFromJson(const QJsonObject &o)
{
    EventRecord event = readRecord(o, kEventFields);
    if (event.id <= 0 || !event.at.isValid())
        return std::nullopt;
    event.vmId = id(o, u"vmId");
    event.kind = eventKindFromString(text(o, u"kind"));
    event.httpStatus = o.value(u"httpStatus"_s).toInt();
    return event;
}

std::optional<AuditRecord> auditFromJson(const QJsonObject &o)
{
    AuditRecord record = readRecord(o, kAuditFields);
    if (record.id <= 0 || !record.at.isValid())
        return std::nullopt;
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
    for (const auto &value : secrets) {
        const QJsonObject s = value.toObject();
        key.secrets.append({QByteArray(), time(s, u"createdAt"_s), time(s, u"expiresAt"_s)});
    }
    return key;
}

std::optional<ChannelStatus> channelStatusFromJson(const QJsonObject &o)
{
    ChannelStatus status;
    status.name = text(o, u"name");
    if (status.name.isEmpty())
        return std::nullopt;
    const QString type = text(o, u"type");
    for (const ChannelType known :
         {ChannelType::Webhook, ChannelType::Slack, ChannelType::Teams, ChannelType::Smtp})
        if (toString(known) == type)
            status.type = known;
    status.pending = id(o, u"pending");
    status.delivered = id(o, u"delivered");
    status.failed = id(o, u"failed");
    status.lastSuccess = time(o, u"lastSuccess");
    status.lastError = text(o, u"lastError");
    return status;
}

} // namespace spotkeeper::core
