// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine: a managed VM went down with no notice. Eviction or somebody's decision?
// The cloud's own record (Azure: the Activity Log) decides; docs/ENGINE.md has the table.
#include "clock.h"
#include "restartengine.h"
#include "store/store.h"

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

bool RestartEngine::handleUnreportedDeallocation(qint64 vmId, PowerState observed,
                                                 const QDateTime &lastSeenUp)
{
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    QString why;
    if (!vm || m_jobs.contains(vmId) || m_watches.contains(vmId) || !mayRestart(*vm, &why))
        return false;
    const QDateTime at = now();
    EvidenceWatch watch;
    const QDateTime seen = lastSeenUp.isValid() ? lastSeenUp : at;
    watch.since = seen.addMSecs(-m_config.evidenceLookBackMs);
    watch.deadline = at.addMSecs(m_config.evidenceWaitMs);
    watch.dueAt = at;
    watch.observed = observed;
    m_watches.insert(vmId, watch);
    reschedule();
    return true;
}

void RestartEngine::processWatch(qint64 vmId)
{
    auto it = m_watches.find(vmId);
    if (it == m_watches.end() || it->inFlight)
        return;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    QString why;
    if (!vm || m_jobs.contains(vmId) || !mayRestart(*vm, &why)) {
        m_watches.erase(it); // a notice, an operator or a job got there first
        return;
    }
    const QDateTime at = now();
    if (it->reads > 0 && at >= it->deadline) {
        concludeUnproven(vmId);
        return;
    }
    // One read per evidencePollMs; the ARM request queue paces it against the subscription's
    // read budget (behind the engine's own reads: Priority::Background).
    it->inFlight = true;
    ++it->reads;
    m_cloud.evictionEvidence(*vm, it->since, [alive = m_alive, this, vmId](EvidenceResult result) {
        if (*alive)
            handleWatchResult(vmId, result);
    });
}

void RestartEngine::handleWatchResult(qint64 vmId, const EvidenceResult &result)
{
    auto it = m_watches.find(vmId);
    if (it == m_watches.end())
        return;
    it->inFlight = false;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    QString why;
    if (!vm || m_jobs.contains(vmId) || !mayRestart(*vm, &why)) {
        m_watches.erase(it);
        reschedule();
        return;
    }
    const bool decided = result.call.ok() && result.kind != EvidenceKind::None;
    if (!decided) {
        // Nothing recorded yet (the log lags) or the read failed: look again, up to the deadline.
        const QDateTime at = now();
        QDateTime due = at.addMSecs(m_config.evidencePollMs);
        if (result.call.retryAfter.isValid() && result.call.retryAfter > due)
            due = result.call.retryAfter;
        if (at >= it->deadline)
            due = at;
        else if (due > it->deadline)
            due = it->deadline;
        it->dueAt = due;
        reschedule();
        return;
    }
    const PowerState observed = it->observed;
    m_watches.erase(it);
    if (result.kind == EvidenceKind::Deliberate) {
        const QString by = result.caller.isEmpty() ? u"an unknown caller"_s : result.caller;
        markStoppedOnPurpose(*vm, by, result.operation, u"reconciler"_s, result.evidence);
    } else if (handleUnreportedEviction(vmId, observed)) {
        recordEvictionEvidence(vmId, u"reconciler"_s,
                               u"running -> deallocated with no notice; Activity Log confirms an "
                               "eviction"_s,
                               result.evidence);
    }
    reschedule();
}

void RestartEngine::concludeUnproven(qint64 vmId)
{
    const EvidenceWatch watch = m_watches.take(vmId);
    const QString waited = QString::number(m_config.evidenceWaitMs / 1000) + u" s"_s;
    if (m_config.restartUnproven) {
        if (handleUnreportedEviction(vmId, watch.observed))
            recordEvictionEvidence(vmId, u"reconciler"_s,
                                   u"running -> deallocated with no notice; no Activity Log "
                                   "evidence found within "_s
                                       + waited + u" (unproven_deallocation=restart)"_s,
                                   {});
        return;
    }
    m_store.appendEvent(vmEvent(vmId, EventKind::PowerChange, u"engine"_s,
                                u"running -> deallocated with no notice; no Activity Log "
                                "evidence within "_s
                                    + waited
                                    + u"; left deallocated (unproven_deallocation=leave)"_s));
}

void RestartEngine::markStoppedOnPurpose(const VmRecord &vm, const QString &by,
                                         const QString &operation, const QString &source,
                                         const QString &evidence)
{
    const QDateTime at = now();
    if (!m_store.setStoppedOnPurpose(vm.id, by, operation, at)) {
        Q_EMIT storeFailed(u"cannot record that the VM was stopped on purpose: "_s
                           + m_store.lastError().message);
        return;
    }
    m_watches.remove(vm.id);
    m_probes.remove(vm.id);
    EventRecord event = vmEvent(vm.id, EventKind::PowerChange, source,
                                u"Stopped on purpose by "_s + by + u" ("_s + operation
                                    + u"); desired state is now stopped, not restarted"_s);
    event.evidence = evidence;
    m_store.appendEvent(event);
    if (source != u"operator"_s) { // an operator's own action writes its audit row itself
        AuditRecord record;
        record.at = at;
        record.actor = source;
        record.action = u"stopped_on_purpose"_s;
        record.target = vm.resourceKey;
        record.detail = u"by "_s + by + u" ("_s + operation + u')'
            + (evidence.isEmpty() ? QString() : u"; "_s + evidence);
        if (m_store.appendAudit(record) <= 0)
            Q_EMIT storeFailed(u"cannot write the audit row for stopped_on_purpose"_s);
    }
    Q_EMIT stoppedOnPurpose(vm.id, by, operation);
}

EventRecord RestartEngine::vmEvent(qint64 vmId, EventKind kind, const QString &source,
                                   const QString &message) const
{
    EventRecord event;
    event.vmId = vmId;
    event.kind = kind;
    event.at = now();
    event.source = source;
    event.message = message;
    return event;
}

} // namespace spotkeeper::core
