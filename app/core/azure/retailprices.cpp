// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/retailprices.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QUrlQuery>

#include <cmath>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::retailprices {

namespace {

// A price above this per hour is no VM price (the largest sizes cost a few hundred).
constexpr double kMaxPerHour = 100000;
constexpr qsizetype kMaxNameLength = 128;

QString text(const QJsonObject &item, const char *key)
{
    return item.value(QLatin1StringView(key)).toString();
}

} // namespace

QUrl defaultEndpoint()
{
    return QUrl(u"https://prices.azure.com/api/retail/prices"_s);
}

bool isArmName(const QString &name)
{
    if (name.isEmpty() || name.size() > kMaxNameLength)
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
            || (u >= u'0' && u <= u'9') || u == u'_' || u == u'-';
        if (!ok)
            return false;
    }
    return true;
}

QUrl requestUrl(const QUrl &endpoint, const QString &region, const QStringList &sizes)
{
    QString filter = u"serviceName eq 'Virtual Machines'"_s;
    if (isArmName(region))
        filter += u" and armRegionName eq '"_s + region + u'\'';
    QStringList terms;
    for (const QString &size : sizes) {
        if (isArmName(size))
            terms << u"armSkuName eq '"_s + size + u'\'';
    }
    if (!terms.isEmpty())
        filter += u" and ("_s + terms.join(u" or "_s) + u')';
    QUrl url = endpoint;
    QUrlQuery query(url);
    query.removeAllQueryItems(u"$filter"_s);
    query.addQueryItem(u"$filter"_s, filter);
    url.setQuery(query);
    return url;
}

Skip readItem(const QJsonObject &item, PriceRecord *price)
{
    if (text(item, "serviceName") != "Virtual Machines"_L1)
        return Skip::NotVirtualMachines;
    if (text(item, "type") != "Consumption"_L1)
        return Skip::NotConsumption;
    const QString skuName = text(item, "skuName");
    const QString meterName = text(item, "meterName");
    if (skuName.contains("Low Priority"_L1, Qt::CaseInsensitive)
        || meterName.contains("Low Priority"_L1, Qt::CaseInsensitive))
        return Skip::LowPriority;
    if (text(item, "unitOfMeasure") != "1 Hour"_L1)
        return Skip::NotHourly;
    if (item.value("tierMinimumUnits"_L1).toDouble() > 0)
        return Skip::Tiered;
    if (item.value("isPrimaryMeterRegion"_L1).isBool()
        && !item.value("isPrimaryMeterRegion"_L1).toBool())
        return Skip::SecondaryMeterRegion;
    const QString region = text(item, "armRegionName");
    const QString size = text(item, "armSkuName");
    const QJsonValue retail = item.value("retailPrice"_L1);
    if (!isArmName(region) || !isArmName(size) || !retail.isDouble())
        return Skip::Malformed;
    const double perHour = retail.toDouble();
    if (!std::isfinite(perHour) || perHour < 0 || perHour > kMaxPerHour)
        return Skip::Malformed;
    QString currency = text(item, "currencyCode");
    if (currency.isEmpty())
        currency = u"USD"_s;
    if (currency.size() != 3 || !isArmName(currency))
        return Skip::Malformed;
    PriceRecord record;
    record.region = region.toLower();
    record.size = size.toLower();
    record.os = text(item, "productName").contains("Windows"_L1, Qt::CaseInsensitive)
        ? PriceOs::Windows
        : PriceOs::Linux;
    record.kind = skuName.contains("Spot"_L1, Qt::CaseInsensitive)
            || meterName.contains("Spot"_L1, Qt::CaseInsensitive)
        ? PriceKind::Spot
        : PriceKind::PayAsYouGo;
    record.perHour = perHour;
    record.currency = currency.toUpper();
    record.effectiveFrom = QDateTime::fromString(text(item, "effectiveStartDate"), Qt::ISODate);
    if (record.effectiveFrom.isValid())
        record.effectiveFrom = record.effectiveFrom.toUTC();
    *price = record;
    return Skip::None;
}

std::optional<PricesPage> parsePage(const QByteArray &body, const QUrl &from, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"the price list answer is not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    const QJsonValue items = root.value("Items"_L1);
    if (!items.isArray()) {
        *error = u"the price list answer has no Items array"_s;
        return std::nullopt;
    }
    PricesPage page;
    const QJsonArray array = items.toArray();
    page.items = int(array.size());
    for (const QJsonValue &value : array) {
        PriceRecord price;
        if (value.isObject() && readItem(value.toObject(), &price) == Skip::None)
            page.prices << price;
        else
            ++page.skipped;
    }
    const QJsonValue next = root.value("NextPageLink"_L1);
    if (next.isString() && !next.toString().isEmpty()) {
        const QUrl url(next.toString(), QUrl::StrictMode);
        const bool sameHost = url.isValid()
            && url.host().compare(from.host(), Qt::CaseInsensitive) == 0
            && url.port(url.scheme() == "https"_L1 ? 443 : 80)
                == from.port(from.scheme() == "https"_L1 ? 443 : 80);
        if (!sameHost || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)
            || url.scheme() != from.scheme()) {
            *error = u"the price list answer's NextPageLink points elsewhere"_s;
            return std::nullopt;
        }
        page.nextPage = url;
    } else if (!next.isNull() && !next.isUndefined() && !next.isString()) {
        *error = u"the price list answer's NextPageLink is not a string"_s;
        return std::nullopt;
    }
    return page;
}

QList<PriceRecord> mergePrices(const QList<PriceRecord> &prices)
{
    QList<PriceRecord> out;
    QHash<QString, qsizetype> index;
    for (const PriceRecord &price : prices) {
        const QString key = price.region + u'|' + price.size + u'|' + toString(price.os) + u'|'
            + toString(price.kind);
        const auto it = index.constFind(key);
        if (it == index.cend()) {
            index.insert(key, out.size());
            out << price;
            continue;
        }
        PriceRecord &kept = out[*it];
        if (price.effectiveFrom.isValid()
            && (!kept.effectiveFrom.isValid() || price.effectiveFrom > kept.effectiveFrom))
            kept = price;
    }
    return out;
}

} // namespace spotkeeper::core::retailprices
