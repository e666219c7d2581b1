// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine: notice ingest, unreported evictions and the operator actions.
#include "base/clock.h"
#include "engine/restartengine.h"
#include "protocol/azurenames.h"
#include "protocol/messagecodec.h"
#include "store/store.h"

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QDateTime noticeNotBefore(const EventRecord &notice)
{
    if (notice.payload.isEmpty())
        return {};
    const auto decoded = protocol::decodeNotice(notice.payload);
    if (!decoded.ok())
        return {};
    return decoded.value->event.notBefore;
}

bool isPreempt(const QString &type)
{
    return type.compare(u"Preempt"_s, Qt::CaseInsensitive) == 0;
}

bool isTerminate(const QString &type)
{
    return type.compare(u"Terminate"_s, Qt::CaseInsensitive) == 0;
}

bool isUp(PowerState state)
{
    return state == PowerState::Running || state == PowerState::Starting;
}

} // namespace

bool RestartEngine::mayRestart(const VmRecord &vm, QString *why) const
{
    if (vm.managedBy == ManagedBy::None)
        *why =
            u"not managed (no agent, no spotkeeper:auto-restart tag, not added by an operator)"_s;
    else if (vm.desiredState != DesiredState::Running)
        *why = u"desired state is stopped"_s;
    else if (!vm.autoRestart)
        *why = u"auto-restart is paused"_s;
    else
        return true;
    return false;
}

void RestartEngine::recordEviction(const VmRecord &vm, const QString &source,
                                   const EventRecord *notice, const QString &message)
{
    EventRecord event;
    event.vmId = vm.id;
    event.kind = EventKind::Eviction;
    event.at = now();
    event.source = source;
    if (notice) {
        event.eventType = notice->eventType;
        event.eventId = notice->eventId;
    }
    event.message = message;
    m_store.appendEvent(event);
    Q_EMIT evictionRecorded(vm.id, source);
}

void RestartEngine::recordEvictionEvidence(qint64 vmId, const QString &source,
                                           const QString &message, const QString &evidence)
{
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return;
    EventRecord event;
    event.vmId = vmId;
    event.kind = EventKind::Eviction;
    event.at = now();
    event.source = source;
    event.eventType = u"Preempt"_s;
    event.message = message;
    event.evidence = evidence;
    m_store.appendEvent(event);
    Q_EMIT evictionRecorded(vmId, source);
}

void RestartEngine::handleNoticeStored(qint64 vmId, const EventRecord &notice)
{
    if (m_jobs.contains(vmId) || m_store.activeJob(vmId))
        return; // work-queue semantics: this VM is already being restarted
    if (isTerminate(notice.eventType)) {
        // The VM is being deleted (by a person, a pipeline or a scale-in): nothing to undo.
        if (const std::optional<VmRecord> vm = m_store.vm(vmId);
            vm && vm->desiredState == DesiredState::Running) {
            markStoppedOnPurpose(*vm, u"a Terminate (delete) of the VM"_s, u"Terminate"_s,
                                 u"agent"_s, notice.eventId);
        }
        return;
    }
    if (!isPreempt(notice.eventType))
        return; // Freeze, Reboot, Redeploy: the VM comes back by itself
    std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return;
    if (vm->managedBy == ManagedBy::None) {
        // An agent speaking for the VM is what makes it managed.
        m_store.setManagedBy(vmId, ManagedBy::Agent);
        vm->managedBy = ManagedBy::Agent;
    }
    const QDateTime notBefore = noticeNotBefore(notice);
    QString why;
    const bool restart = mayRestart(*vm, &why);
    recordEviction(*vm, u"agent"_s, &notice,
                   notice.eventType + u" notice"_s
                       + (restart ? u"; restart job created"_s : u"; not restarted: "_s + why));
    m_watches.remove(vmId); // the notice is the evidence: no Activity Log needed
    if (restart) {
        const QDateTime at = now();
        if (createJob(*vm, JobState::WaitingForDeallocation, u"notice"_s, notBefore,
                      notBefore.isValid() ? std::max(at, notBefore) : at))
            parkIfNotRestartable(*vm);
    }
    reschedule();
}

void RestartEngine::handleUnconfirmedNotice(qint64 vmId)
{
    if (m_jobs.contains(vmId) || m_probes.contains(vmId))
        return;
    const QDateTime at = now();
    m_probes.insert(vmId, Probe {at, false, at.addMSecs(m_config.unconfirmedWatchMs)});
    reschedule();
}

void RestartEngine::processProbe(qint64 vmId)
{
    auto it = m_probes.find(vmId);
    if (it == m_probes.end() || it->inFlight)
        return;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm || m_jobs.contains(vmId)) {
        m_probes.erase(it);
        return;
    }
    if (const QDateTime wait = takeTokens(
            budget(m_vmRead, vm->resourceKey, m_config.budgets.vmReads),
            budget(m_subRead, vm->subscriptionId.toLower(), m_config.budgets.subscriptionReads));
        wait.isValid()) {
        it->dueAt = wait;
        return;
    }
    it->inFlight = true;
    m_cloud.powerState(*vm, [alive = m_alive, this, vmId](PowerStateResult result) {
        if (*alive)
            handleProbeResult(vmId, result);
    });
}

void RestartEngine::handleProbeResult(qint64 vmId, const PowerStateResult &result)
{
    auto probe = m_probes.find(vmId);
    if (probe == m_probes.end())
        return; // stopped on purpose meanwhile
    probe->inFlight = false;
    const QDateTime at = now();
    const bool settled = result.call.ok()
        && (result.state == PowerState::Deallocated || result.state == PowerState::Deleted
            || result.state == PowerState::Stopped);
    if (!settled && at < probe->until) {
        // A legacy agent posts at Scheduled, before the VM goes down: keep watching (a
        // bounded watch, like a signed Preempt's job) so the start follows the deallocation.
        QDateTime due = at.addMSecs(m_config.deallocationPollMs);
        if (result.call.retryAfter.isValid() && result.call.retryAfter > due)
            due = result.call.retryAfter;
        probe->dueAt = due;
        if (result.call.ok())
            m_store.setPowerState(vmId, result.state, at);
        reschedule();
        return;
    }
    m_probes.erase(probe);
    if (!result.call.ok())
        return; // an unconfirmed notice is only a hint; the reconciler sweeps anyway
    m_store.setPowerState(vmId, result.state, at);
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm || result.state != PowerState::Deallocated || m_jobs.contains(vmId)
        || m_store.activeJob(vmId))
        return; // act only on a VM that really is deallocated
    QString why;
    const bool restart = mayRestart(*vm, &why);
    recordEviction(*vm, u"agent"_s, nullptr,
                   u"unconfirmed notice; VM confirmed deallocated"_s
                       + (restart ? u"; restart job created"_s : u"; not restarted: "_s + why));
    if (restart && createJob(*vm, JobState::WaitingForDeallocation, u"notice"_s, {}, at)) {
        auto it = m_jobs.find(vmId);
        if (it != m_jobs.end()) {
            it->observed = PowerState::Deallocated;
            it->observedAt = at;
            it->sawNotRunning = true;
            it->dueAt = at;
        }
    }
    reschedule();
}

bool RestartEngine::handleUnreportedEviction(qint64 vmId, PowerState observed)
{
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    QString why;
    if (!vm || m_jobs.contains(vmId) || !mayRestart(*vm, &why))
        return false;
    const QDateTime at = now();
    const auto job = createJob(*vm, JobState::WaitingForDeallocation, u"reconciler"_s, {}, at);
    if (!job)
        return false;
    auto it = m_jobs.find(vmId);
    if (it != m_jobs.end()) {
        it->observed = observed;
        it->observedAt = at;
        it->sawNotRunning = true;
        it->dueAt = at;
    }
    parkIfNotRestartable(*vm);
    reschedule();
    return true;
}

OperationResult RestartEngine::audited(const QString &actor, const QString &action,
                                       const QString &target, OperationResult result)
{
    AuditRecord record;
    record.at = now();
    record.actor = actor;
    record.action = action;
    record.target = target;
    static const char *const names[] = {"ok", "not_found", "conflict", "invalid", "failed"};
    record.detail = QLatin1StringView(names[int(result.status)]) + u": "_s + result.message;
    if (m_store.appendAudit(record) <= 0)
        Q_EMIT storeFailed(u"cannot write the audit row for "_s + action);
    reschedule();
    return result;
}

OperationResult
RestartEngine::auditedOnVm(qint64 vmId, const QString &actor, const QString &action,
                           const std::function<OperationResult(const VmRecord &)> &op)
{
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return audited(actor, action, QString::number(vmId),
                       {OperationResult::Status::NotFound, u"no such VM"_s});
    return audited(actor, action, vm->resourceKey, op(*vm));
}

OperationResult RestartEngine::restartNow(const VmRecord &vm, const QString &actor)
{
    const qint64 vmId = vm.id;
    m_watches.remove(vmId);
    adoptStoredJob(vmId);
    auto it = m_jobs.find(vmId);
    if (it != m_jobs.end()) {
        if (it->inFlight && it->job.state == JobState::Starting)
            return {OperationResult::Status::Conflict, u"a start is already in progress"_s};
        ++it->generation; // a poll in flight no longer decides anything
        it->inFlight = false;
        it->job.nextAttemptAt = now();
        it->job.reason.clear();
        if (!transition(vmId, JobState::BackingOff, u"force restart by "_s + actor))
            return {OperationResult::Status::Failed, u"the store refused the change"_s};
        if (auto again = m_jobs.find(vmId); again != m_jobs.end())
            again->dueAt = now(); // backoff skipped; budgets and the power check still apply
    } else if (!createJob(vm, JobState::BackingOff, u"operator"_s, {}, now())) {
        return {OperationResult::Status::Failed, u"cannot create a restart job"_s};
    }
    return {OperationResult::Status::Ok, u"restart requested"_s};
}

OperationResult RestartEngine::forceRestart(qint64 vmId, const QString &actor)
{
    return auditedOnVm(vmId, actor, u"force_restart"_s, [&](const VmRecord &vm) -> OperationResult {
        return restartNow(vm, actor);
    });
}

OperationResult RestartEngine::stopOnPurpose(qint64 vmId, const QString &actor)
{
    return auditedOnVm(
        vmId, actor, u"stop_on_purpose"_s, [&](const VmRecord &vm) -> OperationResult {
            if (vm.powerState == PowerState::Deleted)
                return {OperationResult::Status::Invalid, u"the VM no longer exists"_s};
            // Desired state first: whatever the deallocation looks like, nothing restarts the VM.
            markStoppedOnPurpose(vm, actor, u"stop on purpose (deallocate)"_s, u"operator"_s, {});
            const std::optional<VmRecord> stored = m_store.vm(vmId);
            if (!stored || stored->desiredState != DesiredState::Stopped)
                return {OperationResult::Status::Failed, u"the store refused the change"_s};
            adoptStoredJob(vmId);
            if (auto it = m_jobs.find(vmId); it != m_jobs.end()) {
                ++it->generation;
                it->inFlight = false;
                it->job.reason = u"stopped on purpose by "_s + actor;
                transition(vmId, JobState::Cancelled, it->job.reason);
            }
            m_cloud.deallocate(*stored, [alive = m_alive, this, vmId, actor](CallResult call) {
                if (!*alive)
                    return;
                if (call.ok()) {
                    Q_EMIT deallocateAnswered(vmId, true, u"deallocation accepted"_s);
                    return;
                }
                EventRecord event = vmEvent(
                    vmId, EventKind::Alert, u"operator"_s,
                    u"Stop on purpose by "_s + actor + u": the deallocation failed: "_s
                        + toString(call.failure) + u' ' + call.errorCode + u": "_s
                        + call.errorMessage
                        + u" (desired state stays stopped; stop the VM again or Start it)"_s);
                event.httpStatus = call.httpStatus;
                event.armErrorCode = call.errorCode;
                event.correlationId = call.correlationId;
                m_store.appendEvent(event);
                Q_EMIT alertRaised(vmId, event.message);
                Q_EMIT deallocateAnswered(vmId, false, event.message);
            });
            return {OperationResult::Status::Ok,
                    u"desired state stopped; deallocation requested"_s};
        });
}

OperationResult RestartEngine::startVm(qint64 vmId, const QString &actor)
{
    return resumeOrStart(vmId, actor, u"start"_s);
}

OperationResult RestartEngine::pauseAutoRestart(qint64 vmId, const QString &actor)
{
    return auditedOnVm(vmId, actor, u"pause"_s, [&](const VmRecord &) -> OperationResult {
        if (!m_store.setAutoRestart(vmId, false))
            return {OperationResult::Status::Failed, u"the store refused the change"_s};
        adoptStoredJob(vmId);
        auto it = m_jobs.find(vmId);
        if (it != m_jobs.end() && it->job.state != JobState::Paused) {
            ++it->generation;
            it->inFlight = false;
            it->reserved = false;
            it->dueAt = QDateTime();
            it->job.reason = u"auto-restart paused by "_s + actor;
            transition(vmId, JobState::Paused, it->job.reason);
        }
        return {OperationResult::Status::Ok, u"auto-restart paused"_s};
    });
}

OperationResult RestartEngine::resumeAutoRestart(qint64 vmId, const QString &actor)
{
    return resumeOrStart(vmId, actor, u"resume"_s);
}

OperationResult RestartEngine::resumeOrStart(qint64 vmId, const QString &actor,
                                             const QString &action)
{
    return auditedOnVm(vmId, actor, action, [&](const VmRecord &vm) -> OperationResult {
        m_sizeReturns.remove(vmId); // wanted running again: no resize on its next deallocation
        const bool wasStopped = vm.desiredState == DesiredState::Stopped;
        if (!m_store.setAutoRestart(vmId, true)
            || (wasStopped && !m_store.setDesiredState(vmId, DesiredState::Running)))
            return {OperationResult::Status::Failed, u"the store refused the change"_s};
        if ((wasStopped || action == u"start"_s) && vm.powerState != PowerState::Deleted
            && !isUp(vm.powerState) && !m_store.activeJob(vmId)) {
            // Undoing a stop on purpose: the VM is down and nothing would start it otherwise.
            const OperationResult started = restartNow(vm, actor);
            return started.ok() ? OperationResult {OperationResult::Status::Ok,
                                                   u"desired state running; start requested"_s}
                                : started;
        }
        adoptStoredJob(vmId);
        auto it = m_jobs.find(vmId);
        if (it != m_jobs.end() && it->job.state == JobState::Paused) {
            it->job.reason.clear();
            it->observedAt = QDateTime();
            if (transition(vmId, JobState::WaitingForDeallocation, u"resumed by "_s + actor)) {
                if (auto again = m_jobs.find(vmId); again != m_jobs.end())
                    again->dueAt = now(); // look at the VM now; start it if it is still down
            }
        }
        return {OperationResult::Status::Ok,
                wasStopped ? u"desired state running; auto-restart resumed"_s
                           : u"auto-restart resumed"_s};
    });
}

OperationResult RestartEngine::cancelJob(qint64 vmId, const QString &actor)
{
    return auditedOnVm(vmId, actor, u"cancel"_s, [&](const VmRecord &) -> OperationResult {
        adoptStoredJob(vmId);
        auto it = m_jobs.find(vmId);
        if (it == m_jobs.end())
            return {OperationResult::Status::NotFound, u"no restart job to cancel"_s};
        ++it->generation;
        it->inFlight = false;
        it->job.reason = u"cancelled by "_s + actor;
        if (!transition(vmId, JobState::Cancelled, it->job.reason))
            return {OperationResult::Status::Failed, u"the store refused the change"_s};
        return {OperationResult::Status::Ok, u"job cancelled"_s};
    });
}

OperationResult RestartEngine::addVm(const QString &resourceId, const QString &actor)
{
    const QString action = u"add_vm"_s;
    // /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}
    const QStringList parts = resourceId.split(u'/');
    const bool shaped = parts.size() == 9 && parts[0].isEmpty()
        && parts[1].compare(u"subscriptions"_s, Qt::CaseInsensitive) == 0
        && parts[3].compare(u"resourceGroups"_s, Qt::CaseInsensitive) == 0
        && parts[5].compare(u"providers"_s, Qt::CaseInsensitive) == 0
        && parts[6].compare(u"Microsoft.Compute"_s, Qt::CaseInsensitive) == 0
        && parts[7].compare(u"virtualMachines"_s, Qt::CaseInsensitive) == 0;
    QString problem;
    if (!shaped)
        problem = u"not a VM resource id (/subscriptions/{id}/resourceGroups/{rg}/providers/"
                  "Microsoft.Compute/virtualMachines/{name})"_s;
    else if (const QString e = protocol::checkSubscriptionId(parts[2]); !e.isEmpty())
        problem = u"subscription id: "_s + e;
    else if (const QString e2 = protocol::checkResourceGroupName(parts[4]); !e2.isEmpty())
        problem = u"resource group: "_s + e2;
    else if (const QString e3 = protocol::checkVmName(parts[8]); !e3.isEmpty())
        problem = u"VM name: "_s + e3;
    if (!problem.isEmpty())
        return audited(actor, action, resourceId.left(300),
                       {OperationResult::Status::Invalid, problem});

    VmRecord record;
    record.resourceId = resourceId;
    record.resourceKey = resourceId.toLower();
    record.subscriptionId = parts[2];
    record.resourceGroup = parts[4];
    record.name = parts[8];
    record.managedBy = ManagedBy::Operator;
    record.desiredState = DesiredState::Running;
    record.autoRestart = true;
    record.createdAt = now();
    record.updatedAt = record.createdAt;
    const qint64 id = m_store.upsertVm(record);
    if (id <= 0)
        return audited(actor, action, record.resourceKey,
                       {OperationResult::Status::Failed, u"the store refused the VM"_s});
    m_store.setManagedBy(id, ManagedBy::Operator);
    if (std::optional<VmRecord> vm = m_store.vm(id)) {
        m_cloud.powerState(*vm, [alive = m_alive, this, id](PowerStateResult result) {
            if (*alive && result.call.ok())
                m_store.setPowerState(id, result.state, now());
        });
    }
    return audited(actor, action, record.resourceKey,
                   {OperationResult::Status::Ok, u"VM added as managed by operator"_s});
}

void RestartEngine::adoptStoredJob(qint64 vmId)
{
    // An operator may act on a job another engine owned (or this one has not claimed yet).
    // The action takes the lease over: the save is conditional on the version read here,
    // and the other engine's next save of its stale copy fails, so it lets the job go.
    if (!m_jobs.contains(vmId)) {
        if (auto active = m_store.activeJob(vmId)) {
            active->leaseOwner = m_config.owner;
            active->leaseExpiresAt = now().addMSecs(m_config.leaseMs);
            adopt(*active);
        }
    }
}

} // namespace spotkeeper::core
