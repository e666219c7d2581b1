// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/sharedratebudgets.h"

#include "store/store.h"

#include <QCryptographicHash>

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

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
    return ok ? wait : 0;
}

} // namespace spotkeeper::core
