// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/messagecodec.h"
#include "store/store.h"
#include "support/http/fakehttpserver.h"
#include "support/http/rawhttpclient.h"
#include "support/listener/listenertestkit.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace spotkeeper;
using namespace spotkeeper::listenertest;
using namespace Qt::StringLiterals;

// spotkeeperd as a real process: durable 2xx across SIGKILL, clean SIGTERM, operator
// subcommands, and refusing to start with a message on each bad setup.
class TestSpotkeeperd : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void everyAcknowledgedNoticeSurvivesSigkill();
    void refusesToStart_data();
    void refusesToStart();
    void insecureListenWarnsAtStart();
    void notifyTestSendsThroughTheChannel();

private:
    static QString binary()
    {
        return QStringLiteral(SPOTKEEPER_BINARY_DIR "/app/headless/spotkeeperd");
    }
    void writeConfig(const QByteArray &extra = {});
    QProcessEnvironment environment() const;
    int runCommand(const QStringList &args, QByteArray *out, QByteArray *err);
    // Starts the server; returns its port, 0 if it did not say it listens.
    quint16 startServer(QProcess &process, const QStringList &extraArgs = {},
                        QByteArray *log = nullptr);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_config;
    QString m_store;
};

void TestSpotkeeperd::init()
{
    QVERIFY2(QFile::exists(binary()), qPrintable(binary()));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_config = m_dir->filePath(u"spotkeeperd.conf"_s);
    m_store = m_dir->filePath(u"state/spotkeeper.db"_s);
    writeConfig();
}

void TestSpotkeeperd::cleanup()
{
    m_dir.reset();
}

void TestSpotkeeperd::writeConfig(const QByteArray &extra)
{
    // Every Azure endpoint points at a closed local port: nothing leaves the machine.
    QByteArray text =
        "[listen]\nport = 0\nread_deadline_seconds = 3\n[store]\npath = " + m_store.toUtf8()
        + "\n[azure]\narm_endpoint = http://127.0.0.1:1/\nauthority_host = http://127.0.0.1:1/\n"
          "imds_endpoint = http://127.0.0.1:1\naz_program = /bin/false\n"
        + extra;
    QFile file(m_config);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

QProcessEnvironment TestSpotkeeperd::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(u"AZURE_"_s) || name.startsWith(u"SPOTKEEPER_"_s)
            || name == u"MSI_ENDPOINT"_s || name == u"IDENTITY_ENDPOINT"_s)
            env.remove(name);
    }
    return env;
}

int TestSpotkeeperd::runCommand(const QStringList &args, QByteArray *out, QByteArray *err)
{
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(binary(), QStringList {u"-c"_s, m_config} + args);
    if (!process.waitForFinished(30'000)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    *out = process.readAllStandardOutput();
    *err = process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

quint16 TestSpotkeeperd::startServer(QProcess &process, const QStringList &extraArgs,
                                     QByteArray *log)
{
    process.setProcessEnvironment(environment());
    process.start(binary(), QStringList {u"-c"_s, m_config} + extraArgs);
    static const QRegularExpression listening(u"listening on [^ ]*:(\\d+) "_s);
    QByteArray seen;
    QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired() && process.state() != QProcess::NotRunning) {
        process.setReadChannel(QProcess::StandardError);
        process.waitForReadyRead(200);
        seen += process.readAllStandardError();
        const auto match = listening.match(QString::fromUtf8(seen));
        if (match.hasMatch()) {
            if (log)
                *log = seen;
            return quint16(match.captured(1).toUInt());
        }
    }
    qWarning("spotkeeperd did not start: %s", seen.constData());
    return 0;
}

void TestSpotkeeperd::everyAcknowledgedNoticeSurvivesSigkill()
{
    // An operator enrolls the VM with the CLI, as docs/SERVER.md says.
    QByteArray out;
    QByteArray err;
    const QString keyFile = m_dir->filePath(u"agent.key"_s);
    QCOMPARE(runCommand({u"keys"_s, u"generate"_s, u"--vm"_s, vmResourceId(u"vm-a"_s), u"--out"_s,
                         keyFile},
                        &out, &err),
             0);
    QFile file(keyFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    QString error;
    const auto credential = protocol::AgentCredential::parse(file.readAll(), &error);
    QVERIFY2(credential, qPrintable(error));

    QProcess server;
    const quint16 port = startServer(server);
    QVERIFY(port != 0);

    constexpr int kConnections = 8;
    std::vector<std::unique_ptr<testsupport::RawHttpClient>> clients;
    for (int i = 0; i < kConnections; ++i) {
        clients.push_back(std::make_unique<testsupport::RawHttpClient>());
        QVERIFY(clients.back()->connectTo(port));
    }
    QSet<QString> acknowledged;
    int sent = 0;
    bool killed = false;
    for (int round = 0; round < 1000 && !killed; ++round) {
        QStringList ids;
        for (auto &client : clients) {
            const QString id = u"msg_"_s + QString::number(sent);
            const qint64 now = QDateTime::currentSecsSinceEpoch();
            const QByteArray body = protocol::encodeNotice(makeNotice(
                u"vm-a"_s, newEventId(sent), QDateTime::fromSecsSinceEpoch(now, Qt::UTC)));
            const SignedRequest request =
                sign(body, credential->keyId, credential->secrets, id, now);
            client->send(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
            ids.append(id);
            ++sent;
        }
        // Kill while this round is in flight: some of it may be committed, some not.
        if (acknowledged.size() >= 200) {
            server.kill(); // SIGKILL
            killed = true;
        }
        for (int i = 0; i < kConnections; ++i) {
            const auto response = clients[i]->readResponse(killed ? 2'000 : 10'000);
            if (response.status >= 200 && response.status < 300)
                acknowledged.insert(ids.at(i));
            else if (!killed)
                QFAIL(qPrintable(u"unexpected answer "_s + QString::number(response.status)));
        }
    }
    QVERIFY(killed);
    if (server.state() != QProcess::NotRunning)
        QVERIFY(server.waitForFinished(10'000));
    QCOMPARE(server.exitStatus(), QProcess::CrashExit);
    clients.clear();

    // Restart on the same store: it opens, answers, and drains on SIGTERM with exit 0.
    QProcess again;
    const quint16 port2 = startServer(again);
    QVERIFY(port2 != 0);
    testsupport::RawHttpClient probe;
    QVERIFY(probe.connectTo(port2));
    probe.send(rawRequest("GET", "/healthz", {}, {}));
    QCOMPARE(probe.readResponse(10'000).status, 200);
    ::kill(pid_t(again.processId()), SIGTERM);
    QVERIFY(again.waitForFinished(20'000));
    QCOMPARE(again.exitStatus(), QProcess::NormalExit);
    QCOMPARE(again.exitCode(), 0);

    core::StoreError storeError;
    auto store = core::Store::open(core::StoreOptions {m_store, true, 5000, nullptr}, &storeError);
    QVERIFY2(store, qPrintable(storeError.message));
    core::EventFilter filter;
    filter.kinds = {core::EventKind::Notice};
    filter.limit = 0;
    QSet<QString> stored;
    const QList<core::EventRecord> events = store->events(filter);
    for (const core::EventRecord &event : events)
        stored.insert(event.webhookId);
    for (const QString &id : std::as_const(acknowledged))
        QVERIFY2(stored.contains(id), qPrintable(id + u" got a 2xx but is not in the store"_s));
    QVERIFY(stored.size() <= sent);
    qInfo("sent %d, acknowledged %lld, stored %lld", sent, qint64(acknowledged.size()),
          qint64(stored.size()));
}

void TestSpotkeeperd::refusesToStart_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("setup");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad config") << QByteArray("[listen]\nprot = 8443\n") << QString() << 2
                                << u"unknown setting 'prot'"_s;
    QTest::newRow("public address without TLS")
        << QByteArray() << u"public"_s << 2 << u"--insecure-listen"_s;
    QTest::newRow("unreadable certificate") << QByteArray(
        "[tls]\ncertificate = /nonexistent/server.pem\nprivate_key = /nonexistent/server.key\n")
                                            << QString() << 1 << u"TLS"_s;
    QTest::newRow("agent CA not a certificate")
        << QByteArray("[tls]\ncertificate = " SPOTKEEPER_TEST_DATA
                      "/tls/server.pem\nprivate_key = " SPOTKEEPER_TEST_DATA
                      "/tls/server.key\nagent_ca = " SPOTKEEPER_TEST_DATA "/tls/not-pem.txt\n")
        << QString() << 1 << u"agent CA file"_s;
    QTest::newRow("busy port") << QByteArray() << u"busy"_s << 1
                               << u"cannot listen on 127.0.0.1:"_s;
    QTest::newRow("newer schema") << QByteArray() << u"newer"_s << 1 << u"newer SpotKeeper"_s;
    // Issue 15: a Google Cloud key file that is missing or no service-account key.
    QTest::newRow("missing gcp key file")
        << QByteArray("[gcp]\ncredentials_file = /nonexistent/gcp-key.json\n") << QString() << 1
        << u"cannot read the Google Cloud credentials file /nonexistent/gcp-key.json"_s;
    QTest::newRow("gcp key file of another kind")
        << QByteArray("[gcp]\ncredentials_file = " SPOTKEEPER_TEST_DATA "/gcp/README.md\n")
        << QString() << 1 << u"Google Cloud credentials"_s;
}

void TestSpotkeeperd::refusesToStart()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, setup);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QStringList args;
    QTcpServer occupier;
    if (setup == u"busy"_s) {
        QVERIFY(occupier.listen(QHostAddress(QHostAddress::LocalHost), 0));
        args = {u"--port"_s, QString::number(occupier.serverPort())};
    } else if (setup == u"public"_s) {
        args = {u"--listen"_s, u"0.0.0.0"_s};
    } else if (setup == u"newer"_s) {
        QDir().mkpath(QFileInfo(m_store).absolutePath());
        {
            core::StoreError error;
            QVERIFY(core::Store::open(core::StoreOptions {m_store, false, 5000, nullptr}, &error));
        }
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw"_s);
            db.setDatabaseName(m_store);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(
                u"UPDATE schema_meta SET meta_value = '%1' WHERE meta_key = 'schema_version'"_s.arg(
                    core::Store::currentSchemaVersion() + 1)));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"raw"_s);
    }
    writeConfig(config);
    QByteArray out;
    QByteArray err;
    QCOMPARE(runCommand(args, &out, &err), exitCode);
    QVERIFY2(QString::fromUtf8(err).contains(message), err.constData());
    QVERIFY2(err.startsWith("<3>"), err.constData()); // journald priority: error
}

void TestSpotkeeperd::insecureListenWarnsAtStart()
{
    QProcess server;
    QByteArray log;
    const quint16 port =
        startServer(server, {u"--listen"_s, u"0.0.0.0"_s, u"--insecure-listen"_s}, &log);
    QVERIFY(port != 0);
    QVERIFY2(log.contains("<4>spotkeeperd: listening on a non-loopback address WITHOUT TLS"),
             log.constData());
    ::kill(pid_t(server.processId()), SIGTERM);
    QVERIFY(server.waitForFinished(20'000));
    QCOMPARE(server.exitCode(), 0);
}

// `spotkeeperd notify test <channel>`: one signed test message to the receiver now, exit 0;
// a receiver that refuses it, exit 1 with the status; an unknown channel names the known ones.
void TestSpotkeeperd::notifyTestSendsThroughTheChannel()
{
    testsupport::FakeHttpServer receiver;
    QVERIFY(receiver.start());
    testsupport::Route &route = receiver.route("POST", "/hook");
    route.respond(204, {});
    QFile secret(m_dir->filePath(u"ops.secret"_s));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    secret.close();
    writeConfig("[notify.ops]\ntype = webhook\nurl = " + receiver.url(u"/hook"_s).toEncoded()
                + "\nsecret_file = " + secret.fileName().toUtf8() + "\n");
    // The receiver runs on this thread: wait for the process with the event loop running.
    const auto run = [&](const QStringList &args, QByteArray *output) {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(binary(), QStringList {u"-c"_s, m_config} + args);
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 30'000))
            process.kill();
        process.waitForFinished();
        *output = process.readAll();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    };
    QByteArray output;
    QCOMPARE(run({u"notify"_s, u"test"_s, u"ops"_s}, &output), 0);
    QVERIFY2(output.contains("ops: test notification delivered (status 204)"), output.constData());
    QCOMPARE(receiver.count("POST", "/hook"), 1);
    const testsupport::RecordedRequest request = receiver.last();
    QVERIFY(request.header("webhook-id").startsWith("test_"));
    QVERIFY(!request.header("webhook-signature").isEmpty());
    QCOMPARE(request.json().object().value(u"type"_s).toString(), u"spotkeeper.test"_s);

    route.respond(503, "{}");
    QCOMPARE(run({u"notify"_s, u"test"_s, u"ops"_s}, &output), 1);
    QVERIFY2(output.contains("HTTP 503"), output.constData());
    QCOMPARE(run({u"notify"_s, u"test"_s, u"pager"_s}, &output), 1);
    QVERIFY2(output.contains("no notify channel 'pager' (configured: ops)"), output.constData());
    QCOMPARE(run({u"notify"_s, u"status"_s}, &output), 0);
    QVERIFY2(output.contains("ops (webhook): 0 pending, 0 delivered, 0 failed"),
             output.constData());
}

QTEST_GUILESS_MAIN(TestSpotkeeperd)
#include "tst_spotkeeperd.moc"
