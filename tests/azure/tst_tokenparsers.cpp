// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/azurecloud.h"
#include "azure/tokenparsers.h"
#include "support/common/fixtures.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using spotkeeper::testsupport::fixture;

// Cloud table (AZURE-PROTOCOL.md §3.4) and the three token reply parsers (§3.1-3.3) on real
// fixtures.
class TestTokenParsers : public QObject
{
    Q_OBJECT
private slots:
    void cloudTable();
    void cloudFromImdsEnvironment_data();
    void cloudFromImdsEnvironment();
    void environmentOverrides();
    void environmentOverridesRejectBadUrls();
    void entraDocReply();
    void entraRecordedReply();
    void entraStringExpiresIn();
    void entraErrors_data();
    void entraErrors();
    void imdsStringsReply();
    void imdsErrors();
    void azCliWithExpiresOn();
    void azCliOlderExpiresOnOnly();
    void azCliGarbage();
    void integerOf();
};

void TestTokenParsers::cloudTable()
{
    const AzureCloud pub = AzureCloud::publicCloud();
    QCOMPARE(pub.authorityHost, QUrl(u"https://login.microsoftonline.com"_s));
    QCOMPARE(pub.armUrl, QUrl(u"https://management.azure.com/"_s));
    QCOMPARE(pub.tokenAudience, u"https://management.core.windows.net/"_s);
    QCOMPARE(pub.armScope(), u"https://management.azure.com/.default"_s);
    const AzureCloud gov = AzureCloud::usGovernment();
    QCOMPARE(gov.authorityHost, QUrl(u"https://login.microsoftonline.us"_s));
    QCOMPARE(gov.armUrl, QUrl(u"https://management.usgovcloudapi.net/"_s));
    QCOMPARE(gov.tokenAudience, u"https://management.core.usgovcloudapi.net/"_s);
    const AzureCloud cn = AzureCloud::china();
    QCOMPARE(cn.authorityHost, QUrl(u"https://login.chinacloudapi.cn"_s));
    QCOMPARE(cn.armScope(), u"https://management.chinacloudapi.cn/.default"_s);
    QCOMPARE(cn.tokenAudience, u"https://management.core.chinacloudapi.cn/"_s);
    QCOMPARE(AzureCloud::byName(u"azureusgovernment")->name, u"AzureUSGovernment"_s);
    QVERIFY(!AzureCloud::byName(u"AzureGermanCloud").has_value());
    const AzureCloud custom =
        AzureCloud::custom(QUrl(u"https://login.example"_s), QUrl(u"https://arm.example/"_s),
                           u"https://arm.example/"_s);
    QCOMPARE(custom.tokenAudience, u"https://arm.example/"_s);
}

void TestTokenParsers::cloudFromImdsEnvironment_data()
{
    QTest::addColumn<QString>("azEnvironment");
    QTest::addColumn<QString>("cloud");
    QTest::newRow("AzurePublicCloud") << u"AzurePublicCloud"_s << u"AzureCloud"_s;
    QTest::newRow("AZUREPUBLICCLOUD") << u"AZUREPUBLICCLOUD"_s << u"AzureCloud"_s;
    QTest::newRow("AzureUSGovernmentCloud")
        << u"AzureUSGovernmentCloud"_s << u"AzureUSGovernment"_s;
    QTest::newRow("azurechinacloud") << u"azurechinacloud"_s << u"AzureChinaCloud"_s;
    QTest::newRow("AzureGermanCloud (retired)") << u"AzureGermanCloud"_s << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestTokenParsers::cloudFromImdsEnvironment()
{
    QFETCH(QString, azEnvironment);
    QFETCH(QString, cloud);
    const auto mapped = AzureCloud::fromImdsEnvironment(azEnvironment);
    QCOMPARE(mapped ? mapped->name : QString(), cloud);
}

void TestTokenParsers::environmentOverrides()
{
    AzureCloud cloud = AzureCloud::publicCloud();
    QProcessEnvironment env;
    env.insert(u"AZURE_AUTHORITY_HOST"_s, u"http://127.0.0.1:4567"_s);
    env.insert(u"SPOTKEEPER_ARM_URL"_s, u"http://127.0.0.1:4568/"_s);
    QCOMPARE(applyEnvironmentOverrides(cloud, env), QString());
    QCOMPARE(cloud.authorityHost, QUrl(u"http://127.0.0.1:4567"_s));
    QCOMPARE(cloud.armUrl, QUrl(u"http://127.0.0.1:4568/"_s));
    // Tokens are still minted for the real ARM resource.
    QCOMPARE(cloud.armScope(), u"https://management.azure.com/.default"_s);
}

void TestTokenParsers::environmentOverridesRejectBadUrls()
{
    AzureCloud cloud = AzureCloud::publicCloud();
    QProcessEnvironment env;
    env.insert(u"SPOTKEEPER_ARM_URL"_s, u"management.azure.com"_s);
    const QString error = applyEnvironmentOverrides(cloud, env);
    QVERIFY2(error.contains("SPOTKEEPER_ARM_URL"_L1), qPrintable(error));
    QCOMPARE(cloud.armUrl, AzureCloud::publicCloud().armUrl); // unchanged
    env.clear();
    env.insert(u"AZURE_AUTHORITY_HOST"_s, u"ftp://login.example"_s);
    QVERIFY(applyEnvironmentOverrides(cloud, env).contains("AZURE_AUTHORITY_HOST"_L1));
}

void TestTokenParsers::entraDocReply()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    const TokenResult result = tokenparsers::parseEntraReply(
        200, fixture(u"entra/token-v2-client-credentials-response-doc.json"_s), now);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY(result.token.token.startsWith("eyJ0eXAi"));
    QCOMPARE(result.token.expiresOn, now.addSecs(3599));
    QCOMPARE(result.token.obtainedAt, now);
}

void TestTokenParsers::entraRecordedReply()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    const TokenResult result = tokenparsers::parseEntraReply(
        200, fixture(u"entra/token-v2-client-credentials-response-recorded.json"_s), now);
    QVERIFY(result.ok());
    QCOMPARE(result.token.token, QByteArray("access_token"));
    QCOMPARE(result.token.expiresOn, now.addSecs(86399)); // not hard-coded to 1 h
}

void TestTokenParsers::entraStringExpiresIn()
{
    // v1 replies carry strings and expires_on, which wins.
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'463'406'094, Qt::UTC);
    const QByteArray v1 = R"({"token_type":"Bearer","expires_in":"3599","expires_on":"1463409994",)"
                          R"("not_before":"1463406094","resource":"https://management.azure.com/",)"
                          R"("access_token":"tok"})";
    const TokenResult result = tokenparsers::parseEntraReply(200, v1, now);
    QVERIFY(result.ok());
    QCOMPARE(result.token.expiresOn, QDateTime::fromSecsSinceEpoch(1'463'409'994, Qt::UTC));
    const TokenResult onlyIn =
        tokenparsers::parseEntraReply(200, R"({"expires_in":"60","access_token":"t"})", now);
    QCOMPARE(onlyIn.token.expiresOn, now.addSecs(60));
    const TokenResult noExpiry = tokenparsers::parseEntraReply(200, R"({"access_token":"t"})", now);
    QVERIFY(!noExpiry.ok());
    QVERIFY(noExpiry.error.contains("expires_in"_L1));
    QVERIFY(!noExpiry.error.contains("\"t\""_L1));
}

void TestTokenParsers::entraErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("fatal");
    QTest::addColumn<QString>("code");
    QTest::newRow("invalid_scope doc")
        << 400 << fixture(u"entra/token-v2-error-invalid-scope-doc.json"_s) << true
        << u"AADSTS70011"_s;
    QTest::newRow("AADSTS7000215 invalid secret")
        << 401
        << QByteArray(
               R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]})")
        << true << u"AADSTS7000215"_s;
    QTest::newRow("AADSTS7000222 expired secret")
        << 401 << QByteArray(R"({"error":"invalid_client","error_codes":[7000222]})") << true
        << u"AADSTS7000222"_s;
    QTest::newRow("AADSTS700016 app not found")
        << 400 << QByteArray(R"({"error":"unauthorized_client","error_codes":[700016]})") << true
        << u"AADSTS700016"_s;
    QTest::newRow("503 temporarily_unavailable")
        << 503 << QByteArray(R"({"error":"temporarily_unavailable","error_codes":[]})") << false
        << u"temporarily_unavailable"_s;
    QTest::newRow("500 html") << 500 << QByteArray("<html>oops</html>") << false << QString();
}

void TestTokenParsers::entraErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, fatal);
    QFETCH(QString, code);
    const TokenResult result =
        tokenparsers::parseEntraReply(status, body, QDateTime::currentDateTimeUtc());
    QVERIFY(!result.ok());
    QCOMPARE(result.status, TokenResult::Status::Failed);
    QCOMPARE(result.fatal, fatal);
    QCOMPARE(result.errorCode, code);
    QCOMPARE(result.httpStatus, status);
    QVERIFY(result.error.contains(QString::number(status)));
}

void TestTokenParsers::imdsStringsReply()
{
    const TokenResult result =
        tokenparsers::parseImdsReply(200, fixture(u"imds/identity-oauth2-token-response.json"_s),
                                     QDateTime::currentDateTimeUtc());
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.token.token, QByteArray("eyJ0eXAi..."));
    QCOMPARE(result.token.expiresOn, QDateTime::fromSecsSinceEpoch(1'506'484'173, Qt::UTC));
}

void TestTokenParsers::imdsErrors()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto badRequest = tokenparsers::parseImdsReply(
        400, R"({"error":"invalid_resource","error_description":"AADSTS50001"})", now);
    QVERIFY(badRequest.fatal);
    QVERIFY(badRequest.error.contains("invalid_resource"_L1));
    QVERIFY(!tokenparsers::parseImdsReply(500, R"({"error":"unknown"})", now).fatal);
    QVERIFY(tokenparsers::isRetryableImdsStatus(404));
    QVERIFY(tokenparsers::isRetryableImdsStatus(410));
    QVERIFY(tokenparsers::isRetryableImdsStatus(429));
    QVERIFY(tokenparsers::isRetryableImdsStatus(503));
    QVERIFY(!tokenparsers::isRetryableImdsStatus(400));
    QVERIFY(!tokenparsers::isRetryableImdsStatus(403));
}

void TestTokenParsers::azCliWithExpiresOn()
{
    const TokenResult result = tokenparsers::parseAzCliOutput(
        fixture(u"azcli/get-access-token-output-doc.json"_s), QDateTime::currentDateTimeUtc());
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.token.expiresOn, QDateTime::fromSecsSinceEpoch(1'698'760'750, Qt::UTC));
}

void TestTokenParsers::azCliOlderExpiresOnOnly()
{
    const QByteArray older = R"({"accessToken":"tok","expiresOn":"2023-10-31 21:59:10.000000",)"
                             R"("subscription":"s","tenant":"t","tokenType":"Bearer"})";
    const TokenResult result =
        tokenparsers::parseAzCliOutput(older, QDateTime::currentDateTimeUtc());
    QVERIFY2(result.ok(), qPrintable(result.error));
    // expiresOn is local wall-clock time.
    const QDateTime local(QDate(2023, 10, 31), QTime(21, 59, 10), Qt::LocalTime);
    QCOMPARE(result.token.expiresOn, local.toUTC());
}

void TestTokenParsers::azCliGarbage()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(!tokenparsers::parseAzCliOutput("ERROR: Please run 'az login'", now).ok());
    QVERIFY(!tokenparsers::parseAzCliOutput(R"({"expires_on":1})", now).ok());
    const auto noExpiry = tokenparsers::parseAzCliOutput(R"({"accessToken":"SECRETTOKEN"})", now);
    QVERIFY(!noExpiry.ok());
    QVERIFY(!noExpiry.error.contains("SECRETTOKEN"_L1));
}

void TestTokenParsers::integerOf()
{
    QCOMPARE(tokenparsers::integerOf(QJsonValue(3599)).value_or(-1), 3599);
    QCOMPARE(tokenparsers::integerOf(QJsonValue(u"3599"_s)).value_or(-1), 3599);
    QVERIFY(!tokenparsers::integerOf(QJsonValue(u"soon"_s)).has_value());
    QVERIFY(!tokenparsers::integerOf(QJsonValue(QJsonArray())).has_value());
    QVERIFY(!tokenparsers::integerOf(QJsonValue(1e300)).has_value());
}

QTEST_GUILESS_MAIN(TestTokenParsers)
#include "tst_tokenparsers.moc"
