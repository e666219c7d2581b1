// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simclock.h"

namespace spotkeeper::sim {

ScaledClock::ScaledClock(const base::Clock &baseClock, double speed)
    : m_base(baseClock)
    , m_speed(speed > 0 ? speed : 1.0)
    , m_baseStartMs(baseClock.nowMSecs())
{ }

QDateTime ScaledClock::nowUtc() const
{
    const qint64 elapsed = m_base.nowMSecs() - m_baseStartMs;
    return QDateTime::fromMSecsSinceEpoch(m_baseStartMs + qint64(double(elapsed) * m_speed),
                                          Qt::UTC);
}

} // namespace spotkeeper::sim
