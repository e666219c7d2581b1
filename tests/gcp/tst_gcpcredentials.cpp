// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Google Cloud credentials: the service-account key file, the RS256 JWT grant (verified here
// with the public half of a key made for the test), the token answer, the Application Default
// Credentials order, and ServiceAccountCredential against a fake token endpoint (real HTTP on
// 127.0.0.1) that verifies each grant with that public key.
#include "gcp/gcpcredentials.h"
#include "gcp/serviceaccountcredential.h"
#include "support/base/manualclock.h"
#include "support/http/fakehttpserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTest>
#include <QUrlQuery>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace spotkeeper;
using namespace spotkeeper::gcp;
using namespace Qt::StringLiterals;

namespace {

// Owns its EVP_PKEY: neither copied nor moved, so it is freed exactly once.
struct Key
{
    EVP_PKEY *pkey = nullptr;
    QByteArray pem;
    Key() = default;
    Key(const Key &) = delete;
    Key &operator=(const Key &) = delete;
    Key(Key &&) = delete;
    Key &operator=(Key &&) = delete;
    ~Key() { EVP_PKEY_free(pkey); }
};

// A fresh key of the given type in PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), as Google
// writes it into key files.
void makeKey(Key *key, bool rsa)
{
    key->pkey = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key->pkey, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    key->pem = QByteArray(data, qsizetype(size));
    BIO_free(bio);
}

QByteArray keyFile(const QByteArray &pem, const QString &type = u"service_account"_s,
                   const QString &tokenUri = u"https://oauth2.googleapis.com/token"_s)
{
    return QJsonDocument(
               QJsonObject {
                   {u"type"_s, type},
                   {u"project_id"_s, u"spot-fleet-1"_s},
                   {u"private_key_id"_s, u"0123456789abcdef"_s},
                   {u"private_key"_s, QString::fromLatin1(pem)},
                   {u"client_email"_s, u"spotkeeper@spot-fleet-1.iam.gserviceaccount.com"_s},
                   {u"token_uri"_s, tokenUri},
               })
        .toJson();
}

core::TokenResult request(ServiceAccountCredential &credential)
{
    std::optional<core::TokenResult> result;
    credential.requestToken([&](core::TokenResult r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15'000))
        return core::TokenResult::failure(u"no answer in 15 s"_s, false);
    return *result;
}

QJsonObject part(const QByteArray &jwt, int index)
{
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(jwt.split('.').at(index), QByteArray::Base64UrlEncoding))
        .object();
}

bool verifies(EVP_PKEY *pkey, const QByteArray &jwt)
{
    const qsizetype dot = jwt.lastIndexOf('.');
    const QByteArray input = jwt.left(dot);
    const QByteArray signature =
        QByteArray::fromBase64(jwt.mid(dot + 1), QByteArray::Base64UrlEncoding);
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, pkey) == 1
        && EVP_DigestVerify(context, reinterpret_cast<const unsigned char *>(signature.constData()),
                            size_t(signature.size()),
                            reinterpret_cast<const unsigned char *>(input.constData()),
                            size_t(input.size()))
            == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

} // namespace

class TestGcpCredentials final : public QObject
{
    Q_OBJECT
private slots:
    void signsAVerifiableGrant();
    void keyFileRefusals_data();
    void keyFileRefusals();
    void unusableKeys();
    void tokenResponse();
    void adcOrder();
    void tokenSourceGrantVerifiedCachedAndRefused();
};

void TestGcpCredentials::signsAVerifiableGrant()
{
    Key rsa;
    makeKey(&rsa, true);
    QString error;
    const auto key = parseServiceAccountKey(keyFile(rsa.pem), &error);
    QVERIFY2(key, qPrintable(error));
    QCOMPARE(key->clientEmail, u"spotkeeper@spot-fleet-1.iam.gserviceaccount.com"_s);
    QCOMPARE(key->projectId, u"spot-fleet-1"_s);
    const QDateTime now = QDateTime(QDate(2026, 12, 7), QTime(6, 0), Qt::UTC);
    const QByteArray jwt =
        signJwtGrant(*key, {QString::fromLatin1(kComputeScope)}, now, 3600, &error);
    QVERIFY2(!jwt.isEmpty(), qPrintable(error));
    QCOMPARE(jwt.count('.'), 2);
    QVERIFY(!jwt.contains('=')); // base64url without padding
    QVERIFY(verifies(rsa.pkey, jwt)); // the public half accepts it
    QByteArray tampered = jwt;
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    QVERIFY(!verifies(rsa.pkey, tampered));

    const QJsonObject header = part(jwt, 0);
    QCOMPARE(header.value("alg"_L1).toString(), u"RS256"_s);
    QCOMPARE(header.value("typ"_L1).toString(), u"JWT"_s);
    QCOMPARE(header.value("kid"_L1).toString(), u"0123456789abcdef"_s);
    const QJsonObject claims = part(jwt, 1);
    QCOMPARE(claims.value("iss"_L1).toString(), key->clientEmail);
    QCOMPARE(claims.value("aud"_L1).toString(), u"https://oauth2.googleapis.com/token"_s);
    QCOMPARE(claims.value("scope"_L1).toString(), u"https://www.googleapis.com/auth/compute"_s);
    QCOMPARE(claims.value("iat"_L1).toInteger(), now.toSecsSinceEpoch());
    QCOMPARE(claims.value("exp"_L1).toInteger(), now.toSecsSinceEpoch() + 3600);

    const QUrlQuery form(QString::fromLatin1(jwtGrantBody(jwt)));
    QCOMPARE(form.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded),
             u"urn:ietf:params:oauth:grant-type:jwt-bearer"_s);
    QCOMPARE(form.queryItemValue(u"assertion"_s, QUrl::FullyDecoded).toLatin1(), jwt);
}

void TestGcpCredentials::keyFileRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QByteArray pem = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n"
                           "-----END PRIVATE KEY-----\n";
    const auto without = [&](const QString &field) {
        QJsonObject object = QJsonDocument::fromJson(keyFile(pem)).object();
        object.remove(field);
        return QJsonDocument(object).toJson();
    };
    QTest::newRow("not JSON") << QByteArray("type=service_account") << u"not a JSON object"_s;
    QTest::newRow("gcloud user credentials")
        << keyFile(pem, u"authorized_user"_s)
        << u"\"type\" is \"authorized_user\", not \"service_account\""_s;
    QTest::newRow("no email") << without(u"client_email"_s)
                              << u"\"client_email\" is missing or not a string"_s;
    QTest::newRow("no key id") << without(u"private_key_id"_s)
                               << u"\"private_key_id\" is missing or not a string"_s;
    QTest::newRow("no key") << without(u"private_key"_s)
                            << u"\"private_key\" is missing or not a PEM private key"_s;
    QJsonObject plainHttp = QJsonDocument::fromJson(keyFile(pem)).object();
    plainHttp.insert(u"token_uri"_s, u"http://evil.example/token"_s);
    QTest::newRow("token uri over http")
        << QJsonDocument(plainHttp).toJson() << u"\"token_uri\" must be an https URL"_s;
}

void TestGcpCredentials::keyFileRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString got;
    QVERIFY(!parseServiceAccountKey(json, &got));
    QCOMPARE(got, error);
    QVERIFY(!got.contains("c2VjcmV0"_L1)); // never the key material
}

void TestGcpCredentials::unusableKeys()
{
    Key ec;
    makeKey(&ec, false);
    QString error;
    auto key = parseServiceAccountKey(keyFile(ec.pem), &error);
    QVERIFY2(key, qPrintable(error));
    QVERIFY(signJwtGrant(*key, {}, QDateTime::currentDateTimeUtc(), 3600, &error).isEmpty());
    QCOMPARE(error, u"the private key cannot be read as an RSA key"_s);
    key->privateKeyPem =
        "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n";
    QVERIFY(signJwtGrant(*key, {}, QDateTime::currentDateTimeUtc(), 3600, &error).isEmpty());
    QCOMPARE(error, u"the private key cannot be read as an RSA key"_s);
    Key rsa;
    makeKey(&rsa, true);
    key = parseServiceAccountKey(keyFile(rsa.pem), &error);
    QVERIFY(signJwtGrant(*key, {}, QDateTime::currentDateTimeUtc(), 3601, &error).isEmpty());
    QCOMPARE(error, u"the assertion may live at most 3600 s"_s);
}

void TestGcpCredentials::tokenResponse()
{
    const QDateTime now = QDateTime(QDate(2026, 12, 7), QTime(6, 0), Qt::UTC);
    QString error;
    const auto token = parseTokenResponse(
        R"({"access_token":"ya29.c.abc","expires_in":3599,"token_type":"Bearer"})", now, &error);
    QVERIFY2(token, qPrintable(error));
    QCOMPARE(token->token, QByteArray("ya29.c.abc"));
    QCOMPARE(token->expiresAt, now.addSecs(3599));
    QVERIFY(
        !parseTokenResponse(R"({"error":"invalid_grant","error_description":"x"})", now, &error));
    QCOMPARE(error, u"token endpoint error \"invalid_grant\""_s);
    QVERIFY(!parseTokenResponse(R"({"access_token":"t","token_type":"Bearer"})", now, &error));
    QCOMPARE(error, u"expires_in is missing or not a positive number"_s);
    QVERIFY(!parseTokenResponse(R"({"access_token":"t","expires_in":5,"token_type":"MAC"})", now,
                                &error));
    QCOMPARE(error, u"token_type is not Bearer"_s);
}

void TestGcpCredentials::adcOrder()
{
    QProcessEnvironment env;
    env.insert(u"HOME"_s, u"/home/op"_s);
    QCOMPARE(applicationDefaultCredentialFiles(env, false),
             QStringList {u"/home/op/.config/gcloud/application_default_credentials.json"_s});
    env.insert(u"GOOGLE_APPLICATION_CREDENTIALS"_s, u"/etc/spotkeeperd/gcp.json"_s);
    env.insert(u"CLOUDSDK_CONFIG"_s, u"/srv/gcloud"_s);
    QCOMPARE(applicationDefaultCredentialFiles(env, false),
             (QStringList {u"/etc/spotkeeperd/gcp.json"_s,
                           u"/srv/gcloud/application_default_credentials.json"_s}));
    QProcessEnvironment windows;
    windows.insert(u"APPDATA"_s, u"C:/Users/op/AppData/Roaming"_s);
    QCOMPARE(
        applicationDefaultCredentialFiles(windows, true),
        QStringList {u"C:/Users/op/AppData/Roaming/gcloud/application_default_credentials.json"_s});
}

void TestGcpCredentials::tokenSourceGrantVerifiedCachedAndRefused()
{
    Key rsa;
    makeKey(&rsa, true);
    EVP_PKEY *pkey = rsa.pkey;
    testsupport::FakeHttpServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    int verified = 0;
    bool refuse = false;
    server.route("POST", "/token").respondWith([&](const testsupport::RecordedRequest &r) {
        const QUrlQuery form(QString::fromLatin1(r.body));
        const QByteArray jwt = form.queryItemValue(u"assertion"_s, QUrl::FullyDecoded).toLatin1();
        if (form.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded)
                != "urn:ietf:params:oauth:grant-type:jwt-bearer"_L1
            || !verifies(pkey, jwt) || refuse)
            return http::Response::json(
                400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
        ++verified;
        return http::Response::json(
            200, R"({"access_token":"ya29.test-token","expires_in":3599,"token_type":"Bearer"})");
    });
    const QByteArray keyJson =
        keyFile(rsa.pem, u"service_account"_s, server.url(u"/token"_s).toString());
    auto key = parseServiceAccountKey(keyJson, &error);
    QVERIFY2(key, qPrintable(error));
    testsupport::ManualClock clock;
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    ServiceAccountCredential credential(*key, {QString::fromLatin1(kComputeScope)}, &network,
                                        clock);
    QCOMPARE(credential.principal(), u"spotkeeper@spot-fleet-1.iam.gserviceaccount.com"_s);

    core::TokenResult result = request(credential);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.token.token, QByteArray("ya29.test-token"));
    QCOMPARE(result.token.expiresOn, clock.nowUtc().addSecs(3599));
    QCOMPARE(verified, 1);
    // Cached until five minutes before it expires.
    clock.advanceMSecs(qint64(3000) * 1000);
    QVERIFY(request(credential).ok());
    QCOMPARE(server.count("POST", "/token"), 1);
    clock.advanceMSecs(qint64(400) * 1000);
    QVERIFY(request(credential).ok());
    QCOMPARE(verified, 2);

    // A revoked key: fatal, with Google's code, and neither key nor token in the message.
    refuse = true;
    credential.invalidate();
    result = request(credential);
    QVERIFY(!result.ok());
    QVERIFY(result.fatal);
    QCOMPARE(result.httpStatus, 400);
    QCOMPARE(result.errorCode, u"invalid_grant"_s);
    QVERIFY2(result.error.contains("(invalid_grant)"_L1), qPrintable(result.error));
    QVERIFY(!result.error.contains("PRIVATE"_L1));
    QVERIFY(!result.error.contains("ya29"_L1));
}

QTEST_MAIN(TestGcpCredentials)
#include "tst_gcpcredentials.moc"
