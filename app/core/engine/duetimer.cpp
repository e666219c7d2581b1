// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/duetimer.h"

#include <QTimer>

#include <algorithm>
#include <chrono>

namespace spotkeeper::core {

void armForDue(QTimer &timer, const QDateTime &now, const QDateTime &due)
{
    if (!due.isValid()) {
        timer.stop();
        return;
    }
    constexpr qint64 kLongestWaitMs = 3'600'000;
    timer.start(std::chrono::milliseconds(std::clamp<qint64>(now.msecsTo(due), 0, kLongestWaitMs)));
}

} // namespace spotkeeper::core
