// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore: the notification outbox (issue 17; docs/NOTIFICATIONS.md).
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

namespace {

OutboxEntry::State outboxStateFromString(const QString &text)
{
    if (text == "delivered"_L1)
        return OutboxEntry::State::Delivered;
    if (text == "failed"_L1)
        return OutboxEntry::State::Failed;
    return OutboxEntry::State::Pending;
}

} // namespace

QString toString(OutboxEntry::State state)
{
    switch (state) {
    case OutboxEntry::State::Delivered:
        return u"delivered"_s;
    case OutboxEntry::State::Failed:
        return u"failed"_s;
    case OutboxEntry::State::Pending:
        break;
    }
    return u"pending"_s;
}

bool SqliteStore::enqueueNotifications(const QList<OutboxEntry> &entries, const QString &cursorKey,
                                       const QString &cursorValue)
{
    clearError();
    if (cursorKey.isEmpty() || cursorKey.size() > 64 || cursorKey == "schema_version"_L1
        || cursorValue.isEmpty() || cursorValue.size() > 255)
        return invalid(u"an outbox cursor needs a key (1-64 characters) and a value (1-255)"_s);
    for (const OutboxEntry &entry : entries) {
        if (entry.channel.isEmpty() || entry.channel.size() > 64 || entry.eventKey.isEmpty()
            || entry.eventKey.size() > 128 || entry.kind.isEmpty() || entry.kind.size() > 32)
            return invalid(u"an outbox entry needs a channel (1-64 characters), an event key "
                           "(1-128) and a kind (1-32)"_s);
    }
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    const QDateTime at = now();
    for (const OutboxEntry &entry : entries) {
        // Never twice: a (channel, event key) already there stays as it is.
        CachedStatement statement(
            *this,
            u"INSERT INTO notify_outbox (channel, event_key, kind, vm_id, created_at, payload, "
            "state, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?) "
            "ON CONFLICT (channel, event_key) DO NOTHING"_s);
        if (!statement.ok())
            return false;
        QSqlQuery &q = statement.query();
        q.addBindValue(entry.channel);
        q.addBindValue(entry.eventKey);
        q.addBindValue(entry.kind);
        q.addBindValue(entry.vmId > 0 ? QVariant(entry.vmId) : QVariant());
        q.addBindValue(millis(entry.createdAt.isValid() ? entry.createdAt : at));
        q.addBindValue(entry.payload);
        q.addBindValue(millis(entry.nextAttemptAt.isValid() ? entry.nextAttemptAt : at));
        if (!execOrFail(q))
            return false;
    }
    QSqlQuery q = query();
    return runOrFail(q,
                     u"INSERT INTO schema_meta (meta_key, meta_value) VALUES (?, ?) "
                     "ON CONFLICT (meta_key) DO UPDATE SET meta_value = excluded.meta_value"_s,
                     {cursorKey, cursorValue})
        && tx.commit();
}

QList<OutboxEntry> SqliteStore::outboxWhere(const QString &clause, const QVariantList &values)
{
    QList<OutboxEntry> result;
    QSqlQuery q = query();
    q.setForwardOnly(true);
    if (!runOrFail(q,
                   u"SELECT id, channel, event_key, kind, vm_id, created_at, payload, state, "
                   "attempts, next_attempt_at, delivered_at, last_error FROM notify_outbox "_s
                       + clause,
                   values))
        return result;
    while (q.next()) {
        OutboxEntry e;
        e.id = q.value(0).toLongLong();
        e.channel = q.value(1).toString();
        e.eventKey = q.value(2).toString();
        e.kind = q.value(3).toString();
        e.vmId = q.value(4).toLongLong();
        e.createdAt = dateTime(q.value(5));
        e.payload = q.value(6).toString();
        e.state = outboxStateFromString(q.value(7).toString());
        e.attempts = q.value(8).toInt();
        e.nextAttemptAt = dateTime(q.value(9));
        e.deliveredAt = dateTime(q.value(10));
        e.lastError = q.value(11).toString();
        result.append(e);
    }
    return result;
}

QList<OutboxEntry> SqliteStore::dueNotifications(const QDateTime &now, int limit)
{
    clearError();
    return outboxWhere(u"WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id"_s
                           + (limit > 0 ? u" LIMIT "_s + QString::number(limit) : QString()),
                       {now.toMSecsSinceEpoch()});
}

QList<OutboxEntry> SqliteStore::claimNotifications(const QDateTime &now,
                                                   const QDateTime &leaseUntil, int limit)
{
    clearError();
    if (!leaseUntil.isValid() || limit <= 0) {
        invalid(u"claimNotifications needs a lease end and a limit"_s);
        return {};
    }
    WriteTransaction tx(*this);
    if (!tx.ok())
        return {};
    // Rows another replica is claiming right now are locked: skip them rather than wait (on
    // SQLite one writer at a time anyway). Its commit moves them out of the due range.
    const QList<OutboxEntry> due =
        outboxWhere(u"WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT "_s
                        + QString::number(limit) + m_dialect->lockSkipLocked(),
                    {now.toMSecsSinceEpoch()});
    if (m_error.code != StoreError::Code::None)
        return {};
    QList<OutboxEntry> claimed;
    for (const OutboxEntry &entry : due) {
        QSqlQuery q = query();
        // The condition again: a row claimed since it was read is not due any more.
        if (!runOrFail(q,
                       u"UPDATE notify_outbox SET next_attempt_at = ? WHERE id = ? "
                       "AND state = 'pending' AND next_attempt_at <= ?"_s,
                       {millis(leaseUntil), entry.id, now.toMSecsSinceEpoch()}))
            return {};
        if (q.numRowsAffected() == 1)
            claimed.append(entry);
    }
    if (!tx.commit())
        return {};
    return claimed;
}

bool SqliteStore::updateNotification(const OutboxEntry &entry)
{
    clearError();
    WriteTransaction tx(*this); // one statement, but writers take turns
    if (!tx.ok())
        return false;
    QSqlQuery q = query();
    if (!runOrFail(q,
                   u"UPDATE notify_outbox SET state = ?, attempts = ?, next_attempt_at = ?, "
                   "delivered_at = ?, last_error = ? WHERE id = ?"_s,
                   {toString(entry.state), entry.attempts,
                    millis(entry.nextAttemptAt.isValid() ? entry.nextAttemptAt : now()),
                    millis(entry.deliveredAt), optText(entry.lastError.left(1000)), entry.id}))
        return false;
    if (q.numRowsAffected() == 0)
        return invalid(u"no outbox entry with id %1"_s.arg(entry.id));
    return tx.commit();
}

QList<OutboxCount> SqliteStore::notificationCounts()
{
    clearError();
    QList<OutboxCount> result;
    forEachRow(u"SELECT channel, state, COUNT(*) FROM notify_outbox GROUP BY channel, "
               "state ORDER BY channel, state"_s,
               {}, [&result](const QSqlQuery &q) {
                   result.append(OutboxCount {q.value(0).toString(),
                                              outboxStateFromString(q.value(1).toString()),
                                              q.value(2).toLongLong()});
               });
    return result;
}

} // namespace spotkeeper::core
