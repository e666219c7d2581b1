// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/agentconfig.h"
#include "agentcore/dashboardclient.h"
#include "base/clock.h"
#include "headless/tlsinit.h"
#include "http/certificatereloader.h"
#include "http/httpserver.h"
#include "protocol/messagecodec.h"
#include "support/http/testhttpclient.h"
#include "support/listener/listenertestkit.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

// The TLS lifecycle of a deployment (issue 14): `spotkeeperd tls init` / `tls renew` make a
// private CA and a server certificate that Qt's QSslSocket accepts with hostname verification;
// the enrolment answer carries the CA, and the agent's own client trusts the server with it;
// a running server reloads the certificate on a file change and on SIGHUP (checked on the
// certificate a new connection is served), keeps the old one when the new file is bad, and
// /metrics shows the expiry. Everything on 127.0.0.1 with real TLS.
class TestTlsLifecycle final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void initMakesAChainQtVerifies();
    void initRefusesToOverwriteAndBadNames();
    void initFromTheCommandLine();
    void renewKeepsTheCa();
    void fileChangeSwitchesTheServedCertificate();
    void brokenReplacementKeepsTheOldCertificate();
    void daemonEnrolsReloadsOnSighupAndShowsExpiry();

private:
    static QString binary()
    {
        return QStringLiteral(SPOTKEEPER_BINARY_DIR "/app/headless/spotkeeperd");
    }
    headless::TlsInitOptions options() const;
    static QSslCertificate readCertificate(const QString &path);
    // The certificate a new connection to 127.0.0.1:port is served, verified against `ca`
    // under the name peerName; null when the handshake fails (*errors says why).
    static QSslCertificate servedCertificate(quint16 port, const QSslCertificate &ca,
                                             const QString &peerName = u"127.0.0.1"_s,
                                             QString *errors = nullptr);
    static void replaceFile(const QString &path, const QByteArray &data);
    static void answerOk(http::HttpServer &server);
    struct Served
    {
        headless::TlsFiles files;
        QSslCertificate ca;
        QSslCertificate certificate;
        std::shared_ptr<http::CertificateReloader> reloader;
    };
    // tls init in m_pki, served by `server` on 127.0.0.1 with a reloader watching the files
    // (settling 300 ms); nullopt when a step failed.
    std::optional<Served> serveNewPki(http::HttpServer &server);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_pki;
};

void TestTlsLifecycle::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
}

void TestTlsLifecycle::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_pki = m_dir->filePath(u"pki"_s);
}

headless::TlsInitOptions TestTlsLifecycle::options() const
{
    headless::TlsInitOptions o;
    o.directory = m_pki;
    o.subjectAltNames = {u"spotkeeper.example.com"_s, u"127.0.0.1"_s, u"::1"_s};
    return o;
}

QSslCertificate TestTlsLifecycle::readCertificate(const QString &path)
{
    const QList<QSslCertificate> all = QSslCertificate::fromPath(path);
    return all.isEmpty() ? QSslCertificate() : all.constFirst();
}

QSslCertificate TestTlsLifecycle::servedCertificate(quint16 port, const QSslCertificate &ca,
                                                    const QString &peerName, QString *errors)
{
    QSslSocket socket;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setCaCertificates({ca}); // nothing but the private CA
    conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
    socket.setSslConfiguration(conf);
    socket.setPeerVerifyName(peerName);
    QStringList seen;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket,
                     [&seen](const QList<QSslError> &list) {
                         for (const QSslError &e : list)
                             seen << e.errorString();
                     });
    socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
    // The server may run in this thread: wait with the event loop running.
    QDeadlineTimer deadline(10'000);
    while (!socket.isEncrypted() && seen.isEmpty() && !deadline.hasExpired()
           && socket.state() != QAbstractSocket::UnconnectedState)
        QTest::qWait(10);
    if (errors)
        *errors = seen.join(u"; "_s);
    return socket.isEncrypted() ? socket.peerCertificate() : QSslCertificate();
}

void TestTlsLifecycle::replaceFile(const QString &path, const QByteArray &data)
{
    QSaveFile file(path); // written beside, renamed over: an atomic replace
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(data);
    QVERIFY(file.commit());
}

void TestTlsLifecycle::answerOk(http::HttpServer &server)
{
    server.setHandler([](const http::Request &, std::shared_ptr<http::Responder> out) {
        out->send(http::Response::text(200, "ok"));
    });
}

std::optional<TestTlsLifecycle::Served> TestTlsLifecycle::serveNewPki(http::HttpServer &server)
{
    QString error;
    const auto files = headless::tlsInit(options(), &error);
    const http::TlsOptions tls {
        files ? files->certificate : QString(), files ? files->privateKey : QString(), {}};
    if (!files || !server.setTls(tls, &error)
        || !server.listen(QHostAddress::LocalHost, 0, &error)) {
        qWarning("cannot serve a new PKI: %s", qPrintable(error));
        return std::nullopt;
    }
    answerOk(server);
    Served served {*files, readCertificate(files->caCertificate),
                   readCertificate(files->certificate),
                   std::make_shared<http::CertificateReloader>(server, tls)};
    served.reloader->watch(300);
    return served;
}

void TestTlsLifecycle::initMakesAChainQtVerifies()
{
    QString error;
    const auto files = headless::tlsInit(options(), &error);
    QVERIFY2(files, qPrintable(error));
    // 0600 (Qt adds the "User" flags for the owner when that is the test's user).
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
        | QFileDevice::WriteUser;
    QCOMPARE(QFile::permissions(files->caKey), ownerOnly);
    QCOMPARE(QFile::permissions(files->privateKey), ownerOnly);
    QVERIFY(QFile::permissions(files->certificate) & QFileDevice::ReadOther);

    const QSslCertificate ca = readCertificate(files->caCertificate);
    const QSslCertificate server = readCertificate(files->certificate);
    QVERIFY(!ca.isNull() && !server.isNull());
    QVERIFY(ca.isSelfSigned());
    QCOMPARE(server.issuerInfo(QSslCertificate::CommonName),
             ca.subjectInfo(QSslCertificate::CommonName));
    const auto sans = server.subjectAlternativeNames();
    QCOMPARE(sans.values(QSsl::DnsEntry), QStringList {u"spotkeeper.example.com"_s});
    QCOMPARE(sans.values(QSsl::IpAddressEntry).size(), 2);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(server.expiryDate() > now.addDays(364) && server.expiryDate() < now.addDays(366));
    QVERIFY(ca.expiryDate() > now.addDays(3649) && ca.expiryDate() < now.addDays(3651));
    QCOMPARE(files->certificateExpiresAt.toSecsSinceEpoch(),
             server.expiryDate().toSecsSinceEpoch());

    QFile keyFile(files->privateKey);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslKey key(keyFile.readAll(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    QVERIFY(!key.isNull());
    QCOMPARE(key.length(), 256);

    // Served by the project's HTTP server: Qt verifies the chain with only the CA and the
    // host name against the SANs (DNS and IP); another name is refused.
    http::HttpServer httpServer;
    answerOk(httpServer);
    QVERIFY2(httpServer.setTls({files->certificate, files->privateKey, {}}, &error),
             qPrintable(error));
    QVERIFY(httpServer.listen(QHostAddress::LocalHost, 0, &error));
    QString errors;
    QCOMPARE(servedCertificate(httpServer.serverPort(), ca, u"127.0.0.1"_s, &errors), server);
    QVERIFY2(errors.isEmpty(), qPrintable(errors));
    QCOMPARE(servedCertificate(httpServer.serverPort(), ca, u"spotkeeper.example.com"_s, &errors),
             server);
    QVERIFY(
        servedCertificate(httpServer.serverPort(), ca, u"other.example.com"_s, &errors).isNull());
    QVERIFY2(errors.contains(u"host name"_s, Qt::CaseInsensitive), qPrintable(errors));
    // A client that does not have the CA refuses the server.
    QVERIFY(servedCertificate(httpServer.serverPort(),
                              readCertificate(QStringLiteral(SPOTKEEPER_TEST_DATA "/tls/ca.pem")))
                .isNull());
}

void TestTlsLifecycle::initRefusesToOverwriteAndBadNames()
{
    QString error;
    QVERIFY2(headless::tlsInit(options(), &error), qPrintable(error));
    const headless::TlsFiles files = headless::tlsFilesIn(m_pki);
    QFile caKey(files.caKey);
    QVERIFY(caKey.open(QIODevice::ReadOnly));
    const QByteArray before = caKey.readAll();
    caKey.close();

    QVERIFY(!headless::tlsInit(options(), &error));
    QVERIFY2(error.contains(u"exists"_s) && error.contains(u"--force"_s), qPrintable(error));
    QVERIFY(caKey.open(QIODevice::ReadOnly));
    QCOMPARE(caKey.readAll(), before);
    caKey.close();

    headless::TlsInitOptions bad = options();
    bad.force = true;
    bad.subjectAltNames = {u"spotkeeper.example.com"_s, u"not a host"_s};
    QVERIFY(!headless::tlsInit(bad, &error));
    QVERIFY2(error.contains(u"\"not a host\""_s), qPrintable(error));
    bad.subjectAltNames.clear();
    QVERIFY(!headless::tlsInit(bad, &error));
    QVERIFY2(error.contains(u"--san"_s), qPrintable(error));
    QVERIFY(caKey.open(QIODevice::ReadOnly));
    QCOMPARE(caKey.readAll(), before); // nothing written on a refusal
    caKey.close();

    headless::TlsInitOptions forced = options();
    forced.force = true;
    QVERIFY2(headless::tlsInit(forced, &error), qPrintable(error));
    QVERIFY(caKey.open(QIODevice::ReadOnly));
    QVERIFY(caKey.readAll() != before);
}

void TestTlsLifecycle::initFromTheCommandLine()
{
    QProcess process;
    const QStringList args {u"tls"_s,   u"init"_s,    u"--dir"_s,
                            m_pki,      u"--san"_s,   u"spotkeeper.example.com"_s,
                            u"--san"_s, u"10.0.0.5"_s};
    process.start(binary(), args);
    QVERIFY(process.waitForFinished(30'000));
    QCOMPARE(process.exitCode(), 0);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(out.contains(u"agent_ca = "_s + m_pki + u"/ca.pem"_s), qPrintable(out));
    const QSslCertificate server = readCertificate(m_pki + u"/server.pem"_s);
    QCOMPARE(server.subjectAlternativeNames().values(QSsl::IpAddressEntry),
             QStringList {u"10.0.0.5"_s});

    process.start(binary(), args); // again: refused, exit 1, the existing files named
    QVERIFY(process.waitForFinished(30'000));
    QCOMPARE(process.exitCode(), 1);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(u"exists"_s), qPrintable(err));
    QCOMPARE(readCertificate(m_pki + u"/server.pem"_s), server);
}

void TestTlsLifecycle::renewKeepsTheCa()
{
    QString error;
    const auto first = headless::tlsInit(options(), &error);
    QVERIFY2(first, qPrintable(error));
    const QSslCertificate ca = readCertificate(first->caCertificate);
    const QSslCertificate before = readCertificate(first->certificate);
    headless::TlsInitOptions renew = options();
    renew.serverValidityDays = 30;
    QVERIFY2(headless::tlsRenew(renew, &error), qPrintable(error));
    QCOMPARE(readCertificate(first->caCertificate), ca);
    const QSslCertificate after = readCertificate(first->certificate);
    QVERIFY(after != before);
    QCOMPARE(after.issuerInfo(QSslCertificate::CommonName),
             ca.subjectInfo(QSslCertificate::CommonName));
    QVERIFY(after.expiryDate() < QDateTime::currentDateTimeUtc().addDays(31));
    QCOMPARE(QFile::permissions(first->privateKey),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                 | QFileDevice::WriteUser);

    // Without a CA in the folder there is nothing to renew from.
    renew.directory = m_dir->filePath(u"empty"_s);
    QVERIFY(!headless::tlsRenew(renew, &error));
    QVERIFY2(error.contains(u"ca.pem"_s), qPrintable(error));
}

void TestTlsLifecycle::fileChangeSwitchesTheServedCertificate()
{
    QString error;
    http::HttpServer server;
    const std::optional<Served> pki = serveNewPki(server);
    QVERIFY(pki);
    const auto &[files, ca, first, watching] = *pki;
    http::CertificateReloader &reloader = *watching;
    QSignalSpy reloaded(&reloader, &http::CertificateReloader::reloaded);
    QCOMPARE(servedCertificate(server.serverPort(), ca), first);

    // `tls renew` replaces key and certificate by rename: new connections get the new one.
    QVERIFY2(headless::tlsRenew(options(), &error), qPrintable(error));
    const QSslCertificate second = readCertificate(files.certificate);
    QVERIFY(second != first);
    QTRY_COMPARE(reloaded.size(), 1);
    QCOMPARE(server.certificate(), second);
    QCOMPARE(servedCertificate(server.serverPort(), ca), second);
    QCOMPARE(reloader.failureCount(), 0); // the pair settled before it was read

    // Once more: the watch survived the rename.
    QVERIFY2(headless::tlsRenew(options(), &error), qPrintable(error));
    QTRY_COMPARE(reloaded.size(), 2);
    QCOMPARE(servedCertificate(server.serverPort(), ca), readCertificate(files.certificate));
}

void TestTlsLifecycle::brokenReplacementKeepsTheOldCertificate()
{
    QString error;
    http::HttpServer server;
    const std::optional<Served> pki = serveNewPki(server);
    QVERIFY(pki);
    const auto &[files, ca, served, watching] = *pki;
    http::CertificateReloader &reloader = *watching;
    QSignalSpy failed(&reloader, &http::CertificateReloader::reloadFailed);

    // Not PEM at all.
    QFile original(files.certificate);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray goodPem = original.readAll();
    original.close();
    QTest::ignoreMessage(QtCriticalMsg,
                         QRegularExpression(u"TLS certificate not reloaded, still serving .*"
                                            "holds no PEM certificate"_s));
    replaceFile(files.certificate, "this is not a certificate\n");
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY2(failed.constFirst().constFirst().toString().contains(files.certificate),
             qPrintable(failed.constFirst().constFirst().toString()));
    QCOMPARE(servedCertificate(server.serverPort(), ca), served);

    // A valid certificate whose key is not the one in the key file (another folder's).
    headless::TlsInitOptions other = options();
    other.directory = m_dir->filePath(u"other"_s);
    const auto otherFiles = headless::tlsInit(other, &error);
    QVERIFY2(otherFiles, qPrintable(error));
    QFile otherCert(otherFiles->certificate);
    QVERIFY(otherCert.open(QIODevice::ReadOnly));
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u".*does not match.*"_s));
    replaceFile(files.certificate, otherCert.readAll());
    QTRY_COMPARE(failed.size(), 2);
    QCOMPARE(server.certificate(), served);
    QCOMPARE(servedCertificate(server.serverPort(), ca), served);
    QCOMPARE(reloader.failureCount(), 2);
    QCOMPARE(reloader.reloadCount(), 0);

    // Putting the good file back is a change like any other: served again, reloaded.
    QSignalSpy reloaded(&reloader, &http::CertificateReloader::reloaded);
    replaceFile(files.certificate, goodPem);
    QTRY_COMPARE(reloaded.size(), 1);
    QCOMPARE(servedCertificate(server.serverPort(), ca), served);
}

void TestTlsLifecycle::daemonEnrolsReloadsOnSighupAndShowsExpiry()
{
    QString error;
    const auto files = headless::tlsInit(options(), &error);
    QVERIFY2(files, qPrintable(error));
    const QSslCertificate ca = readCertificate(files->caCertificate);
    const QString config = m_dir->filePath(u"spotkeeperd.conf"_s);
    {
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[listen]\nport = 0\n[store]\npath = " + m_dir->filePath(u"s.db"_s).toUtf8()
                   + "\n[azure]\narm_endpoint = http://127.0.0.1:1/\nauthority_host = "
                     "http://127.0.0.1:1/\nimds_endpoint = http://127.0.0.1:1\naz_program = "
                     "/bin/false\n[tls]\ncertificate = "
                   + files->certificate.toUtf8() + "\nprivate_key = " + files->privateKey.toUtf8()
                   + "\nagent_ca = " + files->caCertificate.toUtf8() + "\n");
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys())
        if (name.startsWith(u"AZURE_"_s) || name.startsWith(u"SPOTKEEPER_"_s))
            env.remove(name);
    QProcess tokenCommand;
    tokenCommand.setProcessEnvironment(env);
    tokenCommand.start(binary(), {u"-c"_s, config, u"token"_s, u"create"_s});
    QVERIFY(tokenCommand.waitForFinished(30'000));
    QCOMPARE(tokenCommand.exitCode(), 0);
    const QByteArray token = tokenCommand.readAllStandardOutput().trimmed();

    QProcess daemon;
    daemon.setProcessEnvironment(env);
    daemon.setProcessChannelMode(QProcess::SeparateChannels);
    daemon.start(binary(), {u"-c"_s, config});
    QByteArray log;
    const auto waitForLog = [&](const QString &pattern) {
        const QRegularExpression re(pattern);
        QDeadlineTimer deadline(30'000);
        while (!deadline.hasExpired() && daemon.state() != QProcess::NotRunning) {
            const auto match = re.match(QString::fromUtf8(log));
            if (match.hasMatch())
                return match.captured(1);
            daemon.waitForReadyRead(100);
            log += daemon.readAllStandardError();
        }
        return QString();
    };
    const quint16 port = quint16(waitForLog(u"listening on [^ ]*:(\\d+) \\(https\\)"_s).toUInt());
    QVERIFY2(port != 0, log.constData());
    const QString base = u"https://127.0.0.1:"_s + QString::number(port);

    // Enrolment over the operator API: the answer carries the CA; the agent's own client,
    // configured like the snippet configures it (ca-file), delivers a heartbeat.
    testsupport::TestHttpClient operatorClient;
    QSslConfiguration trustCa = QSslConfiguration::defaultConfiguration();
    trustCa.setCaCertificates({ca});
    operatorClient.setSslConfiguration(trustCa);
    const http::HeaderList auth {{"Authorization", "Bearer " + token}};
    const QString vm = listenertest::vmResourceId(u"vm-tls"_s);
    const testsupport::HttpReply issued = operatorClient.post(
        QUrl(base + u"/api/v1/keys"_s), R"({"vm":")" + vm.toUtf8() + R"("})", auth);
    QVERIFY2(issued.status == 201, issued.body.constData());
    const QJsonObject answer = issued.json().object();
    const QByteArray caPem = answer.value(u"caCertificate"_s).toString().toLatin1();
    QCOMPARE(QSslCertificate::fromData(caPem), QList<QSslCertificate> {ca});

    const QString agentDir = m_dir->filePath(u"agent"_s);
    QVERIFY(QDir().mkpath(agentDir));
    const auto writeAgentFile = [&agentDir](const QString &name, const QByteArray &data) {
        QFile file(agentDir + u'/' + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        file.write(data);
    };
    writeAgentFile(u"ca.pem"_s, caPem);
    writeAgentFile(u"agent.key"_s, answer.value(u"credentialFile"_s).toString().toUtf8());
    writeAgentFile(u"agent.conf"_s,
                   "dashboard-url = " + base.toUtf8() + "\nca-file = " + agentDir.toUtf8()
                       + "/ca.pem\nkey-file = " + agentDir.toUtf8() + "/agent.key\n");
    const agent::ConfigResult agentConfig = agent::loadAgentConfig(
        {u"spotkeeper-agent"_s, u"--config"_s, agentDir + u"/agent.conf"_s}, QProcessEnvironment());
    QVERIFY2(agentConfig.config, qPrintable(agentConfig.error));
    agent::DashboardClient agentClient(*agentConfig.config, base::systemClock());
    std::optional<agent::PostResult> delivered;
    agentClient.post(agent::Route::Heartbeat,
                     protocol::encodeHeartbeat(
                         listenertest::makeHeartbeat(u"vm-tls"_s, QDateTime::currentDateTimeUtc())),
                     "msg_tls_1", [&delivered](const agent::PostResult &r) { delivered = r; });
    QTRY_VERIFY_WITH_TIMEOUT(delivered.has_value(), 15'000);
    QVERIFY2(delivered->delivered(), qPrintable(delivered->error));

    // /metrics: the served certificate's expiry, as a Unix time.
    testsupport::HttpReply metrics = operatorClient.get(QUrl(base + u"/metrics"_s));
    QCOMPARE(metrics.status, 200);
    const QByteArray expiryLine = "spotkeeper_tls_certificate_expiry_timestamp_seconds "
        + QByteArray::number(readCertificate(files->certificate).expiryDate().toSecsSinceEpoch());
    QVERIFY2(metrics.body.contains(expiryLine), metrics.body.constData());

    // SIGHUP after a renewal (30 days): the next connection is served the new certificate
    // at once, and the metric follows.
    headless::TlsInitOptions renew = options();
    renew.serverValidityDays = 30;
    QVERIFY2(headless::tlsRenew(renew, &error), qPrintable(error));
    const QSslCertificate renewed = readCertificate(files->certificate);
    ::kill(pid_t(daemon.processId()), SIGHUP);
    QVERIFY2(!waitForLog(u"(TLS certificate reloaded: now serving)"_s).isEmpty(), log.constData());
    QCOMPARE(servedCertificate(port, ca), renewed);
    testsupport::TestHttpClient fresh; // a new connection
    fresh.setSslConfiguration(trustCa);
    metrics = fresh.get(QUrl(base + u"/metrics"_s));
    QVERIFY2(metrics.body.contains(
                 QByteArray("spotkeeper_tls_certificate_expiry_timestamp_seconds "
                            + QByteArray::number(renewed.expiryDate().toSecsSinceEpoch()))),
             metrics.body.constData());

    // A broken key on SIGHUP: an error in the log, the renewed certificate stays.
    replaceFile(files->privateKey, "-----BEGIN PRIVATE KEY-----\nbroken\n");
    ::kill(pid_t(daemon.processId()), SIGHUP);
    QVERIFY2(!waitForLog(u"(<3>spotkeeper.tls: TLS certificate not reloaded, still serving)"_s)
                  .isEmpty(),
             log.constData());
    QCOMPARE(servedCertificate(port, ca), renewed);
    metrics = fresh.get(QUrl(base + u"/metrics"_s));
    QVERIFY2(metrics.body.contains("spotkeeper_tls_certificate_reloads_total{result=\"failed\"} 1"),
             metrics.body.constData());

    daemon.terminate();
    QVERIFY(daemon.waitForFinished(30'000));
    QCOMPARE(daemon.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestTlsLifecycle)
#include "tst_tlslifecycle.moc"
