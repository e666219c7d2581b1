// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/backoffpolicy.h"

#include <QRandomGenerator>

#include <algorithm>
#include <memory>

namespace spotkeeper::core {

BackoffPolicy::Random BackoffPolicy::seededRandom(quint32 seed)
{
    auto generator = std::make_shared<QRandomGenerator>(seed);
    return [generator](qint64 highest) -> qint64 {
        if (highest <= 0)
            return 0;
        // Modulo bias is below 2^-40 for the ranges used here (at most minutes in ms).
        return qint64(generator->generate64() % quint64(highest + 1));
    };
}

BackoffPolicy::BackoffPolicy(BackoffConfig config, Random random)
    : m_config(config)
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = seededRandom(QRandomGenerator::system()->generate());
}

qint64 BackoffPolicy::ceilingMs(int retry, FailureClass failure) const
{
    const bool capacity = failure == FailureClass::Capacity;
    const qint64 base = std::max<qint64>(1, capacity ? m_config.capacityBaseMs : m_config.baseMs);
    const qint64 cap = std::max<qint64>(base, capacity ? m_config.capacityCapMs : m_config.capMs);
    qint64 ceiling = base;
    for (int i = 0; i < retry && ceiling < cap; ++i)
        ceiling *= 2; // stops once past cap, so it cannot overflow
    return std::min(ceiling, cap);
}

qint64 BackoffPolicy::delayMs(int retry, FailureClass failure)
{
    const qint64 ceiling = ceilingMs(std::max(0, retry), failure);
    return std::clamp<qint64>(m_random(ceiling), 0, ceiling);
}

QDateTime BackoffPolicy::nextAttemptAt(const QDateTime &now, int retry, FailureClass failure,
                                       const QDateTime &retryAfter, const QDateTime &budgetEarliest)
{
    QDateTime at = now.addMSecs(delayMs(retry, failure));
    if (retryAfter.isValid() && retryAfter > at)
        at = retryAfter;
    if (budgetEarliest.isValid() && budgetEarliest > at)
        at = budgetEarliest;
    return at;
}

} // namespace spotkeeper::core
