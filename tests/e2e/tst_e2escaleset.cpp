// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end 5: uniform scale set instances. The simulator's fleet is two standalone VMs and
// eight instances of the Spot scale set vmss-spot (auto-restart tag on the scale set): two
// instances with simulated agents, one with a real spotkeeper-agent process (it reports the
// instance's .../virtualMachineScaleSets/vmss-spot/virtualMachines/2 id from IMDS), five with
// no agent, which only the reconciler's scale set listing can find. Every VM is evicted with
// notice; every one must end running, with no start on a running VM, no two starts in flight
// and no job left for an operator.
#include "support/e2e/e2echecks.h"

#include <QJsonDocument>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eScaleSet : public QObject
{
    Q_OBJECT

private slots:
    void evictedInstancesEndRunning()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 10;
        constexpr int kInstances = 8;
        constexpr int kSimAgents = 4; // vm-0001, vm-0002, vmss-spot_0, vmss-spot_1
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, kSimAgents, 10,
                              {u"--scale-set-instances"_s, QString::number(kInstances)}, &error),
                 qPrintable(error));
        QVERIFY2(rig.startDaemon(&error, 10), qPrintable(error));
        const QString scaleSetId =
            u"/subscriptions/%1/resourceGroups/sim-rg/providers/"
            "Microsoft.Compute/virtualMachineScaleSets/vmss-spot"_s.arg(rig.subscription());
        QVERIFY2(rig.startRealAgent(u"vmss-spot_2"_s, &error, scaleSetId + u"/virtualMachines/2"_s),
                 qPrintable(error));
        // The reconciler's first sweep learns the scale set's instances and their opt-in tag.
        const bool learned = E2eRig::waitFor(
            [&] {
                auto store = rig.openStore();
                if (!store)
                    return false;
                int tagged = 0;
                const QList<core::VmRecord> vms = store->vms();
                for (const core::VmRecord &vm : vms)
                    tagged += vm.resourceKey.startsWith(scaleSetId.toLower())
                        && vm.managedBy != core::ManagedBy::None;
                return tagged == kInstances;
            },
            60'000);
        QVERIFY2(learned, qPrintable(rig.daemonLog().right(1500)));
        QTest::qWait(2000); // the real agent: first IMDS poll and heartbeat

        QJsonArray names {u"vm-0001"_s, u"vm-0002"_s};
        for (int i = 0; i < kInstances; ++i)
            names.append(u"vmss-spot_%1"_s.arg(i));
        const QJsonObject evicted =
            rig.control("evict", QJsonDocument(QJsonObject {{u"vms"_s, names}}).toJson());
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), kFleet);

        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == kFleet && runningVms(s) == kFleet;
            },
            150'000);
        const QJsonObject state = rig.state();
        QVERIFY2(recovered,
                 qPrintable(u"running %1 of %2; daemon log tail: %3"_s.arg(runningVms(state))
                                .arg(kFleet)
                                .arg(rig.daemonLog().right(2000))));
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        QCOMPARE(counter(state, "doubleStarts"), 0);
        QVERIFY(counter(state, "startsSucceeded") >= kFleet);
        qInfo("scale set start calls: %lld for %lld instances", counter(state, "scaleSetStarts"),
              counter(state, "scaleSetStartInstances"));

        auto store = rig.openStore();
        QVERIFY(store);
        // The real agent's notice is filed under the instance's own id (the reconciler found
        // the instance first, so it stays managed by the scale set's tag).
        const auto real = store->vmByKey((scaleSetId + u"/virtualMachines/2"_s).toLower());
        QVERIFY(real);
        QVERIFY(real->managedBy != core::ManagedBy::None);
        QCOMPARE(real->name, u"vmss-spot_2"_s);
        core::EventFilter notices;
        notices.vmId = real->id;
        notices.kinds = {core::EventKind::Notice};
        QVERIFY2(!store->events(notices).isEmpty(), "the real agent's notice is not stored");
        const QSet<QString> acked = acknowledgedNoticeIds(rig.records());
        QCOMPARE(acked.size(), kSimAgents);
        const QSet<QString> stored = storedNoticeIds(*store);
        for (const QString &id : acked)
            QVERIFY2(stored.contains(id), qPrintable(u"acknowledged notice lost: "_s + id));
        QVERIFY(stored.size() >= kSimAgents + 1);
        // No instance was handed to an operator (the old parser made every one needs_operator).
        const QList<core::VmRecord> vms = store->vms();
        for (const core::VmRecord &vm : vms) {
            const QList<core::JobRecord> jobs = store->jobs(vm.id, 20);
            for (const core::JobRecord &job : jobs)
                QVERIFY2(job.state != core::JobState::NeedsOperator,
                         qPrintable(vm.resourceId + u": "_s + job.reason));
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eScaleSet)
#include "tst_e2escaleset.moc"
