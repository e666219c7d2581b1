// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 12.1: a VM a person or a pipeline stopped stays stopped; 12.6: an unconfirmed
// notice watches the VM's power state so the start follows the deallocation.
#include "support/engine/enginetestharness.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using Kind = FakeCloudProvider::Kind;

namespace {

const QString kAlice = u"alice@contoso.com"_s;
const QString kDeallocate = u"Microsoft.Compute/virtualMachines/deallocate/action"_s;

EvidenceResult deliberate(const QString &caller, const QString &operation)
{
    EvidenceResult result;
    result.kind = EvidenceKind::Deliberate;
    result.caller = caller;
    result.operation = operation;
    result.evidence = operation + u" Succeeded at 2026-01-01T00:00:00Z (operationId op-1)"_s;
    return result;
}

QList<AuditRecord> auditRows(EngineHarness &h)
{
    return h.store->audit(h.clock.nowUtc().addDays(-1), h.clock.nowUtc().addDays(1), 1'000);
}

// A tagged VM the reconciler has seen running (first sweep done).
VmRecord taggedRunningVm(EngineHarness &h, const QString &name)
{
    const VmRecord vm = h.addVm(name, ManagedBy::None, PowerState::Running);
    h.cloud->setTags(vm.resourceKey, {{u"spotkeeper:auto-restart"_s, u"true"_s}});
    return vm;
}

} // namespace

class TestDeliberateStop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void userDeallocationStaysStopped_data();
    void userDeallocationStaysStopped();
    void userPowerOffStaysStopped();
    void unexplainedPowerOffIsLeftStopped();
    void evictionEvidenceRestarts();
    void lateEvidenceIsWaitedFor();
    void manyWaitingVmsShareOneListing_data();
    void manyWaitingVmsShareOneListing();
    void aListingCutShortFallsBackToOneQueryPerVm();
    void unprovenDeallocationFollowsTheConfiguredDefault_data();
    void unprovenDeallocationFollowsTheConfiguredDefault();
    void preemptNoticeNeedsNoActivityLog();
    void stopOnPurposeAndStartAreAudited();
    void terminateIsNeverRestarted();
    void deleteEvictionPolicyNeedsOperator();
    void cloudReasonKeepsTheVmStopped();
    void unconfirmedNoticeWatchesUntilDeallocated();
    void unconfirmedNoticeWatchIsBounded();
};

void TestDeliberateStop::userDeallocationStaysStopped_data()
{
    QTest::addColumn<QString>("operation");
    QTest::newRow("deallocate") << kDeallocate;
    QTest::newRow("powerOff") << u"Microsoft.Compute/virtualMachines/powerOff/action"_s;
    QTest::newRow("delete") << u"Microsoft.Compute/virtualMachines/delete"_s;
}

void TestDeliberateStop::userDeallocationStaysStopped()
{
    QFETCH(QString, operation);
    EngineHarness h;
    const VmRecord vm = taggedRunningVm(h, u"spot-user"_s);
    h.addReconciler({});
    h.runFor(10'000);
    QCOMPARE_ENUM(h.store->vm(vm.id)->managedBy, ManagedBy::Tag);
    QSignalSpy stopped(h.engine.get(), &RestartEngine::stoppedOnPurpose);

    // Alice deallocates it through ARM: no notice; the Activity Log names her.
    h.cloud->setEvidenceResult(vm.resourceKey, deliberate(kAlice, operation));
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.runFor(10 * 60'000);

    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
    QVERIFY(h.events(vm.id, EventKind::Eviction).isEmpty());
    const VmRecord after = *h.store->vm(vm.id);
    QCOMPARE_ENUM(after.desiredState, DesiredState::Stopped);
    QCOMPARE(after.stoppedBy, kAlice);
    QCOMPARE(after.stoppedOperation, operation);
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(1).toString(), kAlice);
    // One audit row naming the caller and the operation, one event in the VM's timeline.
    const QList<AuditRecord> audit = auditRows(h);
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit[0].action, u"stopped_on_purpose"_s);
    QCOMPARE(audit[0].target, vm.resourceKey);
    QVERIFY2(audit[0].detail.contains(kAlice) && audit[0].detail.contains(operation),
             qPrintable(audit[0].detail));
    int timeline = 0;
    for (const EventRecord &e : h.events(vm.id, EventKind::PowerChange))
        timeline += e.message.startsWith(u"Stopped on purpose by "_s + kAlice) ? 1 : 0;
    QCOMPARE(timeline, 1);
    // The decision came from one Activity Log read, not a poll loop.
    QCOMPARE(h.cloud->count(Kind::Evidence, vm.resourceKey), 1);
}

void TestDeliberateStop::userPowerOffStaysStopped()
{
    // Powered off (PowerState/stopped, still allocated), not deallocated: the reconciler
    // reads the Activity Log for it as well, and Bob's powerOff keeps it stopped.
    const QString powerOff = u"Microsoft.Compute/virtualMachines/powerOff/action"_s;
    EngineHarness h;
    const VmRecord vm = taggedRunningVm(h, u"spot-off"_s);
    h.addReconciler({});
    h.runFor(10'000);
    h.cloud->setEvidenceResult(vm.resourceKey, deliberate(u"bob@contoso.com"_s, powerOff));
    h.cloud->setPower(vm.resourceKey, PowerState::Stopped);
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE(h.cloud->count(Kind::Evidence, vm.resourceKey), 1);
    const VmRecord after = *h.store->vm(vm.id);
    QCOMPARE_ENUM(after.desiredState, DesiredState::Stopped);
    QCOMPARE(after.stoppedBy, u"bob@contoso.com"_s);
    QCOMPARE(after.stoppedOperation, powerOff);
    const QList<AuditRecord> audit = auditRows(h);
    QCOMPARE(audit.size(), 1);
    QVERIFY(audit[0].detail.contains(powerOff));
}

void TestDeliberateStop::unexplainedPowerOffIsLeftStopped()
{
    // No evidence at all, and unproven_deallocation = restart: a powered-off VM is still left
    // alone, as no eviction powers a VM off (a shutdown from inside the guest looks like this).
    EngineConfig config = EngineHarness::defaultConfig();
    config.restartUnproven = true;
    EngineHarness h(config);
    const VmRecord vm = taggedRunningVm(h, u"spot-halted"_s);
    h.addReconciler({});
    h.runFor(10'000);
    h.cloud->setPower(vm.resourceKey, PowerState::Stopped);
    h.runFor(15 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QVERIFY(h.cloud->count(Kind::Evidence, vm.resourceKey) >= 2); // it did look
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
    bool left = false;
    for (const EventRecord &e : h.events(vm.id, EventKind::PowerChange))
        left = left || e.message.contains(u"left stopped"_s);
    QVERIFY(left);
}

void TestDeliberateStop::evictionEvidenceRestarts()
{
    EngineHarness h;
    const VmRecord vm = taggedRunningVm(h, u"spot-evicted"_s);
    h.addReconciler({});
    h.runFor(10'000);
    h.cloud->setEvidence(vm.resourceKey, u"evictSpotVM/action Succeeded (operationId e-1)"_s);
    const QDateTime down = h.clock.nowUtc();
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    QVERIFY(h.runUntilTrue([&] { return h.cloud->count(Kind::Start) == 1; }, 5 * 60'000));
    // Evidence at the first read: the start follows the sweep that saw the VM down.
    QVERIFY(h.clock.nowUtc() <= down.addMSecs(60'000 + 5'000));
    h.runFor(3 * 60'000);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
    QCOMPARE(h.latestJob(vm.id)->trigger, u"reconciler"_s);
    const QList<EventRecord> evictions = h.events(vm.id, EventKind::Eviction);
    QCOMPARE(evictions.size(), 1);
    QCOMPARE(evictions[0].evidence, u"evictSpotVM/action Succeeded (operationId e-1)"_s);
    QVERIFY(evictions[0].message.contains(u"Activity Log confirms an eviction"_s));
    QCOMPARE_ENUM(h.store->vm(vm.id)->desiredState, DesiredState::Running);
}

void TestDeliberateStop::lateEvidenceIsWaitedFor()
{
    // The Activity Log lags: nothing at the first reads, the user's deallocate two minutes on.
    EngineHarness h;
    const VmRecord vm = taggedRunningVm(h, u"spot-late"_s);
    h.addReconciler({});
    h.runFor(10'000);
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.runFor(2 * 60'000);
    const int earlyReads = h.cloud->count(Kind::Evidence, vm.resourceKey);
    QVERIFY2(earlyReads >= 2, qPrintable(QString::number(earlyReads)));
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    h.cloud->setEvidenceResult(vm.resourceKey, deliberate(kAlice, kDeallocate));
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE(h.store->vm(vm.id)->stoppedBy, kAlice);
    // Bounded: one read per evidencePollMs, never more than the window allows.
    const EngineConfig config = h.engine->config();
    const QList<QDateTime> reads = h.cloud->times(Kind::Evidence, vm.resourceKey);
    QVERIFY(reads.size() <= config.evidenceWaitMs / config.evidencePollMs + 1);
    for (qsizetype i = 1; i < reads.size(); ++i)
        QVERIFY(reads[i - 1].msecsTo(reads[i]) >= config.evidencePollMs);
}

void TestDeliberateStop::manyWaitingVmsShareOneListing_data()
{
    QTest::addColumn<int>("vms");
    QTest::newRow("1 VM: its own query") << 1;
    QTest::newRow("2 VMs: their own queries") << 2;
    QTest::newRow("3 VMs: one listing") << 3;
    QTest::newRow("40 VMs: one listing") << 40;
    QTest::newRow("450 VMs: one listing of 3 pages") << 450;
}

void TestDeliberateStop::manyWaitingVmsShareOneListing()
{
    // Issue 12.5: N VMs deallocated with no notice at once. One paged Activity Log listing of
    // the subscription answers all of them (one read per 200 records), not one query per VM;
    // one or two waiting VMs keep the cheaper per-VM query. Every fifth VM was stopped by
    // Alice (stays stopped), the rest were evicted (restarted).
    QFETCH(int, vms);
    EngineHarness h;
    QList<VmRecord> fleet;
    for (int i = 0; i < vms; ++i)
        fleet.append(taggedRunningVm(h, u"spot-%1"_s.arg(i, 4, 10, QChar(u'0'))));
    h.addReconciler({});
    h.runFor(10'000);
    for (int i = 0; i < vms; ++i) {
        const QString key = fleet[i].resourceKey;
        if (i % 5 == 4)
            h.cloud->setEvidenceResult(key, deliberate(kAlice, kDeallocate));
        else
            h.cloud->setEvidence(key, u"evictSpotVM/action Succeeded (operationId e-%1)"_s.arg(i));
        h.cloud->setPower(key, PowerState::Deallocated);
    }
    h.runFor(10 * 60'000);

    const int deliberateVms = vms / 5;
    QCOMPARE(h.cloud->count(Kind::Start), vms - deliberateVms);
    for (int i = 0; i < vms; ++i) {
        const VmRecord after = *h.store->vm(fleet[i].id);
        QCOMPARE_ENUM(after.desiredState,
                      i % 5 == 4 ? DesiredState::Stopped : DesiredState::Running);
    }
    int listingPages = 0;
    for (const FakeCloudProvider::Call &call : std::as_const(h.cloud->calls))
        listingPages += call.kind == Kind::EvidenceListing ? call.pages : 0;
    if (vms < 3) {
        QCOMPARE(h.cloud->count(Kind::Evidence), vms);
        QCOMPARE(h.cloud->count(Kind::EvidenceListing), 0);
    } else {
        // The first listing decided every VM: no second one, no per-VM query.
        QCOMPARE(h.cloud->count(Kind::Evidence), 0);
        QCOMPARE(h.cloud->count(Kind::EvidenceListing), 1);
        QCOMPARE(listingPages, (vms + h.cloud->evidencePageSize - 1) / h.cloud->evidencePageSize);
    }
}

void TestDeliberateStop::aListingCutShortFallsBackToOneQueryPerVm()
{
    // A listing that reaches its page bound before its end cannot say "nothing recorded" of
    // the VMs it did not reach: those ask about themselves next, one query each.
    EngineHarness h;
    h.cloud->evidencePageSize = 2;
    h.cloud->maxEvidencePages = 2; // 5 records need 3 pages
    QList<VmRecord> fleet;
    for (int i = 0; i < 5; ++i)
        fleet.append(taggedRunningVm(h, u"spot-%1"_s.arg(i)));
    h.addReconciler({});
    h.runFor(10'000);
    for (const VmRecord &vm : std::as_const(fleet)) {
        h.cloud->setEvidence(vm.resourceKey, u"evictSpotVM/action Succeeded"_s);
        h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    }
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::EvidenceListing), 1);
    for (const VmRecord &vm : std::as_const(fleet))
        QCOMPARE(h.cloud->count(Kind::Evidence, vm.resourceKey), 1);
    QCOMPARE(h.cloud->count(Kind::Start), 5);
}

void TestDeliberateStop::unprovenDeallocationFollowsTheConfiguredDefault_data()
{
    QTest::addColumn<bool>("restart");
    QTest::newRow("restart") << true;
    QTest::newRow("leave") << false;
}

void TestDeliberateStop::unprovenDeallocationFollowsTheConfiguredDefault()
{
    QFETCH(bool, restart);
    EngineConfig config = EngineHarness::defaultConfig();
    config.evidenceWaitMs = 4 * 60'000;
    config.restartUnproven = restart;
    EngineHarness h(config);
    const VmRecord vm = taggedRunningVm(h, u"spot-unproven"_s);
    h.addReconciler({});
    h.runFor(10'000);
    const QDateTime down = h.clock.nowUtc();
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.runFor(15 * 60'000);
    const QList<QDateTime> reads = h.cloud->times(Kind::Evidence, vm.resourceKey);
    QVERIFY(!reads.isEmpty());
    QVERIFY(reads.last() <= down.addMSecs(60'000 + config.evidenceWaitMs + 1'000));
    if (restart) {
        QCOMPARE(h.cloud->count(Kind::Start), 1);
        const QList<QDateTime> starts = h.cloud->times(Kind::Start);
        // Not before the evidence window is over.
        QVERIFY(starts[0] >= down.addMSecs(config.evidenceWaitMs));
        QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
        const QList<EventRecord> evictions = h.events(vm.id, EventKind::Eviction);
        QCOMPARE(evictions.size(), 1);
        QVERIFY2(evictions[0].message.contains(u"no Activity Log evidence found within 240 s"_s),
                 qPrintable(evictions[0].message));
    } else {
        QCOMPARE(h.cloud->count(Kind::Start), 0);
        QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
        bool left = false;
        for (const EventRecord &e : h.events(vm.id, EventKind::PowerChange))
            left = left || e.message.contains(u"unproven_deallocation=leave"_s);
        QVERIFY(left);
    }
}

void TestDeliberateStop::preemptNoticeNeedsNoActivityLog()
{
    EngineHarness h;
    const VmRecord vm = taggedRunningVm(h, u"spot-agent"_s);
    h.addReconciler({});
    h.runFor(10'000);
    const QDateTime notBefore = h.clock.nowUtc().addSecs(30);
    h.cloud->setPowerAt(vm.resourceKey, notBefore.addSecs(5), PowerState::Deallocating);
    h.cloud->setPowerAt(vm.resourceKey, notBefore.addSecs(40), PowerState::Deallocated);
    h.notice(vm, notBefore);
    QVERIFY(h.runUntilTrue([&] { return h.cloud->count(Kind::Start) == 1; }, 3 * 60'000));
    QVERIFY(h.clock.nowUtc() <= notBefore.addSecs(40 + 3));
    h.runFor(5 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Evidence), 0);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
}

void TestDeliberateStop::stopOnPurposeAndStartAreAudited()
{
    EngineHarness h;
    const VmRecord vm = taggedRunningVm(h, u"spot-op"_s);
    h.addReconciler({});
    h.runFor(10'000);
    const OperationResult stop = h.engine->stopOnPurpose(vm.id, u"gui:alice"_s);
    QVERIFY2(stop.ok(), qPrintable(stop.message));
    QCOMPARE(h.cloud->count(Kind::Deallocate, vm.resourceKey), 1);
    QCOMPARE_ENUM(h.store->vm(vm.id)->desiredState, DesiredState::Stopped);
    QCOMPARE(h.store->vm(vm.id)->stoppedBy, u"gui:alice"_s);
    h.runFor(10 * 60'000); // the reconciler sees it go down
    QCOMPARE_ENUM(h.store->vm(vm.id)->powerState, PowerState::Deallocated);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE(h.cloud->count(Kind::Evidence), 0);
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
    QList<AuditRecord> audit = auditRows(h);
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit[0].action, u"stop_on_purpose"_s);
    QCOMPARE(audit[0].actor, u"gui:alice"_s);

    const OperationResult start = h.engine->startVm(vm.id, u"gui:bob"_s);
    QVERIFY2(start.ok(), qPrintable(start.message));
    QCOMPARE_ENUM(h.store->vm(vm.id)->desiredState, DesiredState::Running);
    QVERIFY(h.store->vm(vm.id)->stoppedBy.isEmpty());
    h.runFor(3 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
    audit = auditRows(h);
    QCOMPARE(audit.size(), 2);
    QCOMPARE(audit[0].action + audit[1].action, u"stop_on_purposestart"_s);

    // Stop on purpose while a restart job runs: the job ends, nothing starts the VM again.
    const VmRecord busy = h.addVm(u"spot-busy"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->startRule = [](const QString &) -> std::optional<FakeCloudProvider::StartScript> {
        return FakeCloudProvider::StartScript {FailureClass::Capacity, u"AllocationFailed"_s, 409};
    };
    h.notice(busy, h.clock.nowUtc());
    h.runFor(5'000);
    QVERIFY(h.store->activeJob(busy.id));
    QVERIFY(h.engine->stopOnPurpose(busy.id, u"cli"_s).ok());
    QVERIFY(!h.store->activeJob(busy.id));
    QCOMPARE_ENUM(h.latestJob(busy.id)->state, JobState::Cancelled);
    const int starts = h.cloud->count(Kind::Start, busy.resourceKey);
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start, busy.resourceKey), starts);
    QCOMPARE(h.engine->stopOnPurpose(9'999, u"cli"_s).status, OperationResult::Status::NotFound);
}

void TestDeliberateStop::terminateIsNeverRestarted()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-term"_s, ManagedBy::Agent, PowerState::Running);
    h.notice(vm, h.clock.nowUtc().addSecs(30), u"Terminate"_s);
    h.cloud->setPowerAt(vm.resourceKey, h.clock.nowUtc().addSecs(40), PowerState::Deleted);
    h.runFor(10 * 60'000);
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QVERIFY(h.events(vm.id, EventKind::Eviction).isEmpty());
    QCOMPARE_ENUM(h.store->vm(vm.id)->desiredState, DesiredState::Stopped);
}

void TestDeliberateStop::deleteEvictionPolicyNeedsOperator()
{
    EngineHarness h;
    VmRecord vm = h.addVm(u"spot-delete"_s, ManagedBy::Agent, PowerState::Running);
    vm.evictionPolicy = u"Delete"_s;
    h.store->upsertVm(vm);
    QSignalSpy needs(h.engine.get(), &RestartEngine::needsOperator);
    h.notice(vm, h.clock.nowUtc().addSecs(30));
    h.cloud->setPowerAt(vm.resourceKey, h.clock.nowUtc().addSecs(40), PowerState::Deleted);
    h.runFor(60 * 60'000);
    const auto job = h.store->activeJob(vm.id);
    QVERIFY(job);
    QCOMPARE_ENUM(job->state, JobState::NeedsOperator);
    QVERIFY2(job->reason.contains(u"Delete eviction policy"_s)
                 && job->reason.contains(u"cannot be started"_s),
             qPrintable(job->reason));
    QCOMPARE(needs.size(), 1);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE(h.cloud->count(Kind::PowerState), 0); // no retry loop, not even reads
}

void TestDeliberateStop::cloudReasonKeepsTheVmStopped()
{
    // A cloud that will not have the VM started (Google Cloud: termination action DELETE, a
    // managed instance group's VM) parks the job with the cloud's own words, on the notice
    // path and on the reconciler's, and nothing is ever started.
    EngineHarness h;
    const VmRecord noticed = h.addVm(u"mig-member-1"_s, ManagedBy::Agent, PowerState::Running);
    const VmRecord silent = h.addVm(u"mig-member-2"_s, ManagedBy::Tag, PowerState::Running);
    const QString reason = u"its managed instance group (spot-mig) recreates it"_s;
    h.cloud->setCannotRestart(noticed.resourceKey, reason);
    h.cloud->setCannotRestart(silent.resourceKey, reason);
    h.notice(noticed, h.clock.nowUtc().addSecs(30));
    h.cloud->setPowerAt(noticed.resourceKey, h.clock.nowUtc().addSecs(40), PowerState::Deallocated);
    h.cloud->setPower(silent.resourceKey, PowerState::Deallocated);
    QVERIFY(h.engine->handleUnreportedEviction(silent.id, PowerState::Deallocated));
    h.runFor(30 * 60'000);
    for (const VmRecord &vm : {noticed, silent}) {
        const auto job = h.store->activeJob(vm.id);
        QVERIFY(job);
        QCOMPARE_ENUM(job->state, JobState::NeedsOperator);
        QVERIFY2(job->reason.contains(reason), qPrintable(job->reason));
    }
    QCOMPARE(h.cloud->count(Kind::Start), 0);
}

void TestDeliberateStop::unconfirmedNoticeWatchesUntilDeallocated()
{
    // The seed's agent posts at Scheduled: the VM is still running at the first read. No
    // reconciler here: the watch alone must start the VM right after it deallocates.
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-seed"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime deallocated = h.clock.nowUtc().addSecs(35);
    h.cloud->setPowerAt(vm.resourceKey, h.clock.nowUtc().addSecs(30), PowerState::Deallocating);
    h.cloud->setPowerAt(vm.resourceKey, deallocated, PowerState::Deallocated);
    h.engine->handleUnconfirmedNotice(vm.id);
    QVERIFY(h.runUntilTrue([&] { return h.cloud->count(Kind::Start) == 1; }, 5 * 60'000));
    const EngineConfig config = h.engine->config();
    // As fast as the signed path: within one poll interval (plus reply latency).
    QVERIFY2(h.clock.nowUtc() <= deallocated.addMSecs(config.deallocationPollMs + 1'000),
             qPrintable(h.clock.nowUtc().toString(Qt::ISODateWithMs)));
    h.runFor(3 * 60'000);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
    QCOMPARE(h.latestJob(vm.id)->trigger, u"notice"_s);
}

void TestDeliberateStop::unconfirmedNoticeWatchIsBounded()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-never"_s, ManagedBy::Agent, PowerState::Running);
    h.engine->handleUnconfirmedNotice(vm.id);
    h.runFor(30 * 60'000);
    const EngineConfig config = h.engine->config();
    const QList<QDateTime> reads = h.cloud->times(Kind::PowerState, vm.resourceKey);
    QVERIFY(reads.size() >= 2);
    QVERIFY(reads.size() <= config.unconfirmedWatchMs / config.deallocationPollMs + 2);
    QVERIFY(reads.first().msecsTo(reads.last()) <= config.unconfirmedWatchMs);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QVERIFY(h.store->jobs(vm.id, 10).isEmpty());
}

QTEST_GUILESS_MAIN(TestDeliberateStop)
#include "tst_deliberatestop.moc"
