// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QDateTime>
#include <QList>

#include <optional>

// The fleet as its readers see it: VMs, restart jobs, events and the audit log. The Store
// answers these reads from its database (store.h); the dashboard's remote source answers them
// from what it last heard from a spotkeeperd (models/remotefleetsource.h), so the dashboard's
// FleetSource reads through this one interface either way.
namespace spotkeeper::core {

// Paging: afterId (0 = from the start) pages ascending; beforeId > 0 pages descending,
// newest first (pass std::numeric_limits<qint64>::max() for the newest page). limit <= 0
// means no limit. Store::eventCount() honours everything except limit.
struct EventFilter
{
    qint64 vmId = 0; // 0 = all VMs
    QList<EventKind> kinds; // empty = all
    QDateTime from; // inclusive, invalid = open
    QDateTime to; // exclusive, invalid = open
    qint64 afterId = 0; // paging: rows with id > afterId (ascending) ...
    qint64 beforeId = 0; // ... or id < beforeId (descending, newest first)
    int limit = 500;
};

class FleetReads
{
public:
    virtual ~FleetReads() = default;

    virtual std::optional<VmRecord> vm(qint64 id) = 0;
    virtual QList<VmRecord> vms() = 0;
    virtual QList<EventRecord> events(const EventFilter &filter) = 0;
    // Restart jobs: at most one non-terminal (active) job per VM.
    virtual std::optional<JobRecord> activeJob(qint64 vmId) = 0;
    virtual QList<JobRecord> activeJobs() = 0;
    virtual QList<JobRecord> jobs(qint64 vmId, int limit) = 0; // newest first, incl. finished
    // The audit log, oldest first; from inclusive, to exclusive, invalid = open; limit <= 0 =
    // no limit.
    virtual QList<AuditRecord> audit(const QDateTime &from, const QDateTime &to, int limit) = 0;

protected:
    FleetReads() = default;
    Q_DISABLE_COPY_MOVE(FleetReads)
};

} // namespace spotkeeper::core
