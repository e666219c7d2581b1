// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore, part 4: agent heartbeats and notices, each batch in one transaction
// (group commit: one fsync for the batch).
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlQuery>

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

// --- notices

namespace {
// The key of the VM a notice is for (the signing key's VM when the listener set it).
QString noticeVmKey(const IncomingNotice &notice)
{
    return (notice.vmResourceKey.isEmpty() ? notice.vm.resourceKey : notice.vmResourceKey)
        .toLower();
}
} // namespace

bool SqliteStore::insertNotice(const IncomingNotice &notice, NoticeOutcome *outcome)
{
    const QString key = noticeVmKey(notice);
    if (key.isEmpty())
        return true; // stays Failed; a caller error that must not sink the whole batch

    auto duplicateOf = [&](QSqlQuery &q) {
        outcome->status = NoticeOutcome::Status::Duplicate;
        outcome->eventId = q.value(0).toLongLong();
        outcome->vmId = q.value(1).toLongLong();
    };
    // Both dedup rules are scoped to the notice's VM, which the listener has checked is
    // the VM of the signing key: one VM's agent can never make another's notice a
    // "duplicate" (schema v6).
    const std::optional<VmRecord> existing = vmByKey(key);
    if (m_error.code != StoreError::Code::None)
        return false;
    if (existing && !notice.webhookId.isEmpty()) {
        CachedStatement statement(
            *this, u"SELECT id, vm_id FROM events WHERE vm_id = ? AND webhook_id = ?"_s);
        if (!statement.ok())
            return false;
        QSqlQuery &q = statement.query();
        q.addBindValue(existing->id);
        q.addBindValue(notice.webhookId);
        if (!execOrFail(q))
            return false;
        if (q.next()) {
            duplicateOf(q);
            return true;
        }
    }
    // One notice per phase: a Started after a Scheduled is new evidence, stored and
    // marked as a later phase.
    bool laterPhase = false;
    if (existing && !notice.event.eventId.isEmpty()) {
        CachedStatement statement(*this,
                                  u"SELECT id, vm_id, event_status FROM events WHERE kind = ? "
                                  "AND vm_id = ? AND event_id = ?"_s);
        if (!statement.ok())
            return false;
        QSqlQuery &q = statement.query();
        q.addBindValue(toString(EventKind::Notice));
        q.addBindValue(existing->id);
        q.addBindValue(notice.event.eventId);
        if (!execOrFail(q))
            return false;
        while (q.next()) {
            if (q.value(2).toString() == notice.event.eventStatus) {
                duplicateOf(q);
                return true;
            }
            laterPhase = true;
        }
    }
    VmRecord vmRow = notice.vm;
    vmRow.resourceKey = key;
    const qint64 vmId = upsertVmLocked(vmRow, ManagedBy::Agent, &existing);
    if (vmId == 0)
        return false;
    EventRecord event = notice.event;
    event.vmId = vmId;
    event.kind = EventKind::Notice;
    event.webhookId = notice.webhookId;
    if (event.source.isEmpty())
        event.source = u"agent"_s;
    const qint64 eventId = insertEventLocked(event);
    if (eventId == 0)
        return false;
    outcome->status = NoticeOutcome::Status::Inserted;
    outcome->vmId = vmId;
    outcome->eventId = eventId;
    outcome->laterPhase = laterPhase;
    return true;
}

QList<NoticeOutcome> SqliteStore::insertNotices(const QList<IncomingNotice> &batch)
{
    clearError();
    const QList<NoticeOutcome> allFailed(batch.size());
    if (batch.isEmpty())
        return {};
    // Only the batch's VMs are touched (their row, their events): on PostgreSQL batches of
    // several replicas for other VMs go on meanwhile.
    QStringList vmKeys;
    vmKeys.reserve(batch.size());
    for (const IncomingNotice &notice : batch)
        vmKeys.append(noticeVmKey(notice));
    WriteTransaction tx(*this, vmKeys);
    if (!tx.ok())
        return allFailed;
    QList<NoticeOutcome> out(batch.size());
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (!insertNotice(batch.at(i), &out[i]))
            return allFailed; // nothing of the batch is kept: the sender retries all of it
    }
    if (!tx.commit())
        return allFailed;
    return out;
}

} // namespace spotkeeper::core
