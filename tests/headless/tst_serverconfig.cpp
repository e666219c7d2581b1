// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/ec2client.h"
#include "aws/ec2cloudprovider.h"
#include "base/clock.h"
#include "fleet/enginehost.h"
#include "headless/serverconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

// spotkeeperd's configuration file: the shipped example parses, every mistake is an
// error naming its line, and unsafe combinations are refused.
class TestServerConfig : public QObject
{
    Q_OBJECT

private slots:
    void shippedExampleIsValid();
    void parsesEverySection();
    void formerLegacyWebhookSectionNameIsRead();
    void rejectsMistakes_data();
    void rejectsMistakes();
    void healthSecondsReplaceTheMinutes();
    void fallbackSectionAndRules();
    void refusesUnsafeCombinations_data();
    void refusesUnsafeCombinations();
    void quotedValuesKeepCommentCharacters();
    void fileErrorsNameFileAndLine();
    void hostSettingsAreCheckedWithoutTheFile();
    void postgresqlStore();
    void awsBudgetsReachTheEc2Client();
};

void TestServerConfig::shippedExampleIsValid()
{
    QString error;
    const auto config = headless::ServerConfig::load(
        QStringLiteral(SPOTKEEPER_TEST_DATA
                       "/../../packaging/spotkeeperd/spotkeeperd.conf.example"),
        &error);
    QVERIFY2(config, qPrintable(error));
    QVERIFY(config->validate().isEmpty());
    // The example documents the defaults: it must agree with the code.
    const headless::ServerConfig defaults;
    QCOMPARE(config->address, defaults.address);
    QCOMPARE(config->port, defaults.port);
    QCOMPARE(config->storePath, defaults.storePath);
    QCOMPARE(config->readDeadlineSeconds, defaults.readDeadlineSeconds);
    QCOMPARE(config->reconcileSeconds, defaults.reconcileSeconds);
    QCOMPARE(config->vmStartsPerMinute, defaults.vmStartsPerMinute);
    QCOMPARE(config->rotationOverlapHours, defaults.rotationOverlapHours);
    QCOMPARE(config->seedEnabled, false);
    QCOMPARE(config->heartbeatIntervalSeconds, defaults.heartbeatIntervalSeconds);
    QCOMPARE(config->agentSilentIntervals, defaults.agentSilentIntervals);
    QCOMPARE(config->notify.groupWindowSeconds, defaults.notify.groupWindowSeconds);
    QCOMPARE(config->notify.groupMin, defaults.notify.groupMin);
    QCOMPARE(config->notify.retryBaseSeconds, defaults.notify.retryBaseSeconds);
    QCOMPARE(config->notify.retryCapSeconds, defaults.notify.retryCapSeconds);
    QCOMPARE(config->notify.timeoutMs, defaults.notify.timeoutMs);
    QVERIFY(config->notify.channels.isEmpty());
}

void TestServerConfig::parsesEverySection()
{
    const QByteArray text = R"(
# comment
[listen]
address = 0.0.0.0
port = 9443 ; inline comment
[tls]
certificate = /etc/x/server.pem
private_key = "/etc/x/server key.pem"
client_ca = /etc/x/ca.pem
agent_ca = /etc/x/private-ca.pem
[store]
path = /srv/db.sqlite
[azure]
cloud = azurechinacloud
subscriptions = 8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11, 11111111-2222-3333-4444-555555555555
arm_endpoint = http://127.0.0.1:9/
[gcp]
credentials_file = /etc/x/gcp-key.json
projects = spot-fleet-1, example.com:other-proj
list_filter =
token_uri = http://127.0.0.1:9/gcp/token
compute_endpoint = http://127.0.0.1:9/compute/v1/
logging_endpoint = http://127.0.0.1:9/logging/v2/
[aws]
regions = eu-west-1, us-east-1
account_id = 123456789012
profile = spotkeeper
ec2_endpoint = http://127.0.0.1:9/ec2/
cloudtrail_endpoint = http://127.0.0.1:9/cloudtrail/
sts_endpoint = http://127.0.0.1:9/sts/
instance_role = false
restart_watch_minutes = 45
replace_terminated = true
alternate_instance_types = m5a.large, m6i.large
alternate_zones = eu-west-1c
describe_burst = 40
describes_per_second = 8
mutate_burst = 4
mutates_per_second = 1
run_burst = 3
runs_per_second = 1
cloudtrail_burst = 1
cloudtrail_per_second = 1
[engine]
reconcile_seconds = 30
backoff_base_seconds = 5
evidence_wait_seconds = 120
unproven_deallocation = leave
budget_fallback_replicas = 3
heartbeat_interval_seconds = 30
agent_silent_intervals = 4
[health]
restart_timeout_minutes = 20
unhealthy_minutes = 7
restart = all
restart_tag = app-restart
restarts_per_hour = 3
[notify]
group_window_seconds = 60
[notify.ops]
type = webhook
url = https://alerts.example.com/hook
secret_file = /etc/x/ops.secret
events = eviction, agent_silent
template = {title}\n{text}
[notify.chat]
type = slack
url_file = /etc/x/slack.url
[legacy_webhook]
enabled = yes
subscription = 8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11
key_file = /etc/x/legacy.key
[log]
level = DEBUG
)";
    QString error;
    const auto config = headless::ServerConfig::parse(text, &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->address, QHostAddress(u"0.0.0.0"_s));
    QCOMPARE(config->port, 9443);
    QCOMPARE(config->tls.privateKeyFile, u"/etc/x/server key.pem"_s);
    QCOMPARE(config->tls.clientCaFile, u"/etc/x/ca.pem"_s);
    QCOMPARE(config->agentCaFile, u"/etc/x/private-ca.pem"_s);
    QCOMPARE(config->storePath, u"/srv/db.sqlite"_s);
    QCOMPARE(config->cloud, u"AzureChinaCloud"_s);
    QCOMPARE(config->subscriptions.size(), 2);
    QCOMPARE(config->armEndpoint, u"http://127.0.0.1:9/"_s);
    QCOMPARE(config->gcpCredentialsFile, u"/etc/x/gcp-key.json"_s);
    QCOMPARE(config->gcpProjects, QStringList({u"spot-fleet-1"_s, u"example.com:other-proj"_s}));
    QCOMPARE(config->gcpListFilter, QString());
    QCOMPARE(config->gcpTokenUri, u"http://127.0.0.1:9/gcp/token"_s);
    QCOMPARE(config->gcpComputeEndpoint, u"http://127.0.0.1:9/compute/v1/"_s);
    QCOMPARE(config->gcpLoggingEndpoint, u"http://127.0.0.1:9/logging/v2/"_s);
    QCOMPARE(config->awsRegions, QStringList({u"eu-west-1"_s, u"us-east-1"_s}));
    QCOMPARE(config->awsAccountId, u"123456789012"_s);
    QCOMPARE(config->awsScopes(),
             QStringList({u"arn:aws:ec2:eu-west-1:123456789012"_s,
                          u"arn:aws:ec2:us-east-1:123456789012"_s}));
    QCOMPARE(config->awsProfile, u"spotkeeper"_s);
    QCOMPARE(config->awsEc2Endpoint, u"http://127.0.0.1:9/ec2/"_s);
    QCOMPARE(config->awsCloudTrailEndpoint, u"http://127.0.0.1:9/cloudtrail/"_s);
    QCOMPARE(config->awsStsEndpoint, u"http://127.0.0.1:9/sts/"_s);
    QVERIFY(!config->awsInstanceRole);
    QCOMPARE(config->awsRestartWatchMinutes, 45);
    QVERIFY(config->awsReplaceTerminated);
    QCOMPARE(config->awsAlternateInstanceTypes, QStringList({u"m5a.large"_s, u"m6i.large"_s}));
    QCOMPARE(config->awsAlternateZones, QStringList({u"eu-west-1c"_s}));
    QCOMPARE(config->awsDescribeBurst, 40);
    QCOMPARE(config->awsDescribesPerSecond, 8);
    QCOMPARE(config->awsMutateBurst, 4);
    QCOMPARE(config->awsMutatesPerSecond, 1);
    QCOMPARE(config->awsRunBurst, 3);
    QCOMPARE(config->awsRunsPerSecond, 1);
    QCOMPARE(config->awsCloudTrailBurst, 1);
    QCOMPARE(config->awsCloudTrailPerSecond, 1);
    QCOMPARE(config->reconcileSeconds, 30);
    QCOMPARE(config->backoffBaseSeconds, 5);
    QCOMPARE(config->evidenceWaitSeconds, 120);
    QVERIFY(!config->restartUnprovenDeallocation);
    QCOMPARE(config->budgetFallbackReplicas, 3);
    QVERIFY(config->seedEnabled);
    QCOMPARE(config->seedSubscription, u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11"_s);
    QCOMPARE(config->seedKeyFile, u"/etc/x/legacy.key"_s);
    QCOMPARE(config->logLevel, u"debug"_s);
    QCOMPARE(config->heartbeatIntervalSeconds, 30);
    QCOMPARE(config->agentSilentIntervals, 4);
    QCOMPARE(config->appHealthTimeoutMinutes, 20);
    QCOMPARE(config->appUnhealthyMinutes, 7);
    QCOMPARE(config->appRestart, u"all"_s);
    QCOMPARE(config->appRestartTag, u"app-restart"_s);
    QCOMPARE(config->appRestartsPerHour, 3);
    QCOMPARE(config->appHealthTimeoutSeconds, -1); // the minutes decide
    QCOMPARE(config->appUnhealthySeconds, -1);
    QCOMPARE(config->notify.groupWindowSeconds, 60);
    QCOMPARE(config->notify.channels.size(), 2);
    QCOMPARE(config->notify.channels.at(0).name, u"ops"_s);
    QCOMPARE(config->notify.channels.at(0).secretFile, u"/etc/x/ops.secret"_s);
    QCOMPARE(config->notify.channels.at(0).events, QStringList({u"eviction"_s, u"agent_silent"_s}));
    QCOMPARE(config->notify.channels.at(0).templateText, u"{title}\n{text}"_s);
    QVERIFY(config->notify.channels.at(1).type == core::ChannelType::Slack);
    QVERIFY2(config->validate().isEmpty(), qPrintable(config->validate())); // TLS set: 0.0.0.0 ok
}

void TestServerConfig::formerLegacyWebhookSectionNameIsRead()
{
    // [legacy_webhook] was called [seed]: files written then keep working.
    QString error;
    const auto config = headless::ServerConfig::parse(
        "[seed]\nenabled = true\nsubscription = 8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11\n"
        "key_file = /etc/x/seed.key\n",
        &error);
    QVERIFY2(config, qPrintable(error));
    QVERIFY(config->seedEnabled);
    QCOMPARE(config->seedSubscription, u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11"_s);
    QCOMPARE(config->seedKeyFile, u"/etc/x/seed.key"_s);
    QVERIFY2(config->validate().isEmpty(), qPrintable(config->validate()));
}

void TestServerConfig::rejectsMistakes_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << QByteArray("[listen]\nprot = 1\n")
                                 << u"line 2: unknown setting 'prot'"_s;
    QTest::newRow("unknown section") << QByteArray("[listner]\nport = 1\n") << u"line 2"_s;
    QTest::newRow("outside section") << QByteArray("port = 1\n") << u"line 1"_s;
    QTest::newRow("no equals") << QByteArray("[listen]\nport 1\n") << u"expected 'key = value'"_s;
    QTest::newRow("bad port") << QByteArray("[listen]\nport = 70000\n") << u"listen.port"_s;
    QTest::newRow("bad address") << QByteArray("[listen]\naddress = localhost\n")
                                 << u"not an IP address"_s;
    QTest::newRow("bad bool") << QByteArray("[legacy_webhook]\nenabled = maybe\n")
                              << u"true or false"_s;
    QTest::newRow("bad cloud") << QByteArray("[azure]\ncloud = AWS\n") << u"AzureCloud"_s;
    QTest::newRow("bad subscription") << QByteArray("[azure]\nsubscriptions = abc\n") << u"'abc'"_s;
    QTest::newRow("bad project") << QByteArray("[gcp]\nprojects = My_Project\n")
                                 << u"'My_Project'"_s;
    QTest::newRow("unknown gcp key")
        << QByteArray("[gcp]\nkey = x\n") << u"unknown setting 'key'"_s;
    QTest::newRow("bad region") << QByteArray("[aws]\nregions = eu-west-1, Frankfurt\n")
                                << u"aws.regions: region 'Frankfurt': not an AWS region name"_s;
    QTest::newRow("bad account") << QByteArray("[aws]\naccount_id = 1234\n")
                                 << u"aws.account_id: expected the 12 digits"_s;
    QTest::newRow("bad partition") << QByteArray("[aws]\npartition = azure\n") << u"aws-us-gov"_s;
    QTest::newRow("bad zone") << QByteArray("[aws]\nalternate_zones = eu-west-1\n")
                              << u"zone 'eu-west-1': not an Availability Zone"_s;
    QTest::newRow("bad instance type")
        << QByteArray("[aws]\nalternate_instance_types = M5 Large\n") << u"'M5 Large'"_s;
    QTest::newRow("watch too long")
        << QByteArray("[aws]\nrestart_watch_minutes = 0\n") << u"aws.restart_watch_minutes"_s;
    QTest::newRow("aws budget of nothing")
        << QByteArray("[aws]\nmutates_per_second = 0\n") << u"aws.mutates_per_second"_s;
    QTest::newRow("aws budget not a number")
        << QByteArray("[aws]\ndescribe_burst = lots\n") << u"aws.describe_burst"_s;
    QTest::newRow("aws key in the file")
        << QByteArray("[aws]\nsecret_access_key = x\n") << u"unknown setting 'secret_access_key'"_s;
    QTest::newRow("bad number") << QByteArray("[engine]\nreconcile_seconds = 1\n") << u"from 10"_s;
    QTest::newRow("bad unproven default")
        << QByteArray("[engine]\nunproven_deallocation = maybe\n")
        << u"engine.unproven_deallocation: expected restart or leave"_s;
    QTest::newRow("evidence wait too long")
        << QByteArray("[engine]\nevidence_wait_seconds = 4000\n")
        << u"engine.evidence_wait_seconds"_s;
    QTest::newRow("no fallback share") << QByteArray("[engine]\nbudget_fallback_replicas = 0\n")
                                       << u"engine.budget_fallback_replicas"_s;
    QTest::newRow("bad level") << QByteArray("[log]\nlevel = loud\n") << u"debug, info"_s;
    QTest::newRow("store url not postgresql")
        << QByteArray("[store]\nurl = mysql://db/x\n") << u"postgresql://USER@HOST"_s;
    QTest::newRow("bad sslmode") << QByteArray("[store]\nsslmode = sometimes\n")
                                 << u"verify-full"_s;
    QTest::newRow("broken header") << QByteArray("[listen\n") << u"line 1"_s;
    QTest::newRow("bad notify kind") << QByteArray("[notify.ops]\nevents = lunch\n")
                                     << u"line 2: [notify.ops] events: unknown event 'lunch'"_s;
    QTest::newRow("bad notify setting") << QByteArray("[notify]\ncolour = red\n") << u"line 2"_s;
    QTest::newRow("bad silent intervals") << QByteArray("[engine]\nagent_silent_intervals = -1\n")
                                          << u"engine.agent_silent_intervals"_s;
    QTest::newRow("bad app restart") << QByteArray("[health]\nrestart = sometimes\n")
                                     << u"health.restart: expected off, tagged or all"_s;
    QTest::newRow("bad app timeout") << QByteArray("[health]\nrestart_timeout_minutes = -5\n")
                                     << u"health.restart_timeout_minutes"_s;
    QTest::newRow("bad fallback rule")
        << QByteArray("[fallback]\nrule = Standard_D4s_v5\n") << u"fallback.rule: expected"_s;
    QTest::newRow("bad fallback size") << QByteArray("[fallback]\nrule = env=a: Standard D4s\n")
                                       << u"'Standard D4s' is not a VM size name"_s;
    QTest::newRow("bad fallback cap")
        << QByteArray("[fallback]\nrule = env=a: Standard_D4s_v5 | max_price = 0\n")
        << u"max_price: expected a price"_s;
    QTest::newRow("bad fallback limit")
        << QByteArray("[fallback]\nmax_changes_per_day = 0\n") << u"fallback.max_changes_per_day"_s;
    QTest::newRow("bad app seconds") << QByteArray("[health]\nunhealthy_seconds = 1.5\n")
                                     << u"health.unhealthy_seconds: expected a whole number"_s;
}

void TestServerConfig::healthSecondsReplaceTheMinutes()
{
    QString error;
    const auto config = headless::ServerConfig::parse(
        "[health]\nrestart_timeout_minutes = 10\nrestart_timeout_seconds = 25\n"
        "unhealthy_seconds = 8\n",
        &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->appHealthTimeoutMinutes, 10);
    QCOMPARE(config->appHealthTimeoutSeconds, 25);
    QCOMPARE(config->appUnhealthyMinutes, 5); // the default, replaced by:
    QCOMPARE(config->appUnhealthySeconds, 8);
}

void TestServerConfig::fallbackSectionAndRules()
{
    QString error;
    const auto config = headless::ServerConfig::parse(
        "[fallback]\nenabled = true\ndry_run = yes\nafter_minutes = 20\n"
        "max_changes_per_day = 2\nreturn_to_preferred = true\n"
        "rule = env=batch: Standard_D4s_v5, Standard_D8s_v5\n"
        "rule = team=ml: | max_price = -1\n",
        &error);
    QVERIFY2(config, qPrintable(error));
    QVERIFY(config->fallback.enabled);
    QVERIFY(config->fallback.dryRun);
    QVERIFY(config->fallback.returnToPreferred);
    QCOMPARE(config->fallback.afterMs, qint64(20 * 60'000));
    QCOMPARE(config->fallback.maxChangesPerDay, 2);
    QCOMPARE(config->fallback.rules.size(), 2);
    QCOMPARE(config->fallback.rules[0].sizes,
             (QStringList {u"Standard_D4s_v5"_s, u"Standard_D8s_v5"_s}));
    QCOMPARE(*config->fallback.rules[1].maxPriceCap, -1.0);
    const headless::ServerConfig defaults;
    QVERIFY(!defaults.fallback.enabled); // opt-in
    QCOMPARE(defaults.fallback.sizesTag, u"spotkeeper-fallback-sizes"_s);
}

void TestServerConfig::rejectsMistakes()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!headless::ServerConfig::parse(text, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestServerConfig::refusesUnsafeCombinations_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected"); // empty = valid
    QTest::newRow("loopback plain") << QByteArray("[listen]\naddress = 127.0.0.1\n") << QString();
    QTest::newRow("ipv6 loopback plain") << QByteArray("[listen]\naddress = ::1\n") << QString();
    QTest::newRow("public plain") << QByteArray("[listen]\naddress = 0.0.0.0\n")
                                  << u"--insecure-listen"_s;
    QTest::newRow("public insecure")
        << QByteArray("[listen]\naddress = 0.0.0.0\ninsecure = true\n") << QString();
    QTest::newRow("cert without key")
        << QByteArray("[tls]\ncertificate = /a.pem\n") << u"private_key"_s;
    QTest::newRow("client ca alone")
        << QByteArray("[tls]\nclient_ca = /ca.pem\n") << u"client_ca"_s;
    QTest::newRow("agent ca alone") << QByteArray("[tls]\nagent_ca = /ca.pem\n") << u"agent_ca"_s;
    QTest::newRow("legacy webhook without key")
        << QByteArray("[legacy_webhook]\nenabled = true\n")
        << u"[legacy_webhook] enabled needs subscription and key_file"_s;
    QTest::newRow("former section name without key")
        << QByteArray("[seed]\nenabled = true\n")
        << u"[legacy_webhook] enabled needs subscription and key_file"_s;
    QTest::newRow("aws regions without account")
        << QByteArray("[aws]\nregions = eu-west-1\n") << u"[aws] regions needs account_id"_s;
    QTest::newRow("aws account without regions")
        << QByteArray("[aws]\naccount_id = 123456789012\n") << u"[aws] account_id needs regions"_s;
    QTest::newRow("aws zone outside the regions")
        << QByteArray("[aws]\nregions = eu-west-1\naccount_id = 123456789012\n"
                      "alternate_zones = us-east-1a\n")
        << u"us-east-1a is no Availability Zone of the [aws] regions"_s;
    QTest::newRow("backoff cap below base")
        << QByteArray("[engine]\nbackoff_base_seconds = 60\nbackoff_cap_seconds = 30\n")
        << u"backoff_cap"_s;
}

void TestServerConfig::refusesUnsafeCombinations()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QString error;
    const auto config = headless::ServerConfig::parse(text, &error);
    QVERIFY2(config, qPrintable(error));
    const QString problem = config->validate();
    if (expected.isEmpty())
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    else
        QVERIFY2(problem.contains(expected), qPrintable(problem));
}

void TestServerConfig::quotedValuesKeepCommentCharacters()
{
    // The reader is base/configfile.h's: a '#' inside double quotes is part of the value.
    QString error;
    const auto config = headless::ServerConfig::parse(
        "[store]\npath = \"/srv/spot #1/spotkeeper.db\"   # the second disk\n", &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->storePath, u"/srv/spot #1/spotkeeper.db"_s);
}

void TestServerConfig::fileErrorsNameFileAndLine()
{
    QString error;
    QVERIFY(!headless::ServerConfig::load(u"/nonexistent/spotkeeperd.conf"_s, &error));
    QVERIFY2(
        error.startsWith("cannot read the configuration file /nonexistent/spotkeeperd.conf: "_L1),
        qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"spotkeeperd.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[listen]\nport = 8443\nprot = 1\n");
    file.close();
    QVERIFY(!headless::ServerConfig::load(path, &error));
    QCOMPARE(error, path + u":3: unknown setting 'prot' in [listen]"_s);
}

void TestServerConfig::hostSettingsAreCheckedWithoutTheFile()
{
    // The dashboard fills a core::EngineHostConfig from its Settings: the same checks apply.
    core::EngineHostConfig host;
    QVERIFY(host.validate().isEmpty());
    host.address = QHostAddress(QHostAddress::AnyIPv4);
    QVERIFY2(host.validate().contains("needs TLS"_L1), qPrintable(host.validate()));
    host.tls.certificateFile = u"server.crt"_s;
    QCOMPARE(host.validate(), u"[tls] needs both certificate and private_key"_s);
    host.tls.privateKeyFile = u"server.key"_s;
    QVERIFY(host.validate().isEmpty());
    // The daemon adds its own: a store path.
    headless::ServerConfig server;
    server.storePath.clear();
    QCOMPARE(server.validate(), u"[store] path must not be empty"_s);
}

void TestServerConfig::postgresqlStore()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("[store]\nurl = postgresql://spotkeeper@db.example:5433/fleet\n"
               "password_file = /etc/spotkeeperd/db-password\nsslmode = verify-full\n"
               "sslrootcert = /etc/spotkeeperd/db-ca.pem\n");
    file.close();
    QString error;
    const auto config = headless::ServerConfig::load(file.fileName(), &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->validate(), QString());
    const core::StoreOptions options = config->storeOptions();
    QCOMPARE(options.path, u"postgresql://spotkeeper@db.example:5433/fleet"_s);
    QCOMPARE(options.passwordFile, u"/etc/spotkeeperd/db-password"_s);
    QCOMPARE(options.sslMode, u"verify-full"_s);
    QCOMPARE(options.sslRootCert, u"/etc/spotkeeperd/db-ca.pem"_s);
    // Without a url: the SQLite path, and the PostgreSQL options are a mistake.
    headless::ServerConfig sqlite;
    QCOMPARE(sqlite.storeOptions().path, sqlite.storePath);
    sqlite.storeSslMode = u"require"_s;
    QVERIFY(sqlite.validate().contains(u"need [store] url"_s));
}

void TestServerConfig::awsBudgetsReachTheEc2Client()
{
    // The defaults are the engine's own (aws/ec2client.h), the smallest documented EC2 buckets.
    const headless::ServerConfig defaults;
    const core::aws::Ec2Budgets builtIn;
    QCOMPARE(defaults.awsDescribeBurst, builtIn.describe.burst);
    QCOMPARE(defaults.awsDescribesPerSecond, builtIn.describe.refill);
    QCOMPARE(defaults.awsMutateBurst, builtIn.mutate.burst);
    QCOMPARE(defaults.awsMutatesPerSecond, builtIn.mutate.refill);
    QCOMPARE(defaults.awsRunBurst, builtIn.run.burst);
    QCOMPARE(defaults.awsRunsPerSecond, builtIn.run.refill);
    QCOMPARE(defaults.awsCloudTrailBurst, builtIn.cloudTrail.burst);
    QCOMPARE(defaults.awsCloudTrailPerSecond, builtIn.cloudTrail.refill);

    // What [aws] says is what the EC2 client of the engine paces by.
    QString error;
    auto config = headless::ServerConfig::parse("[aws]\nregions = eu-west-1\n"
                                                "account_id = 123456789012\n"
                                                "ec2_endpoint = http://127.0.0.1:9/ec2/\n"
                                                "cloudtrail_endpoint = http://127.0.0.1:9/ct/\n"
                                                "instance_role = false\n"
                                                "describe_burst = 40\ndescribes_per_second = 8\n"
                                                "mutate_burst = 4\nmutates_per_second = 1\n"
                                                "run_burst = 3\nruns_per_second = 1\n"
                                                "cloudtrail_burst = 1\ncloudtrail_per_second = 1\n",
                                                &error);
    QVERIFY2(config, qPrintable(error));
    config->port = 0;
    core::StoreError storeError;
    const auto store =
        core::Store::open(core::StoreOptions {u":memory:"_s, false, 5000, nullptr}, &storeError);
    QVERIFY2(store, qPrintable(storeError.message));
    core::EngineHostOptions options;
    options.excludeManagedIdentity = true;
    options.tolerateAzureConfigError = true;
    const core::EngineHostConfig &hostConfig = *config; // the daemon's part for the engine
    core::EngineHost host(hostConfig, *store, base::systemClock(), options);
    QVERIFY2(host.prepare(&error), qPrintable(error));
    QVERIFY(host.amazonCloud() != nullptr);
    const core::aws::Ec2Budgets &budgets = host.amazonCloud()->client()->options().budgets;
    QVERIFY(budgets.enabled);
    QCOMPARE(budgets.describe, (core::BudgetConfig {40, 8, 1'000}));
    QCOMPARE(budgets.mutate, (core::BudgetConfig {4, 1, 1'000}));
    QCOMPARE(budgets.run, (core::BudgetConfig {3, 1, 1'000}));
    QCOMPARE(budgets.cloudTrail, (core::BudgetConfig {1, 1, 1'000}));
}

QTEST_GUILESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
