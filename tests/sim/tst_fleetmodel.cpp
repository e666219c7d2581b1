// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulation model without any network: power transitions, Preempt documents,
// starts and what makes them wrong, capacity windows, max price, Delete policy,
// availability bookkeeping, the ARM limits and scenario parsing.
#include "sim/armlimits.h"
#include "sim/fleetmodel.h"
#include "sim/scenario.h"
#include "sim/simclock.h"
#include "sim/simjson.h"
#include "support/base/manualclock.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

SimVm makeVm(const QString &name, const QString &location = u"eastus"_s)
{
    SimVm vm;
    vm.subscriptionId = u"00000000-0000-4000-8000-000000000001"_s;
    vm.resourceGroup = u"rg"_s;
    vm.name = name;
    vm.location = location;
    vm.size = u"Standard_D2s_v5"_s;
    vm.tags.insert(u"spotkeeper:auto-restart"_s, u"true"_s);
    return vm;
}

} // namespace

class TestFleetModel : public QObject
{
    Q_OBJECT

private slots:
    void scaleSetStartCoversItsInstances()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        SimScaleSet set;
        set.subscriptionId = u"00000000-0000-4000-8000-000000000001"_s;
        set.resourceGroup = u"rg"_s;
        set.name = u"pool"_s;
        set.location = u"eastus"_s;
        set.size = u"Standard_D2s_v5"_s;
        QVERIFY(model.addScaleSet(set) >= 0);
        QCOMPARE(model.addScaleSet(set), -1); // the name is taken
        QList<int> ids;
        for (int i = 0; i < 3; ++i) {
            SimVm vm;
            vm.subscriptionId = set.subscriptionId;
            vm.resourceGroup = u"rg"_s;
            vm.scaleSet = u"pool"_s;
            vm.instanceId = QString::number(i);
            ids.append(model.addVm(vm));
        }
        SimVm bad = model.vm(ids.first());
        bad.instanceId = u"x"_s;
        QString error;
        QCOMPARE(model.addVm(bad, &error), -1);
        QVERIFY(error.contains("digits"_L1));
        QCOMPARE(model.findInstance(set.subscriptionId, u"RG"_s, u"POOL"_s, u"1"_s), ids.at(1));
        QVERIFY(model.vm(ids.at(1)).resourceId().endsWith(
            u"/virtualMachineScaleSets/pool/virtualMachines/1"_s));
        QCOMPARE(model.vm(ids.at(1)).priority, u"Spot"_s);

        // 0 and 1 deallocated, 2 still deallocating: a partial start.
        QVERIFY(model.evict(ids.at(0), false));
        QVERIFY(model.evict(ids.at(1), false));
        clock.advanceMSecs(model.timings().deallocatingMs);
        QVERIFY(model.evict(ids.at(2), false));
        const StartOutcome out = model.startInstances(ids, 0);
        QCOMPARE(out.httpStatus, 202);
        QCOMPARE(model.counters().scaleSetStarts, 1);
        QCOMPARE(model.counters().scaleSetStartInstances, 3);
        QCOMPARE(model.operation(out.opId)->status, u"InProgress"_s);
        clock.advanceMSecs(model.timings().startingMs);
        model.advance();
        QCOMPARE(model.vm(ids.at(0)).power, Power::Running);
        QCOMPARE(model.vm(ids.at(1)).power, Power::Running);
        QCOMPARE(model.operation(out.opId)->status, u"Failed"_s); // 2 was refused (busy)
        QCOMPARE(model.operation(out.opId)->failCode, u"Conflict"_s);
        // Every instance refused: the refusal is the answer, no operation.
        QVERIFY(model.evict(ids.at(0), false));
        const StartOutcome none = model.startInstances({ids.at(0)}, 0);
        QCOMPARE(none.httpStatus, 409);
        QCOMPARE(none.errorCode, u"Conflict"_s);
        QVERIFY(none.opId.isEmpty());
        QCOMPARE(model.counters().startsOnRunning, 0);
    }

    void evictionFollowsPreemptThenDeallocation()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int vm = model.addVm(makeVm(u"a"_s));
        const qint64 inc0 = model.vm(vm).incarnation;
        QVERIFY(model.evict(vm));
        QCOMPARE(model.vm(vm).events.size(), 1);
        QCOMPARE(model.vm(vm).events.first().status, u"Scheduled"_s);
        QCOMPARE(model.vm(vm).events.first().notBeforeMs, clock.nowMSecs() + 30'000);
        QVERIFY(model.vm(vm).incarnation > inc0);
        QVERIFY(!model.evict(vm)); // already pending
        clock.advanceMSecs(29'999);
        model.advance();
        QCOMPARE(model.vm(vm).power, Power::Running);
        clock.advanceMSecs(1);
        model.advance();
        QCOMPARE(model.vm(vm).power, Power::Deallocating);
        QCOMPARE(model.vm(vm).events.first().status, u"Started"_s);
        QCOMPARE(model.vm(vm).events.first().notBeforeMs, 0);
        const auto log = model.activity({}, 0);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().operationName,
                 u"Microsoft.Compute/virtualMachines/evictSpotVM/action"_s);
        clock.advanceMSecs(model.timings().deallocatingMs);
        model.advance();
        QCOMPARE(model.vm(vm).power, Power::Deallocated);
        QVERIFY(model.vm(vm).events.isEmpty());

        const StartOutcome out = model.start(vm, 1);
        QCOMPARE(out.httpStatus, 202);
        QCOMPARE(model.vm(vm).power, Power::Starting);
        QCOMPARE(model.operation(out.opId)->status, u"InProgress"_s);
        clock.advanceMSecs(model.timings().startingMs);
        model.advance();
        QCOMPARE(model.vm(vm).power, Power::Running);
        QCOMPARE(model.operation(out.opId)->status, u"Succeeded"_s);
        QCOMPARE(model.counters().startsOnRunning, 0);
        QCOMPARE(model.counters().doubleStarts, 0);
    }

    void wrongStartsAreRecorded()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int vm = model.addVm(makeVm(u"a"_s));
        QCOMPARE(model.start(vm, 0).httpStatus, 202); // running: Azure accepts, we record
        QCOMPARE(model.counters().startsOnRunning, 1);
        QVERIFY(model.starts().last().onRunning);
        clock.advanceMSecs(5'000);
        QVERIFY(model.evict(vm, false));
        QCOMPARE(model.start(vm, 0).httpStatus, 409); // still deallocating
        QCOMPARE(model.counters().startsRefusedBusy, 1);
        clock.advanceMSecs(model.timings().deallocatingMs);
        QCOMPARE(model.start(vm, 0).httpStatus, 202);
        const StartOutcome second = model.start(vm, 0);
        QCOMPARE(second.httpStatus, 409);
        QCOMPARE(second.errorCode, u"Conflict"_s);
        QCOMPARE(model.counters().doubleStarts, 1);
        QVERIFY(model.starts().last().whileInFlight);
    }

    void powerOffStopsButKeepsTheVmAllocated()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int vm = model.addVm(makeVm(u"a"_s));
        QVERIFY(model.powerOff(vm, u"bob@contoso.com"_s));
        QCOMPARE(model.vm(vm).power, Power::Stopping);
        QCOMPARE(powerCode(model.vm(vm).power), u"stopping"_s);
        QCOMPARE(model.start(vm, 0).httpStatus, 409); // still stopping
        QVERIFY(!model.powerOff(vm, u"bob@contoso.com"_s));
        clock.advanceMSecs(model.timings().stoppingMs);
        model.advance();
        QCOMPARE(model.vm(vm).power, Power::Stopped);
        QCOMPARE(powerCode(model.vm(vm).power), u"stopped"_s);
        QCOMPARE(model.counters().userPowerOffs, 1);
        QCOMPARE(model.counters().evictions, 0);
        const auto log = model.activity({}, 0);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().operationName, u"Microsoft.Compute/virtualMachines/powerOff/action"_s);
        QCOMPARE(log.first().caller, u"bob@contoso.com"_s);
        // Still allocated: a start needs no capacity, even in a shortage of its region.
        model.addCapacityWindow(CapacityWindow {
            u"eastus"_s, {}, 0, clock.nowMSecs() + 600'000, u"AllocationFailed"_s, true});
        const StartOutcome out = model.start(vm, 0);
        QCOMPARE(out.httpStatus, 202);
        QCOMPARE(model.vm(vm).power, Power::Starting);
        clock.advanceMSecs(model.timings().startingMs);
        model.advance();
        QCOMPARE(model.vm(vm).power, Power::Running);
        QCOMPARE(model.operation(out.opId)->status, u"Succeeded"_s);
        // A stopped VM can be deallocated as well.
        QVERIFY(model.powerOff(vm, u"bob@contoso.com"_s));
        clock.advanceMSecs(model.timings().stoppingMs);
        QVERIFY(model.deallocate(vm, u"bob@contoso.com"_s));
        QCOMPARE(model.vm(vm).power, Power::Deallocating);
    }

    void agentLossHasNoNotice()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int vm = model.addVm(makeVm(u"a"_s));
        QVERIFY(model.evict(vm, false));
        QCOMPARE(model.vm(vm).power, Power::Deallocating);
        QVERIFY(model.vm(vm).events.isEmpty());
        QCOMPARE(model.counters().evictionsWithoutNotice, 1);
        QCOMPARE(model.activity(model.vm(vm).key(), 0).size(), 1);
    }

    void acknowledgeEvictsNow()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int vm = model.addVm(makeVm(u"a"_s));
        QVERIFY(model.evict(vm));
        model.acknowledge(vm, {u"not-this-one"_s});
        QCOMPARE(model.vm(vm).power, Power::Running);
        model.acknowledge(vm, {model.vm(vm).events.first().eventId.toLower()});
        QCOMPARE(model.vm(vm).power, Power::Deallocating);
        QCOMPARE(model.counters().acks, 1);
    }

    void capacityWindows()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int eus = model.addVm(makeVm(u"a"_s));
        const int weu = model.addVm(makeVm(u"b"_s, u"westeurope"_s));
        const int zonal = model.addVm([] {
            SimVm v = makeVm(u"c"_s);
            v.zone = u"2"_s;
            return v;
        }());
        for (int vm : {eus, weu, zonal})
            QVERIFY(model.evict(vm, false));
        clock.advanceMSecs(model.timings().deallocatingMs);
        model.addCapacityWindow(CapacityWindow {
            u"eastus"_s, {}, 0, clock.nowMSecs() + 600'000, u"ZonalAllocationFailed"_s, true});
        // westeurope is not short: it starts.
        QCOMPARE(model.start(weu, 0).httpStatus, 202);
        // eastus, regional VM: async Failed with AllocationFailed (zonal code needs a zone).
        const StartOutcome failing = model.start(eus, 0);
        QCOMPARE(failing.httpStatus, 202);
        const StartOutcome zonalFailing = model.start(zonal, 0);
        clock.advanceMSecs(model.timings().startFailMs);
        model.advance();
        QCOMPARE(model.operation(failing.opId)->status, u"Failed"_s);
        QCOMPARE(model.operation(failing.opId)->failCode, u"AllocationFailed"_s);
        QCOMPARE(model.operation(zonalFailing.opId)->failCode, u"ZonalAllocationFailed"_s);
        QCOMPARE(model.vm(eus).power, Power::Deallocated);
        QCOMPARE(model.capacityFreeAt(model.vm(eus), clock.nowMSecs()),
                 model.capacityWindows().first().untilMs);
        clock.advanceMSecs(600'000); // the zonal shortage is over
        // A synchronous shortage: 409 SkuNotAvailable.
        model.addCapacityWindow(CapacityWindow {
            {}, u"standard_d2s_v5"_s, 0, clock.nowMSecs() + 1000, u"SkuNotAvailable"_s, false});
        QCOMPARE(model.start(eus, 0).errorCode, u"SkuNotAvailable"_s);
        clock.advanceMSecs(1000);
        QCOMPARE(model.start(eus, 0).httpStatus, 202);
        QCOMPARE(model.counters().startsRefusedCapacity, 3);
    }

    void maxPriceAndDeletePolicy()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        SimVm cheap = makeVm(u"cheap"_s);
        cheap.maxPrice = 0.01;
        const int vmCheap = model.addVm(cheap);
        SimVm gone = makeVm(u"gone"_s);
        gone.evictionPolicy = u"Delete"_s;
        const int vmGone = model.addVm(gone);
        QVERIFY(model.evict(vmCheap, false));
        QVERIFY(model.evict(vmGone, false));
        QCOMPARE(model.vm(vmGone).power, Power::Deleting);
        clock.advanceMSecs(60'000);
        QCOMPARE(model.start(vmCheap, 0).errorCode, u"SpotPriceGreaterThanProvidedMaxPrice"_s);
        model.setSpotPrice(u"Standard_D2s_v5"_s, 0.005);
        QCOMPARE(model.start(vmCheap, 0).httpStatus, 202);
        QCOMPARE(model.vm(vmGone).power, Power::Deleted);
        QCOMPARE(model.start(vmGone, 0).httpStatus, 404);
    }

    void refusesBadVms()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        QString error;
        QVERIFY(model.addVm(makeVm(u"a"_s), &error) >= 0);
        QCOMPARE(model.addVm(makeVm(u"A"_s), &error), -1);
        QVERIFY(error.contains(u"used twice"_s));
        SimVm bad = makeVm(u"b"_s);
        bad.evictionPolicy = u"Stop"_s;
        QCOMPARE(model.addVm(bad, &error), -1);
        QVERIFY(error.contains(u"evictionPolicy"_s));
        SimVm empty;
        QCOMPARE(model.addVm(empty, &error), -1);
    }

    void availabilityCountsOnlyAvoidableDowntime()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int fast = model.addVm(makeVm(u"fast"_s));
        const int slow = model.addVm(makeVm(u"slow"_s));
        QVERIFY(model.evict(fast, false));
        QVERIFY(model.evict(slow, false));
        clock.advanceMSecs(model.timings().deallocatingMs);
        model.advance();
        QCOMPARE(model.start(fast, 0).httpStatus, 202); // best possible
        clock.advanceMSecs(60'000); // slow is restarted a minute late
        QCOMPARE(model.start(slow, 0).httpStatus, 202);
        clock.advanceMSecs(model.timings().startingMs + 3'600'000);
        model.advance();
        const auto a = model.availability();
        QVERIFY(a.ratio() < 1.0);
        // Exactly one VM-minute lost beyond the unavoidable outage.
        QCOMPARE(qint64(a.bestVmMs - a.runningVmMs), 60'000);
    }

    void lossesAreFiledByCause()
    {
        testsupport::ManualClock clock;
        FleetModel model(clock);
        const int noticed = model.addVm(makeVm(u"a"_s));
        const int lost = model.addVm(makeVm(u"b"_s));
        const int shortage = model.addVm(makeVm(u"c"_s, u"westeurope"_s));
        const Timings t = model.timings();
        QVERIFY(model.evict(noticed));
        QVERIFY(model.evict(lost, false));
        QVERIFY(model.evict(shortage));
        CapacityWindow window;
        window.region = u"westeurope"_s;
        window.untilMs = clock.nowMSecs() + 600'000; // 10 min from now
        window.async = false;
        model.addCapacityWindow(window);
        // a: deallocated at notice + deallocating, started 7 s later.
        clock.advanceMSecs(t.noticeMs + t.deallocatingMs);
        model.advance();
        QCOMPARE(model.vm(noticed).power, Power::Deallocated);
        QCOMPARE(model.vm(lost).power, Power::Deallocated);
        clock.advanceMSecs(7'000);
        QCOMPARE(model.start(noticed, 0).httpStatus, 202);
        // b (agent loss): started 20 s after a.
        clock.advanceMSecs(20'000);
        QCOMPARE(model.start(lost, 0).httpStatus, 202);
        // c: refused during the shortage, accepted 45 s after it ended.
        QCOMPARE(model.start(shortage, 0).httpStatus, 409);
        clock.set(QDateTime::fromMSecsSinceEpoch(window.untilMs + 45'000, Qt::UTC));
        QCOMPARE(model.start(shortage, 0).httpStatus, 202);
        clock.advanceMSecs(t.startingMs);
        model.advance();
        const LossBreakdown &l = model.losses();
        QCOMPARE(l.outages, 3);
        QCOMPARE(l.outagesWithNotice, 2);
        QCOMPARE(l.outagesWithShortage, 1);
        QCOMPARE(l.detectionMs, 7'000);
        // b was evicted at once: deallocated after deallocatingMs, i.e. noticeMs before a.
        QCOMPARE(l.detectionNoNoticeMs, t.noticeMs + 7'000 + 20'000);
        QCOMPARE(l.retriesShortageMs, 45'000);
        QCOMPARE(l.retriesMs, 0);
        QCOMPARE(l.maxLossMs, t.noticeMs + 27'000); // b's
    }

    void notBeforeIsWrittenOnTheClientsClock()
    {
        // Simulated time at 24x: the eviction 30 simulated seconds ahead is 1.25 real
        // seconds ahead, and that is what a client reading NotBefore must see.
        testsupport::ManualClock wall;
        ScaledClock sim(wall, 24);
        FleetModel model(sim);
        model.setToWall([&sim](qint64 simMs) { return sim.toBaseEpochMs(simMs); });
        const int vm = model.addVm(makeVm(u"a"_s));
        wall.advanceMSecs(3'600'000); // an hour of real time: the sim clock is a day ahead
        QVERIFY(model.evict(vm));
        const QString notBefore =
            simjson::scheduledEvents(model.vm(vm), [&](qint64 ms) { return model.toWallMs(ms); })
                .value("Events"_L1)
                .toArray()
                .first()
                .toObject()
                .value("NotBefore"_L1)
                .toString();
        QCOMPARE(notBefore, simjson::rfc1123(wall.nowMSecs() + 1'250));
        // Without a mapping the document is in simulated time (tests of the model alone).
        FleetModel plain(wall);
        const int other = plain.addVm(makeVm(u"b"_s));
        QVERIFY(plain.evict(other));
        QCOMPARE(simjson::scheduledEvents(plain.vm(other))
                     .value("Events"_L1)
                     .toArray()
                     .first()
                     .toObject()
                     .value("NotBefore"_L1)
                     .toString(),
                 simjson::rfc1123(wall.nowMSecs() + 30'000));
    }

    void startBucketThrottlesWithRetryAfter()
    {
        ArmLimits limits;
        const QString sub = u"s"_s;
        qint64 now = 1'000'000;
        for (int i = 0; i < 12; ++i)
            QVERIFY(limits.check(ArmLimits::Kind::Start, sub, u"vm1"_s, now).allowed);
        const auto refused = limits.check(ArmLimits::Kind::Start, sub, u"vm1"_s, now);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterSeconds, 15); // 4 per minute
        QCOMPARE(limits.violations(), 0);
        // Already in flight when that 429 left (arrives within InFlightMs): refused, not a
        // violation, and the gate does not move.
        const auto concurrent =
            limits.check(ArmLimits::Kind::Start, sub, u"vm1"_s, now + ArmLimits::InFlightMs - 1);
        QVERIFY(!concurrent.allowed);
        QVERIFY(!concurrent.violation);
        QCOMPARE(limits.violations(), 0);
        // Another VM is not affected.
        QVERIFY(limits.check(ArmLimits::Kind::Start, sub, u"vm2"_s, now).allowed);
        // Early retry: a violation, refused again with the time still to wait.
        const auto early = limits.check(ArmLimits::Kind::Start, sub, u"vm1"_s, now + 10'000);
        QVERIFY(!early.allowed);
        QVERIFY(early.violation);
        QCOMPARE(early.retryAfterSeconds, 5);
        QCOMPARE(limits.violations(), 1);
        const auto later = limits.check(ArmLimits::Kind::Start, sub, u"vm1"_s, now + 15'000);
        QVERIFY(later.allowed);
        bool hasHeader = false;
        for (const auto &h : later.headers)
            hasHeader |= h.first == "x-ms-ratelimit-remaining-subscription-writes";
        QVERIFY(hasHeader);
    }

    void readBucketAndStorm()
    {
        ArmLimits limits;
        qint64 now = 5'000'000;
        for (int i = 0; i < 250; ++i)
            QVERIFY(limits.check(ArmLimits::Kind::Read, u"s"_s, {}, now).allowed);
        const auto refused = limits.check(ArmLimits::Kind::Read, u"s"_s, {}, now);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterSeconds, 1); // 25 per second
        QVERIFY(limits.check(ArmLimits::Kind::Read, u"s"_s, {}, now + 1000).allowed);
        limits.startStorm(now + 20'000);
        const auto storm = limits.check(ArmLimits::Kind::Read, u"other"_s, {}, now + 1000);
        QVERIFY(!storm.allowed);
        QCOMPARE(storm.retryAfterSeconds, 19);
        QVERIFY(limits.check(ArmLimits::Kind::Read, u"other"_s, {}, now + 20'000).allowed);
        QCOMPARE(limits.violations(), 0);
    }

    void scenarioFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("demo") << u"demo.json"_s;
        QTest::newRow("storm") << u"eviction-storm.json"_s;
        QTest::newRow("day") << u"capacity-day.json"_s;
        QTest::newRow("scale sets") << u"scale-sets.json"_s;
    }

    void scenarioFiles()
    {
        QFETCH(QString, file);
        QString error;
        const auto s = Scenario::load(
            QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/../../packaging/sim/"_s + file, &error);
        QVERIFY2(s, qPrintable(error));
        QVERIFY(!s->vms.isEmpty());
        QVERIFY(!s->timeline.isEmpty());
        testsupport::ManualClock clock;
        FleetModel model(clock);
        for (const SimScaleSet &set : s->scaleSets)
            QVERIFY2(model.addScaleSet(set, &error) >= 0, qPrintable(error));
        for (const SimVm &vm : s->vms)
            QVERIFY2(model.addVm(vm, &error) >= 0, qPrintable(error));
        if (file == "scale-sets.json"_L1) { // instances 0..count-1, tags on the scale set
            QCOMPARE(s->scaleSets.size(), 2);
            QVERIFY(s->scaleSets.last().spotRestore);
            QCOMPARE(s->scaleSets.first().tags.value(u"spotkeeper:auto-restart"_s), u"true"_s);
            const int last = model.findByName(u"batch-vmss_11"_s);
            QVERIFY(last >= 0);
            QVERIFY(model.vm(last).tags.isEmpty());
            QCOMPARE(model.vm(last).instanceId, u"11"_s);
        }
    }

    void scenarioErrorsNameTheProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray fleet =
            R"("fleet":[{"subscription":"s","resourceGroup":"r","location":"l"}])";
        QTest::newRow("not json") << QByteArray("{") << u"not a JSON object"_s;
        QTest::newRow("no fleet") << QByteArray("{}") << u"fleet"_s;
        QTest::newRow("no location")
            << QByteArray(R"({"fleet":[{"subscription":"s","resourceGroup":"r"}]})")
            << u"fleet[0]"_s;
        QTest::newRow("bad action")
            << QByteArray("{" + fleet + R"(,"timeline":[{"action":"nuke"}]})")
            << u"timeline[0].action"_s;
        QTest::newRow("bad duration")
            << QByteArray("{" + fleet + R"(,"timeline":[{"action":"evict","at":"soon"}]})")
            << u"timeline[0].at: 'soon' is not a duration"_s;
        QTest::newRow("duration of the wrong type")
            << QByteArray("{" + fleet + R"(,"timings":{"notice":true}})")
            << u"timings.notice: not a duration"_s;
        QTest::newRow("negative seconds")
            << QByteArray("{" + fleet + R"(,"timings":{"notice":-30}})")
            << u"timings.notice: -30 is not a duration"_s;
        QTest::newRow("bad speed") << QByteArray("{" + fleet + R"(,"speed":0})") << u"speed"_s;
        QTest::newRow("flexible scale set")
            << QByteArray(R"({"fleet":[{"subscription":"s","resourceGroup":"r","location":"l",)"
                          R"("scaleSet":"f","orchestrationMode":"Flexible"}]})")
            << u"fleet[0].orchestrationMode"_s;
    }

    void scenarioErrorsNameTheProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!Scenario::parse(json, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void durations()
    {
        QCOMPARE(parseScenarioDuration(QJsonValue(90)), 90'000);
        QCOMPARE(parseScenarioDuration(QJsonValue(u"2m"_s)), 120'000);
        QCOMPARE(parseScenarioDuration(QJsonValue(u"1h"_s)), 3'600'000);
        QCOMPARE(parseScenarioDuration(QJsonValue(u"250ms"_s)), 250);
        QCOMPARE(parseScenarioDuration(QJsonValue(u"-3s"_s)), -1);
        QCOMPARE(parseScenarioDuration(QJsonValue(u"x"_s)), -1);
        // The grammar is base/duration.h's, the same as the agent's settings.
        QCOMPARE(parseScenarioDuration(QJsonValue(u"2 min"_s)), 120'000);
        QCOMPARE(parseScenarioDuration(QJsonValue(1.5)), 1500);
        QCOMPARE(parseScenarioDuration(QJsonValue(true)), -1);
    }
};

QTEST_GUILESS_MAIN(TestFleetModel)
#include "tst_fleetmodel.moc"
