// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

// A clock tests move by hand (base/clock.h is the interface; production code never has
// one). Starts at 2026-01-01T00:00:00Z unless told otherwise.
namespace spotkeeper::testsupport {

class ManualClock final : public base::Clock
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

} // namespace spotkeeper::testsupport
