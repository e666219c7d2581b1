// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// ARM budgets shared by replicas through their PostgreSQL store: two ARM clients (two
// replicas, each on its own connection) together send no more than one allowance, and a start
// needs both the subscription's write token and the VM's start token. Needs PostgreSQL (skips
// without it, fails where CI=true).
#include "azure/armclient.h"
#include "azure/armrequestqueue.h"
#include "fleet/sharedratebudgets.h"
#include "store/store.h"
#include "support/azure/azuretestsupport.h"
#include "support/base/manualclock.h"
#include "support/common/pgcluster.h"
#include "support/http/fakehttpserver.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;
using azuretest::CountingTokenSource;
using azuretest::fastArmOptions;
using azuretest::specBody;
using spotkeeper::testsupport::ManualClock;
using testsupport::FakeHttpServer;
using testsupport::PgCluster;

namespace {
const QString kVm = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                    "crptestar62841/providers/Microsoft.Compute/virtualMachines/vm719"_s;
} // namespace

class TestSharedBudgets : public QObject
{
    Q_OBJECT

private:
    // One replica's ARM side: its own store connection, shared buckets and client.
    struct Replica
    {
        std::unique_ptr<Store> store;
        std::unique_ptr<StoreRateBudgets> shared;
        std::unique_ptr<ArmClient> client;
    };

    std::unique_ptr<Replica> replica(const QString &database, const ArmBudgets &budgets, bool share)
    {
        auto r = std::make_unique<Replica>();
        QString error;
        if (!m_pg.createDatabase(database, &error))
            qWarning() << "create database:" << error;
        StoreOptions options;
        options.path = m_pg.url(database);
        options.passwordFile = m_pg.passwordFile();
        options.clock = &m_clock;
        StoreError storeError;
        r->store = Store::open(options, &storeError);
        if (!r->store) {
            qWarning() << "open:" << storeError.message;
            return nullptr;
        }
        r->client = std::make_unique<ArmClient>(m_tokens.get(),
                                                fastArmOptions(m_arm->baseUrl(), budgets), m_clock);
        if (share) {
            r->shared = std::make_unique<StoreRateBudgets>(*r->store);
            r->client->queue()->setSharedBudgets(r->shared.get());
        }
        return r;
    }

    static ArmBudgets readBudget()
    {
        ArmBudgets budgets;
        budgets.refillLagMs = 0; // exact bucket arithmetic
        budgets.jitterReserveMs = 0;
        budgets.subscriptionReads = BudgetConfig {4, 1, 60'000}; // 4 now, then one a minute
        return budgets;
    }

    // Sends `count` power reads through each replica; returns how many ARM answered.
    int readThroughEach(const QList<Replica *> &replicas, int count, int *done)
    {
        for (Replica *r : replicas) {
            for (int i = 0; i < count; ++i)
                r->client->instanceView(kVm, [done](const PowerStateResult &result) {
                    *done += result.call.ok() ? 1 : 0;
                });
        }
        QTest::qWait(300);
        return m_arm->count();
    }

    PgCluster m_pg;
    ManualClock m_clock;
    std::unique_ptr<FakeHttpServer> m_arm;
    std::unique_ptr<CountingTokenSource> m_tokens;

private slots:
    void initTestCase() { SPOTKEEPER_PG_CLUSTER_START(m_pg); }

    void init()
    {
        m_arm = std::make_unique<FakeHttpServer>();
        QString error;
        QVERIFY2(m_arm->start(&error), qPrintable(error));
        m_arm->route("GET", kVm.toUtf8() + "/instanceView")
            .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s));
        m_arm->route("POST", kVm.toUtf8() + "/start").respond(202, QByteArray());
        m_tokens = std::make_unique<CountingTokenSource>();
    }

    void cleanup()
    {
        m_arm.reset();
        m_tokens.reset();
    }

    void twoReplicasTakeOneAllowanceTogether()
    {
        auto a = replica(u"shared_reads"_s, readBudget(), true);
        auto b = replica(u"shared_reads"_s, readBudget(), true);
        QVERIFY(a && b);
        int done = 0;
        // 8 reads each at once: the subscription's bucket holds 4 for both of them.
        QCOMPARE(readThroughEach({a.get(), b.get()}, 8, &done), 4);
        QCOMPARE(a->client->queue()->pending() + b->client->queue()->pending(), 12);
        m_clock.advanceMSecs(120'000); // two tokens refill, for both together
        a->client->queue()->processQueue();
        b->client->queue()->processQueue();
        QTest::qWait(300);
        QCOMPARE(m_arm->count(), 6);
        QCOMPARE(done, 6);
    }

    void withoutSharingEachReplicaTakesItsOwn()
    {
        // What the shared buckets prevent: each replica alone uses the whole allowance.
        auto a = replica(u"own_reads"_s, readBudget(), false);
        auto b = replica(u"own_reads"_s, readBudget(), false);
        QVERIFY(a && b);
        int done = 0;
        QCOMPARE(readThroughEach({a.get(), b.get()}, 8, &done), 8);
    }

    void aReplicaCutOffFromTheBucketsTakesItsShare()
    {
        ArmBudgets budgets = readBudget();
        budgets.subscriptionReads = BudgetConfig {12, 3, 60'000}; // 12 now, then 3 a minute
        const QString db = u"cut_reads"_s;
        auto a = replica(db, budgets, true);
        auto b = replica(db, budgets, true);
        auto c = replica(db, budgets, true);
        QVERIFY(a && b && c);
        const QDateTime until = m_clock.nowUtc().addSecs(30);
        QVERIFY(b->shared->renewPresence(u"replica-b"_s, until));
        QVERIFY(c->shared->renewPresence(u"replica-c"_s, until));
        QVERIFY(a->shared->renewPresence(u"replica-a"_s, until));
        QCOMPARE(a->shared->replicasSeenAlive(), 3);
        QCOMPARE(a->shared->fallbackShare(), 3);

        // The budget table is out of reach: a's reads can no longer be counted with the others'.
        QCOMPARE(m_pg.exec(db, u"ALTER TABLE rate_budgets RENAME TO rate_budgets_cut"_s),
                 QString());
        int done = 0;
        // A third of the allowance, not all of it (3 x 12 for three cut-off replicas).
        QCOMPARE(readThroughEach({a.get()}, 12, &done), 4);
        QCOMPARE(a->client->queue()->pending(), 8);
        m_clock.advanceMSecs(60'000); // the share refills a third as fast: 1 a minute
        a->client->queue()->processQueue();
        QTest::qWait(300);
        QCOMPARE(m_arm->count(), 5);
        // The presence count cannot be renewed while cut off either: the last count holds.
        QCOMPARE(m_pg.exec(db, u"ALTER TABLE sweep_leases RENAME TO sweep_leases_cut"_s),
                 QString());
        QVERIFY(!a->shared->renewPresence(u"replica-a"_s, m_clock.nowUtc().addSecs(30)));
        QCOMPARE(a->shared->fallbackShare(), 3);

        // Back in reach: the shared bucket paces again (its 12 tokens are untouched), and
        // presence leases that ended no longer count.
        QCOMPARE(m_pg.exec(db, u"ALTER TABLE rate_budgets_cut RENAME TO rate_budgets"_s),
                 QString());
        QCOMPARE(m_pg.exec(db, u"ALTER TABLE sweep_leases_cut RENAME TO sweep_leases"_s),
                 QString());
        a->client->queue()->processQueue();
        QTest::qWait(300);
        QCOMPARE(m_arm->count(), 12);
        QCOMPARE(done, 12);
        QVERIFY(a->shared->renewPresence(u"replica-a"_s, m_clock.nowUtc().addSecs(30)));
        QCOMPARE(a->shared->replicasSeenAlive(), 1); // b's and c's leases ended 30 s ago
    }

    void theConfiguredFloorBoundsTheShare()
    {
        ArmBudgets budgets = readBudget();
        budgets.subscriptionReads = BudgetConfig {12, 3, 60'000};
        const QString db = u"cut_floor"_s;
        auto a = replica(db, budgets, true);
        QVERIFY(a);
        a->shared->setFallbackFloor(4); // alone in the lease table, but four are deployed
        QVERIFY(a->shared->renewPresence(u"replica-a"_s, m_clock.nowUtc().addSecs(30)));
        QCOMPARE(a->shared->replicasSeenAlive(), 1);
        QCOMPARE(a->shared->fallbackShare(), 4);
        QCOMPARE(m_pg.exec(db, u"ALTER TABLE rate_budgets RENAME TO rate_budgets_cut"_s),
                 QString());
        int done = 0;
        QCOMPARE(readThroughEach({a.get()}, 12, &done), 3); // 12 / 4
    }

    void aStartNeedsTheVmsStartTokenToo()
    {
        ArmBudgets budgets;
        budgets.refillLagMs = 0;
        budgets.jitterReserveMs = 0;
        budgets.subscriptionWrites = BudgetConfig {100, 10, 1'000};
        budgets.vmStarts = BudgetConfig {1, 1, 60'000}; // one start of the VM a minute
        auto a = replica(u"shared_starts"_s, budgets, true);
        auto b = replica(u"shared_starts"_s, budgets, true);
        QVERIFY(a && b);
        for (Replica *r : {a.get(), b.get()}) {
            r->client->queue()->send(ArmRequestQueue::Kind::Start, "POST",
                                     m_arm->url(kVm + u"/start"_s), kVm.toLower(),
                                     [](const ArmReply &) {});
        }
        QTest::qWait(300);
        QCOMPARE(m_arm->count(), 1); // the VM's start bucket is shared too
        m_clock.advanceMSecs(60'000);
        a->client->queue()->processQueue();
        b->client->queue()->processQueue();
        QTest::qWait(300);
        QCOMPARE(m_arm->count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSharedBudgets)
#include "tst_sharedbudgets.moc"
