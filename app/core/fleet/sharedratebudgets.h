// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/ratebudget.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <algorithm>

// ARM's buckets belong to a principal and a subscription (and Compute's start bucket to a VM),
// not to a process: several replicas on one store draw from one set of buckets kept in the
// store (table rate_budgets), so together they stay within one allowance instead of N times it.
// The ARM request queue asks take() once its own buckets let a request go.
namespace spotkeeper::core {

class Store;

class SharedRateBudgets
{
public:
    struct Bucket
    {
        QString key; // e.g. "reads|<subscription>"; the implementation adds the principal
        BudgetConfig config;
    };
    virtual ~SharedRateBudgets() = default;
    // Takes one token from every bucket at nowMs, or from none: 0 when taken, else the ms
    // until all of them have one. Where the buckets cannot be reached, an implementation
    // answers from a conservative share of them (StoreRateBudgets), never from the whole.
    virtual qint64 take(const QString &principal, const QList<Bucket> &buckets, qint64 refillLagMs,
                        qint64 reserveMs, qint64 nowMs) = 0;

protected:
    SharedRateBudgets() = default;
    Q_DISABLE_COPY_MOVE(SharedRateBudgets)
};

// The buckets in a Store (one write transaction per take). Use only from the store's thread.
// When the store cannot answer (its database is unreachable, or the table is), the replica
// must not fall back to the whole allowance: N replicas would then send N times it. It takes
// from buckets of its own holding a 1/N share of each (a burst of burst/N, at least one, and
// refill/N), N the replicas it last saw alive (renewPresence) or the configured floor,
// whichever is larger.
class StoreRateBudgets final : public SharedRateBudgets
{
public:
    explicit StoreRateBudgets(Store &store)
        : m_store(store)
    { }
    qint64 take(const QString &principal, const QList<Bucket> &buckets, qint64 refillLagMs,
                qint64 reserveMs, qint64 nowMs) override;

    // Never less than this many replicas when the share is cut ([engine]
    // budget_fallback_replicas); 1 = the replicas seen alive alone.
    void setFallbackFloor(int replicas) { m_floor = std::max(1, replicas); }
    // Renews owner's presence lease in the store until leaseUntil and notes how many replicas
    // are alive now. On a store error the last count stays. False on a store error.
    bool renewPresence(const QString &owner, const QDateTime &leaseUntil);
    int replicasSeenAlive() const { return m_seenAlive; }
    // N of the 1/N share a cut-off replica takes.
    int fallbackShare() const { return std::max(m_seenAlive, m_floor); }
    // A bucket's share for N replicas (unlimited stays unlimited).
    static BudgetConfig share(const BudgetConfig &whole, int replicas);

private:
    qint64 takeFromShare(const QList<Bucket> &buckets, qint64 refillLagMs, qint64 reserveMs,
                         qint64 nowMs);

    Store &m_store;
    int m_floor = 1;
    int m_seenAlive = 1;
    int m_shareOf = 0; // the N the fallback buckets were made for
    QHash<QString, RateBudget> m_fallback; // by bucket key, while the store cannot answer
};

} // namespace spotkeeper::core
