// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Not a test: figures for docs/BENCHMARKS.md ("Azure ARM client").
// 1. Pacing: N start calls for N distinct VMs through ArmClient against a fake ARM that
//    enforces ARM's write bucket itself (429 when exceeded). Reports the time to issue all of
//    them against the bucket's lower bound (N - burst) / rate, and the 429 count.
// 2. Sweep: listVms(statusOnly) over a subscription of V VMs served in pages of P: ARM calls
//    made and CPU time spent.
#include "azure/armclient.h"
#include "base/clock.h"
#include "fleet/ratebudget.h"
#include "support/azure/azuretestsupport.h"
#include "support/http/fakehttpserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <ctime>
#include <iostream>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;

namespace {
const QString kSub = u"24fb23e3-6ba3-41f0-9b6e-e41131d5d61e"_s;

double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

QString vmId(int i)
{
    return u"/subscriptions/%1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-%2"_s
        .arg(kSub)
        .arg(i);
}

void pacing(int vms, int burst, int rate)
{
    testsupport::FakeHttpServer arm;
    arm.start();
    QElapsedTimer serverTime;
    serverTime.start();
    RateBudget serverBucket(BudgetConfig {burst, rate, 1'000}); // ARM's own bucket
    int throttled = 0;
    qint64 lastArrivalMs = 0;
    arm.routeRegex("POST", u"/start$"_s).respondWith([&](const testsupport::RecordedRequest &) {
        lastArrivalMs = serverTime.elapsed();
        if (!serverBucket.tryTake(serverTime.elapsed())) {
            ++throttled;
            http::Response r = http::Response::json(429, R"({"error":{"code":"TooManyRequests"}})");
            r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
            return r;
        }
        return http::Response::json(200, {});
    });
    azuretest::CountingTokenSource tokens;
    ArmClientOptions options;
    options.armUrl = arm.baseUrl();
    options.budgets.subscriptionWrites = BudgetConfig {burst, rate, 1'000};
    ArmClient client(&tokens, options, base::systemClock());
    int done = 0;
    const qint64 startMs = serverTime.elapsed();
    const double cpu0 = cpuSeconds();
    for (int i = 0; i < vms; ++i)
        client.startVm(vmId(i), {}, [&](StartResult) { ++done; });
    if (!QTest::qWaitFor([&] { return done == vms; }, 3'600'000)) {
        std::cerr << "pacing run did not finish\n";
        return;
    }
    const double seconds = double(lastArrivalMs - startMs) / 1000.0;
    const double bound = std::max(0.0, double(vms - burst) / rate);
    std::cout << "pacing: vms=" << vms << " burst=" << burst << " rate=" << rate << "/s"
              << " issued_in=" << seconds << "s lower_bound=" << bound
              << "s ratio=" << (bound > 0 ? seconds / bound : 0.0) << " http_429=" << throttled
              << " requests=" << arm.count() << " cpu=" << (cpuSeconds() - cpu0) << "s\n";
}

void sweep(int vms, int pageSize)
{
    testsupport::FakeHttpServer arm;
    arm.start();
    const QByteArray path =
        "/subscriptions/" + kSub.toLatin1() + "/providers/Microsoft.Compute/virtualMachines";
    QList<QByteArray> pages;
    for (int first = 0; first < vms; first += pageSize) {
        QJsonArray items;
        for (int i = first; i < std::min(vms, first + pageSize); ++i) {
            items.append(QJsonObject {
                {"id"_L1, vmId(i)},
                {"name"_L1, u"vm-%1"_s.arg(i)},
                {"location"_L1, u"eastus"_s},
                {"properties"_L1,
                 QJsonObject {
                     {"instanceView"_L1,
                      QJsonObject {
                          {"statuses"_L1,
                           QJsonArray {QJsonObject {{"code"_L1, u"ProvisioningState/succeeded"_s}},
                                       QJsonObject {{"code"_L1, u"PowerState/running"_s}}}}}}}}});
        }
        QJsonObject body {{"value"_L1, items}};
        if (first + pageSize < vms)
            body.insert("nextLink"_L1,
                        arm.url(QString::fromLatin1(path)
                                + u"?api-version=2024-07-01&statusOnly=true&$skiptoken=%1"_s.arg(
                                    first + pageSize))
                            .toString());
        pages << QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    arm.route("GET", path).respondWith([&](const testsupport::RecordedRequest &request) {
        const int skip = request.queryItem(u"$skiptoken"_s).toInt();
        return http::Response::json(200, pages.value(skip / pageSize));
    });
    azuretest::CountingTokenSource tokens;
    ArmClientOptions options;
    options.armUrl = arm.baseUrl();
    ArmClient client(&tokens, options, base::systemClock());
    std::optional<ListResult> result;
    QElapsedTimer wall;
    wall.start();
    const double cpu0 = cpuSeconds(); // includes the in-process fake serving the pages
    client.listVms(kSub, true, [&](ListResult r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 600'000)) {
        std::cerr << "sweep did not finish\n";
        return;
    }
    std::cout << "sweep: vms=" << result->vms.size() << " page_size=" << pageSize
              << " arm_calls=" << arm.count() << " pages=" << result->pages
              << " wall=" << wall.elapsed() << "ms cpu_total=" << (cpuSeconds() - cpu0)
              << "s ok=" << result->call.ok() << "\n";
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({u"vms"_s, u"start calls for the pacing run"_s, u"n"_s, u"400"_s});
    parser.addOption({u"burst"_s, u"write bucket size"_s, u"n"_s, u"200"_s});
    parser.addOption({u"rate"_s, u"write bucket refill per second"_s, u"r"_s, u"10"_s});
    parser.addOption({u"sweep-vms"_s, u"VMs in the listed subscription"_s, u"n"_s, u"10000"_s});
    parser.addOption({u"page-size"_s, u"VMs per list page"_s, u"n"_s, u"1000"_s});
    parser.process(app);
    sweep(parser.value(u"sweep-vms"_s).toInt(), parser.value(u"page-size"_s).toInt());
    pacing(parser.value(u"vms"_s).toInt(), parser.value(u"burst"_s).toInt(),
           parser.value(u"rate"_s).toInt());
    return 0;
}
