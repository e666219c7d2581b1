// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// "ARM calls by HTTP status" in /metrics: ArmRequestQueue::callFinished counted by
// EngineMetrics, first on an ArmClient against a fake ARM, then through a whole
// core::EngineHost (service principal against a fake Entra, reconciler sweep against a
// fake ARM) read back over GET /metrics. Real HTTP on 127.0.0.1 only.
#include "azure/armclient.h"
#include "azure/armcloudprovider.h"
#include "base/clock.h"
#include "engine/restartengine.h"
#include "fleet/enginehost.h"
#include "listener/enginemetrics.h"
#include "listener/webhooklistener.h"
#include "store/store.h"
#include "support/azure/azuretestsupport.h"
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"
#include "support/http/testhttpclient.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;

namespace {
const QString kSub = u"24fb23e3-6ba3-41f0-9b6e-e41131d5d61e"_s;
const QString kVm = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                    "crptestar62841/providers/Microsoft.Compute/virtualMachines/vm719"_s;

// The value of one sample line ("name{labels} value"), or nullopt when absent.
std::optional<double> sample(const QByteArray &metrics, const QByteArray &series)
{
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    }
    return std::nullopt;
}

bool waitFor(const std::function<bool()> &done)
{
    return QTest::qWaitFor(done, 20'000);
}
} // namespace

class TestArmMetrics : public QObject
{
    Q_OBJECT
private slots:
    void countsEveryCallByStatusAndKind();
    void engineHostExposesArmCallsInMetrics();
};

void TestArmMetrics::countsEveryCallByStatusAndKind()
{
    testsupport::FakeHttpServer arm;
    QString error;
    QVERIFY2(arm.start(&error), qPrintable(error));
    http::Response throttled = http::Response::json(
        429, testsupport::fixture(u"arm/error-429-compute-throttling-doc.json"_s));
    throttled.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("0")});
    const QByteArray view =
        azuretest::specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s);
    arm.route("GET", kVm.toUtf8() + "/instanceView")
        .enqueue(http::Response::json(401, R"({"error":{"code":"ExpiredAuthenticationToken"}})"))
        .enqueue(throttled)
        .respond(200, view);
    arm.route("POST", kVm.toUtf8() + "/start").respond(http::Response::json(200, {}));

    azuretest::CountingTokenSource tokens;
    ArmClient client(&tokens, azuretest::fastArmOptions(arm.baseUrl()), base::systemClock());
    EngineMetrics metrics;
    metrics.watch(*client.queue());
    QList<int> statuses;
    connect(client.queue(), &ArmRequestQueue::callFinished, this,
            [&](int status, ArmRequestQueue::Kind, bool wasThrottled) {
                statuses << status;
                QCOMPARE(wasThrottled, status == 429);
            });

    int done = 0;
    client.instanceView(kVm, [&](PowerStateResult) { ++done; }); // 401 -> retried -> 429
    QVERIFY(waitFor([&] { return done == 1; }));
    client.instanceView(kVm, [&](PowerStateResult r) { done += r.call.ok() ? 1 : 100; });
    client.startVm(kVm, {}, [&](StartResult r) { done += r.call.ok() ? 1 : 100; });
    QVERIFY(waitFor([&] { return done == 3; }));

    QCOMPARE(arm.count(), 4); // what the hook saw is what ARM got
    QCOMPARE(statuses.size(), 4);
    const QByteArray text = metrics.render();
    QVERIFY2(text.contains("# TYPE spotkeeper_arm_requests_total counter\n"), text.constData());
    QCOMPARE(sample(text, R"(spotkeeper_arm_requests_total{kind="read",status="401"})"), 1.0);
    QCOMPARE(sample(text, R"(spotkeeper_arm_requests_total{kind="read",status="429"})"), 1.0);
    QCOMPARE(sample(text, R"(spotkeeper_arm_requests_total{kind="read",status="200"})"), 1.0);
    QCOMPARE(sample(text, R"(spotkeeper_arm_requests_total{kind="start",status="200"})"), 1.0);
    QCOMPARE(sample(text, "spotkeeper_arm_throttled_total"), 1.0);
}

void TestArmMetrics::engineHostExposesArmCallsInMetrics()
{
    testsupport::FakeHttpServer azure; // Entra and ARM on one fake
    QString error;
    QVERIFY2(azure.start(&error), qPrintable(error));
    azure.routeRegex("POST", u"/oauth2/v2.0/token$"_s)
        .respondFixture(200, u"entra/token-v2-client-credentials-response-doc.json"_s);
    azure.routeRegex("GET", u"/providers/Microsoft.Compute/virtualMachines$"_s)
        .enqueue(http::Response::json(503, R"({"error":{"code":"ServiceUnavailable"}})"))
        .respond(200,
                 azuretest::specBody(
                     u"arm/spec-VirtualMachine_ListAll_MinimumSet_Gen-2024-07-01.json"_s));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile secret(dir.filePath(u"secret"_s));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("not-a-real-secret");
    secret.close();
    secret.setPermissions(QFile::ReadOwner | QFile::WriteOwner);

    EngineHostConfig config;
    config.port = 0;
    config.armEndpoint = azure.baseUrl().toString();
    config.authorityHost = azure.baseUrl().toString();
    config.subscriptions = {kSub};
    config.tenantId = u"00000000-0000-0000-0000-000000000001"_s;
    config.clientId = u"00000000-0000-0000-0000-000000000002"_s;
    config.clientSecretFile = secret.fileName();
    config.imdsEndpoint = u"http://127.0.0.1:1"_s;
    config.azProgram = u"/bin/false"_s;
    config.reconcileSeconds = 1; // a retry of the failed first sweep comes soon
    config.subscriptionReadBurst = 700; // [engine] budgets: one limiter for engine and queue
    config.subscriptionReadsPerSecond = 70;
    config.subscriptionWriteBurst = 30;
    config.vmStartBurst = 5;

    StoreError storeError;
    const auto store = Store::open(StoreOptions {u":memory:"_s, false, 5000, nullptr}, &storeError);
    QVERIFY2(store, qPrintable(storeError.message));
    EngineHostOptions options;
    options.excludeManagedIdentity = true;
    EngineHost host(config, *store, base::systemClock(), options);
    QVERIFY2(host.start(&error), qPrintable(error));
    // Issue 12.4: the ARM request queue paces with the numbers the engine plans by.
    const ArmBudgets &queueBudgets = host.cloud()->client()->options().budgets;
    QVERIFY(queueBudgets == host.engine()->config().budgets);
    QCOMPARE(queueBudgets.subscriptionWrites.burst, 30);
    QCOMPARE(queueBudgets.subscriptionReads.burst, 700);
    QCOMPARE(queueBudgets.subscriptionReads.refill, 70);
    QCOMPARE(queueBudgets.vmStarts.burst, 5);

    const QUrl metricsUrl(u"http://127.0.0.1:%1/metrics"_s.arg(host.server()->serverPort()));
    testsupport::TestHttpClient http;
    QByteArray text;
    QVERIFY2(waitFor([&] {
                 text = http.get(metricsUrl).body;
                 return sample(text, R"(spotkeeper_arm_requests_total{kind="read",status="200"})")
                     .has_value();
             }),
             text.constData());
    QCOMPARE(sample(text, R"(spotkeeper_arm_requests_total{kind="read",status="503"})"), 1.0);
    QVERIFY(*sample(text, R"(spotkeeper_arm_requests_total{kind="read",status="200"})") >= 1.0);
    QVERIFY(!text.contains("not-a-real-secret"));
    host.stop();
}

QTEST_GUILESS_MAIN(TestArmMetrics)
#include "tst_armmetrics.moc"
