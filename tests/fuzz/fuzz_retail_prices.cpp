// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: the parsers of Azure's price and Spot risk answers - the Retail Prices API
// (app/core/azure/retailprices.h), which reads whatever the configured price endpoint sends,
// and Resource Graph's SpotResources answers (app/core/azure/resourcegraph.h). Every input goes
// to all of them. Properties checked on every input the Retail Prices parser accepts:
//   - every price it returns is usable: ARM-name region and size (lower case), a finite
//     price >= 0, a three-letter currency;
//   - a NextPageLink it follows stays on the host, port and scheme the page came from;
//   - items = prices + skipped, and mergePrices keeps at most one price per key.
// and on every Resource Graph answer accepted: rows = kept + skipped; a band names an ARM
// region and size in lower case with bounds 0 <= low <= high <= 100 (or an open high); a price
// point has a date and a finite price >= 0.
// A refused page says why. A broken property aborts, so libFuzzer reports it like a crash.
#include "azure/resourcegraph.h"
#include "azure/retailprices.h"

#include <QSet>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;

namespace {

[[noreturn]] void broken(const char *property)
{
    std::fprintf(stderr, "fuzz_retail_prices: property broken: %s\n", property);
    std::abort();
}

bool lowerArmNames(const QString &region, const QString &size)
{
    return retailprices::isArmName(region) && retailprices::isArmName(size)
        && region == region.toLower() && size == size.toLower();
}

void resourceGraph(const QByteArray &body)
{
    const QDateTime read = QDateTime::fromSecsSinceEpoch(1'796'083'200, Qt::UTC);
    QString error;
    if (const auto page = resourcegraph::parseEvictionRates(body, read, &error)) {
        if (page->rows != page->bands.size() + page->skipped)
            broken("every row is either a band or skipped");
        for (const EvictionBand &b : page->bands) {
            if (!lowerArmNames(b.region, b.size))
                broken("a band names an ARM region and size in lower case");
            if (b.lowPercent < 0 || b.lowPercent > 100
                || (b.highPercent >= 0 && (b.highPercent < b.lowPercent || b.highPercent > 100))
                || (b.highPercent < 0 && b.highPercent != -1))
                broken("a band's bounds are 0 <= low <= high <= 100 or open");
        }
    } else if (error.isEmpty()) {
        broken("a refused Resource Graph answer says why");
    }
    error.clear();
    if (const auto page = resourcegraph::parsePriceHistory(body, read, &error)) {
        for (const SpotPricePoint &p : page->points) {
            if (!lowerArmNames(p.region, p.size))
                broken("a price point names an ARM region and size in lower case");
            if (!p.effectiveAt.isValid() || !std::isfinite(p.perHourUsd) || p.perHourUsd < 0)
                broken("a price point has a date and a finite price >= 0");
        }
    } else if (error.isEmpty()) {
        broken("a refused Resource Graph answer says why");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    resourceGraph(body);
    const QUrl from(u"https://prices.azure.com/api/retail/prices"_s);
    QString error;
    const auto page = retailprices::parsePage(body, from, &error);
    if (!page) {
        if (error.isEmpty())
            broken("a refused page says why");
        return 0;
    }
    if (page->items != page->prices.size() + page->skipped)
        broken("every item is either a price or skipped");
    for (const PriceRecord &p : page->prices) {
        if (!retailprices::isArmName(p.region) || !retailprices::isArmName(p.size)
            || p.region != p.region.toLower() || p.size != p.size.toLower())
            broken("a price names an ARM region and size in lower case");
        if (!std::isfinite(p.perHour) || p.perHour < 0)
            broken("a price is finite and >= 0");
        if (p.currency.size() != 3)
            broken("a currency has three letters");
    }
    if (!page->nextPage.isEmpty()
        && (page->nextPage.host() != from.host() || page->nextPage.scheme() != from.scheme()
            || page->nextPage.port(443) != 443))
        broken("NextPageLink stays on the page's host");
    const QList<PriceRecord> merged = retailprices::mergePrices(page->prices);
    QSet<QString> keys;
    for (const PriceRecord &p : merged) {
        const QString key =
            p.region + u'|' + p.size + u'|' + toString(p.os) + u'|' + toString(p.kind);
        if (keys.contains(key))
            broken("merged prices are unique per key");
        keys.insert(key);
    }
    return 0;
}
