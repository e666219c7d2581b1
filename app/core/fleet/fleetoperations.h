// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QString>

// The one operator/ingest API, used alike by the GUI, the listener's operator routes,
// spotkeeperd and the tests. Implemented by the restart engine (engine/restartengine.h).
// Every operator action writes exactly one audit row.
namespace spotkeeper::core {

struct OperationResult
{
    enum class Status { Ok, NotFound, Conflict, Invalid, Failed };
    Status status = Status::Ok;
    QString message; // for the operator; never a secret
    bool ok() const { return status == Status::Ok; }
};

class FleetOperations
{
public:
    virtual ~FleetOperations() = default;

    // Ingest: called by the listener after the notice is committed to the store.
    // The engine decides what is an eviction (Preempt, Terminate) and what is not.
    virtual void handleNoticeStored(qint64 vmId, const EventRecord &notice) = 0;
    // Legacy webhook (unauthenticated-format) notice: never a blind start; the engine
    // checks the VM's power state and acts only if it is really deallocated.
    virtual void handleUnconfirmedNotice(qint64 vmId) = 0;

    // Operator actions. actor: "gui:<user>", "api:<token id>", "cli".
    virtual OperationResult forceRestart(qint64 vmId,
                                         const QString &actor) = 0; // skips backoff, not budgets
    virtual OperationResult pauseAutoRestart(qint64 vmId, const QString &actor) = 0;
    virtual OperationResult resumeAutoRestart(qint64 vmId, const QString &actor) = 0;
    virtual OperationResult cancelJob(qint64 vmId, const QString &actor) = 0;
    // Adds (or marks managed) a VM by resource id; the engine fetches its properties.
    virtual OperationResult addVm(const QString &resourceId, const QString &actor) = 0;
    // "Stop on purpose": desired state stopped (no restart, whoever deallocates it), any
    // restart job cancelled, then the cloud deallocates the VM.
    virtual OperationResult stopOnPurpose(qint64 vmId, const QString &actor) = 0;
    // Undoes it: desired state running, auto-restart on, and the VM started if it is down.
    virtual OperationResult startVm(qint64 vmId, const QString &actor) = 0;
    // Reverts one capacity fallback change (its audit row's id) by applying the row's before
    // value (docs/ENGINE.md "Capacity fallback"). The default: not possible here.
    virtual OperationResult undoFallback(qint64 auditId, const QString &actor);
};

} // namespace spotkeeper::core
