// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// A client-side token bucket that mirrors one of Azure's throttling buckets (ARM's
// per-subscription reads/writes, Compute's per-VM start policy), so the engine does
// not cause 429s in the first place. Implemented as GCRA on integer milliseconds:
// exact, no floating point, and "earliest time a call may go" is one subtraction.
namespace spotkeeper::core {

struct BudgetConfig
{
    int burst = 0; // bucket size; <= 0 means unlimited
    int refill = 0; // tokens added per period; <= 0 means unlimited
    qint64 periodMs = 1'000; // e.g. 4 per 60'000 ms
    bool unlimited() const { return burst <= 0 || refill <= 0 || periodMs <= 0; }
};

class RateBudget
{
public:
    explicit RateBudget(BudgetConfig config = {});

    const BudgetConfig &config() const { return m_config; }
    // Earliest time (ms since epoch, >= nowMs) at which one token is available.
    qint64 earliestMs(qint64 nowMs) const;
    bool canTake(qint64 nowMs) const { return earliestMs(nowMs) <= nowMs; }
    // Takes one token if available now.
    bool tryTake(qint64 nowMs);
    // Takes count tokens even if that overdraws the bucket (a call already made,
    // e.g. the pages of a list whose count is known only afterwards).
    void charge(qint64 nowMs, int count);
    // The server said the bucket is empty until untilMs (429 Retry-After).
    void blockUntil(qint64 untilMs);
    // Whole tokens available at nowMs (for metrics/tests).
    int available(qint64 nowMs) const;

private:
    qint64 intervalMs() const; // ms per token, rounded up (conservative)
    qint64 toleranceMs() const; // (burst - 1) * interval

    BudgetConfig m_config;
    qint64 m_tat = 0; // GCRA theoretical arrival time; 0 = never used
};

} // namespace spotkeeper::core
