// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test; docs/BENCHMARKS.md "Price refresh"): the target, a price
// refresh of 50 sizes in 20 regions from the simulator's Retail Prices API with both at
// their defaults (the client paced at 2 requests/s, the simulator's public-API-like limit of
// 3/s with a burst of 5) and not a single 429. Prints each run's wall time, requests, 429s
// and prices, then the medians.
//   bench_prices [--runs N] [--regions N] [--sizes N]
#include "azure/retailpriceclient.h"
#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"
#include "support/base/manualclock.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <algorithm>
#include <cstdio>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

namespace {

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

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n == 0 ? 0
                  : (n % 2 == 1 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{u"runs"_s, u"Runs (default 3)."_s, u"n"_s, u"3"_s},
                       {u"regions"_s, u"Regions (default 20)."_s, u"n"_s, u"20"_s},
                       {u"sizes"_s, u"Sizes per region (default 50)."_s, u"n"_s, u"50"_s}});
    parser.addHelpOption();
    parser.process(app);
    const int runs = std::max(1, parser.value(u"runs"_s).toInt());
    const QMap<QString, QStringList> fleet =
        fleetOf(parser.value(u"regions"_s).toInt(), parser.value(u"sizes"_s).toInt());
    QList<double> walls;
    int failures = 0;
    for (int run = 0; run < runs; ++run) {
        testsupport::ManualClock simClock;
        sim::FleetModel model(simClock, 5);
        sim::SimServer server(model, base::systemClock()); // default limits (3/s, burst 5)
        QString error;
        if (!server.listen(0, &error)) {
            std::fprintf(stderr, "listen: %s\n", qPrintable(error));
            return 2;
        }
        core::RetailPriceClientOptions options; // defaults: 2 requests/s, 3 retries
        options.endpoint = QUrl(server.baseUrl() + u"/api/retail/prices"_s);
        core::RetailPriceClient client(options);
        QEventLoop loop;
        core::PriceFetchResult result;
        QElapsedTimer timer;
        timer.start();
        if (!client.fetch(fleet, [&](core::PriceFetchResult r) {
                result = std::move(r);
                loop.quit();
            })) {
            std::fprintf(stderr, "the client refused the fetch\n");
            return 2;
        }
        loop.exec();
        const double wall = double(timer.elapsed()) / 1000.0;
        walls << wall;
        if (!result.complete() || result.throttled > 0 || server.pricesThrottled() > 0)
            ++failures;
        std::printf("run %d: %.1f s wall, %d requests, %d answered 429 (simulator counted %lld), "
                    "%lld prices, %s\n",
                    run + 1, wall, result.requests, result.throttled,
                    qlonglong(server.pricesThrottled()), qlonglong(result.prices.size()),
                    result.complete() ? "complete" : qPrintable(result.errors.join(u"; "_s)));
        std::fflush(stdout);
    }
    std::printf("median wall %.1f s over %d runs; runs with a 429 or an error: %d\n", median(walls),
                runs, failures);
    return failures == 0 ? 0 : 1;
}
