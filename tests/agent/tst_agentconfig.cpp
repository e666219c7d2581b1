// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Configuration: precedence, the key never from the command line, legacy variables,
// and a clear error for each bad input.
#include "agentcore/agentconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {
const QByteArray kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const QByteArray kKeyLine = "agk_test " + kSecret + "\n";
} // namespace

class TestAgentConfig final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void defaultsWithKeyFile();
    void precedenceCommandLineOverEnvironmentOverFile();
    void keyFromEnvironment();
    void keyOnCommandLineRefused_data();
    void keyOnCommandLineRefused();
    void keyInConfigFileRefused();
    void systemdDirectories();
    void legacyWebhookVariables();
    void legacyNeedsApiKey();
    void ownSettingsWinOverLegacy();
    void badInput_data();
    void badInput();
    void durations();
    void helpAndVersion();

private:
    QString writeFile(const QString &name, const QByteArray &contents);
    QProcessEnvironment baseEnv() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_keyFile;
};

void TestAgentConfig::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_keyFile = writeFile(u"agent.key"_s, kKeyLine);
    QFile::setPermissions(m_keyFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QString TestAgentConfig::writeFile(const QString &name, const QByteArray &contents)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QProcessEnvironment TestAgentConfig::baseEnv() const
{
    // Never the machine's own /etc/spotkeeper-agent: point the defaults into the temp dir.
    QProcessEnvironment env;
    env.insert(u"CONFIGURATION_DIRECTORY"_s, m_dir->filePath(u"etc"_s));
    return env;
}

void TestAgentConfig::defaultsWithKeyFile()
{
    const auto result =
        loadAgentConfig({u"spotkeeper-agent"_s, u"--dashboard-url"_s,
                         u"https://dash.example:8443"_s, u"--key-file"_s, m_keyFile},
                        baseEnv());
    QVERIFY2(result.config, qPrintable(result.error));
    const AgentConfig &config = *result.config;
    QVERIFY(config.mode == AgentConfig::Mode::Run);
    QCOMPARE(config.dashboardUrl, QUrl(u"https://dash.example:8443"_s));
    QCOMPARE(config.imdsUrl, QUrl(u"http://169.254.169.254"_s));
    QCOMPARE(config.pollIntervalMs, 1000);
    QCOMPARE(config.heartbeatIntervalMs, 60'000);
    QCOMPARE(config.firstPollTimeoutMs, 120'000);
    QCOMPARE(config.pollTimeoutMs, 5'000);
    QCOMPARE(config.spoolDir, u"/var/lib/spotkeeper-agent"_s);
    QVERIFY(!config.acknowledgeEvents);
    QVERIFY(!config.legacy);
    QCOMPARE(config.credential.keyId, u"agk_test"_s);
    QCOMPARE(config.credential.secrets.size(), 1);
    QCOMPARE(config.keySource, u"key file "_s + m_keyFile);
    QVERIFY(config.warnings.isEmpty());
}

void TestAgentConfig::precedenceCommandLineOverEnvironmentOverFile()
{
    const QString conf = writeFile(u"agent.conf"_s,
                                   "# comment\n"
                                   "dashboard-url = https://from-file.example\n"
                                   "poll_interval = 2s\n"
                                   "heartbeat-interval = 5min   # a trailing comment\n"
                                   "imds-url = \"http://127.0.0.1:9\"\n"
                                   "acknowledge-events = yes\n"
                                   "drain-hook = /bin/true --flag\n"
                                   "drain-timeout = 10s\n"
                                   "key-file = "
                                       + m_keyFile.toUtf8() + "\n");
    QProcessEnvironment env = baseEnv();
    env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, u"https://from-env.example"_s);
    env.insert(u"SPOTKEEPER_POLL_INTERVAL"_s, u"500ms"_s);
    const auto result = loadAgentConfig(
        {u"spotkeeper-agent"_s, u"--config"_s, conf, u"--poll-interval=250ms"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    const AgentConfig &config = *result.config;
    QCOMPARE(config.configFile, conf);
    QCOMPARE(config.dashboardUrl, QUrl(u"https://from-env.example"_s)); // env over file
    QCOMPARE(config.pollIntervalMs, 250); // command line over env
    QCOMPARE(config.heartbeatIntervalMs, 300'000); // file
    QCOMPARE(config.imdsUrl, QUrl(u"http://127.0.0.1:9"_s));
    QVERIFY(config.acknowledgeEvents);
    QCOMPARE(config.drainHook, u"/bin/true --flag"_s);
    QCOMPARE(config.drainTimeoutMs, 10'000);
}

void TestAgentConfig::keyFromEnvironment()
{
    QProcessEnvironment env = baseEnv();
    env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, u"https://dash.example"_s);
    env.insert(u"SPOTKEEPER_AGENT_KEY"_s, QString::fromLatin1(kKeyLine));
    const auto result = loadAgentConfig({u"spotkeeper-agent"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QCOMPARE(result.config->credential.keyId, u"agk_test"_s);
    QCOMPARE(result.config->keySource, u"environment variable SPOTKEEPER_AGENT_KEY"_s);

    env.insert(u"SPOTKEEPER_AGENT_KEY"_s, u"agk_test not-a-secret!"_s);
    const auto bad = loadAgentConfig({u"spotkeeper-agent"_s}, env);
    QVERIFY(!bad.config);
    QVERIFY2(bad.error.contains("SPOTKEEPER_AGENT_KEY"_L1), qPrintable(bad.error));
}

void TestAgentConfig::keyOnCommandLineRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("--key") << QStringList {u"--key"_s, QString::fromLatin1(kKeyLine)};
    QTest::newRow("--key=") << QStringList {u"--key=agk_test"_s};
    QTest::newRow("--agent-key") << QStringList {u"--agent-key"_s, u"x"_s};
    QTest::newRow("-secret") << QStringList {u"-secret"_s, u"x"_s};
    QTest::newRow("--webhook-api-key") << QStringList {u"--webhook-api-key=abc"_s};
    QTest::newRow("whsec anywhere") << QStringList {
        u"--dashboard-url"_s, u"https://d.example/"_s + QString::fromLatin1(kSecret)};
}

void TestAgentConfig::keyOnCommandLineRefused()
{
    QFETCH(QStringList, arguments);
    QProcessEnvironment env = baseEnv();
    env.insert(u"SPOTKEEPER_AGENT_KEY"_s, QString::fromLatin1(kKeyLine));
    const auto result = loadAgentConfig(QStringList {u"spotkeeper-agent"_s} + arguments, env);
    QVERIFY(!result.config);
    QVERIFY2(result.error.contains("refusing to take an agent key from the command line"_L1),
             qPrintable(result.error));
    QVERIFY(!result.error.contains(QString::fromLatin1(kSecret)));
}

void TestAgentConfig::keyInConfigFileRefused()
{
    const QString conf = writeFile(u"agent.conf"_s,
                                   "dashboard-url = https://d.example\n"
                                   "agent_key = "
                                       + kKeyLine);
    const auto result = loadAgentConfig({u"spotkeeper-agent"_s, u"--config"_s, conf}, baseEnv());
    QVERIFY(!result.config);
    QVERIFY2(result.error.contains(":2: the agent key does not belong in the config file"_L1),
             qPrintable(result.error));
    QVERIFY(!result.error.contains(QString::fromLatin1(kSecret)));
}

void TestAgentConfig::systemdDirectories()
{
    QDir(m_dir->path()).mkpath(u"etc"_s);
    QDir(m_dir->path()).mkpath(u"creds"_s);
    writeFile(u"etc/agent.conf"_s, "dashboard-url = https://conf.example\n");
    writeFile(u"creds/agent.key"_s, kKeyLine);
    QProcessEnvironment env = baseEnv();
    env.insert(u"CREDENTIALS_DIRECTORY"_s, m_dir->filePath(u"creds"_s));
    env.insert(u"STATE_DIRECTORY"_s, m_dir->filePath(u"state"_s) + u":/other"_s);
    const auto result = loadAgentConfig({u"spotkeeper-agent"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QCOMPARE(result.config->configFile, m_dir->filePath(u"etc/agent.conf"_s));
    QCOMPARE(result.config->dashboardUrl, QUrl(u"https://conf.example"_s));
    QCOMPARE(result.config->keySource, u"key file "_s + m_dir->filePath(u"creds/agent.key"_s));
    QCOMPARE(result.config->spoolDir, m_dir->filePath(u"state"_s));
}

void TestAgentConfig::legacyWebhookVariables()
{
    QProcessEnvironment env = baseEnv();
    env.insert(u"WEBHOOK_URL"_s, u"https://old.example"_s);
    env.insert(u"WEBHOOK_API_KEY"_s, u"legacy-bearer-123"_s);
    auto result = loadAgentConfig({u"spotkeeper-agent"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QVERIFY(result.config->legacy);
    QCOMPARE(result.config->legacyWebhookUrl, QUrl(u"https://old.example/webhook"_s));
    QCOMPARE(result.config->legacyApiKey, QByteArray("legacy-bearer-123"));
    QVERIFY(!result.config->warnings.join(u' ').contains("legacy-bearer-123"_L1));
    // The warning tells the operator what to switch on, in the server's own words.
    QVERIFY(result.config->warnings.join(u' ').contains("[legacy_webhook] in spotkeeperd.conf"_L1));
    QVERIFY(!result.config->warnings.join(u' ').contains("seed"_L1, Qt::CaseInsensitive));

    env.insert(u"WEBHOOK_URL"_s, u"https://worker.example/custom/path"_s); // kept as given
    result = loadAgentConfig({u"spotkeeper-agent"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QCOMPARE(result.config->legacyWebhookUrl, QUrl(u"https://worker.example/custom/path"_s));
}

void TestAgentConfig::legacyNeedsApiKey()
{
    QProcessEnvironment env = baseEnv();
    env.insert(u"WEBHOOK_URL"_s, u"https://old.example"_s);
    const auto result = loadAgentConfig({u"spotkeeper-agent"_s}, env);
    QVERIFY(!result.config);
    QCOMPARE(result.error, u"WEBHOOK_URL is set but WEBHOOK_API_KEY is missing or empty"_s);
}

void TestAgentConfig::ownSettingsWinOverLegacy()
{
    QProcessEnvironment env = baseEnv();
    env.insert(u"WEBHOOK_URL"_s, u"https://old.example"_s);
    env.insert(u"WEBHOOK_API_KEY"_s, u"legacy"_s);
    env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, u"https://new.example"_s);
    env.insert(u"SPOTKEEPER_AGENT_KEY_FILE"_s, m_keyFile);
    const auto result = loadAgentConfig({u"spotkeeper-agent"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QVERIFY(!result.config->legacy);
    QCOMPARE(result.config->dashboardUrl, QUrl(u"https://new.example"_s));
}

void TestAgentConfig::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no dashboard") << QStringList {} << u"no dashboard configured"_s;
    QTest::newRow("ftp url") << QStringList {u"--dashboard-url"_s, u"ftp://x.example"_s}
                             << u"dashboard-url: 'ftp://x.example' is not an http(s) URL"_s;
    QTest::newRow("user info") << QStringList {u"--dashboard-url"_s, u"https://u:p@x.example"_s}
                               << u"credentials do not belong in the URL"_s;
    QTest::newRow("poll too fast")
        << QStringList {u"--poll-interval"_s, u"100ms"_s}
        << u"poll-interval: '100ms' is not a duration of at least 200 ms"_s;
    QTest::newRow("poll garbage") << QStringList {u"--poll-interval"_s, u"often"_s}
                                  << u"poll-interval: 'often'"_s;
    QTest::newRow("bad bool") << QStringList {u"--acknowledge-events"_s, u"maybe"_s}
                              << u"acknowledge-events: 'maybe' is not yes or no"_s;
    QTest::newRow("unknown option") << QStringList {u"--frobnicate"_s} << u"frobnicate"_s;
    QTest::newRow("positional") << QStringList {u"extra"_s} << u"unexpected argument 'extra'"_s;
    QTest::newRow("missing config")
        << QStringList {u"--config"_s, u"/nonexistent/agent.conf"_s}
        << u"cannot read the configuration file /nonexistent/agent.conf"_s;
    QTest::newRow("missing key file") << QStringList {u"--dashboard-url"_s, u"https://d.example"_s,
                                                      u"--key-file"_s, u"/nonexistent/agent.key"_s}
                                      << u"cannot read the agent key file /nonexistent/agent.key"_s;
    QTest::newRow("missing ca") << QStringList {u"--ca-file"_s, u"/nonexistent/ca.pem"_s}
                                << u"ca-file: cannot read /nonexistent/ca.pem"_s;
}

void TestAgentConfig::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    const auto result = loadAgentConfig(QStringList {u"spotkeeper-agent"_s} + arguments, baseEnv());
    QVERIFY(!result.config);
    QVERIFY2(result.error.contains(expected), qPrintable(result.error));
}

void TestAgentConfig::durations()
{
    // The grammar is base/duration.h's (tests/base/tst_duration); the agent adds its range.
    auto load = [this](const QString &option, const QString &value) {
        return loadAgentConfig({u"spotkeeper-agent"_s, u"--dashboard-url"_s, u"https://d.example"_s,
                                u"--key-file"_s, m_keyFile, option, value},
                               baseEnv());
    };
    const auto minutes = load(u"--heartbeat-interval"_s, u"2min"_s);
    QVERIFY2(minutes.config, qPrintable(minutes.error));
    QCOMPARE(minutes.config->heartbeatIntervalMs, 120'000);
    const auto fraction = load(u"--drain-timeout"_s, u"1.5s"_s);
    QVERIFY2(fraction.config, qPrintable(fraction.error));
    QCOMPARE(fraction.config->drainTimeoutMs, 1500);
    const auto week = load(u"--poll-interval"_s, u"168h"_s);
    QVERIFY2(week.config, qPrintable(week.error));
    QCOMPARE(week.config->pollIntervalMs, 604'800'000);

    const auto tooLong = load(u"--poll-interval"_s, u"169h"_s);
    QVERIFY(!tooLong.config);
    QCOMPARE(tooLong.error,
             u"poll-interval: '169h' is not a duration of at least 200 ms and at most 7 days "
             "(e.g. 500ms, 1s, 2m)"_s);
    const auto unknownUnit = load(u"--poll-timeout"_s, u"2d"_s);
    QVERIFY(!unknownUnit.config);
    QVERIFY2(unknownUnit.error.startsWith("poll-timeout: '2d' is not a duration: unknown unit "
                                          "'d'"_L1),
             qPrintable(unknownUnit.error));
}

void TestAgentConfig::helpAndVersion()
{
    const auto help = loadAgentConfig({u"spotkeeper-agent"_s, u"--help"_s}, baseEnv());
    QVERIFY(help.config);
    QVERIFY(help.config->mode == AgentConfig::Mode::Help);
    QVERIFY(help.text.contains("--dashboard-url"_L1));
    QVERIFY(help.text.contains("SPOTKEEPER_POLL_INTERVAL"_L1));
    const auto version = loadAgentConfig({u"spotkeeper-agent"_s, u"--version"_s}, baseEnv());
    QVERIFY(version.config);
    QCOMPARE(version.text, u"spotkeeper-agent "_s + QLatin1StringView(SPOTKEEPER_VERSION));
}

QTEST_GUILESS_MAIN(TestAgentConfig)
#include "tst_agentconfig.moc"
