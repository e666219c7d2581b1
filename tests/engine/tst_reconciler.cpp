// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The reconciler: statusOnly sweeps, unreported evictions, managed vs unmanaged VMs.
#include "support/engine/enginetestharness.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using Kind = FakeCloudProvider::Kind;
using Script = FakeCloudProvider::StartScript;

class TestReconciler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void catchesUnreportedEvictionOfManagedVmsOnly();
    void unknownStartingStateIsNotAnEviction();
    void confirmsARestartAndSweepsFasterWhileJobsWait();
    void armCallsPerSweepArePages();
    void vanishedVmIsMarkedDeleted();
    void tagOptInAndOptOut();
    void partialListingProvesNoDeletion();
    void googleCloudLabelOptsIn();
};

void TestReconciler::catchesUnreportedEvictionOfManagedVmsOnly()
{
    EngineHarness h;
    const VmRecord tagged = h.addVm(u"spot-tagged"_s, ManagedBy::None, PowerState::Running);
    const VmRecord agent = h.addVm(u"spot-agent"_s, ManagedBy::Agent, PowerState::Running);
    const VmRecord person = h.addVm(u"spot-person"_s, ManagedBy::None, PowerState::Running);
    h.cloud->setTags(tagged.resourceKey, {{u"spotkeeper:auto-restart"_s, u"true"_s}});
    h.cloud->setEvidence(tagged.resourceKey, u"evictSpotVM/action 0f1e2d3c"_s);
    QSignalSpy caught(h.engine.get(), &RestartEngine::evictionRecorded);
    h.addReconciler({});
    h.runFor(10'000); // first sweep: full list (tags) + statusOnly
    QCOMPARE_ENUM(h.store->vm(tagged.id)->managedBy, ManagedBy::Tag);
    QCOMPARE_ENUM(h.store->vm(person.id)->managedBy, ManagedBy::None);

    // All three go down; no agent says anything (they died with their VMs).
    for (const VmRecord &vm : {tagged, agent, person})
        h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    // The tagged VM's eviction is in the Activity Log; the agent VM's is not: it is
    // restarted once evidence_wait has passed (unproven_deallocation = restart).
    h.runFor(3 * 60'000 + h.engine->config().evidenceWaitMs);

    for (const VmRecord &vm : {tagged, agent}) {
        const auto job = h.latestJob(vm.id);
        QVERIFY2(job, qPrintable(vm.name));
        QCOMPARE(job->trigger, u"reconciler"_s);
        QCOMPARE_ENUM(job->state, JobState::Running);
        QCOMPARE(h.cloud->count(Kind::Start, vm.resourceKey), 1);
        const QList<EventRecord> evictions = h.events(vm.id, EventKind::Eviction);
        QCOMPARE(evictions.size(), 1);
        QCOMPARE(evictions[0].source, u"reconciler"_s);
    }
    QCOMPARE(h.events(tagged.id, EventKind::Eviction)[0].evidence,
             u"evictSpotVM/action 0f1e2d3c"_s);
    QVERIFY(h.events(agent.id, EventKind::Eviction)[0].evidence.isEmpty());
    QVERIFY(h.events(agent.id, EventKind::Eviction)[0].message.contains(u"no Activity Log"_s));
    QCOMPARE(caught.size(), 2);

    // The unmanaged VM is only observed: a person may have deallocated it.
    QVERIFY(h.store->jobs(person.id, 10).isEmpty());
    QCOMPARE(h.cloud->count(Kind::Start, person.resourceKey), 0);
    QVERIFY(h.events(person.id, EventKind::Eviction).isEmpty());
    const QList<EventRecord> changes = h.events(person.id, EventKind::PowerChange);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes[0].message, u"running -> deallocated"_s);
    QCOMPARE_ENUM(h.store->vm(person.id)->powerState, PowerState::Deallocated);
}

void TestReconciler::unknownStartingStateIsNotAnEviction()
{
    EngineHarness h;
    // First sight of a deallocated VM: we never saw it running, so it is not an eviction.
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Unknown);
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.addReconciler({});
    h.runFor(5 * 60'000);
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE_ENUM(h.store->vm(vm.id)->powerState, PowerState::Deallocated);
}

void TestReconciler::confirmsARestartAndSweepsFasterWhileJobsWait()
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.random = [](qint64 highest) {
        return highest;
    };
    config.backoff.capacityBaseMs = 20 * 60'000; // the engine itself would wait 20 min
    config.backoff.capacityCapMs = 20 * 60'000;
    EngineHarness h(config);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    h.addReconciler({});
    h.runFor(5'000);
    h.cloud->scriptStarts(vm.resourceKey, {{FailureClass::Capacity, u"AllocationFailed"_s}});
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(5'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::BackingOff);
    const QDateTime jobAt = h.clock.nowUtc().addMSecs(-5'000);
    const int listsBefore = h.cloud->count(Kind::List);
    h.cloud->setPower(vm.resourceKey,
                      PowerState::Running); // capacity came back; someone started it
    QVERIFY(h.runUntilTrue([&] { return !h.store->activeJob(vm.id); }, 60'000));
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running); // confirmed by a sweep
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    // The sweep after the job appeared came 15 s later, not at the 60 s cadence.
    const QList<QDateTime> lists = h.cloud->times(Kind::List);
    QCOMPARE(lists.size(), listsBefore + 1);
    QVERIFY(lists.last() <= jobAt.addMSecs(15'000));
    QVERIFY(h.latestJob(vm.id)->finishedAt <= jobAt.addMSecs(15'000 + 1'000));
    // Nothing waits any more: back to one sweep a minute.
    h.runFor(5 * 60'000);
    QVERIFY(h.cloud->count(Kind::List) - lists.size() <= 5 + 1);
    QVERIFY(h.cloud->count(Kind::List) - lists.size() >= 4);
}

void TestReconciler::armCallsPerSweepArePages()
{
    EngineHarness h;
    h.cloud->listPageSize = 100; // 250 VMs: each first sighting is one durable upsert
    for (int i = 0; i < 250; ++i)
        h.cloud->addVm(
            [&] {
                VmRecord vm;
                vm.subscriptionId = kSubscription;
                vm.resourceGroup = u"rg-big"_s;
                vm.name = u"vm-%1"_s.arg(i, 5, 10, QLatin1Char('0'));
                vm.resourceId = u"/subscriptions/"_s + kSubscription
                    + u"/resourceGroups/rg-big/providers/Microsoft.Compute/virtualMachines/"_s
                    + vm.name;
                return vm;
            }(),
            PowerState::Running);
    QList<SweepStats> sweeps;
    ReconcilerConfig config;
    config.subscriptions = {kSubscription};
    h.addReconciler(config);
    QObject::connect(h.reconciler.get(), &Reconciler::sweepFinished,
                     [&sweeps](const SweepStats &s) { sweeps.append(s); });
    h.runFor(130'000);
    QCOMPARE(sweeps.size(), 3);
    QCOMPARE(sweeps[0].armCalls, 3 + 3); // full list (tags) + statusOnly
    QCOMPARE(sweeps[0].newVms, 250);
    QCOMPARE(sweeps[1].armCalls, 3); // ceil(250 / 100)
    QCOMPARE(sweeps[1].vms, 250);
    QCOMPARE(sweeps[1].powerChanges, 0);
    QVERIFY(sweeps[1].ok);
    QCOMPARE(h.store->vms().size(), 250);
}

void TestReconciler::vanishedVmIsMarkedDeleted()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-del"_s, ManagedBy::Agent, PowerState::Running);
    h.addReconciler({});
    h.runFor(5'000);
    h.cloud->setPower(vm.resourceKey, PowerState::Deleted);
    h.runFor(2 * 60'000);
    QCOMPARE_ENUM(h.store->vm(vm.id)->powerState, PowerState::Deleted);
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty()); // nothing left to start
    const QList<EventRecord> changes = h.events(vm.id, EventKind::PowerChange);
    QCOMPARE(changes.size(), 1);
    QVERIFY(changes[0].message.contains(u"deleted"_s));
}

void TestReconciler::tagOptInAndOptOut()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::None, PowerState::Running);
    h.cloud->setTags(vm.resourceKey, {{u"SpotKeeper:Auto-Restart"_s, u"TRUE"_s}});
    ReconcilerConfig config;
    config.fullListIntervalMs = 120'000;
    h.addReconciler(config);
    h.runFor(5'000);
    QCOMPARE_ENUM(h.store->vm(vm.id)->managedBy, ManagedBy::Tag);
    h.cloud->setTags(vm.resourceKey, {{u"spotkeeper:auto-restart"_s, u"false"_s}});
    h.runFor(3 * 60'000);
    QCOMPARE_ENUM(h.store->vm(vm.id)->managedBy, ManagedBy::None);
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.runFor(2 * 60'000);
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
}

// Issue 15: Google Cloud's listing is filtered by the opt-in label; a VM it lacks (an agent's
// VM without the label) is not deleted, while a complete listing's gap still is.
void TestReconciler::partialListingProvesNoDeletion()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-gone"_s, ManagedBy::Agent, PowerState::Running);
    h.cloud->listsComplete = false;
    h.addReconciler({});
    h.runFor(5'000);
    h.cloud->setPower(vm.resourceKey, PowerState::Deleted); // absent from the listing
    h.runFor(2 * 60'000);
    QCOMPARE_ENUM(h.store->vm(vm.id)->powerState, PowerState::Running);
    QVERIFY(h.events(vm.id, EventKind::PowerChange).isEmpty());
}

// The same opt-in as Azure's tag, as a Google Cloud label (whose keys allow no ':').
void TestReconciler::googleCloudLabelOptsIn()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-label"_s, ManagedBy::None, PowerState::Running);
    h.cloud->setTags(vm.resourceKey, {{u"spotkeeper-auto-restart"_s, u"true"_s}});
    ReconcilerConfig config;
    config.fullListIntervalMs = 120'000;
    h.addReconciler(config);
    h.runFor(5'000);
    QCOMPARE_ENUM(h.store->vm(vm.id)->managedBy, ManagedBy::Tag);
}

QTEST_GUILESS_MAIN(TestReconciler)
#include "tst_reconciler.moc"
