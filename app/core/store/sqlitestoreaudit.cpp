// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore: the append-only audit log.
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

// --- audit log

qint64 SqliteStore::appendAudit(const AuditRecord &record)
{
    clearError();
    if (record.actor.isEmpty() || record.action.isEmpty()) {
        invalid(u"an audit record needs an actor and an action"_s);
        return 0;
    }
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"INSERT INTO audit_log (occurred_at, actor, action, target, detail) "
                       "VALUES (?, ?, ?, ?, ?)"_s
                           + m_dialect->returningId()))
        return 0;
    q.addBindValue(millis(record.at.isValid() ? record.at : now()));
    q.addBindValue(record.actor);
    q.addBindValue(record.action);
    q.addBindValue(optText(record.target));
    q.addBindValue(optText(record.detail));
    return execOrFail(q) ? m_dialect->insertedId(q) : 0;
}

QList<AuditRecord> SqliteStore::audit(const QDateTime &from, const QDateTime &to, int limit)
{
    clearError();
    QList<AuditRecord> out;
    QStringList conditions;
    QVariantList binds;
    if (from.isValid()) {
        conditions << u"occurred_at >= ?"_s;
        binds << from.toMSecsSinceEpoch();
    }
    if (to.isValid()) {
        conditions << u"occurred_at < ?"_s;
        binds << to.toMSecsSinceEpoch();
    }
    QString sql = u"SELECT id, occurred_at, actor, action, target, detail FROM audit_log"_s;
    if (!conditions.isEmpty())
        sql += u" WHERE "_s + conditions.join(u" AND "_s);
    sql += u" ORDER BY id"_s;
    if (limit > 0)
        sql += u" LIMIT %1"_s.arg(limit);
    QSqlQuery q = query();
    if (!runOrFail(q, sql, binds))
        return out;
    while (q.next()) {
        out << AuditRecord {q.value(0).toLongLong(), dateTime(q.value(1)),  q.value(2).toString(),
                            q.value(3).toString(),   q.value(4).toString(), q.value(5).toString()};
    }
    return out;
}

} // namespace spotkeeper::core
