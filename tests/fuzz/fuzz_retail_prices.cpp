// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: the parser of Azure Retail Prices API answers
// (app/core/azure/retailprices.h), which reads whatever the configured price endpoint sends.
// Properties checked on every input it accepts:
//   - every price it returns is usable: ARM-name region and size (lower case), a finite
//     price >= 0, a three-letter currency;
//   - a NextPageLink it follows stays on the host, port and scheme the page came from;
//   - items = prices + skipped, and mergePrices keeps at most one price per key.
// A refused page says why. A broken property aborts, so libFuzzer reports it like a crash.
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
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
