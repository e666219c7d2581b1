// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard hosts the listener and the engine (core::EngineHost): a signed agent notice
// sent to its port is stored and reaches the views; a busy port or a bad address only turns
// the listener off, with the reason for the status bar.
#include "engine/reconciler.h"
#include "engine/restartengine.h"
#include "fleet/enginehost.h"
#include "listener/webhooklistener.h"
#include "models/fleetsource.h"
#include "protocol/messagecodec.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/gui/awaitanswer.h"
#include "support/http/fakehttpserver.h"
#include "support/http/testhttpclient.h"
#include "support/listener/listenertestkit.h"
#include "ui/dashboardsession.h"
#include "ui/enrolldialog.h"

#include <QFile>
#include <QHostAddress>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

class TestDashboardSession final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void acceptsSignedNoticeOnItsListener();
    void rejectsUnsignedNotice();
    void busyPortLeavesTheDashboardRunning();
    void nonLoopbackWithoutTlsIsRefused();
    void enrolmentCarriesTheListenersCa();
    void unreadableAgentCaTurnsTheListenerOff();
    void credentialsOffStillStoresNotices();
    void shutdownDrainsInFlightNotices();
    void shutdownReleasesJobLeases();
    void shutdownDoesNotWait();
    void stopOnPurposeReachesTheViews();
    void armBudgetComesFromTheArmAnswers();
    void credentialsAreRetriedWithoutARestart();

private:
    gui::DashboardSettings settings() const;
    // HTTPS with the test PKI's server certificate (tests/data/tls) and agentCa from there.
    gui::DashboardSettings tlsSettings(const QString &agentCa) const;
    // A new agent key for vmName on the host's listener and a notice signed with it (an empty
    // body if the key could not be made).
    static qint64 storeVm(core::Store &store, const QString &name, core::PowerState power);
    static listenertest::SignedRequest signedNotice(core::EngineHost &host, const QString &vmName,
                                                    int eventNumber);
    // A signed notice for vmName written to socket, connected to the host's listener, but for
    // its last bytes, which it returns (empty when the request could not be made or sent):
    // the host then holds one open connection with a half-sent request.
    static QByteArray sendAllButTheEnd(core::EngineHost &host, QTcpSocket &socket,
                                       const QString &vmName, int eventNumber);
    static qint64 storedNotices(core::Store &store);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDashboardSession::initTestCase()
{
    // Nothing here may reach Azure: ARM and the az CLI point nowhere, IMDS is a closed
    // loopback port (set by the test harness) and skipped anyway on the desktop.
    qputenv("SPOTKEEPER_ARM_URL", "http://127.0.0.1:9");
    qputenv("SPOTKEEPER_AZ_PROGRAM", "/nonexistent/az");
    for (const char *name : {"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
                             "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLOUD"})
        qunsetenv(name);
    if (qEnvironmentVariableIsEmpty("SPOTKEEPER_IMDS_URL"))
        qputenv("SPOTKEEPER_IMDS_URL", "http://127.0.0.1:9");
}

void TestDashboardSession::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

gui::DashboardSettings TestDashboardSession::settings() const
{
    gui::DashboardSettings s;
    s.storePath = m_dir->filePath(u"spotkeeper.db"_s);
    s.listenPort = 0; // any free port
    s.subscriptions = {listenertest::kSubscription};
    return s;
}

gui::DashboardSettings TestDashboardSession::tlsSettings(const QString &agentCa) const
{
    const QString tls = QStringLiteral(SPOTKEEPER_TEST_DATA "/tls/");
    gui::DashboardSettings s = settings();
    s.tls = true;
    s.tlsCertificate = tls + u"server.pem"_s;
    s.tlsKey = tls + u"server.key"_s;
    s.tlsAgentCa = tls + agentCa;
    return s;
}

qint64 TestDashboardSession::storeVm(core::Store &store, const QString &name,
                                     core::PowerState power)
{
    core::VmRecord vm;
    vm.resourceId = listenertest::vmResourceId(name);
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = listenertest::kSubscription;
    vm.resourceGroup = listenertest::kGroup;
    vm.name = name;
    vm.powerState = power;
    return store.upsertVm(vm);
}

listenertest::SignedRequest
TestDashboardSession::signedNotice(core::EngineHost &host, const QString &vmName, int eventNumber)
{
    core::KeyError code = core::KeyError::None;
    QString error;
    const auto issued = host.listener()->keys().generate(listenertest::vmResourceId(vmName),
                                                         u"test"_s, &code, &error);
    if (!issued) {
        qWarning("agent key: %s", qPrintable(error));
        return {};
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return listenertest::sign(protocol::encodeNotice(listenertest::makeNotice(
                                  vmName, listenertest::newEventId(eventNumber), now)),
                              issued->keyId, {issued->secret},
                              u"msg_"_s + vmName + u'_' + QString::number(eventNumber),
                              now.toSecsSinceEpoch());
}

QByteArray TestDashboardSession::sendAllButTheEnd(core::EngineHost &host, QTcpSocket &socket,
                                                  const QString &vmName, int eventNumber)
{
    const listenertest::SignedRequest request = signedNotice(host, vmName, eventNumber);
    if (request.body.isEmpty())
        return {};
    const QByteArray raw =
        listenertest::rawRequest("POST", "/api/v1/notices", request.headers, request.body);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), host.server()->serverPort());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(raw.left(raw.size() - 10));
    if (!QTest::qWaitFor([&] { return host.server()->openConnections() == 1; }))
        return {};
    return raw.right(10);
}

qint64 TestDashboardSession::storedNotices(core::Store &store)
{
    core::EventFilter notices;
    notices.kinds = {core::EventKind::Notice};
    return store.eventCount(notices);
}

void TestDashboardSession::acceptsSignedNoticeOnItsListener()
{
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    core::EngineHost *host = session.host();
    QVERIFY(host);
    QVERIFY(host->engine());
    QVERIFY(host->reconciler());
    QCOMPARE(host->reconciler()->config().subscriptions, QStringList {listenertest::kSubscription});
    QVERIFY(host->isListening());
    QVERIFY(!host->isTls());
    const gui::SourceStatus before = session.source().status();
    QVERIFY2(before.listenerAddress.startsWith(u"127.0.0.1:"_s),
             qPrintable(before.listenerAddress));
    QVERIFY(before.listenerProblem.isEmpty());
    QVERIFY(!before.lastNoticeAt.isValid());

    core::KeyError code = core::KeyError::None;
    const auto issued = host->listener()->keys().generate(listenertest::vmResourceId(u"vm-a"_s),
                                                          u"test"_s, &code, &error);
    QVERIFY2(issued, qPrintable(error));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QByteArray body = protocol::encodeNotice(
        listenertest::makeNotice(u"vm-a"_s, listenertest::newEventId(1), now));
    const listenertest::SignedRequest request = listenertest::sign(
        body, issued->keyId, {issued->secret}, u"msg_dash_1"_s, now.toSecsSinceEpoch());

    QSignalSpy appended(&session.source(), &gui::FleetSource::eventAppended);
    testsupport::TestHttpClient client;
    const testsupport::HttpReply reply =
        client.post(QUrl(u"http://"_s + before.listenerAddress + u"/api/v1/notices"_s),
                    request.body, request.headers);
    QVERIFY2(reply.status / 100 == 2,
             qPrintable(QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body)));

    core::EventFilter notices;
    notices.kinds = {core::EventKind::Notice};
    QCOMPARE(session.store()->eventCount(notices), 1);
    const QList<core::EventRecord> stored = session.store()->events(notices);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.constFirst().webhookId, u"msg_dash_1"_s);
    // The views hear of it: the event is appended and the status bar's last notice is set.
    QTRY_VERIFY(!appended.isEmpty());
    QVERIFY(session.source().status().lastNoticeAt.isValid());
    // The listener is on loopback, out of the VMs' reach: the enrollment snippet keeps its
    // placeholder instead of a bare 127.0.0.1 address.
    const QList<core::VmRecord> vms = session.source().vms();
    QCOMPARE(vms.size(), 1);
    const gui::EnrollResult enrolled =
        gui::test::enroll(session.source(), vms.constFirst(), u"test"_s);
    QVERIFY2(enrolled.ok, qPrintable(enrolled.error));
    QVERIFY2(enrolled.endpoint.isEmpty(), qPrintable(enrolled.endpoint));
}

void TestDashboardSession::rejectsUnsignedNotice()
{
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    const QString address = session.source().status().listenerAddress;
    QVERIFY(!address.isEmpty());
    const QByteArray body = protocol::encodeNotice(listenertest::makeNotice(
        u"vm-a"_s, listenertest::newEventId(2), QDateTime::currentDateTimeUtc()));
    testsupport::TestHttpClient client;
    const testsupport::HttpReply reply =
        client.post(QUrl(u"http://"_s + address + u"/api/v1/notices"_s), body);
    QCOMPARE(reply.status, 401);
    QCOMPARE(storedNotices(*session.store()), 0);
}

void TestDashboardSession::busyPortLeavesTheDashboardRunning()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress(QHostAddress::LocalHost), 0));
    gui::DashboardSettings s = settings();
    s.listenPort = occupier.serverPort();
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(s, &error), qPrintable(error));
    QVERIFY(session.host());
    QVERIFY(session.host()->engine()); // actions still work
    QVERIFY(!session.host()->isListening());
    const gui::SourceStatus status = session.source().status();
    QVERIFY(status.listenerAddress.isEmpty());
    const QString expected = u"cannot listen on 127.0.0.1:"_s + QString::number(s.listenPort);
    QVERIFY2(status.listenerProblem.startsWith(expected), qPrintable(status.listenerProblem));
}

void TestDashboardSession::nonLoopbackWithoutTlsIsRefused()
{
    gui::DashboardSettings s = settings();
    s.listenAddress = u"0.0.0.0"_s;
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(s, &error), qPrintable(error));
    QVERIFY(!session.host()->isListening());
    const gui::SourceStatus status = session.source().status();
    QVERIFY(status.listenerAddress.isEmpty());
    QVERIFY2(status.listenerProblem.contains(u"needs TLS"_s), qPrintable(status.listenerProblem));

    s.listenAddress = u"localhost-ish"_s;
    gui::DashboardSession bad(base::systemClock());
    s.storePath = m_dir->filePath(u"other.db"_s);
    QVERIFY2(bad.open(s, &error), qPrintable(error));
    QVERIFY2(bad.source().status().listenerProblem.contains(u"localhost-ish"_s),
             qPrintable(bad.source().status().listenerProblem));
}

void TestDashboardSession::enrolmentCarriesTheListenersCa()
{
    // The dashboard's listener serves a certificate from a private CA: like spotkeeperd's
    // [tls] agent_ca, the CA named in Settings reaches every enrolment answer, so the
    // snippet installs it as the agent's ca-file and the agent trusts the listener at once.
    const gui::DashboardSettings s = tlsSettings(u"ca.pem"_s);
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(s, &error), qPrintable(error));
    QVERIFY(session.host()->isListening());
    QVERIFY(session.host()->isTls());
    QVERIFY2(session.source().status().listenerProblem.isEmpty(),
             qPrintable(session.source().status().listenerProblem));

    const qint64 vmId = storeVm(*session.store(), u"vm-ca"_s, core::PowerState::Running);
    const auto vm = session.store()->vm(vmId);
    QVERIFY(vm);
    const gui::EnrollResult enrolled = gui::test::enroll(session.source(), *vm, u"test"_s);
    QVERIFY2(enrolled.ok, qPrintable(enrolled.error));
    QFile caFile(s.tlsAgentCa);
    QVERIFY(caFile.open(QIODevice::ReadOnly));
    const QList<QSslCertificate> expected = QSslCertificate::fromData(caFile.readAll());
    QCOMPARE(expected.size(), 1);
    QCOMPARE(QSslCertificate::fromData(enrolled.caCertificate), expected);
    const QString snippet =
        gui::EnrollDialog::snippet(gui::EnrollDialog::Snippet::Linux, *vm, enrolled);
    QVERIFY2(snippet.contains(u"ca-file = /etc/spotkeeper-agent/ca.pem"_s), qPrintable(snippet));
    QVERIFY2(snippet.contains(QString::fromLatin1(expected.constFirst().toPem()).trimmed()),
             qPrintable(snippet));

    // The operator API of the same listener answers an issued key with the same CA.
    QCOMPARE(QSslCertificate::fromData(session.host()->listener()->options().agentCaPem), expected);

    // Without TLS there is no CA to hand out.
    gui::DashboardSettings plain = settings();
    plain.storePath = m_dir->filePath(u"plain.db"_s);
    plain.tlsAgentCa = s.tlsAgentCa; // left over from an earlier TLS setup
    gui::DashboardSession plainSession(base::systemClock());
    QVERIFY2(plainSession.open(plain, &error), qPrintable(error));
    QVERIFY(plainSession.host()->isListening());
    QVERIFY(!plainSession.host()->isTls());
    const qint64 plainId = storeVm(*plainSession.store(), u"vm-ca"_s, core::PowerState::Running);
    const gui::EnrollResult plainKey =
        gui::test::enroll(plainSession.source(), *plainSession.store()->vm(plainId), u"test"_s);
    QVERIFY2(plainKey.ok, qPrintable(plainKey.error));
    QVERIFY(plainKey.caCertificate.isEmpty());
}

void TestDashboardSession::unreadableAgentCaTurnsTheListenerOff()
{
    // A CA file that is no certificate is refused like a bad certificate: the dashboard runs
    // without its listener and says why, instead of handing agents nothing or garbage.
    const gui::DashboardSettings s = tlsSettings(u"not-pem.txt"_s);
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(s, &error), qPrintable(error));
    QVERIFY(!session.host()->isListening());
    const QString problem = session.source().status().listenerProblem;
    QVERIFY2(problem.contains(u"agent CA"_s), qPrintable(problem));
    QVERIFY(session.host()->engine()); // the engine still runs
}

void TestDashboardSession::credentialsOffStillStoresNotices()
{
    gui::DashboardSettings s = settings();
    s.credentialSource = u"none"_s;
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(s, &error), qPrintable(error));
    core::EngineHost *host = session.host();
    QVERIFY(host);
    QVERIFY(!host->engine()); // nothing can restart a VM ...
    QVERIFY(!host->cloud());
    QVERIFY(host->isListening()); // ... but the agents' notices are still received
    const gui::SourceStatus status = session.source().status();
    QVERIFY(status.observeOnly);
    QVERIFY(!status.listenerAddress.isEmpty());
    QVERIFY2(status.actionsDisabledReason.contains(u"no VM can be restarted"_s),
             qPrintable(status.actionsDisabledReason));
    QVERIFY(!session.source().canOperate());

    const listenertest::SignedRequest request = signedNotice(*host, u"vm-b"_s, 3);
    QVERIFY(!request.body.isEmpty());
    QSignalSpy appended(&session.source(), &gui::FleetSource::eventAppended);
    testsupport::TestHttpClient client;
    const testsupport::HttpReply reply =
        client.post(QUrl(u"http://"_s + status.listenerAddress + u"/api/v1/notices"_s),
                    request.body, request.headers);
    QVERIFY2(reply.status / 100 == 2, qPrintable(QString::fromUtf8(reply.body)));
    QCOMPARE(storedNotices(*session.store()), 1);
    QTRY_VERIFY(!appended.isEmpty());
    QCOMPARE(session.source().vms().size(), 1);
    QVERIFY(session.store()->activeJobs().isEmpty()); // no engine: no restart job
}

void TestDashboardSession::shutdownDrainsInFlightNotices()
{
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    core::EngineHost *host = session.host();
    // A request half sent when the dashboard quits: the host stops accepting, but this one
    // is finished, committed and answered before the store closes.
    QTcpSocket socket;
    const QByteArray rest = sendAllButTheEnd(*host, socket, u"vm-c"_s, 4);
    QVERIFY(!rest.isEmpty());
    QSignalSpy drained(host, &core::EngineHost::drained);
    host->stop();
    QVERIFY(!host->isListening());
    QTcpSocket late;
    late.connectToHost(QHostAddress(QHostAddress::LocalHost), host->server()->serverPort());
    QVERIFY(!late.waitForConnected(2000)); // no new connections
    socket.write(rest);
    QVERIFY(drained.wait(15'000));
    QCOMPARE(drained.constFirst().constFirst().toInt(), 0);
    QTRY_VERIFY(socket.bytesAvailable() > 0 || socket.waitForReadyRead(100));
    const QByteArray answer = socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 2"), answer.constData());
    QCOMPARE(storedNotices(*session.store()), 1);
    // Everything behind the listener is shut down: no timer can fire into a closed store.
    QVERIFY(host->isStopped());
    QVERIFY(!host->listener());
    QVERIFY(!host->engine());
    QVERIFY(!host->reconciler());
    session.shutdown(); // a second call (the app's quit after the window closed) is harmless
}

// The app's quit: shutdown() starts the drain and returns at once (no nested event loop);
// stopped() says when the half-sent notice was committed (that it is answered as well is
// shutdownDrainsInFlightNotices' part).
void TestDashboardSession::shutdownDoesNotWait()
{
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    core::EngineHost *host = session.host();
    QTcpSocket socket;
    const QByteArray rest = sendAllButTheEnd(*host, socket, u"vm-w"_s, 5);
    QVERIFY(!rest.isEmpty());
    QSignalSpy stopped(&session, &gui::DashboardSession::stopped);
    session.shutdown();
    QVERIFY(!session.isStopped()); // returned while the request is still open
    QCOMPARE(stopped.size(), 0);
    socket.write(rest);
    QVERIFY(stopped.wait(15'000));
    QVERIFY(session.isStopped());
    // The half-sent notice was committed before the drain ended.
    QCOMPARE(storedNotices(*session.store()), 1);
    session.shutdown(); // again: harmless, and stopped() is not announced twice
    QCOMPARE(stopped.size(), 1);
}

void TestDashboardSession::shutdownReleasesJobLeases()
{
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    const QString owner = session.host()->engine()->config().owner;
    const qint64 vmId = storeVm(*session.store(), u"vm-d"_s, core::PowerState::Unknown);
    QVERIFY(vmId > 0);
    core::JobRecord job;
    job.vmId = vmId;
    job.state = core::JobState::BackingOff;
    job.nextAttemptAt = QDateTime::currentDateTimeUtc().addSecs(3600);
    bool created = false;
    QVERIFY(session.store()->createJob(job, &created));
    const QList<core::JobRecord> claimed =
        session.store()->claimJobs(owner, QDateTime::currentDateTimeUtc().addSecs(600), 0);
    QCOMPARE(claimed.size(), 1);
    session.shutdown();
    QVERIFY(session.host()->isStopped());
    const auto after = session.store()->activeJob(vmId);
    QVERIFY(after);
    QVERIFY2(after->leaseOwner.isEmpty(), qPrintable(after->leaseOwner));
}

// The engine's own decision (a stop on purpose the Activity Log proved, or an operator's
// through any door) reaches the views at once: the VM, its job and its timeline are re-read.
void TestDashboardSession::stopOnPurposeReachesTheViews()
{
    gui::DashboardSession session(base::systemClock());
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    const qint64 vmId = storeVm(*session.store(), u"vm-s"_s, core::PowerState::Running);
    QVERIFY(vmId > 0);
    QSignalSpy changed(&session.source(), &gui::FleetSource::vmChanged);
    QSignalSpy events(&session.source(), &gui::FleetSource::eventAppended);
    QSignalSpy audit(&session.source(), &gui::FleetSource::auditAppended);
    QVERIFY(session.host()->engine()->stopOnPurpose(vmId, u"cli"_s).ok());
    QVERIFY(changed.contains(QVariantList {vmId}));
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.constLast().constFirst().value<core::EventRecord>().vmId, vmId);
    QVERIFY(!audit.isEmpty());
    QVERIFY(session.source().vm(vmId)->desiredState == core::DesiredState::Stopped);
    session.shutdown();
}

namespace {
// A fake Entra (service principal tokens) and a fake ARM (empty VM lists carrying rate-limit
// headers) that the session's Azure client is pointed at through the environment.
struct FakeAzure
{
    static inline const QByteArray kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    testsupport::FakeHttpServer entra;
    testsupport::FakeHttpServer arm;

    bool start()
    {
        if (!entra.start() || !arm.start())
            return false;
        arm.routePrefix("GET", "/subscriptions/")
            .respond(200, R"({"value": []})")
            .withHeader("x-ms-ratelimit-remaining-subscription-reads", "249")
            .withHeader("x-ms-ratelimit-remaining-subscription-global-reads", "3749");
        qputenv("AZURE_TENANT_ID", kTenant);
        qputenv("AZURE_CLIENT_ID", "0a1b2c3d-0000-4000-8000-00000000c11e");
        qputenv("AZURE_CLIENT_SECRET", "not-a-real-secret");
        qputenv("AZURE_AUTHORITY_HOST", entra.baseUrl().toString().toUtf8());
        qputenv("SPOTKEEPER_ARM_URL", arm.baseUrl().toString().toUtf8());
        return true;
    }
    testsupport::Route &token()
    {
        return entra.route("POST", "/" + kTenant + "/oauth2/v2.0/token");
    }
    ~FakeAzure()
    {
        for (const char *name :
             {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_AUTHORITY_HOST"})
            qunsetenv(name);
        qputenv("SPOTKEEPER_ARM_URL", "http://127.0.0.1:9");
    }
};
} // namespace

// The status bar's ARM budget: the lowest x-ms-ratelimit-remaining-* of the ARM client's last
// answer (here the reconciler's first list sweep against a fake ARM), also in /metrics.
void TestDashboardSession::armBudgetComesFromTheArmAnswers()
{
    FakeAzure azure;
    QVERIFY(azure.start());
    azure.token().respondFixture(200,
                                 u"entra/token-v2-client-credentials-response-recorded.json"_s);
    gui::DashboardSession session(base::systemClock());
    session.setBudgetRefreshMs(50);
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    QCOMPARE(session.source().status().armBudgetHeadroom, -1); // unknown before ARM answered
    QTRY_COMPARE_WITH_TIMEOUT(session.source().status().armBudgetHeadroom, 249, 20'000);
    QCOMPARE(session.host()->armBudgetHeadroom(), 249);
    QVERIFY(azure.arm.count() >= 1);

    testsupport::TestHttpClient client;
    const testsupport::HttpReply metrics =
        client.get(QUrl(u"http://"_s + session.source().status().listenerAddress + u"/metrics"_s));
    QCOMPARE(metrics.status, 200);
    QVERIFY2(metrics.body.contains(
                 "spotkeeper_arm_ratelimit_remaining{counter=\"subscription-reads\"} 249"),
             metrics.body.constData());
}

// Credentials that fail at the start are asked again a few minutes later, so signing in
// after the dashboard started needs no restart.
void TestDashboardSession::credentialsAreRetriedWithoutARestart()
{
    FakeAzure azure;
    QVERIFY(azure.start());
    azure.token()
        .enqueue(401, R"({"error":"invalid_client","error_description":"AADSTS7000215"})")
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    testsupport::ManualClock clock(QDateTime::currentDateTimeUtc());
    gui::DashboardSession session(clock);
    session.setBudgetRefreshMs(20);
    QString error;
    QVERIFY2(session.open(settings(), &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(
        session.source().status().actionsDisabledReason.startsWith(u"No Azure credentials"_s),
        20'000);
    QVERIFY(!session.source().status().credentialsAvailable);
    QVERIFY(azure.entra.count() >= 1);
    clock.advanceMSecs(60'000); // not yet: failures are asked again every five minutes
    QTest::qWait(200);
    QVERIFY(!session.source().status().credentialsAvailable);
    clock.advanceMSecs(241'000);
    QTRY_VERIFY_WITH_TIMEOUT(session.source().status().credentialsAvailable, 20'000);
    QVERIFY(session.source().status().tokenExpiresAt.isValid());
    QVERIFY(session.source().status().actionsDisabledReason.isEmpty());
}

QTEST_MAIN(TestDashboardSession)
#include "tst_dashboardsession.moc"
