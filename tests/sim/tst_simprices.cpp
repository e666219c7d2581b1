// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's Azure Retail Prices API read by the real price client (RetailPriceClient)
// and the PriceRefresher that fills the store's cache from it.
#include "azure/pricerefresher.h"
#include "azure/retailpriceclient.h"
#include "azure/retailprices.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"
#include "store/store.h"
#include "support/base/manualclock.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

namespace {

struct Rig
{
    testsupport::ManualClock simClock;
    sim::FleetModel model {simClock, 5};
    std::unique_ptr<sim::SimServer> server;

    explicit Rig(double burst, double perSecond, int pageSize = 100)
    {
        sim::ServerOptions options;
        options.pricesBurst = burst;
        options.pricesPerSecond = perSecond;
        options.pricesPageSize = pageSize;
        server = std::make_unique<sim::SimServer>(model, base::systemClock(), options);
        QString error;
        if (!server->listen(0, &error))
            qFatal("listen: %s", qPrintable(error));
    }
    QUrl endpoint() const { return QUrl(server->baseUrl() + u"/api/retail/prices"_s); }
};

QMap<QString, QStringList> fleetOf(int regions, int sizes)
{
    QMap<QString, QStringList> out;
    for (int r = 0; r < regions; ++r) {
        QStringList list;
        for (int s = 0; s < sizes; ++s)
            list << u"Standard_D%1s_v%2"_s.arg(2 * (s % 25 + 1)).arg(3 + s / 25);
        out.insert(u"region%1"_s.arg(r), list);
    }
    return out;
}

PriceFetchResult fetch(RetailPriceClient &client, const QMap<QString, QStringList> &asked)
{
    PriceFetchResult out;
    bool done = false;
    if (!client.fetch(asked, [&](PriceFetchResult result) {
            out = std::move(result);
            done = true;
        }))
        return out;
    if (!QTest::qWaitFor([&] { return done; }, 120'000))
        out.errors << u"the fetch did not finish"_s;
    return out;
}

} // namespace

class TestSimPrices : public QObject
{
    Q_OBJECT
private slots:
    // The target: 50 sizes x 20 regions refreshed without a single 429. The client
    // paces itself below the simulator's limit - here both scaled by ten to keep the test
    // short (simulator 30/s with a burst of 5, client 20/s; by default 3/s and 2/s).
    void fiftySizesTwentyRegionsWithoutA429()
    {
        Rig rig(5, 30);
        RetailPriceClientOptions options;
        options.endpoint = rig.endpoint();
        options.minIntervalMs = 50;
        RetailPriceClient client(options);
        const PriceFetchResult result = fetch(client, fleetOf(20, 50));
        QVERIFY2(result.complete(), qPrintable(result.errors.join(u"; "_s)));
        QCOMPARE(result.throttled, 0);
        QCOMPARE(rig.server->pricesThrottled(), 0);
        QCOMPARE(result.requests, 100); // 5 queries of 10 sizes per region, one page each
        // Linux and Windows, Spot and pay-as-you-go per pair: 50 x 20 x 4.
        QCOMPARE(result.prices.size(), 4000);
    }

    void followsNextPageLinks()
    {
        Rig rig(100, 1000, 7);
        RetailPriceClientOptions options;
        options.endpoint = rig.endpoint();
        options.minIntervalMs = 0;
        RetailPriceClient client(options);
        const PriceFetchResult result = fetch(client, fleetOf(1, 10));
        QVERIFY2(result.complete(), qPrintable(result.errors.join(u"; "_s)));
        QCOMPARE(result.requests, 12); // 80 items, 7 per page
        QCOMPARE(result.prices.size(), 40);
        // The simulator's payg and Spot of one size as its item list says.
        const QList<QJsonObject> items =
            sim::SimServer::priceItems(u"region0"_s, u"Standard_D2s_v3"_s);
        for (const PriceRecord &p : result.prices) {
            if (p.size != "standard_d2s_v3"_L1 || p.os != PriceOs::Linux)
                continue;
            const QJsonObject &expected = items.at(p.kind == PriceKind::Spot ? 1 : 0);
            QCOMPARE(p.perHour, expected.value("retailPrice"_L1).toDouble());
        }
    }

    void waitsOutA429AndRetries()
    {
        // An impatient client (no pacing) against a tight limit: 429s come back with a
        // Retry-After, the client waits it out and still gets every price.
        Rig rig(2, 4);
        RetailPriceClientOptions options;
        options.endpoint = rig.endpoint();
        options.minIntervalMs = 0;
        options.maxRetries = 10;
        RetailPriceClient client(options);
        const PriceFetchResult result = fetch(client, fleetOf(3, 20));
        QVERIFY2(result.complete(), qPrintable(result.errors.join(u"; "_s)));
        QVERIFY(result.throttled > 0);
        QCOMPARE(rig.server->pricesThrottled(), result.throttled);
        QCOMPARE(result.prices.size(), 3 * 20 * 4);
    }

    void unreachableEndpointFailsCleanly()
    {
        RetailPriceClientOptions options;
        options.endpoint = QUrl(u"http://127.0.0.1:9/api/retail/prices"_s);
        options.minIntervalMs = 0;
        options.maxRetries = 1;
        RetailPriceClient client(options);
        const PriceFetchResult result = fetch(client, fleetOf(1, 3));
        QVERIFY(!result.complete());
        QVERIFY(result.prices.isEmpty());
    }

    // The refresher asks only for what the cache lacks or holds for too long, stores it with
    // its date, and keeps the cache when offline.
    void refresherFillsTheCacheDaily()
    {
        Rig rig(100, 1000);
        QTemporaryDir dir;
        testsupport::ManualClock clock;
        clock.set(QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC));
        StoreOptions storeOptions(dir.filePath(u"store.db"_s));
        storeOptions.clock = &clock;
        StoreError error;
        auto store = Store::open(storeOptions, &error);
        QVERIFY2(store, qPrintable(error.message));
        for (int i = 0; i < 3; ++i) {
            VmRecord vm;
            vm.resourceId = u"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
                            "rg/providers/Microsoft.Compute/virtualMachines/vm%1"_s.arg(i);
            vm.location = u"westeurope"_s;
            vm.size = i == 2 ? u"Standard_F4s_v2"_s : u"Standard_D2s_v3"_s;
            QVERIFY(store->upsertVm(vm) > 0);
        }
        RetailPriceClientOptions client;
        client.endpoint = rig.endpoint();
        client.minIntervalMs = 0;
        PriceRefresher refresher(*store, clock, client);
        QSignalSpy refreshed(&refresher, &PriceRefresher::refreshed);
        QVERIFY(refresher.checkNow());
        QVERIFY(refreshed.wait(10'000));
        QCOMPARE(refreshed.last().at(0).toInt(), 8); // 2 sizes x Linux/Windows x Spot/payg
        QCOMPARE(refreshed.last().at(1).toInt(), 1); // one request for the region
        QList<PriceRecord> cached = store->prices();
        QCOMPARE(cached.size(), 8);
        QCOMPARE(cached.first().fetchedAt, clock.nowUtc());
        // Fresh: nothing is due, nothing is asked.
        QVERIFY(PriceRefresher::due(store->vms(), cached, clock.nowUtc().addSecs(3600),
                                    24 * 3'600'000LL)
                    .isEmpty());
        // A day later, offline: the fetch fails, the cache stays.
        clock.advanceMSecs(25 * 3'600'000LL);
        RetailPriceClientOptions offline;
        offline.endpoint = QUrl(u"http://127.0.0.1:9/api/retail/prices"_s);
        offline.minIntervalMs = 0;
        offline.maxRetries = 0;
        QVERIFY(refresher.client().setOptions(offline));
        QSignalSpy failed(&refresher, &PriceRefresher::refreshFailed);
        QVERIFY(refresher.checkNow());
        QVERIFY(failed.wait(10'000));
        cached = store->prices();
        QCOMPARE(cached.size(), 8);
        QVERIFY(cached.first().fetchedAt < clock.nowUtc());
    }
};

QTEST_GUILESS_MAIN(TestSimPrices)
#include "tst_simprices.moc"
