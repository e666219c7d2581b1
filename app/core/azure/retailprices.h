// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/costtypes.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// Pure functions over the public Azure Retail Prices API (docs/ANALYTICS.md §1): the request
// URL with its OData $filter, and the parser of one answer page. The answers are untrusted
// input (fuzz_retail_prices): anything unexpected is skipped or refused, never trusted.
namespace spotkeeper::core::retailprices {

// The public endpoint; [prices] url in spotkeeperd.conf or SPOTKEEPER_PRICES_URL override it.
QUrl defaultEndpoint();

// At most this many sizes in one request's filter (keeps the URL short; each size has a
// handful of meters, so one page of 100 items usually holds the whole answer).
constexpr int MaxSizesPerRequest = 10;

// endpoint?$filter=serviceName eq 'Virtual Machines' and armRegionName eq '<region>' and
// (armSkuName eq '<a>' or armSkuName eq '<b>' ...). Region and sizes must be ARM names
// (letters, digits, '_', '-'); anything else is left out (never pasted into the filter).
QUrl requestUrl(const QUrl &endpoint, const QString &region, const QStringList &sizes);
bool isArmName(const QString &name);

// Why an item of an answer is not a price SpotKeeper uses.
enum class Skip {
    None,
    NotVirtualMachines, // serviceName is not "Virtual Machines"
    NotConsumption, // type Reservation, DevTestConsumption, ...
    LowPriority, // the retired Low Priority meters
    NotHourly, // unitOfMeasure is not "1 Hour"
    Tiered, // tierMinimumUnits above 0
    SecondaryMeterRegion, // isPrimaryMeterRegion false: the primary item prices the same size
    Malformed, // missing region/size, price not a finite number >= 0, ...
};

struct PricesPage
{
    QList<PriceRecord> prices; // the usable items, fetchedAt unset
    QUrl nextPage; // NextPageLink; empty on the last page
    int items = 0; // items in the page
    int skipped = 0; // items that are not a usable price
};

// Classifies one item (a JSON object of Items[]) and, when usable, fills *price.
Skip readItem(const QJsonObject &item, PriceRecord *price);

// One answer page: {"Items": [...], "NextPageLink": "..."|null, ...}. nullopt + error for a
// body that is not such an object. A NextPageLink that is not an http(s) URL on the same host
// as `from` is refused (an answer must not send the client elsewhere).
std::optional<PricesPage> parsePage(const QByteArray &body, const QUrl &from, QString *error);

// Several meters can price one (region, size, OS, kind) - older and newer effective dates,
// the same meter on two pages: keeps one per key, the one with the latest effective date
// (ties: the first one seen). Items of a secondary meter region are skipped by readItem().
QList<PriceRecord> mergePrices(const QList<PriceRecord> &prices);

} // namespace spotkeeper::core::retailprices
