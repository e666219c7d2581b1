// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine, application health: a VM whose agent reports a health probe is recovered
// when its application reports healthy after the restart, not when its power state says
// running (docs/ENGINE.md "Application health").
#include "engine/apphealthwatch.h"
#include "engine/restartengine.h"
#include "fleet/cloud.h"
#include "fleet/eventtypes.h"
#include "store/store.h"

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

// The cloud call CloudProvider::restart makes, as the audit trail names it.
QString restartCallOf(const VmRecord &vm)
{
    switch (cloudOf(vm)) {
    case Cloud::Gcp:
        return u"Compute Engine reset"_s;
    case Cloud::Aws:
        return u"EC2 reboot"_s;
    case Cloud::Azure:
        break;
    }
    return u"ARM restart"_s;
}

} // namespace

bool RestartEngine::waitsForApplication(const VmRecord &vm) const
{
    return m_config.appHealthTimeoutMs > 0 && vm.appHealth != AppHealth::None;
}

void RestartEngine::checkApplication(qint64 vmId)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->job.state != JobState::WaitingForApplication)
        return;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm) {
        it->dueAt = now().addMSecs(m_config.appHealthPollMs); // a store hiccup: ask again
        return;
    }
    endWaitForApplication(vmId, *vm);
}

void RestartEngine::endWaitForApplication(qint64 vmId, const VmRecord &vm)
{
    auto it = m_jobs.find(vmId);
    const QDateTime at = now();
    const QDateTime began = it->job.evictedAt.isValid() ? it->job.evictedAt : it->job.createdAt;
    // Healthy counts when the agent said so after the eviction (it reports "pending" until
    // its first probe after a boot, so a state from before cannot linger), or when a heartbeat
    // since the VM was seen running still says healthy (the VM never went down).
    const bool changedSince = vm.appHealthSince.isValid() && vm.appHealthSince > began;
    const bool heardSince = vm.agentLastSeen.isValid() && vm.agentLastSeen > it->appWaitSince;
    if (vm.appHealth == AppHealth::Healthy && (changedSince || heardSince)) {
        it->job.appHealthyAt = changedSince ? vm.appHealthSince : it->appWaitSince;
        const qint64 downtime = std::max<qint64>(0, began.msecsTo(it->job.appHealthyAt));
        const QString why = u"application healthy"_s
            + (vm.appHealthDetail.isEmpty() ? QString() : u" ("_s + vm.appHealthDetail + u')');
        if (transition(vmId, JobState::Running, why))
            Q_EMIT restartSucceeded(vmId, downtime);
        return;
    }
    if (vm.appHealth == AppHealth::None) { // the agent no longer reports a probe
        if (transition(vmId, JobState::Running, u"the agent reports no health probe any more"_s))
            Q_EMIT restartSucceeded(vmId, std::max<qint64>(0, began.msecsTo(at)));
        return;
    }
    const QDateTime deadline = it->appWaitSince.addMSecs(m_config.appHealthTimeoutMs);
    if (at < deadline) {
        it->dueAt = std::min(deadline, at.addMSecs(m_config.appHealthPollMs));
        return;
    }
    // The VM runs; its application does not. The job is over (nothing more a start can
    // do), and operators hear about it.
    const QString timeout = appHealthDuration(m_config.appHealthTimeoutMs);
    const QString detail = vm.appHealth == AppHealth::Pending
        ? u"no probe result yet"_s
        : (vm.appHealthDetail.isEmpty() ? u"unhealthy"_s : vm.appHealthDetail);
    it->job.reason = QLatin1StringView(kAppNotHealthyReason);
    if (!transition(
            vmId, JobState::Running,
            u"application not healthy %1 after the VM came back (%2)"_s.arg(timeout, detail)))
        return;
    EventRecord alert;
    alert.vmId = vmId;
    alert.kind = EventKind::Alert;
    alert.at = at;
    alert.source = u"engine"_s;
    alert.eventType = eventtype::kAppUnhealthy.toString();
    alert.message = u"application not healthy %1 after the restart: %2"_s.arg(timeout, detail);
    m_store.appendEvent(alert);
    Q_EMIT applicationUnhealthy(vmId, detail);
    Q_EMIT alertRaised(vmId, alert.message);
}

OperationResult RestartEngine::restartForAppHealth(qint64 vmId, const QString &why)
{
    return auditedOnVm(
        vmId, u"engine"_s, u"app_restart"_s, [&](const VmRecord &vm) -> OperationResult {
            if (m_jobs.contains(vmId) || m_store.activeJob(vmId))
                return {OperationResult::Status::Conflict, u"a restart job is active"_s};
            if (vm.powerState != PowerState::Running)
                return {OperationResult::Status::Invalid, u"the VM is not running"_s};
            if (const QDateTime wait =
                    takeTokens(budget(m_vmStart, vm.resourceKey, m_config.budgets.vmStarts),
                               budget(m_subWrite, vm.subscriptionId.toLower(),
                                      m_config.budgets.subscriptionWrites));
                wait.isValid())
                return {OperationResult::Status::Conflict,
                        u"no ARM budget before "_s + wait.toString(Qt::ISODate)};
            const QString call = restartCallOf(vm);
            EventRecord attempt =
                vmEvent(vmId, EventKind::RestartAttempt, u"engine"_s, call + u": "_s + why);
            attempt.eventType = u"app_restart"_s;
            attempt.eventStatus = u"requested"_s; // what the watch counts per hour
            m_store.appendEvent(attempt);
            m_cloud.restart(vm, [alive = m_alive, this, vmId, call](const CallResult &result) {
                if (!*alive)
                    return;
                EventRecord answer = vmEvent(
                    vmId, EventKind::RestartAttempt, u"engine"_s,
                    result.ok() ? QString(call + u" accepted"_s)
                                : QString(call + u" failed: "_s + toString(result.failure) + u' '
                                          + result.errorCode + u' ' + result.errorMessage));
                answer.eventType = u"app_restart"_s;
                answer.eventStatus = result.ok() ? u"accepted"_s : u"failed"_s;
                answer.httpStatus = result.httpStatus;
                answer.armErrorCode = result.errorCode;
                answer.correlationId = result.correlationId;
                m_store.appendEvent(answer);
            });
            return {OperationResult::Status::Ok, u"restart requested: "_s + why};
        });
}

} // namespace spotkeeper::core
