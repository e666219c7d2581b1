// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// FleetTableModel's refresh reads: a vmChanged re-reads the VM only, a jobChanged (or a new
// row) also the active job; so 1,000 power-state changes a second cost one query each.
#include "fleet/clock.h"
#include "models/fleettablemodel.h"
#include "models/localfleetsource.h"
#include "support/gui/guitestsupport.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

class TestFleetTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jobIsReReadOnlyWhenAnnounced()
    {
        core::ManualClock clock;
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
};

QTEST_MAIN(TestFleetTableModel)
#include "tst_fleettablemodel.moc"
