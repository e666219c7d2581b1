// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine: notice ingest, unreported evictions and the operator actions.
#include "azurenames.h"
#include "clock.h"
#include "messagecodec.h"
#include "restartengine.h"
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

bool isEvictionType(const QString &type)
{
    return type.compare(u"Preempt"_s, Qt::CaseInsensitive) == 0
        || type.compare(u"Terminate"_s, Qt::CaseInsensitive) == 0;
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
    if (!isEvictionType(notice.eventType))
        return; // Freeze, Reboot, Redeploy: the VM comes back by itself
    if (m_jobs.contains(vmId) || m_store.activeJob(vmId))
        return; // work-queue semantics: this VM is already being restarted
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
    if (restart) {
        const QDateTime at = now();
        createJob(*vm, JobState::WaitingForDeallocation, u"notice"_s, notBefore,
                  notBefore.isValid() ? std::max(at, notBefore) : at);
    }
    reschedule();
}

void RestartEngine::handleUnconfirmedNotice(qint64 vmId)
{
    if (m_jobs.contains(vmId) || m_probes.contains(vmId))
        return;
    m_probes.insert(vmId, Probe {now(), false});
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
    const qint64 nowMs = m_clock.nowMSecs();
    RateBudget &vmRead = budget(m_vmRead, vm->resourceKey, m_config.budgets.vmReads);
    RateBudget &subRead =
        budget(m_subRead, vm->subscriptionId.toLower(), m_config.budgets.subscriptionReads);
    const qint64 earliest = std::max(vmRead.earliestMs(nowMs), subRead.earliestMs(nowMs));
    if (earliest > nowMs) {
        it->dueAt = QDateTime::fromMSecsSinceEpoch(earliest, Qt::UTC);
        return;
    }
    vmRead.tryTake(nowMs);
    subRead.tryTake(nowMs);
    it->inFlight = true;
    m_cloud.powerState(*vm, [alive = m_alive, this, vmId](PowerStateResult result) {
        if (*alive)
            handleProbeResult(vmId, result);
    });
}

void RestartEngine::handleProbeResult(qint64 vmId, const PowerStateResult &result)
{
    m_probes.remove(vmId);
    if (!result.call.ok())
        return; // an unconfirmed notice is only a hint; the reconciler sweeps anyway
    const QDateTime at = now();
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

OperationResult RestartEngine::forceRestart(qint64 vmId, const QString &actor)
{
    const QString action = u"force_restart"_s;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return audited(actor, action, QString::number(vmId),
                       {OperationResult::Status::NotFound, u"no such VM"_s});
    adoptStoredJob(vmId);
    auto it = m_jobs.find(vmId);
    if (it != m_jobs.end()) {
        if (it->inFlight && it->job.state == JobState::Starting)
            return audited(
                actor, action, vm->resourceKey,
                {OperationResult::Status::Conflict, u"a start is already in progress"_s});
        ++it->generation; // a poll in flight no longer decides anything
        it->inFlight = false;
        it->job.nextAttemptAt = now();
        it->job.reason.clear();
        if (!transition(vmId, JobState::BackingOff, u"force restart by "_s + actor))
            return audited(actor, action, vm->resourceKey,
                           {OperationResult::Status::Failed, u"the store refused the change"_s});
        if (auto again = m_jobs.find(vmId); again != m_jobs.end())
            again->dueAt = now(); // backoff skipped; budgets and the power check still apply
    } else if (!createJob(*vm, JobState::BackingOff, u"operator"_s, {}, now())) {
        return audited(actor, action, vm->resourceKey,
                       {OperationResult::Status::Failed, u"cannot create a restart job"_s});
    }
    return audited(actor, action, vm->resourceKey,
                   {OperationResult::Status::Ok, u"restart requested"_s});
}

OperationResult RestartEngine::pauseAutoRestart(qint64 vmId, const QString &actor)
{
    const QString action = u"pause"_s;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return audited(actor, action, QString::number(vmId),
                       {OperationResult::Status::NotFound, u"no such VM"_s});
    if (!m_store.setAutoRestart(vmId, false))
        return audited(actor, action, vm->resourceKey,
                       {OperationResult::Status::Failed, u"the store refused the change"_s});
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
    return audited(actor, action, vm->resourceKey,
                   {OperationResult::Status::Ok, u"auto-restart paused"_s});
}

OperationResult RestartEngine::resumeAutoRestart(qint64 vmId, const QString &actor)
{
    const QString action = u"resume"_s;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return audited(actor, action, QString::number(vmId),
                       {OperationResult::Status::NotFound, u"no such VM"_s});
    if (!m_store.setAutoRestart(vmId, true))
        return audited(actor, action, vm->resourceKey,
                       {OperationResult::Status::Failed, u"the store refused the change"_s});
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
    return audited(actor, action, vm->resourceKey,
                   {OperationResult::Status::Ok, u"auto-restart resumed"_s});
}

OperationResult RestartEngine::cancelJob(qint64 vmId, const QString &actor)
{
    const QString action = u"cancel"_s;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return audited(actor, action, QString::number(vmId),
                       {OperationResult::Status::NotFound, u"no such VM"_s});
    adoptStoredJob(vmId);
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return audited(actor, action, vm->resourceKey,
                       {OperationResult::Status::NotFound, u"no restart job to cancel"_s});
    ++it->generation;
    it->inFlight = false;
    it->job.reason = u"cancelled by "_s + actor;
    if (!transition(vmId, JobState::Cancelled, it->job.reason))
        return audited(actor, action, vm->resourceKey,
                       {OperationResult::Status::Failed, u"the store refused the change"_s});
    return audited(actor, action, vm->resourceKey,
                   {OperationResult::Status::Ok, u"job cancelled"_s});
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
