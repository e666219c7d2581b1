// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine: a managed VM went down with no notice. Eviction or somebody's decision?
// The cloud's own record (Azure: the Activity Log) decides; docs/ENGINE.md has the table.
#include "base/clock.h"
#include "engine/restartengine.h"
#include "fleet/eventtypes.h"
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
    watch.subscriptionId = vm->subscriptionId;
    m_watches.insert(vmId, watch);
    reschedule();
    return true;
}

std::optional<VmRecord> RestartEngine::watchedVm(qint64 vmId)
{
    auto it = m_watches.find(vmId);
    if (it == m_watches.end() || it->inFlight)
        return std::nullopt;
    std::optional<VmRecord> vm = m_store.vm(vmId);
    QString why;
    if (!vm || m_jobs.contains(vmId) || !mayRestart(*vm, &why)) {
        m_watches.erase(it); // a notice, an operator or a job got there first
        return std::nullopt;
    }
    if (it->reads > 0 && now() >= it->deadline) {
        concludeUnproven(vmId);
        return std::nullopt;
    }
    return vm;
}

void RestartEngine::processWatches(const QList<qint64> &due)
{
    // Watches of one subscription share one Activity Log listing when there are enough of
    // them (a storm): kEvidenceTogetherFrom or more waiting, due or not — a watch not due yet
    // rides along, as the same pages answer it. Below that, one query per VM is cheaper (a
    // listing returns every Compute record of the window, not just theirs).
    constexpr qsizetype kEvidenceTogetherFrom = 3;
    QHash<QString, QList<qint64>> bySubscription;
    for (qint64 vmId : due) {
        const auto it = m_watches.constFind(vmId);
        if (it != m_watches.cend() && !it->inFlight)
            bySubscription[it->alone ? QString() : it->subscriptionId.toLower()].append(vmId);
    }
    for (auto group = bySubscription.cbegin(); group != bySubscription.cend(); ++group) {
        QList<qint64> ids = group.value();
        if (!group.key().isEmpty()) {
            QList<qint64> riders;
            for (auto it = m_watches.cbegin(); it != m_watches.cend(); ++it) {
                if (!it->inFlight && !it->alone && !ids.contains(it.key())
                    && it->subscriptionId.compare(group.key(), Qt::CaseInsensitive) == 0)
                    riders.append(it.key());
            }
            if (ids.size() + riders.size() >= kEvidenceTogetherFrom)
                ids += riders;
        }
        QList<VmRecord> vms;
        for (qint64 vmId : std::as_const(ids)) {
            if (auto vm = watchedVm(vmId))
                vms.append(*vm);
        }
        if (!group.key().isEmpty() && vms.size() >= kEvidenceTogetherFrom) {
            readEvidenceTogether(vms.constFirst().subscriptionId, vms);
            continue;
        }
        for (const VmRecord &vm : std::as_const(vms))
            readEvidenceAlone(vm);
    }
}

void RestartEngine::readEvidenceAlone(const VmRecord &vm)
{
    // One read per evidencePollMs; the ARM request queue paces it against the subscription's
    // read budget (behind the engine's own reads: Priority::Background).
    EvidenceWatch &watch = m_watches[vm.id];
    watch.inFlight = true;
    ++watch.reads;
    m_cloud.evictionEvidence(vm, watch.since,
                             [alive = m_alive, this, vmId = vm.id](EvidenceResult result) {
                                 if (*alive)
                                     handleWatchResult(vmId, result);
                             });
}

void RestartEngine::readEvidenceTogether(const QString &subscriptionId, const QList<VmRecord> &vms)
{
    QDateTime since;
    QList<QPair<qint64, QString>> keys;
    for (const VmRecord &vm : vms) {
        EvidenceWatch &watch = m_watches[vm.id];
        watch.inFlight = true;
        ++watch.reads;
        if (!since.isValid() || watch.since < since)
            since = watch.since;
        keys.append({vm.id, vm.resourceKey});
    }
    m_cloud.evictionEvidenceForVms(
        subscriptionId, vms, since,
        [alive = m_alive, this, keys](const FleetEvidenceResult &fleet) {
            if (!*alive)
                return;
            for (const auto &[vmId, key] : keys) {
                auto it = m_watches.find(vmId);
                if (it == m_watches.end())
                    continue;
                EvidenceResult result;
                const auto found = fleet.byVm.constFind(key);
                // The listing reaches back to the oldest watch: an entry before this VM's own
                // window is an older story (last week's deallocation), not this one.
                if (fleet.call.ok() && found != fleet.byVm.cend()
                    && (!found->at.isValid() || found->at >= it->since))
                    result = *found;
                else if (fleet.call.ok() && !fleet.complete)
                    it->alone = true; // the bound cut the listing short: ask for this VM alone
                result.call = fleet.call;
                handleWatchResult(vmId, result);
            }
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
    if (watch.observed == PowerState::Stopped || watch.observed == PowerState::Stopping) {
        // Not a deallocation: a Spot eviction deallocates or deletes, it never leaves a VM
        // powered off and allocated. Someone (or the guest OS) shut it down: leave it.
        m_store.appendEvent(vmEvent(vmId, EventKind::PowerChange, u"engine"_s,
                                    u"running -> stopped with no notice; no Activity Log "
                                    "evidence within "_s
                                        + waited
                                        + u"; left stopped (an eviction deallocates or deletes a "
                                          "VM, it never powers it off)"_s));
        return;
    }
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
    event.eventType = eventtype::kStoppedOnPurpose.toString();
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
    noteDeliberateStop(vm);
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
