// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/sharedratebudgets.h"

#include "store/store.h"

#include <QCryptographicHash>
#include <QLoggingCategory>

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcShared, "spotkeeper.fleet.budgets")

} // namespace

qint64 StoreRateBudgets::take(const QString &principal, const QList<Bucket> &buckets,
                              qint64 refillLagMs, qint64 reserveMs, qint64 nowMs)
{
    QStringList keys;
    // The principal (an application or managed identity id) is not needed in the clear.
    const QString who = QString::fromLatin1(
        QCryptographicHash::hash(principal.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
    for (const Bucket &bucket : buckets)
        keys << who + u'|' + bucket.key;
    qint64 wait = 0;
    const bool ok = m_store.updateBudgets(keys, [&](QList<qint64> &states) {
        QList<RateBudget> budgets;
        for (qsizetype i = 0; i < buckets.size(); ++i) {
            budgets << RateBudget(buckets.at(i).config, refillLagMs, reserveMs);
            budgets.last().restoreState(states.at(i));
            wait = std::max(wait, budgets.last().msUntilAvailable(nowMs));
        }
        if (wait > 0)
            return false; // all or nothing: no token is taken while one bucket is empty
        for (qsizetype i = 0; i < budgets.size(); ++i) {
            budgets[i].tryTake(nowMs);
            states[i] = budgets.at(i).state();
        }
        return true;
    });
    if (ok) {
        m_fallback.clear(); // a later cut starts from a fresh share
        return wait;
    }
    return takeFromShare(buckets, refillLagMs, reserveMs, nowMs);
}

BudgetConfig StoreRateBudgets::share(const BudgetConfig &whole, int replicas)
{
    if (whole.unlimited() || replicas <= 1)
        return whole;
    BudgetConfig part = whole;
    part.burst = std::max(1, whole.burst / replicas);
    part.periodMs = whole.periodMs * replicas; // refill/N per period, in whole tokens
    return part;
}

qint64 StoreRateBudgets::takeFromShare(const QList<Bucket> &buckets, qint64 refillLagMs,
                                       qint64 reserveMs, qint64 nowMs)
{
    const int n = fallbackShare();
    if (m_fallback.isEmpty()) {
        qCWarning(lcShared).noquote()
            << u"cannot reach the shared ARM budgets (%1); taking a 1/%2 share of each until "
               "they answer again"_s.arg(m_store.lastError().message)
                   .arg(n);
    }
    if (n != m_shareOf) {
        m_fallback.clear();
        m_shareOf = n;
    }
    for (const Bucket &bucket : buckets) {
        if (!m_fallback.contains(bucket.key))
            m_fallback.insert(bucket.key,
                              RateBudget(share(bucket.config, n), refillLagMs, reserveMs));
    }
    qint64 wait = 0;
    for (const Bucket &bucket : buckets)
        wait = std::max(wait, m_fallback[bucket.key].msUntilAvailable(nowMs));
    if (wait > 0)
        return wait; // all or nothing, as in the store
    for (const Bucket &bucket : buckets)
        m_fallback[bucket.key].tryTake(nowMs);
    return 0;
}

bool StoreRateBudgets::renewPresence(const QString &owner, const QDateTime &leaseUntil)
{
    const int alive = m_store.renewPresence(owner, leaseUntil);
    if (alive < 0)
        return false;
    m_seenAlive = std::max(1, alive);
    return true;
}

} // namespace spotkeeper::core
