// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine: what the engine does with outcomes (start results, operator-stops,
// recovery, the alert threshold, power states the reconciler saw).
#include "base/clock.h"
#include "engine/restartengine.h"
#include "fleet/eventtypes.h"
#include "store/store.h"

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

bool startable(PowerState state)
{
    return state == PowerState::Deallocated || state == PowerState::Stopped;
}

QString describe(const CallResult &call)
{
    QString text = toString(call.failure);
    if (!call.errorCode.isEmpty())
        text += u" ("_s + call.errorCode + u')';
    if (call.httpStatus > 0)
        text += u" HTTP "_s + QString::number(call.httpStatus);
    if (!call.errorMessage.isEmpty())
        text += u": "_s + call.errorMessage;
    return text;
}

QString advice(FailureClass failure)
{
    switch (failure) {
    case FailureClass::Price:
        return u"the Spot price is above the VM's max price; raise maxPrice (allowed while "
               "deallocated) or wait for the price to fall, then force a restart"_s;
    case FailureClass::Quota:
        return u"the Spot (low-priority) cores quota is used up (deallocated Spot VMs still "
               "count); raise the quota or delete VMs, then force a restart"_s;
    case FailureClass::Authorization:
        return u"SpotKeeper's identity may not do this on the VM; grant "
               "Microsoft.Compute/virtualMachines/start/action and read, then force a restart"_s;
    case FailureClass::NotFound:
        return u"the VM no longer exists (Delete eviction policy, or deleted by a person); "
               "re-create it or cancel the job"_s;
    default:
        break;
    }
    return u"Azure refused in a way retrying cannot fix; read the error, then force a restart "
           "or cancel the job"_s;
}

} // namespace

void RestartEngine::handleStartProgress(qint64 vmId, quint64 generation, const QString &url)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->generation != generation || url.isEmpty()
        || it->job.state != JobState::Starting)
        return;
    it->job.asyncOperationUrl = url;
    it->job.updatedAt = now();
    // Persisted before we wait on it: a restarted engine follows this URL instead of
    // POSTing start a second time.
    if (!m_store.saveJobIfUnchanged(it->job, nullptr)) {
        if (m_store.lastError().code == StoreError::Code::Conflict)
            loseJob(vmId, m_store.lastError().message);
        else
            Q_EMIT storeFailed(u"cannot save the async operation URL: "_s
                               + m_store.lastError().message);
    }
}

void RestartEngine::handleStartDone(qint64 vmId, quint64 generation, const StartResult &result)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->generation != generation || it->job.state != JobState::Starting)
        return;
    it->inFlight = false;
    const CallResult &call = result.call;
    const int attempt = it->job.attempt;
    EventRecord event = jobEvent(it->job, EventKind::RestartAttempt, QString());
    event.httpStatus = call.httpStatus;
    event.armErrorCode = call.errorCode;
    event.correlationId = call.correlationId;
    Q_EMIT restartAttempted(vmId, attempt, call.failure);

    if (call.ok() && !result.finished && !result.asyncOperationUrl.isEmpty()) {
        handleStartAccepted(vmId, result, event);
        reschedule();
        return;
    }
    if (call.ok() && !result.finished && result.asyncOperationUrl.isEmpty()) {
        // 202 Accepted with nothing to follow: Azure took the request, nothing more. Only a
        // power read that says running makes this a success; until then the job stays
        // Starting and is checked every startingPollMs (a VM still deallocated is started again).
        event.message = u"start attempt "_s + QString::number(attempt)
            + u" accepted without an async operation URL; confirming by the power state"_s;
        m_store.appendEvent(event);
        it->observedAt = QDateTime();
        it->acceptedAt = now();
        it->dueAt = now().addMSecs(m_config.startingPollMs);
        reschedule();
        return;
    }
    if (call.ok()) {
        event.message = u"start attempt "_s + QString::number(attempt) + u" succeeded"_s;
        it->job.lastErrorCode.clear();
        it->job.lastErrorMessage.clear();
        const QString capacityKey = it->capacityKey;
        finishRunning(vmId, {}, &event);
        wakeCapacityWaiters(capacityKey);
        reschedule();
        return;
    }

    it->job.lastErrorCode = call.errorCode;
    it->job.lastErrorMessage = call.errorMessage;
    if (!isRetryable(call.failure)) {
        event.message =
            u"start attempt "_s + QString::number(attempt) + u" failed: "_s + describe(call);
        if (call.failure == FailureClass::Price && raiseMaxPriceAfterRefusal(vmId, call, event)) {
            reschedule();
            return;
        }
        toNeedsOperator(vmId, call, u"starting the VM"_s);
        reschedule();
        return;
    }

    const std::optional<VmRecord> vm = m_store.vm(vmId);
    QDateTime budgetEarliest;
    if (vm) {
        if (call.failure == FailureClass::Throttled && call.retryAfter.isValid())
            budget(m_subWrite, vm->subscriptionId.toLower(), m_config.budgets.subscriptionWrites)
                .blockUntil(call.retryAfter.toMSecsSinceEpoch());
        const qint64 earliest = budget(m_vmStart, vm->resourceKey, m_config.budgets.vmStarts)
                                    .earliestMs(m_clock.nowMSecs());
        budgetEarliest = QDateTime::fromMSecsSinceEpoch(earliest, Qt::UTC);
    }
    const QDateTime next =
        m_backoff.nextAttemptAt(now(), attempt - 1, call.failure, call.retryAfter, budgetEarliest);
    it->job.nextAttemptAt = next;
    event.message = u"start attempt "_s + QString::number(attempt) + u" failed: "_s + describe(call)
        + u"; next attempt at "_s + next.toString(Qt::ISODateWithMs);
    if (transition(vmId, JobState::BackingOff, {}, &event)) {
        if (auto again = m_jobs.find(vmId); again != m_jobs.end()) {
            again->dueAt = next;
            again->capacityWait = call.failure == FailureClass::Capacity;
        }
    }
    if (call.failure == FailureClass::Capacity) {
        noteCapacityError(vmId, call);
        fallBackFromCapacity(vmId);
    }
    reschedule();
}

void RestartEngine::wakeCapacityWaiters(const QString &capacityKey)
{
    // A start just succeeded in this subscription/region/size, so capacity is back: the
    // VMs backing off on a capacity error there retry now instead of at the end of a
    // backoff that has grown to minutes during the shortage. Budgets still pace them
    // (tryStart), and a VM refused again backs off with its next, larger ceiling.
    if (capacityKey.isEmpty())
        return;
    m_capacityShortages.remove(capacityKey); // the shortage is over
    const QDateTime at = now();
    for (Tracked &t : m_jobs) {
        if (!t.capacityWait || t.capacityKey != capacityKey || t.inFlight
            || t.job.state != JobState::BackingOff)
            continue;
        t.capacityWait = false;
        if (t.dueAt.isValid() && t.dueAt > at)
            t.dueAt = at;
    }
}

void RestartEngine::noteCapacityError(qint64 vmId, const CallResult &call)
{
    const auto it = m_jobs.constFind(vmId);
    if (it == m_jobs.constEnd() || it->capacityKey.isEmpty() || m_config.capacityAlertAfterMs <= 0)
        return;
    const QString key = it->capacityKey;
    CapacityShortage &shortage = m_capacityShortages[key];
    const QDateTime at = now();
    if (!shortage.since.isValid())
        shortage.since = at;
    const qint64 lasted = shortage.since.msecsTo(at);
    if (shortage.alerted || lasted < m_config.capacityAlertAfterMs)
        return;
    shortage.alerted = true;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return;
    const auto waiting = std::count_if(m_jobs.cbegin(), m_jobs.cend(), [&](const Tracked &t) {
        return t.capacityKey == key && !isTerminal(t.job.state);
    });
    EventRecord event =
        vmEvent(vmId, EventKind::Alert, u"engine"_s,
                u"capacity errors for "_s + vm->size + u" in "_s + vm->location + u" for "_s
                    + QString::number(lasted / 60'000) + u" min ("_s + QString::number(waiting)
                    + u" VMs waiting, last error "_s + call.errorCode + u')');
    event.eventType = eventtype::kCapacity.toString();
    event.armErrorCode = call.errorCode;
    m_store.appendEvent(event);
    Q_EMIT alertRaised(vmId, event.message);
}

void RestartEngine::toNeedsOperator(qint64 vmId, const CallResult &call, const QString &what)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return;
    const QString reason = what + u": "_s + describe(call) + u" — "_s + advice(call.failure);
    it->job.reason = reason;
    it->job.lastErrorCode = call.errorCode;
    it->job.lastErrorMessage = call.errorMessage;
    it->dueAt = QDateTime();
    it->reserved = false;
    if (call.failure == FailureClass::NotFound)
        m_store.setPowerState(vmId, PowerState::Deleted, now());
    EventRecord event = jobEvent(it->job, EventKind::JobTransition,
                                 toString(it->job.state) + u" -> needs_operator: "_s + reason);
    if (call.httpStatus > 0 || !call.errorCode.isEmpty()) {
        event.kind = it->job.state == JobState::Starting ? EventKind::RestartAttempt
                                                         : EventKind::JobTransition;
        event.httpStatus = call.httpStatus;
        event.armErrorCode = call.errorCode;
        event.correlationId = call.correlationId;
    }
    if (transition(vmId, JobState::NeedsOperator, {}, &event))
        Q_EMIT needsOperator(vmId, reason);
}

void RestartEngine::parkIfNotRestartable(const VmRecord &vm)
{
    // The cloud says why it cannot be started (deleted on eviction, recreated by its group):
    // the job waits for an operator with that reason and nothing is ever started.
    const QString reason = m_cloud.cannotRestart(vm);
    auto it = m_jobs.find(vm.id);
    if (reason.isEmpty() || it == m_jobs.end())
        return;
    const qint64 vmId = vm.id;
    it->job.reason = reason;
    it->dueAt = QDateTime();
    it->reserved = false;
    if (transition(vmId, JobState::NeedsOperator,
                   toString(it->job.state) + u" -> needs_operator: "_s + reason))
        Q_EMIT needsOperator(vmId, reason);
}

void RestartEngine::finishRunning(qint64 vmId, const QString &why, const EventRecord *event)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return;
    const QDateTime since = it->job.evictedAt.isValid() ? it->job.evictedAt : it->job.createdAt;
    const qint64 downtime = std::max<qint64>(0, since.msecsTo(now()));
    m_store.setPowerState(vmId, PowerState::Running, now());
    // A VM whose agent has a health probe is recovered once its application says so.
    if (const std::optional<VmRecord> vm = m_store.vm(vmId); vm && waitsForApplication(*vm)) {
        const QString waiting =
            (why.isEmpty() ? (event ? event->message : u"VM is running"_s) : why)
            + u"; waiting for the application to report healthy"_s;
        if (event)
            m_store.appendEvent(*event); // the start attempt that made it run
        if (transition(vmId, JobState::WaitingForApplication, waiting)) {
            if (auto again = m_jobs.find(vmId); again != m_jobs.end()) {
                again->appWaitSince = now();
                again->dueAt = now(); // it may have reported healthy already
            }
        }
        return;
    }
    if (transition(vmId, JobState::Running, why, event))
        Q_EMIT restartSucceeded(vmId, downtime);
}

void RestartEngine::checkAlert(qint64 vmId)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->alerted || m_config.alertAfterMs <= 0
        || it->job.state == JobState::Paused || it->job.state == JobState::WaitingForApplication)
        return; // paused, or up and waiting for its application: not "still down"
    const QDateTime since = it->job.evictedAt.isValid() ? it->job.evictedAt : it->job.createdAt;
    const qint64 down = since.msecsTo(now());
    if (down < m_config.alertAfterMs)
        return;
    it->alerted = true;
    const int minutes = int(down / 60'000);
    EventRecord event = jobEvent(it->job, EventKind::Alert,
                                 u"still down after "_s + QString::number(minutes) + u" min (job "_s
                                     + toString(it->job.state) + u", "_s
                                     + QString::number(it->job.attempt) + u" start attempts"_s
                                     + (it->job.lastErrorCode.isEmpty()
                                            ? QString()
                                            : u", last error "_s + it->job.lastErrorCode)
                                     + u')');
    event.eventType = eventtype::kStillDown.toString();
    m_store.appendEvent(event);
    Q_EMIT vmStillDown(vmId, minutes);
    Q_EMIT alertRaised(vmId, event.message);
}

void RestartEngine::observePowerState(qint64 vmId, PowerState state)
{
    if (state == PowerState::Deallocated && m_sizeReturns.contains(vmId))
        returnToPreferredSize(vmId); // deliberately stopped after a capacity fallback resize
    if (state == PowerState::Running || state == PowerState::Starting)
        m_watches.remove(vmId); // back up before anything was decided: nothing to decide
    if (auto probe = m_probes.find(vmId);
        probe != m_probes.end() && !probe->inFlight && startable(state)) {
        probe->dueAt = now(); // an unconfirmed notice's VM is down: look now
        reschedule();
    }
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->inFlight)
        return;
    const QDateTime at = now();
    const bool waited = it->awaitingList; // this job asked for a list (a storm)
    it->awaitingList = false;
    it->observe(state, at);
    const JobState jobState = it->job.state;
    if (jobState == JobState::WaitingForApplication) {
        // Down again before its application reported healthy: restart it again.
        if (state != PowerState::Running && state != PowerState::Starting
            && state != PowerState::Unknown
            && transition(vmId, JobState::WaitingForDeallocation,
                          u"VM is "_s + toString(state)
                              + u" before its application reported healthy"_s)) {
            if (auto again = m_jobs.find(vmId); again != m_jobs.end())
                again->dueAt = at;
        }
        reschedule();
        return;
    }
    if (state == PowerState::Running) {
        if (!evictionPending(*it, at) && jobState != JobState::Paused)
            finishRunning(vmId, u"a power-state list saw the VM running"_s);
        else if (waited)
            it->dueAt = at.addMSecs(m_config.deallocationPollMs);
    } else if (startable(state) && jobState == JobState::WaitingForDeallocation) {
        it->dueAt = at; // start now rather than at the next poll
    } else if (startable(state) && jobState == JobState::Starting) {
        // An accepted start whose VM is still down well after: it failed or was lost.
        if (it->acceptedAt.isValid() && it->acceptedAt.msecsTo(at) >= m_config.startConfirmGraceMs)
            it->dueAt = at; // with its URL: one operation read says why; without: start again
    } else if (waited) {
        it->dueAt = at.addMSecs(jobState == JobState::Starting ? m_config.startingPollMs
                                    : startable(state)         ? 0
                                                               : m_config.deallocationPollMs);
    }
    reschedule();
}

} // namespace spotkeeper::core
