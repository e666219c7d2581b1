// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/ratebudget.h"

#include <QList>
#include <QString>

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
    // until all of them have one. A store that cannot answer takes nothing and answers 0:
    // the process's own buckets still pace it.
    virtual qint64 take(const QString &principal, const QList<Bucket> &buckets, qint64 refillLagMs,
                        qint64 reserveMs, qint64 nowMs) = 0;

protected:
    SharedRateBudgets() = default;
    Q_DISABLE_COPY_MOVE(SharedRateBudgets)
};

// The buckets in a Store (one write transaction per take). Use only from the store's thread.
class StoreRateBudgets final : public SharedRateBudgets
{
public:
    explicit StoreRateBudgets(Store &store)
        : m_store(store)
    { }
    qint64 take(const QString &principal, const QList<Bucket> &buckets, qint64 refillLagMs,
                qint64 reserveMs, qint64 nowMs) override;

private:
    Store &m_store;
};

} // namespace spotkeeper::core
