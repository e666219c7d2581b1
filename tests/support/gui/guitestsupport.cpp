// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/gui/guitestsupport.h"

#include <QRandomGenerator>

#include <algorithm>

namespace spotkeeper::gui::test {

std::unique_ptr<core::Store> openStore(const QString &path, base::Clock *clock)
{
    core::StoreOptions options;
    options.path = path;
    options.clock = clock;
    core::StoreError error;
    auto store = core::Store::open(options, &error);
    if (!store)
        qFatal("cannot open store %s: %s", qPrintable(path), qPrintable(error.message));
    return store;
}

void seedDemoFleet(core::Store &store, const QDateTime &now, const DemoOptions &options)
{
    QRandomGenerator rng(options.seed);
    const QStringList regions = {QStringLiteral("eastus"), QStringLiteral("westeurope"),
                                 QStringLiteral("northeurope"), QStringLiteral("westus2")};
    const QStringList groups = {QStringLiteral("rg-batch"), QStringLiteral("rg-render"),
                                QStringLiteral("rg-ci-runners"), QStringLiteral("rg-ml-train")};
    const QStringList sizes = {QStringLiteral("Standard_D4s_v5"), QStringLiteral("Standard_F8s_v2"),
                               QStringLiteral("Standard_NC6s_v3"),
                               QStringLiteral("Standard_E8as_v5")};
    const QString sub = QStringLiteral("6f1c2a4e-3b7d-4c1a-9e2f-8d5b0a7c4e21");
    const QStringList prefixes = {QStringLiteral("batch"), QStringLiteral("render"),
                                  QStringLiteral("runner"), QStringLiteral("train")};
    for (int i = 0; i < options.vms; ++i) {
        const int g = i % groups.size();
        core::VmRecord vm;
        vm.subscriptionId = sub;
        vm.resourceGroup = groups.at(g);
        vm.name = QStringLiteral("%1-%2").arg(prefixes.at(g)).arg(i + 1, 3, 10, QLatin1Char('0'));
        vm.resourceId = QStringLiteral("/subscriptions/%1/resourceGroups/%2/providers/"
                                       "Microsoft.Compute/virtualMachines/%3")
                            .arg(sub, vm.resourceGroup, vm.name);
        vm.resourceKey = vm.resourceId.toLower();
        vm.location = regions.at((i / 3) % regions.size());
        vm.zone = QString::number(1 + i % 3);
        vm.size = sizes.at(g);
        vm.priority = QStringLiteral("Spot");
        vm.evictionPolicy = QStringLiteral("Deallocate");
        vm.managedBy = core::ManagedBy::Agent;
        vm.powerState = core::PowerState::Running;
        vm.powerStateAt = now.addSecs(-3600);
        vm.agentLastSeen = now.addSecs(-int(rng.bounded(90)));
        vm.agentVersion = QStringLiteral("0.1.0");
        vm.createdAt = now.addDays(-40);
        const int kind = i % 12; // the fleet's shape: most run, some are in trouble
        if (kind == 3 || kind == 7)
            vm.powerState = core::PowerState::Deallocated;
        if (kind == 11)
            vm.autoRestart = false;
        vm.id = store.upsertVm(vm);

        // History over 30 days, appended oldest first (ids follow time, as in production):
        // evictions, each followed by a recovered job, and agent notices/heartbeats.
        QList<core::EventRecord> history;
        const int evictions = int(rng.bounded(4)) + (kind == 3 || kind == 7 ? 1 : 0);
        for (int e = 0; e < evictions; ++e) {
            core::EventRecord ev;
            ev.vmId = vm.id;
            ev.kind = core::EventKind::Eviction;
            ev.at = now.addSecs(-qint64(rng.bounded(30 * 24 * 3600)));
            ev.source = QStringLiteral("agent");
            ev.eventType = QStringLiteral("Preempt");
            ev.message = QStringLiteral("Spot eviction (Preempt)");
            history.append(ev);
        }
        for (int n = 0; n < options.eventsPerVm; ++n) {
            core::EventRecord ev;
            ev.vmId = vm.id;
            ev.kind = n % 3 == 0 ? core::EventKind::Notice : core::EventKind::Heartbeat;
            ev.at = now.addSecs(-qint64(rng.bounded(30 * 24 * 3600)));
            ev.source = QStringLiteral("agent");
            ev.eventType = n % 3 == 0 ? QStringLiteral("Freeze") : QString();
            ev.eventStatus = n % 3 == 0 ? QStringLiteral("Scheduled") : QString();
            ev.message = n % 3 == 0 ? QStringLiteral("Scheduled event Freeze")
                                    : QStringLiteral("Agent poll ok");
            history.append(ev);
        }
        std::sort(
            history.begin(), history.end(),
            [](const core::EventRecord &a, const core::EventRecord &b) { return a.at < b.at; });
        for (const core::EventRecord &ev : std::as_const(history)) {
            store.appendEvent(ev);
            if (ev.kind != core::EventKind::Eviction)
                continue;
            core::JobRecord job;
            job.vmId = vm.id;
            job.trigger = QStringLiteral("notice");
            job.evictedAt = ev.at;
            job.createdAt = ev.at;
            bool created = false;
            auto saved = store.createJob(job, &created);
            if (saved) {
                saved->state = core::JobState::Running;
                saved->attempt = 1 + int(rng.bounded(3));
                saved->finishedAt = ev.at.addSecs(60 + qint64(rng.bounded(3 * 3600)));
                saved->updatedAt = saved->finishedAt;
                store.saveJob(*saved);
            }
        }
        if (kind != 3 && kind != 7 && kind != 5)
            continue;
        // An active job for the VMs in trouble right now.
        core::EventRecord ev;
        ev.vmId = vm.id;
        ev.kind = core::EventKind::Eviction;
        ev.at = now.addSecs(-120 - 60 * i);
        ev.source = QStringLiteral("agent");
        ev.eventType = QStringLiteral("Preempt");
        ev.message = QStringLiteral("Spot eviction (Preempt)");
        store.appendEvent(ev);
        core::JobRecord job;
        job.vmId = vm.id;
        job.trigger = QStringLiteral("notice");
        job.evictedAt = ev.at;
        job.createdAt = ev.at;
        bool created = false;
        auto saved = store.createJob(job, &created);
        if (!saved)
            continue;
        saved->updatedAt = now.addSecs(-30);
        if (kind == 3) {
            saved->state = core::JobState::BackingOff;
            saved->attempt = 2 + i % 3;
            saved->nextAttemptAt = now.addSecs(45 + i);
            saved->lastErrorCode = QStringLiteral("ZonalAllocationFailed");
            saved->lastErrorMessage = QStringLiteral("Allocation failed in zone");
            core::EventRecord attempt;
            attempt.vmId = vm.id;
            attempt.kind = core::EventKind::RestartAttempt;
            attempt.at = now.addSecs(-30);
            attempt.source = QStringLiteral("engine");
            attempt.httpStatus = 409;
            attempt.armErrorCode = saved->lastErrorCode;
            attempt.correlationId =
                QStringLiteral("5c7e9a1b-2d3f-4e5a-8b6c-%1").arg(i, 12, 10, QLatin1Char('0'));
            attempt.message = QStringLiteral("start failed: capacity");
            store.saveJob(*saved, &attempt);
        } else if (kind == 7) {
            saved->state =
                i % 2 ? core::JobState::NeedsOperator : core::JobState::WaitingForDeallocation;
            saved->attempt = i % 2 ? 6 : 0;
            saved->reason =
                i % 2 ? QStringLiteral("SpotPriceGreaterThanProvidedMaxPrice") : QString();
            saved->lastErrorCode =
                i % 2 ? QStringLiteral("SpotPriceGreaterThanProvidedMaxPrice") : QString();
            store.saveJob(*saved);
        } else {
            saved->state = core::JobState::Starting;
            saved->attempt = 1;
            store.saveJob(*saved);
        }
    }
}

core::OperationResult RecordingOperations::record(const QString &op, qint64 vmId,
                                                  const QString &actor, const QString &target)
{
    calls.append(Call {op, vmId, actor});
    if (vmId == failVmId)
        return {core::OperationResult::Status::NotFound, QStringLiteral("no such VM")};
    m_store.appendAudit(core::AuditRecord {0, m_now, actor, op, target, QString()});
    return {};
}

core::OperationResult RecordingOperations::forceRestart(qint64 vmId, const QString &actor)
{
    return record(QStringLiteral("force_restart"), vmId, actor, QString::number(vmId));
}

core::OperationResult RecordingOperations::pauseAutoRestart(qint64 vmId, const QString &actor)
{
    m_store.setAutoRestart(vmId, false);
    return record(QStringLiteral("pause"), vmId, actor, QString::number(vmId));
}

core::OperationResult RecordingOperations::resumeAutoRestart(qint64 vmId, const QString &actor)
{
    m_store.setAutoRestart(vmId, true);
    return record(QStringLiteral("resume"), vmId, actor, QString::number(vmId));
}

core::OperationResult RecordingOperations::cancelJob(qint64 vmId, const QString &actor)
{
    return record(QStringLiteral("cancel"), vmId, actor, QString::number(vmId));
}

core::OperationResult RecordingOperations::stopOnPurpose(qint64 vmId, const QString &actor)
{
    m_store.setStoppedOnPurpose(vmId, actor, QStringLiteral("stop on purpose (deallocate)"), m_now);
    return record(QStringLiteral("stop_on_purpose"), vmId, actor, QString::number(vmId));
}

core::OperationResult RecordingOperations::startVm(qint64 vmId, const QString &actor)
{
    m_store.setDesiredState(vmId, core::DesiredState::Running);
    return record(QStringLiteral("start"), vmId, actor, QString::number(vmId));
}

core::OperationResult RecordingOperations::addVm(const QString &resourceId, const QString &actor)
{
    return record(QStringLiteral("add_vm"), 0, actor, resourceId);
}

} // namespace spotkeeper::gui::test
