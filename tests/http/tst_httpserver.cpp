// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpserver.h"
#include "support/http/rawhttpclient.h"
#include "support/http/testhttpclient.h"

#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <stdexcept>

using namespace spotkeeper;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

namespace {

// Routes of the server under test: /echo answers the body and method, /async answers
// from a timer, /count reports how many requests reached the handler.
struct Harness
{
    explicit Harness(const http::Limits &limits = {})
    {
        server.setLimits(limits);
        server.setHandler([this](const http::Request &r, std::shared_ptr<http::Responder> out) {
            ++handled;
            if (r.path == "/echo") {
                http::Response resp = http::Response::text(200, r.body);
                resp.headers.append({"X-Method"_ba, r.method});
                resp.headers.append({"X-Query"_ba, r.query});
                resp.headers.append({"X-Peer"_ba, r.peer.toString().toLatin1()});
                out->send(resp);
            } else if (r.path == "/async") {
                QTimer::singleShot(20, [out] { out->send(http::Response::text(202, "later"_ba)); });
            } else if (r.path == "/count") {
                out->send(http::Response::text(200, QByteArray::number(handled)));
            } else {
                out->send(http::Response::error(404, u"not_found"_s, u"no such path"_s));
            }
        });
    }
    bool listen()
    {
        QString error;
        const bool ok = server.listen(QHostAddress::LocalHost, 0, &error);
        if (!ok)
            qWarning() << error;
        return ok;
    }
    QUrl url(const QString &path) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(server.serverPort()).arg(path));
    }

    http::HttpServer server;
    int handled = 0;
};

} // namespace

class TestHttpServer final : public QObject
{
    Q_OBJECT
private slots:
    void routing_data();
    void routing();
    void keepAliveReusesConnection();
    void pipelinedRequestsAnsweredInOrder();
    void chunkedBody();
    void expectContinue();
    void asyncResponder();
    void responderAfterClientLeftIsNoop();
    void responderFromAnotherThread();
    void throwingHandlerAnswers500();
    void malformed_data();
    void malformed();
    void bodyLimit_data();
    void bodyLimit();
    void chunkedBodyOverLimit();
    void headerLimits_data();
    void headerLimits();
    void responseFraming();
};

void TestHttpServer::routing_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expectedBody");

    QTest::newRow("get echo") << "GET"_ba << u"/echo"_s << QByteArray() << 200 << QByteArray();
    QTest::newRow("post echo") << "POST"_ba << u"/echo"_s << "{\"a\":1}"_ba << 200
                               << "{\"a\":1}"_ba;
    QTest::newRow("put echo") << "PUT"_ba << u"/echo"_s << "x"_ba << 200 << "x"_ba;
    QTest::newRow("delete echo") << "DELETE"_ba << u"/echo"_s << QByteArray() << 200
                                 << QByteArray();
    QTest::newRow("unknown path")
        << "GET"_ba << u"/nope"_s << QByteArray() << 404
        << "{\"error\":{\"code\":\"not_found\",\"message\":\"no such path\"}}"_ba;
}

void TestHttpServer::routing()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, expectedBody);

    Harness h;
    QVERIFY(h.listen());
    TestHttpClient client;
    const HttpReply reply = client.send(method, h.url(path + u"?x=1&y=%20z"_s), body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, expectedBody);
    if (status == 200) {
        QCOMPARE(reply.header("X-Method"), method);
        QCOMPARE(reply.header("X-Query"), "x=1&y=%20z"_ba);
        QCOMPARE(reply.header("X-Peer"), "127.0.0.1"_ba);
    }
    QVERIFY(!reply.header("Date").isEmpty());
    QCOMPARE(reply.header("Content-Length").toLongLong(), reply.body.size());
}

void TestHttpServer::keepAliveReusesConnection()
{
    Harness h;
    QVERIFY(h.listen());
    RawHttpClient raw;
    QVERIFY(raw.connectTo(h.server.serverPort()));
    for (int i = 0; i < 5; ++i) {
        raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n"_ba
                 + QByteArray::number(i));
        const RawResponse r = raw.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray::number(i));
        QVERIFY(r.header("Connection").isEmpty());
    }
    // An HTTP/1.0 client asking for keep-alive is told it got it.
    raw.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"_ba);
    const RawResponse old = raw.readResponse();
    QCOMPARE(old.status, 200);
    QCOMPARE(old.header("Connection"), "keep-alive"_ba);
    QVERIFY(raw.isConnected());
    QCOMPARE(h.server.openConnections(), 1);

    // A client asking to close gets "Connection: close" and the server closes.
    raw.send("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"_ba);
    const RawResponse last = raw.readResponse();
    QCOMPARE(last.status, 200);
    QCOMPARE(last.header("Connection"), "close"_ba);
    QVERIFY(raw.waitForClosed());

    // QNetworkAccessManager reuses one connection for sequential requests.
    TestHttpClient client;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(client.get(h.url(u"/echo"_s)).status, 200);
    QCOMPARE(h.server.openConnections(), 1);
}

void TestHttpServer::pipelinedRequestsAnsweredInOrder()
{
    Harness h;
    QVERIFY(h.listen());
    RawHttpClient raw;
    QVERIFY(raw.connectTo(h.server.serverPort()));
    // Three requests in one write, the middle one answered asynchronously.
    raw.send("POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
             "GET /async HTTP/1.1\r\n\r\n"
             "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nthree"_ba);
    RawResponse r = raw.readResponse();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "one"_ba);
    r = raw.readResponse();
    QCOMPARE(r.status, 202);
    QCOMPARE(r.body, "later"_ba);
    r = raw.readResponse();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "three"_ba);
    QCOMPARE(h.handled, 3);
}

void TestHttpServer::chunkedBody()
{
    Harness h;
    QVERIFY(h.listen());
    RawHttpClient raw;
    QVERIFY(raw.connectTo(h.server.serverPort()));
    raw.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n"_ba);
    QTest::qWait(20); // the rest arrives in another segment
    raw.send("1\r\n \r\n5\r\nworld\r\n0\r\n\r\n"_ba);
    const RawResponse r = raw.readResponse();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "hello world"_ba);
}

void TestHttpServer::expectContinue()
{
    Harness h;
    QVERIFY(h.listen());
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), h.server.serverPort());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"_ba);
    QByteArray received;
    QTRY_VERIFY((received += socket.readAll()).contains("\r\n\r\n"));
    QCOMPARE(received, "HTTP/1.1 100 Continue\r\n\r\n"_ba); // and nothing else yet
    QCOMPARE(h.handled, 0);
    socket.write("hello"_ba);
    QTRY_VERIFY((received += socket.readAll()).endsWith("hello"));
    QVERIFY(received.contains("HTTP/1.1 200 OK\r\n"));

    // Over the limit: the client is told 413 at once and is never invited to send.
    QTcpSocket big;
    big.setProxy(QNetworkProxy::NoProxy);
    big.connectToHost(QHostAddress(QHostAddress::LocalHost), h.server.serverPort());
    QVERIFY(big.waitForConnected(5000));
    big.write("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 999999\r\n\r\n"_ba);
    QByteArray answer;
    QTRY_VERIFY((answer += big.readAll()).contains("\r\n\r\n"));
    QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.constData());
}

void TestHttpServer::asyncResponder()
{
    Harness h;
    QVERIFY(h.listen());
    TestHttpClient client;
    const HttpReply reply = client.get(h.url(u"/async"_s));
    QCOMPARE(reply.status, 202);
    QCOMPARE(reply.body, "later"_ba);
}

void TestHttpServer::responderAfterClientLeftIsNoop()
{
    http::HttpServer server;
    std::shared_ptr<http::Responder> kept;
    server.setHandler([&](const http::Request &, std::shared_ptr<http::Responder> out) {
        kept = std::move(out);
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    {
        RawHttpClient raw;
        QVERIFY(raw.connectTo(server.serverPort()));
        raw.send("GET / HTTP/1.1\r\n\r\n"_ba);
        QTRY_VERIFY(kept != nullptr);
        QVERIFY(kept->isOpen());
    }
    QTRY_COMPARE(server.openConnections(), 0);
    QVERIFY(!kept->isOpen());
    kept->send(http::Response::text(200, "late"_ba)); // must not crash
    kept->send(http::Response::text(200, "twice"_ba));
}

void TestHttpServer::responderFromAnotherThread()
{
    http::HttpServer server;
    std::unique_ptr<QThread> worker;
    server.setHandler([&](const http::Request &r, std::shared_ptr<http::Responder> out) {
        // Like a store writer thread answering after its commit.
        worker.reset(QThread::create([out, body = r.body] {
            out->send(http::Response::text(201, "committed:"_ba + body));
        }));
        worker->start();
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    TestHttpClient client;
    for (int i = 0; i < 3; ++i) {
        const HttpReply reply = client.post(
            QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())), QByteArray::number(i));
        QCOMPARE(reply.status, 201);
        QCOMPARE(reply.body, "committed:"_ba + QByteArray::number(i));
        QVERIFY(worker->wait(5000));
    }
}

void TestHttpServer::throwingHandlerAnswers500()
{
    http::HttpServer server;
    server.setHandler([](const http::Request &r, std::shared_ptr<http::Responder> out) {
        if (r.path == "/throw")
            throw std::runtime_error("boom");
        out->send(http::Response::text(200, "fine"_ba));
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    TestHttpClient client;
    const QString base = u"http://127.0.0.1:%1"_s.arg(server.serverPort());
    QTest::ignoreMessage(QtWarningMsg, "spotkeeper::http: request handler threw; answered 500");
    QCOMPARE(client.get(QUrl(base + u"/throw"_s)).status, 500);
    QCOMPARE(client.get(QUrl(base + u"/ok"_s)).body, "fine"_ba);
}

void TestHttpServer::malformed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("garbage") << "\x01\x02\x03 nonsense\r\n\r\n"_ba;
    QTest::newRow("bad version") << "GET / HTTP/9.x\r\n\r\n"_ba;
    QTest::newRow("NUL in header name") << QByteArray("GET / HTTP/1.1\r\nX\0Y: z\r\n\r\n", 26);
    QTest::newRow("bare LF in request line") << "GET /\n HTTP/1.1\r\n\r\n"_ba;
    QTest::newRow("bad content-length") << "POST /echo HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"_ba;
    QTest::newRow("two content-lengths")
        << "POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"_ba;
    QTest::newRow("length and chunked")
        << "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
           "0\r\n\r\n"_ba;
    QTest::newRow("bad chunk size")
        << "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"_ba;
    QTest::newRow("bad target") << "GET  HTTP/1.1\r\n\r\n"_ba;
}

void TestHttpServer::malformed()
{
    QFETCH(QByteArray, request);
    Harness h;
    QVERIFY(h.listen());
    QSignalSpy rejected(&h.server, &http::HttpServer::requestRejected);
    RawHttpClient raw;
    QVERIFY(raw.connectTo(h.server.serverPort()));
    raw.send(request);
    const RawResponse r = raw.readResponse();
    QCOMPARE(r.status, 400);
    QCOMPARE(r.header("Connection"), "close"_ba);
    QCOMPARE(QJsonDocument::fromJson(r.body)[u"error"_s][u"code"_s].toString(), u"malformed"_s);
    QVERIFY(raw.waitForClosed());
    QCOMPARE(h.handled, 0);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.at(0).at(0).toInt(), 400);
}

void TestHttpServer::bodyLimit_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("empty") << qsizetype(0) << 200;
    QTest::newRow("limit-1") << qsizetype(64 * 1024 - 1) << 200;
    QTest::newRow("exactly limit") << qsizetype(64 * 1024) << 200;
    QTest::newRow("limit+1") << qsizetype(64 * 1024 + 1) << 413;
    QTest::newRow("10 MiB") << qsizetype(10 * 1024 * 1024) << 413;
}

void TestHttpServer::bodyLimit()
{
    QFETCH(qsizetype, size);
    QFETCH(int, status);
    Harness h; // default limits: 64 KiB body
    QVERIFY(h.listen());
    QSignalSpy rejected(&h.server, &http::HttpServer::requestRejected);
    TestHttpClient client;
    const QByteArray body(size, 'a');
    const HttpReply reply = client.post(h.url(u"/echo"_s), body);
    QCOMPARE(reply.status, status);
    if (status == 200) {
        QCOMPARE(reply.body.size(), size);
        QCOMPARE(rejected.size(), 0);
    } else {
        QCOMPARE(h.handled, 0);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(1).toByteArray(), "body_too_large"_ba);
        QCOMPARE(reply.header("Connection"), "close"_ba);
    }
    // Never more than the body limit, one read chunk and one socket read buffer.
    QVERIFY2(h.server.peakConnectionBufferedBytes() <= 64 * 1024 + 3 * 16 * 1024,
             QByteArray::number(h.server.peakConnectionBufferedBytes()).constData());
}

void TestHttpServer::chunkedBodyOverLimit()
{
    http::Limits limits;
    limits.maxBodyBytes = 1000;
    Harness h(limits);
    QVERIFY(h.listen());
    QSignalSpy rejected(&h.server, &http::HttpServer::requestRejected);
    RawHttpClient raw;
    QVERIFY(raw.connectTo(h.server.serverPort()));
    raw.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"_ba);
    // 600 + 600 crosses the limit in the second chunk; the server answers without waiting
    // for the end of the body, which never comes.
    raw.send("258\r\n"_ba + QByteArray(600, 'x') + "\r\n"_ba);
    raw.send("258\r\n"_ba + QByteArray(600, 'y') + "\r\n"_ba);
    const RawResponse r = raw.readResponse();
    QCOMPARE(r.status, 413);
    QVERIFY(raw.waitForClosed());
    QCOMPARE(h.handled, 0);
    QCOMPARE(rejected.size(), 1);
    QVERIFY(h.server.peakConnectionBufferedBytes() <= 1000 + 2 * 16 * 1024);
}

void TestHttpServer::headerLimits_data()
{
    QTest::addColumn<int>("fields");
    QTest::addColumn<int>("valueSize");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("64 fields ok") << 64 << 10 << 200 << QByteArray();
    QTest::newRow("65 fields") << 65 << 10 << 431 << "too_many_headers"_ba;
    QTest::newRow("1000 fields") << 1000 << 1 << 431 << "too_many_headers"_ba;
    QTest::newRow("15 KiB ok") << 1 << 15 * 1024 << 200 << QByteArray();
    QTest::newRow("17 KiB value") << 1 << 17 * 1024 << 431 << "headers_too_large"_ba;
    QTest::newRow("1 MiB value") << 1 << 1024 * 1024 << 431 << "headers_too_large"_ba;
}

void TestHttpServer::headerLimits()
{
    QFETCH(int, fields);
    QFETCH(int, valueSize);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    Harness h;
    QVERIFY(h.listen());
    QSignalSpy rejected(&h.server, &http::HttpServer::requestRejected);
    RawHttpClient raw;
    QVERIFY(raw.connectTo(h.server.serverPort()));
    QByteArray request = "GET /echo HTTP/1.1\r\n"_ba;
    for (int i = 0; i < fields; ++i)
        request += "X-F" + QByteArray::number(i) + ": " + QByteArray(valueSize, 'v') + "\r\n";
    request += "\r\n";
    raw.send(request);
    const RawResponse r = raw.readResponse();
    QCOMPARE(r.status, status);
    if (status != 200) {
        QVERIFY(raw.waitForClosed());
        QCOMPARE(h.handled, 0);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(1).toByteArray(), reason);
    }
    QVERIFY(h.server.peakConnectionBufferedBytes() <= 16 * 1024 + 3 * 16 * 1024);
}

void TestHttpServer::responseFraming()
{
    http::HttpServer server;
    server.setHandler([](const http::Request &r, std::shared_ptr<http::Responder> out) {
        http::Response resp = http::Response::text(200, "body"_ba);
        // Framing headers from a handler are replaced; injected CR/LF is dropped.
        resp.headers.append({"Content-Length"_ba, "999"_ba});
        resp.headers.append({"X-Evil"_ba, "a\r\nSet-Cookie: x"_ba});
        resp.headers.append({"X-Path"_ba, r.path});
        out->send(resp);
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    RawHttpClient raw;
    QVERIFY(raw.connectTo(server.serverPort()));
    raw.send("HEAD /a%20b HTTP/1.1\r\n\r\nGET /x HTTP/1.0\r\n\r\n"_ba);
    RawResponse r = raw.readResponse(5000, true);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Length"), "4"_ba);
    QVERIFY(r.body.isEmpty()); // HEAD: length announced, no body sent
    QCOMPARE(r.header("X-Path"), "/a b"_ba);
    QVERIFY(r.header("X-Evil").isEmpty());
    QVERIFY(r.header("Set-Cookie").isEmpty());
    r = raw.readResponse(); // HTTP/1.0 without keep-alive: answered, then closed
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "body"_ba);
    QCOMPARE(r.header("Connection"), "close"_ba);
    QVERIFY(raw.waitForClosed());
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
