// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// The one client-side rate limiter of SpotKeeper: a token bucket that mirrors one of
// Azure's throttling buckets (ARM's per-subscription reads/writes, Compute's per-VM start
// policy), so SpotKeeper does not cause 429s in the first place. The restart engine paces
// its jobs with it and the ARM request queue paces every request with it, both from the same
// ArmBudgets (EngineConfig, [engine] in spotkeeperd.conf, Settings -> Budgets).
// Implemented as GCRA on integer milliseconds: exact, no floating point, and "earliest time
// a call may go" is one subtraction.
namespace spotkeeper::core {

struct BudgetConfig
{
    int burst = 0; // bucket size; <= 0 means unlimited
    int refill = 0; // tokens added per period; <= 0 means unlimited
    qint64 periodMs = 1'000; // e.g. 4 per 60'000 ms
    bool unlimited() const { return burst <= 0 || refill <= 0 || periodMs <= 0; }
    friend bool operator==(const BudgetConfig &, const BudgetConfig &) = default;
};

// ARM's buckets (AZURE-PROTOCOL.md §6), one set of numbers for the whole process.
struct ArmBudgets
{
    BudgetConfig subscriptionReads {250, 25, 1'000}; // GET (incl. op polls, list pages)
    BudgetConfig subscriptionWrites {200, 10, 1'000}; // POST/PUT/PATCH/DELETE
    BudgetConfig vmStarts {12, 4, 60'000}; // Compute "UpdateVM" per VM: 12, then 4 a minute
    BudgetConfig vmReads {36, 12, 60'000}; // Compute "Low cost get" per VM (engine reads)
    // After a burst starts (the bucket was full), refilling begins this much later. ARM
    // starts refilling when the first request *arrives*; without the delay, the first
    // request's extra latency (connection setup) lets later ones arrive before ARM's bucket
    // has refilled (bench_armclient: 1-2 of 400 starts got 429). Costs the last few tokens
    // of a burst up to this much latency, once per burst, not throughput.
    int refillLagMs = 250;
    // ARM counts a request when it arrives, the queue when it sends it. Between the two lie
    // the network and, on a busy host, scheduling: a request held up longer than the next one
    // makes two arrive closer together than they were sent, and a bucket paced to the token
    // answers 429 (tst_e2estorm under load: 3-12 of 300 starts). Keeping this much of the
    // bucket unused absorbs up to that much difference in delay; it costs burst/rate * this
    // of the first burst (10 of 200 writes, 25 of 250 reads), not throughput.
    int jitterReserveMs = 1'000;
    bool enabled = true; // false = no client-side pacing (tests only)
    friend bool operator==(const ArmBudgets &, const ArmBudgets &) = default;
};

// The engine's three ARM budgets as an operator sets them, each a burst and a refill in the
// unit Azure documents it in: spotkeeperd.conf [engine] (EngineHostConfig) and the
// dashboard's Settings -> Budgets (DashboardSettings) both hold one. armBudgets()
// (fleet/enginehost.h) turns them into the ArmBudgets above.
struct BudgetSettings
{
    int vmStartBurst = 12; // start calls per VM: bucket size ...
    int vmStartsPerMinute = 4; // ... and refill (Azure's Compute UpdateVM budget)
    int subscriptionWriteBurst = 200;
    int subscriptionWritesPerSecond = 10;
    int subscriptionReadBurst = 250;
    int subscriptionReadsPerSecond = 25;
    // The budgets part of a settings struct that derives from this one.
    BudgetSettings &budgets() { return *this; }
    const BudgetSettings &budgets() const { return *this; }
    friend bool operator==(const BudgetSettings &, const BudgetSettings &) = default;
};

class RateBudget
{
public:
    // reserveMs: that many ms worth of tokens are never used (ArmBudgets::jitterReserveMs).
    explicit RateBudget(BudgetConfig config = {}, qint64 refillLagMs = 0, qint64 reserveMs = 0);

    const BudgetConfig &config() const { return m_config; }
    // Earliest time (ms since epoch, >= nowMs) at which one token is available.
    qint64 earliestMs(qint64 nowMs) const;
    qint64 msUntilAvailable(qint64 nowMs) const { return earliestMs(nowMs) - nowMs; }
    bool canTake(qint64 nowMs) const { return earliestMs(nowMs) <= nowMs; }
    // Takes one token if available now.
    bool tryTake(qint64 nowMs);
    // Takes count tokens even if that overdraws the bucket (a call already made,
    // e.g. the pages of a list whose count is known only afterwards).
    void charge(qint64 nowMs, int count);
    // The server said the bucket is empty until untilMs (429 Retry-After).
    void blockUntil(qint64 untilMs);
    // The server said only `remaining` tokens are left (x-ms-ratelimit-remaining-*): lowers
    // what is available now to that, never raises it.
    void clampTo(qint64 nowMs, qint64 remaining);
    // Whole tokens available at nowMs (for metrics/tests).
    int available(qint64 nowMs) const;
    // The bucket's whole state, to keep it elsewhere (buckets several replicas share through
    // their store: sharedratebudgets.h). 0 = never used.
    qint64 state() const { return m_tat; }
    void restoreState(qint64 state) { m_tat = state; }

private:
    qint64 intervalMs() const; // ms per token, rounded up (conservative)
    qint64 toleranceMs() const; // (burst - 1) * interval
    qint64 usableToleranceMs() const; // toleranceMs() less the reserve, never below 0

    BudgetConfig m_config;
    qint64 m_refillLagMs = 0;
    qint64 m_reserveMs = 0;
    qint64 m_tat = 0; // GCRA theoretical arrival time; 0 = never used
};

} // namespace spotkeeper::core
