// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/retailprices.h"
#include "support/common/fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using spotkeeper::testsupport::testDataPath;

namespace {
QByteArray prices(const QString &name)
{
    QFile file(testDataPath(u"azure-prices/"_s + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
const QUrl kFrom(u"https://prices.azure.com/api/retail/prices?$filter=x"_s);
} // namespace

// The Retail Prices parsers on documented and recorded answers (tests/data/azure-prices).
class TestRetailPrices : public QObject
{
    Q_OBJECT
private slots:
    void documentedDevTestItemIsSkipped()
    {
        QString error;
        const auto page =
            retailprices::parsePage(prices(u"docs-f16s-spot-devtest.json"_s), kFrom, &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->items, 1);
        QCOMPARE(page->skipped, 1);
        QVERIFY(page->prices.isEmpty());
        QVERIFY(page->nextPage.isEmpty());
    }

    void documentedReservationIsSkipped()
    {
        QString error;
        const auto page =
            retailprices::parsePage(prices(u"docs-e64v4-reservation.json"_s), kFrom, &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->skipped, 1);
        const QJsonObject item = QJsonDocument::fromJson(prices(u"docs-e64v4-reservation.json"_s))
                                     .object()
                                     .value("Items"_L1)
                                     .toArray()
                                     .first()
                                     .toObject();
        PriceRecord ignored;
        QVERIFY(retailprices::readItem(item, &ignored) == retailprices::Skip::NotConsumption);
    }

    void documentedWindowsSpotInEuros()
    {
        QString error;
        const auto page =
            retailprices::parsePage(prices(u"docs-f16s-spot-eur.json"_s), kFrom, &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->prices.size(), 1);
        const PriceRecord &p = page->prices.first();
        QCOMPARE(p.region, u"westeurope"_s);
        QCOMPARE(p.size, u"standard_f16s"_s);
        QVERIFY(p.os == PriceOs::Windows);
        QVERIFY(p.kind == PriceKind::Spot);
        QCOMPARE(p.perHour, 0.6176);
        QCOMPARE(p.currency, u"EUR"_s);
        QCOMPARE(p.effectiveFrom, QDateTime(QDate(2021, 4, 1), QTime(0, 0), Qt::UTC));
    }

    void recordedPageFollowsItsNextPageLink()
    {
        QString error;
        const auto page = retailprices::parsePage(prices(u"recorded-westeurope-first-page.json"_s),
                                                  kFrom, &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->skipped, 1); // DevTestConsumption
        QCOMPARE(page->nextPage.host(), u"prices.azure.com"_s);
        QCOMPARE(page->nextPage.port(), 443);
        QCOMPARE(QUrlQuery(page->nextPage).queryItemValue(u"$skip"_s), u"100"_s);
        QCOMPARE(QUrlQuery(page->nextPage).queryItemValue(u"$filter"_s, QUrl::FullyDecoded),
                 u"serviceName eq 'Virtual Machines' and armRegionName eq 'westeurope'"_s);
    }

    void classifiesEveryMeterKind()
    {
        QString error;
        const auto page =
            retailprices::parsePage(prices(u"spotkeeper-d2sv3-westeurope.json"_s), kFrom, &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->items, 13);
        // Usable: Linux payg, Linux spot, Windows payg, Windows spot, the older Linux payg.
        QCOMPARE(page->prices.size(), 5);
        QCOMPARE(page->skipped, 8);
        const QList<PriceRecord> merged = retailprices::mergePrices(page->prices);
        QCOMPARE(merged.size(), 4);
        const auto find = [&](PriceOs os, PriceKind kind) {
            for (const PriceRecord &p : merged) {
                if (p.os == os && p.kind == kind)
                    return p.perHour;
            }
            return -1.0;
        };
        QCOMPARE(find(PriceOs::Linux, PriceKind::PayAsYouGo), 0.096); // the newer of 0.096/0.11
        QCOMPARE(find(PriceOs::Linux, PriceKind::Spot), 0.0192);
        QCOMPARE(find(PriceOs::Windows, PriceKind::PayAsYouGo), 0.188);
        QCOMPARE(find(PriceOs::Windows, PriceKind::Spot), 0.1104);
    }

    void skipReasons_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<int>("skip");
        const auto s = [](retailprices::Skip skip) {
            return int(skip);
        };
        QTest::newRow("low priority") << u"skuName"_s << QJsonValue(u"D2s v3 Low Priority"_s)
                                      << s(retailprices::Skip::LowPriority);
        QTest::newRow("devtest") << u"type"_s << QJsonValue(u"DevTestConsumption"_s)
                                 << s(retailprices::Skip::NotConsumption);
        QTest::newRow("monthly") << u"unitOfMeasure"_s << QJsonValue(u"1/Month"_s)
                                 << s(retailprices::Skip::NotHourly);
        QTest::newRow("negative") << u"retailPrice"_s << QJsonValue(-1.0)
                                  << s(retailprices::Skip::Malformed);
        QTest::newRow("huge") << u"retailPrice"_s << QJsonValue(1e300)
                              << s(retailprices::Skip::Malformed);
        QTest::newRow("string price")
            << u"retailPrice"_s << QJsonValue(u"0.1"_s) << s(retailprices::Skip::Malformed);
        QTest::newRow("quote in size")
            << u"armSkuName"_s << QJsonValue(u"Standard_D2'"_s) << s(retailprices::Skip::Malformed);
        QTest::newRow("long currency")
            << u"currencyCode"_s << QJsonValue(u"USDX"_s) << s(retailprices::Skip::Malformed);
        QTest::newRow("secondary") << u"isPrimaryMeterRegion"_s << QJsonValue(false)
                                   << s(retailprices::Skip::SecondaryMeterRegion);
        QTest::newRow("usable") << u"meterName"_s << QJsonValue(u"D2s v3"_s)
                                << s(retailprices::Skip::None);
    }
    void skipReasons()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(int, skip);
        QJsonObject item = QJsonDocument::fromJson(prices(u"spotkeeper-d2sv3-westeurope.json"_s))
                               .object()
                               .value("Items"_L1)
                               .toArray()
                               .first()
                               .toObject();
        item.insert(field, value);
        PriceRecord price;
        QCOMPARE(int(retailprices::readItem(item, &price)), skip);
    }

    void refusesBadPages_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not json") << QByteArray("<html>");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("no items") << QByteArray("{\"Count\":0}");
        QTest::newRow("items not array") << QByteArray("{\"Items\":{}}");
        QTest::newRow("next elsewhere") << QByteArray(
            "{\"Items\":[],\"NextPageLink\":\"https://evil.example/api/retail/prices\"}");
        QTest::newRow("next lookalike host") << QByteArray(
            "{\"Items\":[],\"NextPageLink\":\"https://prices.azure.com.evil.example/x\"}");
        QTest::newRow("next downgraded") << QByteArray(
            "{\"Items\":[],\"NextPageLink\":\"http://prices.azure.com/api/retail/prices\"}");
        QTest::newRow("next other port") << QByteArray(
            "{\"Items\":[],\"NextPageLink\":\"https://prices.azure.com:8443/api/retail/prices\"}");
        QTest::newRow("next not a string") << QByteArray("{\"Items\":[],\"NextPageLink\":42}");
    }
    void refusesBadPages()
    {
        QFETCH(QByteArray, body);
        QString error;
        QVERIFY(!retailprices::parsePage(body, kFrom, &error));
        QVERIFY(!error.isEmpty());
    }

    void requestUrlFiltersByRegionAndSizes()
    {
        const QUrl url = retailprices::requestUrl(
            retailprices::defaultEndpoint(), u"westeurope"_s,
            {u"Standard_D2s_v3"_s, u"Standard_F16s"_s, u"bad' or 1 eq 1"_s});
        QCOMPARE(url.host(), u"prices.azure.com"_s);
        QCOMPARE(QUrlQuery(url).queryItemValue(u"$filter"_s, QUrl::FullyDecoded),
                 u"serviceName eq 'Virtual Machines' and armRegionName eq 'westeurope' and "
                 "(armSkuName eq 'Standard_D2s_v3' or armSkuName eq 'Standard_F16s')"_s);
        QVERIFY(!url.toString(QUrl::FullyEncoded).contains(u' '));
    }
};

QTEST_GUILESS_MAIN(TestRetailPrices)
#include "tst_retailprices.moc"
