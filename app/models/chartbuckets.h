// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

// Pure functions that turn events and jobs into what the charts (and their "show as table"
// views) display. No Qt model, no I/O: tested on hand-made inputs.
namespace spotkeeper::gui::buckets {

enum class GroupBy { Region, ResourceGroup, Cloud };

struct Stacked
{
    QList<QDateTime> starts; // bucket start (UTC), one per bucket
    qint64 bucketSecs = 3600;
    QStringList groups; // sorted; one stacked series each
    QList<QList<int>> counts; // counts[group][bucket]
    int total() const;
};

struct Distribution
{
    QStringList labels;
    QList<int> counts;
    int total() const;
};

// 5 min buckets up to 2 h, hourly up to 48 h (the 24 h view), daily beyond (7 d, 30 d).
qint64 bucketSecondsFor(const QDateTime &from, const QDateTime &to);

// Eviction events in [from, to) counted per bucket and stacked by the VM's region, resource
// group or cloud ("Azure", "Google Cloud", "AWS"; "unknown" when the VM is not in vms). Buckets are
// aligned to multiples of bucketSecs since the epoch, so the same hour is the same bucket in every
// view.
Stacked evictionsOverTime(const QList<core::EventRecord> &evictions,
                          const QHash<qint64, core::VmRecord> &vms, const QDateTime &from,
                          const QDateTime &to, qint64 bucketSecs, GroupBy groupBy);

// Time from eviction (evictedAt, else createdAt) to recovery for jobs that finished
// Running within [from, to), in bins < 1 min, 1-5 min, 5-15 min, 15-60 min, 1-4 h, > 4 h.
Distribution timeToRecovery(const QList<core::JobRecord> &jobs, const QDateTime &from,
                            const QDateTime &to);
QList<qint64> recoveryBinUpperSecs(); // the bin edges above, for tests and tooltips

// Jobs created within [from, to) by outcome: recovered, needs operator, cancelled,
// in progress (waiting/starting/backing off), paused.
Distribution restartOutcomes(const QList<core::JobRecord> &jobs, const QDateTime &from,
                             const QDateTime &to);

} // namespace spotkeeper::gui::buckets
