// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The agent's application health probe: its settings, each probe kind against real
// servers and processes on this machine (healthy and every failure path), and the
// agent's heartbeats carrying the result. No assertion on how long anything took.
#include "agentcore/agent.h"
#include "agentcore/agentconfig.h"
#include "agentcore/healthprobe.h"
#include "protocol/messagecodec.h"
#include "support/agent/agentfakes.h"
#include "support/http/fakehttpserver.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

// QCOMPARE cannot print the protocol's enums (ADL finds protocol::toString, a QString).
#define QCOMPARE_TEXT(actual, expected)                                                            \
    QCOMPARE(spotkeeper::protocol::toString(actual), spotkeeper::protocol::toString(expected))

namespace {
constexpr int kWaitMs = 15'000;

// Settings as the config file and flags give them (names with '-').
QString readError(const QHash<QString, QString> &values, HealthProbeConfig *probe = nullptr)
{
    HealthProbeConfig scratch;
    QString error;
    readHealthProbe(values, probe ? probe : &scratch, &error);
    return error;
}

protocol::AppHealth probeOnce(const HealthProbeConfig &config)
{
    HealthProbe probe(config, base::systemClock());
    QSignalSpy probed(&probe, &HealthProbe::probed);
    probe.probeNow();
    if (!probed.wait(kWaitMs))
        return {};
    return probed.first().first().value<protocol::AppHealth>();
}

HealthProbeConfig commandProbe(const QString &command, int timeoutMs = 5'000)
{
    HealthProbeConfig c;
    c.kind = protocol::ProbeKind::Command;
    c.command = command;
    c.timeoutMs = timeoutMs;
    return c;
}

HealthProbeConfig httpProbe(const QUrl &url, int expectStatus = 0, int timeoutMs = 5'000)
{
    HealthProbeConfig c;
    c.kind = protocol::ProbeKind::Http;
    c.url = url;
    c.expectStatus = expectStatus;
    c.timeoutMs = timeoutMs;
    return c;
}

HealthProbeConfig tcpProbe(quint16 port)
{
    HealthProbeConfig c;
    c.kind = protocol::ProbeKind::Tcp;
    c.host = u"127.0.0.1"_s;
    c.port = port;
    return c;
}

// A port nothing listens on: one the OS handed out, then closed.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}
} // namespace

class TestHealthProbe final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void settings_data();
    void settings();
    void settingsFromFlagsAndEnvironment();

    void httpHealthy();
    void httpWrongStatus();
    void httpExpectedStatus();
    void httpTimeout();
    void httpRefused();
    void tcpConnected();
    void tcpRefused();
    void commandHealthy();
    void commandNonZero();
    void commandKilledAtTimeout();
    void commandGetsScrubbedEnvironment();
    void stateChangedOnlyOnFlips();

    void heartbeatsCarryTheResult();
    void noProbeKeepsTheOldHeartbeat();
};

void TestHealthProbe::initTestCase()
{
    qRegisterMetaType<protocol::AppHealth>();
}

void TestHealthProbe::settings_data()
{
    QTest::addColumn<QStringList>("keyValues");
    QTest::addColumn<QString>("error"); // a part of it; empty = accepted

    QTest::newRow("none") << QStringList {} << QString();
    QTest::newRow("url") << QStringList {u"health-url"_s, u"http://127.0.0.1:8080/healthz"_s}
                         << QString();
    QTest::newRow("https url") << QStringList {u"health-url"_s, u"https://localhost/ready"_s}
                               << QString();
    QTest::newRow("url not http") << QStringList {u"health-url"_s, u"ftp://host/x"_s}
                                  << u"health-url: 'ftp://host/x' is not an http(s) URL"_s;
    QTest::newRow("url credentials")
        << QStringList {u"health-url"_s, u"http://user:pw@127.0.0.1/"_s}
        << u"credentials do not belong"_s;
    QTest::newRow("status") << QStringList {u"health-url"_s, u"http://127.0.0.1/"_s,
                                            u"health-status"_s, u"204"_s}
                            << QString();
    QTest::newRow("status bad") << QStringList {u"health-url"_s, u"http://127.0.0.1/"_s,
                                                u"health-status"_s, u"2xx"_s}
                                << u"health-status: '2xx' is not an HTTP status"_s;
    QTest::newRow("status without url")
        << QStringList {u"health-tcp"_s, u"127.0.0.1:80"_s, u"health-status"_s, u"200"_s}
        << u"only an HTTP probe"_s;
    QTest::newRow("tcp") << QStringList {u"health-tcp"_s, u"127.0.0.1:5432"_s} << QString();
    QTest::newRow("tcp bare port") << QStringList {u"health-tcp"_s, u"5432"_s} << QString();
    QTest::newRow("tcp v6") << QStringList {u"health-tcp"_s, u"[::1]:5432"_s} << QString();
    QTest::newRow("tcp bad port") << QStringList {u"health-tcp"_s, u"127.0.0.1:99999"_s}
                                  << u"health-tcp: '127.0.0.1:99999' is not host:port"_s;
    QTest::newRow("command") << QStringList {u"health-command"_s, u"/usr/bin/check --x"_s}
                             << QString();
    QTest::newRow("command unsplittable")
        << QStringList {u"health-command"_s, u"\"\""_s} << u"health-command: cannot split"_s;
    QTest::newRow("two probes") << QStringList {u"health-url"_s, u"http://127.0.0.1/"_s,
                                                u"health-tcp"_s, u"80"_s}
                                << u"set one probe, not several"_s;
    QTest::newRow("timeout") << QStringList {u"health-tcp"_s,      u"80"_s,
                                             u"health-timeout"_s,  u"2s"_s,
                                             u"health-interval"_s, u"30s"_s}
                             << QString();
    QTest::newRow("timeout not a duration")
        << QStringList {u"health-tcp"_s, u"80"_s, u"health-timeout"_s, u"soon"_s}
        << u"health-timeout: "_s;
    QTest::newRow("timeout too short")
        << QStringList {u"health-tcp"_s, u"80"_s, u"health-timeout"_s, u"10ms"_s}
        << u"health-timeout: '10ms' is not a duration of at least 100 ms"_s;
    QTest::newRow("timeout not below interval")
        << QStringList {u"health-tcp"_s,      u"80"_s, u"health-timeout"_s, u"10s"_s,
                        u"health-interval"_s, u"10s"_s}
        << u"must be shorter than health-interval"_s;
    QTest::newRow("timing without probe")
        << QStringList {u"health-interval"_s, u"30s"_s} << u"no probe is set"_s;
}

void TestHealthProbe::settings()
{
    QFETCH(QStringList, keyValues);
    QFETCH(QString, error);
    QHash<QString, QString> values;
    for (qsizetype i = 0; i + 1 < keyValues.size(); i += 2)
        values.insert(keyValues.at(i), keyValues.at(i + 1));
    HealthProbeConfig probe;
    const QString got = readError(values, &probe);
    if (error.isEmpty()) {
        QVERIFY2(got.isEmpty(), qPrintable(got));
        QCOMPARE(probe.enabled(), !values.isEmpty());
    } else {
        QVERIFY2(got.contains(error), qPrintable(got));
    }
}

void TestHealthProbe::settingsFromFlagsAndEnvironment()
{
    QTemporaryDir dir;
    QFile key(dir.filePath(u"agent.key"_s));
    QVERIFY(key.open(QIODevice::WriteOnly));
    key.write("key-1 whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
    key.close();
    key.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QFile conf(dir.filePath(u"agent.conf"_s));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("health_url = http://127.0.0.1:8080/healthz\nhealth-timeout = 2s\n");
    conf.close();
    QProcessEnvironment env;
    env.insert(u"SPOTKEEPER_HEALTH_STATUS"_s, u"204"_s);
    const QStringList args {u"spotkeeper-agent"_s,
                            u"--config"_s,
                            conf.fileName(),
                            u"--dashboard-url"_s,
                            u"http://127.0.0.1:8443"_s,
                            u"--key-file"_s,
                            key.fileName(),
                            u"--health-interval"_s,
                            u"20s"_s};
    const ConfigResult result = loadAgentConfig(args, env);
    QVERIFY2(result.config, qPrintable(result.error));
    const HealthProbeConfig &probe = result.config->health;
    QCOMPARE_TEXT(*probe.kind, protocol::ProbeKind::Http);
    QCOMPARE(probe.url, QUrl(u"http://127.0.0.1:8080/healthz"_s));
    QCOMPARE(probe.expectStatus, 204);
    QCOMPARE(probe.timeoutMs, 2'000);
    QCOMPARE(probe.intervalMs, 20'000);

    // A bad value stops the start with the setting's name.
    QStringList bad = args;
    bad << u"--health-tcp"_s << u"nowhere"_s;
    const ConfigResult refused = loadAgentConfig(bad, env);
    QVERIFY(!refused.config);
    QVERIFY2(refused.error.contains(u"set one probe, not several"_s), qPrintable(refused.error));
}

void TestHealthProbe::httpHealthy()
{
    testsupport::FakeHttpServer app;
    QVERIFY(app.start());
    app.route("GET", "/healthz").respond(200, "{}");
    const protocol::AppHealth result = probeOnce(httpProbe(app.url(u"/healthz"_s)));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Healthy);
    QCOMPARE_TEXT(result.probe, protocol::ProbeKind::Http);
    QCOMPARE(result.detail, u"HTTP 200"_s);
    QVERIFY(result.latencyMs >= 0);
    QVERIFY(result.at.isValid());
    QCOMPARE(app.count("GET", "/healthz"), 1);
}

void TestHealthProbe::httpWrongStatus()
{
    testsupport::FakeHttpServer app;
    QVERIFY(app.start());
    app.route("GET", "/healthz").respond(503, "{}");
    const protocol::AppHealth result = probeOnce(httpProbe(app.url(u"/healthz"_s)));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Unhealthy);
    QCOMPARE(result.detail, u"HTTP 503, expected 2xx"_s);
}

void TestHealthProbe::httpExpectedStatus()
{
    testsupport::FakeHttpServer app;
    QVERIFY(app.start());
    app.route("GET", "/healthz").respond(200, "{}");
    // 200 is not the configured 204.
    protocol::AppHealth result = probeOnce(httpProbe(app.url(u"/healthz"_s), 204));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Unhealthy);
    QCOMPARE(result.detail, u"HTTP 200, expected 204"_s);
    app.route("GET", "/healthz").respond(204, {});
    result = probeOnce(httpProbe(app.url(u"/healthz"_s), 204));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Healthy);
}

void TestHealthProbe::httpTimeout()
{
    testsupport::FakeHttpServer app;
    QVERIFY(app.start());
    app.route("GET", "/healthz").hangUp();
    const protocol::AppHealth result = probeOnce(httpProbe(app.url(u"/healthz"_s), 0, 300));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Unhealthy);
    QVERIFY2(result.detail.contains(u"timed out"_s), qPrintable(result.detail));
}

void TestHealthProbe::httpRefused()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    const protocol::AppHealth result =
        probeOnce(httpProbe(QUrl(u"http://127.0.0.1:%1/healthz"_s.arg(port))));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Unhealthy);
    QVERIFY2(result.detail.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(result.detail));
}

void TestHealthProbe::tcpConnected()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const protocol::AppHealth result = probeOnce(tcpProbe(server.serverPort()));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Healthy);
    QCOMPARE_TEXT(result.probe, protocol::ProbeKind::Tcp);
    QCOMPARE(result.detail, u"connected to 127.0.0.1:%1"_s.arg(server.serverPort()));
}

void TestHealthProbe::tcpRefused()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    const protocol::AppHealth result = probeOnce(tcpProbe(port));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Unhealthy);
    QVERIFY2(result.detail.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(result.detail));
}

void TestHealthProbe::commandHealthy()
{
    const protocol::AppHealth result = probeOnce(commandProbe(u"/bin/sh -c \"exit 0\""_s));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Healthy);
    QCOMPARE_TEXT(result.probe, protocol::ProbeKind::Command);
    QCOMPARE(result.detail, u"exited with status 0"_s);
}

void TestHealthProbe::commandNonZero()
{
    const protocol::AppHealth result = probeOnce(commandProbe(u"/bin/sh -c \"exit 3\""_s));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Unhealthy);
    QCOMPARE(result.detail, u"exited with status 3"_s);
    const protocol::AppHealth missing = probeOnce(commandProbe(u"/nonexistent/spotkeeper-probe"_s));
    QCOMPARE_TEXT(missing.state, protocol::AppHealthState::Unhealthy);
    QVERIFY2(missing.detail.startsWith(u"failed to start"_s), qPrintable(missing.detail));
}

void TestHealthProbe::commandKilledAtTimeout()
{
    QTemporaryDir dir;
    const QString marker = dir.filePath(u"survived"_s);
    // Would write the marker after 5 s; the 300 ms limit kills it first.
    const protocol::AppHealth result =
        probeOnce(commandProbe(u"/bin/sh -c \"sleep 5; touch %1\""_s.arg(marker), 300));
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Unhealthy);
    QCOMPARE(result.detail, u"killed after the 300 ms time limit"_s);
}

void TestHealthProbe::commandGetsScrubbedEnvironment()
{
    QTemporaryDir dir;
    QFile script(dir.filePath(u"probe.sh"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(
        "test -z \"$SPOTKEEPER_AGENT_KEY$WEBHOOK_API_KEY\" && test \"$SPOTKEEPER_PROBE\" = 1\n");
    script.close();
    qputenv("SPOTKEEPER_AGENT_KEY", "key-1 whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    qputenv("WEBHOOK_API_KEY", "legacy-bearer-secret");
    const protocol::AppHealth result = probeOnce(commandProbe(u"/bin/sh "_s + script.fileName()));
    qunsetenv("SPOTKEEPER_AGENT_KEY");
    qunsetenv("WEBHOOK_API_KEY");
    QCOMPARE_TEXT(result.state, protocol::AppHealthState::Healthy);
}

void TestHealthProbe::stateChangedOnlyOnFlips()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    HealthProbe probe(tcpProbe(server.serverPort()), base::systemClock());
    QSignalSpy probed(&probe, &HealthProbe::probed);
    QSignalSpy changed(&probe, &HealthProbe::stateChanged);
    QCOMPARE_TEXT(probe.current().state, protocol::AppHealthState::Pending);
    probe.probeNow();
    QVERIFY(probed.wait(kWaitMs));
    probe.probeNow();
    QVERIFY(probed.wait(kWaitMs));
    QCOMPARE(changed.size(), 1); // pending -> healthy, then healthy again: no news
    const quint16 port = server.serverPort();
    server.close();
    QVERIFY(port != 0);
    probe.probeNow();
    QVERIFY(probed.wait(kWaitMs));
    QCOMPARE(changed.size(), 2);
    QCOMPARE_TEXT(probe.current().state, protocol::AppHealthState::Unhealthy);
}

void TestHealthProbe::heartbeatsCarryTheResult()
{
    agenttest::FakeImds imds;
    agenttest::FakeDashboard dashboard(agenttest::testCredential());
    QTemporaryDir spool;
    QString error;
    QVERIFY2(imds.start(&error), qPrintable(error));
    QVERIFY2(dashboard.start(&error), qPrintable(error));
    QTcpServer appServer;
    QVERIFY(appServer.listen(QHostAddress::LocalHost, 0));

    AgentConfig c;
    c.dashboardUrl = dashboard.baseUrl();
    c.credential = agenttest::testCredential();
    c.imdsUrl = imds.baseUrl();
    c.pollIntervalMs = 200;
    c.heartbeatIntervalMs = 3'600'000; // only the heartbeats that news sends
    c.firstPollTimeoutMs = 5'000;
    c.pollTimeoutMs = 500;
    c.deliveryTimeoutMs = 2'000;
    c.spoolDir = spool.path();
    c.health = tcpProbe(appServer.serverPort());
    c.health.intervalMs = 200;
    c.health.timeoutMs = 150;
    Agent agentUnderTest(c, nullptr, base::systemClock(), 7);
    QVERIFY2(agentUnderTest.start(&error), qPrintable(error));

    auto lastApp = [&dashboard]() -> std::optional<protocol::AppHealth> {
        if (dashboard.heartbeats.isEmpty())
            return std::nullopt;
        const auto decoded = protocol::decodeHeartbeat(dashboard.heartbeats.last().body);
        return decoded.ok() ? decoded.value->app : std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(lastApp() && lastApp()->state == protocol::AppHealthState::Healthy,
                             kWaitMs);
    QCOMPARE(dashboard.heartbeats.last().json()[u"version"_s].toInt(), protocol::kAppHealthVersion);
    QCOMPARE_TEXT(lastApp()->probe, protocol::ProbeKind::Tcp);
    QVERIFY(lastApp()->latencyMs >= 0);

    // The application goes away: a heartbeat says so without waiting for the interval.
    appServer.close();
    QTRY_VERIFY_WITH_TIMEOUT(lastApp() && lastApp()->state == protocol::AppHealthState::Unhealthy,
                             kWaitMs);
    QVERIFY(lastApp()->detail.contains(u"refused"_s, Qt::CaseInsensitive));
    agentUnderTest.shutdown();
}

void TestHealthProbe::noProbeKeepsTheOldHeartbeat()
{
    protocol::Heartbeat heartbeat;
    heartbeat.vm.subscriptionId = u"8d10da13-8125-4ba9-a717-bf7490507b3d"_s;
    heartbeat.vm.resourceGroup = u"rg"_s;
    heartbeat.vm.vmName = u"vm-1"_s;
    heartbeat.vm.vmId = u"02aab8a4-74ef-476e-8182-f6d2ba4166a6"_s;
    heartbeat.vm.location = u"westeurope"_s;
    heartbeat.agentVersion = u"1.0.0"_s;
    heartbeat.sentAt = QDateTime::currentDateTimeUtc();
    // Without a probe: version 1, as before, so a dashboard that predates version 3 reads it.
    const QByteArray plain = protocol::encodeHeartbeat(heartbeat);
    QVERIFY(!plain.contains("\"app\""));
    QVERIFY(plain.contains("\"version\":1"));
    const auto decoded = protocol::decodeHeartbeat(plain);
    QVERIFY(decoded.ok());
    QVERIFY(!decoded.value->app);
}

QTEST_GUILESS_MAIN(TestHealthProbe)
#include "tst_healthprobe.moc"
