// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// Client-side budgets mirroring ARM's own buckets (AZURE-PROTOCOL.md §6), so SpotKeeper queues
// requests instead of provoking 429s. Time is passed in (from the injected Clock).
namespace spotkeeper::core {

struct BucketSpec
{
    double burst = 1; // bucket size
    double refillPerSecond = 1;
};

struct ArmBudgets
{
    BucketSpec subscriptionReads {250, 25}; // per subscription: GET (incl. op polls, pages)
    BucketSpec subscriptionWrites {200, 10}; // per subscription: POST/PUT/PATCH/DELETE
    BucketSpec vmStarts {12, 4.0 / 60.0}; // Compute UpdateVM per VM: burst 12, 4 per minute
    bool enabled = true; // false = no client-side pacing (tests only)
    // After a burst starts (the bucket was full), refilling begins this much later. ARM
    // starts refilling when the first request *arrives*; without the delay, the first
    // request's extra latency (connection setup) lets later ones arrive before ARM's bucket
    // has refilled (bench_armclient: 1-2 of 400 starts got 429). Costs latency once per
    // burst, not throughput.
    int refillLagMs = 250;
};

class TokenBucket
{
public:
    TokenBucket() = default;
    // refillDelayMs: see ArmBudgets::refillLagMs.
    TokenBucket(BucketSpec spec, qint64 nowMs, qint64 refillDelayMs = 0);

    // Milliseconds until one token is available (0 = now).
    qint64 msUntilAvailable(qint64 nowMs);
    // Takes one token if available.
    bool tryTake(qint64 nowMs);
    // Lowers the level to what the server says is left (never raises it).
    void clampTo(double remaining, qint64 nowMs);
    double level(qint64 nowMs);

private:
    void refill(qint64 nowMs);

    BucketSpec m_spec;
    double m_tokens = 0;
    qint64 m_lastMs = 0;
    qint64 m_refillDelayMs = 0;
};

} // namespace spotkeeper::core
