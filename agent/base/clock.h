// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

// The one clock interface. Time is injected everywhere a decision depends on it (backoff,
// deadlines, leases, token expiry, notice time stamps) so tests check exact schedules.
// Production passes systemClock(); tests move a ManualClock (tests/support/base) by hand;
// the simulator runs a ScaledClock (app/sim) on top of the system clock.
namespace spotkeeper::base {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
    qint64 nowMSecs() const { return nowUtc().toMSecsSinceEpoch(); }
};

// The wall clock (UTC), one per process.
Clock &systemClock();

} // namespace spotkeeper::base
