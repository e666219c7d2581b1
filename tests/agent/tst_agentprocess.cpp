// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The built spotkeeper-agent as a real process (QProcess) against the fakes: killed
// and restarted with an undelivered notice, SIGTERM, --check for each failure, the key
// refused on the command line, and no secret in anything it prints.
#include "protocol/messagecodec.h"
#include "support/agent/agentfakes.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agenttest;
using namespace Qt::StringLiterals;

namespace {
const QString kPreempt = u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s;
const QByteArray kSecretText = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr int kWaitMs = 20'000;
} // namespace

class TestAgentProcess final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void cleanupTestCase();

    void killedAndRestartedDeliversOnce();
    void checkAllOk();
    void checkReportsEachFailure_data();
    void checkReportsEachFailure();
    void checkLegacyMode();
    void keyOnCommandLineRefused();
    void badConfigExitsWithMessage();

private:
    QProcessEnvironment environment() const;
    void startAgent(QProcess &process, const QStringList &arguments = {});
    void stopAgent(QProcess &process, QByteArray *stderrText = nullptr); // SIGTERM
    QByteArray runCheck(const QProcessEnvironment &env, int *exitCode, QByteArray *stderrText);
    void waitForPolls(int more);

    std::unique_ptr<FakeImds> m_imds;
    std::unique_ptr<FakeDashboard> m_dashboard;
    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_allOutput; // everything every process printed, checked for secrets
};

void TestAgentProcess::init()
{
    m_imds = std::make_unique<FakeImds>();
    m_dashboard = std::make_unique<FakeDashboard>(testCredential());
    m_dir = std::make_unique<QTemporaryDir>();
    QString error;
    QVERIFY2(m_imds->start(&error), qPrintable(error));
    QVERIFY2(m_dashboard->start(&error), qPrintable(error));
    QFile conf(m_dir->filePath(u"agent.conf"_s)); // never read the machine's /etc
    QVERIFY(conf.open(QIODevice::WriteOnly));
}

void TestAgentProcess::cleanup()
{
    QCOMPARE(m_dashboard->badSignatures, 0);
    m_dashboard.reset();
    m_imds.reset();
}

void TestAgentProcess::cleanupTestCase()
{
    QVERIFY(!m_allOutput.isEmpty());
    QVERIFY(!m_allOutput.contains("whsec_"));
    QVERIFY(!m_allOutput.contains(kSecretText));
}

QProcessEnvironment TestAgentProcess::environment() const
{
    QProcessEnvironment env;
    env.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
    env.insert(u"SPOTKEEPER_AGENT_CONFIG"_s, m_dir->filePath(u"agent.conf"_s));
    env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, m_dashboard->baseUrl().toString());
    env.insert(u"SPOTKEEPER_AGENT_KEY"_s, u"agk_test whsec_"_s + QString::fromLatin1(kSecretText));
    env.insert(u"SPOTKEEPER_IMDS_URL"_s, m_imds->baseUrl().toString());
    env.insert(u"SPOTKEEPER_SPOOL_DIR"_s, m_dir->filePath(u"spool"_s));
    env.insert(u"SPOTKEEPER_POLL_INTERVAL"_s, u"200ms"_s);
    env.insert(u"SPOTKEEPER_POLL_TIMEOUT"_s, u"1s"_s);
    env.insert(u"SPOTKEEPER_FIRST_POLL_TIMEOUT"_s, u"5s"_s);
    env.insert(u"SPOTKEEPER_DELIVERY_TIMEOUT"_s, u"1s"_s);
    // Sanitizer builds: leak checks are the ASan test run's business, not this one's.
    env.insert(u"ASAN_OPTIONS"_s, u"detect_leaks=0"_s);
    return env;
}

void TestAgentProcess::startAgent(QProcess &process, const QStringList &arguments)
{
    process.setProcessEnvironment(environment());
    process.setProgram(QStringLiteral(SPOTKEEPER_AGENT_EXE));
    process.setArguments(arguments);
    process.start();
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
}

void TestAgentProcess::stopAgent(QProcess &process, QByteArray *stderrText)
{
    process.terminate(); // SIGTERM
    // Keep serving the fakes while it exits.
    QTRY_VERIFY_WITH_TIMEOUT(process.state() == QProcess::NotRunning, kWaitMs);
    const QByteArray err = process.readAllStandardError();
    m_allOutput += err + process.readAllStandardOutput();
    if (stderrText)
        *stderrText = err;
}

void TestAgentProcess::waitForPolls(int more)
{
    const int target = m_imds->eventPolls() + more;
    QTRY_VERIFY_WITH_TIMEOUT(m_imds->eventPolls() >= target, kWaitMs);
}

void TestAgentProcess::killedAndRestartedDeliversOnce()
{
    m_dashboard->mode = FakeDashboard::Mode::Unavailable;
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QProcess first;
    startAgent(first);
    QTRY_VERIFY_WITH_TIMEOUT(m_dashboard->noticeAttempts() >= 2, kWaitMs);
    first.kill(); // SIGKILL: no chance to flush anything
    QVERIFY(first.waitForFinished(kWaitMs));
    m_allOutput += first.readAllStandardError();
    QVERIFY(QFile::exists(m_dir->filePath(u"spool/notices.json"_s)));

    // IMDS still lists the event; the dashboard is back. The restarted agent delivers
    // the spooled notice once.
    m_dashboard->mode = FakeDashboard::Mode::Accept;
    QProcess second;
    startAgent(second);
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    const auto notice = protocol::decodeNotice(m_dashboard->accepted.first().body);
    QVERIFY(notice.ok());
    QCOMPARE(notice.value->event.eventId, kPreempt);
    waitForPolls(3);
    const int attempts = m_dashboard->noticeAttempts();
    QByteArray err;
    stopAgent(second, &err);
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(err.contains("1 pending, 0 delivered"), err.constData()); // read from the spool
    QVERIFY2(err.contains("stop: signal 15 received"), err.constData());
    QVERIFY2(err.contains("stop: spool flushed, 0 notice(s) pending"), err.constData());

    // A third start with the same spool: already delivered, nothing is sent again.
    QProcess third;
    startAgent(third);
    waitForPolls(4);
    QCOMPARE(m_dashboard->noticeAttempts(), attempts);
    QCOMPARE(m_dashboard->duplicates, 0);
    stopAgent(third);
    QCOMPARE(third.exitCode(), 0);
}

QByteArray TestAgentProcess::runCheck(const QProcessEnvironment &env, int *exitCode,
                                      QByteArray *stderrText)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(SPOTKEEPER_AGENT_EXE), {u"--check"_s});
    if (!process.waitForStarted())
        return {};
    // The fakes live in this thread: spin the event loop until the check finishes.
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, kWaitMs))
        process.kill();
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    const QByteArray out = process.readAllStandardOutput();
    *stderrText = process.readAllStandardError();
    m_allOutput += out + *stderrText;
    return out;
}

void TestAgentProcess::checkAllOk()
{
    int exitCode = -1;
    QByteArray err;
    const QByteArray out = runCheck(environment(), &exitCode, &err);
    QCOMPARE(exitCode, 0);
    const QList<QByteArray> lines = out.trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    QVERIFY2(lines.at(0).startsWith("OK   config: dashboard "), out.constData());
    QVERIFY2(lines.at(1).startsWith("OK   identity: VM vm-spot, resource group rg-spot"),
             out.constData());
    QVERIFY2(lines.at(2).startsWith("OK   scheduled events: incarnation 1, 0 event(s)"),
             out.constData());
    QVERIFY2(lines.at(3).startsWith("OK   spool: "), out.constData());
    QVERIFY2(lines.at(4).startsWith("OK   dashboard: signed test heartbeat accepted"),
             out.constData());
    QCOMPARE(lines.at(5), QByteArray("check: all 5 checks passed"));
    QCOMPARE(m_dashboard->heartbeats.size(), 1);
    QVERIFY(m_dashboard->heartbeats.first().header("webhook-id").startsWith("hb_check_"));
    const auto heartbeat = protocol::decodeHeartbeat(m_dashboard->heartbeats.first().body);
    QVERIFY(heartbeat.ok());
    QVERIFY(heartbeat.value->identityKnown);
    QVERIFY(heartbeat.value->lastPoll.ok);
}

void TestAgentProcess::checkReportsEachFailure_data()
{
    QTest::addColumn<QString>("failure");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("imds unreachable")
        << u"imds-down"_s
        << QStringList {u"FAIL identity: cannot read IMDS instance metadata"_s,
                        u"FAIL scheduled events: poll failed"_s, u"OK   dashboard"_s,
                        u"check: 2 of 5 checks failed"_s};
    QTest::newRow("identity 500") << u"identity-500"_s
                                  << QStringList {
                                         u"FAIL identity: cannot read IMDS instance metadata at"_s,
                                         u"(HTTP 500)"_s, u"OK   scheduled events"_s,
                                         u"check: 1 of 5 checks failed"_s};
    QTest::newRow("scheduled events 429")
        << u"events-429"_s
        << QStringList {u"OK   identity"_s, u"FAIL scheduled events: poll failed (HTTP 429)"_s,
                        u"check: 1 of 5 checks failed"_s};
    QTest::newRow("scheduled events garbage")
        << u"events-garbage"_s
        << QStringList {u"FAIL scheduled events: poll failed (unreadable document: "
                        "DocumentIncarnation"_s};
    QTest::newRow("wrong key") << u"unauthorized"_s
                               << QStringList {
                                      u"FAIL dashboard: signed test heartbeat to "_s,
                                      u"failed: HTTP 401 (bad_signature) - check the agent key"_s,
                                      u"check: 1 of 5 checks failed"_s};
    QTest::newRow("dashboard unreachable")
        << u"dashboard-down"_s
        << QStringList {u"FAIL dashboard: "_s, u"is the dashboard reachable from this VM?"_s};
    QTest::newRow("dashboard timeout")
        << u"dashboard-hang"_s << QStringList {u"FAIL dashboard: "_s, u"timed out after 1000 ms"_s};
    QTest::newRow("spool not writable")
        << u"spool-file"_s << QStringList {u"FAIL spool: "_s, u"check: 1 of 5 checks failed"_s};
}

void TestAgentProcess::checkReportsEachFailure()
{
    QFETCH(QString, failure);
    QFETCH(QStringList, expected);
    QProcessEnvironment env = environment();
    auto closedPort = [] {
        testsupport::FakeHttpServer gone;
        gone.start();
        return gone.baseUrl().toString(); // nothing listens there once `gone` is destroyed
    };
    if (failure == "imds-down"_L1)
        env.insert(u"SPOTKEEPER_IMDS_URL"_s, closedPort());
    else if (failure == "identity-500"_L1)
        m_imds->instanceScript = {{ImdsStep::Status, 500}};
    else if (failure == "events-429"_L1)
        m_imds->eventsScript = {{ImdsStep::Status, 429}};
    else if (failure == "events-garbage"_L1)
        m_imds->document = R"({"Events":[]})";
    else if (failure == "unauthorized"_L1)
        m_dashboard->mode = FakeDashboard::Mode::Unauthorized;
    else if (failure == "dashboard-down"_L1)
        env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, closedPort());
    else if (failure == "dashboard-hang"_L1)
        m_dashboard->mode = FakeDashboard::Mode::Hang;
    else if (failure == "spool-file"_L1) {
        QFile file(m_dir->filePath(u"not-a-dir"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        env.insert(u"SPOTKEEPER_SPOOL_DIR"_s, file.fileName());
    }
    int exitCode = -1;
    QByteArray err;
    const QString out = QString::fromUtf8(runCheck(env, &exitCode, &err));
    QCOMPARE(exitCode, 1);
    for (const QString &text : expected)
        QVERIFY2(out.contains(text), qPrintable(u"missing '"_s + text + u"' in:\n"_s + out));
    QVERIFY(out.trimmed().split(u'\n').size() == 6); // one line per check, then the total
}

void TestAgentProcess::checkLegacyMode()
{
    // Drop-in migration: only the original design's variables are set.
    QProcessEnvironment env = environment();
    env.remove(u"SPOTKEEPER_DASHBOARD_URL"_s);
    env.remove(u"SPOTKEEPER_AGENT_KEY"_s);
    env.insert(u"WEBHOOK_URL"_s, m_dashboard->baseUrl().toString());
    env.insert(u"WEBHOOK_API_KEY"_s, u"legacy-bearer-secret"_s);
    int exitCode = -1;
    QByteArray err;
    const QByteArray out = runCheck(env, &exitCode, &err);
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains("OK   config: legacy webhook http://127.0.0.1:"), out.constData());
    QVERIFY2(out.contains("OK   dashboard: legacy webhook accepted by"), out.constData());
    QCOMPARE(m_dashboard->legacy.size(), 1);
    QCOMPARE(m_dashboard->legacy.first().header("Authorization"),
             QByteArray("Bearer legacy-bearer-secret"));
    QVERIFY(!out.contains("legacy-bearer-secret") && !err.contains("legacy-bearer-secret"));
}

void TestAgentProcess::keyOnCommandLineRefused()
{
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(QStringLiteral(SPOTKEEPER_AGENT_EXE),
                  {u"--key"_s, u"agk_test whsec_"_s + QString::fromLatin1(kSecretText)});
    QVERIFY(process.waitForFinished(kWaitMs));
    QCOMPARE(process.exitCode(), 2);
    const QByteArray err = process.readAllStandardError();
    m_allOutput += err;
    QVERIFY2(err.contains("refusing to take an agent key from the command line"), err.constData());
    QCOMPARE(m_imds->server().count(), 0); // refused before doing anything
}

void TestAgentProcess::badConfigExitsWithMessage()
{
    QProcessEnvironment env = environment();
    env.insert(u"SPOTKEEPER_POLL_INTERVAL"_s, u"10ms"_s);
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(SPOTKEEPER_AGENT_EXE), QStringList {});
    QVERIFY(process.waitForFinished(kWaitMs));
    QCOMPARE(process.exitCode(), 2);
    const QByteArray err = process.readAllStandardError();
    m_allOutput += err;
    QVERIFY2(err.contains("poll-interval: '10ms' is not a duration of at least 200 ms"),
             err.constData());
}

QTEST_GUILESS_MAIN(TestAgentProcess)
#include "tst_agentprocess.moc"
