// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRandomGenerator>

// Exponential backoff with "equal jitter": the n-th delay is drawn uniformly from
// [d/2, d] where d = min(cap, base * 2^n). The generator is seeded by the caller so
// tests get an exact schedule; production seeds from the system generator.
namespace spotkeeper::agent {

class Backoff
{
public:
    Backoff(int baseMs, int capMs, quint32 seed);

    int nextDelayMs(); // advances the failure count
    void reset();
    int failures() const { return m_failures; }
    int baseMs() const { return m_baseMs; }
    int capMs() const { return m_capMs; }

private:
    int m_baseMs;
    int m_capMs;
    int m_failures = 0;
    QRandomGenerator m_random;
};

} // namespace spotkeeper::agent
