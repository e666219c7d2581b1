// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's Azure Retail Prices API (GET /api/retail/prices, docs/SIMULATOR.md): a
// made-up but stable price list for any region and size the $filter names, in the public
// API's shape (Items, NextPageLink, $skip paging), with the meters a client must skip
// (Low Priority, DevTest, reservations), throttled per client like a public API: a token
// bucket on the wall clock, 429 + Retry-After when it is empty.
#include "sim/simserver.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>

#include <cmath>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

// A stable number in [0, 1) for a name (the same price every run).
double unit(const QString &name)
{
    const QByteArray hash = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256);
    quint32 value = 0;
    for (int i = 0; i < 4; ++i)
        value = (value << 8) | quint8(hash.at(i));
    return double(value) / 4294967296.0;
}

// vCPUs from an ARM size name ("Standard_D4s_v5" -> 4); 2 when there are no digits.
int vcpusOf(const QString &size)
{
    static const QRegularExpression digits(u"^[A-Za-z]+_[A-Za-z]+(\\d+)"_s);
    const QRegularExpressionMatch m = digits.match(size);
    const int n = m.hasMatch() ? m.captured(1).toInt() : 2;
    return std::clamp(n, 1, 416);
}

double rounded(double price)
{
    return std::round(price * 1e6) / 1e6;
}

QStringList quoted(const QString &filter, const QString &field)
{
    const QRegularExpression re(field + u"\\s+eq\\s+'([^']*)'"_s);
    QStringList out;
    for (auto it = re.globalMatch(filter); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

} // namespace

QList<QJsonObject> SimServer::priceItems(const QString &region, const QString &size)
{
    const int vcpus = vcpusOf(size);
    const double regionFactor = 1.0 + 0.2 * unit(u"region:"_s + region);
    const double payg = rounded(0.048 * vcpus * regionFactor);
    const double spot = rounded(payg * (0.1 + 0.25 * unit(u"spot:"_s + region + size)));
    const double windows = rounded(0.046 * vcpus);
    const QString family = size.section(u'_', 1, 1);
    const QString meter =
        family + (size.section(u'_', 2).isEmpty() ? QString() : u' ' + size.section(u'_', 2));
    const auto item = [&](const QString &skuName, const QString &product, double price,
                          const QString &type) {
        return QJsonObject {
            {u"currencyCode"_s, u"USD"_s},
            {u"tierMinimumUnits"_s, 0.0},
            {u"retailPrice"_s, price},
            {u"unitPrice"_s, price},
            {u"armRegionName"_s, region},
            {u"location"_s, region},
            {u"effectiveStartDate"_s, u"2026-01-01T00:00:00Z"_s},
            {u"meterId"_s,
             QString::fromLatin1(
                 QCryptographicHash::hash((region + size + skuName + product + type).toUtf8(),
                                          QCryptographicHash::Md5)
                     .toHex())},
            {u"meterName"_s, skuName},
            {u"productName"_s, product},
            {u"skuName"_s, skuName},
            {u"serviceName"_s, u"Virtual Machines"_s},
            {u"serviceFamily"_s, u"Compute"_s},
            {u"unitOfMeasure"_s, u"1 Hour"_s},
            {u"type"_s, type},
            {u"isPrimaryMeterRegion"_s, true},
            {u"armSkuName"_s, size},
        };
    };
    const QString linuxProduct = u"Virtual Machines "_s + family + u" Series"_s;
    const QString win = linuxProduct + u" Windows"_s;
    return {
        item(meter, linuxProduct, payg, u"Consumption"_s),
        item(meter + u" Spot"_s, linuxProduct, spot, u"Consumption"_s),
        item(meter + u" Low Priority"_s, linuxProduct, rounded(payg * 0.2), u"Consumption"_s),
        item(meter, linuxProduct, rounded(payg * 0.6), u"Reservation"_s),
        item(meter, win, rounded(payg + windows), u"Consumption"_s),
        item(meter + u" Spot"_s, win, rounded(spot + windows), u"Consumption"_s),
        item(meter + u" Low Priority"_s, win, rounded((payg + windows) * 0.2), u"Consumption"_s),
        item(meter, win, payg, u"DevTestConsumption"_s),
    };
}

void SimServer::handlePrices(const http::Request &request, const ResponderPtr &responder)
{
    const qint64 now = m_wall.nowMSecs();
    if (!m_priceBucket.take(now)) {
        ++m_prices429;
        http::Response throttled = http::Response::error(
            429, u"TooManyRequests"_s, u"Too many requests (simulated retail prices limit)."_s);
        const qint64 waitMs = m_priceBucket.msUntilToken(now);
        throttled.headers.append(
            {"Retry-After", QByteArray::number(std::max<qint64>(1, (waitMs + 999) / 1000))});
        return reply(request, responder, throttled, u"prices"_s);
    }
    if (request.method != "GET")
        return reply(request, responder,
                     http::Response::error(405, u"MethodNotAllowed"_s, u"GET only"_s), u"prices"_s);
    const QString filter = request.queryItem(u"$filter"_s);
    if (!filter.contains("serviceName eq 'Virtual Machines'"_L1))
        return reply(request, responder,
                     http::Response::json(200,
                                          R"({"BillingCurrency":"USD","Items":[],)"
                                          R"("NextPageLink":null,"Count":0})"),
                     u"prices"_s);
    QList<QJsonObject> all;
    for (const QString &region : quoted(filter, u"armRegionName"_s)) {
        for (const QString &size : quoted(filter, u"armSkuName"_s))
            all << priceItems(region, size);
    }
    const qsizetype skip = std::max(0, request.queryItem(u"$skip"_s).toInt());
    const qsizetype pageSize = std::max(1, m_options.pricesPageSize);
    QJsonArray items;
    for (qsizetype i = skip; i < all.size() && i < skip + pageSize; ++i)
        items.append(all.at(i));
    QJsonValue next = QJsonValue::Null;
    if (skip + pageSize < all.size()) {
        QUrlQuery query;
        query.addQueryItem(u"$filter"_s, filter);
        query.addQueryItem(u"$skip"_s, QString::number(skip + pageSize));
        next = QString(hostBase(request) + u"/api/retail/prices?"_s
                       + query.toString(QUrl::FullyEncoded));
    }
    const QJsonObject body {
        {u"BillingCurrency"_s, u"USD"_s},
        {u"CustomerEntityId"_s, u"Default"_s},
        {u"CustomerEntityType"_s, u"Retail"_s},
        {u"Items"_s, items},
        {u"NextPageLink"_s, next},
        {u"Count"_s, items.size()},
    };
    reply(request, responder,
          http::Response::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact)),
          u"prices"_s);
}

} // namespace spotkeeper::sim
