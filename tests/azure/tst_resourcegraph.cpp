// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/resourcegraph.h"
#include "support/common/fixtures.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using spotkeeper::testsupport::testDataPath;

namespace {
QByteArray answer(const QString &name)
{
    QFile file(testDataPath(u"azure-resourcegraph/"_s + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
const QDateTime kRead = QDateTime::fromSecsSinceEpoch(1'796'083'200, Qt::UTC); // 2026-12-01
} // namespace

// The Resource Graph requests and parsers for the Spot risk Azure publishes, on answers in the
// documented shape (tests/data/azure-resourcegraph).
class TestResourceGraph : public QObject
{
    Q_OBJECT
private slots:
    void endpointIsTenantScoped()
    {
        QCOMPARE(resourcegraph::endpoint(QUrl(u"https://management.azure.com"_s)).toString(),
                 u"https://management.azure.com/providers/Microsoft.ResourceGraph/resources"
                 "?api-version=2022-10-01"_s);
        QCOMPARE(resourcegraph::endpoint(QUrl(u"http://127.0.0.1:8080/"_s)).path(),
                 u"/providers/Microsoft.ResourceGraph/resources"_s);
    }

    void requestsNameOnlyArmNames()
    {
        const QJsonObject body = QJsonDocument::fromJson(resourcegraph::evictionRatesRequest(
                                                             {u"WestEurope"_s, u"x' or 1==1 //"_s},
                                                             {u"Standard_D2s_v3"_s}, u"token-2"_s))
                                     .object();
        const QString kql = body.value(u"query"_s).toString();
        QVERIFY(kql.startsWith(
            u"SpotResources | where type =~ 'microsoft.compute/skuspotevictionrate/location'"_s));
        QVERIFY(kql.contains(u"| where location in~ ('westeurope')"_s));
        QVERIFY(kql.contains(u"| where sku.name in~ ('standard_d2s_v3')"_s));
        QVERIFY(!kql.contains(u"1==1"_s)); // not an ARM name: left out
        QVERIFY(kql.contains(u"evictionRate = tostring(properties.evictionRate)"_s));
        const QJsonObject options = body.value(u"options"_s).toObject();
        QCOMPARE(options.value(u"resultFormat"_s).toString(), u"objectArray"_s);
        QCOMPARE(options.value(u"$top"_s).toInt(), resourcegraph::PageSize);
        QCOMPARE(options.value(u"$skipToken"_s).toString(), u"token-2"_s);
        QVERIFY(!body.contains(u"subscriptions"_s));
        // No names at all: the whole table, no where clause on them.
        const QString all = QJsonDocument::fromJson(resourcegraph::priceHistoryRequest({}, {}))
                                .object()
                                .value(u"query"_s)
                                .toString();
        QVERIFY(all.contains(u"microsoft.compute/skuspotpricehistory/ostype/location"_s));
        QVERIFY(!all.contains(u"in~"_s));
        QVERIFY(all.contains(u"spotPrices = properties.spotPrices"_s));
    }

    void evictionRatesArePagedAndChecked()
    {
        QString error;
        const auto first =
            resourcegraph::parseEvictionRates(answer(u"evictionrates-page1.json"_s), kRead, &error);
        QVERIFY2(first, qPrintable(error));
        QCOMPARE(first->rows, 3);
        QCOMPARE(first->skipped, 0);
        QCOMPARE(first->skipToken,
                 u"ew0KICAiJGlkIjogIjEiLA0KICAiTWF4Um93cyI6IDMsDQogICJSb3dzVG9Ta2lwIjogMw0KfQ=="_s);
        QCOMPARE(first->bands.size(), 3);
        const EvictionBand &b = first->bands.at(1);
        QCOMPARE(b.region, u"eastus"_s);
        QCOMPARE(b.size, u"standard_d4s_v4"_s);
        QCOMPARE(b.band, u"5-10"_s);
        QCOMPARE(b.lowPercent, 5.0);
        QCOMPARE(b.highPercent, 10.0);
        QCOMPARE(b.fetchedAt, kRead);
        QCOMPARE(first->bands.at(2).band, u"20+"_s);
        QCOMPARE(first->bands.at(2).highPercent, -1.0);
        // The last page: no token; "west europe", "unknown" and a missing band are skipped.
        const auto last =
            resourcegraph::parseEvictionRates(answer(u"evictionrates-page2.json"_s), kRead, &error);
        QVERIFY2(last, qPrintable(error));
        QVERIFY(last->skipToken.isEmpty());
        QCOMPARE(last->rows, 4);
        QCOMPARE(last->skipped, 3);
        QCOMPARE(last->bands.size(), 1);
        QCOMPARE(last->bands.at(0).band, u"15-20"_s);
        QCOMPARE(last->bands.at(0).region, u"southcentralus"_s);
    }

    void priceHistoryPointsAreChecked()
    {
        QString error;
        const auto page =
            resourcegraph::parsePriceHistory(answer(u"pricehistory.json"_s), kRead, &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->rows, 3);
        // Linux: 2 of 4 points (a date that is none, a price as a string: skipped); Windows 1;
        // the BeOS row skipped as a whole.
        QCOMPARE(page->points.size(), 3);
        QCOMPARE(page->skipped, 3);
        const SpotPricePoint &p = page->points.at(0);
        QCOMPARE(p.region, u"eastus"_s);
        QCOMPARE(p.size, u"standard_d2s_v4"_s);
        QVERIFY(p.os == PriceOs::Linux);
        QCOMPARE(p.effectiveAt, QDateTime(QDate(2026, 11, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(p.perHourUsd, 0.0211);
        QCOMPARE(p.fetchedAt, kRead);
        QCOMPARE(page->points.at(1).perHourUsd, 0.0198);
        QVERIFY(page->points.at(2).os == PriceOs::Windows);
        QCOMPARE(page->points.at(2).perHourUsd, 0.0412);
    }

    void refusesWhatIsNoAnswer()
    {
        for (const QByteArray &body :
             {QByteArray(), "[]"_ba, R"({"data": {}})"_ba, R"({"count": 1})"_ba, "not json"_ba,
              R"({"data": [], "$skipToken": 42})"_ba}) {
            QString error;
            QVERIFY2(!resourcegraph::parseEvictionRates(body, kRead, &error), body.constData());
            QVERIFY(!error.isEmpty());
            error.clear();
            QVERIFY(!resourcegraph::parsePriceHistory(body, kRead, &error));
            QVERIFY(!error.isEmpty());
        }
        // Rows that are no objects are counted and skipped, not trusted.
        QString error;
        const auto page =
            resourcegraph::parseEvictionRates(R"({"data": [1, "x", null]})"_ba, kRead, &error);
        QVERIFY(page);
        QCOMPARE(page->rows, 3);
        QCOMPARE(page->skipped, 3);
    }
};

QTEST_GUILESS_MAIN(TestResourceGraph)
#include "tst_resourcegraph.moc"
