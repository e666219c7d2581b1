// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Application Default Credentials beyond the service-account key (issue 15): gcloud's
// authorized_user file (the refresh grant against a fake token endpoint), the metadata
// server's token (against a fake metadata server, GCE_METADATA_HOST honoured), the order in
// which spotkeeperd picks one, and every failure path — with no secret in any error.
#include "gcp/authorizedusercredential.h"
#include "gcp/gcpcredentials.h"
#include "gcp/googlecredentialchain.h"
#include "gcp/metadataservercredential.h"
#include "support/base/manualclock.h"
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace spotkeeper;
using namespace spotkeeper::gcp;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kSecret = "d-FL95Q19q7MQmFpd7hHD0Ty";
const QByteArray kRefresh = "1//0gRefresh+Token/With=Odd&Chars";

QByteArray authorizedUserFile(const QString &tokenUri = {})
{
    QJsonObject object {
        {u"type"_s, u"authorized_user"_s},
        {u"client_id"_s,
         u"764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com"_s},
        {u"client_secret"_s, QString::fromLatin1(kSecret)},
        {u"refresh_token"_s, QString::fromLatin1(kRefresh)},
        {u"quota_project_id"_s, u"spot-fleet-1"_s},
    };
    if (!tokenUri.isEmpty())
        object.insert(u"token_uri"_s, tokenUri);
    return QJsonDocument(object).toJson();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

core::TokenResult request(core::AccessTokenSource &credential)
{
    std::optional<core::TokenResult> result;
    credential.requestToken([&](core::TokenResult r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15'000))
        return core::TokenResult::failure(u"no answer in 15 s"_s, false);
    return *result;
}

bool leaksASecret(const QString &text)
{
    return text.contains(QString::fromLatin1(kSecret)) || text.contains(u"1//0g"_s)
        || text.contains(u"ya29"_s) || text.contains(u"PRIVATE KEY"_s);
}

http::Response metadataAnswer(int status, const QByteArray &body)
{
    http::Response response = http::Response::json(status, body);
    response.headers.append(qMakePair(QByteArray("Metadata-Flavor"), QByteArray("Google")));
    return response;
}

} // namespace

class TestGoogleCredentialChain final : public QObject
{
    Q_OBJECT
private slots:
    void parsesAuthorizedUser();
    void authorizedUserRefusals_data();
    void authorizedUserRefusals();
    void refreshGrantAgainstAFakeEndpoint();
    void metadataServerToken();
    void metadataServerFailures();
    void metadataHostFromTheEnvironment();
    void chainOrder();
    void chainFailures();
};

void TestGoogleCredentialChain::parsesAuthorizedUser()
{
    QString error;
    const auto user = parseAuthorizedUser(authorizedUserFile(), &error);
    QVERIFY2(user, qPrintable(error));
    QVERIFY(user->clientId.endsWith(u".apps.googleusercontent.com"_s));
    QCOMPARE(user->clientSecret, kSecret);
    QCOMPARE(user->refreshToken, kRefresh);
    QCOMPARE(user->tokenUri, QString::fromLatin1(kDefaultTokenUri)); // gcloud writes none
    QCOMPARE(user->quotaProjectId, u"spot-fleet-1"_s);
    QCOMPARE(credentialFileType(authorizedUserFile()), u"authorized_user"_s);
    // The refresh grant: every value percent-encoded, '+' and '&' too.
    const QUrlQuery form(QString::fromLatin1(refreshTokenBody(*user)));
    QCOMPARE(form.queryItemValue(u"grant_type"_s), u"refresh_token"_s);
    QCOMPARE(form.queryItemValue(u"refresh_token"_s, QUrl::FullyDecoded),
             QString::fromLatin1(kRefresh));
    QCOMPARE(form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded),
             QString::fromLatin1(kSecret));
    QVERIFY(!refreshTokenBody(*user).contains('+'));
}

void TestGoogleCredentialChain::authorizedUserRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("names");
    QJsonObject base = QJsonDocument::fromJson(authorizedUserFile()).object();
    const auto without = [&](const QString &key) {
        QJsonObject o = base;
        o.remove(key);
        return QJsonDocument(o).toJson();
    };
    QJsonObject http = base;
    http.insert(u"token_uri"_s, u"http://example.com/token"_s);
    QJsonObject service = base;
    service.insert(u"type"_s, u"service_account"_s);
    QTest::newRow("not JSON") << QByteArray("{\"refresh_token\": \"1//0g") << u"JSON"_s;
    QTest::newRow("no secret") << without(u"client_secret"_s) << u"client_secret"_s;
    QTest::newRow("no refresh token") << without(u"refresh_token"_s) << u"refresh_token"_s;
    QTest::newRow("no client") << without(u"client_id"_s) << u"client_id"_s;
    QTest::newRow("plain http") << QJsonDocument(http).toJson() << u"token_uri"_s;
    QTest::newRow("other type") << QJsonDocument(service).toJson() << u"service_account"_s;
}

void TestGoogleCredentialChain::authorizedUserRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, names);
    QString error;
    QVERIFY(!parseAuthorizedUser(json, &error));
    QVERIFY2(error.contains(names), qPrintable(error));
    QVERIFY2(!leaksASecret(error), qPrintable(error));
}

void TestGoogleCredentialChain::refreshGrantAgainstAFakeEndpoint()
{
    auto owned = std::make_unique<testsupport::FakeHttpServer>();
    testsupport::FakeHttpServer &server = *owned;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    bool revoked = false;
    server.route("POST", "/token").respondWith([&](const testsupport::RecordedRequest &r) {
        const QUrlQuery form(QString::fromLatin1(r.body));
        if (revoked || form.queryItemValue(u"grant_type"_s) != "refresh_token"_L1
            || form.queryItemValue(u"refresh_token"_s, QUrl::FullyDecoded)
                != QString::fromLatin1(kRefresh)
            || form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded)
                != QString::fromLatin1(kSecret))
            return http::Response::json(
                400,
                R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})");
        return http::Response::json(
            200,
            R"({"access_token":"ya29.user-token","expires_in":3599,"token_type":"Bearer",)"
            R"("scope":"https://www.googleapis.com/auth/cloud-platform"})");
    });
    auto user = parseAuthorizedUser(authorizedUserFile(server.url(u"/token"_s).toString()), &error);
    QVERIFY2(user, qPrintable(error));
    testsupport::ManualClock clock;
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    AuthorizedUserCredential credential(*user, &network, clock);
    QCOMPARE(credential.sourceName(), u"gcp-authorized-user"_s);
    QVERIFY(!leaksASecret(credential.principal()));

    core::TokenResult result = request(credential);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.token.token, QByteArray("ya29.user-token"));
    QCOMPARE(result.token.expiresOn, clock.nowUtc().addSecs(3599));
    QCOMPARE(server.requests("POST", "/token").constFirst().header("Content-Type"),
             QByteArray("application/x-www-form-urlencoded"));
    // Cached until five minutes before it expires, then refreshed.
    clock.advanceMSecs(qint64(3000) * 1000);
    QVERIFY(request(credential).ok());
    QCOMPARE(server.count("POST", "/token"), 1);
    clock.advanceMSecs(qint64(400) * 1000);
    QVERIFY(request(credential).ok());
    QCOMPARE(server.count("POST", "/token"), 2);

    // Revoked: fatal, Google's code shown, neither secret nor token in the message.
    revoked = true;
    credential.invalidate();
    result = request(credential);
    QVERIFY(!result.ok());
    QVERIFY(result.fatal);
    QCOMPARE(result.errorCode, u"invalid_grant"_s);
    QVERIFY2(!leaksASecret(result.error), qPrintable(result.error));
    QVERIFY(!result.error.contains(u"expired or revoked"_s)); // the description is not echoed

    // The endpoint gone: not fatal (retried), and still nothing secret.
    owned.reset();
    credential.invalidate();
    result = request(credential);
    QVERIFY(!result.ok());
    QVERIFY(!result.fatal);
    QVERIFY2(result.error.contains(u"unreachable"_s), qPrintable(result.error));
    QVERIFY2(!leaksASecret(result.error), qPrintable(result.error));
}

void TestGoogleCredentialChain::metadataServerToken()
{
    testsupport::FakeHttpServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QByteArray path = "/computeMetadata/v1/instance/service-accounts/default/token";
    server.route("GET", path).respondWith([](const testsupport::RecordedRequest &r) {
        if (r.header("Metadata-Flavor") != "Google")
            return metadataAnswer(403, "Missing Metadata-Flavor:Google header.");
        return metadataAnswer(
            200, R"({"access_token":"ya29.c.vm-token","expires_in":1799,"token_type":"Bearer"})");
    });
    testsupport::ManualClock clock;
    MetadataServerCredential credential(server.url(u"/"_s), clock);
    QCOMPARE(credential.sourceName(), u"gcp-metadata-server"_s);
    core::TokenResult result = request(credential);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.token.token, QByteArray("ya29.c.vm-token"));
    QCOMPARE(result.token.expiresOn, clock.nowUtc().addSecs(1799));
    QCOMPARE(server.requests("GET", path).constFirst().header("Metadata-Flavor"),
             QByteArray("Google"));
    QVERIFY(request(credential).ok()); // cached
    QCOMPARE(server.count("GET", path), 1);
    clock.advanceMSecs(qint64(1600) * 1000);
    QVERIFY(request(credential).ok());
    QCOMPARE(server.count("GET", path), 2);
}

void TestGoogleCredentialChain::metadataServerFailures()
{
    testsupport::ManualClock clock;
    // Nothing listens: not on Compute Engine, Unavailable.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    MetadataServerCredential nowhere(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), clock);
    core::TokenResult result = request(nowhere);
    QCOMPARE(result.status, core::TokenResult::Status::Unavailable);
    QVERIFY2(result.error.contains(u"not on Compute Engine"_s), qPrintable(result.error));

    testsupport::FakeHttpServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QByteArray path = "/computeMetadata/v1/instance/service-accounts/default/token";
    // Some other web server (no Metadata-Flavor on the answer): not a metadata server.
    server.route("GET", path)
        .enqueue(http::Response::json(
            200, R"({"access_token":"ya29.fake","expires_in":100,"token_type":"Bearer"})"))
        .enqueue(metadataAnswer(404, "Not Found"))
        .enqueue(metadataAnswer(500, R"({"error":"internal"})"));
    MetadataServerCredential credential(server.url(u"/"_s), clock);
    result = request(credential);
    QCOMPARE(result.status, core::TokenResult::Status::Unavailable);
    QVERIFY2(result.error.contains(u"Metadata-Flavor"_s), qPrintable(result.error));
    // A VM without a service account: fatal.
    result = request(credential);
    QCOMPARE(result.status, core::TokenResult::Status::Failed);
    QVERIFY(result.fatal);
    QCOMPARE(result.httpStatus, 404);
    // A server error: retried later (not fatal).
    result = request(credential);
    QCOMPARE(result.status, core::TokenResult::Status::Failed);
    QVERIFY(!result.fatal);
    QVERIFY2(!leaksASecret(result.error), qPrintable(result.error));
}

void TestGoogleCredentialChain::metadataHostFromTheEnvironment()
{
    QProcessEnvironment env;
    QCOMPARE(MetadataServerCredential::baseFrom(env), QUrl(u"http://metadata.google.internal"_s));
    env.insert(u"GCE_METADATA_HOST"_s, u"127.0.0.1:8321"_s);
    QCOMPARE(MetadataServerCredential::baseFrom(env), QUrl(u"http://127.0.0.1:8321"_s));
    testsupport::ManualClock clock;
    MetadataServerCredential credential(MetadataServerCredential::baseFrom(env), clock);
    QCOMPARE(
        credential.tokenUrl(),
        QUrl(
            u"http://127.0.0.1:8321/computeMetadata/v1/instance/service-accounts/default/token"_s));
}

void TestGoogleCredentialChain::chainOrder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString gcloudDir = dir.filePath(u"gcloud"_s);
    QVERIFY(QDir().mkpath(gcloudDir));
    QVERIFY(
        writeFile(gcloudDir + u"/application_default_credentials.json"_s, authorizedUserFile()));
    const QString keyPath = testsupport::testDataPath(u"gcp/test-service-account.json"_s);
    testsupport::ManualClock clock;
    QNetworkAccessManager network;
    GoogleCredentialSetup setup;
    setup.scopes = {QString::fromLatin1(kComputeScope)};
    QString error;
    const auto pick = [&](const QProcessEnvironment &env) {
        error.clear();
        auto choice = chooseGoogleCredential(setup, env, &network, clock, &error);
        std::unique_ptr<core::AccessTokenSource> owned(choice ? choice->credential : nullptr);
        return std::pair {choice.has_value() && owned ? owned->sourceName() : QString(),
                          choice ? choice->from : QString()};
    };
    QProcessEnvironment env;
    env.insert(u"CLOUDSDK_CONFIG"_s, gcloudDir);
    // 1. GOOGLE_APPLICATION_CREDENTIALS before gcloud's file.
    env.insert(u"GOOGLE_APPLICATION_CREDENTIALS"_s, keyPath);
    QCOMPARE(pick(env).first, u"gcp-service-account"_s);
    QVERIFY(pick(env).second.startsWith(u"GOOGLE_APPLICATION_CREDENTIALS"_s));
    // 0. [gcp] credentials_file before both (here gcloud's own file, named on purpose).
    setup.configuredFile = gcloudDir + u"/application_default_credentials.json"_s;
    QCOMPARE(pick(env).first, u"gcp-authorized-user"_s);
    QVERIFY(pick(env).second.startsWith(u"[gcp] credentials_file"_s));
    setup.configuredFile.clear();
    // 2. gcloud's application-default credentials file.
    env.remove(u"GOOGLE_APPLICATION_CREDENTIALS"_s);
    QCOMPARE(pick(env).first, u"gcp-authorized-user"_s);
    QVERIFY(pick(env).second.startsWith(u"gcloud application-default credentials"_s));
    // 3. No file: the metadata server, only when Google Cloud is wanted or its host named.
    env.insert(u"CLOUDSDK_CONFIG"_s, dir.filePath(u"empty"_s));
    QCOMPARE(pick(env).first, QString()); // Google Cloud off, no error
    QVERIFY(error.isEmpty());
    setup.wanted = true;
    QCOMPARE(pick(env).first, u"gcp-metadata-server"_s);
    QVERIFY(pick(env).second.contains(u"metadata.google.internal"_s));
    setup.wanted = false;
    env.insert(u"GCE_METADATA_HOST"_s, u"127.0.0.1:9"_s);
    QCOMPARE(pick(env).first, u"gcp-metadata-server"_s);
    QVERIFY(pick(env).second.contains(u"127.0.0.1:9"_s));
}

void TestGoogleCredentialChain::chainFailures()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString broken = dir.filePath(u"broken.json"_s);
    QJsonObject noRefresh = QJsonDocument::fromJson(authorizedUserFile()).object();
    noRefresh.remove(u"refresh_token"_s);
    QVERIFY(writeFile(broken, QJsonDocument(noRefresh).toJson()));
    testsupport::ManualClock clock;
    QNetworkAccessManager network;
    GoogleCredentialSetup setup;
    QProcessEnvironment env;
    env.insert(u"CLOUDSDK_CONFIG"_s, dir.filePath(u"none"_s));
    QString error;
    // The configured file must work: an error naming the file and the field.
    setup.configuredFile = broken;
    QVERIFY(!chooseGoogleCredential(setup, env, &network, clock, &error));
    QVERIFY2(error.contains(broken) && error.contains(u"refresh_token"_s), qPrintable(error));
    QVERIFY2(!leaksASecret(error), qPrintable(error));
    setup.configuredFile = dir.filePath(u"missing.json"_s);
    QVERIFY(!chooseGoogleCredential(setup, env, &network, clock, &error));
    QVERIFY2(error.contains(u"cannot read"_s), qPrintable(error));
    // One the environment names, or gcloud's: a warning, Google Cloud off, no error.
    setup.configuredFile.clear();
    env.insert(u"GOOGLE_APPLICATION_CREDENTIALS"_s, broken);
    error.clear();
    auto choice = chooseGoogleCredential(setup, env, &network, clock, &error);
    QVERIFY(choice && !choice->credential && error.isEmpty());
    QVERIFY2(choice->warning.contains(u"refresh_token"_s), qPrintable(choice->warning));
    QVERIFY(!leaksASecret(choice->warning));
    env.remove(u"GOOGLE_APPLICATION_CREDENTIALS"_s);
    QVERIFY(QDir().mkpath(dir.filePath(u"gcloud"_s)));
    QVERIFY(writeFile(dir.filePath(u"gcloud/application_default_credentials.json"_s),
                      QJsonDocument(noRefresh).toJson()));
    env.insert(u"CLOUDSDK_CONFIG"_s, dir.filePath(u"gcloud"_s));
    setup.wanted = true; // a broken gcloud file is not skipped for the metadata server
    choice = chooseGoogleCredential(setup, env, &network, clock, &error);
    QVERIFY(choice && !choice->credential && !choice->warning.isEmpty());
}

QTEST_MAIN(TestGoogleCredentialChain)
#include "tst_googlecredentialchain.moc"
