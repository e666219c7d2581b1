// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 17: silent agents. A running VM whose agent misses N heartbeats is alerted once,
// the alert clears when heartbeats resume; a deallocated VM is never "agent silent".
#include "engine/agentwatch.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/store/storetestutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper::core;
using namespace Qt::StringLiterals;
using spotkeeper::testsupport::ManualClock;

namespace {

constexpr qint64 kInterval = 60'000;

AgentWatchConfig watchConfig(int intervals = 3)
{
    AgentWatchConfig config;
    config.heartbeatIntervalMs = kInterval;
    config.silentIntervals = intervals;
    return config;
}

} // namespace

class TestAgentWatch : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Store> openStore()
    {
        return testutil::openStore(StoreOptions(m_dir->filePath(u"store.db"_s)), m_clock);
    }
    // A VM in powerState since now, whose agent sent a heartbeat now.
    qint64 addVm(Store &store, const QString &name, PowerState state, bool agent = true)
    {
        VmRecord vm;
        vm.resourceKey = u"/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/"
                         "virtualmachines/"_s
            + name;
        vm.name = name;
        vm.powerState = state;
        vm.powerStateAt = m_clock.nowUtc();
        const qint64 id = store.upsertVm(vm);
        if (agent)
            heartbeat(store, id);
        return id;
    }
    void heartbeat(Store &store, qint64 vmId)
    {
        store.recordHeartbeat(store.vm(vmId)->resourceKey, {}, m_clock.nowUtc(), u"1.0"_s, {});
    }
    static QList<EventRecord> eventsOf(Store &store, qint64 vmId, EventKind kind)
    {
        EventFilter filter;
        filter.vmId = vmId;
        filter.kinds = {kind};
        return store.events(filter);
    }
    static QStringList typesOf(const QList<EventRecord> &events)
    {
        QStringList types;
        for (const EventRecord &event : events)
            if (!event.eventType.isEmpty())
                types << event.eventType;
        return types;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_clock.set(QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
    }

    void silentAgentIsAlertedOnceAndClearsWhenHeartbeatsResume()
    {
        auto store = openStore();
        QVERIFY(store);
        const qint64 vm = addVm(*store, u"web-1"_s, PowerState::Running);
        AgentWatch watch(*store, m_clock, watchConfig());
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        QSignalSpy resumed(&watch, &AgentWatch::agentResumed);

        m_clock.advanceMSecs(3 * kInterval - 1); // one millisecond short of three intervals
        watch.check();
        QCOMPARE(silent.size(), 0);
        QVERIFY(!isAgentSilent(*store->vm(vm)));

        m_clock.advanceMSecs(1);
        watch.check();
        QCOMPARE(silent.size(), 1);
        QCOMPARE(silent.at(0).at(0).toLongLong(), vm);
        QCOMPARE(silent.at(0).at(1).toLongLong(), 3 * kInterval);
        QCOMPARE(store->vm(vm)->agentSilentSince, m_clock.nowUtc());
        QVERIFY(isAgentSilent(*store->vm(vm)));
        const QList<EventRecord> alerts = eventsOf(*store, vm, EventKind::Alert);
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts.constFirst().eventType, u"agent_silent"_s);
        QVERIFY2(alerts.constFirst().message.contains(u"agent silent for 3 min"_s),
                 qPrintable(alerts.constFirst().message));

        m_clock.advanceMSecs(10 * kInterval); // still silent: no second alert
        watch.check();
        QCOMPARE(silent.size(), 1);
        QCOMPARE(eventsOf(*store, vm, EventKind::Alert).size(), 1);

        heartbeat(*store, vm); // the agent is back: the row says so at once ...
        QVERIFY(!isAgentSilent(*store->vm(vm)));
        watch.check(); // ... and the watch clears the flag with a timeline event
        QCOMPARE(resumed.size(), 1);
        QCOMPARE(resumed.at(0).at(1).toLongLong(), 13 * kInterval);
        QVERIFY(!store->vm(vm)->agentSilentSince.isValid());
        QVERIFY(typesOf(eventsOf(*store, vm, EventKind::Heartbeat)).contains(u"agent_resumed"_s));

        m_clock.advanceMSecs(kInterval); // healthy again: nothing more
        watch.check();
        QCOMPARE(silent.size(), 1);
        QCOMPARE(resumed.size(), 1);
    }

    void deallocatedVmIsNeverAgentSilent_data()
    {
        QTest::addColumn<PowerState>("state");
        QTest::newRow("deallocated") << PowerState::Deallocated;
        QTest::newRow("stopped") << PowerState::Stopped;
        QTest::newRow("deleted") << PowerState::Deleted;
        QTest::newRow("unknown") << PowerState::Unknown;
    }

    void deallocatedVmIsNeverAgentSilent()
    {
        QFETCH(PowerState, state);
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s, state);
        AgentWatch watch(*store, m_clock, watchConfig());
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        m_clock.advanceMSecs(100 * kInterval);
        watch.check();
        QCOMPARE(silent.size(), 0);
        QVERIFY(!store->vm(vm)->agentSilentSince.isValid());
        QCOMPARE(eventsOf(*store, vm, EventKind::Alert).size(), 0);
    }

    void vmStoppedOnPurposeIsNeverAgentSilent()
    {
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s, PowerState::Running);
        QVERIFY(store->setStoppedOnPurpose(vm, u"alice"_s, u"deallocate"_s, m_clock.nowUtc()));
        AgentWatch watch(*store, m_clock, watchConfig());
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        m_clock.advanceMSecs(100 * kInterval);
        watch.check();
        QCOMPARE(silent.size(), 0);
    }

    void vmWithoutAgentIsNotAlerted()
    {
        auto store = openStore();
        addVm(*store, u"no-agent"_s, PowerState::Running, false);
        AgentWatch watch(*store, m_clock, watchConfig());
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        m_clock.advanceMSecs(100 * kInterval);
        watch.check();
        QCOMPARE(silent.size(), 0);
    }

    // Agent dead first, then the VM deallocated (evicted): the flag goes without an alert
    // or a "resumed".
    void deallocationClearsTheFlagQuietly()
    {
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s, PowerState::Running);
        AgentWatch watch(*store, m_clock, watchConfig());
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        QSignalSpy resumed(&watch, &AgentWatch::agentResumed);
        m_clock.advanceMSecs(3 * kInterval);
        watch.check();
        QCOMPARE(silent.size(), 1);
        QVERIFY(store->setPowerState(vm, PowerState::Deallocated, m_clock.nowUtc()));
        QVERIFY(!isAgentSilent(*store->vm(vm)));
        m_clock.advanceMSecs(kInterval);
        watch.check();
        QVERIFY(!store->vm(vm)->agentSilentSince.isValid());
        QCOMPARE(resumed.size(), 0);
        QCOMPARE(silent.size(), 1);
        QVERIFY(typesOf(eventsOf(*store, vm, EventKind::Heartbeat))
                    .contains(u"agent_silence_cleared"_s));
    }

    // A VM back to running (restarted after an eviction) gives its booting agent the full
    // grace from the power change, not from its last heartbeat before the eviction.
    void restartedVmGetsTheGraceFromThePowerChange()
    {
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s, PowerState::Deallocated);
        m_clock.advanceMSecs(30 * kInterval);
        QVERIFY(store->setPowerState(vm, PowerState::Running, m_clock.nowUtc()));
        AgentWatch watch(*store, m_clock, watchConfig());
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        m_clock.advanceMSecs(2 * kInterval);
        watch.check();
        QCOMPARE(silent.size(), 0);
        m_clock.advanceMSecs(kInterval);
        watch.check();
        QCOMPARE(silent.size(), 1);
    }

    void zeroIntervalsNeverAlerts()
    {
        auto store = openStore();
        addVm(*store, u"web-1"_s, PowerState::Running);
        AgentWatch watch(*store, m_clock, watchConfig(0));
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        m_clock.advanceMSecs(1000 * kInterval);
        watch.check();
        QCOMPARE(silent.size(), 0);
    }

    // The verdict is in the store: a restarted server (a new watch on the same file) does
    // not alert again, and still clears when the agent comes back.
    void verdictSurvivesARestart()
    {
        {
            auto store = openStore();
            addVm(*store, u"web-1"_s, PowerState::Running);
            AgentWatch watch(*store, m_clock, watchConfig());
            m_clock.advanceMSecs(3 * kInterval);
            watch.check();
        }
        auto store = openStore();
        const qint64 vm = store->vms().constFirst().id;
        QVERIFY(isAgentSilent(*store->vm(vm)));
        AgentWatch watch(*store, m_clock, watchConfig());
        QSignalSpy silent(&watch, &AgentWatch::agentSilent);
        QSignalSpy resumed(&watch, &AgentWatch::agentResumed);
        m_clock.advanceMSecs(kInterval);
        watch.check();
        QCOMPARE(silent.size(), 0);
        QCOMPARE(eventsOf(*store, vm, EventKind::Alert).size(), 1);
        heartbeat(*store, vm);
        watch.check();
        QCOMPARE(resumed.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAgentWatch)
#include "tst_agentwatch.moc"
