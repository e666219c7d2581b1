// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end (issue 12.1): VMs a user deallocates through ARM stay stopped (the Activity Log
// names the caller, even when it lags), VMs the platform evicts without a notice are
// restarted, and spotkeeperd's own "vm stop" / "vm start" deallocate and restart a VM. VMs a
// user powers off (stopped, still allocated) stay stopped too.
#include "support/e2e/e2echecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

namespace {

QString vmName(int i)
{
    return u"vm-"_s + QString::number(i).rightJustified(4, u'0');
}

// The reconciler has seen every VM of the fleet tagged and running.
bool fleetIsManagedAndRunning(E2eRig &rig, int fleet)
{
    auto store = rig.openStore();
    if (!store || store->vms().size() < fleet)
        return false;
    for (const core::VmRecord &vm : store->vms()) {
        if (vm.managedBy != core::ManagedBy::Tag || vm.powerState != core::PowerState::Running)
            return false;
    }
    return true;
}

// Power them off (or deallocate them) as `caller` through the simulator's control API.
QJsonObject stopAsUser(E2eRig &rig, const char *how, const QStringList &vms, const QString &caller,
                       int logDelaySeconds)
{
    return rig.control(how,
                       QJsonDocument(QJsonObject {{u"vms"_s, QJsonArray::fromStringList(vms)},
                                                  {u"caller"_s, caller},
                                                  {u"logDelaySeconds"_s, logDelaySeconds}})
                           .toJson(QJsonDocument::Compact));
}

int stoppedBy(E2eRig &rig, const QString &caller)
{
    auto store = rig.openStore();
    int n = 0;
    for (const core::VmRecord &vm : store->vms())
        n += vm.stoppedBy == caller ? 1 : 0;
    return n;
}

// The stopped_on_purpose audit rows; each must name the caller and the operation.
int stoppedOnPurposeRows(core::Store &store, const QString &caller, QLatin1StringView operation)
{
    int rows = 0;
    for (const core::AuditRecord &a :
         store.audit(QDateTime::currentDateTimeUtc().addDays(-1),
                     QDateTime::currentDateTimeUtc().addDays(1), 1000)) {
        if (a.action == "stopped_on_purpose"_L1) {
            ++rows;
            if (!a.detail.contains(caller) || !a.detail.contains(operation))
                return -1;
        }
    }
    return rows;
}

} // namespace

class TestE2eDeliberate : public QObject
{
    Q_OBJECT

private slots:
    void userStopsStayStoppedEvictionsRestart()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 10;
        E2eRig rig;
        QString error;
        // Speed 10: the log delay below (simulated) is 2.5 s of wall time per 25 s.
        QVERIFY2(rig.startSim(kFleet, 0, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error, 10), qPrintable(error));
        QVERIFY(E2eRig::waitFor([&] { return fleetIsManagedAndRunning(rig, kFleet); }, 60'000));

        // Five VMs deallocated by a user (the Activity Log shows it 200 simulated s later,
        // after the reconciler has seen them down), two evicted with no notice at all.
        QStringList users;
        for (int i = 1; i <= 5; ++i)
            users << vmName(i);
        const QJsonObject stopped =
            stopAsUser(rig, "deallocate", users, u"alice@contoso.com"_s, 200);
        QCOMPARE(stopped.value("deallocated"_L1).toArray().size(), 5);
        const QJsonObject lost = rig.control("agent-loss", R"({"vms":["vm-0006","vm-0007"]})");
        QCOMPARE(lost.value("evicted"_L1).toArray().size(), 2);

        const bool evictedBack = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return powerOf(s, vmName(6)) == "running"_L1
                    && powerOf(s, vmName(7)) == "running"_L1;
            },
            120'000);
        QVERIFY2(evictedBack, qPrintable(rig.daemonLog().right(1500)));
        // The user's VMs: decided from the (late) Activity Log, never started.
        const bool decided =
            E2eRig::waitFor([&] { return stoppedBy(rig, u"alice@contoso.com"_s) == 5; }, 90'000);
        QVERIFY2(decided, qPrintable(rig.daemonLog().right(1500)));
        QTest::qWait(15'000); // a sweep or more after the decision: still nothing starts them
        const QJsonObject state = rig.state();
        const QJsonObject records = rig.records();
        for (const QString &name : std::as_const(users)) {
            QCOMPARE(powerOf(state, name), u"deallocated"_s);
            QCOMPARE(startsOf(records, name), 0);
        }
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        auto store = rig.openStore();
        QVERIFY(store);
        QCOMPARE(stoppedOnPurposeRows(*store, u"alice@contoso.com"_s, "deallocate/action"_L1), 5);
        for (const core::VmRecord &vm : store->vms()) {
            if (users.contains(vm.name))
                QVERIFY(vm.desiredState == core::DesiredState::Stopped);
        }
        core::EventFilter filter;
        filter.kinds = {core::EventKind::Eviction};
        int evictions = 0;
        for (const core::EventRecord &e : store->events(filter)) {
            ++evictions;
            QVERIFY(e.evidence.contains("evictSpotVM"_L1));
        }
        QCOMPARE(evictions, 2);
        store.reset();

        // spotkeeperd vm stop: deallocated through ARM, and then left alone.
        QString output;
        QCOMPARE(rig.runCli({u"vm"_s, u"stop"_s, u"--vm"_s, rig.resourceIdOf(vmName(8))}, &output),
                 0);
        QVERIFY2(output.contains("deallocation accepted"_L1), qPrintable(output));
        QVERIFY(E2eRig::waitFor([&] { return powerOf(rig.state(), vmName(8)) == "deallocated"_L1; },
                                60'000));
        QTest::qWait(15'000);
        QCOMPARE(powerOf(rig.state(), vmName(8)), u"deallocated"_s);
        QCOMPARE(startsOf(rig.records(), vmName(8)), 0);
        // ... and vm start brings it back.
        QCOMPARE(rig.runCli({u"vm"_s, u"start"_s, u"--vm"_s, rig.resourceIdOf(vmName(8))}, &output),
                 0);
        QVERIFY2(E2eRig::waitFor([&] { return powerOf(rig.state(), vmName(8)) == "running"_L1; },
                                 90'000),
                 qPrintable(rig.daemonLog().right(1500)));
        store = rig.openStore();
        QStringList actions;
        for (const core::AuditRecord &a :
             store->audit(QDateTime::currentDateTimeUtc().addDays(-1),
                          QDateTime::currentDateTimeUtc().addDays(1), 1000)) {
            if (a.actor == "cli"_L1)
                actions << a.action;
        }
        QCOMPARE(actions, (QStringList {u"stop_on_purpose"_s, u"start"_s}));
    }

    void userPowerOffStaysStopped()
    {
        // Powered off through ARM (PowerState/stopped: still allocated), no notice; the
        // Activity Log's powerOff/action names Bob 100 simulated seconds later. Classified
        // stopped on purpose and left stopped; "vm start" boots it from stopped.
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 4;
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, 0, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error, 10), qPrintable(error));
        QVERIFY(E2eRig::waitFor([&] { return fleetIsManagedAndRunning(rig, kFleet); }, 60'000));
        const QStringList users {vmName(1), vmName(2)};
        const QJsonObject off = stopAsUser(rig, "power-off", users, u"bob@contoso.com"_s, 100);
        QCOMPARE(off.value("stopped"_L1).toArray().size(), 2);
        const bool decided =
            E2eRig::waitFor([&] { return stoppedBy(rig, u"bob@contoso.com"_s) == 2; }, 90'000);
        QVERIFY2(decided, qPrintable(rig.daemonLog().right(1500)));
        QTest::qWait(15'000); // a sweep or more after the decision: still nothing starts them
        const QJsonObject state = rig.state();
        const QJsonObject records = rig.records();
        for (const QString &name : users) {
            QCOMPARE(powerOf(state, name), u"stopped"_s);
            QCOMPARE(startsOf(records, name), 0);
        }
        QCOMPARE(counter(state, "userPowerOffs"), 2);
        auto store = rig.openStore();
        QVERIFY(store);
        QCOMPARE(stoppedOnPurposeRows(*store, u"bob@contoso.com"_s, "powerOff/action"_L1), 2);
        for (const core::VmRecord &vm : store->vms()) {
            if (users.contains(vm.name)) {
                QVERIFY(vm.desiredState == core::DesiredState::Stopped);
                QVERIFY(vm.powerState == core::PowerState::Stopped);
            }
        }
        store.reset();
        // An operator's Start boots a stopped VM (no deallocation in between).
        QString output;
        QCOMPARE(rig.runCli({u"vm"_s, u"start"_s, u"--vm"_s, rig.resourceIdOf(vmName(1))}, &output),
                 0);
        QVERIFY2(E2eRig::waitFor([&] { return powerOf(rig.state(), vmName(1)) == "running"_L1; },
                                 90'000),
                 qPrintable(rig.daemonLog().right(1500)));
        QCOMPARE(powerOf(rig.state(), vmName(2)), u"stopped"_s);
    }
};

QTEST_GUILESS_MAIN(TestE2eDeliberate)
#include "tst_e2edeliberate.moc"
