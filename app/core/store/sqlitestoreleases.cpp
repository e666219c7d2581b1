// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore, part 7: what the engines sharing one store coordinate through it besides job
// leases: who sweeps a subscription (sweep_leases) and the named locks behind engine
// identities on a database server.
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QCryptographicHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

SweepClaim SqliteStore::claimSweep(const QString &subscriptionKey, const QString &owner,
                                   const QDateTime &leaseUntil, const QDateTime &finishedNotAfter)
{
    clearError();
    SweepClaim claim;
    if (subscriptionKey.isEmpty() || owner.isEmpty() || !leaseUntil.isValid()) {
        invalid(u"claimSweep needs a subscription, an owner and a lease end"_s);
        return claim;
    }
    WriteTransaction tx(*this);
    if (!tx.ok())
        return claim;
    QSqlQuery q = query();
    if (!runOrFail(q,
                   u"SELECT owner, lease_until, finished_at FROM sweep_leases "
                   "WHERE subscription_key = ?"_s,
                   {subscriptionKey}))
        return claim;
    const bool exists = q.next();
    if (exists) {
        claim.holder = q.value(0).toString();
        claim.heldUntil = dateTime(q.value(1));
        claim.lastFinishedAt = dateTime(q.value(2));
    }
    q.finish();
    const QDateTime at = now();
    const bool held = claim.heldUntil.isValid() && claim.heldUntil > at && claim.holder != owner;
    const bool recent = claim.lastFinishedAt.isValid() && finishedNotAfter.isValid()
        && claim.lastFinishedAt > finishedNotAfter;
    if (held || recent) {
        tx.commit(); // nothing written
        return claim;
    }
    if (!runOrFail(q,
                   exists ? u"UPDATE sweep_leases SET owner = ?, lease_until = ? "
                            "WHERE subscription_key = ?"_s
                          : u"INSERT INTO sweep_leases (owner, lease_until, "
                            "subscription_key) VALUES (?, ?, ?)"_s,
                   {owner, millis(leaseUntil), subscriptionKey})
        || !tx.commit())
        return claim;
    claim.granted = true;
    claim.holder = owner;
    claim.heldUntil = leaseUntil.toUTC();
    return claim;
}

bool SqliteStore::finishSweep(const QString &subscriptionKey, const QString &owner,
                              const QDateTime &finishedAt)
{
    clearError();
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    QSqlQuery q = query();
    if (!runOrFail(q,
                   u"UPDATE sweep_leases SET lease_until = NULL, finished_at = ? "
                   "WHERE subscription_key = ? AND owner = ? AND lease_until IS NOT NULL"_s,
                   {millis(finishedAt), subscriptionKey, owner}))
        return false;
    const bool mine = q.numRowsAffected() == 1;
    return tx.commit() && mine;
}

int SqliteStore::renewPresence(const QString &owner, const QDateTime &leaseUntil)
{
    clearError();
    if (owner.isEmpty() || !leaseUntil.isValid()) {
        invalid(u"renewPresence needs an owner and a lease end"_s);
        return -1;
    }
    // The key fits sweep_leases' 64 characters whatever the owner's length.
    const QString key =
        u"replica|"_s
        + QString::fromLatin1(
            QCryptographicHash::hash(owner.toUtf8(), QCryptographicHash::Sha256).toHex().left(32));
    WriteTransaction tx(*this);
    if (!tx.ok())
        return -1;
    QSqlQuery q = query();
    if (!runOrFail(
            q, u"UPDATE sweep_leases SET owner = ?, lease_until = ? WHERE subscription_key = ?"_s,
            {owner, millis(leaseUntil), key}))
        return -1;
    if (q.numRowsAffected() == 0
        && !runOrFail(q,
                      u"INSERT INTO sweep_leases (owner, lease_until, subscription_key) "
                      "VALUES (?, ?, ?)"_s,
                      {owner, millis(leaseUntil), key}))
        return -1;
    if (!runOrFail(q,
                   u"SELECT COUNT(*) FROM sweep_leases WHERE subscription_key LIKE 'replica|%' "
                   "AND lease_until > ?"_s,
                   {now().toMSecsSinceEpoch()})
        || !q.next())
        return -1;
    const int alive = q.value(0).toInt();
    q.finish();
    return tx.commit() ? alive : -1;
}

Store::NamedLock SqliteStore::holdNamedLock(const QString &name)
{
    clearError();
    const QByteArray digest = QCryptographicHash::hash(u"spotkeeper:"_s.append(name).toUtf8(),
                                                       QCryptographicHash::Sha256);
    const QString sql = m_dialect->tryNamedLockSql(qFromBigEndian<qint64>(digest.constData()));
    if (sql.isEmpty())
        return NamedLock::Unsupported;
    if (m_namedLocks.contains(name))
        return NamedLock::Held;
    QSqlQuery q = query();
    if (!execOrFail(q, sql) || !q.next()) {
        fail(u"cannot take the lock %1"_s.arg(name), errorText(q.lastError()),
             StoreError::Code::Sql);
        return NamedLock::Busy;
    }
    if (!q.value(0).toBool())
        return NamedLock::Busy;
    m_namedLocks << name;
    return NamedLock::Held;
}

bool SqliteStore::updateBudgets(const QStringList &keys,
                                const std::function<bool(QList<qint64> &states)> &change)
{
    clearError();
    if (keys.isEmpty() || !change)
        return invalid(u"updateBudgets needs keys and a change"_s);
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    QList<qint64> states;
    QList<bool> stored;
    QSqlQuery q = query();
    if (!prepareOrFail(q, u"SELECT state FROM rate_budgets WHERE budget_key = ?"_s))
        return false;
    for (const QString &key : keys) {
        q.addBindValue(key);
        if (!execOrFail(q))
            return false;
        stored << q.next();
        states << (stored.constLast() ? q.value(0).toLongLong() : 0);
        q.finish();
    }
    const QList<qint64> before = states;
    if (!change(states) || states.size() != keys.size())
        return tx.commit();
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (stored.at(i) && states.at(i) == before.at(i))
            continue;
        if (!runOrFail(q,
                       stored.at(i)
                           ? u"UPDATE rate_budgets SET state = ? WHERE budget_key = ?"_s
                           : u"INSERT INTO rate_budgets (state, budget_key) VALUES (?, ?)"_s,
                       {states.at(i), keys.at(i)}))
            return false;
    }
    return tx.commit();
}

namespace {

constexpr QLatin1StringView kJobsChannel("spotkeeper_jobs");

} // namespace

bool SqliteStore::announceJobOwner(qint64 vmId, const QString &owner)
{
    const QString sql = m_dialect->notifySql();
    if (sql.isEmpty())
        return true;
    QSqlQuery q = query();
    return runOrFail(q, sql,
                     {QString(kJobsChannel), QString(QString::number(vmId) + u' ' + owner)});
}

bool SqliteStore::watchJobOwners(QObject *context,
                                 std::function<void(qint64 vmId, const QString &owner)> handler)
{
    clearError();
    if (m_dialect->notifySql().isEmpty() || context == nullptr || !handler)
        return false;
    QSqlDriver *driver = m_db.driver();
    // Listening once per connection is enough: a second watcher (an engine built again on
    // the same store) only adds its handler.
    if (!m_watchingJobs && !driver->subscribeToNotification(QString(kJobsChannel))) {
        fail(u"cannot listen for job changes"_s, errorText(driver->lastError()),
             StoreError::Code::Sql);
        return false;
    }
    m_watchingJobs = true;
    QObject::connect(driver, &QSqlDriver::notification, context,
                     [handler = std::move(handler)](const QString &name,
                                                    QSqlDriver::NotificationSource source,
                                                    const QVariant &payload) {
                         // Our own writes we know about already.
                         if (name != kJobsChannel || source != QSqlDriver::OtherSource)
                             return;
                         const QString text = payload.toString();
                         const qsizetype space = text.indexOf(u' ');
                         bool ok = false;
                         const qint64 vmId = text.left(space).toLongLong(&ok);
                         if (ok && space > 0)
                             handler(vmId, text.mid(space + 1));
                     });
    return true;
}

} // namespace spotkeeper::core
