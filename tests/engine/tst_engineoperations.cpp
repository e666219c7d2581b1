// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Operator actions (FleetOperations), unconfirmed notices and the alert threshold.
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
    };
    return config;
}

void alwaysCapacity(EngineHarness &h)
{
    h.cloud->startRule = [](const QString &) -> std::optional<Script> {
        return Script {FailureClass::Capacity, u"AllocationFailed"_s, 409};
    };
}

QList<AuditRecord> auditRows(EngineHarness &h)
{
    return h.store->audit(h.clock.nowUtc().addDays(-1), h.clock.nowUtc().addDays(1), 1'000);
}

} // namespace

class TestEngineOperations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyActionWritesExactlyOneAuditRow();
    void forceRestartSkipsBackoffButNotBudgets();
    void forceRestartOfARunningVmDoesNotStartIt();
    void pauseStopsRetriesAndResumeRestarts();
    void unconfirmedNoticeActsOnlyOnADeallocatedVm();
    void alertFiresOnceAcrossEngineRestarts();
    void capacityAlertIsNoStillDownAlertAfterARestart();
    void addVmMarksItManagedAndReadsItsPowerState();
    void timerDrivesTheEngineWithoutProcessDue();
};

void TestEngineOperations::everyActionWritesExactlyOneAuditRow()
{
    EngineHarness h(maxJitter());
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    alwaysCapacity(h);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(5'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::BackingOff);
    QVERIFY(auditRows(h).isEmpty());

    struct Step
    {
        QString action;
        std::function<OperationResult()> run;
        OperationResult::Status expected;
    };
    const QString actor = u"gui:alice"_s;
    const QList<Step> steps {
        {u"pause"_s, [&] { return h.engine->pauseAutoRestart(vm.id, actor); },
         OperationResult::Status::Ok},
        {u"resume"_s, [&] { return h.engine->resumeAutoRestart(vm.id, actor); },
         OperationResult::Status::Ok},
        {u"cancel"_s, [&] { return h.engine->cancelJob(vm.id, actor); },
         OperationResult::Status::Ok},
        {u"cancel"_s, [&] { return h.engine->cancelJob(vm.id, actor); },
         OperationResult::Status::NotFound},
        {u"force_restart"_s, [&] { return h.engine->forceRestart(vm.id, actor); },
         OperationResult::Status::Ok},
        {u"force_restart"_s, [&] { return h.engine->forceRestart(9'999, actor); },
         OperationResult::Status::NotFound},
        {u"add_vm"_s,
         [&] {
             return h.engine->addVm(u"/subscriptions/"_s + kSubscription
                                        + u"/resourceGroups/rg-spot/providers/Microsoft.Compute/"
                                          "virtualMachines/spot-new"_s,
                                    actor);
         },
         OperationResult::Status::Ok},
        {u"add_vm"_s, [&] { return h.engine->addVm(u"/subscriptions/nope"_s, actor); },
         OperationResult::Status::Invalid},
        {u"pause"_s, [&] { return h.engine->pauseAutoRestart(9'999, actor); },
         OperationResult::Status::NotFound},
    };
    for (int i = 0; i < steps.size(); ++i) {
        const OperationResult result = steps[i].run();
        QVERIFY2(result.status == steps[i].expected,
                 qPrintable(steps[i].action + u": "_s + result.message));
        QVERIFY(!result.message.isEmpty());
        const QList<AuditRecord> rows = auditRows(h);
        QCOMPARE(rows.size(), i + 1);
        const auto newest = std::max_element(
            rows.cbegin(), rows.cend(),
            [](const AuditRecord &a, const AuditRecord &b) { return a.id < b.id; });
        QCOMPARE(newest->action, steps[i].action);
        QCOMPARE(newest->actor, actor);
    }
    // What the actions did, as the store sees it.
    const QList<JobRecord> jobs = h.store->jobs(vm.id, 10);
    QCOMPARE(jobs.size(), 2);
    QCOMPARE_ENUM(jobs[1].state, JobState::Cancelled);
    QVERIFY(jobs[1].reason.contains(actor));
    QCOMPARE(jobs[0].trigger, u"operator"_s);
    QVERIFY(h.store->vm(vm.id)->autoRestart);
}

void TestEngineOperations::forceRestartSkipsBackoffButNotBudgets()
{
    EngineConfig config = maxJitter();
    config.budgets.vmStarts = {2, 1, 60'000}; // two starts, then one a minute
    EngineHarness h(config);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    alwaysCapacity(h);
    const QDateTime t0 = h.clock.nowUtc();
    h.notice(vm, t0);
    h.runFor(1'000); // start 1 at 0.1 s fails; next attempt at 30.2 s (capacity ceiling)
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QCOMPARE(h.store->activeJob(vm.id)->nextAttemptAt, t0.addMSecs(30'200));

    QVERIFY(h.engine->forceRestart(vm.id, u"cli"_s).ok());
    h.runFor(1'000);
    QList<QDateTime> starts = h.cloud->times(Kind::Start);
    QCOMPARE(starts.size(), 2);
    QCOMPARE(starts[1], t0.addMSecs(1'000 + 100)); // right away (after a power check)

    QVERIFY(h.engine->forceRestart(vm.id, u"cli"_s).ok());
    h.runFor(120'000);
    starts = h.cloud->times(Kind::Start);
    QVERIFY(starts.size() >= 3);
    // The per-VM budget (2 then 1/min from the first start) says 60.1 s, backoff said later.
    QCOMPARE(starts[2], t0.addMSecs(60'100 + 100));

    // A force restart while a start is in flight is refused, and audited.
    Script slow;
    slow.operationMs = 120'000;
    h.cloud->startRule = nullptr;
    h.cloud->scriptStarts(vm.resourceKey, {slow});
    QVERIFY(h.runUntilTrue(
        [&] {
            const auto job = h.store->activeJob(vm.id);
            return job && job->state == JobState::Starting && !job->asyncOperationUrl.isEmpty();
        },
        600'000));
    const OperationResult busy = h.engine->forceRestart(vm.id, u"cli"_s);
    QVERIFY(busy.status == OperationResult::Status::Conflict);
    QCOMPARE(auditRows(h).size(), 3);
}

void TestEngineOperations::forceRestartOfARunningVmDoesNotStartIt()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Operator, PowerState::Running);
    QVERIFY(h.engine->forceRestart(vm.id, u"gui:bob"_s).ok());
    h.runFor(60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 0);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
}

void TestEngineOperations::pauseStopsRetriesAndResumeRestarts()
{
    EngineHarness h(maxJitter());
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->scriptStarts(vm.resourceKey, {{FailureClass::Capacity, u"AllocationFailed"_s}});
    QSignalSpy changed(h.engine.get(), &RestartEngine::jobChanged);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(1'000);
    QVERIFY(h.engine->pauseAutoRestart(vm.id, u"gui:alice"_s).ok());
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::Paused);
    QVERIFY(!h.store->vm(vm.id)->autoRestart);
    QCOMPARE_ENUM(changed.last()[1].value<JobState>(), JobState::Paused);
    h.runFor(30 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Start), 1);
    QVERIFY(h.engine->resumeAutoRestart(vm.id, u"gui:alice"_s).ok());
    QVERIFY(h.store->vm(vm.id)->autoRestart);
    const QDateTime resumedAt = h.clock.nowUtc();
    h.runFor(60'000);
    const QList<QDateTime> starts = h.cloud->times(Kind::Start);
    QCOMPARE(starts.size(), 2);
    QCOMPARE(starts[1], resumedAt.addMSecs(100));
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::Running);
}

void TestEngineOperations::unconfirmedNoticeActsOnlyOnADeallocatedVm()
{
    EngineHarness h;
    const VmRecord up = h.addVm(u"spot-up"_s, ManagedBy::Agent, PowerState::Running);
    const VmRecord down = h.addVm(u"spot-down"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.engine->handleUnconfirmedNotice(up.id);
    h.engine->handleUnconfirmedNotice(down.id);
    h.runFor(60'000);
    // The running VM is watched (issue 12.6: bounded, tst_deliberatestop), never started.
    QVERIFY(h.cloud->count(Kind::PowerState, up.resourceKey) >= 1);
    QVERIFY(h.store->jobs(up.id, 10).isEmpty());
    QVERIFY(h.events(up.id, EventKind::Eviction).isEmpty());
    QCOMPARE(h.cloud->count(Kind::Start, up.resourceKey), 0);
    QCOMPARE(h.cloud->count(Kind::Start, down.resourceKey), 1);
    QCOMPARE(h.events(down.id, EventKind::Eviction).size(), 1);
    QCOMPARE_ENUM(h.latestJob(down.id)->state, JobState::Running);
}

void TestEngineOperations::alertFiresOnceAcrossEngineRestarts()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    alwaysCapacity(h);
    QSignalSpy stillDown(h.engine.get(), &RestartEngine::vmStillDown);
    QSignalSpy alerts(h.engine.get(), &RestartEngine::alertRaised);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(14 * 60'000);
    QCOMPARE(stillDown.size(), 0);
    h.runFor(2 * 60'000);
    QCOMPARE(stillDown.size(), 1);
    QCOMPARE(alerts.size(), 1);
    QVERIFY(alerts[0][1].toString().contains(u"AllocationFailed"_s));
    h.runFor(20 * 60'000);
    QCOMPARE(stillDown.size(), 1);

    h.restartEngine(EngineHarness::defaultConfig());
    QSignalSpy again(h.engine.get(), &RestartEngine::vmStillDown);
    h.runFor(20 * 60'000);
    QCOMPARE(again.size(), 0);
    // One still-down alert for the job; the capacity shortage (30 min in, before the restart)
    // has its own, once.
    QStringList types;
    for (const EventRecord &alert : h.events(vm.id, EventKind::Alert))
        types << alert.eventType;
    types.sort();
    QCOMPARE(types, (QStringList {u"capacity"_s, u"still_down"_s}));
    QVERIFY(h.cloud->count(Kind::Start) > 10); // it kept trying all along
}

// A capacity alert before the still-down threshold is not the job's still-down alert: an
// engine restarted in between still raises that one.
void TestEngineOperations::capacityAlertIsNoStillDownAlertAfterARestart()
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.capacityAlertAfterMs = 5 * 60'000; // before alertAfterMs (15 min)
    EngineHarness h(config);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    alwaysCapacity(h);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(10 * 60'000);
    QCOMPARE(h.events(vm.id, EventKind::Alert).size(), 1); // the capacity alert
    h.restartEngine(config);
    QSignalSpy stillDown(h.engine.get(), &RestartEngine::vmStillDown);
    h.runFor(10 * 60'000);
    QCOMPARE(stillDown.size(), 1);
}

void TestEngineOperations::addVmMarksItManagedAndReadsItsPowerState()
{
    EngineHarness h;
    const VmRecord observed = h.addVm(u"spot-obs"_s, ManagedBy::None, PowerState::Running);
    h.cloud->setPower(observed.resourceKey, PowerState::Deallocated);
    QVERIFY(h.engine->addVm(observed.resourceId, u"api:tok1"_s).ok());
    h.runFor(1'000);
    const auto vm = h.store->vm(observed.id);
    QCOMPARE_ENUM(vm->managedBy, ManagedBy::Operator);
    QCOMPARE_ENUM(vm->powerState, PowerState::Deallocated);
    const OperationResult bad = h.engine->addVm(
        u"/subscriptions/"_s + kSubscription
            + u"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/bad_name-"_s,
        u"api:tok1"_s);
    QVERIFY(bad.status == OperationResult::Status::Invalid);
    QVERIFY2(bad.message.contains(u"VM name"_s), qPrintable(bad.message));
}

void TestEngineOperations::timerDrivesTheEngineWithoutProcessDue()
{
    // Production wiring: nobody calls processDue(); the engine's QTimer wakes it. The
    // manual clock stands still, so everything is due "now" and the timer fires at once.
    EngineConfig config = EngineHarness::defaultConfig();
    config.driveWithTimer = true;
    EngineHarness h(config);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->latencyMs = 0;
    h.engine->handleUnconfirmedNotice(vm.id);
    QTRY_COMPARE(h.cloud->count(Kind::PowerState), 1);
    h.cloud->deliverDue(); // deallocated: a job is created, due now
    QTRY_COMPARE(h.cloud->count(Kind::Start), 1);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::Starting);
}

QTEST_GUILESS_MAIN(TestEngineOperations)
#include "tst_engineoperations.moc"
