// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

// Simulated time: starts at the base clock's "now" and runs `speed` times faster, so a
// 24 h scenario plays in 24 min at --speed 60. Fleet dynamics (notices, deallocation,
// starts, capacity windows, the scenario timeline) follow this clock; anything a real
// client measures in real seconds (ARM buckets, Retry-After, token expiry) does not.
namespace spotkeeper::sim {

class ScaledClock final : public base::Clock
{
public:
    explicit ScaledClock(const base::Clock &baseClock, double speed = 1.0);
    QDateTime nowUtc() const override;
    double speed() const { return m_speed; }
    // Sim milliseconds for a span of real milliseconds, and back.
    qint64 toSimMs(qint64 realMs) const { return qint64(double(realMs) * m_speed); }
    qint64 toRealMs(qint64 simMs) const { return qint64(double(simMs) / m_speed); }
    // The base clock's epoch ms at which this clock shows simEpochMs: what a simulated
    // timestamp (a NotBefore) means to a client living on the base (real) clock.
    qint64 toBaseEpochMs(qint64 simEpochMs) const
    {
        return m_baseStartMs + toRealMs(simEpochMs - m_baseStartMs);
    }

private:
    const base::Clock &m_base;
    double m_speed;
    qint64 m_baseStartMs;
};

} // namespace spotkeeper::sim
