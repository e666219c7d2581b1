// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore, part 4: agent heartbeats and notices, each batch in one transaction
// (group commit: one fsync for the batch).
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlQuery>

#include <utility>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

bool SqliteStore::recordHeartbeat(const QString &vmResourceKey, const VmRecord &identity,
                                  const QDateTime &at, const QString &agentVersion,
                                  const QString &pollError)
{
    return recordHeartbeats(
        {HeartbeatUpdate {vmResourceKey, identity, at, agentVersion, pollError}});
}

bool SqliteStore::recordHeartbeats(const QList<HeartbeatUpdate> &batch)
{
    clearError();
    for (const HeartbeatUpdate &update : batch) {
        if (update.vmResourceKey.isEmpty())
            return invalid(u"a heartbeat needs a VM resource key"_s);
    }
    if (batch.isEmpty())
        return true;
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    for (const HeartbeatUpdate &update : batch) {
        if (!recordHeartbeatLocked(update))
            return false; // the destructor rolls the whole batch back
    }
    return tx.commit();
}

bool SqliteStore::recordHeartbeatLocked(const HeartbeatUpdate &update)
{
    const QString &vmResourceKey = update.vmResourceKey;
    const QString &agentVersion = update.agentVersion;
    const QString &pollError = update.pollError;
    const std::optional<VmRecord> existing = vmByKey(vmResourceKey);
    if (m_error.code != StoreError::Code::None)
        return false;
    const QDateTime seen = update.at.isValid() ? update.at : now();
    if (existing && existing->agentLastSeen.isValid() && seen < existing->agentLastSeen)
        return true; // a late, stale heartbeat: the newer one already counted

    VmRecord row = update.identity;
    row.resourceKey = vmResourceKey;
    row.agentLastSeen = seen;
    row.agentVersion = agentVersion;
    row.agentLastPollError = pollError;
    const qint64 vmId = upsertVmLocked(row, ManagedBy::Agent, &existing);
    if (vmId == 0)
        return false;

    if (!recordAppHealthLocked(vmId, update, existing ? *existing : VmRecord {}, seen))
        return false;

    const bool newAgent = !existing || !existing->agentLastSeen.isValid();
    const bool outcomeChanged = existing && existing->agentLastPollError != pollError;
    if (newAgent || outcomeChanged) {
        EventRecord event;
        event.vmId = vmId;
        event.kind = EventKind::Heartbeat;
        event.at = seen;
        event.source = u"agent"_s;
        if (newAgent) {
            event.message = u"agent %1 first seen"_s.arg(agentVersion);
            if (!pollError.isEmpty())
                event.message += u"; IMDS poll failing: "_s + pollError;
        } else {
            event.message = pollError.isEmpty() ? u"IMDS poll recovered"_s
                                                : u"IMDS poll failing: "_s + pollError;
        }
        if (insertEventLocked(event) == 0)
            return false;
    }
    return true;
}

bool SqliteStore::recordAppHealthLocked(qint64 vmId, const HeartbeatUpdate &update,
                                        const VmRecord &before, const QDateTime &seen)
{
    if (update.appHealth == AppHealth::None && before.appHealth == AppHealth::None)
        return true; // no probe, now or before: nothing to write
    const bool changed = update.appHealth != before.appHealth;
    const QDateTime since = changed ? seen : before.appHealthSince;
    CachedStatement statement(*this,
                              u"UPDATE vms SET app_health = ?, app_probe = ?, "
                              "app_health_since = ?, app_latency_ms = ?, "
                              "app_health_detail = ? WHERE id = ?"_s);
    if (!statement.ok())
        return false;
    QSqlQuery &q = statement.query();
    const bool none = update.appHealth == AppHealth::None;
    q.addBindValue(none ? QVariant() : QVariant(toString(update.appHealth)));
    q.addBindValue(none ? QVariant() : QVariant(update.appProbe));
    q.addBindValue(none ? QVariant() : millis(since));
    q.addBindValue(none || update.appLatencyMs < 0 ? QVariant() : QVariant(update.appLatencyMs));
    q.addBindValue(optText(update.appHealthDetail.left(256)));
    q.addBindValue(vmId);
    if (!execOrFail(q))
        return false;
    // The timeline says when the application came up or went down (not every probe).
    if (!changed
        || (update.appHealth != AppHealth::Healthy && update.appHealth != AppHealth::Unhealthy))
        return true;
    EventRecord event;
    event.vmId = vmId;
    event.kind = EventKind::Heartbeat;
    event.at = seen;
    event.source = u"agent"_s;
    event.eventType = u"app_health"_s;
    const QString how = u"%1 probe, %2 ms"_s.arg(update.appProbe).arg(update.appLatencyMs);
    event.message = update.appHealth == AppHealth::Healthy
        ? u"application healthy (%1)"_s.arg(how)
        : u"application unhealthy: %1 (%2)"_s.arg(update.appHealthDetail, how);
    return insertEventLocked(event) != 0;
}

// --- notices
//
// A batch is set-based: whatever its size, one statement reads the batch's VMs, one the stored
// notices it might repeat, one refreshes the VMs' agent columns and one inserts the new
// notices; dedup and the VM row changes are worked out in memory in between, in batch order,
// exactly as one notice after the other would have seen them. On PostgreSQL that makes a batch
// a handful of round trips instead of five per notice. The multi-row statements come in
// power-of-two shapes (padding rows of NULLs match and insert nothing), so each shape is
// prepared once per connection.

namespace {

// The key of the VM a notice is for (the signing key's VM when the listener set it).
QString noticeVmKey(const IncomingNotice &notice)
{
    return (notice.vmResourceKey.isEmpty() ? notice.vm.resourceKey : notice.vmResourceKey)
        .toLower();
}

qsizetype shapeOf(qsizetype rows)
{
    qsizetype shape = 1;
    while (shape < rows)
        shape *= 2;
    return shape;
}

// "(row), (row), ..." shape times.
QString valuesRows(const QString &row, qsizetype shape)
{
    QStringList rows;
    rows.reserve(shape);
    for (qsizetype i = 0; i < shape; ++i)
        rows.append(row);
    return rows.join(u", "_s);
}

// Binds rows of `width` values, padded with NULL rows up to shape.
void bindRows(QSqlQuery &q, const QList<QVariantList> &rows, qsizetype width, qsizetype shape)
{
    for (const QVariantList &row : rows) {
        for (const QVariant &value : row)
            q.addBindValue(value);
    }
    for (qsizetype i = rows.size() * width; i < shape * width; ++i)
        q.addBindValue(QVariant());
}

} // namespace

bool SqliteStore::readBatchVms(const QStringList &keys, QHash<QString, VmRecord> *vms)
{
    if (keys.isEmpty())
        return true;
    const qsizetype shape = shapeOf(keys.size());
    CachedStatement statement(*this,
                              u"SELECT %1 FROM vms WHERE resource_key IN (%2)"_s.arg(
                                  vmColumns(), QStringList(shape, u"?"_s).join(u", "_s)));
    if (!statement.ok())
        return false;
    QSqlQuery &q = statement.query();
    QList<QVariantList> rows;
    for (const QString &key : keys)
        rows.append(QVariantList {key});
    bindRows(q, rows, 1, shape);
    if (!execOrFail(q))
        return false;
    while (q.next()) {
        VmRecord vm = readVm(q);
        vms->insert(vm.resourceKey, vm);
    }
    return true;
}

bool SqliteStore::readBatchDuplicates(
    const QList<std::pair<qint64, const IncomingNotice *>> &probes,
    QHash<VmText, qint64> *byWebhookId, QHash<VmText, QList<StoredNoticePhase>> *byEventId)
{
    if (probes.isEmpty())
        return true;
    // Both dedup rules are scoped to the notice's VM, which the listener has checked is the
    // VM of the signing key: one VM's agent can never make another's notice a "duplicate"
    // (schema v6). Two joins on the two unique indexes (the literal kind matches the partial
    // index's predicate).
    const qsizetype shape = shapeOf(probes.size());
    const QString rows = valuesRows(u"(CAST(? AS BIGINT), ?, ?)"_s, shape);
    CachedStatement statement(
        *this,
        u"SELECT e.id, e.vm_id, e.webhook_id, NULL, NULL FROM (VALUES %1) AS v JOIN events e "
        "ON e.vm_id = v.column1 AND e.webhook_id = v.column2 AND e.webhook_id IS NOT NULL "
        "UNION ALL SELECT e.id, e.vm_id, NULL, e.event_id, e.event_status FROM (VALUES %1) AS v "
        "JOIN events e ON e.vm_id = v.column1 AND e.kind = '%2' AND e.event_id = v.column3 AND e.event_id IS NOT NULL"_s
            .arg(rows, toString(EventKind::Notice)));
    if (!statement.ok())
        return false;
    QSqlQuery &q = statement.query();
    QList<QVariantList> values;
    values.reserve(probes.size());
    for (const auto &[vmId, notice] : probes)
        values.append(
            QVariantList {vmId, optText(notice->webhookId), optText(notice->event.eventId)});
    bindRows(q, values, 3, shape);
    bindRows(q, values, 3, shape);
    if (!execOrFail(q))
        return false;
    while (q.next()) {
        const qint64 eventId = q.value(0).toLongLong();
        const qint64 vmId = q.value(1).toLongLong();
        if (!q.value(2).isNull())
            byWebhookId->insert({vmId, q.value(2).toString()}, eventId);
        else
            (*byEventId)[{vmId, q.value(3).toString()}].append(
                StoredNoticePhase {eventId, -1, q.value(4).toString()});
    }
    return true;
}

bool SqliteStore::updateBatchVmAgents(const QList<VmRecord> &vms)
{
    if (vms.isEmpty())
        return true;
    const qsizetype shape = shapeOf(vms.size());
    CachedStatement statement(
        *this,
        u"UPDATE vms SET managed_by = v.column2, agent_last_seen = v.column3, "
        "agent_version = v.column4, agent_last_poll_error = v.column5, updated_at = v.column6 "
        "FROM (VALUES %1) AS v WHERE vms.id = v.column1"_s.arg(valuesRows(
            u"(CAST(? AS BIGINT), ?, CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT))"_s, shape)));
    if (!statement.ok())
        return false;
    QSqlQuery &q = statement.query();
    QList<QVariantList> rows;
    rows.reserve(vms.size());
    for (const VmRecord &row : vms)
        rows.append({row.id, toString(row.managedBy), millis(row.agentLastSeen),
                     optText(row.agentVersion), optText(row.agentLastPollError),
                     millis(row.updatedAt)});
    bindRows(q, rows, 6, shape);
    return execOrFail(q);
}

bool SqliteStore::insertBatchEvents(const QList<EventRecord> &events, QList<qint64> *ids)
{
    if (events.isEmpty())
        return true;
    const qsizetype shape = shapeOf(events.size());
    // Rows come back in any order: each is matched to its event by its dedup keys (unique
    // within the batch once duplicates are out; rows without any are alike but for content
    // no caller can tell apart by id).
    CachedStatement statement(
        *this,
        u"INSERT INTO events (%1) SELECT column1, column2, column3, column4, column5, column6, "
        "column7, column8, column9, column10, column11, column12, column13, column14 "
        "FROM (VALUES %2) AS v WHERE v.column2 IS NOT NULL "
        "RETURNING id, vm_id, webhook_id, event_id, event_status"_s.arg(
            eventColumns().mid(4),
            valuesRows(m_dialect->expand(u"(CAST(? AS BIGINT), ?, CAST(? AS BIGINT), ?, ?, ?, ?, "
                                         "?, CAST(? AS INTEGER), ?, ?, ?, ?, CAST(? AS {BLOB}))"_s),
                       shape)));
    if (!statement.ok())
        return false;
    QSqlQuery &q = statement.query();
    QList<QVariantList> rows;
    rows.reserve(events.size());
    QHash<QString, QList<qsizetype>> byKeys;
    const auto keysOf = [](qint64 vmId, const QString &webhookId, const QString &eventId,
                           const QString &status) {
        return u"%1\n%2\n%3\n%4"_s.arg(QString::number(vmId), webhookId, eventId, status);
    };
    for (qsizetype i = 0; i < events.size(); ++i) {
        const EventRecord &event = events.at(i);
        rows.append({event.vmId, toString(event.kind),
                     millis(event.at.isValid() ? event.at : now()), optText(event.source),
                     optText(event.eventType), optText(event.eventId), optText(event.eventStatus),
                     optText(event.webhookId),
                     event.httpStatus != 0 ? QVariant(event.httpStatus) : QVariant(),
                     optText(event.armErrorCode), optText(event.correlationId),
                     optText(event.message), optText(event.evidence), optBlob(event.payload)});
        byKeys[keysOf(event.vmId, event.webhookId, event.eventId, event.eventStatus)].append(i);
    }
    bindRows(q, rows, 14, shape);
    if (!execOrFail(q))
        return false;
    *ids = QList<qint64>(events.size(), 0);
    while (q.next()) {
        auto it = byKeys.find(keysOf(q.value(1).toLongLong(), q.value(2).toString(),
                                     q.value(3).toString(), q.value(4).toString()));
        if (it == byKeys.end() || it->isEmpty())
            return invalid(u"an inserted notice came back unrecognised"_s);
        (*ids)[it->takeFirst()] = q.value(0).toLongLong();
    }
    for (qint64 id : std::as_const(*ids)) {
        if (id == 0)
            return invalid(u"a notice of the batch was not inserted"_s);
    }
    return true;
}

// A batch's state between its statements, as this transaction has it so far.
struct SqliteStore::NoticeBatch
{
    QHash<QString, VmRecord> vms; // by key, with this batch's changes so far
    QHash<QString, VmRecord> dbVms; // the same rows as the database has them
    QHash<VmText, qint64> byWebhookId; // stored: event id; this batch's: -1 - batch index
    QHash<VmText, QList<StoredNoticePhase>> byEventId;
    QList<EventRecord> events; // to insert
    QList<qsizetype> eventOf; // per notice: its row in events, or -1
    QList<qsizetype> duplicateOf; // per notice: the earlier notice of this batch it repeats
};

bool SqliteStore::isDuplicateNotice(NoticeBatch &b, qint64 vmId, const IncomingNotice &notice,
                                    qsizetype index, NoticeOutcome *outcome)
{
    const auto resolve = [&](qint64 stored) {
        outcome->status = NoticeOutcome::Status::Duplicate;
        outcome->vmId = vmId;
        if (stored >= 0)
            outcome->eventId = stored;
        else
            b.duplicateOf[index] = -1 - stored;
        return true;
    };
    if (!notice.webhookId.isEmpty()) {
        const auto hit = b.byWebhookId.constFind({vmId, notice.webhookId});
        if (hit != b.byWebhookId.cend())
            return resolve(*hit);
    }
    // One notice per phase: a Started after a Scheduled is new evidence, stored and marked as a
    // later phase.
    if (notice.event.eventId.isEmpty())
        return false;
    for (const StoredNoticePhase &phase : b.byEventId.value({vmId, notice.event.eventId})) {
        if (phase.status == notice.event.eventStatus)
            return resolve(phase.eventId > 0 ? phase.eventId : -1 - phase.pending);
        outcome->laterPhase = true;
    }
    return false;
}

bool SqliteStore::applyNoticeToVm(NoticeBatch &b, const QString &key, const VmRecord &vm,
                                  const QDateTime &at)
{
    VmRecord vmRow = vm;
    vmRow.resourceKey = key;
    const auto known = b.vms.constFind(key);
    if (known == b.vms.cend()) {
        // First word from this VM: its row is created now (power history and all).
        const std::optional<VmRecord> none;
        if (upsertVmLocked(vmRow, ManagedBy::Agent, &none) == 0)
            return false;
        const std::optional<VmRecord> created = vmByKey(key);
        if (!created)
            return false;
        b.vms.insert(key, *created);
        b.dbVms.insert(key, *created);
        return true;
    }
    const VmRecord merged = mergedVm(*known, vmRow, ManagedBy::Agent, at);
    if (!sameIdentity(merged, *known)) {
        // Rare (the notice says something new about the VM itself): the whole row is written
        // now, through the one-VM path.
        const std::optional<VmRecord> current = *known;
        if (upsertVmLocked(vmRow, ManagedBy::Agent, &current) == 0)
            return false;
        b.dbVms.insert(key, merged);
    }
    b.vms.insert(key, merged);
    return true;
}

bool SqliteStore::insertNoticesLocked(const QList<IncomingNotice> &batch, const QStringList &vmKeys,
                                      QList<NoticeOutcome> *out)
{
    NoticeBatch b;
    QStringList distinctKeys;
    for (const QString &key : vmKeys) {
        if (!key.isEmpty() && !distinctKeys.contains(key))
            distinctKeys.append(key);
    }
    if (!readBatchVms(distinctKeys, &b.vms))
        return false;
    b.dbVms = b.vms;
    QList<std::pair<qint64, const IncomingNotice *>> probes;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const auto vm = b.vms.constFind(vmKeys.at(i));
        if (vm != b.vms.cend())
            probes.append({vm->id, &batch.at(i)});
    }
    if (!readBatchDuplicates(probes, &b.byWebhookId, &b.byEventId))
        return false;

    b.eventOf = QList<qsizetype>(batch.size(), -1);
    b.duplicateOf = QList<qsizetype>(batch.size(), -1);
    const QDateTime at = now();
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const IncomingNotice &notice = batch.at(i);
        const QString &key = vmKeys.at(i);
        NoticeOutcome &outcome = (*out)[i];
        if (key.isEmpty())
            continue; // stays Failed; a caller error that must not sink the whole batch
        const auto known = b.vms.constFind(key);
        if (known != b.vms.cend() && isDuplicateNotice(b, known->id, notice, i, &outcome))
            continue;
        if (!applyNoticeToVm(b, key, notice.vm, at))
            return false;
        const qint64 vmId = b.vms.value(key).id;
        EventRecord event = notice.event;
        event.vmId = vmId;
        event.kind = EventKind::Notice;
        event.webhookId = notice.webhookId;
        if (event.source.isEmpty())
            event.source = u"agent"_s;
        b.eventOf[i] = b.events.size();
        b.events.append(event);
        if (!notice.webhookId.isEmpty())
            b.byWebhookId.insert({vmId, notice.webhookId}, -1 - i);
        if (!notice.event.eventId.isEmpty())
            b.byEventId[VmText {vmId, notice.event.eventId}].append(
                StoredNoticePhase {0, i, notice.event.eventStatus});
        outcome.status = NoticeOutcome::Status::Inserted;
        outcome.vmId = vmId;
    }
    return writeNoticeBatch(b, out);
}

bool SqliteStore::writeNoticeBatch(NoticeBatch &b, QList<NoticeOutcome> *out)
{
    // The agent columns of the VMs whose row changed only there: one statement for all.
    QList<VmRecord> refreshed;
    for (auto it = b.vms.cbegin(); it != b.vms.cend(); ++it) {
        if (!sameVm(*it, b.dbVms.value(it.key())))
            refreshed.append(*it);
    }
    QList<qint64> ids;
    if (!updateBatchVmAgents(refreshed) || !insertBatchEvents(b.events, &ids))
        return false;
    for (qsizetype i = 0; i < out->size(); ++i) {
        if (b.eventOf[i] >= 0)
            (*out)[i].eventId = ids.at(b.eventOf[i]);
    }
    for (qsizetype i = 0; i < out->size(); ++i) {
        if (b.duplicateOf[i] >= 0)
            (*out)[i].eventId = (*out)[b.duplicateOf[i]].eventId;
    }
    return true;
}

QList<NoticeOutcome> SqliteStore::insertNotices(const QList<IncomingNotice> &batch)
{
    clearError();
    if (batch.isEmpty())
        return {};
    // Only the batch's VMs are touched (their row, their events): on PostgreSQL batches of
    // several replicas for other VMs go on meanwhile.
    QStringList vmKeys;
    vmKeys.reserve(batch.size());
    for (const IncomingNotice &notice : batch)
        vmKeys.append(noticeVmKey(notice));
    WriteTransaction tx(*this, vmKeys);
    QList<NoticeOutcome> out(batch.size());
    // Nothing of a failed batch is kept: the sender retries all of it.
    if (!tx.ok() || !insertNoticesLocked(batch, vmKeys, &out) || !tx.commit())
        return QList<NoticeOutcome>(batch.size()); // all Failed
    return out;
}

} // namespace spotkeeper::core
