// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/chainedcredential.h"
#include "azure/clientsecretcredential.h"
#include "azure/managedidentitycredential.h"
#include "support/base/manualclock.h"
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUrlQuery>

#include <optional>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;
using spotkeeper::testsupport::ManualClock;
using testsupport::FakeHttpServer;

namespace {
const QByteArray kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const QByteArray kTokenPath = "/" + kTenant + "/oauth2/v2.0/token";
const QString kSecret = u"s3cr3t+va/ue&x=%41 y"_s; // characters that need form encoding

struct TokenWaiter
{
    std::optional<TokenResult> value;
    std::function<void(TokenResult)> callback()
    {
        return [this](TokenResult r) {
            value = std::move(r);
        };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return value.has_value(); }, 10'000);
    }
};

AzureCloud cloudAt(const FakeHttpServer &entra)
{
    AzureCloud cloud = AzureCloud::publicCloud();
    cloud.authorityHost = entra.baseUrl();
    return cloud;
}

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}
} // namespace

// Environment (client secret), managed identity and the chain with its cache, against real
// HTTP fakes of Entra ID and IMDS on 127.0.0.1.
class TestCredentials : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void clientSecretFormRequest();
    void clientSecretMissingVariablesIsUnavailable();
    void clientSecretBadTenantRefused();
    void clientSecretInvalidSecretIsFatal();
    void chainCachesAndRefreshesAt80Percent();
    void chainCoalescesConcurrentRequests();
    void chainInvalidateForcesRefresh();
    void chainKeepsValidTokenWhenEarlyRefreshFails();
    void chainFallsThroughToManagedIdentity();
    void chainStopsAtConfiguredFailingSource();
    void chainNothingAvailable();
    void managedIdentityStringNumbers();
    void managedIdentityRetriesRetryableStatuses();
    void managedIdentityDoesNotRetry400();
    void managedIdentityUnreachableIsUnavailable();

private:
    std::unique_ptr<FakeHttpServer> m_entra;
    std::unique_ptr<FakeHttpServer> m_imds;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestCredentials::init()
{
    m_entra = std::make_unique<FakeHttpServer>();
    m_imds = std::make_unique<FakeHttpServer>();
    QVERIFY(m_entra->start());
    QVERIFY(m_imds->start());
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestCredentials::cleanup()
{
    m_network.reset();
    m_imds.reset();
    m_entra.reset();
}

void TestCredentials::clientSecretFormRequest()
{
    m_entra->route("POST", kTokenPath)
        .respondFixture(200, u"entra/token-v2-client-credentials-response-doc.json"_s);
    ManualClock clock;
    ClientSecretCredential credential(QString::fromLatin1(kTenant), u"app-id-1"_s, kSecret.toUtf8(),
                                      cloudAt(*m_entra), m_network.get(), clock);
    TokenWaiter w;
    credential.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->ok(), qPrintable(w.value->error));
    QCOMPARE(w.value->token.expiresOn, clock.nowUtc().addSecs(3599));
    const auto request = m_entra->last();
    QVERIFY(request.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    const QUrlQuery form(QString::fromLatin1(request.body));
    QCOMPARE(form.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded), u"client_credentials"_s);
    QCOMPARE(form.queryItemValue(u"client_id"_s, QUrl::FullyDecoded), u"app-id-1"_s);
    QCOMPARE(form.queryItemValue(u"scope"_s, QUrl::FullyDecoded),
             u"https://management.azure.com/.default"_s);
    QCOMPARE(form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded), kSecret);
    QVERIFY(!request.body.contains('+')); // '+' would decode as a space
    QCOMPARE(credential.sourceName(), u"environment"_s);
    QVERIFY(credential.principal().contains("app-id-1"_L1));
    QVERIFY(!credential.principal().contains(kSecret));
}

void TestCredentials::clientSecretMissingVariablesIsUnavailable()
{
    QProcessEnvironment env;
    env.insert(u"AZURE_TENANT_ID"_s, QString::fromLatin1(kTenant));
    env.insert(u"AZURE_CLIENT_ID"_s, u"app"_s);
    std::unique_ptr<ClientSecretCredential> credential(ClientSecretCredential::fromEnvironment(
        env, cloudAt(*m_entra), m_network.get(), base::systemClock()));
    TokenWaiter w;
    credential->requestToken(w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.value->status, TokenResult::Status::Unavailable);
    QVERIFY2(w.value->error.contains("AZURE_CLIENT_SECRET"_L1), qPrintable(w.value->error));
    QCOMPARE(m_entra->count(), 0);
}

void TestCredentials::clientSecretBadTenantRefused()
{
    ClientSecretCredential credential(u"../evil?x="_s, u"app"_s, "secret", cloudAt(*m_entra),
                                      m_network.get(), base::systemClock());
    TokenWaiter w;
    credential.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY(w.value->fatal);
    QVERIFY(w.value->error.contains("AZURE_TENANT_ID"_L1));
    QCOMPARE(m_entra->count(), 0);
}

void TestCredentials::clientSecretInvalidSecretIsFatal()
{
    m_entra->route("POST", kTokenPath)
        .respond(
            401,
            R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215],"trace_id":"t","correlation_id":"c"})");
    ClientSecretCredential credential(QString::fromLatin1(kTenant), u"app"_s, kSecret.toUtf8(),
                                      cloudAt(*m_entra), m_network.get(), base::systemClock());
    TokenWaiter w;
    credential.requestToken(w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.value->status, TokenResult::Status::Failed);
    QVERIFY(w.value->fatal);
    QCOMPARE(w.value->errorCode, u"AADSTS7000215"_s);
    QVERIFY(!w.value->error.contains(kSecret));
    QCOMPARE(m_entra->count(), 1); // fatal configuration errors are not retried
}

void TestCredentials::chainCachesAndRefreshesAt80Percent()
{
    m_entra->route("POST", kTokenPath)
        .respondFixture(200, u"entra/token-v2-client-credentials-response-doc.json"_s);
    ManualClock clock;
    auto *source = new ClientSecretCredential(QString::fromLatin1(kTenant), u"app"_s, "secret",
                                              cloudAt(*m_entra), m_network.get(), clock);
    ChainedCredential chain({source}, clock);
    QCOMPARE(chain.sourceName(), u"none"_s);
    TokenWaiter first;
    chain.requestToken(first.callback());
    QVERIFY(first.wait());
    QVERIFY(first.value->ok());
    QCOMPARE(m_entra->count(), 1);
    QCOMPARE(chain.sourceName(), u"environment"_s);
    const QDateTime obtained = clock.nowUtc();
    QCOMPARE(chain.refreshAt(), obtained.addMSecs(3599 * 800)); // 80% of expires_in

    clock.advanceMSecs(3599 * 790); // 79%: still cached, answered synchronously
    TokenWaiter cached;
    chain.requestToken(cached.callback());
    QVERIFY(cached.value.has_value());
    QCOMPARE(m_entra->count(), 1);

    clock.set(chain.refreshAt());
    TokenWaiter refreshed;
    chain.requestToken(refreshed.callback());
    QVERIFY(refreshed.wait());
    QVERIFY(refreshed.value->ok());
    QCOMPARE(m_entra->count(), 2);
    QCOMPARE(chain.refreshAt(), clock.nowUtc().addMSecs(3599 * 800));
}

void TestCredentials::chainCoalescesConcurrentRequests()
{
    m_entra->route("POST", kTokenPath)
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s)
        .delay(50);
    auto *source =
        new ClientSecretCredential(QString::fromLatin1(kTenant), u"app"_s, "secret",
                                   cloudAt(*m_entra), m_network.get(), base::systemClock());
    ChainedCredential chain({source}, base::systemClock());
    TokenWaiter a, b, c;
    chain.requestToken(a.callback());
    chain.requestToken(b.callback());
    chain.requestToken(c.callback());
    QVERIFY(a.wait() && b.wait() && c.wait());
    QCOMPARE(m_entra->count(), 1);
    QCOMPARE(c.value->token.token, QByteArray("access_token"));
}

void TestCredentials::chainInvalidateForcesRefresh()
{
    m_entra->route("POST", kTokenPath)
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    auto *source =
        new ClientSecretCredential(QString::fromLatin1(kTenant), u"app"_s, "secret",
                                   cloudAt(*m_entra), m_network.get(), base::systemClock());
    ChainedCredential chain({source}, base::systemClock());
    TokenWaiter a;
    chain.requestToken(a.callback());
    QVERIFY(a.wait());
    chain.invalidate();
    QVERIFY(!chain.refreshAt().isValid());
    TokenWaiter b;
    chain.requestToken(b.callback());
    QVERIFY(b.wait());
    QCOMPARE(m_entra->count(), 2);
}

void TestCredentials::chainKeepsValidTokenWhenEarlyRefreshFails()
{
    m_entra->route("POST", kTokenPath)
        .enqueueFixture(200, u"entra/token-v2-client-credentials-response-doc.json"_s)
        .respond(503, R"({"error":"temporarily_unavailable"})");
    ManualClock clock;
    auto *source = new ClientSecretCredential(QString::fromLatin1(kTenant), u"app"_s, "secret",
                                              cloudAt(*m_entra), m_network.get(), clock);
    ChainedCredential chain({source}, clock);
    TokenWaiter first;
    chain.requestToken(first.callback());
    QVERIFY(first.wait());
    clock.advanceMSecs(3000'000); // past 80% of 3599 s, 599 s left
    TokenWaiter second;
    chain.requestToken(second.callback());
    QVERIFY(second.wait());
    QVERIFY(second.value->ok()); // the refresh failed, the still-valid token is served
    QCOMPARE(second.value->token.token, first.value->token.token);
    QCOMPARE(m_entra->count(), 2);
    QVERIFY(chain.lastError().contains("503"_L1));
    clock.advanceMSecs(560'000); // 39 s left: no longer worth handing out
    TokenWaiter third;
    chain.requestToken(third.callback());
    QVERIFY(third.wait());
    QVERIFY(!third.value->ok());
    QCOMPARE(m_entra->count(), 3);
}

void TestCredentials::chainFallsThroughToManagedIdentity()
{
    m_imds->route("GET", "/metadata/identity/oauth2/token")
        .respondFixture(200, u"imds/identity-oauth2-token-response.json"_s);
    CredentialOptions options;
    options.azProgram = u"/nonexistent/dir/az"_s;
    options.imdsEndpoint = m_imds->baseUrl();
    std::unique_ptr<ChainedCredential> chain(
        ChainedCredential::createDefault(AzureCloud::publicCloud(), QProcessEnvironment(),
                                         m_network.get(), base::systemClock(), options));
    QSignalSpy selected(chain.get(), &ChainedCredential::sourceSelected);
    TokenWaiter w;
    chain->requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->ok(), qPrintable(w.value->error));
    QCOMPARE(chain->sourceName(), u"managed-identity"_s);
    QCOMPARE(chain->principal(), u"system-assigned identity"_s);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(m_entra->count(), 0);
    const auto request = m_imds->last();
    QCOMPARE(request.header("Metadata"), QByteArray("true"));
    QCOMPARE(request.queryItem(u"api-version"_s), u"2018-02-01"_s);
    QCOMPARE(request.queryItem(u"resource"_s), u"https://management.azure.com/"_s);
}

void TestCredentials::chainStopsAtConfiguredFailingSource()
{
    m_entra->route("POST", kTokenPath)
        .respond(401, R"({"error":"invalid_client","error_codes":[7000222]})");
    m_imds->route("GET", "/metadata/identity/oauth2/token")
        .respondFixture(200, u"imds/identity-oauth2-token-response.json"_s);
    QProcessEnvironment env;
    env.insert(u"AZURE_TENANT_ID"_s, QString::fromLatin1(kTenant));
    env.insert(u"AZURE_CLIENT_ID"_s, u"app"_s);
    env.insert(u"AZURE_CLIENT_SECRET"_s, kSecret);
    CredentialOptions options;
    options.azProgram = u"/nonexistent/dir/az"_s;
    options.imdsEndpoint = m_imds->baseUrl();
    std::unique_ptr<ChainedCredential> chain(ChainedCredential::createDefault(
        cloudAt(*m_entra), env, m_network.get(), base::systemClock(), options));
    TokenWaiter w;
    chain->requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.value->ok());
    QVERIFY(w.value->fatal);
    QVERIFY(chain->lastError().contains("AADSTS7000222"_L1));
    QVERIFY(!chain->lastError().contains(kSecret));
    QCOMPARE(m_imds->count(), 0); // a broken secret is reported, not papered over
}

void TestCredentials::chainNothingAvailable()
{
    CredentialOptions options;
    options.azProgram = u"/nonexistent/dir/az"_s;
    options.imdsEndpoint = QUrl(u"http://127.0.0.1:%1"_s.arg(closedPort()));
    std::unique_ptr<ChainedCredential> chain(
        ChainedCredential::createDefault(AzureCloud::publicCloud(), QProcessEnvironment(),
                                         m_network.get(), base::systemClock(), options));
    TokenWaiter w;
    chain->requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.value->ok());
    QVERIFY(w.value->fatal);
    // One clear message naming each source's reason.
    QVERIFY2(w.value->error.contains("AZURE_TENANT_ID"_L1), qPrintable(w.value->error));
    QVERIFY(w.value->error.contains("Azure CLI not found"_L1));
    QVERIFY(w.value->error.contains("managed identity unavailable"_L1));
}

void TestCredentials::managedIdentityStringNumbers()
{
    m_imds->route("GET", "/metadata/identity/oauth2/token")
        .respondFixture(200, u"imds/identity-oauth2-token-response.json"_s);
    ManagedIdentityCredential mi(AzureCloud::usGovernment(), base::systemClock());
    mi.setEndpoint(m_imds->baseUrl());
    mi.setClientId(u"user-assigned-1"_s);
    TokenWaiter w;
    mi.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY(w.value->ok());
    QCOMPARE(w.value->token.expiresOn, QDateTime::fromSecsSinceEpoch(1'506'484'173, Qt::UTC));
    QCOMPARE(m_imds->last().queryItem(u"resource"_s), u"https://management.usgovcloudapi.net/"_s);
    QCOMPARE(m_imds->last().queryItem(u"client_id"_s), u"user-assigned-1"_s);
    QVERIFY(mi.principal().contains("user-assigned-1"_L1));
}

void TestCredentials::managedIdentityRetriesRetryableStatuses()
{
    m_imds->route("GET", "/metadata/identity/oauth2/token")
        .enqueue(500, R"({"error":"unknown"})")
        .enqueue(429, R"({"error":"too_many_requests"})")
        .enqueue(410, "{}")
        .enqueue(404, "{}")
        .respondFixture(200, u"imds/identity-oauth2-token-response.json"_s);
    ManagedIdentityCredential mi(AzureCloud::publicCloud(), base::systemClock());
    mi.setEndpoint(m_imds->baseUrl());
    mi.setRetryDelaysMs({5, 5, 5, 5});
    TokenWaiter w;
    mi.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->ok(), qPrintable(w.value->error));
    QCOMPARE(m_imds->count(), 5);

    // Retries are bounded by the delay list.
    m_imds->clearRoutes();
    m_imds->clearRequests();
    m_imds->route("GET", "/metadata/identity/oauth2/token").respond(503, "{}");
    mi.setRetryDelaysMs({5, 5});
    TokenWaiter exhausted;
    mi.requestToken(exhausted.callback());
    QVERIFY(exhausted.wait());
    QVERIFY(!exhausted.value->ok());
    QVERIFY(!exhausted.value->fatal);
    QCOMPARE(m_imds->count(), 3);
}

void TestCredentials::managedIdentityDoesNotRetry400()
{
    m_imds->route("GET", "/metadata/identity/oauth2/token")
        .respond(400, R"({"error":"invalid_resource","error_description":"AADSTS500011"})");
    ManagedIdentityCredential mi(AzureCloud::publicCloud(), base::systemClock());
    mi.setEndpoint(m_imds->baseUrl());
    mi.setRetryDelaysMs({5, 5, 5});
    TokenWaiter w;
    mi.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.value->ok());
    QVERIFY(w.value->fatal);
    QCOMPARE(w.value->httpStatus, 400);
    QCOMPARE(m_imds->count(), 1);
}

void TestCredentials::managedIdentityUnreachableIsUnavailable()
{
    ManagedIdentityCredential mi(AzureCloud::publicCloud(), base::systemClock());
    mi.setEndpoint(QUrl(u"http://127.0.0.1:%1"_s.arg(closedPort())));
    mi.setRetryDelaysMs({5, 5});
    TokenWaiter w;
    mi.requestToken(w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.value->status, TokenResult::Status::Unavailable);
}

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
