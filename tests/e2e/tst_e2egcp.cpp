// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end, Google Cloud (issue 15): a real `spotkeeper-agent --cloud gcp` watches the
// simulator's metadata server of a Spot VM; its key is bound to the instance's Google Cloud
// id by `spotkeeperd keys generate`; when the simulator preempts the VM, the agent's signed
// version 2 notice is verified and stored by spotkeeperd under that id. With [gcp] pointing at
// the simulator's token endpoint and Compute API, spotkeeperd then starts the TERMINATED
// instance again (instances.start, its zone operation followed to DONE). A VM a person stops
// (v1.compute.instances.stop in the audit log) stays stopped; a start refused for capacity
// (ZONE_RESOURCE_POOL_EXHAUSTED inside the start operation) is retried until the zone has room.
#include "fleet/cloud.h"
#include "support/e2e/e2echecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

namespace {

const QString kProject = u"spot-e2e-1"_s;
const QString kZone = u"europe-west1-b"_s;

QString instanceKey(const QString &name)
{
    return u"projects/%1/zones/%2/instances/%3"_s.arg(kProject, kZone, name);
}

// The simulator (Google Cloud VMs gce-001, gce-002 at `speed`), spotkeeperd (with [gcp] when
// asked) and a real agent on `vm`, up to the agent's first heartbeat at spotkeeperd: it has
// read its identity from the metadata server and is watching. Empty, or what failed.
QString startWithAgent(E2eRig &rig, double speed, bool gcp, const QString &vm)
{
    const QString scenario = rig.writeGcpScenario(2, kProject, kZone);
    QString error;
    if (scenario.isEmpty() || !rig.startSim(1, 0, speed, {u"--scenario"_s, scenario}, &error))
        return u"simulator: "_s + error;
    if (gcp)
        rig.enableGcp(kProject);
    if (!rig.startDaemon(&error) || !rig.startRealGcpAgent(vm, kProject, kZone, &error))
        return error;
    auto store = rig.openStore();
    const bool seen =
        store
        && E2eRig::waitFor(
            [&] {
                const auto record = store->vmByKey(instanceKey(vm));
                return record && record->agentLastSeen.isValid() && !record->vmId.isEmpty();
            },
            60'000);
    return seen ? QString() : u"no heartbeat; daemon log tail: "_s + rig.daemonLog().right(1500);
}

} // namespace

class TestE2eGcp : public QObject
{
    Q_OBJECT

private slots:
    void preemptionNoticeIsStored()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        E2eRig rig;
        const QString failed = startWithAgent(rig, 1, false, u"gce-001"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const QString key = instanceKey(u"gce-001"_s);
        auto store = rig.openStore();
        QVERIFY(store);

        const QJsonObject evicted = rig.control("evict", R"({"vms":["gce-001"]})");
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), 1);
        const auto noticeOf = [&]() -> std::optional<core::EventRecord> {
            const auto vm = store->vmByKey(key);
            if (!vm)
                return std::nullopt;
            core::EventFilter filter;
            filter.vmId = vm->id;
            filter.kinds = {core::EventKind::Notice};
            const QList<core::EventRecord> notices = store->events(filter);
            if (notices.isEmpty())
                return std::nullopt;
            return notices.constFirst();
        };
        QVERIFY2(
            E2eRig::waitFor([&] { return noticeOf().has_value(); }, 30'000),
            qPrintable(u"no notice stored; daemon log tail: "_s + rig.daemonLog().right(1500)));
        const core::EventRecord notice = *noticeOf();
        QCOMPARE(notice.eventType, u"Preempt"_s);
        QCOMPARE(notice.eventStatus, u"Started"_s);
        QCOMPARE(notice.source, u"agent"_s);
        const auto vm = store->vmByKey(key);
        QVERIFY(cloudOf(*vm) == core::Cloud::Gcp);
        QCOMPARE(vm->resourceId, key);
        QCOMPARE(vm->subscriptionId, kProject);
        QCOMPARE(vm->location, kZone);
        QCOMPARE(vm->name, u"gce-001"_s);
        QCOMPARE(vm->priority, u"SPOT"_s);
        QCOMPARE(vm->evictionPolicy, u"STOP"_s);
        QVERIFY(vm->managedBy == core::ManagedBy::Agent);
        // The payload is the agent's signed version 2 notice.
        const QJsonObject payload = QJsonDocument::fromJson(notice.payload).object();
        QCOMPARE(payload.value("vm"_L1).toObject().value("cloud"_L1).toString(), u"gcp"_s);
    }

    void preemptedVmIsRestarted()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        E2eRig rig;
        const QString failed = startWithAgent(rig, 10, true, u"gce-002"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const QString key = instanceKey(u"gce-002"_s);
        auto store = rig.openStore();
        QVERIFY(store);
        QCOMPARE(runningVms(rig.state()), 3);
        const QJsonObject evicted = rig.control("evict", R"({"vms":["gce-002"]})");
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), 1);
        // Preempted (TERMINATED), then started again by spotkeeperd through the Compute API.
        QVERIFY2(E2eRig::waitFor([&] { return counter(rig.state(), "evictions") == 1; }, 60'000),
                 "the simulator never preempted the VM");
        const bool restarted = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return runningVms(s) == 3 && counter(s, "startsSucceeded") >= 1;
            },
            150'000);
        QVERIFY2(restarted,
                 qPrintable(u"not restarted; daemon log tail: "_s + rig.daemonLog().right(2500)));
        const auto vm = store->vmByKey(key);
        QVERIFY(vm);
        core::EventFilter attempts;
        attempts.vmId = vm->id;
        attempts.kinds = {core::EventKind::RestartAttempt};
        // The start's operation is recorded once spotkeeperd has followed it to DONE (the
        // simulator may show the VM running a moment before).
        QVERIFY2(E2eRig::waitFor(
                     [&] {
                         return store->eventCount(attempts) >= 1
                             && !store->activeJob(vm->id).has_value(); // the job ended
                     },
                     30'000),
                 qPrintable(u"no restart attempt recorded; daemon log tail: "_s
                            + rig.daemonLog().right(2500)));
        QCOMPARE(counter(rig.state(), "startsOnRunning"), 0);
    }

    void userStoppedVmStaysStopped()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        E2eRig rig;
        const QString failed = startWithAgent(rig, 10, true, u"gce-001"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const QString key = instanceKey(u"gce-001"_s);
        // A person stops the VM: no preemption notice, TERMINATED, and the audit log records
        // v1.compute.instances.stop by them 20 simulated seconds later (the log lags).
        const QJsonObject stopped =
            rig.control("deallocate",
                        R"({"vms":["gce-001"],"caller":"alice@example.com","logDelaySeconds":20})");
        QCOMPARE(stopped.value("deallocated"_L1).toArray().size(), 1);
        auto store = rig.openStore();
        QVERIFY(store);
        const bool decided = E2eRig::waitFor(
            [&] {
                const auto vm = store->vmByKey(key);
                return vm && vm->stoppedBy == u"alice@example.com"_s;
            },
            90'000);
        QVERIFY2(decided,
                 qPrintable(u"not decided; daemon log tail: "_s + rig.daemonLog().right(2500)));
        QTest::qWait(10'000); // sweeps after the decision: still nobody starts it
        QCOMPARE(powerOf(rig.state(), u"gce-001"_s), u"deallocated"_s);
        QCOMPARE(startsOf(rig.records(), u"gce-001"_s), 0);
        const auto vm = store->vmByKey(key);
        QVERIFY(vm->desiredState == core::DesiredState::Stopped);
        QCOMPARE(vm->stoppedOperation, u"v1.compute.instances.stop"_s);
        core::EventFilter filter;
        filter.vmId = vm->id;
        filter.kinds = {core::EventKind::PowerChange};
        bool evidence = false;
        for (const core::EventRecord &e : store->events(filter))
            evidence = evidence || e.evidence.contains("v1.compute.instances.stop by alice"_L1);
        QVERIFY(evidence);
    }

    void capacityShortageIsRetriedUntilItRuns()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        E2eRig rig;
        const QString failed = startWithAgent(rig, 10, true, u"gce-002"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const QString key = instanceKey(u"gce-002"_s);
        // The zone has no room for 150 simulated seconds: starts end DONE with
        // ZONE_RESOURCE_POOL_EXHAUSTED until then.
        const QJsonObject shortage =
            rig.control("capacity",
                        QJsonDocument(QJsonObject {{u"region"_s, kZone},
                                                   {u"seconds"_s, 150},
                                                   {u"code"_s, u"ZonalAllocationFailed"_s}})
                            .toJson(QJsonDocument::Compact));
        QVERIFY(shortage.value("ok"_L1).toBool());
        const QJsonObject evicted = rig.control("evict", R"({"vms":["gce-002"]})");
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), 1);
        const bool running = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return powerOf(s, u"gce-002"_s) == "running"_L1
                    && counter(s, "startsSucceeded") >= 1;
            },
            150'000);
        QVERIFY2(running,
                 qPrintable(u"never ran again; daemon log tail: "_s + rig.daemonLog().right(2500)));
        const QJsonObject state = rig.state();
        QVERIFY2(counter(state, "startsFailed") >= 1, "no start met the shortage");
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        auto store = rig.openStore();
        QVERIFY(store);
        const auto vm = store->vmByKey(key);
        QVERIFY(vm);
        core::EventFilter attempts;
        attempts.vmId = vm->id;
        attempts.kinds = {core::EventKind::RestartAttempt};
        QVERIFY(E2eRig::waitFor([&] { return store->eventCount(attempts) >= 2; }, 30'000));
        bool exhausted = false;
        for (const core::EventRecord &e : store->events(attempts))
            exhausted = exhausted || e.message.contains("ZONE_RESOURCE_POOL_EXHAUSTED"_L1);
        QVERIFY2(exhausted, "no attempt names the capacity error");
    }
};

QTEST_GUILESS_MAIN(TestE2eGcp)
#include "tst_e2egcp.moc"
