// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/ratebudget.h"

#include <algorithm>

namespace spotkeeper::core {

RateBudget::RateBudget(BudgetConfig config, qint64 refillLagMs, qint64 reserveMs)
    : m_config(config)
    , m_refillLagMs(std::max<qint64>(0, refillLagMs))
    , m_reserveMs(std::max<qint64>(0, reserveMs))
{ }

qint64 RateBudget::intervalMs() const
{
    return (m_config.periodMs + m_config.refill - 1) / m_config.refill;
}

qint64 RateBudget::toleranceMs() const
{
    return qint64(m_config.burst - 1) * intervalMs();
}

qint64 RateBudget::usableToleranceMs() const
{
    return std::max<qint64>(0, toleranceMs() - m_reserveMs);
}

qint64 RateBudget::earliestMs(qint64 nowMs) const
{
    if (m_config.unlimited())
        return nowMs;
    const qint64 tat = std::max(m_tat, nowMs);
    return std::max(nowMs, tat - usableToleranceMs());
}

bool RateBudget::tryTake(qint64 nowMs)
{
    if (m_config.unlimited())
        return true;
    if (earliestMs(nowMs) > nowMs)
        return false;
    const bool full = m_tat <= nowMs;
    m_tat = std::max(m_tat, nowMs) + intervalMs() + (full ? m_refillLagMs : 0);
    return true;
}

void RateBudget::charge(qint64 nowMs, int count)
{
    if (m_config.unlimited() || count <= 0)
        return;
    m_tat = std::max(m_tat, nowMs) + qint64(count) * intervalMs();
}

void RateBudget::blockUntil(qint64 untilMs)
{
    if (m_config.unlimited())
        return;
    // An empty bucket at untilMs: exactly one token then, refilling from there.
    m_tat = std::max(m_tat, untilMs + toleranceMs());
}

void RateBudget::clampTo(qint64 nowMs, qint64 remaining)
{
    if (m_config.unlimited())
        return;
    // available(now) == remaining exactly when tat = now + tolerance - (remaining - 1) * I.
    const qint64 left = std::clamp<qint64>(remaining, 0, m_config.burst);
    m_tat = std::max(m_tat, nowMs + toleranceMs() - (left - 1) * intervalMs());
}

int RateBudget::available(qint64 nowMs) const
{
    if (m_config.unlimited())
        return m_config.burst > 0 ? m_config.burst : 1'000'000;
    const qint64 tat = std::max(m_tat, nowMs);
    const qint64 slack = toleranceMs() - (tat - nowMs);
    if (slack < 0)
        return 0;
    return int(std::min<qint64>(m_config.burst, slack / intervalMs() + 1));
}

} // namespace spotkeeper::core
