// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/messagecodec.h"
#include "support/listener/listenertestbase.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::listenertest;
using namespace Qt::StringLiterals;

// The listener behind the HTTP layer's limits: oversized bodies are refused without
// buffering, slow sockets neither block a signed notice nor outlive the deadline, and
// TLS / mutual TLS accept the right clients and refuse the others.
class TestListenerLimits : public ListenerTestBase
{
    Q_OBJECT

private slots:
    void init() { setUpStore(); }
    void cleanup() { tearDown(); }

    void oversizedBodyIsRefusedWithoutBuffering();
    void slowSocketsDoNotBlockNotices();
    void tlsAndClientCertificates();
};

void TestListenerLimits::oversizedBodyIsRefusedWithoutBuffering()
{
    startServer();
    // Announce 64 MiB and actually send 2 MiB: the server must answer 413 on the
    // announcement and never hold more than its limits' worth of bytes.
    SignedRequest request = signedNotice(u"vm-a"_s, 1, u"msg_big"_s);
    QByteArray head =
        "POST /api/v1/notices HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 67108864\r\n";
    for (const auto &[name, value] : request.headers)
        head += name + ": " + value + "\r\n";
    head += "\r\n";
    testsupport::RawHttpClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(head);
    const QByteArray chunk(64 * 1024, 'x');
    for (int i = 0; i < 32 && client.isConnected(); ++i) {
        client.send(chunk);
        QTest::qWait(1);
    }
    const auto response = client.readResponse(10'000);
    QCOMPARE(response.status, 413);
    QVERIFY2(m_server->peakConnectionBufferedBytes() < 256 * 1024,
             qPrintable(QString::number(m_server->peakConnectionBufferedBytes())));
    QCOMPARE(storedEvents(), 0);
}

void TestListenerLimits::slowSocketsDoNotBlockNotices()
{
    http::Limits limits;
    limits.readDeadlineMs = 6000;
    startServer({}, limits);
    QSignalSpy closedByDeadline(m_server.get(), &http::HttpServer::connectionClosedByDeadline);
    constexpr int kSlow = 200;
    std::vector<std::unique_ptr<testsupport::RawHttpClient>> slow;
    for (int i = 0; i < kSlow; ++i) {
        slow.push_back(std::make_unique<testsupport::RawHttpClient>());
        QVERIFY(slow.back()->connectTo(m_server->serverPort()));
    }
    const QByteArray drip =
        "POST /api/v1/notices HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789";
    int sent = 0;
    QTimer dripTimer;
    dripTimer.setInterval(1000);
    connect(&dripTimer, &QTimer::timeout, this, [&] {
        for (auto &s : slow) {
            if (s->isConnected())
                s->send(drip.mid(sent, 1));
        }
        ++sent;
    });
    // Every slow client is accepted before the first byte starts its deadline clock.
    QTRY_COMPARE(m_server->openConnections(), kSlow);
    for (auto &s : slow)
        s->send(drip.left(1));
    sent = 1;
    dripTimer.start();

    const SignedRequest request = signedNotice(u"vm-a"_s, 1, u"msg_fast"_s);
    const auto response =
        exchange(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
    QCOMPARE(response.status, 200);
    // Accepted while every slow socket was still being waited on, not after they went.
    QCOMPARE(closedByDeadline.size(), 0);
    QCOMPARE(storedEvents(), 1);

    for (auto &s : slow)
        QVERIFY(s->waitForClosed(15'000));
    dripTimer.stop();
    QCOMPARE(closedByDeadline.size(), kSlow);
    QTRY_COMPARE(m_server->openConnections(), 0);
    QCOMPARE(storedEvents(), 1);
}

void TestListenerLimits::tlsAndClientCertificates()
{
    http::TlsOptions tls {tlsFile("server.pem"), tlsFile("server.key"), QString()};
    startServer({}, {}, tls);
    QVERIFY(m_server->isTls());
    bool connected = false;
    SignedRequest request = signedNotice(u"vm-a"_s, 1, u"msg_tls"_s);
    auto response = tlsExchange(
        clientConfiguration(nullptr, nullptr),
        rawRequest("POST", "/api/v1/notices", request.headers, request.body), &connected);
    QVERIFY(connected);
    QCOMPARE(response.status, 200);
    // Plain HTTP to the TLS port gets no HTTP answer and stores nothing.
    request = signedNotice(u"vm-a"_s, 2, u"msg_plain"_s);
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/notices", request.headers, request.body)).status,
             0);
    // A client that does not trust the server's CA refuses the handshake itself.
    (void)tlsExchange(clientConfiguration(nullptr, nullptr, false), "GET /healthz HTTP/1.1\r\n\r\n",
                      &connected);
    QVERIFY(!connected);
    QCOMPARE(storedEvents(), 1);

    // Mutual TLS: only clients with a certificate from the configured CA get through.
    tearDown();
    setUpStore();
    tls.clientCaFile = tlsFile("ca.pem");
    startServer({}, {}, tls);
    request = signedNotice(u"vm-a"_s, 3, u"msg_mtls"_s);
    response = tlsExchange(clientConfiguration("client.pem", "client.key"),
                           rawRequest("POST", "/api/v1/notices", request.headers, request.body),
                           &connected);
    QVERIFY(connected);
    QCOMPARE(response.status, 200);
    for (const auto &[certificate, key] : {std::pair<const char *, const char *> {nullptr, nullptr},
                                           {"other-client.pem", "other-client.key"}}) {
        request = signedNotice(u"vm-a"_s, 4, u"msg_refused"_s);
        response = tlsExchange(clientConfiguration(certificate, key),
                               rawRequest("POST", "/api/v1/notices", request.headers, request.body),
                               &connected);
        QCOMPARE(response.status, 0);
    }
    QCOMPARE(storedEvents(), 1);
}

QTEST_GUILESS_MAIN(TestListenerLimits)
#include "tst_listenerlimits.moc"
