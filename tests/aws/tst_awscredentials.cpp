// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/awscredentials.h"
#include "aws/ec2query.h"
#include "support/base/manualclock.h"
#include "support/http/fakehttpserver.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core::aws;
using namespace Qt::StringLiterals;
using testsupport::FakeHttpServer;

namespace {

const QString kSecret = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s;
const QByteArray kWebToken = "eyJ.web-identity-token.signature";

QByteArray stsAnswer(const QString &expiration)
{
    return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
           "<AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>system:sa"
           "</SubjectFromWebIdentityToken><AssumedRoleUser><Arn>arn:aws:sts::123456789012:"
           "assumed-role/spotkeeper/spotkeeperd</Arn><AssumedRoleId>AROA:spotkeeperd"
           "</AssumedRoleId></AssumedRoleUser><Credentials><SessionToken>FwoGZXIvYXdzEXAMPLE"
           "</SessionToken><SecretAccessKey>sts-secret-key</SecretAccessKey><Expiration>"
        + expiration.toLatin1()
        + "</Expiration><AccessKeyId>ASIAEXAMPLESTS</AccessKeyId></Credentials>"
          "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>ad4156e9-bce1-11e2"
          "</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>";
}

QByteArray roleJson(const QDateTime &expiration)
{
    return "{\"Code\":\"Success\",\"LastUpdated\":\"2026-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\","
           "\"AccessKeyId\":\"ASIAEXAMPLEROLE\",\"SecretAccessKey\":\"role-secret-key\","
           "\"Token\":\"role-session-token\",\"Expiration\":\""
        + expiration.toString(Qt::ISODate).toLatin1() + "\"}";
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

// The credential chain in the SDKs' order against files in a temporary home and fakes of STS and
// IMDS on 127.0.0.1: which source wins, every failure path (half-set environment, unknown
// profile, refused web identity, no instance profile), the cache and the renewal before expiry,
// and that no secret or token reaches an error or status.
class TestAwsCredentials : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void endpointsAreOverriddenTheSdkWay();
    void environmentComesFirst();
    void halfSetEnvironmentIsAnError();
    void profileFromTheSharedFiles();
    void unknownProfileIsAnError();
    void webIdentityThroughSts();
    void refusedWebIdentityNeedsAnOperator();
    void instanceRoleThroughImdsV2();
    void noInstanceProfileIsAnError();
    void temporaryKeysAreRenewedBeforeExpiry();
    void parsersRefuseIncompleteAnswers();

private:
    CredentialResult resolve(AwsCredentialChain &chain);
    CredentialChainOptions options(const QProcessEnvironment &env);

    std::unique_ptr<QTemporaryDir> m_home;
    testsupport::ManualClock m_clock {QDateTime::currentDateTimeUtc()};
};

void TestAwsCredentials::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    QVERIFY(QDir(m_home->path()).mkpath(u".aws"_s));
}

CredentialChainOptions TestAwsCredentials::options(const QProcessEnvironment &env)
{
    CredentialChainOptions options;
    options.env = env;
    options.homeDir = m_home->path();
    options.excludeInstanceRole = true;
    options.timeoutMs = 5'000;
    return options;
}

CredentialResult TestAwsCredentials::resolve(AwsCredentialChain &chain)
{
    std::optional<CredentialResult> result;
    chain.get([&](const CredentialResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 10'000))
        return CredentialResult {std::nullopt, u"no answer"_s, false};
    return *result;
}

void TestAwsCredentials::endpointsAreOverriddenTheSdkWay()
{
    QProcessEnvironment env;
    QString problem;
    QCOMPARE(serviceEndpoint(env, {}, u"EC2"_s, u"ec2"_s, u"eu-west-1"_s, &problem),
             QUrl(u"https://ec2.eu-west-1.amazonaws.com/"_s));
    QCOMPARE(serviceEndpoint(env, {}, u"STS"_s, u"sts"_s, {}, &problem),
             QUrl(u"https://sts.amazonaws.com/"_s));
    QVERIFY(!serviceEndpoint(env, {}, u"EC2"_s, u"ec2"_s, {}, &problem).isValid());
    QVERIFY(problem.contains(u"region"_s));
    env.insert(u"AWS_ENDPOINT_URL"_s, u"http://127.0.0.1:4566"_s);
    QCOMPARE(serviceEndpoint(env, {}, u"EC2"_s, u"ec2"_s, u"eu-west-1"_s, &problem),
             QUrl(u"http://127.0.0.1:4566/"_s));
    env.insert(u"AWS_ENDPOINT_URL_EC2"_s, u"http://127.0.0.1:9000/ec2/"_s);
    QCOMPARE(serviceEndpoint(env, {}, u"EC2"_s, u"ec2"_s, u"eu-west-1"_s, &problem),
             QUrl(u"http://127.0.0.1:9000/ec2/"_s));
    QCOMPARE(serviceEndpoint(env, {}, u"STS"_s, u"sts"_s, u"eu-west-1"_s, &problem),
             QUrl(u"http://127.0.0.1:4566/"_s));
    QCOMPARE(serviceEndpoint(env, u"https://ec2.example.test"_s, u"EC2"_s, u"ec2"_s, u"eu-west-1"_s,
                             &problem),
             QUrl(u"https://ec2.example.test/"_s));
    problem.clear();
    QVERIFY(!serviceEndpoint(env, u"ftp://nope"_s, u"EC2"_s, u"ec2"_s, u"eu-west-1"_s, &problem)
                 .isValid());
    QVERIFY(problem.contains(u"ftp://nope"_s));
}

void TestAwsCredentials::environmentComesFirst()
{
    QVERIFY(writeFile(m_home->filePath(u".aws/credentials"_s),
                      "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = p\n"));
    QProcessEnvironment env;
    env.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIAENVIRONMENT"_s);
    env.insert(u"AWS_SECRET_ACCESS_KEY"_s, kSecret);
    env.insert(u"AWS_SESSION_TOKEN"_s, u"env-session"_s);
    AwsCredentialChain chain(options(env), m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.credentials->keys.accessKeyId, u"AKIAENVIRONMENT"_s);
    QCOMPARE(result.credentials->keys.secretAccessKey, kSecret);
    QCOMPARE(result.credentials->keys.sessionToken, u"env-session"_s);
    QCOMPARE(chain.status(), u"environment"_s);
}

void TestAwsCredentials::halfSetEnvironmentIsAnError()
{
    QProcessEnvironment env;
    env.insert(u"AWS_SECRET_ACCESS_KEY"_s, kSecret);
    AwsCredentialChain chain(options(env), m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY(!result.ok());
    QVERIFY(result.fatal);
    QVERIFY(result.error.contains(u"AWS_ACCESS_KEY_ID"_s));
    QVERIFY(!result.error.contains(kSecret));
    QVERIFY(!chain.status().contains(kSecret));
}

void TestAwsCredentials::profileFromTheSharedFiles()
{
    const QString credentials = m_home->filePath(u"creds"_s);
    const QString config = m_home->filePath(u"config"_s);
    QVERIFY(writeFile(credentials,
                      "# comment\n[default]\naws_access_key_id=AKIADEFAULT\n"
                      "aws_secret_access_key=default-secret\n\n[work]\n"
                      "aws_access_key_id = AKIAWORK\n"
                      "aws_secret_access_key = work-secret\n"));
    QVERIFY(writeFile(config,
                      "[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n"
                      "aws_access_key_id = AKIACONFIG\n[profile cfgonly]\n"
                      "aws_access_key_id = AKIACFG\naws_secret_access_key = cfg-secret\n"));
    QProcessEnvironment env;
    env.insert(u"AWS_SHARED_CREDENTIALS_FILE"_s, credentials);
    env.insert(u"AWS_CONFIG_FILE"_s, config);
    {
        AwsCredentialChain chain(options(env), m_clock);
        const CredentialResult result = resolve(chain);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.credentials->keys.accessKeyId, u"AKIADEFAULT"_s);
        QCOMPARE(chain.status(), u"profile default"_s);
        QCOMPARE(chain.region(), u"us-east-1"_s);
    }
    env.insert(u"AWS_PROFILE"_s, u"work"_s);
    {
        AwsCredentialChain chain(options(env), m_clock);
        const CredentialResult result = resolve(chain);
        QVERIFY2(result.ok(), qPrintable(result.error));
        // The credentials file wins over the config file's key id for the same profile.
        QCOMPARE(result.credentials->keys.accessKeyId, u"AKIAWORK"_s);
        QCOMPARE(result.credentials->keys.secretAccessKey, u"work-secret"_s);
        QCOMPARE(chain.region(), u"eu-west-1"_s);
    }
    env.insert(u"AWS_PROFILE"_s, u"cfgonly"_s);
    {
        AwsCredentialChain chain(options(env), m_clock);
        const CredentialResult result = resolve(chain);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.credentials->keys.accessKeyId, u"AKIACFG"_s);
    }
    // A profile with a key id and no secret is broken, said without the key file's secrets.
    QVERIFY(writeFile(credentials, "[broken]\naws_access_key_id = AKIABROKEN\n"));
    env.insert(u"AWS_PROFILE"_s, u"broken"_s);
    AwsCredentialChain chain(options(env), m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY(!result.ok());
    QVERIFY(result.error.contains(u"aws_secret_access_key"_s));
}

void TestAwsCredentials::unknownProfileIsAnError()
{
    QVERIFY(writeFile(m_home->filePath(u".aws/credentials"_s),
                      "[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n"));
    QProcessEnvironment env;
    env.insert(u"AWS_PROFILE"_s, u"nosuch"_s);
    AwsCredentialChain chain(options(env), m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY(!result.ok());
    QVERIFY(result.fatal);
    QVERIFY2(result.error.contains(u"nosuch"_s), qPrintable(result.error));
    // No AWS_PROFILE and no files: on to the next source (here: none left).
    QVERIFY(QFile::remove(m_home->filePath(u".aws/credentials"_s)));
    AwsCredentialChain empty(options(QProcessEnvironment()), m_clock);
    const CredentialResult none = resolve(empty);
    QVERIFY(!none.ok());
    QVERIFY2(none.error.contains(u"instance role is off"_s), qPrintable(none.error));
}

void TestAwsCredentials::webIdentityThroughSts()
{
    FakeHttpServer sts;
    QVERIFY(sts.start());
    sts.route("POST", "/")
        .respond(http::Response::text(
            200, stsAnswer(m_clock.nowUtc().addSecs(3600).toString(Qt::ISODate))));
    const QString tokenFile = m_home->filePath(u"token"_s);
    QVERIFY(writeFile(tokenFile, kWebToken + '\n'));
    QProcessEnvironment env;
    env.insert(u"AWS_WEB_IDENTITY_TOKEN_FILE"_s, tokenFile);
    env.insert(u"AWS_ROLE_ARN"_s, u"arn:aws:iam::123456789012:role/spotkeeper"_s);
    env.insert(u"AWS_ENDPOINT_URL_STS"_s, sts.baseUrl().toString());
    AwsCredentialChain chain(options(env), m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.credentials->keys.accessKeyId, u"ASIAEXAMPLESTS"_s);
    QCOMPARE(result.credentials->keys.sessionToken, u"FwoGZXIvYXdzEXAMPLE"_s);
    QVERIFY(result.credentials->expiresAt.isValid());
    QCOMPARE(chain.status(), u"web identity arn:aws:iam::123456789012:role/spotkeeper"_s);
    QCOMPARE(sts.count(), 1);
    bool ok = false;
    const BytePairList form = parseFormBody(sts.last().body, &ok);
    QVERIFY(ok);
    QVERIFY(form.contains({"Action", "AssumeRoleWithWebIdentity"}));
    QVERIFY(form.contains({"RoleArn", "arn:aws:iam::123456789012:role/spotkeeper"}));
    QVERIFY(form.contains({"WebIdentityToken", kWebToken}));
    QVERIFY(form.contains({"RoleSessionName", "spotkeeperd"}));
    // Cached: a second get() asks STS nothing.
    QVERIFY(resolve(chain).ok());
    QCOMPARE(sts.count(), 1);
}

void TestAwsCredentials::refusedWebIdentityNeedsAnOperator()
{
    FakeHttpServer sts;
    QVERIFY(sts.start());
    sts.route("POST", "/")
        .respond(http::Response::text(
            400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
            "<Message>No OpenIDConnect provider found</Message></Error>"
            "<RequestId>1</RequestId></ErrorResponse>"));
    const QString tokenFile = m_home->filePath(u"token"_s);
    QVERIFY(writeFile(tokenFile, kWebToken));
    QProcessEnvironment env;
    env.insert(u"AWS_WEB_IDENTITY_TOKEN_FILE"_s, tokenFile);
    env.insert(u"AWS_ROLE_ARN"_s, u"arn:aws:iam::123456789012:role/spotkeeper"_s);
    env.insert(u"AWS_ENDPOINT_URL"_s, sts.baseUrl().toString());
    AwsCredentialChain chain(options(env), m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY(!result.ok());
    QVERIFY(result.fatal);
    QVERIFY2(result.error.contains(u"InvalidIdentityToken"_s), qPrintable(result.error));
    QVERIFY(!result.error.contains(QString::fromLatin1(kWebToken)));
    // Only one of the two variables: a configuration error, no request.
    env.remove(u"AWS_ROLE_ARN"_s);
    AwsCredentialChain half(options(env), m_clock);
    const CredentialResult halfResult = resolve(half);
    QVERIFY(!halfResult.ok() && halfResult.fatal);
    QVERIFY(halfResult.error.contains(u"AWS_ROLE_ARN"_s));
    QCOMPARE(sts.count(), 1);
}

void TestAwsCredentials::instanceRoleThroughImdsV2()
{
    FakeHttpServer imds;
    QVERIFY(imds.start());
    imds.route("PUT", "/latest/api/token").respond(http::Response::text(200, "imds-session"));
    imds.route("GET", "/latest/meta-data/iam/security-credentials/")
        .respond(http::Response::text(200, "spotkeeper-role"));
    imds.route("GET", "/latest/meta-data/iam/security-credentials/spotkeeper-role")
        .respond(http::Response::json(200, roleJson(m_clock.nowUtc().addSecs(6 * 3600))));
    CredentialChainOptions chainOptions = options(QProcessEnvironment());
    chainOptions.excludeInstanceRole = false;
    chainOptions.imdsUrl = imds.baseUrl();
    AwsCredentialChain chain(chainOptions, m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.credentials->keys.accessKeyId, u"ASIAEXAMPLEROLE"_s);
    QCOMPARE(result.credentials->keys.sessionToken, u"role-session-token"_s);
    QCOMPARE(chain.status(), u"instance role spotkeeper-role"_s);
    const auto puts = imds.requests("PUT", "/latest/api/token");
    QCOMPARE(puts.size(), 1);
    QCOMPARE(puts.first().header("X-aws-ec2-metadata-token-ttl-seconds"), QByteArray("21600"));
    for (const auto &request : imds.requests()) {
        if (request.method == "GET")
            QCOMPARE(request.header("X-aws-ec2-metadata-token"), QByteArray("imds-session"));
    }
    QVERIFY(resolve(chain).ok());
    QCOMPARE(imds.count(), 3); // cached
    chain.invalidate();
    QVERIFY(resolve(chain).ok());
    QCOMPARE(imds.count(), 6);
    // AWS_EC2_METADATA_DISABLED turns the source off.
    QProcessEnvironment off;
    off.insert(u"AWS_EC2_METADATA_DISABLED"_s, u"true"_s);
    chainOptions.env = off;
    AwsCredentialChain disabled(chainOptions, m_clock);
    QVERIFY(!resolve(disabled).ok());
    QCOMPARE(imds.count(), 6);
}

void TestAwsCredentials::noInstanceProfileIsAnError()
{
    FakeHttpServer imds;
    QVERIFY(imds.start());
    imds.route("PUT", "/latest/api/token").respond(http::Response::text(200, "imds-session"));
    imds.route("GET", "/latest/meta-data/iam/security-credentials/")
        .respond(http::Response::text(404, "Not Found"));
    CredentialChainOptions chainOptions = options(QProcessEnvironment());
    chainOptions.excludeInstanceRole = false;
    chainOptions.imdsUrl = imds.baseUrl();
    AwsCredentialChain chain(chainOptions, m_clock);
    const CredentialResult result = resolve(chain);
    QVERIFY(!result.ok());
    QVERIFY(result.fatal);
    QVERIFY2(result.error.contains(u"instance profile"_s), qPrintable(result.error));
    // IMDSv1 only (the token PUT refused): not used, an error says where it stopped.
    imds.route("PUT", "/latest/api/token").respond(http::Response::text(403, "Forbidden"));
    AwsCredentialChain v1(chainOptions, m_clock);
    const CredentialResult v1Result = resolve(v1);
    QVERIFY(!v1Result.ok());
    QVERIFY(v1Result.error.contains(u"session token"_s));
}

void TestAwsCredentials::temporaryKeysAreRenewedBeforeExpiry()
{
    FakeHttpServer imds;
    QVERIFY(imds.start());
    imds.route("PUT", "/latest/api/token").respond(http::Response::text(200, "t"));
    imds.route("GET", "/latest/meta-data/iam/security-credentials/")
        .respond(http::Response::text(200, "r"));
    imds.route("GET", "/latest/meta-data/iam/security-credentials/r")
        .respond(http::Response::json(200, roleJson(m_clock.nowUtc().addSecs(10 * 60))));
    CredentialChainOptions chainOptions = options(QProcessEnvironment());
    chainOptions.excludeInstanceRole = false;
    chainOptions.imdsUrl = imds.baseUrl();
    chainOptions.refreshBeforeExpiryMs = 5 * 60'000;
    AwsCredentialChain chain(chainOptions, m_clock);
    QVERIFY(resolve(chain).ok());
    m_clock.advanceMSecs(4 * 60'000);
    QVERIFY(resolve(chain).ok());
    QCOMPARE(imds.count(), 3); // 6 minutes left: still good
    m_clock.advanceMSecs(2 * 60'000);
    QVERIFY(resolve(chain).ok());
    QCOMPARE(imds.count(), 6); // 4 minutes left: renewed
}

void TestAwsCredentials::parsersRefuseIncompleteAnswers()
{
    QString problem;
    QVERIFY(!parseInstanceRoleCredentials("not json", &problem));
    QVERIFY(!parseInstanceRoleCredentials(R"({"Code":"AssumeRoleUnauthorizedAccess"})", &problem));
    QVERIFY(problem.contains(u"AssumeRoleUnauthorizedAccess"_s));
    QVERIFY(!parseInstanceRoleCredentials(
        R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"role-secret"})", &problem));
    QVERIFY(!problem.contains(u"role-secret"_s));
    const StsAnswer broken = parseAssumeRoleWithWebIdentity("<a><b>");
    QVERIFY(!broken.credentials);
    QCOMPARE(broken.errorCode, u"InvalidResponse"_s);
    const StsAnswer empty = parseAssumeRoleWithWebIdentity("<AssumeRoleWithWebIdentityResponse/>");
    QVERIFY(!empty.credentials);
    const StsAnswer good = parseAssumeRoleWithWebIdentity(stsAnswer(u"2026-12-07T12:00:00Z"_s));
    QVERIFY(good.credentials);
    QCOMPARE(good.assumedRoleArn,
             u"arn:aws:sts::123456789012:assumed-role/spotkeeper/spotkeeperd"_s);
    QCOMPARE(good.credentials->expiresAt, QDateTime(QDate(2026, 12, 7), QTime(12, 0), Qt::UTC));
}

QTEST_GUILESS_MAIN(TestAwsCredentials)
#include "tst_awscredentials.moc"
