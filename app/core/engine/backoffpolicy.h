// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QDateTime>

#include <functional>

// When to retry a failed start: full-jitter exponential backoff
// random(0, min(cap, base * 2^n)), never sooner than the server's Retry-After nor than
// the VM's start budget allows. Randomness is injected so tests check exact schedules.
namespace spotkeeper::core {

struct BackoffConfig
{
    qint64 baseMs = 10'000; // first retry ceiling
    qint64 capMs = 5 * 60'000; // largest ceiling
    qint64 capacityBaseMs = 30'000; // capacity errors: Azure frees capacity in minutes, not seconds
    qint64 capacityCapMs = 5 * 60'000;
};

class BackoffPolicy
{
public:
    // Returns a uniformly distributed integer in [0, highest].
    using Random = std::function<qint64(qint64 highest)>;
    static Random seededRandom(quint32 seed); // QRandomGenerator with that seed

    BackoffPolicy(BackoffConfig config, Random random);

    const BackoffConfig &config() const { return m_config; }
    // min(cap, base * 2^retry) for this failure class; retry 0 is the first retry.
    qint64 ceilingMs(int retry, FailureClass failure) const;
    // random(0, ceilingMs(retry, failure)); consumes one random number.
    qint64 delayMs(int retry, FailureClass failure);
    // now + delayMs(), pushed back to retryAfter and budgetEarliest when they are later.
    QDateTime nextAttemptAt(const QDateTime &now, int retry, FailureClass failure,
                            const QDateTime &retryAfter = {}, const QDateTime &budgetEarliest = {});

private:
    BackoffConfig m_config;
    Random m_random;
};

} // namespace spotkeeper::core
