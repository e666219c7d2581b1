// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/backoffpolicy.h"
#include "engine/capacityfallback.h"
#include "fleet/ratebudget.h"

#include <QString>

// Every knob of the restart engine, with the defaults docs/ENGINE.md explains.
namespace spotkeeper::core {

struct EngineConfig
{
    QString owner; // lease owner; empty = "engine:<pid>" (EngineHost sets an EngineIdentity)
    qint64 leaseMs = 120'000;

    BackoffConfig backoff;
    quint32 seed = 0; // jitter seed; 0 = random
    BackoffPolicy::Random random; // overrides seed when set (tests)

    // Client-side budgets mirroring Azure's buckets (AZURE-PROTOCOL.md §6), the same numbers the
    // ARM request queue paces with (EngineHost hands one ArmBudgets to both). A bucket is unlimited
    // when its burst <= 0.
    ArmBudgets budgets;

    qint64 deallocationPollMs = 2'000; // power-state cadence while waiting for deallocation
    qint64 startingPollMs = 10'000; // re-check of a start whose async URL was never seen
    qint64 freshObservationMs = 5'000; // a power state older than this is re-read before a start
    qint64 evictionGraceMs =
        5 * 60'000; // a noticed VM still running this long after NotBefore: done
    qint64 alertAfterMs = 15 * 60'000; // still down this long: alert once (0 = never)
    // Starts of one subscription/region/size refused for capacity this long (no success in
    // between): alert once per shortage (0 = never).
    qint64 capacityAlertAfterMs = 30 * 60'000;

    // Storms (docs/ENGINE.md "Storms"): once a subscription has listPowerThreshold jobs, their
    // power states come from one paged statusOnly list of the subscription (50 VMs a read,
    // at most every listPowerIntervalMs) instead of one GET per VM, and starts are not
    // followed one operation poll at a time: the same list confirms them. Per-VM reads are
    // left for what a list cannot answer (a VM missing from it; why a start did not take).
    int listPowerThreshold = 10; // jobs in one subscription; 0 = never
    qint64 listPowerIntervalMs = 3'000;
    // An accepted, unfollowed start whose VM a list still shows deallocated this long after:
    // the operation is asked once (it failed, or Azure lost it).
    qint64 startConfirmGraceMs = 30'000;
    qint64 startConfirmTimeoutMs = 120'000; // no list confirmed it by then: follow the operation
    // A managed VM that went down with no notice: the Activity Log decides (eviction ->
    // restart; deallocate/powerOff/delete by anyone -> stopped on purpose). It lags, so it is
    // read every evidencePollMs for evidenceWaitMs, then restartUnproven decides
    // (spotkeeperd.conf [engine] evidence_wait_seconds, unproven_deallocation=restart|leave).
    qint64 evidenceWaitMs = 5 * 60'000;
    qint64 evidencePollMs = 30'000;
    qint64 evidenceLookBackMs = 2 * 60'000; // before the last sight of the VM running
    bool restartUnproven = true;
    // An unconfirmed (legacy webhook) notice watches the VM's power state this long (every
    // deallocationPollMs, within the read budgets) so the start follows the deallocation.
    qint64 unconfirmedWatchMs = 3 * 60'000;

    // Application health (docs/ENGINE.md "Application health"): the restart job of a VM whose
    // agent reports a health probe ends recovered only when the application reports healthy;
    // after appHealthTimeoutMs it ends running with "application not healthy" and an
    // app_unhealthy alert. 0 = do not wait for the application (power state only).
    qint64 appHealthTimeoutMs = 10 * 60'000;
    qint64 appHealthPollMs = 5'000; // how often the store is asked what the agent reported

    // The capacity fallback (docs/ENGINE.md "Capacity fallback"; spotkeeperd.conf [fallback]):
    // off unless enabled, and then only for VMs that opted in (a tag or a tag rule).
    FallbackConfig fallback;

    bool driveWithTimer = true; // production: a QTimer wakes at the next due time
};

} // namespace spotkeeper::core
