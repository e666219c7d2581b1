// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/computecloudprovider.h"
#include "gcp/computeparsers.h"
#include "support/azure/azuretestsupport.h"
#include "support/base/manualclock.h"
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gcp;
using namespace Qt::StringLiterals;
using core::FailureClass;
using core::PowerState;
using testsupport::FakeHttpServer;

namespace {

const QString kId = u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s;
const QByteArray kInstancePath =
    "/compute/v1/projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7";
const QByteArray kOperationPath =
    "/compute/v1/projects/spot-fleet-1/zones/europe-west1-b/operations/"
    "operation-1765111955123-5f1c2a3b4d5e6-7a8b9c0d-1e2f3a4b";
const QByteArray kListPath = "/compute/v1/projects/spot-fleet-1/aggregated/instances";
const QByteArray kLoggingPath = "/logging/v2/entries:list";

QString fixturePath(const QString &name)
{
    return testsupport::testDataPath(u"gcp/compute/"_s + name);
}

core::VmRecord gcpVm()
{
    core::VmRecord vm;
    vm.resourceId = kId;
    vm.resourceKey = kId;
    vm.subscriptionId = u"spot-fleet-1"_s;
    return vm;
}

// The instance the audit log fixtures (tests/data/gcp/logging) speak of.
core::VmRecord auditVm()
{
    core::VmRecord vm;
    vm.resourceId = u"projects/spot-demo-1/zones/europe-west1-b/instances/batch-7"_s;
    vm.resourceKey = vm.resourceId;
    vm.subscriptionId = u"spot-demo-1"_s;
    return vm;
}

QByteArray loggingFixture(const QString &name)
{
    QFile file(testsupport::testDataPath(u"gcp/logging/"_s + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

// ComputeCloudProvider against a fake Compute Engine API on 127.0.0.1: every call of the
// CloudProvider seam, every failure path (capacity and quota inside an operation, permission,
// 404, 401 refresh, 429 and 403 rateLimitExceeded with and without Retry-After, network
// errors, a persisted operation URL on another host), paging and the client-side budgets.
class TestComputeCloudProvider : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void powerStates();
    void startFollowsTheOperationToDone();
    void startFailuresInsideTheOperation_data();
    void startFailuresInsideTheOperation();
    void startRefusedByTheApi();
    void operationReadErrorsAreRetried();
    void startWithoutFollowingAndResume();
    void resumeRefusesAnotherHost();
    void expiredTokenIsRefreshedOnce();
    void credentialFailureNeedsAnOperator();
    void throttledWithRetryAfterHoldsTheProject();
    void rateLimitExceededWithoutRetryAfterWaitsTheMinute();
    void budgetsPaceReads();
    void listFollowsEveryPage();
    void listErrorsAndUnfilteredListing();
    void networkErrorIsTransient();
    void stopIsAStopCall();
    void restartIsAResetCall(); // the application health watch's restart
    void evidenceFromTheAuditLog();
    void deletedOrGroupVmsAreNotStarted();
    void evidenceOfAPreemption();
    void evidenceReadFailures();
    void evidenceForManyVmsInOneListing();

private:
    std::unique_ptr<ComputeCloudProvider> makeProvider(const ComputeOptions &options = {});
    ComputeOptions fastOptions() const;

    std::unique_ptr<FakeHttpServer> m_fake;
    std::unique_ptr<testsupport::ManualClock> m_clock;
    QPointer<azuretest::CountingTokenSource> m_token;
};

void TestComputeCloudProvider::init()
{
    m_fake = std::make_unique<FakeHttpServer>();
    QString error;
    QVERIFY2(m_fake->start(&error), qPrintable(error));
    m_clock = std::make_unique<testsupport::ManualClock>();
}

void TestComputeCloudProvider::cleanup()
{
    m_fake.reset();
    m_clock.reset();
}

ComputeOptions TestComputeCloudProvider::fastOptions() const
{
    ComputeOptions options;
    options.computeUrl = m_fake->url(u"/compute/v1/"_s);
    options.loggingUrl = m_fake->url(u"/logging/v2/"_s);
    options.operationPollMs = 1;
    options.budgets.enabled = false;
    options.requestTimeoutMs = 5'000;
    return options;
}

std::unique_ptr<ComputeCloudProvider>
TestComputeCloudProvider::makeProvider(const ComputeOptions &options)
{
    m_token = new azuretest::CountingTokenSource;
    return std::make_unique<ComputeCloudProvider>(m_token, options, *m_clock);
}

void TestComputeCloudProvider::powerStates()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("GET", kInstancePath)
        .enqueue(http::Response::json(200,
                                      [] {
                                          QFile f(fixturePath(u"instance-spot-running.json"_s));
                                          f.open(QIODevice::ReadOnly);
                                          return f.readAll();
                                      }()))
        .enqueue(http::Response::json(200,
                                      [] {
                                          QFile f(fixturePath(u"instance-spot-terminated.json"_s));
                                          f.open(QIODevice::ReadOnly);
                                          return f.readAll();
                                      }()))
        .respondFile(404, fixturePath(u"error-not-found-404.json"_s));
    QList<core::PowerStateResult> results;
    for (int i = 0; i < 3; ++i)
        provider->powerState(gcpVm(), [&](const core::PowerStateResult &r) { results.append(r); });
    QTRY_COMPARE(results.size(), 3);
    QVERIFY(results[0].call.ok() && results[0].state == PowerState::Running);
    QVERIFY(results[1].call.ok() && results[1].state == PowerState::Deallocated);
    QVERIFY(results[2].call.failure == FailureClass::NotFound);
    QVERIFY(results[2].state == PowerState::Deleted);
    const auto requests = m_fake->requests("GET", kInstancePath);
    QCOMPARE(requests.constFirst().header("Authorization"), QByteArray("Bearer test-token-1"));
    // An Azure VM never reaches the Compute API.
    core::VmRecord azure;
    azure.resourceId = u"/subscriptions/8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11/resourceGroups/rg/"
                       "providers/Microsoft.Compute/virtualMachines/vm"_s;
    std::optional<core::PowerStateResult> refused;
    provider->powerState(azure, [&](const core::PowerStateResult &r) { refused = r; });
    QVERIFY(refused && refused->call.failure == FailureClass::Fatal);
    QCOMPARE(m_fake->requests().size(), 3);
}

void TestComputeCloudProvider::startFollowsTheOperationToDone()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/start")
        .respondFile(200, fixturePath(u"operation-start-pending.json"_s));
    m_fake->route("GET", kOperationPath)
        .enqueue(http::Response::json(200,
                                      [] {
                                          QFile f(fixturePath(u"operation-start-running.json"_s));
                                          f.open(QIODevice::ReadOnly);
                                          return f.readAll();
                                      }()))
        .respondFile(200, fixturePath(u"operation-start-done.json"_s));
    QString progressUrl;
    std::optional<core::StartResult> result;
    provider->start(
        gcpVm(), [&](const QString &url) { progressUrl = url; },
        [&](const core::StartResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY2(result->call.ok(), qPrintable(result->call.errorMessage));
    QVERIFY(result->finished);
    QCOMPARE(progressUrl, m_fake->url(QString::fromLatin1(kOperationPath)).toString());
    QCOMPARE(result->asyncOperationUrl, progressUrl);
    QCOMPARE(m_fake->requests("GET", kOperationPath).size(), 2);
    // Each start carries a requestId (a UUID) so a repeated POST is not a second start.
    const auto posts = m_fake->requests("POST", kInstancePath + "/start");
    QCOMPARE(posts.size(), 1);
    QCOMPARE(posts.constFirst().queryItem(u"requestId"_s).size(), 36);
}

void TestComputeCloudProvider::startFailuresInsideTheOperation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("failure");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("httpStatus");
    QTest::newRow("zone exhausted: capacity, retried with backoff")
        << u"operation-start-zone-exhausted.json"_s << int(FailureClass::Capacity)
        << u"ZONE_RESOURCE_POOL_EXHAUSTED"_s << 503;
    QTest::newRow("quota: needs an operator")
        << u"operation-start-quota.json"_s << int(FailureClass::Quota) << u"QUOTA_EXCEEDED"_s
        << 403;
}

void TestComputeCloudProvider::startFailuresInsideTheOperation()
{
    QFETCH(QString, file);
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/start")
        .respondFile(200, fixturePath(u"operation-start-pending.json"_s));
    m_fake->route("GET", kOperationPath).respondFile(200, fixturePath(file));
    std::optional<core::StartResult> result;
    provider->start(gcpVm(), {}, [&](const core::StartResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QTEST(int(result->call.failure), "failure");
    QTEST(result->call.errorCode, "code");
    QTEST(result->call.httpStatus, "httpStatus");
    QVERIFY(result->finished);
    QVERIFY(!result->call.errorMessage.isEmpty());
}

void TestComputeCloudProvider::startRefusedByTheApi()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/start")
        .respondFile(403, fixturePath(u"error-permission-403.json"_s));
    std::optional<core::StartResult> result;
    provider->start(gcpVm(), {}, [&](const core::StartResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->call.failure == FailureClass::Authorization);
    QCOMPARE(result->call.errorCode, u"forbidden"_s);
    QVERIFY(result->call.errorMessage.contains(u"compute.instances.start"_s));
    QVERIFY(!core::isRetryable(result->call.failure));
}

void TestComputeCloudProvider::operationReadErrorsAreRetried()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/start")
        .respondFile(200, fixturePath(u"operation-start-pending.json"_s));
    m_fake->route("GET", kOperationPath)
        .enqueue(http::Response::error(503, u"backendError"_s, u"try again"_s))
        .enqueue(http::Response::json(200, R"({"not":"an operation"})"))
        .respondFile(200, fixturePath(u"operation-start-done.json"_s));
    std::optional<core::StartResult> result;
    provider->start(gcpVm(), {}, [&](const core::StartResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY2(result->call.ok(), qPrintable(result->call.errorMessage));
    QCOMPARE(m_fake->requests("GET", kOperationPath).size(), 3);

    // Errors without end: given up after maxPollErrors, not finished (the engine resumes).
    ComputeOptions options = fastOptions();
    options.maxPollErrors = 2;
    auto stubborn = makeProvider(options);
    m_fake->clearRoutes();
    m_fake->route("POST", kInstancePath + "/start")
        .respondFile(200, fixturePath(u"operation-start-pending.json"_s));
    m_fake->route("GET", kOperationPath).respond(http::Response::error(503, u"x"_s, u"down"_s));
    result.reset();
    stubborn->start(gcpVm(), {}, [&](const core::StartResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->call.failure == FailureClass::Transient);
    QVERIFY(!result->finished);
    QVERIFY(!result->asyncOperationUrl.isEmpty());
}

void TestComputeCloudProvider::startWithoutFollowingAndResume()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/start")
        .respondFile(200, fixturePath(u"operation-start-pending.json"_s));
    m_fake->route("GET", kOperationPath)
        .respondFile(200, fixturePath(u"operation-start-zone-exhausted.json"_s));
    std::optional<core::StartResult> posted;
    provider->startWithoutFollowing(gcpVm(), [&](const core::StartResult &r) { posted = r; });
    QTRY_VERIFY(posted.has_value());
    QVERIFY(posted->call.ok() && !posted->finished);
    QCOMPARE(m_fake->requests("GET", kOperationPath).size(), 0);
    // After a restart of the engine: the persisted URL is followed to its end.
    std::optional<core::StartResult> resumed;
    provider->resumeStart(gcpVm(), posted->asyncOperationUrl,
                          [&](const core::StartResult &r) { resumed = r; });
    QTRY_VERIFY(resumed.has_value());
    QVERIFY(resumed->call.failure == FailureClass::Capacity);
    QVERIFY(resumed->finished);
}

void TestComputeCloudProvider::resumeRefusesAnotherHost()
{
    auto provider = makeProvider(fastOptions());
    std::optional<core::StartResult> result;
    provider->resumeStart(gcpVm(),
                          u"https://attacker.example/compute/v1/projects/p/zones/z/operations/o"_s,
                          [&](const core::StartResult &r) { result = r; });
    QVERIFY(result.has_value());
    QCOMPARE(result->call.errorCode, u"UntrustedAsyncUrl"_s);
    QCOMPARE(m_token->requests, 0); // no token was even asked for
    QVERIFY(m_fake->requests().isEmpty());
}

void TestComputeCloudProvider::expiredTokenIsRefreshedOnce()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("GET", kInstancePath)
        .enqueue(http::Response::error(401, u"UNAUTHENTICATED"_s, u"expired"_s))
        .respondFile(200, fixturePath(u"instance-spot-running.json"_s));
    std::optional<core::PowerStateResult> result;
    provider->powerState(gcpVm(), [&](const core::PowerStateResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->call.ok());
    const auto requests = m_fake->requests("GET", kInstancePath);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(1).header("Authorization"), QByteArray("Bearer test-token-2"));
    // A second 401 in a row is the answer, not another retry.
    m_fake->clearRoutes();
    m_fake->route("GET", kInstancePath)
        .respond(http::Response::error(401, u"UNAUTHENTICATED"_s, u"revoked"_s));
    result.reset();
    provider->powerState(gcpVm(), [&](const core::PowerStateResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->call.failure == FailureClass::Authorization);
    QCOMPARE(m_fake->requests("GET", kInstancePath).size(), 4);
}

void TestComputeCloudProvider::credentialFailureNeedsAnOperator()
{
    auto provider = makeProvider(fastOptions());
    m_token->fail = true;
    m_token->fatal = true;
    std::optional<core::StartResult> result;
    provider->start(gcpVm(), {}, [&](const core::StartResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->call.failure == FailureClass::Authorization);
    QVERIFY(m_fake->requests().isEmpty());
}

void TestComputeCloudProvider::throttledWithRetryAfterHoldsTheProject()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("GET", kInstancePath)
        .withHeader("Retry-After", "30")
        .enqueue(http::Response::error(429, u"RESOURCE_EXHAUSTED"_s, u"slow down"_s))
        .respondFile(200, fixturePath(u"instance-spot-running.json"_s));
    std::optional<core::PowerStateResult> first;
    provider->powerState(gcpVm(), [&](const core::PowerStateResult &r) { first = r; });
    QTRY_VERIFY(first.has_value());
    QVERIFY(first->call.failure == FailureClass::Throttled);
    QCOMPARE(first->call.retryAfter, m_clock->nowUtc().addSecs(30));
    QCOMPARE(provider->client()->blockedUntil(u"spot-fleet-1"_s), m_clock->nowUtc().addSecs(30));
    // The next call of that project waits for the gate, however the engine asks.
    std::optional<core::PowerStateResult> second;
    provider->powerState(gcpVm(), [&](const core::PowerStateResult &r) { second = r; });
    QCOMPARE(provider->client()->pending(), 1); // held by the gate, decided synchronously
    QVERIFY(!second.has_value());
    QCOMPARE(m_fake->requests("GET", kInstancePath).size(), 1);
    m_clock->advanceMSecs(30'000);
    provider->client()->processQueue();
    QTRY_VERIFY(second.has_value());
    QVERIFY(second->call.ok());
}

void TestComputeCloudProvider::rateLimitExceededWithoutRetryAfterWaitsTheMinute()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/start")
        .respondFile(403, fixturePath(u"error-rate-limit-403.json"_s));
    std::optional<core::StartResult> result;
    provider->start(gcpVm(), {}, [&](const core::StartResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->call.failure == FailureClass::Throttled);
    QCOMPARE(result->call.errorCode, u"rateLimitExceeded"_s);
    QCOMPARE(result->call.retryAfter, m_clock->nowUtc().addMSecs(60'000));
}

void TestComputeCloudProvider::budgetsPaceReads()
{
    ComputeOptions options = fastOptions();
    options.budgets.enabled = true;
    options.budgets.reads = {2, 1, 60'000}; // two at once, then one a minute
    auto provider = makeProvider(options);
    m_fake->route("GET", kInstancePath)
        .respondFile(200, fixturePath(u"instance-spot-running.json"_s));
    int answered = 0;
    for (int i = 0; i < 3; ++i)
        provider->powerState(gcpVm(), [&](const core::PowerStateResult &) { ++answered; });
    QCOMPARE(provider->client()->pending(), 1); // decided synchronously: no token left
    QTRY_COMPARE(answered, 2);
    QCOMPARE(provider->client()->pending(), 1);
    m_clock->advanceMSecs(60'000);
    provider->client()->processQueue();
    QTRY_COMPARE(answered, 3);
}

void TestComputeCloudProvider::listFollowsEveryPage()
{
    auto provider = makeProvider(fastOptions());
    QFile page1(fixturePath(u"aggregated-page1.json"_s));
    QVERIFY(page1.open(QIODevice::ReadOnly));
    const QByteArray first = page1.readAll();
    const QString token =
        QJsonDocument::fromJson(first).object().value(u"nextPageToken"_s).toString();
    m_fake->route("GET", kListPath).respondWith([&](const testsupport::RecordedRequest &request) {
        if (request.queryItem(u"pageToken"_s).isEmpty())
            return http::Response::json(200, first);
        if (request.queryItem(u"pageToken"_s) != token)
            return http::Response::error(400, u"badToken"_s, request.queryItem(u"pageToken"_s));
        QFile page2(fixturePath(u"aggregated-page2.json"_s));
        page2.open(QIODevice::ReadOnly);
        return http::Response::json(200, page2.readAll());
    });
    std::optional<core::ListResult> result;
    provider->listVms(u"spot-fleet-1"_s, true, [&](const core::ListResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY2(result->call.ok(), qPrintable(result->call.errorMessage));
    QCOMPARE(result->pages, 2);
    QCOMPARE(result->vms.size(), 2);
    QCOMPARE(result->vms.at(0).name, u"worker-7"_s);
    QVERIFY(result->vms.at(0).powerState == PowerState::Deallocated);
    QCOMPARE(result->vms.at(1).location, u"us-central1-a"_s);
    QVERIFY(!result->complete); // filtered by the opt-in label: absence proves nothing
    const auto requests = m_fake->requests("GET", kListPath);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).queryItem(u"filter"_s), u"labels.spotkeeper-auto-restart=true"_s);
    QCOMPARE(requests.at(0).queryItem(u"maxResults"_s), u"500"_s);
    QCOMPARE(requests.at(1).queryItem(u"pageToken"_s), token);
}

void TestComputeCloudProvider::listErrorsAndUnfilteredListing()
{
    ComputeOptions options = fastOptions();
    options.listFilter.clear();
    auto provider = makeProvider(options);
    m_fake->route("GET", kListPath)
        .enqueue(http::Response::json(200, "{\"items\": 3}"))
        .enqueue(http::Response::error(403, u"forbidden"_s, u"no compute.instances.list"_s))
        .respondFile(200, fixturePath(u"aggregated-page2.json"_s));
    QList<core::ListResult> results;
    for (int i = 0; i < 3; ++i)
        provider->listVms(u"spot-fleet-1"_s, false,
                          [&](const core::ListResult &r) { results.append(r); });
    QTRY_COMPARE(results.size(), 3);
    QCOMPARE(results[0].call.errorCode, u"InvalidResponse"_s);
    QVERIFY(results[1].call.failure == FailureClass::Authorization);
    QVERIFY(results[2].call.ok());
    QVERIFY(results[2].complete); // every instance of the project listed
    QCOMPARE(m_fake->requests("GET", kListPath).at(0).queryItem(u"filter"_s), QString());

    // A listing that never ends is cut off instead of paging forever.
    ComputeOptions bounded = fastOptions();
    bounded.maxListPages = 3;
    auto endless = makeProvider(bounded);
    m_fake->clearRoutes();
    m_fake->route("GET", kListPath).respondFile(200, fixturePath(u"aggregated-page1.json"_s));
    std::optional<core::ListResult> cut;
    endless->listVms(u"spot-fleet-1"_s, true, [&](const core::ListResult &r) { cut = r; });
    QTRY_VERIFY(cut.has_value());
    QCOMPARE(cut->call.errorCode, u"TooManyPages"_s);
    QCOMPARE(cut->pages, 3);
    QVERIFY(cut->vms.isEmpty());
}

void TestComputeCloudProvider::networkErrorIsTransient()
{
    ComputeOptions options = fastOptions();
    options.requestTimeoutMs = 200;
    auto provider = makeProvider(options);
    m_fake->route("GET", kInstancePath).hangUp();
    std::optional<core::PowerStateResult> result;
    provider->powerState(gcpVm(), [&](const core::PowerStateResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10'000);
    QVERIFY(result->call.failure == FailureClass::Transient);
    QCOMPARE(result->call.httpStatus, 0);
}

void TestComputeCloudProvider::stopIsAStopCall()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/stop")
        .respondFile(200, fixturePath(u"operation-start-pending.json"_s));
    std::optional<core::CallResult> result;
    provider->deallocate(gcpVm(), [&](const core::CallResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(m_fake->requests("POST", kInstancePath + "/stop").size(), 1);
}

void TestComputeCloudProvider::restartIsAResetCall()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kInstancePath + "/reset")
        .respondFile(200, fixturePath(u"operation-start-pending.json"_s));
    std::optional<core::CallResult> result;
    provider->restart(gcpVm(), [&](const core::CallResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    const auto resets = m_fake->requests("POST", kInstancePath + "/reset");
    QCOMPARE(resets.size(), 1);
    QCOMPARE(resets.constFirst().queryItem(u"requestId"_s).size(), 36); // a UUID
    QVERIFY(m_fake->requests("POST", kInstancePath + "/stop").isEmpty());
}

void TestComputeCloudProvider::deletedOrGroupVmsAreNotStarted()
{
    auto provider = makeProvider(fastOptions());
    core::VmRecord vm = gcpVm();
    vm.evictionPolicy = u"STOP"_s;
    QVERIFY(provider->cannotRestart(vm).isEmpty()); // STOP: SpotKeeper's job
    vm.evictionPolicy = u"DELETE"_s;
    QVERIFY2(provider->cannotRestart(vm).contains(u"deleted by Google on preemption"_s),
             qPrintable(provider->cannotRestart(vm)));
    vm.evictionPolicy = u"STOP"_s;
    vm.tags.insert(QLatin1StringView(compute::kManagedGroupTag),
                   u"projects/1/zones/europe-west1-b/instanceGroupManagers/spot-mig"_s);
    const QString group = provider->cannotRestart(vm);
    QVERIFY2(group.contains(u"managed instance group (spot-mig) recreates it"_s),
             qPrintable(group));
}

void TestComputeCloudProvider::evidenceFromTheAuditLog()
{
    auto provider = makeProvider(fastOptions());
    // Page one has a nextPageToken; the stop on it is the newest decisive entry.
    m_fake->route("POST", kLoggingPath)
        .enqueue(http::Response::json(200, loggingFixture(u"entries-user-stop.json"_s)))
        .respondFile(200, testsupport::testDataPath(u"gcp/logging/entries-empty.json"_s));
    const QDateTime since = QDateTime::fromString(u"2026-12-07T10:00:00Z"_s, Qt::ISODate);
    std::optional<core::EvidenceResult> evidence;
    provider->evictionEvidence(auditVm(), since,
                               [&](const core::EvidenceResult &r) { evidence = r; });
    QTRY_VERIFY(evidence.has_value());
    QVERIFY2(evidence->call.ok(), qPrintable(evidence->call.errorMessage));
    QVERIFY(evidence->kind == core::EvidenceKind::Deliberate);
    QCOMPARE(evidence->caller, u"alice@example.com"_s);
    QCOMPARE(evidence->operation, u"v1.compute.instances.stop"_s);
    const auto posts = m_fake->requests("POST", kLoggingPath);
    QCOMPARE(posts.size(), 2);
    QCOMPARE(posts.at(0).header("Authorization"), QByteArray("Bearer test-token-1"));
    const QJsonObject first = posts.at(0).json().object();
    QVERIFY(
        first.value("filter"_L1)
            .toString()
            .contains(
                u"protoPayload.resourceName=\"projects/spot-demo-1/zones/europe-west1-b/instances/batch-7\""_s));
    QVERIFY(
        first.value("filter"_L1).toString().contains(u"timestamp>=\"2026-12-07T10:00:00.000Z\""_s));
    QCOMPARE(first.value("orderBy"_L1).toString(), u"timestamp desc"_s);
    QVERIFY(!first.contains("pageToken"_L1));
    QCOMPARE(posts.at(1).json().object().value("pageToken"_L1).toString(),
             u"EAA4suKu3qnLwbtrSg9wcm9qZWN0cy9zcG90LWRlbW8tMQ"_s);
}

void TestComputeCloudProvider::evidenceOfAPreemption()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kLoggingPath)
        .respondFile(200, testsupport::testDataPath(u"gcp/logging/entries-preempted.json"_s));
    std::optional<core::EvidenceResult> evidence;
    provider->evictionEvidence(auditVm(), {}, [&](const core::EvidenceResult &r) { evidence = r; });
    QTRY_VERIFY(evidence.has_value());
    QVERIFY(evidence->call.ok());
    QVERIFY(evidence->kind == core::EvidenceKind::Eviction);
    QCOMPARE(m_fake->requests("POST", kLoggingPath).size(), 1); // no token: one page
}

void TestComputeCloudProvider::evidenceReadFailures()
{
    auto provider = makeProvider(fastOptions());
    m_fake->route("POST", kLoggingPath)
        .enqueue(http::Response::json(
            403,
            R"({"error":{"code":403,"message":"Permission 'logging.logEntries.list' denied",)"
            R"("status":"PERMISSION_DENIED"}})"))
        .respond(200, QByteArray(R"({"entries": 5})"));
    std::optional<core::EvidenceResult> denied;
    provider->evictionEvidence(auditVm(), {}, [&](const core::EvidenceResult &r) { denied = r; });
    QTRY_VERIFY(denied.has_value());
    QVERIFY(denied->call.failure == FailureClass::Authorization);
    QVERIFY(denied->kind == core::EvidenceKind::None);
    std::optional<core::EvidenceResult> garbled;
    provider->evictionEvidence(auditVm(), {}, [&](const core::EvidenceResult &r) { garbled = r; });
    QTRY_VERIFY(garbled.has_value());
    QVERIFY(garbled->call.failure == FailureClass::Transient);
    QCOMPARE(garbled->call.errorCode, u"InvalidResponse"_s);
    // An Azure VM is refused without a request.
    core::VmRecord azure;
    azure.resourceId = u"/subscriptions/8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11/resourceGroups/rg/"
                       "providers/Microsoft.Compute/virtualMachines/vm"_s;
    std::optional<core::EvidenceResult> refused;
    provider->evictionEvidence(azure, {}, [&](const core::EvidenceResult &r) { refused = r; });
    QVERIFY(refused && refused->call.failure == FailureClass::Fatal);
    QCOMPARE(m_fake->requests("POST", kLoggingPath).size(), 2);
}

void TestComputeCloudProvider::evidenceForManyVmsInOneListing()
{
    ComputeOptions options = fastOptions();
    options.maxAuditPages = 1;
    auto provider = makeProvider(options);
    m_fake->route("POST", kLoggingPath)
        .respondFile(200, testsupport::testDataPath(u"gcp/logging/entries-user-stop.json"_s));
    core::VmRecord other = auditVm();
    other.resourceId = other.resourceKey =
        u"projects/spot-demo-1/zones/europe-west1-b/instances/batch-9"_s;
    std::optional<core::FleetEvidenceResult> fleet;
    provider->evictionEvidenceForVms(u"spot-demo-1"_s, {auditVm(), other}, {},
                                     [&](const core::FleetEvidenceResult &r) { fleet = r; });
    QTRY_VERIFY(fleet.has_value());
    QVERIFY(fleet->call.ok());
    QCOMPARE(fleet->pages, 1);
    QVERIFY(!fleet->complete); // the page bound cut the listing short
    QCOMPARE(fleet->byVm.size(), 1);
    QVERIFY(fleet->byVm.value(auditVm().resourceKey).kind == core::EvidenceKind::Deliberate);
    const QString filter = m_fake->requests("POST", kLoggingPath)
                               .constFirst()
                               .json()
                               .object()
                               .value("filter"_L1)
                               .toString();
    QVERIFY(!filter.contains(u"resourceName"_s)); // one listing for the whole project
}

QTEST_GUILESS_MAIN(TestComputeCloudProvider)
#include "tst_computecloudprovider.moc"
