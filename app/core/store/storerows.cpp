// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/storerows.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::rows {

QString errorText(const QSqlError &error)
{
    const QString text = error.databaseText();
    return text.isEmpty() ? error.text() : text;
}

QVariant millis(const QDateTime &at)
{
    return at.isValid() ? QVariant(at.toMSecsSinceEpoch()) : QVariant();
}

QDateTime dateTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant optText(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

QVariant optBlob(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant() : QVariant(bytes);
}

QString tagsToJson(const QMap<QString, QString> &tags)
{
    QJsonObject object;
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        object.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QMap<QString, QString> tagsFromJson(const QString &json)
{
    QMap<QString, QString> tags;
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        tags.insert(it.key(), it.value().toString());
    return tags;
}

QString vmColumns()
{
    return u"id, resource_key, resource_id, subscription_id, resource_group, name, vm_id, "
           "location, zone, size, priority, eviction_policy, tags, power_state, power_state_at, "
           "desired_state, auto_restart, managed_by, agent_last_seen, agent_version, "
           "agent_last_poll_error, created_at, updated_at, stopped_by, stopped_operation, "
           "stopped_at, agent_silent_since, app_health, app_probe, app_health_since, "
           "app_latency_ms, app_health_detail"_s;
}

QString vmWriteColumns()
{
    const QString all = vmColumns();
    return all.mid(4, all.indexOf(u", stopped_by"_s) - 4);
}

VmRecord readVm(const QSqlQuery &q)
{
    VmRecord vm;
    vm.id = q.value(0).toLongLong();
    vm.resourceKey = q.value(1).toString();
    vm.resourceId = q.value(2).toString();
    vm.subscriptionId = q.value(3).toString();
    vm.resourceGroup = q.value(4).toString();
    vm.name = q.value(5).toString();
    vm.vmId = q.value(6).toString();
    vm.location = q.value(7).toString();
    vm.zone = q.value(8).toString();
    vm.size = q.value(9).toString();
    vm.priority = q.value(10).toString();
    vm.evictionPolicy = q.value(11).toString();
    vm.tags = tagsFromJson(q.value(12).toString());
    vm.powerState = powerStateFromString(q.value(13).toString());
    vm.powerStateAt = dateTime(q.value(14));
    vm.desiredState = desiredStateFromString(q.value(15).toString());
    vm.autoRestart = q.value(16).toInt() != 0;
    vm.managedBy = managedByFromString(q.value(17).toString());
    vm.agentLastSeen = dateTime(q.value(18));
    vm.agentVersion = q.value(19).toString();
    vm.agentLastPollError = q.value(20).toString();
    vm.createdAt = dateTime(q.value(21));
    vm.updatedAt = dateTime(q.value(22));
    vm.stoppedBy = q.value(23).toString();
    vm.stoppedOperation = q.value(24).toString();
    vm.stoppedAt = dateTime(q.value(25));
    vm.agentSilentSince = dateTime(q.value(26));
    vm.appHealth = appHealthFromString(q.value(27).toString());
    vm.appProbe = q.value(28).toString();
    vm.appHealthSince = dateTime(q.value(29));
    vm.appLatencyMs = q.value(30).isNull() ? -1 : q.value(30).toLongLong();
    vm.appHealthDetail = q.value(31).toString();
    return vm;
}

ManagedBy stronger(ManagedBy a, ManagedBy b)
{
    return int(a) >= int(b) ? a : b;
}

bool sameIdentity(const VmRecord &a, const VmRecord &b)
{
    return a.resourceKey == b.resourceKey && a.resourceId == b.resourceId
        && a.subscriptionId == b.subscriptionId && a.resourceGroup == b.resourceGroup
        && a.name == b.name && a.vmId == b.vmId && a.location == b.location && a.zone == b.zone
        && a.size == b.size && a.priority == b.priority && a.evictionPolicy == b.evictionPolicy
        && a.tags == b.tags && a.powerState == b.powerState && a.powerStateAt == b.powerStateAt
        && a.desiredState == b.desiredState && a.autoRestart == b.autoRestart
        && a.createdAt == b.createdAt;
}

bool sameVm(const VmRecord &a, const VmRecord &b)
{
    return sameIdentity(a, b) && a.managedBy == b.managedBy && a.agentLastSeen == b.agentLastSeen
        && a.agentVersion == b.agentVersion && a.agentLastPollError == b.agentLastPollError;
}

namespace {
void mergeText(QString &target, const QString &incoming)
{
    if (!incoming.isEmpty())
        target = incoming;
}
} // namespace

VmRecord mergedVm(const VmRecord &existing, const VmRecord &vm, ManagedBy managedFloor,
                  const QDateTime &at)
{
    VmRecord row = existing;
    mergeText(row.resourceId, vm.resourceId);
    mergeText(row.subscriptionId, vm.subscriptionId);
    mergeText(row.resourceGroup, vm.resourceGroup);
    mergeText(row.name, vm.name);
    mergeText(row.vmId, vm.vmId);
    mergeText(row.location, vm.location);
    mergeText(row.zone, vm.zone);
    mergeText(row.size, vm.size);
    mergeText(row.priority, vm.priority);
    mergeText(row.evictionPolicy, vm.evictionPolicy);
    if (!vm.tags.isEmpty())
        row.tags = vm.tags;
    if (vm.powerState != PowerState::Unknown && vm.powerState != row.powerState) {
        row.powerState = vm.powerState; // powerStateAt means "in this state since"
        row.powerStateAt = vm.powerStateAt.isValid() ? vm.powerStateAt : at;
    }
    if (vm.agentLastSeen.isValid()) {
        row.agentLastSeen = vm.agentLastSeen;
        row.agentVersion = vm.agentVersion;
        row.agentLastPollError = vm.agentLastPollError;
    }
    row.managedBy = stronger(stronger(row.managedBy, vm.managedBy), managedFloor);
    if (!sameVm(row, existing))
        row.updatedAt = at;
    return row;
}

QString eventColumns()
{
    return u"id, vm_id, kind, occurred_at, source, event_type, event_id, event_status, "
           "webhook_id, http_status, arm_error_code, correlation_id, message, evidence, payload"_s;
}

EventRecord readEvent(const QSqlQuery &q)
{
    EventRecord e;
    e.id = q.value(0).toLongLong();
    e.vmId = q.value(1).toLongLong();
    e.kind = eventKindFromString(q.value(2).toString());
    e.at = dateTime(q.value(3));
    e.source = q.value(4).toString();
    e.eventType = q.value(5).toString();
    e.eventId = q.value(6).toString();
    e.eventStatus = q.value(7).toString();
    e.webhookId = q.value(8).toString();
    e.httpStatus = q.value(9).toInt();
    e.armErrorCode = q.value(10).toString();
    e.correlationId = q.value(11).toString();
    e.message = q.value(12).toString();
    e.evidence = q.value(13).toString();
    e.payload = q.value(14).toByteArray();
    return e;
}

QString jobColumns()
{
    return u"id, vm_id, state, trigger_source, attempt, next_attempt_at, not_before, evicted_at, "
           "created_at, updated_at, finished_at, reason, last_error_code, last_error_message, "
           "async_operation_url, lease_owner, lease_expires_at, app_healthy_at"_s;
}

QString jobSelectColumns()
{
    return jobColumns() + u", version"_s;
}

JobRecord readJob(const QSqlQuery &q)
{
    JobRecord j;
    j.id = q.value(0).toLongLong();
    j.vmId = q.value(1).toLongLong();
    j.state = jobStateFromString(q.value(2).toString());
    j.trigger = q.value(3).toString();
    j.attempt = q.value(4).toInt();
    j.nextAttemptAt = dateTime(q.value(5));
    j.notBefore = dateTime(q.value(6));
    j.evictedAt = dateTime(q.value(7));
    j.createdAt = dateTime(q.value(8));
    j.updatedAt = dateTime(q.value(9));
    j.finishedAt = dateTime(q.value(10));
    j.reason = q.value(11).toString();
    j.lastErrorCode = q.value(12).toString();
    j.lastErrorMessage = q.value(13).toString();
    j.asyncOperationUrl = q.value(14).toString();
    j.leaseOwner = q.value(15).toString();
    j.leaseExpiresAt = dateTime(q.value(16));
    j.appHealthyAt = dateTime(q.value(17));
    j.version = q.value(18).toLongLong();
    return j;
}

void bindJob(QSqlQuery &q, const JobRecord &j)
{
    q.addBindValue(j.vmId);
    q.addBindValue(toString(j.state));
    q.addBindValue(optText(j.trigger));
    q.addBindValue(j.attempt);
    q.addBindValue(millis(j.nextAttemptAt));
    q.addBindValue(millis(j.notBefore));
    q.addBindValue(millis(j.evictedAt));
    q.addBindValue(millis(j.createdAt));
    q.addBindValue(millis(j.updatedAt));
    q.addBindValue(millis(j.finishedAt));
    q.addBindValue(optText(j.reason));
    q.addBindValue(optText(j.lastErrorCode));
    q.addBindValue(optText(j.lastErrorMessage));
    q.addBindValue(optText(j.asyncOperationUrl));
    q.addBindValue(optText(j.leaseOwner));
    q.addBindValue(millis(j.leaseExpiresAt));
    q.addBindValue(millis(j.appHealthyAt));
}

} // namespace spotkeeper::core::rows
