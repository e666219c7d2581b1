// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armclient.h"
#include "support/azure/azuretestsupport.h"
#include "support/base/manualclock.h"
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;
using azuretest::CountingTokenSource;
using azuretest::fastArmOptions;
using azuretest::specBody;
using azuretest::testData;
using spotkeeper::testsupport::ManualClock;
using testsupport::FakeHttpServer;

namespace {
const QString kSub = u"24fb23e3-6ba3-41f0-9b6e-e41131d5d61e"_s;
const QString kVm = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                    "crptestar62841/providers/Microsoft.Compute/virtualMachines/vm719"_s;
const QString kVm2 = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                     "crptestar62841/providers/Microsoft.Compute/virtualMachines/vm720"_s;

template<typename T>
struct Waiter
{
    std::optional<T> value;
    std::function<void(T)> callback()
    {
        return [this](T v) {
            value = std::move(v);
        };
    }
    bool wait(int ms = 10'000)
    {
        return QTest::qWaitFor([this] { return value.has_value(); }, ms);
    }
};

QByteArray vmPath(const QString &vm, const char *suffix)
{
    return vm.toUtf8() + suffix;
}
} // namespace

// ArmClient pacing against a real HTTP fake of ARM: Retry-After gates (seconds and HTTP-date),
// client-side budgets with a ManualClock, and ARM's remaining-count headers.
class TestArmThrottling : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void retryAfterSecondsHoldsQueue();
    void retryAfterHttpDateHoldsQueue();
    void readBudgetQueuesInsteadOfSending();
    void perVmStartBudget();
    void lowRemainingReadsSlowTheQueue();
    void evidenceReadsWaitBehindTheEnginesReads();

private:
    ArmClient *makeClient(ArmBudgets budgets = {}, const base::Clock *clock = nullptr);

    std::unique_ptr<FakeHttpServer> m_arm;
    std::unique_ptr<CountingTokenSource> m_tokens;
    std::unique_ptr<ArmClient> m_client;
};

void TestArmThrottling::init()
{
    m_arm = std::make_unique<FakeHttpServer>();
    QString error;
    QVERIFY2(m_arm->start(&error), qPrintable(error));
    m_tokens = std::make_unique<CountingTokenSource>();
}

void TestArmThrottling::cleanup()
{
    m_client.reset();
    m_tokens.reset();
    m_arm.reset();
}

ArmClient *TestArmThrottling::makeClient(ArmBudgets budgets, const base::Clock *clock)
{
    m_client =
        std::make_unique<ArmClient>(m_tokens.get(), fastArmOptions(m_arm->baseUrl(), budgets),
                                    clock ? *clock : base::systemClock());
    return m_client.get();
}

void TestArmThrottling::retryAfterSecondsHoldsQueue()
{
    http::Response throttled = http::Response::json(
        429, testsupport::fixture(u"arm/error-429-compute-throttling-doc.json"_s));
    throttled.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .enqueue(throttled)
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s));
    QList<QDateTime> arrivals;
    connect(m_arm.get(), &FakeHttpServer::requestReceived, this,
            [&] { arrivals << QDateTime::currentDateTimeUtc(); });
    ArmClient *client = makeClient();
    Waiter<PowerStateResult> first;
    client->instanceView(kVm, first.callback());
    QVERIFY(first.wait());
    QCOMPARE(toString(first.value->call.failure), toString(FailureClass::Throttled));
    QCOMPARE(first.value->call.errorCode, u"TooManyRequests"_s);
    const QDateTime retryAfter = first.value->call.retryAfter;
    QVERIFY(retryAfter.isValid());
    QVERIFY(client->queue()->blockedUntil(kSub).isValid());
    // The engine asks again at once, for this VM and another in the same subscription:
    Waiter<PowerStateResult> second;
    Waiter<PowerStateResult> other;
    client->instanceView(kVm, second.callback());
    client->instanceView(kVm2, other.callback());
    QCOMPARE(client->queue()->pending(), 2); // held, not sent
    QVERIFY(second.wait());
    QVERIFY(other.wait());
    QVERIFY(second.value->call.ok());
    QCOMPARE(arrivals.size(), 3);
    QVERIFY2(arrivals.at(1) >= retryAfter, qPrintable(arrivals.at(1).toString(Qt::ISODateWithMs)));
    QVERIFY(arrivals.at(2) >= retryAfter);
}

void TestArmThrottling::retryAfterHttpDateHoldsQueue()
{
    const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(2);
    const QByteArray date =
        QLocale::c().toString(until, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
    http::Response throttled =
        http::Response::json(429, testData(u"error-retryable-another-operation.json"_s));
    throttled.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray(date)));
    m_arm->route("POST", vmPath(kVm, "/start"))
        .enqueue(throttled)
        .respond(http::Response::json(200, {}));
    QList<QDateTime> arrivals;
    connect(m_arm.get(), &FakeHttpServer::requestReceived, this,
            [&] { arrivals << QDateTime::currentDateTimeUtc(); });
    ArmClient *client = makeClient();
    Waiter<StartResult> first;
    client->startVm(kVm, {}, first.callback());
    QVERIFY(first.wait());
    QCOMPARE(toString(first.value->call.failure), toString(FailureClass::Throttled));
    QCOMPARE(first.value->call.retryAfter.toSecsSinceEpoch(), until.toSecsSinceEpoch());
    Waiter<StartResult> second;
    client->startVm(kVm, {}, second.callback());
    QVERIFY(second.wait());
    QVERIFY2(second.value->call.ok(), qPrintable(second.value->call.errorMessage));
    QVERIFY(second.value->finished); // 200 = started synchronously
    QCOMPARE(arrivals.size(), 2);
    QVERIFY(arrivals.at(1) >= first.value->call.retryAfter);
}

void TestArmThrottling::readBudgetQueuesInsteadOfSending()
{
    ManualClock clock;
    ArmBudgets budgets;
    budgets.refillLagMs = 0; // exact bucket arithmetic
    budgets.jitterReserveMs = 0;
    budgets.subscriptionReads = BudgetConfig {2, 1, 60'000}; // 2 now, then one a minute
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s));
    ArmClient *client = makeClient(budgets, &clock);
    int done = 0;
    for (int i = 0; i < 5; ++i)
        client->instanceView(kVm, [&](PowerStateResult r) { done += r.call.ok() ? 1 : 0; });
    QVERIFY(QTest::qWaitFor([&] { return done == 2; }));
    QTest::qWait(100);
    QCOMPARE(m_arm->count(), 2);
    QCOMPARE(client->queue()->pending(), 3);
    clock.advanceMSecs(30'000);
    client->queue()->processQueue();
    QTest::qWait(50);
    QCOMPARE(m_arm->count(), 2); // half a token is not a token
    clock.advanceMSecs(30'000);
    client->queue()->processQueue();
    QVERIFY(QTest::qWaitFor([&] { return done == 3; }));
    QCOMPARE(m_arm->count(), 3);
    clock.advanceMSecs(120'000);
    client->queue()->processQueue();
    QVERIFY(QTest::qWaitFor([&] { return done == 5; }));
    QCOMPARE(m_arm->count(), 5);
}

void TestArmThrottling::evidenceReadsWaitBehindTheEnginesReads()
{
    // Issue 12.5: in a storm, Activity Log evidence must not take the read tokens the power
    // reads need. Evidence queued first still goes after the power read queued later.
    ManualClock clock;
    ArmBudgets budgets;
    budgets.refillLagMs = 0;
    budgets.jitterReserveMs = 0;
    budgets.subscriptionReads = BudgetConfig {1, 1, 60'000}; // one now, then one a minute
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s));
    m_arm->routeRegex("GET", u"/eventtypes/management/values$"_s)
        .respond(http::Response::json(200, R"({"value":[]})"));
    QStringList order;
    connect(m_arm.get(), &FakeHttpServer::requestReceived, this,
            [&](const testsupport::RecordedRequest &r) {
                order << (r.path.contains("instanceView") ? u"power"_s : u"evidence"_s);
            });
    ArmClient *client = makeClient(budgets, &clock);
    Waiter<EvidenceResult> evidence;
    Waiter<PowerStateResult> power;
    client->evictionEvidence(kVm, clock.nowUtc().addSecs(-60), evidence.callback());
    client->instanceView(kVm, power.callback());
    QVERIFY(power.wait());
    QCOMPARE(order, QStringList {u"power"_s});
    clock.advanceMSecs(60'000);
    client->queue()->processQueue();
    QVERIFY(evidence.wait());
    QCOMPARE(order, (QStringList {u"power"_s, u"evidence"_s}));
}

void TestArmThrottling::perVmStartBudget()
{
    ManualClock clock;
    ArmBudgets budgets;
    budgets.refillLagMs = 0;
    budgets.jitterReserveMs = 0;
    budgets.vmStarts = BudgetConfig {2, 4, 60'000};
    m_arm->routeRegex("POST", u"/start$"_s).respond(http::Response::json(200, {}));
    ArmClient *client = makeClient(budgets, &clock);
    int done = 0;
    for (int i = 0; i < 3; ++i)
        client->startVm(kVm, {}, [&](StartResult) { ++done; });
    client->startVm(kVm2, {}, [&](StartResult) { ++done; }); // another VM is not held up
    QVERIFY(QTest::qWaitFor([&] { return done == 3; }));
    QTest::qWait(100);
    QCOMPARE(m_arm->count("POST", vmPath(kVm, "/start")), 2);
    QCOMPARE(m_arm->count("POST", vmPath(kVm2, "/start")), 1);
    clock.advanceMSecs(15'000); // 4 per minute
    client->queue()->processQueue();
    QVERIFY(QTest::qWaitFor([&] { return done == 4; }));
    QCOMPARE(m_arm->count("POST", vmPath(kVm, "/start")), 3);
}

void TestArmThrottling::lowRemainingReadsSlowTheQueue()
{
    // ARM says the subscription's read bucket is empty: the client mirrors that instead of
    // spending its own (larger) local budget and provoking a 429.
    ManualClock clock;
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s))
        .withHeader("x-ms-ratelimit-remaining-subscription-reads", "0")
        .withHeader("x-ms-ratelimit-remaining-resource",
                    "Microsoft.Compute/LowCostGetSubscriptionMaximum;23995,"
                    "Microsoft.Compute/LowCostGetResource;35");
    ArmBudgets budgets;
    budgets.refillLagMs = 0;
    budgets.jitterReserveMs = 0;
    ArmClient *client = makeClient(budgets, &clock);
    Waiter<PowerStateResult> first;
    client->instanceView(kVm, first.callback());
    QVERIFY(first.wait());
    QCOMPARE(client->queue()->lastRateLimits().value(u"subscription-reads"_s), 0);
    QCOMPARE(
        client->queue()->lastRateLimits().resource.value(u"Microsoft.Compute/LowCostGetResource"_s),
        35);
    Waiter<PowerStateResult> second;
    client->instanceView(kVm, second.callback());
    QTest::qWait(50);
    QCOMPARE(m_arm->count(), 1);
    QCOMPARE(client->queue()->pending(), 1);
    clock.advanceMSecs(40); // 25 reads/s refill: one token after 40 ms
    client->queue()->processQueue();
    QVERIFY(second.wait());
    QCOMPARE(m_arm->count(), 2);
}

QTEST_GUILESS_MAIN(TestArmThrottling)
#include "tst_armthrottling.moc"
