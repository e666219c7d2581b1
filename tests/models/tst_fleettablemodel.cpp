// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// FleetTableModel's refresh reads: a vmChanged re-reads the VM only, a jobChanged (or a new
// row) also the active job; so 1,000 power-state changes a second cost one query each.
#include "models/fleettablemodel.h"
#include "models/localfleetsource.h"
#include "support/base/manualclock.h"
#include "support/gui/guitestsupport.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

class TestFleetTableModel : public QObject
{
    Q_OBJECT
private:
    // The row shows the problem state `health` (its text, the problem flag, a tooltip naming
    // `why`), counted once, with its key.
    static void verifyProblemRow(const FleetTableModel &model, int row, Health health,
                                 const QString &why, const QString &key)
    {
        QCOMPARE(model.rowAt(row)->health, health);
        QCOMPARE(model.index(row, FleetTableModel::Status).data().toString(), healthText(health));
        QVERIFY(
            model.index(row, FleetTableModel::Name).data(FleetTableModel::ProblemRole).toBool());
        QVERIFY(model.index(row, FleetTableModel::Status)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(why));
        QCOMPARE(model.healthCounts().at(static_cast<std::size_t>(health)), 1);
        QCOMPARE(healthKey(health), key);
    }

private Q_SLOTS:
    void jobIsReReadOnlyWhenAnnounced()
    {
        testsupport::ManualClock clock;
        auto store = test::openStore(QStringLiteral(":memory:"), &clock);
        test::seedDemoFleet(*store, clock.nowUtc(), {24, 0, 7});
        LocalFleetSource source(*store, nullptr, clock);
        FleetTableModel model(source, clock);

        // A VM without an active job gets one behind the model's back.
        qint64 vmId = 0;
        for (const core::VmRecord &vm : store->vms()) {
            if (!store->activeJob(vm.id)) {
                vmId = vm.id;
                break;
            }
        }
        QVERIFY(vmId > 0);
        const int row = model.rowOfVm(vmId);
        QVERIFY(row >= 0);
        QVERIFY(!model.rowAt(row)->job);
        core::JobRecord job;
        job.vmId = vmId;
        job.state = core::JobState::BackingOff;
        job.attempt = 3;
        job.nextAttemptAt = clock.nowUtc().addSecs(60);
        bool created = false;
        QVERIFY(store->createJob(job, &created));
        QVERIFY(created);
        QVERIFY(store->setPowerState(vmId, core::PowerState::Deallocated, clock.nowUtc()));

        // vmChanged: the VM row is fresh, the job is not re-read (no jobChanged was sent).
        source.notifyVmChanged(vmId);
        model.flushPendingChanges();
        QVERIFY(model.rowAt(row)->vm.powerState == core::PowerState::Deallocated);
        QVERIFY(!model.rowAt(row)->job);

        // jobChanged: now the job is read.
        source.notifyJobChanged(vmId);
        QCOMPARE(model.pendingChangeCount(), 1);
        model.flushPendingChanges();
        QVERIFY(model.rowAt(row)->job);
        QCOMPARE(model.rowAt(row)->job->attempt, 3);
        QCOMPARE(model.index(row, FleetTableModel::Attempt).data().toInt(), 3);

        // A VM the model has not seen yet comes with its job, whatever the signal.
        core::VmRecord fresh;
        fresh.resourceKey = QStringLiteral("/subscriptions/s/resourcegroups/rg/providers/"
                                           "microsoft.compute/virtualmachines/late");
        fresh.name = QStringLiteral("late");
        const qint64 lateId = store->upsertVm(fresh);
        QVERIFY(lateId > 0);
        job.vmId = lateId;
        QVERIFY(store->createJob(job, &created));
        source.notifyVmChanged(lateId);
        model.flushPendingChanges();
        const int lateRow = model.rowOfVm(lateId);
        QVERIFY(lateRow >= 0);
        QVERIFY(model.rowAt(lateRow)->job);

        // A job announced for a VM that is gone leaves nothing pending behind.
        source.notifyJobChanged(987654);
        model.flushPendingChanges();
        QCOMPARE(model.pendingChangeCount(), 0);
        QCOMPARE(model.rowOfVm(987654), -1);
    }

    // Issue 17: a running VM whose agent is silent shows "Agent silent" (a problem, counted in
    // the summary); a deallocated VM with the same stale flag does not; the first heartbeat
    // after the flag shows it running again.
    void silentAgentIsItsOwnHealth()
    {
        testsupport::ManualClock clock;
        auto store = test::openStore(QStringLiteral(":memory:"), &clock);
        core::VmRecord vm;
        vm.resourceKey = QStringLiteral("/subscriptions/s/resourcegroups/rg/providers/"
                                        "microsoft.compute/virtualmachines/web-1");
        vm.name = QStringLiteral("web-1");
        vm.powerState = core::PowerState::Running;
        const qint64 vmId = store->upsertVm(vm);
        QVERIFY(
            store->recordHeartbeat(vm.resourceKey, {}, clock.nowUtc(), QStringLiteral("1.0"), {}));
        clock.advanceMSecs(180'000);
        LocalFleetSource source(*store, nullptr, clock);
        FleetTableModel model(source, clock);
        const int row = model.rowOfVm(vmId);
        QVERIFY(row >= 0);
        QCOMPARE(model.rowAt(row)->health, Health::Healthy);

        core::EventRecord alert;
        alert.kind = core::EventKind::Alert;
        alert.eventType = QStringLiteral("agent_silent");
        QVERIFY(store->setAgentSilent(vmId, clock.nowUtc(), alert));
        source.notifyVmChanged(vmId);
        model.flushPendingChanges();
        verifyProblemRow(model, row, Health::AgentSilent, QStringLiteral("agent"),
                         QStringLiteral("agent_silent"));

        // Deallocated (evicted): its agent is expected to be quiet, whatever the flag says.
        QVERIFY(store->setPowerState(vmId, core::PowerState::Deallocated, clock.nowUtc()));
        source.notifyVmChanged(vmId);
        model.flushPendingChanges();
        QCOMPARE(model.rowAt(row)->health, Health::Evicted);
        QCOMPARE(model.healthCounts().at(static_cast<std::size_t>(Health::AgentSilent)), 0);

        // Running again and a heartbeat after the flag: running, before the watch clears it.
        QVERIFY(store->setPowerState(vmId, core::PowerState::Running, clock.nowUtc()));
        clock.advanceMSecs(1000);
        QVERIFY(
            store->recordHeartbeat(vm.resourceKey, {}, clock.nowUtc(), QStringLiteral("1.0"), {}));
        source.notifyVmChanged(vmId);
        model.flushPendingChanges();
        QVERIFY(model.rowAt(row)->health != Health::AgentSilent);
    }

    // Issue 17: a running VM whose application's health probe fails shows "App unhealthy" (a
    // problem, with the probe's detail in the tooltip); healthy again shows it running.
    void unhealthyApplicationIsItsOwnHealth()
    {
        testsupport::ManualClock clock;
        auto store = test::openStore(QStringLiteral(":memory:"), &clock);
        core::VmRecord vm;
        vm.resourceKey = QStringLiteral("/subscriptions/s/resourcegroups/rg/providers/"
                                        "microsoft.compute/virtualmachines/web-1");
        vm.name = QStringLiteral("web-1");
        vm.powerState = core::PowerState::Running;
        const qint64 vmId = store->upsertVm(vm);
        const auto beat = [&](core::AppHealth health, const QString &detail) {
            core::HeartbeatUpdate update;
            update.vmResourceKey = vm.resourceKey;
            update.at = clock.nowUtc();
            update.agentVersion = QStringLiteral("1.0");
            update.appHealth = health;
            update.appProbe = QStringLiteral("http");
            update.appLatencyMs = 12;
            update.appHealthDetail = detail;
            return store->recordHeartbeats({update});
        };
        QVERIFY(beat(core::AppHealth::Unhealthy, QStringLiteral("HTTP 503, expected 2xx")));
        LocalFleetSource source(*store, nullptr, clock);
        FleetTableModel model(source, clock);
        const int row = model.rowOfVm(vmId);
        QVERIFY(row >= 0);
        verifyProblemRow(model, row, Health::AppUnhealthy, QStringLiteral("HTTP 503"),
                         QStringLiteral("app_unhealthy"));

        clock.advanceMSecs(1000);
        QVERIFY(beat(core::AppHealth::Healthy, QStringLiteral("HTTP 200")));
        source.notifyVmChanged(vmId);
        model.flushPendingChanges();
        QCOMPARE(model.rowAt(row)->health, Health::Healthy);
    }
};

QTEST_MAIN(TestFleetTableModel)
#include "tst_fleettablemodel.moc"
