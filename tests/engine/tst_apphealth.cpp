// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 17, application health: a restart job of a VM whose agent has a health probe ends
// recovered only when the application reports healthy (its healthy time is the recovery
// time), or after the timeout running with "application not healthy" and an alert. VMs
// without a probe recover on the power state as before. Simulated time (ManualClock).
#include "engine/apphealthwatch.h"
#include "fleet/eventtypes.h"
#include "support/engine/enginetestharness.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using Kind = FakeCloudProvider::Kind;

namespace {

// What the listener hands the store for one heartbeat of the VM's agent.
void heartbeat(EngineHarness &h, const VmRecord &vm, AppHealth health,
               const QString &detail = QString())
{
    HeartbeatUpdate update;
    update.vmResourceKey = vm.resourceKey;
    update.at = h.clock.nowUtc();
    update.agentVersion = u"1.0"_s;
    update.appHealth = health;
    update.appProbe = health == AppHealth::None ? QString() : u"http"_s;
    update.appLatencyMs = health == AppHealth::Pending ? -1 : 12;
    update.appHealthDetail = detail;
    QVERIFY(h.store->recordHeartbeats({update}));
}

AppHealthWatchConfig watchConfig(int restartsPerHour = 2)
{
    AppHealthWatchConfig config;
    config.unhealthyAfterMs = 5 * 60'000;
    config.restartsPerHour = restartsPerHour;
    return config;
}

// The watch as EngineHost wires it: restarts go through the engine under test.
std::unique_ptr<AppHealthWatch> makeWatch(EngineHarness &h, AppHealthWatchConfig config)
{
    return std::make_unique<AppHealthWatch>(
        *h.store, h.clock, std::move(config),
        [&h](qint64 vmId, const QString &why) { return h.engine->restartForAppHealth(vmId, why); });
}

void tag(EngineHarness &h, const VmRecord &vm, const QString &value)
{
    VmRecord row = *h.store->vm(vm.id);
    row.tags.insert(u"spotkeeper-app-restart"_s, value);
    QVERIFY(h.store->upsertVm(row) == vm.id);
}

QList<EventRecord> ofType(const QList<EventRecord> &events, const QString &type)
{
    QList<EventRecord> out;
    for (const EventRecord &e : events)
        if (e.eventType == type)
            out << e;
    return out;
}

// A deallocated VM whose application was healthy before, noticed: 30 s later it runs again
// (its job waits for the application).
VmRecord noticedAndRunningAgain(EngineHarness &h)
{
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(30'000);
    return vm;
}

EngineConfig withTimeout(qint64 timeoutMs)
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.appHealthTimeoutMs = timeoutMs;
    config.appHealthPollMs = 5'000;
    return config;
}

} // namespace

class TestAppHealth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void vmWithoutProbeRecoversOnThePowerState();
    void recoveredOnlyWhenTheApplicationReportsHealthy();
    void timeoutEndsRunningWithAnAlert();
    void healthyThroughoutCountsOnceHeardAgain();
    void timeoutZeroWaitsForNothing();
    void downAgainWhileWaitingIsRestartedAgain();
    void aNewEngineResumesTheWait();

    void unhealthyOnARunningVmIsAlertedOnce();
    void optedInVmIsRestartedWithinTheHourlyLimit();
    void durationsInTheMessages();
    void restartWaitsForTheBudget();
    void aVmWithARestartJobIsLeftToTheJob();
};

void TestAppHealth::vmWithoutProbeRecoversOnThePowerState()
{
    EngineHarness h(withTimeout(10 * 60'000));
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    heartbeat(h, vm, AppHealth::None); // an agent without a probe (or an older agent)
    QSignalSpy succeeded(h.engine.get(), &RestartEngine::restartSucceeded);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(60'000);
    const auto job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Running);
    QVERIFY(!job->appHealthyAt.isValid());
    QVERIFY(job->reason.isEmpty());
    QCOMPARE(succeeded.size(), 1);
    QVERIFY(h.events(vm.id, EventKind::Alert).isEmpty());
}

void TestAppHealth::recoveredOnlyWhenTheApplicationReportsHealthy()
{
    EngineHarness h(withTimeout(10 * 60'000));
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s); // before the eviction
    const QDateTime t0 = h.clock.nowUtc();
    h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(30), PowerState::Deallocated);
    QSignalSpy succeeded(h.engine.get(), &RestartEngine::restartSucceeded);
    h.notice(vm, t0.addSecs(30));
    h.runFor(2 * 60'000);

    // The VM runs again, but its agent has not said anything since: not recovered yet.
    QCOMPARE(h.cloud->times(Kind::Start, vm.resourceKey).size(), 1);
    auto job = h.store->activeJob(vm.id);
    QVERIFY(job);
    QCOMPARE_ENUM(job->state, JobState::WaitingForApplication);
    QCOMPARE_ENUM(h.store->vm(vm.id)->powerState, PowerState::Running);
    QCOMPARE(succeeded.size(), 0);

    // The agent boots (pending), then the application is up (healthy at tHealthy).
    heartbeat(h, vm, AppHealth::Pending);
    h.runFor(60'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    heartbeat(h, vm, AppHealth::Unhealthy, u"HTTP 503, expected 2xx"_s);
    h.runFor(60'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    const QDateTime tHealthy = h.clock.nowUtc();
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s);
    h.runFor(10'000);

    job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Running);
    QCOMPARE(job->appHealthyAt, tHealthy);
    QVERIFY(job->reason.isEmpty());
    QVERIFY(!h.store->activeJob(vm.id));
    QCOMPARE(succeeded.size(), 1);
    // Downtime runs from the eviction to the healthy report, not to the power state.
    QCOMPARE(succeeded.at(0).at(1).toLongLong(), job->evictedAt.msecsTo(tHealthy));
    QVERIFY(h.events(vm.id, EventKind::Alert).isEmpty());
    // The timeline says when the application went down and came up.
    QStringList health;
    for (const EventRecord &e : h.events(vm.id, EventKind::Heartbeat))
        if (e.eventType == u"app_health"_s)
            health << e.message.section(u' ', 1, 1);
    QCOMPARE(health, (QStringList {u"healthy"_s, u"unhealthy:"_s, u"healthy"_s}));
}

void TestAppHealth::timeoutEndsRunningWithAnAlert()
{
    EngineHarness h(withTimeout(10 * 60'000));
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s);
    QSignalSpy unhealthy(h.engine.get(), &RestartEngine::applicationUnhealthy);
    QSignalSpy succeeded(h.engine.get(), &RestartEngine::restartSucceeded);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(30'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    const QDateTime running = h.latestJob(vm.id)->updatedAt;
    heartbeat(h, vm, AppHealth::Unhealthy, u"connection refused"_s);

    h.runUntil(running.addMSecs(10 * 60'000 - 1)); // one millisecond short: still waiting
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    QCOMPARE(unhealthy.size(), 0);
    h.runFor(10'000);

    const auto job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Running);
    QCOMPARE(job->reason, QLatin1StringView(kAppNotHealthyReason));
    QVERIFY(!job->appHealthyAt.isValid());
    QCOMPARE(job->finishedAt, running.addMSecs(10 * 60'000));
    QCOMPARE(unhealthy.size(), 1);
    QCOMPARE(unhealthy.at(0).at(1).toString(), u"connection refused"_s);
    QCOMPARE(succeeded.size(), 0);
    const QList<EventRecord> alerts = h.events(vm.id, EventKind::Alert);
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts.constFirst().eventType, eventtype::kAppUnhealthy.toString());
    QVERIFY2(alerts.constFirst().message.contains(u"connection refused"_s),
             qPrintable(alerts.constFirst().message));
    // Not "still down": the VM is up.
    h.runFor(30 * 60'000);
    QCOMPARE(h.events(vm.id, EventKind::Alert).size(), 1);
}

void TestAppHealth::healthyThroughoutCountsOnceHeardAgain()
{
    // A notice whose VM was never evicted (still running after the grace): the application
    // was healthy all along, which the next heartbeat confirms.
    EngineConfig config = withTimeout(10 * 60'000);
    config.evictionGraceMs = 60'000;
    EngineHarness h(config);
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Running);
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(2 * 60'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    h.clock.advanceMSecs(1);
    const QDateTime heard = h.clock.nowUtc();
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s);
    h.runFor(10'000);
    const auto job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Running);
    QVERIFY(job->appHealthyAt.isValid());
    QVERIFY(job->appHealthyAt < heard);
    QCOMPARE(h.cloud->times(Kind::Start, vm.resourceKey).size(), 0);
}

void TestAppHealth::timeoutZeroWaitsForNothing()
{
    EngineHarness h(withTimeout(0));
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    heartbeat(h, vm, AppHealth::Unhealthy, u"HTTP 500, expected 2xx"_s);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(60'000);
    const auto job = h.latestJob(vm.id);
    QCOMPARE_ENUM(job->state, JobState::Running);
    QVERIFY(job->reason.isEmpty());
    QVERIFY(h.events(vm.id, EventKind::Alert).isEmpty());
}

void TestAppHealth::downAgainWhileWaitingIsRestartedAgain()
{
    EngineHarness h(withTimeout(10 * 60'000));
    const VmRecord vm = noticedAndRunningAgain(h);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.engine->observePowerState(vm.id, PowerState::Deallocated); // the reconciler's sweep
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForDeallocation);
    h.runFor(30'000);
    QCOMPARE(h.cloud->times(Kind::Start, vm.resourceKey).size(), 2);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
}

void TestAppHealth::aNewEngineResumesTheWait()
{
    EngineHarness h(withTimeout(10 * 60'000));
    const VmRecord vm = noticedAndRunningAgain(h);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    h.restartEngine(EngineHarness::defaultConfig()); // same owner; default 10 min timeout
    h.runFor(60'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    const QDateTime tHealthy = h.clock.nowUtc();
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s);
    QVERIFY(h.runUntilTrue([&] { return !h.store->activeJob(vm.id); }, 60'000));
    QVERIFY(h.latestJob(vm.id)->appHealthyAt <= tHealthy);
    QCOMPARE(h.cloud->times(Kind::Start, vm.resourceKey).size(), 1);
}

void TestAppHealth::unhealthyOnARunningVmIsAlertedOnce()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"web-1"_s, ManagedBy::Agent, PowerState::Running);
    const VmRecord plain = h.addVm(u"web-2"_s, ManagedBy::Agent, PowerState::Running);
    auto watch = makeWatch(h, watchConfig());
    QSignalSpy alerted(watch.get(), &AppHealthWatch::applicationUnhealthy);
    heartbeat(h, vm, AppHealth::Unhealthy, u"HTTP 503, expected 2xx"_s);
    heartbeat(h, plain, AppHealth::None); // no probe: never alerted

    h.clock.advanceMSecs(5 * 60'000 - 1);
    watch->check();
    QCOMPARE(alerted.size(), 0);
    h.clock.advanceMSecs(1);
    watch->check();
    QCOMPARE(alerted.size(), 1);
    QCOMPARE(alerted.at(0).at(0).toLongLong(), vm.id);
    h.clock.advanceMSecs(60 * 60'000);
    watch->check(); // same episode: no second alert
    QCOMPARE(alerted.size(), 1);
    const QList<EventRecord> alerts =
        ofType(h.events(vm.id, EventKind::Alert), eventtype::kAppUnhealthy.toString());
    QCOMPARE(alerts.size(), 1);
    QVERIFY2(alerts.constFirst().message.contains(u"alert only (not opted in"_s),
             qPrintable(alerts.constFirst().message));
    QCOMPARE(h.cloud->times(Kind::Restart, vm.resourceKey).size(), 0);
    QVERIFY(h.events(plain.id, EventKind::Alert).isEmpty());

    // Healthy again ends the episode; the next one is alerted again.
    heartbeat(h, vm, AppHealth::Healthy, u"HTTP 200"_s);
    watch->check();
    h.clock.advanceMSecs(1000);
    heartbeat(h, vm, AppHealth::Unhealthy, u"HTTP 500, expected 2xx"_s);
    h.clock.advanceMSecs(5 * 60'000);
    watch->check();
    QCOMPARE(alerted.size(), 2);
}

void TestAppHealth::optedInVmIsRestartedWithinTheHourlyLimit()
{
    EngineHarness h;
    const VmRecord vm = h.addVm(u"web-1"_s, ManagedBy::Agent, PowerState::Running);
    const VmRecord other = h.addVm(u"web-2"_s, ManagedBy::Agent, PowerState::Running);
    tag(h, vm, u"true"_s);
    tag(h, other, u"false"_s); // tagged, but not opted in
    auto watch = makeWatch(h, watchConfig(2));
    QSignalSpy restarted(watch.get(), &AppHealthWatch::restartRequested);
    heartbeat(h, vm, AppHealth::Unhealthy, u"connection refused"_s);
    heartbeat(h, other, AppHealth::Unhealthy, u"connection refused"_s);

    // The application stays down for 90 minutes; the watch looks every 30 s.
    const QDateTime start = h.clock.nowUtc();
    while (h.clock.nowUtc() < start.addSecs(90 * 60)) {
        h.runFor(30'000);
        watch->check();
    }
    const QList<QDateTime> restarts = h.cloud->times(Kind::Restart, vm.resourceKey);
    // After 5 min, again 5 min later (still unhealthy), then the hourly limit holds until
    // the first is an hour old: at 65 min and 70 min. Never more than 2 in any hour.
    QCOMPARE(restarts.size(), 4);
    QCOMPARE(restarts.at(0), start.addSecs(5 * 60));
    QCOMPARE(restarts.at(1), start.addSecs(10 * 60));
    QCOMPARE(restarts.at(2), start.addSecs(65 * 60));
    QCOMPARE(restarts.at(3), start.addSecs(70 * 60));
    for (qsizetype i = 2; i < restarts.size(); ++i)
        QVERIFY(restarts.at(i - 2).msecsTo(restarts.at(i)) >= 60 * 60'000);
    QCOMPARE(restarted.size(), 4);
    QCOMPARE(h.cloud->times(Kind::Restart, other.resourceKey).size(), 0);

    // Audited as the engine's action, and in the timeline with the cloud's answer.
    int audited = 0;
    for (const AuditRecord &row : h.store->audit({}, {}, 1000)) {
        if (row.action == u"app_restart"_s && row.target == vm.resourceKey) {
            QCOMPARE(row.actor, u"engine"_s);
            QVERIFY2(row.detail.startsWith(u"ok: restart requested"_s), qPrintable(row.detail));
            ++audited;
        }
    }
    QCOMPARE(audited, 4);
    int accepted = 0;
    for (const EventRecord &e :
         ofType(h.events(vm.id, EventKind::RestartAttempt), u"app_restart"_s))
        accepted += e.eventStatus == u"accepted"_s ? 1 : 0;
    QCOMPARE(accepted, 4);
    // One alert for the episode, naming the remedy; then, each time the hourly limit stops a
    // restart the application still needs, one more that says so (at 15 and 75 min).
    const QList<EventRecord> alerts =
        ofType(h.events(vm.id, EventKind::Alert), eventtype::kAppUnhealthy.toString());
    QCOMPARE(alerts.size(), 3);
    QVERIFY(alerts.at(0).message.contains(u"restarting the VM"_s));
    QVERIFY(alerts.at(0).eventStatus.isEmpty());
    for (const EventRecord &limit : {alerts.at(1), alerts.at(2)}) {
        QCOMPARE(limit.eventStatus, u"restart_limit"_s);
        QVERIFY2(limit.message.contains(u"after the restarts; 2 restarts in the last hour (at "
                                        "most 2): alert only"_s),
                 qPrintable(limit.message));
    }
    QCOMPARE(alerts.at(1).at, start.addSecs(15 * 60));
    QCOMPARE(alerts.at(2).at, start.addSecs(75 * 60));
    // The other VM: one alert, no restart, no limit to speak of.
    const QList<EventRecord> others =
        ofType(h.events(other.id, EventKind::Alert), eventtype::kAppUnhealthy.toString());
    QCOMPARE(others.size(), 1);
    QVERIFY(others.constFirst().message.contains(u"alert only (not opted in to restarts)"_s));
}

void TestAppHealth::durationsInTheMessages()
{
    QCOMPARE(appHealthDuration(8'000), u"8 s"_s);
    QCOMPARE(appHealthDuration(90'000), u"90 s"_s);
    QCOMPARE(appHealthDuration(5 * 60'000 + 12'000), u"5 min"_s);
    QCOMPARE(appHealthDuration(10 * 60'000), u"10 min"_s);
}

void TestAppHealth::restartWaitsForTheBudget()
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.budgets.enabled = true;
    config.budgets.vmStarts = {1, 1, 60 * 60'000}; // one start (or restart) an hour per VM
    EngineHarness h(config);
    const VmRecord vm = h.addVm(u"web-1"_s, ManagedBy::Agent, PowerState::Running);
    tag(h, vm, u"true"_s);
    QVERIFY(h.engine->restartForAppHealth(vm.id, u"test"_s).ok());
    const OperationResult second = h.engine->restartForAppHealth(vm.id, u"test"_s);
    QCOMPARE(int(second.status), int(OperationResult::Status::Conflict));
    QVERIFY2(second.message.startsWith(u"no ARM budget before"_s), qPrintable(second.message));
    h.runFor(1000);
    QCOMPARE(h.cloud->times(Kind::Restart, vm.resourceKey).size(), 1);
}

void TestAppHealth::aVmWithARestartJobIsLeftToTheJob()
{
    EngineHarness h(withTimeout(60 * 60'000));
    const VmRecord vm = h.addVm(u"web-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    tag(h, vm, u"true"_s);
    heartbeat(h, vm, AppHealth::Unhealthy, u"connection refused"_s);
    h.notice(vm, h.clock.nowUtc());
    h.runFor(30'000);
    QCOMPARE_ENUM(h.store->activeJob(vm.id)->state, JobState::WaitingForApplication);
    auto watch = makeWatch(h, watchConfig());
    h.clock.advanceMSecs(10 * 60'000);
    watch->check();
    QCOMPARE(h.cloud->times(Kind::Restart, vm.resourceKey).size(), 0);
    QVERIFY(
        ofType(h.events(vm.id, EventKind::Alert), eventtype::kAppUnhealthy.toString()).isEmpty());
    const OperationResult refused = h.engine->restartForAppHealth(vm.id, u"test"_s);
    QCOMPARE(int(refused.status), int(OperationResult::Status::Conflict));
}

QTEST_GUILESS_MAIN(TestAppHealth)
#include "tst_apphealth.moc"
