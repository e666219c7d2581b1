// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

// Time is injected everywhere a decision depends on it (backoff, deadlines, leases,
// token expiry) so tests check exact schedules. Production uses systemClock().
namespace spotkeeper::core {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
    qint64 nowMSecs() const { return nowUtc().toMSecsSinceEpoch(); }
};

Clock &systemClock();

// A clock tests move by hand.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC))
        : m_now(std::move(start))
    { }
    QDateTime nowUtc() const override { return m_now; }
    void advanceMSecs(qint64 ms) { m_now = m_now.addMSecs(ms); }
    void set(QDateTime now) { m_now = std::move(now); }

private:
    QDateTime m_now;
};

} // namespace spotkeeper::core
