// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/backoff.h"

#include <algorithm>

namespace spotkeeper::agent {

Backoff::Backoff(int baseMs, int capMs, quint32 seed)
    : m_baseMs(std::max(1, baseMs))
    , m_capMs(std::max(m_baseMs, capMs))
    , m_random(seed)
{ }

int Backoff::nextDelayMs()
{
    qint64 ceiling = m_baseMs;
    for (int i = 0; i < m_failures && ceiling < m_capMs; ++i)
        ceiling *= 2;
    ceiling = std::min<qint64>(ceiling, m_capMs);
    ++m_failures;
    const qint64 half = ceiling / 2;
    return static_cast<int>(half + m_random.bounded(static_cast<quint32>(ceiling - half + 1)));
}

void Backoff::reset()
{
    m_failures = 0;
}

} // namespace spotkeeper::agent
