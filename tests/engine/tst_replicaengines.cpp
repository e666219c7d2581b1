// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Several engines (replicas) on one PostgreSQL database, in simulated time: they take turns
// sweeping a subscription (one sweep per interval between them), the other takes over when
// the holder dies, and each replica works under a stable identity of its own. Needs
// PostgreSQL (skips without it, fails where CI=true).
#include "engine/engineidentity.h"
#include "support/common/pgcluster.h"
#include "support/engine/enginetestharness.h"

#include <QTest>

#include <algorithm>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using spotkeeper::testsupport::PgCluster;
using Kind = FakeCloudProvider::Kind;
using spotkeeper::testsupport::ManualClock;

namespace {

const QString kOtherSubscription = u"99999999-8888-7777-6666-555555555555"_s;

// One replica: its own connection, cloud client (a process of its own), engine, reconciler.
struct Replica
{
    std::unique_ptr<Store> store;
    std::unique_ptr<FakeCloudProvider> cloud;
    std::unique_ptr<RestartEngine> engine;
    std::unique_ptr<Reconciler> reconciler;

    // SIGKILL: nothing is released, outstanding replies are lost, the connection closes.
    void kill()
    {
        reconciler.reset();
        engine.reset();
        if (cloud)
            cloud->dropPendingReplies();
        store.reset();
    }
};

} // namespace

class TestReplicaEngines : public QObject
{
    Q_OBJECT

private:
    StoreOptions options(const QString &database)
    {
        QString error;
        if (!m_pg.createDatabase(database, &error))
            qWarning() << "create database:" << error;
        StoreOptions o;
        o.path = m_pg.url(database);
        o.passwordFile = m_pg.passwordFile();
        o.clock = &m_clock;
        return o;
    }

    std::unique_ptr<Replica> replica(const QString &database, const QString &owner,
                                     const QList<VmRecord> &fleet)
    {
        auto r = std::make_unique<Replica>();
        StoreError error;
        r->store = Store::open(options(database), &error);
        if (!r->store) {
            qWarning() << "open:" << error.message;
            return nullptr;
        }
        r->cloud = std::make_unique<FakeCloudProvider>(m_clock);
        for (const VmRecord &vm : fleet)
            r->cloud->addVm(vm, vm.powerState);
        EngineConfig engine = EngineHarness::defaultConfig();
        engine.owner = owner;
        r->engine = std::make_unique<RestartEngine>(*r->store, *r->cloud, m_clock, engine);
        r->engine->start();
        ReconcilerConfig reconcile;
        reconcile.driveWithTimer = false;
        reconcile.fullListIntervalMs = 0; // one statusOnly list per sweep
        reconcile.intervalMs = kIntervalMs;
        reconcile.owner = owner;
        reconcile.sweepLeaseMs = kSweepLeaseMs;
        r->reconciler =
            std::make_unique<Reconciler>(*r->store, *r->cloud, *r->engine, m_clock, reconcile);
        return r;
    }

    QList<VmRecord> seedFleet(const QString &database)
    {
        StoreError error;
        auto store = Store::open(options(database), &error);
        QList<VmRecord> fleet;
        if (!store)
            return fleet;
        for (const QString &sub : {kSubscription, kOtherSubscription}) {
            for (int i = 1; i <= 3; ++i) {
                VmRecord vm;
                vm.subscriptionId = sub;
                vm.resourceGroup = u"rg-spot"_s;
                vm.name = u"spot-%1"_s.arg(i);
                vm.resourceId = u"/subscriptions/"_s + sub
                    + u"/resourceGroups/rg-spot/providers/Microsoft.Compute/virtualMachines/"_s
                    + vm.name;
                vm.resourceKey = vm.resourceId.toLower();
                vm.priority = u"Spot"_s;
                vm.managedBy = ManagedBy::Agent;
                vm.powerState = PowerState::Running;
                vm.powerStateAt = m_clock.nowUtc();
                vm.id = store->upsertVm(vm);
                fleet << vm;
            }
        }
        return fleet;
    }

    // Runs the live replicas in 1 s steps of simulated time.
    void run(const QList<Replica *> &replicas, qint64 ms)
    {
        for (qint64 t = 0; t < ms; t += 1'000) {
            for (Replica *r : replicas) {
                if (!r->engine)
                    continue;
                r->cloud->deliverDue();
                r->engine->processDue();
                r->reconciler->processDue();
            }
            m_clock.advanceMSecs(1'000);
        }
    }

    // When the replicas' sweeps of `subscription` began (list calls), in time order.
    static QList<QDateTime> sweepStarts(const QList<Replica *> &replicas,
                                        const QString &subscription)
    {
        QList<QDateTime> starts;
        for (Replica *r : replicas) {
            for (const FakeCloudProvider::Call &call : std::as_const(r->cloud->calls)) {
                if (call.kind == Kind::List && call.vm == subscription.toLower())
                    starts << call.at;
            }
        }
        std::sort(starts.begin(), starts.end());
        return starts;
    }

    // A job of `vm` waiting out a long backoff, not claimed by anybody yet.
    bool seedWaitingJob(const QString &database, const VmRecord &vm)
    {
        StoreError error;
        auto store = Store::open(options(database), &error);
        if (!store)
            return false;
        JobRecord job;
        job.vmId = vm.id;
        job.state = JobState::BackingOff;
        job.trigger = u"notice"_s;
        job.attempt = 3;
        job.nextAttemptAt = m_clock.nowUtc().addSecs(600);
        job.evictedAt = m_clock.nowUtc();
        bool created = false;
        return store->createJob(job, &created) && created;
    }

    static constexpr qint64 kIntervalMs = 60'000;
    static constexpr qint64 kSweepLeaseMs = 30'000;
    PgCluster m_pg;
    ManualClock m_clock;

private slots:
    void initTestCase() { SPOTKEEPER_PG_CLUSTER_START(m_pg); }

    void replicasTakeTurnsSweeping()
    {
        const QList<VmRecord> fleet = seedFleet(u"turns"_s);
        QCOMPARE(fleet.size(), 6);
        auto a = replica(u"turns"_s, u"engine-a"_s, fleet);
        auto b = replica(u"turns"_s, u"engine-b"_s, fleet);
        QVERIFY(a && b);
        a->reconciler->start();
        b->reconciler->start();
        const QDateTime begin = m_clock.nowUtc();
        run({a.get(), b.get()}, 10 * kIntervalMs);
        for (const QString &sub : {kSubscription, kOtherSubscription}) {
            const QList<QDateTime> starts = sweepStarts({a.get(), b.get()}, sub);
            // One sweep per interval between the two: 10 or 11 in 10 intervals, never two
            // closer together than the interval.
            QVERIFY2(starts.size() >= 9 && starts.size() <= 11,
                     qPrintable(u"%1 sweeps of %2"_s.arg(starts.size()).arg(sub)));
            QCOMPARE(starts.first(), begin);
            for (qsizetype i = 1; i < starts.size(); ++i) {
                QVERIFY2(starts[i - 1].msecsTo(starts[i]) >= kIntervalMs,
                         qPrintable(u"sweeps of %1 %2 ms apart"_s.arg(sub).arg(
                             starts[i - 1].msecsTo(starts[i]))));
            }
        }
        // "Sweep now" sweeps at once, however recent the last sweep was.
        const qsizetype before = sweepStarts({a.get(), b.get()}, kSubscription).size();
        b->reconciler->sweepNow();
        QCOMPARE(sweepStarts({a.get(), b.get()}, kSubscription).size(), before + 1);
    }

    void survivorSweepsWhenTheHolderDies()
    {
        const QList<VmRecord> fleet = seedFleet(u"failover"_s);
        auto a = replica(u"failover"_s, u"engine-a"_s, fleet);
        auto b = replica(u"failover"_s, u"engine-b"_s, fleet);
        QVERIFY(a && b);
        a->reconciler->start();
        a->reconciler->processDue(); // engine-a sweeps both subscriptions ...
        QVERIFY(a->reconciler->sweeping());
        const QDateTime killedAt = m_clock.nowUtc();
        a->kill(); // ... and dies before the lists answer: no sweep finished, leases held
        b->reconciler->start();
        run({b.get()}, 3 * kIntervalMs);
        for (const QString &sub : {kSubscription, kOtherSubscription}) {
            const QList<QDateTime> starts = sweepStarts({b.get()}, sub);
            QVERIFY2(!starts.isEmpty(), qPrintable(u"nobody swept "_s + sub));
            // Not while engine-a's lease ran, but as soon as it ended.
            QCOMPARE(killedAt.msecsTo(starts.first()), kSweepLeaseMs);
            QVERIFY(starts.size() >= 3);
        }
    }

    void operatorActionElsewhereReachesTheOwnerAtOnce()
    {
        const QList<VmRecord> fleet = seedFleet(u"notify"_s);
        const VmRecord &vm = fleet.first();
        QVERIFY(seedWaitingJob(u"notify"_s, vm));
        auto b = replica(u"notify"_s, u"engine-b"_s, fleet); // claims the job first
        auto a = replica(u"notify"_s, u"engine-a"_s, fleet);
        QVERIFY(a && b);
        QVERIFY(b->engine->trackedJob(vm.id));
        QVERIFY(!a->engine->trackedJob(vm.id));
        for (Replica *r : {a.get(), b.get()})
            r->cloud->setPower(vm.resourceKey, PowerState::Deallocated);

        // The operator's dashboard is attached to replica A: force restart.
        QVERIFY(a->engine->forceRestart(vm.id, u"operator:alice"_s).ok());
        QVERIFY(a->engine->trackedJob(vm.id)); // A took the job (and its lease) to act now
        // B hears it within one notification: the clock stands still, no renewal is due.
        QTRY_VERIFY_WITH_TIMEOUT(!b->engine->trackedJob(vm.id), 10'000);
        QCOMPARE(b->store->activeJob(vm.id)->leaseOwner, u"engine-a"_s);

        run({a.get(), b.get()}, 60'000);
        QCOMPARE(a->cloud->count(Kind::Start, vm.resourceKey), 1);
        QCOMPARE(b->cloud->count(Kind::Start, vm.resourceKey), 0);
    }

    void releasedJobsAreClaimedAtOnce()
    {
        const QList<VmRecord> fleet = seedFleet(u"release"_s);
        const VmRecord &vm = fleet.first();
        QVERIFY(seedWaitingJob(u"release"_s, vm));
        auto b = replica(u"release"_s, u"engine-b"_s, fleet);
        auto a = replica(u"release"_s, u"engine-a"_s, fleet);
        QVERIFY(a && b);
        QVERIFY(b->engine->trackedJob(vm.id));
        // A's engine is built again on the same store connection (an engine restarted in
        // process): it still hears.
        const EngineConfig config = a->engine->config();
        a->reconciler.reset();
        a->engine = std::make_unique<RestartEngine>(*a->store, *a->cloud, m_clock, config);
        a->engine->start();
        // B stops gracefully: it releases its leases, and A claims them at once instead of
        // at its next renewal (the clock stands still).
        b->reconciler.reset();
        b->engine.reset();
        QCOMPARE(b->store->releaseJobs(u"engine-b"_s), 1);
        QTRY_VERIFY_WITH_TIMEOUT((a->engine->processDue(), a->engine->trackedJob(vm.id)), 10'000);
    }

    void anEvictionWhoseReplicaDiedIsTakenUp()
    {
        const QList<VmRecord> fleet = seedFleet(u"unanswered"_s);
        const VmRecord &vm = fleet.first();
        auto a = replica(u"unanswered"_s, u"engine-a"_s, fleet);
        auto b = replica(u"unanswered"_s, u"engine-b"_s, fleet);
        QVERIFY(a && b);
        for (Replica *r : {a.get(), b.get()}) {
            r->cloud->setPower(vm.resourceKey, PowerState::Deallocated); // evicted, no notice
            r->cloud->setEvidence(vm.resourceKey, u"evictSpotVM by Spot"_s);
        }
        // Engine-a's sweep sees the VM go running -> deallocated and records it, and dies
        // before the Activity Log answers: the change is in the database, the watch was not.
        a->reconciler->start();
        a->reconciler->processDue();
        m_clock.advanceMSecs(a->cloud->latencyMs);
        a->cloud->deliverDue();
        QVERIFY(a->store->vm(vm.id)->powerState == PowerState::Deallocated);
        QVERIFY(a->engine->awaitingEvidence(vm.id));
        const QDateTime killedAt = m_clock.nowUtc();
        a->kill();

        // Engine-b's sweeps find the VM deallocated as the store has it: no change to see,
        // but an eviction signal nobody answered. It takes it up once the grace has passed.
        b->reconciler->start();
        run({b.get()}, 4 * kIntervalMs);
        const QList<JobRecord> jobs = b->store->jobs(vm.id, 5);
        QVERIFY2(!jobs.isEmpty(), "the eviction was never answered");
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.first().trigger, u"reconciler"_s);
        QVERIFY(killedAt.msecsTo(jobs.first().createdAt) >= ReconcilerConfig().unansweredGraceMs);
        QCOMPARE(b->cloud->count(Kind::Start, vm.resourceKey), 1);
        // The other VMs stayed up and were left alone.
        for (const VmRecord &other : fleet.mid(1))
            QVERIFY(b->store->jobs(other.id, 1).isEmpty());
    }

    void eachReplicaHasAStableIdentity()
    {
        const StoreOptions o = options(u"identity"_s);
        StoreError error;
        auto first = Store::open(o, &error);
        auto second = Store::open(o, &error);
        QVERIFY2(first && second, qPrintable(error.message));
        auto one = EngineIdentity::acquire(*first, {});
        auto two = EngineIdentity::acquire(*second, {});
        QVERIFY(one->isStable() && two->isStable());
        QVERIFY(one->owner() != two->owner());
        QCOMPARE(two->owner(), one->owner() + u"#2"_s);
        QVERIFY(one->lockPath().isEmpty()); // a lock of the connection, no file

        // The first replica dies (its connection closes): its restart gets its identity back,
        // so it reclaims its own leases at once.
        const QString firstOwner = one->owner();
        one.reset();
        first.reset();
        auto restarted = Store::open(o, &error);
        QVERIFY(restarted);
        auto again = EngineIdentity::acquire(*restarted, {});
        QVERIFY(again->isStable());
        QCOMPARE(again->owner(), firstOwner);

        // A configured identity in use elsewhere is not shared: a per-run one instead.
        auto third = Store::open(o, &error);
        QVERIFY(third);
        QVERIFY(EngineIdentity::acquire(*third, u"replica-x"_s)->isStable());
        auto fourth = Store::open(o, &error);
        QVERIFY(fourth);
        auto clash = EngineIdentity::acquire(*fourth, u"replica-x"_s);
        QVERIFY(!clash->isStable());
        QVERIFY(clash->owner() != u"replica-x"_s);
    }
};

QTEST_GUILESS_MAIN(TestReplicaEngines)
#include "tst_replicaengines.moc"
