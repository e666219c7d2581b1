// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armclient.h"
#include "base/clock.h"
#include "support/azure/azuretestsupport.h"
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
using testsupport::FakeHttpServer;

namespace {
const QString kSub = u"24fb23e3-6ba3-41f0-9b6e-e41131d5d61e"_s;
const QString kVm = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                    "crptestar62841/providers/Microsoft.Compute/virtualMachines/vm719"_s;
const QString kVm2 = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                     "crptestar62841/providers/Microsoft.Compute/virtualMachines/vm720"_s;
const QByteArray kOpPath = "/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/providers/"
                           "Microsoft.Compute/locations/southeastasia/operations/"
                           "bcb419ef-2210-4457-aa09-a26acbb39bb0";

QJsonArray recordingEntries(const QString &name)
{
    return QJsonDocument::fromJson(testsupport::fixture(name))
        .object()
        .value("Entries"_L1)
        .toArray();
}

// A recorded response with management.azure.com rewritten to the fake's address.
http::Response recorded(const QJsonObject &entry, const QUrl &base)
{
    http::Response response;
    response.status = entry.value("StatusCode"_L1).toInt();
    QString origin = base.toString();
    while (origin.endsWith(u'/'))
        origin.chop(1);
    const QJsonObject headers = entry.value("ResponseHeaders"_L1).toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        if (it.key().compare("Content-Length"_L1, Qt::CaseInsensitive) == 0)
            continue;
        QString value = it.value().toArray().first().toString();
        value.replace("https://management.azure.com"_L1, origin);
        response.headers.append({it.key().toLatin1(), value.toLatin1()});
    }
    response.body = entry.value("ResponseBody"_L1).toString().toUtf8();
    return response;
}

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

// ArmClient against a real HTTP fake of ARM on 127.0.0.1 answering recorded payloads.
class TestArmClient : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void instanceViewFromSpecExample();
    void instanceView404IsDeleted();
    void startFollowsAsyncOperationToSucceeded();
    void startFollowsLocationMonitor();
    void startAsyncFailedWithNestedAllocationFailed();
    void startAsyncCanceledIsTransient();
    void resumeFollowsPersistedUrlWithoutPost();
    void asyncUrlOffArmHostIsRefused();
    void startErrorClasses_data();
    void startErrorClasses();
    void listFollowsNextLinkPages();
    void listFullProperties();
    void listRefusesForeignNextLink();
    void unauthorizedRefreshesOnceAndRetries();
    void unauthorizedTwiceIsAuthorization();
    void credentialFailureIsClassified();
    void connectionRefusedIsTransient();
    void timeoutIsTransient();
    void evictionEvidenceFromActivityLog();
    void subscriptionEvidenceIsOnePagedListing();
    void subscriptionEvidenceStopsAtItsPageBound();
    void invalidInputsNeverReachTheNetwork();

private:
    ArmClient *makeClient(ArmBudgets budgets = {}, const base::Clock *clock = nullptr);

    std::unique_ptr<FakeHttpServer> m_arm;
    std::unique_ptr<CountingTokenSource> m_tokens;
    std::unique_ptr<ArmClient> m_client;
};

void TestArmClient::init()
{
    m_arm = std::make_unique<FakeHttpServer>();
    QString error;
    QVERIFY2(m_arm->start(&error), qPrintable(error));
    m_tokens = std::make_unique<CountingTokenSource>();
}

void TestArmClient::cleanup()
{
    m_client.reset();
    m_tokens.reset();
    m_arm.reset();
}

ArmClient *TestArmClient::makeClient(ArmBudgets budgets, const base::Clock *clock)
{
    m_client =
        std::make_unique<ArmClient>(m_tokens.get(), fastArmOptions(m_arm->baseUrl(), budgets),
                                    clock ? *clock : base::systemClock());
    return m_client.get();
}

void TestArmClient::instanceViewFromSpecExample()
{
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s))
        .withHeader("x-ms-correlation-request-id", "corr-1");
    Waiter<PowerStateResult> w;
    makeClient()->instanceView(kVm, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
    QCOMPARE(toString(w.value->state), toString(PowerState::Running));
    QCOMPARE(w.value->call.correlationId, u"corr-1"_s);
    const auto request = m_arm->last();
    QCOMPARE(request.header("Authorization"), QByteArray("Bearer test-token-1"));
    QCOMPARE(request.queryItem(u"api-version"_s), u"2024-07-01"_s);
}

void TestArmClient::instanceView404IsDeleted()
{
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .respond(404, testData(u"error-notfound-crp.json"_s));
    Waiter<PowerStateResult> w;
    makeClient()->instanceView(kVm, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->state), toString(PowerState::Deleted));
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::NotFound));
    QCOMPARE(w.value->call.errorCode, u"NotFound"_s);
}

void TestArmClient::startFollowsAsyncOperationToSucceeded()
{
    const QJsonArray entries =
        recordingEntries(u"arm/recording-dotnet-vm-start-202-asyncop-succeeded.json"_s);
    QCOMPARE(entries.size(), 3);
    m_arm->route("POST", vmPath(kVm, "/start"))
        .respond(recorded(entries.at(0).toObject(), m_arm->baseUrl()));
    m_arm->route("GET", kOpPath)
        .enqueueFixture(200, u"arm/asyncop-status-inprogress-doc.json"_s)
        .enqueue(recorded(entries.at(1).toObject(), m_arm->baseUrl()));
    QString progressUrl;
    bool progressBeforeDone = false;
    Waiter<StartResult> w;
    makeClient()->startVm(
        kVm,
        [&](const QString &url) {
            progressUrl = url;
            progressBeforeDone = !w.value;
        },
        w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
    QVERIFY(w.value->finished);
    QVERIFY(progressBeforeDone);
    QCOMPARE(progressUrl, w.value->asyncOperationUrl);
    QVERIFY2(progressUrl.contains(QString::fromLatin1(kOpPath)), qPrintable(progressUrl));
    QVERIFY(!progressUrl.contains("monitor=true"_L1)); // Azure-AsyncOperation preferred
    QCOMPARE(w.value->call.correlationId, u"c523214c-c342-4750-8bfb-8ae9d8f15cb8"_s);
    QCOMPARE(m_arm->count("POST", vmPath(kVm, "/start")), 1); // never POSTed again
    QCOMPARE(m_arm->count("GET", kOpPath), 2);
    QCOMPARE(m_arm->requests("POST", vmPath(kVm, "/start")).first().queryItem(u"api-version"_s),
             u"2024-07-01"_s);
}

void TestArmClient::startFollowsLocationMonitor()
{
    const QJsonArray entries =
        recordingEntries(u"arm/recording-dotnet-vm-start-202-asyncop-succeeded.json"_s);
    http::Response accepted = recorded(entries.at(0).toObject(), m_arm->baseUrl());
    accepted.headers.removeIf([](const auto &h) { return h.first == "Azure-AsyncOperation"; });
    m_arm->route("POST", vmPath(kVm, "/start")).respond(accepted);
    http::Response running;
    running.status = 202;
    running.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
    m_arm->route("GET", kOpPath)
        .enqueue(running)
        .enqueue(recorded(entries.at(2).toObject(), m_arm->baseUrl())); // 200, empty body
    Waiter<StartResult> w;
    makeClient()->startVm(kVm, {}, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
    QVERIFY(w.value->finished);
    QVERIFY(w.value->asyncOperationUrl.contains("monitor=true"_L1));
    QCOMPARE(m_arm->count("GET", kOpPath), 2);
    QCOMPARE(m_arm->count("POST", vmPath(kVm, "/start")), 1);
}

void TestArmClient::startAsyncFailedWithNestedAllocationFailed()
{
    const QJsonArray entries =
        recordingEntries(u"arm/recording-dotnet-vm-start-202-asyncop-succeeded.json"_s);
    m_arm->route("POST", vmPath(kVm, "/start"))
        .respond(recorded(entries.at(0).toObject(), m_arm->baseUrl()));
    m_arm->route("GET", kOpPath)
        .enqueueFixture(200, u"arm/asyncop-status-inprogress-doc.json"_s)
        .enqueue(200, testData(u"asyncop-failed-allocation-nested.json"_s));
    Waiter<StartResult> w;
    makeClient()->startVm(kVm, {}, w.callback());
    QVERIFY(w.wait());
    QVERIFY(w.value->finished);
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Capacity));
    QCOMPARE(w.value->call.errorCode, u"AllocationFailed"_s);
    QVERIFY(w.value->call.errorMessage.contains("sufficient capacity"_L1));
    QCOMPARE(m_arm->count("POST", vmPath(kVm, "/start")), 1);
}

void TestArmClient::startAsyncCanceledIsTransient()
{
    const QJsonArray entries =
        recordingEntries(u"arm/recording-dotnet-vm-start-202-asyncop-succeeded.json"_s);
    m_arm->route("POST", vmPath(kVm, "/start"))
        .respond(recorded(entries.at(0).toObject(), m_arm->baseUrl()));
    m_arm->route("GET", kOpPath).respond(200, testData(u"asyncop-canceled-preempted.json"_s));
    Waiter<StartResult> w;
    makeClient()->startVm(kVm, {}, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Transient));
    QCOMPARE(w.value->call.errorCode, u"OperationPreempted"_s);
}

void TestArmClient::resumeFollowsPersistedUrlWithoutPost()
{
    const QJsonArray entries =
        recordingEntries(u"arm/recording-dotnet-vm-start-202-asyncop-succeeded.json"_s);
    m_arm->route("GET", kOpPath).respond(recorded(entries.at(1).toObject(), m_arm->baseUrl()));
    const QString persisted =
        m_arm->url(QString::fromLatin1(kOpPath) + u"?api-version=2019-07-01"_s).toString();
    Waiter<StartResult> w;
    makeClient()->followOperation(kVm, persisted, w.callback());
    QVERIFY(w.wait());
    QVERIFY(w.value->call.ok());
    QVERIFY(w.value->finished);
    QCOMPARE(m_arm->count("POST", vmPath(kVm, "/start")), 0);
    QCOMPARE(m_arm->last().queryItem(u"api-version"_s), u"2019-07-01"_s); // URL kept opaque
}

void TestArmClient::asyncUrlOffArmHostIsRefused()
{
    FakeHttpServer elsewhere;
    QVERIFY(elsewhere.start());
    http::Response accepted;
    accepted.status = 202;
    accepted.headers.append(
        {"Azure-AsyncOperation", elsewhere.url(u"/steal?x=1"_s).toString().toLatin1()});
    m_arm->route("POST", vmPath(kVm, "/start")).respond(accepted);
    elsewhere.routePrefix({}, "/").respond(200, R"({"status":"Succeeded"})");
    Waiter<StartResult> w;
    makeClient()->startVm(kVm, {}, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Fatal));
    QCOMPARE(w.value->call.errorCode, u"UntrustedAsyncUrl"_s);
    QTest::qWait(50);
    QCOMPARE(elsewhere.count(), 0); // the token never left for another host
}

void TestArmClient::startErrorClasses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("file");
    QTest::addColumn<FailureClass>("expected");
    QTest::addColumn<QString>("code");
    QTest::newRow("AllocationFailed") << 409 << u"error-allocation-failed.json"_s
                                      << FailureClass::Capacity << u"AllocationFailed"_s;
    QTest::newRow("ZonalAllocationFailed") << 409 << u"error-zonal-allocation-failed.json"_s
                                           << FailureClass::Capacity << u"ZonalAllocationFailed"_s;
    QTest::newRow("Overconstrained")
        << 409 << u"error-overconstrained.json"_s << FailureClass::Capacity
        << u"OverconstrainedAllocationRequest"_s;
    QTest::newRow("OverconstrainedZonal nested")
        << 409 << u"error-overconstrained-nested.json"_s << FailureClass::Capacity
        << u"OverconstrainedZonalAllocationRequest"_s;
    QTest::newRow("SkuNotAvailable") << 409 << u"error-sku-not-available.json"_s
                                     << FailureClass::Capacity << u"SkuNotAvailable"_s;
    QTest::newRow("SpotPrice") << 409 << u"error-spot-price.json"_s << FailureClass::Price
                               << u"SpotPriceGreaterThanProvidedMaxPrice"_s;
    QTest::newRow("quota") << 409 << u"error-quota-lowpriority.json"_s << FailureClass::Quota
                           << u"OperationNotAllowed"_s;
    QTest::newRow("still deallocating / in progress")
        << 409 << u"error-conflict-in-progress.json"_s << FailureClass::Transient << u"Conflict"_s;
    QTest::newRow("OperationPreempted") << 409 << u"error-operation-preempted.json"_s
                                        << FailureClass::Transient << u"OperationPreempted"_s;
    QTest::newRow("AuthorizationFailed") << 403 << u"error-authorization-failed.json"_s
                                         << FailureClass::Authorization << u"AuthorizationFailed"_s;
    QTest::newRow("ResourceNotFound") << 404 << u"error-resource-not-found.json"_s
                                      << FailureClass::NotFound << u"ResourceNotFound"_s;
    QTest::newRow("NotFound") << 404 << u"error-notfound-crp.json"_s << FailureClass::NotFound
                              << u"NotFound"_s;
    QTest::newRow("500") << 500 << u"error-internal.json"_s << FailureClass::Transient
                         << u"InternalServerError"_s;
    QTest::newRow("simulateEviction-style OperationNotAllowed")
        << 409 << u"error-simulate-eviction-regular.json"_s << FailureClass::Fatal
        << u"OperationNotAllowed"_s;
}

void TestArmClient::startErrorClasses()
{
    QFETCH(int, status);
    QFETCH(QString, file);
    QFETCH(FailureClass, expected);
    QFETCH(QString, code);
    m_arm->route("POST", vmPath(kVm, "/start"))
        .respond(status, testData(file))
        .withHeader("x-ms-request-id", "req-9");
    Waiter<StartResult> w;
    makeClient()->startVm(kVm, {}, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->call.failure), toString(expected));
    QCOMPARE(w.value->call.errorCode, code);
    QCOMPARE(w.value->call.httpStatus, status);
    QCOMPARE(w.value->call.correlationId, u"req-9"_s);
    QVERIFY(!w.value->call.errorMessage.isEmpty());
    QVERIFY(!w.value->finished);
    QCOMPARE(m_arm->count("POST", vmPath(kVm, "/start")), 1);
}

void TestArmClient::listFollowsNextLinkPages()
{
    const QByteArray listPath =
        "/subscriptions/" + kSub.toLatin1() + "/providers/Microsoft.Compute/virtualMachines";
    auto page = [&](int index, int count, bool last) {
        QJsonArray items;
        for (int i = 0; i < count; ++i) {
            const QString name = u"vm-%1-%2"_s.arg(index).arg(i);
            items.append(QJsonObject {
                {"id"_L1,
                 u"/subscriptions/%1/resourceGroups/rg/providers/Microsoft.Compute/"
                 "virtualMachines/%2"_s.arg(kSub, name)},
                {"name"_L1, name},
                {"location"_L1, u"eastus"_s},
                {"properties"_L1,
                 QJsonObject {{"instanceView"_L1,
                               QJsonObject {{"statuses"_L1,
                                             QJsonArray {QJsonObject {
                                                 {"code"_L1, u"PowerState/deallocated"_s}}}}}}}}});
        }
        QJsonObject body {{"value"_L1, items}};
        if (!last)
            body.insert("nextLink"_L1,
                        m_arm
                            ->url(QString::fromLatin1(listPath)
                                  + u"?api-version=2024-07-01&statusOnly=true&$skiptoken=p%1"_s.arg(
                                      index + 1))
                            .toString());
        return QJsonDocument(body).toJson(QJsonDocument::Compact);
    };
    m_arm->route("GET", listPath)
        .enqueue(200, page(0, 3, false))
        .enqueue(200, page(1, 2, false))
        .enqueue(200, page(2, 1, true));
    Waiter<ListResult> w;
    makeClient()->listVms(kSub, true, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
    QCOMPARE(w.value->pages, 3);
    QCOMPARE(w.value->vms.size(), 6);
    QCOMPARE(w.value->vms.last().name, u"vm-2-0"_s);
    QCOMPARE(toString(w.value->vms.first().powerState), toString(PowerState::Deallocated));
    const auto requests = m_arm->requests("GET", listPath);
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests.at(0).queryItem(u"statusOnly"_s), u"true"_s);
    QVERIFY(requests.at(0).queryItem(u"$skiptoken"_s).isEmpty());
    QCOMPARE(requests.at(1).queryItem(u"$skiptoken"_s), u"p1"_s);
    QCOMPARE(requests.at(2).queryItem(u"$skiptoken"_s), u"p2"_s);
}

void TestArmClient::listFullProperties()
{
    const QByteArray listPath =
        "/subscriptions/" + kSub.toLatin1() + "/providers/Microsoft.Compute/virtualMachines";
    m_arm->route("GET", listPath)
        .respond(200,
                 specBody(u"arm/spec-VirtualMachine_ListAll_MinimumSet_Gen-2024-07-01.json"_s));
    Waiter<ListResult> w;
    makeClient()->listVms(kSub, false, w.callback());
    QVERIFY(w.wait());
    QVERIFY(w.value->call.ok());
    QCOMPARE(w.value->vms.size(), 2);
    QCOMPARE(w.value->pages, 1);
    QVERIFY(m_arm->last().queryItem(u"statusOnly"_s).isEmpty());
}

void TestArmClient::listRefusesForeignNextLink()
{
    FakeHttpServer elsewhere;
    QVERIFY(elsewhere.start());
    const QByteArray listPath =
        "/subscriptions/" + kSub.toLatin1() + "/providers/Microsoft.Compute/virtualMachines";
    const QByteArray body = R"({"value":[],"nextLink":")"
        + elsewhere.url(QString::fromLatin1(listPath)).toString().toLatin1() + R"("})";
    m_arm->route("GET", listPath).respond(200, body);
    Waiter<ListResult> w;
    makeClient()->listVms(kSub, true, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.value->call.errorCode, u"InvalidNextLink"_s);
    QCOMPARE(elsewhere.count(), 0);
}

void TestArmClient::unauthorizedRefreshesOnceAndRetries()
{
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .enqueue(401, testData(u"error-expired-token.json"_s))
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s));
    Waiter<PowerStateResult> w;
    makeClient()->instanceView(kVm, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
    const auto requests = m_arm->requests();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).header("Authorization"), QByteArray("Bearer test-token-1"));
    QCOMPARE(requests.at(1).header("Authorization"), QByteArray("Bearer test-token-2"));
    QCOMPARE(m_tokens->requests, 2);
}

void TestArmClient::unauthorizedTwiceIsAuthorization()
{
    m_arm->route("GET", vmPath(kVm, "/instanceView"))
        .respond(401, testData(u"error-invalid-token-tenant.json"_s));
    Waiter<PowerStateResult> w;
    makeClient()->instanceView(kVm, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Authorization));
    QCOMPARE(w.value->call.errorCode, u"InvalidAuthenticationTokenTenant"_s);
    QCOMPARE(m_arm->count(), 2); // exactly one refresh + retry
}

void TestArmClient::credentialFailureIsClassified()
{
    m_tokens->fail = true;
    m_tokens->fatal = true;
    Waiter<PowerStateResult> w;
    makeClient()->instanceView(kVm, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Authorization));
    m_tokens->fatal = false;
    Waiter<PowerStateResult> w2;
    m_client->instanceView(kVm, w2.callback());
    QVERIFY(w2.wait());
    QCOMPARE(toString(w2.value->call.failure), toString(FailureClass::Transient));
    QCOMPARE(m_arm->count(), 0);
}

void TestArmClient::connectionRefusedIsTransient()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    ArmClientOptions options;
    options.armUrl = QUrl(u"http://127.0.0.1:%1/"_s.arg(port));
    ArmClient client(m_tokens.get(), options, base::systemClock());
    Waiter<PowerStateResult> w;
    client.instanceView(kVm, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Transient));
    QCOMPARE(w.value->call.httpStatus, 0);
    QCOMPARE(w.value->call.errorCode, u"ConnectionRefusedError"_s);
}

void TestArmClient::timeoutIsTransient()
{
    m_arm->route("GET", vmPath(kVm, "/instanceView")).hangUp();
    ArmClientOptions options;
    options.armUrl = m_arm->baseUrl();
    options.requestTimeoutMs = 200;
    ArmClient client(m_tokens.get(), options, base::systemClock());
    Waiter<PowerStateResult> w;
    client.instanceView(kVm, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Transient));
    QCOMPARE(w.value->call.httpStatus, 0);
    QVERIFY(!w.value->call.errorCode.isEmpty());
}

void TestArmClient::evictionEvidenceFromActivityLog()
{
    const QByteArray path = "/subscriptions/" + kSub.toLatin1()
        + "/providers/Microsoft.Insights/eventtypes/management/values";
    m_arm->route("GET", path).respond(200, testData(u"activity-log-evict-spot.json"_s));
    Waiter<EvidenceResult> w;
    makeClient()->evictionEvidence(kVm, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC),
                                   w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
    QVERIFY2(w.value->evidence.contains("evictSpotVM/action Succeeded"_L1),
             qPrintable(w.value->evidence));
    const QString filter = m_arm->last().queryItem(u"$filter"_s);
    QVERIFY2(filter.contains("eventTimestamp ge '2026-01-01T00:00:00Z'"_L1), qPrintable(filter));
    QVERIFY(filter.contains(kVm));
}

namespace {

QJsonObject activityRecord(const QString &resourceId, const QString &operation, const QString &at,
                           const QString &caller)
{
    return QJsonObject {
        {u"resourceId"_s, resourceId},
        {u"operationName"_s, QJsonObject {{u"value"_s, operation}}},
        {u"status"_s, QJsonObject {{u"value"_s, u"Succeeded"_s}}},
        {u"eventTimestamp"_s, at},
        {u"caller"_s, caller},
        {u"operationId"_s, QString(u"op-"_s + at)},
    };
}

} // namespace

void TestArmClient::subscriptionEvidenceIsOnePagedListing()
{
    // Issue 12.5: one listing of the subscription's Compute records answers every VM waiting
    // for evidence; every nextLink page is read, and the latest record of each VM decides.
    const QByteArray path = "/subscriptions/" + kSub.toLatin1()
        + "/providers/Microsoft.Insights/eventtypes/management/values";
    const QString vmA = kVm;
    const QString vmB = u"/subscriptions/%1/resourceGroups/rg/providers/Microsoft.Compute/"
                        "virtualMachineScaleSets/pool/virtualMachines/3"_s.arg(kSub);
    const QString vmC = u"/subscriptions/%1/resourceGroups/rg/providers/Microsoft.Compute/"
                        "virtualMachines/started-only"_s.arg(kSub);
    const QString evict = u"Microsoft.Compute/virtualMachines/evictSpotVM/action"_s;
    const QJsonObject first {
        {u"value"_s,
         QJsonArray {activityRecord(vmA, evict, u"2026-01-01T00:01:00Z"_s, u"Microsoft.Compute"_s),
                     activityRecord(vmC, u"Microsoft.Compute/virtualMachines/start/action"_s,
                                    u"2026-01-01T00:01:30Z"_s, u"Microsoft.Compute"_s)}},
        {u"nextLink"_s,
         m_arm->url(QString::fromLatin1(path) + u"?api-version=2015-04-01&$skiptoken=2"_s)
             .toString()},
    };
    const QJsonObject second {
        {u"value"_s,
         QJsonArray {activityRecord(vmA.toUpper(),
                                    u"Microsoft.Compute/virtualMachines/deallocate/action"_s,
                                    u"2026-01-01T00:02:00Z"_s, u"alice@contoso.com"_s),
                     activityRecord(vmB,
                                    u"Microsoft.Compute/virtualMachineScaleSets/virtualMachines/"
                                    "evictSpotVM/action"_s,
                                    u"2026-01-01T00:01:10Z"_s, u"Microsoft.Compute"_s)}},
    };
    m_arm->route("GET", path)
        .enqueue(200, QJsonDocument(first).toJson())
        .enqueue(200, QJsonDocument(second).toJson());
    Waiter<FleetEvidenceResult> w;
    makeClient()->evictionEvidenceInSubscription(
        kSub, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC), w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
    QCOMPARE(m_arm->count(), 2);
    QCOMPARE(w.value->pages, 2);
    QVERIFY(w.value->complete);
    const testsupport::RecordedRequest request = m_arm->requests().constFirst();
    const QString filter = request.queryItem(u"$filter"_s);
    QCOMPARE(filter,
             u"eventTimestamp ge '2026-01-01T00:00:00Z' and resourceProvider eq "
             "'Microsoft.Compute'"_s);
    const QString select = request.queryItem(u"$select"_s);
    for (const char *field : {"eventTimestamp", "operationName", "status", "resourceId", "caller"})
        QVERIFY2(select.split(u',').contains(QLatin1StringView(field)), qPrintable(select));
    QCOMPARE(w.value->byVm.size(), 2); // vmC has only a start: no evidence
    const EvidenceResult a = w.value->byVm.value(vmA.toLower());
    QCOMPARE(toString(a.kind), toString(EvidenceKind::Deliberate)); // the later record
    QCOMPARE(a.caller, u"alice@contoso.com"_s);
    const EvidenceResult b = w.value->byVm.value(vmB.toLower());
    QCOMPARE(toString(b.kind), toString(EvidenceKind::Eviction));
}

void TestArmClient::subscriptionEvidenceStopsAtItsPageBound()
{
    const QByteArray path = "/subscriptions/" + kSub.toLatin1()
        + "/providers/Microsoft.Insights/eventtypes/management/values";
    const QJsonObject page {
        {u"value"_s, QJsonArray {}},
        {u"nextLink"_s,
         m_arm->url(QString::fromLatin1(path) + u"?api-version=2015-04-01&$skiptoken=1"_s)
             .toString()},
    };
    m_arm->route("GET", path).respond(200, QJsonDocument(page).toJson());
    ArmClientOptions options = fastArmOptions(m_arm->baseUrl(), {});
    options.maxEvidenceListPages = 3;
    ArmClient client(m_tokens.get(), options, base::systemClock());
    Waiter<FleetEvidenceResult> w;
    client.evictionEvidenceInSubscription(kSub, QDateTime::currentDateTimeUtc().addSecs(-600),
                                          w.callback());
    QVERIFY(w.wait());
    QVERIFY(w.value->call.ok());
    QCOMPARE(m_arm->count(), 3);
    QVERIFY(!w.value->complete);
}

void TestArmClient::invalidInputsNeverReachTheNetwork()
{
    ArmClient *client = makeClient();
    Waiter<PowerStateResult> a;
    client->instanceView(u"/subscriptions/x/resourceGroups/rg"_s, a.callback());
    QVERIFY(a.wait());
    QCOMPARE(a.value->call.errorCode, u"InvalidResourceId"_s);
    Waiter<ListResult> b;
    client->listVms(u"not-a-guid/../x"_s, true, b.callback());
    QVERIFY(b.wait());
    QCOMPARE(b.value->call.errorCode, u"InvalidSubscriptionId"_s);
    Waiter<FleetEvidenceResult> d;
    client->evictionEvidenceInSubscription(u"not-a-guid/../x"_s, QDateTime::currentDateTimeUtc(),
                                           d.callback());
    QVERIFY(d.wait());
    QCOMPARE(d.value->call.errorCode, u"InvalidSubscriptionId"_s);
    Waiter<StartResult> c;
    client->followOperation(kVm, u"ftp://example.com/op"_s, c.callback());
    QVERIFY(c.wait());
    QCOMPARE(c.value->call.errorCode, u"UntrustedAsyncUrl"_s);
    QCOMPARE(m_arm->count(), 0);
}

QTEST_GUILESS_MAIN(TestArmClient)
#include "tst_armclient.moc"
