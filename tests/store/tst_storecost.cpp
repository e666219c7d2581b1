// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Store: the retail price cache, the power history and the cost report (docs/ANALYTICS.md),
// on known histories and prices with the expected figures worked out by hand below.
// Runs on SQLite (tst_storecost) and on PostgreSQL (tst_storecost_postgresql).
#include "support/base/manualclock.h"
#include "support/store/storetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <utility>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;
using spotkeeper::testsupport::ManualClock;

namespace {

const QDateTime kT0 = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC); // 2026-01-01

QDateTime at(double hours)
{
    return kT0.addMSecs(qint64(hours * 3'600'000));
}

PriceRecord price(const QString &region, const QString &size, PriceKind kind, double perHour,
                  PriceOs os = PriceOs::Linux)
{
    PriceRecord p;
    p.region = region;
    p.size = size;
    p.kind = kind;
    p.os = os;
    p.perHour = perHour;
    p.fetchedAt = kT0;
    return p;
}

const CostRow *rowOf(const CostReport &report, const QString &key)
{
    for (const CostRow &row : report.rows) {
        if (row.key == key)
            return &row;
    }
    return nullptr;
}

// Money and hours are sums of doubles: equal to the hand-worked figure within a micro-unit.
bool near(double actual, double expected)
{
    return std::abs(actual - expected) < 1e-6;
}

} // namespace

// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): QVERIFY2 must return from the test function
#define QCOMPARE_NEAR(actual, expected)                                                            \
    QVERIFY2(near(actual, expected),                                                               \
             qPrintable(u"%1 is %2, expected %3"_s.arg(QStringLiteral(#actual))                    \
                            .arg(actual, 0, 'f', 9)                                                \
                            .arg(expected, 0, 'f', 9)))

class TestStoreCost : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Store> openStore()
    {
        return openBackendStore(m_dir->path(), u"store.db"_s, &m_clock);
    }

    qint64 addVm(Store &store, int n, const QString &group, const QString &region,
                 const QString &size, const QString &priority, const QDateTime &runningSince)
    {
        VmRecord vm = vmRecord(n);
        vm.resourceId = vmKey(n);
        vm.subscriptionId = u"00000000-0000-0000-0000-000000000001"_s;
        vm.resourceGroup = group;
        vm.name = u"vm-%1"_s.arg(n);
        vm.location = region;
        vm.size = size;
        vm.priority = priority;
        vm.powerState = PowerState::Running;
        vm.powerStateAt = runningSince;
        return store.upsertVm(vm);
    }

    // An eviction's restart job: from evictedAt until finishedAt (invalid = still open).
    bool addJob(Store &store, qint64 vmId, const QString &trigger, const QDateTime &evictedAt,
                const QDateTime &finishedAt)
    {
        JobRecord job;
        job.vmId = vmId;
        job.trigger = trigger;
        job.state = JobState::BackingOff;
        job.evictedAt = evictedAt;
        job.createdAt = evictedAt;
        bool created = false;
        std::optional<JobRecord> stored = store.createJob(job, &created);
        if (!stored || !created)
            return false;
        if (!finishedAt.isValid())
            return true;
        stored->state = JobState::Running;
        stored->finishedAt = finishedAt;
        return store.saveJob(*stored);
    }

    // The fleet every report test reads, over [T0, T0 + 24 h) with the clock at T0 + 24 h.
    // Prices per hour: westeurope D2s_v3 spot 0.02, payg 0.10; eastus D4s_v3 spot 0.05,
    // payg 0.20 (Windows rows too, never used: the report prices Linux meters); E2s_v5 has none.
    //   A vm-1 rg-a westeurope D2s_v3 Spot: running from T0, evicted at 10 h (job: notice,
    //     recovered at 12 h), running from 12 h on.
    //   B vm-2 rg-b eastus D4s_v3 Spot: running since T0 - 5 h, evicted at 4 h (job:
    //     reconciler, still backing off).
    //   C vm-3 rg-a westeurope E2s_v5 Spot: running all day, no price.
    //   D vm-4 rg-a westeurope D2s_v3 Regular: running all day; a regular VM saves nothing and
    //     is left out.
    //   E vm-5 rg-b eastus D4s_v3 Spot: deallocated from 2 h to 3 h by an operator's force
    //     restart (job trigger operator: not an eviction, not lost hours).
    // Every price was read at T0 without an effective date: each holds from T0, and as the
    // oldest of its key also before.
    void buildFleet(Store &store)
    {
        QVERIFY(store.savePrices({
            price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::Spot, 0.02),
            price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::PayAsYouGo, 0.10),
            price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::Spot, 0.07, PriceOs::Windows),
            price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::PayAsYouGo, 0.19,
                  PriceOs::Windows),
            price(u"eastus"_s, u"standard_d4s_v3"_s, PriceKind::Spot, 0.05),
            price(u"eastus"_s, u"standard_d4s_v3"_s, PriceKind::PayAsYouGo, 0.20),
        }));
        m_clock.set(kT0);
        const qint64 a =
            addVm(store, 1, u"rg-a"_s, u"westeurope"_s, u"Standard_D2s_v3"_s, u"Spot"_s, kT0);
        const qint64 b =
            addVm(store, 2, u"rg-b"_s, u"eastus"_s, u"Standard_D4s_v3"_s, u"Spot"_s, at(-5));
        QVERIFY(addVm(store, 3, u"rg-a"_s, u"westeurope"_s, u"Standard_E2s_v5"_s, u"Spot"_s, kT0)
                > 0);
        QVERIFY(addVm(store, 4, u"rg-a"_s, u"westeurope"_s, u"Standard_D2s_v3"_s, u"Regular"_s, kT0)
                > 0);
        const qint64 e =
            addVm(store, 5, u"rg-b"_s, u"eastus"_s, u"Standard_D4s_v3"_s, u"Spot"_s, kT0);
        QVERIFY(a > 0 && b > 0 && e > 0);
        QVERIFY(store.setPowerState(a, PowerState::Deallocated, at(10)));
        QVERIFY(store.setPowerState(a, PowerState::Running, at(12)));
        QVERIFY(store.setPowerState(a, PowerState::Running, at(13))); // same state: no new span
        QVERIFY(addJob(store, a, u"notice"_s, at(10), at(12)));
        QVERIFY(store.setPowerState(b, PowerState::Deallocated, at(4)));
        QVERIFY(addJob(store, b, u"reconciler"_s, at(4), {}));
        QVERIFY(store.setPowerState(e, PowerState::Deallocated, at(2)));
        QVERIFY(store.setPowerState(e, PowerState::Running, at(3)));
        QVERIFY(addJob(store, e, u"operator"_s, at(2), at(3)));
        m_clock.set(at(24));
    }

    CostReport report(Store &store, CostGroup group, double fromHours, double toHours,
                      qint64 bucketMs = 0)
    {
        CostQuery query;
        query.from = at(fromHours);
        query.to = at(toHours);
        query.groupBy = group;
        query.bucketMs = bucketMs;
        const std::optional<CostReport> r = store.costReport(query);
        if (!r)
            qWarning() << "cost report failed:" << store.lastError().message;
        return r.value_or(CostReport {});
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;

private slots:
    void initTestCase() { SPOTKEEPER_STORE_BACKEND_INIT(); }
    void cleanupTestCase() { spotkeeper::testsupport::StoreBackend::cleanup(); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_clock.set(kT0);
    }

    void pricesAreCachedWithTheirDate()
    {
        auto store = openStore();
        QVERIFY(store);
        PriceRecord p = price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::Spot, 0.02);
        p.effectiveFrom = at(-100);
        QVERIFY(store->savePrices({p}));
        p.perHour = 0.025;
        p.fetchedAt = at(24); // the next day's refresh replaces the row
        QVERIFY(store->savePrices(
            {p, price(u"eastus"_s, u"standard_d4s_v3"_s, PriceKind::PayAsYouGo, 0.2)}));
        const QList<PriceRecord> cached = store->prices();
        QCOMPARE(cached.size(), 2);
        QCOMPARE(cached.at(0).region, u"eastus"_s);
        QCOMPARE(cached.at(1).perHour, 0.025);
        QCOMPARE(cached.at(1).fetchedAt, at(24));
        QCOMPARE(cached.at(1).effectiveFrom, at(-100));
        QVERIFY(cached.at(1).kind == PriceKind::Spot);
        // Bad input: a clear error, nothing written.
        PriceRecord bad = p;
        bad.perHour = -1;
        QVERIFY(!store->savePrices({price(u"x"_s, u"y"_s, PriceKind::Spot, 1), bad}));
        QCOMPARE(store->prices().size(), 2);
    }

    void reportBySize()
    {
        auto store = openStore();
        QVERIFY(store);
        buildFleet(*store);
        const CostReport r = report(*store, CostGroup::Size, 0, 24);
        QCOMPARE(r.rows.size(), 3);
        QCOMPARE(r.pricesFetchedAt, kT0);
        QCOMPARE(r.currency, u"USD"_s);
        // D4s_v3: B ran 0-4 h (4 h: spot 4 x 0.05 = 0.20, payg 4 x 0.20 = 0.80) and was lost
        // 4-24 h = 20 h (20 x 0.20 = 4.00); E ran 0-2 h and 3-24 h = 23 h (spot 1.15, payg
        // 4.60), its operator job is no eviction and no loss. Together 27 h, spot 1.35, payg
        // 5.40, savings 4.05, lost 20 h costing 4.00, 1 eviction. Largest savings: first.
        const CostRow &d4 = r.rows.at(0);
        QCOMPARE(d4.key, u"standard_d4s_v3"_s);
        QCOMPARE(d4.label, u"Standard_D4s_v3"_s);
        QCOMPARE(d4.vms, 2);
        QCOMPARE_NEAR(d4.runningHours, 27.0);
        QCOMPARE_NEAR(d4.spotCost, 1.35);
        QCOMPARE_NEAR(d4.payAsYouGoCost, 5.40);
        QCOMPARE_NEAR(d4.savings(), 4.05);
        QCOMPARE_NEAR(d4.lostHours, 20.0);
        QCOMPARE_NEAR(d4.lostPayAsYouGoCost, 4.00);
        QCOMPARE(d4.evictions, 1);
        QCOMPARE_NEAR(d4.unpricedHours, 0.0);
        // D2s_v3 (A; D is Regular and left out): running 0-10 h and 12-24 h = 22 h; spot
        // 22 x 0.02 = 0.44, payg 22 x 0.10 = 2.20, savings 1.76; lost 10-12 h = 2 h,
        // 2 x 0.10 = 0.20; 1 eviction.
        const CostRow &d2 = r.rows.at(1);
        QCOMPARE(d2.key, u"standard_d2s_v3"_s);
        QCOMPARE(d2.vms, 1);
        QCOMPARE_NEAR(d2.runningHours, 22.0);
        QCOMPARE_NEAR(d2.spotCost, 0.44);
        QCOMPARE_NEAR(d2.payAsYouGoCost, 2.20);
        QCOMPARE_NEAR(d2.savings(), 1.76);
        QCOMPARE_NEAR(d2.lostHours, 2.0);
        QCOMPARE_NEAR(d2.lostPayAsYouGoCost, 0.20);
        QCOMPARE(d2.evictions, 1);
        // E2s_v5 (C): 24 h running, no price: unpriced, no cost, no savings.
        const CostRow &e2 = r.rows.at(2);
        QCOMPARE(e2.key, u"standard_e2s_v5"_s);
        QCOMPARE_NEAR(e2.runningHours, 24.0);
        QCOMPARE_NEAR(e2.unpricedHours, 24.0);
        QCOMPARE_NEAR(e2.spotCost, 0.0);
        QCOMPARE_NEAR(e2.payAsYouGoCost, 0.0);
        // The total: 73 h, spot 1.79, payg 7.60, savings 5.81, lost 22 h / 4.20.
        const CostRow total = r.total();
        QCOMPARE_NEAR(total.runningHours, 73.0);
        QCOMPARE_NEAR(total.savings(), 5.81);
        QCOMPARE_NEAR(total.lostPayAsYouGoCost, 4.20);
        QCOMPARE(total.evictions, 2);
    }

    void reportByVmRegionAndResourceGroup()
    {
        auto store = openStore();
        QVERIFY(store);
        buildFleet(*store);
        const CostReport byVm = report(*store, CostGroup::Vm, 0, 24);
        QCOMPARE(byVm.rows.size(), 4); // A, B, C, E (D is Regular)
        const CostRow *b = rowOf(byVm, vmKey(2));
        QVERIFY(b);
        QCOMPARE(b->label, u"vm-2"_s);
        QCOMPARE_NEAR(b->runningHours, 4.0);
        QCOMPARE_NEAR(b->savings(), 0.60);
        QCOMPARE_NEAR(b->lostPayAsYouGoCost, 4.00);
        // Regions: westeurope = A + C (46 h, savings 1.76, 24 h unpriced); eastus = B + E.
        const CostReport byRegion = report(*store, CostGroup::Region, 0, 24);
        QCOMPARE(byRegion.rows.size(), 2);
        const CostRow *we = rowOf(byRegion, u"westeurope"_s);
        QVERIFY(we);
        QCOMPARE(we->vms, 2);
        QCOMPARE_NEAR(we->runningHours, 46.0);
        QCOMPARE_NEAR(we->savings(), 1.76);
        QCOMPARE_NEAR(we->unpricedHours, 24.0);
        QCOMPARE(byRegion.rows.at(0).key, u"eastus"_s); // savings 4.05 first
        // Resource groups: rg-a = A + C, rg-b = B + E; the key names the subscription too.
        const CostReport byGroup = report(*store, CostGroup::ResourceGroup, 0, 24);
        const CostRow *rgA = rowOf(byGroup, u"00000000-0000-0000-0000-000000000001/rg-a"_s);
        QVERIFY(rgA);
        QCOMPARE(rgA->label, u"rg-a"_s);
        QCOMPARE_NEAR(rgA->lostHours, 2.0);
        QCOMPARE_NEAR(rgA->payAsYouGoCost, 2.20);
    }

    // Prices change: each is kept with the time it began to hold, and a report prices every
    // hour at the price of its period.
    void priceHistoryPricesEachPeriod()
    {
        auto store = openStore();
        QVERIFY(store);
        buildFleet(*store);
        // westeurope D2s_v3 Linux: Spot 0.02 from T0 (as read then), 0.04 from 6 h (the
        // meter's effective date); pay-as-you-go 0.10, then 0.12 from 18 h.
        PriceRecord spot = price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::Spot, 0.04);
        spot.effectiveFrom = at(6);
        spot.fetchedAt = at(7);
        PriceRecord payg =
            price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::PayAsYouGo, 0.12);
        payg.effectiveFrom = at(18);
        payg.fetchedAt = at(19);
        QVERIFY(store->savePrices({spot, payg}));
        // A runs 0-10 h and 12-24 h, lost 10-12 h:
        //   Spot: 0-6 h at 0.02 = 0.12; 6-10 h and 12-24 h = 16 h at 0.04 = 0.64; 0.76.
        //   Pay-as-you-go: 0-10 h and 12-18 h = 16 h at 0.10 = 1.60; 18-24 h = 6 h at 0.12 =
        //   0.72; 2.32. Savings 1.56. Lost 10-12 h at 0.10 = 0.20.
        const CostReport all = report(*store, CostGroup::Vm, 0, 24, 6 * 3'600'000LL);
        const CostRow *a = rowOf(all, vmKey(1));
        QVERIFY(a);
        QCOMPARE_NEAR(a->runningHours, 22.0);
        QCOMPARE_NEAR(a->spotCost, 0.76);
        QCOMPARE_NEAR(a->payAsYouGoCost, 2.32);
        QCOMPARE_NEAR(a->savings(), 1.56);
        QCOMPARE_NEAR(a->lostPayAsYouGoCost, 0.20);
        // The other VMs' prices did not change (reportBySize): E2s_v5 stays unpriced.
        const CostRow *b = rowOf(all, vmKey(2));
        QVERIFY(b);
        QCOMPARE_NEAR(b->savings(), 0.60);
        // The series (seriesSplitsSpansAtBucketBoundaries) changes by A's hours only:
        //   [6, 12): A 6-10 h at 0.04 instead of 0.02: Spot 0.38 + 0.08 = 0.46;
        //   [12, 18) and [18, 24): Spot 0.42 + 0.12 = 0.54; [18, 24) pay-as-you-go
        //   1.80 + 6 x 0.02 = 1.92.
        const std::array<double, 4> seriesHours {21, 16, 18, 18};
        const std::array<double, 4> seriesSpot {0.57, 0.46, 0.54, 0.54};
        const std::array<double, 4> seriesPayg {2.40, 1.60, 1.80, 1.92};
        QCOMPARE(all.series.size(), 4);
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE_NEAR(all.series.at(qsizetype(i)).runningHours, seriesHours.at(i));
            QCOMPARE_NEAR(all.series.at(qsizetype(i)).spotCost, seriesSpot.at(i));
            QCOMPARE_NEAR(all.series.at(qsizetype(i)).payAsYouGoCost, seriesPayg.at(i));
        }
        // A range across the pay-as-you-go change: [17 h, 20 h) = 3 h of A at Spot 0.04 =
        // 0.12; pay-as-you-go 1 h at 0.10 + 2 h at 0.12 = 0.34.
        // (Each report is kept in a variable: rowOf points into it.)
        const CostReport across = report(*store, CostGroup::Vm, 17, 20);
        const CostRow *part = rowOf(across, vmKey(1));
        QVERIFY(part);
        QCOMPARE_NEAR(part->spotCost, 0.12);
        QCOMPARE_NEAR(part->payAsYouGoCost, 0.34);
        // A range before the Spot change keeps the old price: [0, 6 h) = 6 h at 0.02.
        const CostReport before = report(*store, CostGroup::Vm, 0, 6);
        const CostRow *early = rowOf(before, vmKey(1));
        QVERIFY(early);
        QCOMPARE_NEAR(early->spotCost, 0.12);
    }

    // The cache keeps the history: a changed price adds a row, an unchanged one read again
    // only moves its date on.
    void pricesKeepTheirHistory()
    {
        auto store = openStore();
        QVERIFY(store);
        PriceRecord p = price(u"westeurope"_s, u"standard_d2s_v3"_s, PriceKind::Spot, 0.02);
        QVERIFY(store->savePrices({p}));
        p.fetchedAt = at(24); // the next day, the same price, no effective date: no new row
        QVERIFY(store->savePrices({p}));
        QList<PriceRecord> cached = store->prices();
        QCOMPARE(cached.size(), 1);
        QCOMPARE(cached.at(0).fetchedAt, at(24));
        p.perHour = 0.03; // two days later a new price, read without an effective date
        p.fetchedAt = at(48);
        QVERIFY(store->savePrices({p}));
        cached = store->prices();
        QCOMPARE(cached.size(), 2);
        QCOMPARE(cached.at(0).perHour, 0.02);
        QCOMPARE(cached.at(1).perHour, 0.03);
        QCOMPARE(cached.at(1).fetchedAt, at(48));
        // The report's date is the oldest of the prices that hold now.
        m_clock.set(at(50));
        QCOMPARE(report(*store, CostGroup::Size, 0, 50).pricesFetchedAt, at(48));
    }

    void rangeClipsEverySpan()
    {
        auto store = openStore();
        QVERIFY(store);
        buildFleet(*store);
        // [11 h, 13 h): A runs 12-13 h (1 h: spot 0.02, payg 0.10) and is lost 11-12 h (1 h,
        // 0.10), its eviction (10 h) began before the range; B is lost all 2 h (0.40) and ran
        // none; C runs 2 h unpriced; E runs 2 h (spot 0.10, payg 0.40).
        const CostReport r = report(*store, CostGroup::Vm, 11, 13);
        const CostRow *a = rowOf(r, vmKey(1));
        const CostRow *b = rowOf(r, vmKey(2));
        QVERIFY(a && b);
        QCOMPARE_NEAR(a->runningHours, 1.0);
        QCOMPARE_NEAR(a->spotCost, 0.02);
        QCOMPARE_NEAR(a->lostHours, 1.0);
        QCOMPARE_NEAR(a->lostPayAsYouGoCost, 0.10);
        QCOMPARE(a->evictions, 0);
        QCOMPARE_NEAR(b->runningHours, 0.0);
        QCOMPARE_NEAR(b->lostHours, 2.0);
        QCOMPARE_NEAR(b->lostPayAsYouGoCost, 0.40);
        QCOMPARE_NEAR(r.total().runningHours, 5.0);
    }

    void seriesSplitsSpansAtBucketBoundaries()
    {
        auto store = openStore();
        QVERIFY(store);
        buildFleet(*store);
        // 6 h buckets over [0, 24 h). Hours include unpriced C (6 h each bucket), costs not.
        //   [0, 6):  A 6, B 4, C 6, E 5 (0-2, 3-6) = 21 h; spot .12 + .20 + .25 = .57;
        //            payg .60 + .80 + 1.00 = 2.40
        //   [6, 12): A 4 (6-10), C 6, E 6 = 16 h; spot .08 + .30 = .38; payg .40 + 1.20 = 1.60
        //   [12,18): A 6, C 6, E 6 = 18 h; spot .12 + .30 = .42; payg .60 + 1.20 = 1.80
        //   [18,24): the same as [12, 18).
        const CostReport r = report(*store, CostGroup::Size, 0, 24, 6 * 3'600'000LL);
        QCOMPARE(r.series.size(), 4);
        QCOMPARE(r.series.at(0).start, kT0);
        QCOMPARE(r.series.at(3).start, at(18));
        const std::array<double, 4> hours {21, 16, 18, 18};
        const std::array<double, 4> spot {0.57, 0.38, 0.42, 0.42};
        const std::array<double, 4> payg {2.40, 1.60, 1.80, 1.80};
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE_NEAR(r.series.at(qsizetype(i)).runningHours, hours.at(i));
            QCOMPARE_NEAR(r.series.at(qsizetype(i)).spotCost, spot.at(i));
            QCOMPARE_NEAR(r.series.at(qsizetype(i)).payAsYouGoCost, payg.at(i));
        }
        // The series adds up to the rows' totals (73 h, spot 1.79, payg 7.60).
        double sumSpot = 0;
        for (const CostPoint &p : r.series)
            sumSpot += p.spotCost;
        QCOMPARE_NEAR(sumSpot, r.total().spotCost);
    }

    void openStatesCountUntilNow()
    {
        auto store = openStore();
        QVERIFY(store);
        buildFleet(*store);
        // The clock stands at 24 h: a range to 48 h counts what ran until now, the same as
        // [0, 24 h); the series has 12 h buckets, the last two after now are empty.
        const CostReport r = report(*store, CostGroup::Size, 0, 48, 12 * 3'600'000LL);
        QCOMPARE_NEAR(r.total().runningHours, 73.0);
        QCOMPARE_NEAR(r.total().lostHours, 22.0);
        QCOMPARE(r.series.size(), 4);
        QCOMPARE_NEAR(r.series.at(0).runningHours, 37.0); // 21 + 16
        QCOMPARE_NEAR(r.series.at(1).runningHours, 36.0);
        QCOMPARE_NEAR(r.series.at(2).runningHours, 0.0);
        QCOMPARE_NEAR(r.series.at(3).runningHours, 0.0);
        // A range wholly in the future has nothing yet.
        QVERIFY(report(*store, CostGroup::Size, 30, 40).rows.isEmpty());
    }

    void publishedRiskIsCachedWithItsDate()
    {
        auto store = openStore();
        QVERIFY(store);
        EvictionBand band {u"WestEurope"_s, u"Standard_D2s_v3"_s, u"0-5"_s, 0, 0, kT0};
        QVERIFY(store->saveEvictionBands({band}));
        band.band = u"20+"_s; // the next read replaces the row
        band.fetchedAt = at(24);
        QVERIFY(store->saveEvictionBands({band}));
        QList<EvictionBand> bands = store->evictionBands();
        QCOMPARE(bands.size(), 1);
        QCOMPARE(bands.at(0).region, u"westeurope"_s);
        QCOMPARE(bands.at(0).size, u"standard_d2s_v3"_s);
        QCOMPARE(bands.at(0).band, u"20+"_s);
        QCOMPARE(bands.at(0).lowPercent, 20.0);
        QCOMPARE(bands.at(0).highPercent, -1.0);
        QCOMPARE(bands.at(0).fetchedAt, at(24));
        // Bad input: a clear error, nothing written.
        QVERIFY(
            !store->saveEvictionBands({EvictionBand {u"eastus"_s, u"x"_s, u"5-10"_s, 0, 0, kT0},
                                       EvictionBand {u"eastus"_s, u"y"_s, u"lots"_s, 0, 0, kT0}}));
        QVERIFY(!store->lastError().message.isEmpty());
        QCOMPARE(store->evictionBands().size(), 1);

        SpotPricePoint p {u"eastus"_s, u"standard_d4s_v3"_s, PriceOs::Linux, at(-48), 0.05, kT0};
        SpotPricePoint q = p;
        q.effectiveAt = at(-24);
        q.perHourUsd = 0.06;
        QVERIFY(store->saveSpotPriceHistory({p, q}));
        q.perHourUsd = 0.065; // the same point read again is updated
        QVERIFY(store->saveSpotPriceHistory({q}));
        const QList<SpotPricePoint> history = store->spotPriceHistory();
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).effectiveAt, at(-48));
        QCOMPARE(history.at(1).perHourUsd, 0.065);
        q.perHourUsd = std::nan("");
        QVERIFY(!store->saveSpotPriceHistory({q}));
    }

    // The fleet of buildFleet plus F (vm-6, westeurope D2s_v3 Spot), evicted four times:
    // at 1 h (running again at 2 h: 1 h), at 3 h (6 h: 3 h), at 7 h (7.5 h: 0.5 h) and at 8 h
    // (still down). F ran 0-1, 2-3, 6-7 and 7.5-8 h = 3.5 h. Bands: westeurope D2s_v3 "0-5",
    // eastus D4s_v3 "20+"; E2s_v5 has none.
    void riskPerSizeAndRegion()
    {
        auto store = openStore();
        QVERIFY(store);
        buildFleet(*store);
        m_clock.set(kT0);
        const qint64 f =
            addVm(*store, 6, u"rg-a"_s, u"westeurope"_s, u"Standard_D2s_v3"_s, u"Spot"_s, kT0);
        QVERIFY(f > 0);
        const std::array<std::pair<double, double>, 3> downs {{{1, 2}, {3, 6}, {7, 7.5}}};
        for (const auto &[down, up] : downs) {
            QVERIFY(store->setPowerState(f, PowerState::Deallocated, at(down)));
            QVERIFY(store->setPowerState(f, PowerState::Running, at(up)));
            QVERIFY(addJob(*store, f, u"notice"_s, at(down), at(up)));
        }
        QVERIFY(store->setPowerState(f, PowerState::Deallocated, at(8)));
        QVERIFY(addJob(*store, f, u"reconciler"_s, at(8), {}));
        QVERIFY(store->saveEvictionBands(
            {EvictionBand {u"westeurope"_s, u"standard_d2s_v3"_s, u"0-5"_s, 0, 0, at(-1)},
             EvictionBand {u"eastus"_s, u"standard_d4s_v3"_s, u"20+"_s, 0, 0, at(-1)}}));
        m_clock.set(at(24));

        CostQuery query;
        query.from = kT0;
        query.to = at(24);
        query.risk = true;
        std::optional<CostReport> r = store->costReport(query);
        QVERIFY(r);
        QCOMPARE(r->risk.size(), 3);
        // westeurope D2s_v3 = A + F (D is Regular): running 22 + 3.5 = 25.5 h; evictions
        // 1 + 4 = 5, per VM-day 5 x 24 / 25.5 = 4.705882; 19.607843 % per hour, above
        // 2 x 5 % with 5 >= 2 evictions: flagged, so first. Recovered: A 2 h, F 1, 3 and
        // 0.5 h -> sorted 0.5, 1, 2, 3: median (1 + 2) / 2 = 1.5 h.
        const RiskRow &d2 = r->risk.at(0);
        QCOMPARE(d2.size, u"standard_d2s_v3"_s);
        QCOMPARE(d2.region, u"westeurope"_s);
        QCOMPARE(d2.sizeLabel, u"Standard_D2s_v3"_s);
        QCOMPARE(d2.vms, 2);
        QCOMPARE_NEAR(d2.runningHours, 25.5);
        QCOMPARE(d2.evictions, 5);
        QCOMPARE_NEAR(d2.evictionsPerVmDay(), 5.0 * 24 / 25.5);
        QCOMPARE_NEAR(d2.observedPercentPerHour(), 500.0 / 25.5);
        QCOMPARE(d2.recoveries, 4);
        QCOMPARE_NEAR(d2.medianRecoveryHours, 1.5);
        QCOMPARE(d2.band, u"0-5"_s);
        QCOMPARE(d2.bandHighPercent, 5.0);
        QCOMPARE(d2.bandFetchedAt, at(-1));
        QVERIFY(d2.flagged);
        // eastus D4s_v3 = B + E: 27 h, 1 eviction (E's operator job is none), 24 / 27 per
        // VM-day; B never came back: no median. Band 20+ has no upper bound: never flagged.
        const RiskRow &d4 = r->risk.at(1);
        QCOMPARE(d4.size, u"standard_d4s_v3"_s);
        QCOMPARE(d4.vms, 2);
        QCOMPARE_NEAR(d4.runningHours, 27.0);
        QCOMPARE(d4.evictions, 1);
        QCOMPARE_NEAR(d4.evictionsPerVmDay(), 24.0 / 27);
        QCOMPARE(d4.recoveries, 0);
        QCOMPARE(d4.medianRecoveryHours, -1.0);
        QCOMPARE(d4.band, u"20+"_s);
        QCOMPARE(d4.bandHighPercent, -1.0);
        QVERIFY(!d4.flagged);
        // westeurope E2s_v5 = C: 24 h, no eviction, no band.
        const RiskRow &e2 = r->risk.at(2);
        QCOMPARE(e2.size, u"standard_e2s_v5"_s);
        QCOMPARE_NEAR(e2.runningHours, 24.0);
        QCOMPARE(e2.evictions, 0);
        QVERIFY(e2.band.isEmpty());
        QVERIFY(!e2.flagged);

        // [0, 7.9 h): A ran 7.9 h, F 0-1, 2-3, 6-7, 7.5-7.9 = 3.4 h: 11.3 h; F's evictions at
        // 1, 3 and 7 h began in the range and recovered in 1, 3 and 0.5 h: median 1 h (odd
        // count, the middle one); A's eviction at 10 h is outside.
        query.to = at(7.9);
        r = store->costReport(query);
        QVERIFY(r);
        const RiskRow &early = r->risk.at(0);
        QCOMPARE(early.size, u"standard_d2s_v3"_s);
        QCOMPARE_NEAR(early.runningHours, 11.3);
        QCOMPARE(early.evictions, 3);
        QCOMPARE(early.recoveries, 3);
        QCOMPARE_NEAR(early.medianRecoveryHours, 1.0);
        // Without query.risk the report has none.
        query.risk = false;
        QVERIFY(store->costReport(query)->risk.isEmpty());
    }

    void bandsParse()
    {
        double low = -7;
        double high = -7;
        QVERIFY(parseEvictionBand(u"0-5", &low, &high));
        QCOMPARE(low, 0.0);
        QCOMPARE(high, 5.0);
        QVERIFY(parseEvictionBand(u" 20+ ", &low, &high));
        QCOMPARE(low, 20.0);
        QCOMPARE(high, -1.0);
        for (const auto *const bad : {u"", u"5", u"10-5", u"-5", u"a-b", u"+", u"0-500", u"nan-5"})
            QVERIFY2(!parseEvictionBand(bad, &low, &high), qPrintable(QStringView(bad).toString()));
    }

    void refusesAnEmptyRange()
    {
        auto store = openStore();
        QVERIFY(store);
        CostQuery query;
        query.from = at(5);
        query.to = at(5);
        QVERIFY(!store->costReport(query));
        QVERIFY(!store->lastError().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStoreCost)
#include "tst_storecost.moc"
