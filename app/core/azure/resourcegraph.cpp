// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/resourcegraph.h"

#include "azure/retailprices.h"
#include "base/urlpath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::resourcegraph {

namespace {

// A Spot price above this per hour is no VM price (the retail parser's bound too).
constexpr double kMaxPerHour = 100000;
constexpr qsizetype kMaxSkipToken = 4096;
constexpr qsizetype kMaxBand = 16;

// "('a', 'b')" of the ARM names among names (at most MaxNamesPerQuery), lower-cased; empty
// when none is an ARM name.
QString nameList(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names) {
        if (quoted.size() < MaxNamesPerQuery && retailprices::isArmName(name))
            quoted << u'\'' + name.toLower() + u'\'';
    }
    return quoted.isEmpty() ? QString() : u"("_s + quoted.join(u", "_s) + u')';
}

QByteArray requestBody(const QString &type, const QString &projection, const QStringList &regions,
                       const QStringList &sizes, const QString &skipToken)
{
    QString kql = u"SpotResources | where type =~ '"_s + type + u'\'';
    if (const QString list = nameList(regions); !list.isEmpty())
        kql += u" | where location in~ "_s + list;
    if (const QString list = nameList(sizes); !list.isEmpty())
        kql += u" | where sku.name in~ "_s + list;
    kql += u" | project "_s + projection;
    QJsonObject options {{u"resultFormat"_s, u"objectArray"_s}, {u"$top"_s, PageSize}};
    if (!skipToken.isEmpty())
        options.insert(u"$skipToken"_s, skipToken);
    return QJsonDocument(QJsonObject {{u"query"_s, kql}, {u"options"_s, options}})
        .toJson(QJsonDocument::Compact);
}

// The envelope: data (an array) and the $skipToken of the next page.
std::optional<QJsonArray> readEnvelope(const QByteArray &body, QString *skipToken, QString *error)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"the Resource Graph answer is not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    const QJsonValue data = root.value(u"data"_s);
    if (!data.isArray()) {
        *error = u"the Resource Graph answer has no data array (resultFormat objectArray)"_s;
        return std::nullopt;
    }
    const QJsonValue token = root.value(u"$skipToken"_s);
    if (!token.isUndefined() && !token.isNull()
        && (!token.isString() || token.toString().size() > kMaxSkipToken)) {
        *error = u"the Resource Graph answer has a malformed $skipToken"_s;
        return std::nullopt;
    }
    *skipToken = token.toString();
    return data.toArray();
}

// A row's region and size, lower-cased ARM names; false when either is not one.
bool readNames(const QJsonObject &row, QString *region, QString *size)
{
    *region = row.value(u"location"_s).toString().toLower();
    *size = row.value(u"skuName"_s).toString().toLower();
    return retailprices::isArmName(*region) && retailprices::isArmName(*size);
}

// A page of rows: its $skipToken, every row counted, each row readRow refuses (false)
// counted as skipped; nullopt with *error when the envelope is not one.
template<typename Page, typename ReadRow>
std::optional<Page> readRows(const QByteArray &body, QString *error, ReadRow readRow)
{
    Page page;
    const std::optional<QJsonArray> data = readEnvelope(body, &page.skipToken, error);
    if (!data)
        return std::nullopt;
    for (const auto &value : *data) {
        ++page.rows;
        if (!readRow(value.toObject(), page))
            ++page.skipped;
    }
    return page;
}

} // namespace

QUrl endpoint(const QUrl &armUrl)
{
    QUrl url = base::appendPath(armUrl, u"/providers/Microsoft.ResourceGraph/resources"_s);
    url.setQuery(u"api-version=2022-10-01"_s);
    return url;
}

QByteArray evictionRatesRequest(const QStringList &regions, const QStringList &sizes,
                                const QString &skipToken)
{
    return requestBody(u"microsoft.compute/skuspotevictionrate/location"_s,
                       u"skuName = tostring(sku.name), location = tostring(location),"
                       " evictionRate = tostring(properties.evictionRate)"_s,
                       regions, sizes, skipToken);
}

QByteArray priceHistoryRequest(const QStringList &regions, const QStringList &sizes,
                               const QString &skipToken)
{
    return requestBody(u"microsoft.compute/skuspotpricehistory/ostype/location"_s,
                       u"skuName = tostring(sku.name), osType = tostring(properties.osType),"
                       " location = tostring(location), spotPrices = properties.spotPrices"_s,
                       regions, sizes, skipToken);
}

std::optional<EvictionRatesPage> parseEvictionRates(const QByteArray &body,
                                                    const QDateTime &fetchedAt, QString *error)
{
    return readRows<EvictionRatesPage>(
        body, error, [&fetchedAt](const QJsonObject &row, EvictionRatesPage &page) {
            EvictionBand band;
            band.band = row.value(u"evictionRate"_s).toString().trimmed();
            band.fetchedAt = fetchedAt;
            if (!readNames(row, &band.region, &band.size) || band.band.size() > kMaxBand
                || !parseEvictionBand(band.band, &band.lowPercent, &band.highPercent))
                return false;
            page.bands << band;
            return true;
        });
}

std::optional<PriceHistoryPage> parsePriceHistory(const QByteArray &body,
                                                  const QDateTime &fetchedAt, QString *error)
{
    return readRows<PriceHistoryPage>(
        body, error, [&fetchedAt](const QJsonObject &row, PriceHistoryPage &page) {
            QString region;
            QString size;
            const QString os = row.value(u"osType"_s).toString();
            const bool osKnown = os.compare("linux"_L1, Qt::CaseInsensitive) == 0
                || os.compare("windows"_L1, Qt::CaseInsensitive) == 0;
            if (!readNames(row, &region, &size) || !osKnown
                || !row.value(u"spotPrices"_s).isArray())
                return false;
            const QJsonArray prices = row.value(u"spotPrices"_s).toArray();
            for (const auto &p : prices) {
                const QJsonObject item = p.toObject();
                SpotPricePoint point;
                point.region = region;
                point.size = size;
                point.os = priceOsFromString(os);
                point.effectiveAt = QDateTime::fromString(item.value(u"effectiveDate"_s).toString(),
                                                          Qt::ISODateWithMs)
                                        .toUTC();
                const QJsonValue price = item.value(u"priceUSD"_s);
                point.perHourUsd = price.toDouble(-1);
                point.fetchedAt = fetchedAt;
                if (!point.effectiveAt.isValid() || !price.isDouble()
                    || !std::isfinite(point.perHourUsd) || point.perHourUsd < 0
                    || point.perHourUsd > kMaxPerHour) {
                    ++page.skipped; // a price point, not the row
                    continue;
                }
                page.points << point;
            }
            return true;
        });
}

} // namespace spotkeeper::core::resourcegraph
