// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Engine decisions an operator can trust (issue 12): a 202 without an async-operation URL,
// two engines on one store, storms paced by ARM's write budget rather than by reads.
#include "engine/engineidentity.h"
#include "support/engine/enginetestharness.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>
#include <QTest>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using Kind = FakeCloudProvider::Kind;
using Script = FakeCloudProvider::StartScript;

class TestEngineDecisions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acceptedWithoutUrlIsNotSuccessUntilRunning();
    void lostLeaseCannotOverwriteAPausedJob();
    void secondEngineNeverStartsWhatAnotherStarts();
    void identityIsStablePerStoreAndHostAndExclusive();
    void stormReadsComeFromListsAndTheWriteBucketSetsThePace();
    void stormStartThatDidNotTakeIsAskedOnceThenRetried();
};

namespace {

EngineConfig ownerConfig(const QString &owner)
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.owner = owner;
    return config;
}

} // namespace

void TestEngineDecisions::acceptedWithoutUrlIsNotSuccessUntilRunning()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    Script lost;
    lost.acceptedWithoutUrl = true; // 202, no Azure-AsyncOperation, no Location; VM stays down
    h.cloud->scriptStarts(vm.resourceKey, {lost});
    h.notice(vm, h.clock.nowUtc());
    h.runFor(2'000);
    QCOMPARE(h.cloud->count(Kind::Start, vm.resourceKey), 1);
    auto job = h.store->activeJob(vm.id);
    QVERIFY2(job, "a 202 without a URL must not finish the job");
    QCOMPARE_ENUM(job->state, JobState::Starting);

    // The power read after startingPollMs finds the VM still deallocated: started again.
    h.runFor(h.engine->config().startingPollMs + 60'000);
    QCOMPARE(h.cloud->count(Kind::Start, vm.resourceKey), 2);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
    QCOMPARE_ENUM(h.cloud->power(vm.resourceKey), PowerState::Running);
}

void TestEngineDecisions::lostLeaseCannotOverwriteAPausedJob()
{
    EngineHarness h; // engine A
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    Script slow;
    slow.operationMs = 20'000; // done before A's next lease renewal (leaseMs / 3)
    h.cloud->scriptStarts(vm.resourceKey, {slow});
    h.notice(vm, h.clock.nowUtc());
    h.runFor(1'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::Starting);

    // Engine B on the same store: an operator pauses the VM through it while A's start runs.
    RestartEngine b(*h.store, *h.cloud, h.clock, ownerConfig(u"engine-b"_s));
    b.start();
    QVERIFY(b.trackedJobs().isEmpty()); // A's lease is alive: not B's to work on
    QVERIFY(b.pauseAutoRestart(vm.id, u"alice"_s).ok());
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::Paused);

    h.runFor(90'000); // A's start completes (B's lease still holds): no undoing the pause
    const auto job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Paused);
    QCOMPARE(job->leaseOwner, u"engine-b"_s);
    QVERIFY(h.engine->trackedJobs().isEmpty()); // A let the job go
    QCOMPARE(h.cloud->count(Kind::Start), 1);
}

void TestEngineDecisions::secondEngineNeverStartsWhatAnotherStarts()
{
    EngineHarness h; // engine A
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(35), PowerState::Deallocated);
    h.notice(vm, t0.addSecs(30));
    h.runFor(35'500); // A's first poll at 30 s saw running; the next one is due at 32 s...
    h.cloud->latencyMs = 200'000; // ...and A's poll at ~36 s is answered only after a stall
    h.runFor(2'000);
    QVERIFY(h.cloud->pendingReplies() > 0);
    h.cloud->latencyMs = 100;

    // A stalls (no lease renewal); B rescues the job once A's lease expired and starts it.
    std::unique_ptr<RestartEngine> a = std::move(h.engine);
    h.engine =
        std::make_unique<RestartEngine>(*h.store, *h.cloud, h.clock, ownerConfig(u"engine-b"_s));
    h.engine->start();
    QVERIFY(h.runUntilTrue(
        [&] {
            const auto job = h.latestJob(vm.id);
            return job && job->state == JobState::Running;
        },
        10 * 60'000));
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QCOMPARE(h.latestJob(vm.id)->leaseOwner, u"engine-b"_s);

    // A's late answer ("deallocated", as of 36 s) arrives now: A must not POST a start.
    h.runFor(300'000);
    QCOMPARE(h.cloud->pendingReplies(), 0);
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QCOMPARE(h.cloud->startsWhileRunning, 0);
    QVERIFY(a->trackedJobs().isEmpty());
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
}

void TestEngineDecisions::identityIsStablePerStoreAndHostAndExclusive()
{
    EngineHarness h;
    auto first = EngineIdentity::acquire(*h.store, {});
    QVERIFY(first->isStable());
    QVERIFY(first->owner().startsWith(u"engine:"_s));
    QVERIFY(!first->owner().contains(QString::number(QCoreApplication::applicationPid())));
    QVERIFY(QFile::exists(first->lockPath()));
    const QString stable = first->owner();
    const QString lockPath = first->lockPath();

    // A second engine running at the same time on this host and store gets its own identity.
    auto second = EngineIdentity::acquire(*h.store, {});
    QVERIFY(!second->isStable());
    QVERIFY(second->owner() != stable);

    // The first one stops (or is killed: a lock whose process is gone is stale): the next
    // engine works under the same identity again and so reclaims its leases at once.
    second.reset();
    first.reset();
    QVERIFY(!QFile::exists(lockPath));
    QFile dead(lockPath);
    QVERIFY(dead.open(QIODevice::WriteOnly));
    dead.write("2147483646\n" + QCoreApplication::applicationName().toUtf8() + "\n"
               + QSysInfo::machineHostName().toUtf8() + "\n");
    dead.close();
    auto third = EngineIdentity::acquire(*h.store, {});
    QVERIFY(third->isStable());
    QCOMPARE(third->owner(), stable);

    // Another store on the same host has its own identity; a configured one is used as is.
    EngineHarness other;
    auto elsewhere = EngineIdentity::acquire(*other.store, {});
    QVERIFY(elsewhere->owner() != stable);
    auto configured = EngineIdentity::acquire(*other.store, u"engine:blue"_s);
    QCOMPARE(configured->owner(), u"engine:blue"_s);
    QVERIFY(configured->isStable());
}

void TestEngineDecisions::stormReadsComeFromListsAndTheWriteBucketSetsThePace()
{
    // 200 VMs deallocated at once; ARM's write bucket (here 20 + 2/s) allows (200 - 20) / 2 =
    // 90 s of starts at best. The reads must not set the pace, and must stay near one list
    // page per 50 VMs per sweep instead of GETs and operation polls per VM.
    constexpr int kVms = 200;
    EngineConfig config = EngineHarness::defaultConfig();
    config.budgets.subscriptionWrites = {20, 2, 1'000};
    EngineHarness h(config);
    h.cloud->enforceWriteBucket(20, 2);
    h.cloud->listPageSize = 50;
    const QDateTime t0 = h.clock.nowUtc();
    QList<VmRecord> vms;
    for (int i = 0; i < kVms; ++i) {
        vms.append(h.addVm(u"spot-%1"_s.arg(i, 3, 10, QChar(u'0')), ManagedBy::Agent,
                           PowerState::Running));
        h.cloud->setPowerAt(vms.last().resourceKey, t0.addSecs(35), PowerState::Deallocated);
    }
    for (const VmRecord &vm : std::as_const(vms))
        h.notice(vm, t0.addSecs(30), u"Preempt"_s, u"ev-"_s + vm.name);
    QVERIFY(h.runUntilTrue(
        [&] {
            for (const VmRecord &vm : std::as_const(vms)) {
                const auto job = h.latestJob(vm.id);
                if (!job || job->state != JobState::Running)
                    return false;
            }
            return true;
        },
        30 * 60'000));

    int listPages = 0;
    for (const auto &call : std::as_const(h.cloud->calls))
        listPages += call.kind == Kind::List ? call.pages : 0;
    const int gets = h.cloud->count(Kind::PowerState);
    const int polls = h.cloud->count(Kind::ResumeStart);
    const double readsPerVm = double(listPages + gets + polls) / kVms;
    QVERIFY2(
        readsPerVm <= 1.5,
        qPrintable(
            u"%1 list pages, %2 GETs, %3 operation follows"_s.arg(listPages).arg(gets).arg(polls)));
    QCOMPARE(h.cloud->count(Kind::Start), kVms);
    QCOMPARE(h.cloud->throttledStarts(), 0);
    QCOMPARE(h.cloud->startsWhileRunning, 0);
    const QList<QDateTime> starts = h.cloud->times(Kind::Start);
    const double spanSeconds = double(starts.first().msecsTo(starts.last())) / 1000.0;
    const double boundSeconds = (kVms - 20) / 2.0;
    QVERIFY2(spanSeconds <= 1.1 * boundSeconds,
             qPrintable(u"starts took %1 s, bound %2 s"_s.arg(spanSeconds).arg(boundSeconds)));
}

void TestEngineDecisions::stormStartThatDidNotTakeIsAskedOnceThenRetried()
{
    constexpr int kVms = 12; // over the storm threshold (10)
    EngineHarness h;
    h.cloud->listPageSize = 50;
    QList<VmRecord> vms;
    for (int i = 0; i < kVms; ++i)
        vms.append(h.addVm(u"spot-%1"_s.arg(i), ManagedBy::Agent, PowerState::Deallocated));
    Script asyncFail {FailureClass::Capacity, u"ZonalAllocationFailed"_s, 200};
    asyncFail.failAsync = true;
    asyncFail.operationMs = 5'000;
    h.cloud->scriptStarts(vms.first().resourceKey, {asyncFail});
    for (const VmRecord &vm : std::as_const(vms))
        h.notice(vm, h.clock.nowUtc(), u"Preempt"_s, u"ev-"_s + vm.name);
    QVERIFY(h.runUntilTrue(
        [&] {
            const auto job = h.latestJob(vms.first().id);
            return job && job->state == JobState::Running;
        },
        20 * 60'000));
    // The failed operation was read once (a list cannot say why), then the VM started again.
    QCOMPARE(h.cloud->count(Kind::ResumeStart, vms.first().resourceKey), 1);
    QCOMPARE(h.cloud->count(Kind::Start, vms.first().resourceKey), 2);
    const QList<EventRecord> attempts = h.events(vms.first().id, EventKind::RestartAttempt);
    bool sawCode = false;
    for (const EventRecord &e : attempts)
        sawCode = sawCode || e.armErrorCode == u"ZonalAllocationFailed"_s;
    QVERIFY(sawCode);
}

QTEST_GUILESS_MAIN(TestEngineDecisions)
#include "tst_enginedecisions.moc"
