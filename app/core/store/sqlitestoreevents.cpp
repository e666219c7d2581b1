// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore, part 2: the event timeline (heartbeats and notices: sqlitestorenotices.cpp).
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

// --- events

qint64 SqliteStore::insertEventLocked(const EventRecord &event)
{
    CachedStatement statement(*this,
                              u"INSERT INTO events (%1) VALUES (%2)"_s.arg(
                                  eventColumns().mid(4), u"?, "_s.repeated(13) + u'?')
                                  + m_dialect->returningId());
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
    if (!runOrFail(q, sql, binds))
        return out;
    while (q.next())
        out << readEvent(q);
    return out;
}

// The portable default for other Store implementations: keyset pages by id, so every
// page is an index seek (never an OFFSET scan) and memory stays at one page.
bool Store::forEachEvent(const EventFilter &filter,
                         const std::function<bool(const EventRecord &)> &visit)
{
    EventFilter page = filter;
    page.beforeId = 0; // events() would page descending
    page.limit = 10000;
    for (;;) {
        const QList<EventRecord> rows = events(page);
        if (rows.isEmpty())
            return lastError().code == StoreError::Code::None;
        for (const EventRecord &e : rows) {
            if ((filter.beforeId > 0 && e.id >= filter.beforeId) || !visit(e))
                return true;
        }
        if (rows.size() < page.limit)
            return true;
        page.afterId = rows.constLast().id;
    }
}

// One forward-only statement over one read snapshot: no row cache, columns read by index,
// and no payload (the largest column, never exported: NULL in its place).
bool SqliteStore::forEachEvent(const EventFilter &filter,
                               const std::function<bool(const EventRecord &)> &visit)
{
    clearError();
    if (!m_dialect->streamsResults())
        return Store::forEachEvent(filter, visit); // keyset pages: memory stays flat
    QVariantList binds;
    const QString sql =
        u"SELECT %1 FROM events"_s.arg(eventColumns().replace(u"payload"_s, u"NULL"_s))
        + eventWhere(filter, &binds) + u" ORDER BY id"_s;
    QSqlQuery q = query(); // forward-only
    if (!runOrFail(q, sql, binds))
        return false;
    EventRecord e;
    while (q.next()) {
        e = readEvent(q);
        if (!visit(e))
            return true;
    }
    if (q.lastError().type() != QSqlError::NoError) {
        const QSqlError error = q.lastError();
        return fail(u"store query failed"_s, errorText(error),
                    m_dialect->isCorruption(error) ? StoreError::Code::Corrupt
                                                   : StoreError::Code::Sql);
    }
    return true;
}

qint64 SqliteStore::eventCount(const EventFilter &filter)
{
    clearError();
    QVariantList binds;
    QSqlQuery q = query();
    const QString sql = u"SELECT COUNT(*) FROM events"_s + eventWhere(filter, &binds);
    if (!runOrFail(q, sql, binds) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace spotkeeper::core
