// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "backoffpolicy.h"
#include "ratebudget.h"

#include <QString>

// Every knob of the restart engine, with the defaults docs/ENGINE.md explains.
namespace spotkeeper::core {

struct EngineConfig
{
    QString owner; // lease owner; empty = "engine:<pid>"
    qint64 leaseMs = 120'000;

    BackoffConfig backoff;
    quint32 seed = 0; // jitter seed; 0 = random
    BackoffPolicy::Random random; // overrides seed when set (tests)

    // Client-side budgets mirroring Azure's buckets (AZURE-PROTOCOL.md §6).
    // Unlimited when burst <= 0.
    BudgetConfig vmStartBudget {12, 4, 60'000}; // Compute "Update VM" per resource
    BudgetConfig vmReadBudget {36, 12, 60'000}; // Compute "Low cost get" per resource
    BudgetConfig subscriptionWriteBudget {200, 10, 1'000}; // ARM writes per subscription
    BudgetConfig subscriptionReadBudget {250, 25, 1'000}; // ARM reads per subscription

    qint64 deallocationPollMs = 2'000; // power-state cadence while waiting for deallocation
    qint64 startingPollMs = 10'000; // re-check of a start whose async URL was never seen
    qint64 freshObservationMs = 5'000; // a power state older than this is re-read before a start
    qint64 evictionGraceMs =
        5 * 60'000; // a noticed VM still running this long after NotBefore: done
    qint64 alertAfterMs = 15 * 60'000; // still down this long: alert once (0 = never)

    bool driveWithTimer = true; // production: a QTimer wakes at the next due time
};

} // namespace spotkeeper::core
