// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpserver.h"
#include "support/http/rawhttpclient.h"
#include "support/http/testhttpclient.h"

#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace spotkeeper;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

// Read deadline, idle timeout, connection cap and graceful close: the limits that keep
// slow or numerous clients from holding the listener.
class TestHttpServerDeadlines final : public QObject
{
    Q_OBJECT
private slots:
    void slowLorisClosedWhileOthersServed();
    void partialRequestGets408();
    void silentConnectionClosed();
    void idleKeepAliveClosedQuietly();
    void maxConnections();
    void closeDrainsInFlightRequest();
    void closeAnswersAFreshConnectionsFirstRequest();
};

namespace {

void echoHandler(http::HttpServer &server, int *handled = nullptr)
{
    server.setHandler(
        [handled](const http::Request &r, const std::shared_ptr<http::Responder> &out) {
            if (handled != nullptr)
                ++*handled;
            out->send(http::Response::text(200, r.body));
        });
}

} // namespace

void TestHttpServerDeadlines::slowLorisClosedWhileOthersServed()
{
    constexpr int SlowClients = 200;
    http::HttpServer server;
    http::Limits limits;
    limits.readDeadlineMs = 1500;
    server.setLimits(limits);
    int openAtNormalRequest = -1;
    server.setHandler([&](const http::Request &, const std::shared_ptr<http::Responder> &out) {
        openAtNormalRequest = server.openConnections();
        out->send(http::Response::text(200, "served"_ba));
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy deadlines(&server, &http::HttpServer::connectionClosedByDeadline);

    const QByteArray request =
        "POST /notice HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"_ba;
    std::vector<std::unique_ptr<QTcpSocket>> slow;
    for (int i = 0; i < SlowClients; ++i) {
        slow.push_back(std::make_unique<QTcpSocket>());
        slow.back()->setProxy(QNetworkProxy::NoProxy);
        slow.back()->connectToHost(QHostAddress(QHostAddress::LocalHost), server.serverPort());
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), SlowClients, 10'000);

    int sent = 0;
    QTimer drip; // one byte per second on every slow socket
    auto sendByte = [&] {
        for (auto &s : slow) {
            if (s->state() == QAbstractSocket::ConnectedState)
                s->write(request.mid(sent % request.size(), 1));
        }
        ++sent;
    };
    connect(&drip, &QTimer::timeout, this, sendByte);
    sendByte();
    drip.start(1000);

    // A normal client on a fresh connection is answered while all slow ones are held.
    TestHttpClient client;
    const HttpReply reply =
        client.post(QUrl(u"http://127.0.0.1:%1/notice"_s.arg(server.serverPort())), "{}"_ba);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, "served"_ba);
    QCOMPARE(openAtNormalRequest, SlowClients + 1);

    // Every slow socket is closed by the deadline; none ever reached the handler.
    QTRY_COMPARE_WITH_TIMEOUT(deadlines.size(), SlowClients, 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(slow.begin(), slow.end(),
                    [](const auto &s) { return s->state() == QAbstractSocket::UnconnectedState; }),
        10'000);
    drip.stop();
    QVERIFY(sent < request.size()); // they were closed before finishing a request
    // Memory stayed bounded: a slow client holds only the few bytes it sent.
    QVERIFY2(server.peakConnectionBufferedBytes() < 1024,
             QByteArray::number(server.peakConnectionBufferedBytes()).constData());
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 1, 5'000); // the keep-alive client
    QCOMPARE(server.bufferedBytes(), 0);
}

void TestHttpServerDeadlines::partialRequestGets408()
{
    http::HttpServer server;
    http::Limits limits;
    limits.readDeadlineMs = 300;
    server.setLimits(limits);
    int handled = 0;
    echoHandler(server, &handled);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy rejected(&server, &http::HttpServer::requestRejected);
    QSignalSpy deadlines(&server, &http::HttpServer::connectionClosedByDeadline);

    RawHttpClient raw;
    QVERIFY(raw.connectTo(server.serverPort()));
    raw.send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"_ba); // body never completes
    const RawResponse r = raw.readResponse();
    QCOMPARE(r.status, 408);
    QCOMPARE(r.header("Connection"), "close"_ba);
    QVERIFY(raw.waitForClosed());
    QCOMPARE(handled, 0);
    QCOMPARE(deadlines.size(), 1);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.at(0).at(0).toInt(), 408);
    QCOMPARE(rejected.at(0).at(1).toByteArray(), "read_deadline"_ba);
}

void TestHttpServerDeadlines::silentConnectionClosed()
{
    http::HttpServer server;
    http::Limits limits;
    limits.readDeadlineMs = 300;
    server.setLimits(limits);
    echoHandler(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy deadlines(&server, &http::HttpServer::connectionClosedByDeadline);
    RawHttpClient raw;
    QVERIFY(raw.connectTo(server.serverPort()));
    QVERIFY(raw.waitForClosed()); // never sent a byte
    QCOMPARE(deadlines.size(), 1);
    QTRY_COMPARE(server.openConnections(), 0);
}

void TestHttpServerDeadlines::idleKeepAliveClosedQuietly()
{
    http::HttpServer server;
    http::Limits limits;
    limits.idleTimeoutMs = 300;
    server.setLimits(limits);
    echoHandler(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy deadlines(&server, &http::HttpServer::connectionClosedByDeadline);
    QSignalSpy rejected(&server, &http::HttpServer::requestRejected);
    RawHttpClient raw;
    QVERIFY(raw.connectTo(server.serverPort()));
    raw.send("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"_ba);
    const RawResponse r = raw.readResponse();
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Connection").isEmpty()); // kept alive...
    QVERIFY(raw.waitForClosed()); // ...until idle too long
    QCOMPARE(deadlines.size(), 0);
    QCOMPARE(rejected.size(), 0);
}

void TestHttpServerDeadlines::maxConnections()
{
    http::HttpServer server;
    http::Limits limits;
    limits.maxConnections = 3;
    server.setLimits(limits);
    echoHandler(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy rejected(&server, &http::HttpServer::requestRejected);

    std::vector<std::unique_ptr<RawHttpClient>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(held.back()->connectTo(server.serverPort()));
    }
    QTRY_COMPARE(server.openConnections(), 3);

    RawHttpClient excess;
    QVERIFY(excess.connectTo(server.serverPort()));
    const RawResponse refused = excess.readResponse();
    QCOMPARE(refused.status, 503);
    QVERIFY(excess.waitForClosed());
    QCOMPARE(server.openConnections(), 3);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.at(0).at(1).toByteArray(), "too_many_connections"_ba);

    // The held connections still work, and a freed slot is usable again.
    held.front()->send("POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nA"_ba);
    QCOMPARE(held.front()->readResponse().body, "A"_ba);
    held.pop_back();
    QTRY_COMPARE(server.openConnections(), 2);
    RawHttpClient again;
    QVERIFY(again.connectTo(server.serverPort()));
    again.send("POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nB"_ba);
    QCOMPARE(again.readResponse().body, "B"_ba);
}

void TestHttpServerDeadlines::closeDrainsInFlightRequest()
{
    http::HttpServer server;
    std::shared_ptr<http::Responder> pending;
    server.setHandler([&](const http::Request &r, std::shared_ptr<http::Responder> out) {
        if (r.path == "/slow")
            pending = std::move(out);
        else
            out->send(http::Response::text(200, "fast"_ba));
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    const quint16 port = server.serverPort();

    RawHttpClient idle;
    QVERIFY(idle.connectTo(port));
    idle.send("GET /fast HTTP/1.1\r\n\r\n"_ba);
    QCOMPARE(idle.readResponse().status, 200);
    RawHttpClient busy;
    QVERIFY(busy.connectTo(port));
    busy.send("GET /slow HTTP/1.1\r\n\r\n"_ba);
    QTRY_VERIFY(pending != nullptr);

    server.close();
    QVERIFY(idle.waitForClosed()); // idle keep-alive: closed at once
    QVERIFY(busy.isConnected()); // in-flight request: still owed an answer
    pending->send(http::Response::text(200, "done"_ba));
    const RawResponse r = busy.readResponse();
    QCOMPARE(r.body, "done"_ba);
    QCOMPARE(r.header("Connection"), "close"_ba);
    QVERIFY(busy.waitForClosed());
    QTRY_COMPARE(server.openConnections(), 0);

    RawHttpClient late; // no longer listening
    QVERIFY(!late.connectTo(port, 1000));
}

// A client that connected just before the close and sends its request after it (its bytes may
// have been in flight, unread, at the close) is answered, not cut off: the dashboard's quit with
// an agent's notice on the way.
void TestHttpServerDeadlines::closeAnswersAFreshConnectionsFirstRequest()
{
    http::HttpServer server;
    echoHandler(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    RawHttpClient fresh;
    QVERIFY(fresh.connectTo(server.serverPort()));
    QTRY_COMPARE(server.openConnections(), 1);

    server.close();
    fresh.send("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nlate"_ba);
    const RawResponse r = fresh.readResponse();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "late"_ba);
    QCOMPARE(r.header("Connection"), "close"_ba);
    QVERIFY(fresh.waitForClosed());
    QTRY_COMPARE(server.openConnections(), 0);
}

QTEST_GUILESS_MAIN(TestHttpServerDeadlines)
#include "tst_httpserverdeadlines.moc"
