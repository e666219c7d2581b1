// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenbucket.h"

#include <algorithm>
#include <cmath>

namespace spotkeeper::core {

TokenBucket::TokenBucket(BucketSpec spec, qint64 nowMs, qint64 refillDelayMs)
    : m_spec(spec)
    , m_tokens(spec.burst)
    , m_lastMs(nowMs)
    , m_refillDelayMs(refillDelayMs)
{ }

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        const double add = double(nowMs - m_lastMs) / 1000.0 * m_spec.refillPerSecond;
        m_tokens = std::min(m_spec.burst, m_tokens + add);
        m_lastMs = nowMs;
    }
}

double TokenBucket::level(qint64 nowMs)
{
    refill(nowMs);
    return m_tokens;
}

qint64 TokenBucket::msUntilAvailable(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0)
        return 0;
    if (m_spec.refillPerSecond <= 0)
        return 3'600'000; // a bucket that never refills: check again in an hour
    const qint64 delay = std::max<qint64>(0, m_lastMs - nowMs); // refill not started yet
    return delay
        + static_cast<qint64>(std::ceil((1.0 - m_tokens) * 1000.0 / m_spec.refillPerSecond));
}

bool TokenBucket::tryTake(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens < 1.0)
        return false;
    const bool wasFull = m_tokens >= m_spec.burst;
    m_tokens -= 1.0;
    if (wasFull) // refilling starts now (plus the delay), as it does on the server
        m_lastMs = std::max(m_lastMs, nowMs + m_refillDelayMs);
    return true;
}

void TokenBucket::clampTo(double remaining, qint64 nowMs)
{
    refill(nowMs);
    m_tokens = std::min(m_tokens, std::max(0.0, remaining));
}

} // namespace spotkeeper::core
