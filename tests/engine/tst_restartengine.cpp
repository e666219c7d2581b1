// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The restart engine's state machine against the fake cloud, in simulated time.
#include "support/engine/enginetestharness.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using Kind = FakeCloudProvider::Kind;
using Script = FakeCloudProvider::StartScript;

namespace {

EngineConfig maxJitter()
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.random = [](qint64 highest) {
        return highest;
    }; // always the ceiling: exact schedule
    return config;
}

} // namespace

class TestRestartEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noticeWaitsForDeallocationThenStarts();
    void exactRetrySchedule();
    void retryAfterIsHonouredForTheWholeSubscription();
    void deallocatingAnd409sThenStarts();
    void capacityForAnHourThenSuccess();
    void capacityBackInOnePoolWakesItsWaiters();
    void perVmPaceHoldsEvenWithoutBackoff();
    void asyncFailedThenRetry();
    void killWithUrlPersistedResumesWithoutSecondPost_data();
    void killWithUrlPersistedResumesWithoutSecondPost();
    void killBeforeUrlRechecksPowerState();
    void idleEngineRescuesKilledEnginesLease();
    void runningVmIsNeverStarted();
    void vmStartedBySomeoneElseWhileBackingOff();
    void stopClassesNeedOperator_data();
    void stopClassesNeedOperator();
    void deletedVmWhileWaitingNeedsOperator();
    void terminatedAwsInstanceIsHandedToItsProvider();
    void duplicateNoticeIsNoop();
    void unmanagedOrPausedVmIsNotRestarted();
};

void TestRestartEngine::noticeWaitsForDeallocationThenStarts()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime t0 = h.clock.nowUtc();
    const QDateTime notBefore = t0.addSecs(30);
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(35), PowerState::Deallocating);
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(50), PowerState::Deallocated);
    QSignalSpy evicted(h.engine.get(), &RestartEngine::evictionRecorded);
    QSignalSpy succeeded(h.engine.get(), &RestartEngine::restartSucceeded);

    h.notice(vm, notBefore);
    QCOMPARE(evicted.size(), 1);
    QCOMPARE(h.events(vm.id, EventKind::Eviction).size(), 1);
    const auto job = h.store->activeJob(vm.id);
    QVERIFY(job);
    QCOMPARE_ENUM(job->state, JobState::WaitingForDeallocation);
    QCOMPARE(job->trigger, u"notice"_s);
    QCOMPARE(job->notBefore, notBefore);

    h.runFor(5 * 60'000);
    const QList<QDateTime> polls = h.cloud->times(Kind::PowerState, vm.resourceKey);
    QVERIFY(!polls.isEmpty());
    for (const QDateTime &at : polls)
        QVERIFY2(at >= notBefore, "polled before NotBefore");
    const QList<QDateTime> starts = h.cloud->times(Kind::Start, vm.resourceKey);
    QCOMPARE(starts.size(), 1);
    QVERIFY(starts[0] >= t0.addSecs(50));
    QVERIFY2(starts[0] <= t0.addMSecs(50'000 + 2'000 + 200), "deallocation noticed late");
    QCOMPARE(h.cloud->startsWhileRunning, 0);
    const auto done = h.latestJob(vm.id);
    QCOMPARE_ENUM(done->state, JobState::Running);
    QCOMPARE(done->attempt, 1);
    QVERIFY(done->finishedAt.isValid());
    QVERIFY(!h.store->activeJob(vm.id));
    const QList<EventRecord> attempts = h.events(vm.id, EventKind::RestartAttempt);
    QCOMPARE(attempts.size(), 1);
    QCOMPARE(attempts[0].httpStatus, 200);
    QCOMPARE(succeeded.size(), 1);
    QCOMPARE_ENUM(h.store->vm(vm.id)->powerState, PowerState::Running);
}

void TestRestartEngine::exactRetrySchedule()
{
    EngineHarness h(maxJitter());
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->scriptStarts(vm.resourceKey,
                          {{FailureClass::Transient, u"Conflict"_s},
                           {FailureClass::Transient, u"Conflict"_s},
                           {FailureClass::Transient, u"Conflict"_s}});
    const QDateTime t0 = h.clock.nowUtc();
    h.notice(vm, t0);
    h.runFor(10 * 60'000);
    // poll (0.1 s) -> start; failure after 0.1 s; wait the ceiling 10/20/40 s; poll; start.
    const QList<QDateTime> starts = h.cloud->times(Kind::Start, vm.resourceKey);
    QCOMPARE(starts,
             (QList<QDateTime> {t0.addMSecs(100), t0.addMSecs(10'300), t0.addMSecs(30'500),
                                t0.addMSecs(70'700)}));
    const auto job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Running);
    QCOMPARE(job->attempt, 4);
    const QList<EventRecord> attempts = h.events(vm.id, EventKind::RestartAttempt);
    QCOMPARE(attempts.size(), 4);
    QCOMPARE(attempts[0].armErrorCode, u"Conflict"_s);
    QCOMPARE(attempts[0].httpStatus, 409);
    QVERIFY(attempts[0].message.contains(t0.addMSecs(10'200).toString(Qt::ISODateWithMs)));
}

void TestRestartEngine::retryAfterIsHonouredForTheWholeSubscription()
{
    EngineHarness h(maxJitter());
    const VmRecord a = h.addVm(u"spot-a"_s, ManagedBy::Agent, PowerState::Deallocated);
    const VmRecord b = h.addVm(u"spot-b"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->scriptStarts(a.resourceKey,
                          {{FailureClass::Throttled, u"TooManyRequests"_s, 429, 120'000}});
    const QDateTime t0 = h.clock.nowUtc();
    h.notice(a, t0);
    h.runFor(5'000);
    h.notice(b, h.clock.nowUtc());
    h.runFor(5 * 60'000);
    const QDateTime retryAfter = t0.addMSecs(100 + 120'000);
    const QList<QDateTime> startsA = h.cloud->times(Kind::Start, a.resourceKey);
    QCOMPARE(startsA.size(), 2);
    QVERIFY2(startsA[1] >= retryAfter, "retried before Retry-After");
    QCOMPARE(startsA[1], retryAfter.addMSecs(100)); // Retry-After, then a fresh power check
    // The 429 spoke for the subscription's write bucket: B waits too.
    const QList<QDateTime> startsB = h.cloud->times(Kind::Start, b.resourceKey);
    QCOMPARE(startsB.size(), 1);
    QVERIFY2(startsB[0] >= retryAfter, "another VM's start went out during Retry-After");
    QCOMPARE_ENUM(h.latestJob(a.id)->state, JobState::Running);
    QCOMPARE_ENUM(h.latestJob(b.id)->state, JobState::Running);
}

void TestRestartEngine::deallocatingAnd409sThenStarts()
{
    EngineHarness h;
    h.cloud->enforceVmStartPace(12, 4);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(30), PowerState::Deallocating);
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(150), PowerState::Deallocated);
    // Azure's start still answers 409 for a while after the VM reads deallocated.
    h.cloud->scriptStarts(
        vm.resourceKey, QList<Script>(4, {FailureClass::Transient, u"OperationNotAllowed"_s, 409}));
    h.notice(vm, t0.addSecs(30));
    h.runFor(30 * 60'000);
    const QList<QDateTime> starts = h.cloud->times(Kind::Start, vm.resourceKey);
    QCOMPARE(starts.size(), 5);
    for (const QDateTime &at : starts)
        QCOMPARE_ENUM(h.cloud->powerAt(vm.resourceKey, at), PowerState::Deallocated);
    QCOMPARE(h.cloud->paceViolations(), 0);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
    QCOMPARE(h.latestJob(vm.id)->attempt, 5);
}

void TestRestartEngine::capacityForAnHourThenSuccess()
{
    EngineHarness h;
    h.cloud->enforceVmStartPace(12, 4);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->startRule = [&](const QString &) -> std::optional<Script> {
        if (h.clock.nowUtc() < t0.addSecs(3'600))
            return Script {FailureClass::Capacity, u"AllocationFailed"_s, 409};
        return std::nullopt;
    };
    QSignalSpy stillDown(h.engine.get(), &RestartEngine::vmStillDown);
    h.notice(vm, t0);
    h.runFor(90 * 60'000);
    const QList<QDateTime> starts = h.cloud->times(Kind::Start, vm.resourceKey);
    // Full jitter with a 30 s base and a 5 min cap: ~2.5 min apart once capped.
    QVERIFY2(starts.size() >= 15, qPrintable(QString::number(starts.size())));
    QVERIFY2(starts.size() <= 60, qPrintable(QString::number(starts.size())));
    QVERIFY(starts.last() >= t0.addSecs(3'600));
    QVERIFY(starts[starts.size() - 2] < t0.addSecs(3'600));
    QCOMPARE(h.cloud->paceViolations(), 0);
    QCOMPARE(h.cloud->throttledStarts(), 0);
    const auto job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Running);
    QCOMPARE(job->attempt, starts.size());
    QCOMPARE(h.events(vm.id, EventKind::RestartAttempt).size(), starts.size());
    // Still down after 15 min: one alert, however long it stays down; capacity errors of the
    // pool for 30 min: one more. Each event says what it means (the Notifier's kind).
    QCOMPARE(stillDown.size(), 1);
    QCOMPARE(stillDown[0][1].toInt(), 15);
    const QList<EventRecord> alerts = h.events(vm.id, EventKind::Alert);
    QCOMPARE(alerts.size(), 2);
    QStringList types;
    for (const EventRecord &alert : alerts)
        types << alert.eventType;
    types.sort();
    QCOMPARE(types, (QStringList {u"capacity"_s, u"still_down"_s}));
    for (const EventRecord &alert : alerts) {
        if (alert.eventType != u"capacity"_s)
            continue;
        QVERIFY(alert.at >= t0.addSecs(30 * 60));
        QVERIFY(alert.at < t0.addSecs(40 * 60));
        QVERIFY2(alert.message.startsWith(u"capacity errors for Standard_D2s_v5 in westeurope"_s),
                 qPrintable(alert.message));
        QCOMPARE(alert.armErrorCode, u"AllocationFailed"_s);
    }
    // The start that worked ends the job: a restart attempt event typed "restarted".
    const QList<EventRecord> attempts = h.events(vm.id, EventKind::RestartAttempt);
    int restarted = 0;
    for (const EventRecord &attempt : attempts)
        restarted += attempt.eventType == u"restarted"_s ? 1 : 0;
    QCOMPARE(restarted, 1);
}

void TestRestartEngine::capacityBackInOnePoolWakesItsWaiters()
{
    // Ceilings 30, 60, 120, 240, 300 s. A is noticed at 0, B (same subscription, region
    // and size) and C (another subscription: another pool) at 200 s; capacity is back at
    // 660 s. A retries at 451 (refused) and 751 (accepted); B and C at 651 (refused), and
    // without the wake-up both would retry next at 951.
    EngineHarness h(maxJitter());
    const QString otherSubscription = u"99999999-2222-3333-4444-555555555555"_s;
    const VmRecord a = h.addVm(u"spot-a"_s, ManagedBy::Agent, PowerState::Deallocated);
    const VmRecord b = h.addVm(u"spot-b"_s, ManagedBy::Agent, PowerState::Deallocated);
    const VmRecord c =
        h.addVm(u"spot-c"_s, ManagedBy::Agent, PowerState::Deallocated, otherSubscription);
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->startRule = [&](const QString &) -> std::optional<Script> {
        if (h.clock.nowUtc() < t0.addSecs(660))
            return Script {FailureClass::Capacity, u"AllocationFailed"_s, 409};
        return std::nullopt;
    };
    h.notice(a, t0);
    h.runFor(200'000);
    h.notice(b, h.clock.nowUtc());
    h.notice(c, h.clock.nowUtc());
    h.runFor(20 * 60'000);

    const QList<QDateTime> startsA = h.cloud->times(Kind::Start, a.resourceKey);
    const QList<QDateTime> startsB = h.cloud->times(Kind::Start, b.resourceKey);
    const QList<QDateTime> startsC = h.cloud->times(Kind::Start, c.resourceKey);
    QVERIFY(!startsA.isEmpty() && !startsB.isEmpty() && !startsC.isEmpty());
    QVERIFY2(startsA.last() >= t0.addSecs(660) && startsA.last() < t0.addSecs(760),
             qPrintable(startsA.last().toString(Qt::ISODateWithMs)));
    // B retried right after A's start succeeded (the fake's start takes a while), long
    // before its own backoff was up.
    const QDateTime aRunning = h.latestJob(a.id)->finishedAt;
    QVERIFY(aRunning.isValid());
    QVERIFY2(startsB.last() >= aRunning && startsB.last() < aRunning.addSecs(2),
             qPrintable(startsB.last().toString(Qt::ISODateWithMs) + u" vs "_s
                        + aRunning.toString(Qt::ISODateWithMs)));
    QVERIFY(startsB.last() < t0.addSecs(940));
    QVERIFY(startsB[startsB.size() - 2] < t0.addSecs(660));
    // C is in another pool: its schedule is untouched.
    QVERIFY2(startsC.last() >= t0.addSecs(940),
             qPrintable(startsC.last().toString(Qt::ISODateWithMs)));
    QCOMPARE_ENUM(h.latestJob(b.id)->state, JobState::Running);
    QCOMPARE_ENUM(h.latestJob(c.id)->state, JobState::Running);
    QCOMPARE(h.cloud->paceViolations(), 0);
    QCOMPARE(h.cloud->startsWhileRunning, 0);
}

void TestRestartEngine::perVmPaceHoldsEvenWithoutBackoff()
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.backoff = {1, 1, 1, 1}; // backoff practically off: only the budget paces
    EngineHarness h(config);
    h.cloud->enforceVmStartPace(12, 4);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->startRule = [](const QString &) -> std::optional<Script> {
        return Script {FailureClass::Capacity, u"SkuNotAvailable"_s, 409};
    };
    h.notice(vm, h.clock.nowUtc());
    h.runFor(10 * 60'000);
    const int starts = h.cloud->count(Kind::Start, vm.resourceKey);
    // A burst of 12, then 4 a minute: at most 12 + 40 in ten minutes, and the budget is used.
    QVERIFY2(starts <= 12 + 40 + 1, qPrintable(QString::number(starts)));
    QVERIFY2(starts >= 12 + 36, qPrintable(QString::number(starts)));
    QCOMPARE(h.cloud->paceViolations(), 0);
}

void TestRestartEngine::asyncFailedThenRetry()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    Script asyncFail {FailureClass::Capacity, u"ZonalAllocationFailed"_s, 200};
    asyncFail.failAsync = true;
    asyncFail.operationMs = 30'000;
    h.cloud->scriptStarts(vm.resourceKey, {asyncFail});
    h.notice(vm, h.clock.nowUtc());
    h.runFor(1'000);
    auto job = h.store->activeJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Starting);
    QVERIFY2(job->asyncOperationUrl.startsWith(u"https://fake.invalid/operations/"_s),
             "async URL not persisted while waiting on it");
    h.runFor(20 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start, vm.resourceKey), 2);
    const QList<EventRecord> attempts = h.events(vm.id, EventKind::RestartAttempt);
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts[0].armErrorCode, u"ZonalAllocationFailed"_s);
    QVERIFY(attempts[1].armErrorCode.isEmpty());
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
}

void TestRestartEngine::killWithUrlPersistedResumesWithoutSecondPost_data()
{
    QTest::addColumn<bool>("sameOwner");
    QTest::newRow("same owner, operation still running") << true;
    QTest::newRow("new owner after the lease expired") << false;
}

void TestRestartEngine::killWithUrlPersistedResumesWithoutSecondPost()
{
    QFETCH(bool, sameOwner);
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    Script slow;
    slow.operationMs = 60'000;
    h.cloud->scriptStarts(vm.resourceKey, {slow});
    h.notice(vm, h.clock.nowUtc());
    h.runFor(1'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QVERIFY(!h.store->activeJob(vm.id)->asyncOperationUrl.isEmpty());

    EngineConfig config = EngineHarness::defaultConfig();
    if (!sameOwner) {
        config.owner = u"engine-b"_s;
        h.clock.advanceMSecs(config.leaseMs + 1'000);
    }
    h.restartEngine(config);
    QCOMPARE(h.engine->trackedJobs().size(), 1);
    h.runFor(5 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1); // no duplicate POST
    QCOMPARE(h.cloud->count(Kind::ResumeStart), 1);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
    QCOMPARE(h.latestJob(vm.id)->leaseOwner, config.owner);
    QVERIFY(h.engine->trackedJobs().isEmpty());
}

void TestRestartEngine::killBeforeUrlRechecksPowerState()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->latencyMs = 2'000; // the 202 (and its URL) is slow to come back
    h.notice(vm, h.clock.nowUtc());
    h.runFor(3'000); // poll answered at 2 s, start POSTed at 2 s, 202 due at 4 s
    auto job = h.store->activeJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Starting);
    QVERIFY(job->asyncOperationUrl.isEmpty());
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    h.cloud->latencyMs = 100;
    h.clock.advanceMSecs(2'000); // Azure is starting the VM meanwhile
    h.restartEngine(EngineHarness::defaultConfig());
    h.runFor(5 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1); // looked first, saw it starting/running
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
}

void TestRestartEngine::idleEngineRescuesKilledEnginesLease()
{
    EngineHarness h; // engine A ("engine-a")
    EngineConfig configB = EngineHarness::defaultConfig();
    configB.owner = u"engine-b"_s;
    auto b = std::make_unique<RestartEngine>(*h.store, *h.cloud, h.clock, configB);
    b->start(); // already running, nothing of its own
    QVERIFY(b->trackedJobs().isEmpty());
    QVERIFY2(b->nextDueAt().isValid(), "an idle engine must still wake to rescue leases");

    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(35), PowerState::Deallocated);
    h.notice(vm, t0.addSecs(30)); // A claims the job
    const auto leased = h.store->activeJob(vm.id);
    QVERIFY(leased);
    QCOMPARE(leased->leaseOwner, u"engine-a"_s);
    const QDateTime expiry = leased->leaseExpiresAt;
    QVERIFY(expiry > t0.addSecs(35));
    h.runFor(10'000); // A works on it, nothing polled yet (NotBefore)
    QCOMPARE(h.cloud->count(Kind::PowerState), 0);

    // SIGKILL A: no releaseJobs(), its replies are lost. Only B's own due times drive now.
    h.engine.reset();
    h.cloud->dropPendingReplies();
    h.engine = std::move(b);
    QVERIFY(h.runUntilTrue(
        [&] {
            const auto job = h.latestJob(vm.id);
            return job && job->state == JobState::Running;
        },
        10 * 60'000));
    const QList<QDateTime> polls = h.cloud->times(Kind::PowerState, vm.resourceKey);
    QVERIFY(!polls.isEmpty());
    QCOMPARE(polls.first(), expiry); // woke at the dead lease's expiry, not before or later
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QCOMPARE(h.cloud->startsWhileRunning, 0);
    const auto done = h.latestJob(vm.id);
    QCOMPARE(done->leaseOwner, u"engine-b"_s);
    QVERIFY(h.engine->trackedJobs().isEmpty());
    QVERIFY(h.engine->nextDueAt().isValid()); // keeps watching for other dead leases
}

void TestRestartEngine::runningVmIsNeverStarted()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime notBefore = h.clock.nowUtc().addSecs(30);
    h.notice(vm, notBefore); // the eviction never happens
    h.runFor(4 * 60'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForDeallocation);
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
    QVERIFY(h.latestJob(vm.id)->finishedAt
            >= notBefore.addMSecs(h.engine->config().evictionGraceMs));
}

void TestRestartEngine::vmStartedBySomeoneElseWhileBackingOff()
{
    EngineHarness h(maxJitter());
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->scriptStarts(vm.resourceKey, {{FailureClass::Capacity, u"AllocationFailed"_s}});
    h.notice(vm, h.clock.nowUtc());
    h.runFor(5'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::BackingOff);
    h.cloud->setPower(vm.resourceKey, PowerState::Running); // an operator used the portal
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QCOMPARE(h.cloud->startsWhileRunning, 0);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
}

void TestRestartEngine::stopClassesNeedOperator_data()
{
    QTest::addColumn<int>("failure");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("advice");
    QTest::newRow("404 deleted") << int(FailureClass::NotFound) << u"NotFound"_s
                                 << u"no longer exists"_s;
    QTest::newRow("price") << int(FailureClass::Price) << u"SpotPriceGreaterThanProvidedMaxPrice"_s
                           << u"maxPrice"_s;
    QTest::newRow("quota") << int(FailureClass::Quota) << u"OperationNotAllowed"_s << u"quota"_s;
    QTest::newRow("authorization")
        << int(FailureClass::Authorization) << u"AuthorizationFailed"_s << u"start/action"_s;
    QTest::newRow("fatal") << int(FailureClass::Fatal) << u"InvalidParameter"_s << u"cannot fix"_s;
}

void TestRestartEngine::stopClassesNeedOperator()
{
    QFETCH(int, failure);
    QFETCH(QString, code);
    QFETCH(QString, advice);
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->scriptStarts(vm.resourceKey, {{FailureClass(failure), code}});
    QSignalSpy needs(h.engine.get(), &RestartEngine::needsOperator);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(60 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1); // stopped, not retried
    const auto job = h.store->activeJob(vm.id);
    QVERIFY(job);
    QCOMPARE_ENUM(job->state, JobState::NeedsOperator);
    QVERIFY2(job->reason.contains(toString(FailureClass(failure))), qPrintable(job->reason));
    QVERIFY2(job->reason.contains(code), qPrintable(job->reason));
    QVERIFY2(job->reason.contains(advice), qPrintable(job->reason));
    QCOMPARE(job->lastErrorCode, code);
    QCOMPARE(needs.size(), 1);
    QCOMPARE(needs[0][1].toString(), job->reason);
    // The refused start is the restart attempt event; it says the job needs an operator.
    const QList<EventRecord> attempts = h.events(vm.id, EventKind::RestartAttempt);
    QCOMPARE(attempts.size(), 1);
    QCOMPARE(attempts.constFirst().eventType, u"needs_operator"_s);
}

void TestRestartEngine::deletedVmWhileWaitingNeedsOperator()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-del"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(40), PowerState::Deleted); // Delete policy
    h.notice(vm, t0.addSecs(30));
    h.runFor(10 * 60'000);
    const auto job = h.store->activeJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::NeedsOperator);
    QVERIFY2(job->reason.contains(u"not_found"_s), qPrintable(job->reason));
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE_ENUM(h.store->vm(vm.id)->powerState, PowerState::Deleted);
}

void TestRestartEngine::terminatedAwsInstanceIsHandedToItsProvider()
{
    // AWS: a terminated one-time Spot Instance may be replaced by its provider (an opt-in
    // RunInstances from its launch template), so its start goes to the provider, which answers
    // what it did; an Azure VM that reads deleted is not started at all (the test above).
    EngineHarness h;
    VmRecord vm;
    vm.resourceId = u"arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0"_s;
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = u"arn:aws:ec2:eu-west-1:123456789012"_s;
    vm.name = u"i-0123456789abcdef0"_s;
    vm.priority = u"Spot"_s;
    vm.managedBy = ManagedBy::Agent;
    vm.powerState = PowerState::Running;
    vm.powerStateAt = h.clock.nowUtc();
    vm.id = h.store->upsertVm(vm);
    QVERIFY(vm.id > 0);
    h.cloud->addVm(vm, PowerState::Running);
    FakeCloudProvider::StartScript replaced;
    replaced.failure = FailureClass::NotFound;
    replaced.errorCode = u"ReplacedByNewInstance"_s;
    h.cloud->scriptStarts(vm.resourceKey, {replaced});
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(40), PowerState::Deleted);
    h.notice(vm, t0.addSecs(30));
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    const auto job = h.store->activeJob(vm.id);
    QVERIFY(job);
    QCOMPARE_ENUM(job->state, JobState::NeedsOperator);
    QCOMPARE(job->lastErrorCode, u"ReplacedByNewInstance"_s);
}

void TestRestartEngine::duplicateNoticeIsNoop()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    const QDateTime notBefore = h.clock.nowUtc().addSecs(30);
    h.notice(vm, notBefore);
    h.notice(vm, notBefore, u"Preempt"_s, u"0C6D9AD1-3C0A-4B2E-9E35-0A1B2C3D4E5F"_s);
    h.notice(vm, notBefore, u"Terminate"_s, u"1C6D9AD1-3C0A-4B2E-9E35-0A1B2C3D4E5F"_s);
    QCOMPARE(h.store->jobs(vm.id, 10).size(), 1);
    QCOMPARE(h.events(vm.id, EventKind::Eviction).size(), 1);
    QCOMPARE(h.engine->trackedJobs().size(), 1);
    // Not evictions: the VM comes back by itself.
    const VmRecord other = h.addVm(u"spot-2"_s, ManagedBy::Agent, PowerState::Running);
    h.notice(other, notBefore, u"Freeze"_s, u"2C6D9AD1-3C0A-4B2E-9E35-0A1B2C3D4E5F"_s);
    h.notice(other, notBefore, u"Reboot"_s, u"3C6D9AD1-3C0A-4B2E-9E35-0A1B2C3D4E5F"_s);
    QVERIFY(h.store->jobs(other.id, 10).isEmpty());
    QVERIFY(h.events(other.id, EventKind::Eviction).isEmpty());
}

void TestRestartEngine::unmanagedOrPausedVmIsNotRestarted()
{
    EngineHarness h;
    const VmRecord paused = h.addVm(u"spot-p"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.store->setAutoRestart(paused.id, false);
    const VmRecord stopped = h.addVm(u"spot-s"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.store->setDesiredState(stopped.id, DesiredState::Stopped);
    h.notice(paused, h.clock.nowUtc());
    h.notice(stopped, h.clock.nowUtc());
    h.runFor(10 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QVERIFY(h.store->jobs(paused.id, 10).isEmpty());
    QVERIFY(h.store->jobs(stopped.id, 10).isEmpty());
    const QList<EventRecord> evictions = h.events(paused.id, EventKind::Eviction);
    QCOMPARE(evictions.size(), 1);
    QVERIFY2(evictions[0].message.contains(u"paused"_s), qPrintable(evictions[0].message));
    QVERIFY(h.events(stopped.id, EventKind::Eviction)[0].message.contains(u"desired state"_s));
}

QTEST_GUILESS_MAIN(TestRestartEngine)
#include "tst_restartengine.moc"
