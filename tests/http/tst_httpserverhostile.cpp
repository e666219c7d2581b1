// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpserver.h"
#include "support/http/rawhttpclient.h"
#include "support/http/testhttpclient.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <vector>

using namespace spotkeeper;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

// Hostile clients: they must neither crash the server nor grow its memory, and the server
// must keep answering well-behaved clients.
class TestHttpServerHostile final : public QObject
{
    Q_OBJECT
private slots:
    void pipelineFloodWithoutReadingIsBackPressured();
    void randomBytesNeverCrash_data();
    void randomBytesNeverCrash();
    void manyOversizedRequestsAtOnce();
};

void TestHttpServerHostile::pipelineFloodWithoutReadingIsBackPressured()
{
    constexpr int Requests = 2000;
    const QByteArray big(10 * 1024, 'r');
    http::HttpServer server;
    int handled = 0;
    server.setHandler([&](const http::Request &, std::shared_ptr<http::Responder> out) {
        ++handled;
        out->send(http::Response::text(200, big));
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));

    RawHttpClient raw;
    QVERIFY(raw.connectTo(server.serverPort()));
    // The client reads nothing: a one-byte socket buffer, and RawHttpClient's readyRead
    // handler (which would drain it) kept quiet until the end.
    raw.socket().setReadBufferSize(1);
    raw.socket().blockSignals(true);
    QByteArray flood;
    for (int i = 0; i < Requests; ++i)
        flood += "GET /r HTTP/1.1\r\n\r\n"_ba;
    raw.send(flood);
    // 2000 x 10 KiB = 20 MiB of answers cannot fit the socket buffers: the server must stop
    // handling requests instead of queueing answers in memory. The kernel keeps growing the
    // loopback buffers for a while (more so on a loaded machine), so wait until the count
    // has been still for half a second rather than for a fixed time.
    int last = -1;
    for (int round = 0; round < 40 && handled != last; ++round) {
        last = handled;
        QTest::qWait(500);
    }
    QCOMPARE(handled, last); // it did stop
    QVERIFY2(handled < Requests, QByteArray::number(handled).constData());
    QVERIFY(server.bufferedBytes() <= 3 * 16 * 1024);

    // Once the client reads, every request is answered, in order.
    raw.socket().blockSignals(false);
    raw.socket().setReadBufferSize(0);
    for (int i = 0; i < Requests; ++i) {
        const RawResponse r = raw.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), big.size());
    }
    QCOMPARE(handled, Requests);
}

void TestHttpServerHostile::randomBytesNeverCrash_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : {1u, 2u, 3u, 42u, 1234u})
        QTest::newRow(QByteArray::number(seed).constData()) << seed;
}

void TestHttpServerHostile::randomBytesNeverCrash()
{
    QFETCH(quint32, seed);
    QRandomGenerator rng(seed);
    http::HttpServer server;
    http::Limits limits;
    limits.maxBodyBytes = 4096;
    limits.maxHeaderBytes = 2048;
    limits.readDeadlineMs = 500;
    server.setLimits(limits);
    server.setHandler([](const http::Request &r, std::shared_ptr<http::Responder> out) {
        out->send(http::Response::text(200, r.body));
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));

    // Valid prefixes with random tails, and pure noise, on 20 connections at once.
    const QList<QByteArray> prefixes {
        ""_ba, "GET / HTTP/1.1\r\n"_ba, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"_ba,
        "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n"_ba, "GET /"_ba};
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < 20; ++i) {
        auto c = std::make_unique<RawHttpClient>();
        QVERIFY(c->connectTo(server.serverPort()));
        QByteArray bytes = prefixes.at(int(rng.bounded(quint32(prefixes.size()))));
        const int n = int(rng.bounded(1u, 6000u));
        for (int k = 0; k < n; ++k) {
            // Mostly printable with CR/LF/colons/digits, some arbitrary bytes.
            static const char alphabet[] = "GET/ HTP1.:\r\n0123456789abcdefxyz-;";
            bytes += rng.bounded(8u) == 0 ? char(rng.bounded(256u))
                                          : alphabet[rng.bounded(quint32(sizeof alphabet - 1))];
        }
        c->send(bytes);
        clients.push_back(std::move(c));
    }
    // Every connection ends: answered and kept, rejected and closed, or closed by deadline.
    for (auto &c : clients)
        QVERIFY(c->waitForClosed(5000) || c->readResponse(100).status != 0);
    QVERIFY(server.peakConnectionBufferedBytes() <= 4096 + 2048 + 2 * 16 * 1024);

    TestHttpClient client; // still serving
    const HttpReply reply =
        client.post(QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())), "alive"_ba);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, "alive"_ba);
}

void TestHttpServerHostile::manyOversizedRequestsAtOnce()
{
    http::HttpServer server; // default limits: 64 KiB body, 16 KiB headers
    int handled = 0;
    server.setHandler([&](const http::Request &, std::shared_ptr<http::Responder> out) {
        ++handled;
        out->send(http::Response::text(200, "ok"_ba));
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy rejected(&server, &http::HttpServer::requestRejected);

    // 50 clients each announce 100 MiB and start sending it; 50 more send 1 MiB headers.
    const QByteArray chunk(256 * 1024, 'b');
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < 100; ++i) {
        auto c = std::make_unique<RawHttpClient>();
        QVERIFY(c->connectTo(server.serverPort()));
        if (i % 2 == 0)
            c->send("POST / HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n"_ba + chunk);
        else
            c->send("GET / HTTP/1.1\r\nX-Big: "_ba + QByteArray(1024 * 1024, 'h'));
        clients.push_back(std::move(c));
    }
    for (auto &c : clients) {
        const RawResponse r = c->readResponse();
        QVERIFY(r.status == 413 || r.status == 431);
        QVERIFY(c->waitForClosed());
    }
    QCOMPARE(handled, 0);
    QCOMPARE(rejected.size(), 100);
    // Per connection: at most one read chunk, a socket read buffer and the header limit.
    QVERIFY2(server.peakConnectionBufferedBytes() <= 16 * 1024 + 2 * 16 * 1024,
             QByteArray::number(server.peakConnectionBufferedBytes()).constData());
    QTRY_COMPARE(server.openConnections(), 0);
}

QTEST_GUILESS_MAIN(TestHttpServerHostile)
#include "tst_httpserverhostile.moc"
