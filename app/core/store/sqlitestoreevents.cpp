// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore, part 2: heartbeats, notices and the event timeline.
#include "sqlitestore.h"
#include "storerows.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

bool SqliteStore::recordHeartbeat(const QString &vmResourceKey, const VmRecord &identity,
                                  const QDateTime &at, const QString &agentVersion,
                                  const QString &pollError)
{
    clearError();
    if (vmResourceKey.isEmpty())
        return invalid(u"a heartbeat needs a VM resource key"_s);
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    const std::optional<VmRecord> existing = vmByKey(vmResourceKey);
    if (m_error.code != StoreError::Code::None)
        return false;
    const QDateTime seen = at.isValid() ? at : now();
    if (existing && existing->agentLastSeen.isValid() && seen < existing->agentLastSeen)
        return tx.commit(); // a late, stale heartbeat: the newer one already counted

    VmRecord row = identity;
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
    return tx.commit();
}

// --- notices

bool SqliteStore::insertNotice(const IncomingNotice &notice, NoticeOutcome *outcome)
{
    const QString key =
        (notice.vmResourceKey.isEmpty() ? notice.vm.resourceKey : notice.vmResourceKey).toLower();
    if (key.isEmpty())
        return true; // stays Failed; a caller error that must not sink the whole batch

    auto duplicateOf = [&](QSqlQuery &q) {
        outcome->status = NoticeOutcome::Status::Duplicate;
        outcome->eventId = q.value(0).toLongLong();
        outcome->vmId = q.value(1).toLongLong();
    };
    if (!notice.webhookId.isEmpty()) {
        CachedStatement statement(*this, u"SELECT id, vm_id FROM events WHERE webhook_id = ?"_s);
        if (!statement.ok())
            return false;
        QSqlQuery &q = statement.query();
        q.addBindValue(notice.webhookId);
        if (!execOrFail(q))
            return false;
        if (q.next()) {
            duplicateOf(q);
            return true;
        }
    }
    const std::optional<VmRecord> existing = vmByKey(key);
    if (m_error.code != StoreError::Code::None)
        return false;
    if (existing && !notice.event.eventId.isEmpty()) {
        CachedStatement statement(*this,
                                  u"SELECT id, vm_id FROM events WHERE kind = ? AND "
                                  "vm_id = ? AND event_id = ?"_s);
        if (!statement.ok())
            return false;
        QSqlQuery &q = statement.query();
        q.addBindValue(toString(EventKind::Notice));
        q.addBindValue(existing->id);
        q.addBindValue(notice.event.eventId);
        if (!execOrFail(q))
            return false;
        if (q.next()) {
            duplicateOf(q);
            return true;
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
    return true;
}

QList<NoticeOutcome> SqliteStore::insertNotices(const QList<IncomingNotice> &batch)
{
    clearError();
    const QList<NoticeOutcome> allFailed(batch.size());
    if (batch.isEmpty())
        return {};
    WriteTransaction tx(*this);
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

// --- events

qint64 SqliteStore::insertEventLocked(const EventRecord &event)
{
    CachedStatement statement(*this,
                              u"INSERT INTO events (%1) VALUES (%2)"_s.arg(
                                  eventColumns().mid(4), u"?, "_s.repeated(13) + u'?'));
    if (!statement.ok())
        return 0;
    QSqlQuery &q = statement.query();
    q.addBindValue(event.vmId > 0 ? QVariant(event.vmId) : QVariant());
    q.addBindValue(toString(event.kind));
    q.addBindValue(millis(event.at.isValid() ? event.at : now()));
    q.addBindValue(optText(event.source));
    q.addBindValue(optText(event.eventType));
    q.addBindValue(optText(event.eventId));
    q.addBindValue(optText(event.eventStatus));
    q.addBindValue(optText(event.webhookId));
    q.addBindValue(event.httpStatus != 0 ? QVariant(event.httpStatus) : QVariant());
    q.addBindValue(optText(event.armErrorCode));
    q.addBindValue(optText(event.correlationId));
    q.addBindValue(optText(event.message));
    q.addBindValue(optText(event.evidence));
    q.addBindValue(optBlob(event.payload));
    return execOrFail(q) ? m_dialect->insertedId(q) : 0;
}

qint64 SqliteStore::appendEvent(const EventRecord &event)
{
    clearError();
    return insertEventLocked(event); // one statement: its own (durable) transaction
}

QString SqliteStore::eventWhere(const EventFilter &filter, QVariantList *binds) const
{
    QStringList conditions;
    if (filter.vmId > 0) {
        conditions << u"vm_id = ?"_s;
        *binds << filter.vmId;
    }
    if (!filter.kinds.isEmpty()) {
        QStringList marks;
        for (EventKind kind : filter.kinds) {
            marks << u"?"_s;
            *binds << toString(kind);
        }
        conditions << u"kind IN (%1)"_s.arg(marks.join(u", "_s));
    }
    if (filter.from.isValid()) {
        conditions << u"occurred_at >= ?"_s;
        *binds << filter.from.toMSecsSinceEpoch();
    }
    if (filter.to.isValid()) {
        conditions << u"occurred_at < ?"_s;
        *binds << filter.to.toMSecsSinceEpoch();
    }
    if (filter.afterId > 0) {
        conditions << u"id > ?"_s;
        *binds << filter.afterId;
    }
    if (filter.beforeId > 0) {
        conditions << u"id < ?"_s;
        *binds << filter.beforeId;
    }
    return conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
}

QList<EventRecord> SqliteStore::events(const EventFilter &filter)
{
    clearError();
    QList<EventRecord> out;
    QVariantList binds;
    QString sql = u"SELECT %1 FROM events"_s.arg(eventColumns()) + eventWhere(filter, &binds)
        + (filter.beforeId > 0 ? u" ORDER BY id DESC"_s : u" ORDER BY id"_s);
    if (filter.limit > 0)
        sql += u" LIMIT %1"_s.arg(filter.limit);
    QSqlQuery q = query();
    if (!prepareOrFail(q, sql))
        return out;
    for (const QVariant &value : std::as_const(binds))
        q.addBindValue(value);
    if (!execOrFail(q))
        return out;
    while (q.next())
        out << readEvent(q);
    return out;
}

qint64 SqliteStore::eventCount(const EventFilter &filter)
{
    clearError();
    QVariantList binds;
    QSqlQuery q = query();
    if (!prepareOrFail(q, u"SELECT COUNT(*) FROM events"_s + eventWhere(filter, &binds)))
        return -1;
    for (const QVariant &value : std::as_const(binds))
        q.addBindValue(value);
    if (!execOrFail(q) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace spotkeeper::core
