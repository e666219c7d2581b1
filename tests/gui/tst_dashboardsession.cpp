// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard hosts the listener and the engine (core::EngineHost): a signed agent notice
// sent to its port is stored and reaches the views; a busy port or a bad address only turns
// the listener off, with the reason for the status bar.
#include "clock.h"
#include "dashboardsession.h"
#include "engine/reconciler.h"
#include "engine/restartengine.h"
#include "enginehost.h"
#include "fleetsource.h"
#include "listenertestkit.h"
#include "messagecodec.h"
#include "store/store.h"
#include "testhttpclient.h"
#include "webhooklistener.h"

#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
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
    void credentialsOffMeansNoEngine();

private:
    gui::DashboardSettings settings() const;
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

void TestDashboardSession::acceptsSignedNoticeOnItsListener()
{
    gui::DashboardSession session(core::systemClock());
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
    const gui::EnrollResult enrolled = session.source().enrollAgent(vms.constFirst(), u"test"_s);
    QVERIFY2(enrolled.ok, qPrintable(enrolled.error));
    QVERIFY2(enrolled.endpoint.isEmpty(), qPrintable(enrolled.endpoint));
}

void TestDashboardSession::rejectsUnsignedNotice()
{
    gui::DashboardSession session(core::systemClock());
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
    core::EventFilter notices;
    notices.kinds = {core::EventKind::Notice};
    QCOMPARE(session.store()->eventCount(notices), 0);
}

void TestDashboardSession::busyPortLeavesTheDashboardRunning()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress(QHostAddress::LocalHost), 0));
    gui::DashboardSettings s = settings();
    s.listenPort = occupier.serverPort();
    gui::DashboardSession session(core::systemClock());
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
    gui::DashboardSession session(core::systemClock());
    QString error;
    QVERIFY2(session.open(s, &error), qPrintable(error));
    QVERIFY(!session.host()->isListening());
    const gui::SourceStatus status = session.source().status();
    QVERIFY(status.listenerAddress.isEmpty());
    QVERIFY2(status.listenerProblem.contains(u"needs TLS"_s), qPrintable(status.listenerProblem));

    s.listenAddress = u"localhost-ish"_s;
    gui::DashboardSession bad(core::systemClock());
    s.storePath = m_dir->filePath(u"other.db"_s);
    QVERIFY2(bad.open(s, &error), qPrintable(error));
    QVERIFY2(bad.source().status().listenerProblem.contains(u"localhost-ish"_s),
             qPrintable(bad.source().status().listenerProblem));
}

void TestDashboardSession::credentialsOffMeansNoEngine()
{
    gui::DashboardSettings s = settings();
    s.credentialSource = u"none"_s;
    gui::DashboardSession session(core::systemClock());
    QString error;
    QVERIFY2(session.open(s, &error), qPrintable(error));
    QVERIFY(!session.host());
    QVERIFY(session.source().status().listenerAddress.isEmpty());
    QVERIFY(!session.source().status().actionsDisabledReason.isEmpty());
}

QTEST_MAIN(TestDashboardSession)
#include "tst_dashboardsession.moc"
