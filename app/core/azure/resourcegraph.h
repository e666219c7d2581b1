// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/costtypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// Pure functions over Azure Resource Graph's query API for the Spot risk Azure publishes
// (docs/ANALYTICS.md "Eviction risk"): the requests over the SpotResources table and the
// parsers of their answers. The answers are untrusted input (fuzz_resource_graph): anything
// unexpected is skipped or refused, never trusted.
namespace spotkeeper::core::resourcegraph {

// POST {arm}/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01 (tenant scope:
// the body names no subscriptions, SpotResources is not per subscription).
QUrl endpoint(const QUrl &armUrl);

// At most this many regions and sizes in one query (keeps the KQL short).
constexpr int MaxNamesPerQuery = 50;
// Rows per page asked for ($top); Resource Graph pages with $skipToken beyond that.
constexpr int PageSize = 1000;

// The request bodies: {"query": <KQL>, "options": {"resultFormat": "objectArray",
// "$top": PageSize[, "$skipToken": skipToken]}}. Only ARM names (letters, digits, '_', '-')
// go into the KQL; anything else is left out, never pasted in. The projections:
//   eviction rates: skuName, location, evictionRate ("0-5", ..., "20+")
//   price history:  skuName, osType, location, spotPrices [{effectiveDate, priceUSD}, ...]
QByteArray evictionRatesRequest(const QStringList &regions, const QStringList &sizes,
                                const QString &skipToken = QString());
QByteArray priceHistoryRequest(const QStringList &regions, const QStringList &sizes,
                               const QString &skipToken = QString());

struct EvictionRatesPage
{
    QList<EvictionBand> bands; // fetchedAt set to the caller's
    QString skipToken; // empty on the last page
    int rows = 0; // rows in the page
    int skipped = 0; // rows that are no usable band
};

struct PriceHistoryPage
{
    QList<SpotPricePoint> points; // fetchedAt set to the caller's
    QString skipToken;
    int rows = 0;
    int skipped = 0; // rows or price points that are not usable
};

// One answer: {"totalRecords", "count", "resultTruncated", "$skipToken"?, "data": [...],
// "facets": [...]}. nullopt + error for a body that is not such an object (data must be an
// array of objects: resultFormat objectArray).
std::optional<EvictionRatesPage> parseEvictionRates(const QByteArray &body,
                                                    const QDateTime &fetchedAt, QString *error);
std::optional<PriceHistoryPage> parsePriceHistory(const QByteArray &body,
                                                  const QDateTime &fetchedAt, QString *error);

} // namespace spotkeeper::core::resourcegraph
