// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The agent's small HTTP/1.1 client against a raw TCP server on 127.0.0.1 that answers
// scripted bytes (framing cases a real server library would never produce). The proxy
// rule (IMDS never through one) cannot be observed here: Qt never proxies loopback.
#include "agentcore/httpexchange.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {

// Answers every connection with `reply` once the request head has arrived, optionally
// in two parts, then closes (unless keepOpen). Records the raw request bytes.
class RawServer final : public QObject
{
public:
    RawServer()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_received += socket->readAll();
                    if (!m_received.contains("\r\n\r\n") || socket->property("answered").toBool())
                        return;
                    socket->setProperty("answered", true);
                    socket->write(m_reply.left(m_splitAt));
                    socket->flush();
                    QTimer::singleShot(20, socket, [this, socket] {
                        socket->write(m_reply.mid(m_splitAt));
                        if (!m_keepOpen)
                            socket->disconnectFromHost();
                    });
                });
            }
        });
    }
    QUrl url(const QString &path = u"/x?a=1"_s) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path));
    }

    // What the server answers: reply, written in two parts split at splitAt, then the
    // connection closed unless keepOpen.
    void answer(const QByteArray &reply, qsizetype splitAt = 0, bool keepOpen = false)
    {
        m_reply = reply;
        m_splitAt = splitAt;
        m_keepOpen = keepOpen;
    }
    const QByteArray &received() const { return m_received; }

private:
    QTcpServer m_server;
    QByteArray m_reply;
    qsizetype m_splitAt = 0;
    bool m_keepOpen = false;
    QByteArray m_received;
};

HttpResponse exchange(const HttpRequest &request)
{
    std::optional<HttpResponse> result;
    QObject context;
    HttpExchange::start(
        request, nullptr, [&result](const HttpResponse &r) { result = r; }, &context);
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15'000))
        return {0, {}, u"test: no callback"_s, false};
    return *result;
}

} // namespace

class TestHttpExchange final : public QObject
{
    Q_OBJECT
private slots:
    void framing_data();
    void framing();
    void requestHead();
    void timeout();
    void refused();
    void chunkedDecoder();
    void metadataReply();
};

void TestHttpExchange::framing_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("keepOpen");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");

    QTest::newRow("content-length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") << true << 200
        << QByteArray("hello") << QString();
    QTest::newRow("content-length, lower case header, extra bytes ignored")
        << QByteArray("HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nokEXTRA") << true << 201
        << QByteArray("ok") << QString();
    QTest::newRow("chunked with extension and trailer")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n")
        << true << 200 << QByteArray("abcde") << QString();
    QTest::newRow("close-delimited")
        << QByteArray("HTTP/1.0 429 Too Many Requests\r\n\r\nslow down") << false << 429
        << QByteArray("slow down") << QString();
    QTest::newRow("interim 100 Continue first")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n") << true << 204
        << QByteArray() << QString();
    QTest::newRow("truncated body")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort") << false << 0
        << QByteArray() << u"connection closed after 5 of 10 body bytes"_s;
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n") << false << 0 << QByteArray()
                              << u"not an HTTP/1.x response"_s;
    QTest::newRow("bad chunk") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                                             "\r\nzz\r\n")
                               << true << 0 << QByteArray()
                               << u"malformed chunk size in a chunked body"_s;
    QTest::newRow("closed without answer")
        << QByteArray() << false << 0 << QByteArray()
        << u"connection closed before an HTTP response arrived"_s;
}

void TestHttpExchange::framing()
{
    QFETCH(QByteArray, reply);
    QFETCH(bool, keepOpen);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    for (const qsizetype split : {qsizetype(0), reply.size() / 2}) {
        RawServer server;
        server.answer(reply, split, keepOpen); // the whole reply at once, then in two parts
        HttpRequest request;
        request.url = server.url();
        const HttpResponse response = exchange(request);
        QCOMPARE(response.status, status);
        QCOMPARE(response.body, body);
        QCOMPARE(response.error, error);
        QVERIFY(!response.timedOut);
    }
}

void TestHttpExchange::requestHead()
{
    RawServer server;
    server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    HttpRequest request;
    request.verb = "POST";
    request.url = server.url(u"/metadata/scheduledevents?api-version=2020-07-01"_s);
    request.headers.append(qMakePair(QByteArray("Metadata"), QByteArray("true")));
    request.body = R"({"StartRequests":[]})";
    QCOMPARE(exchange(request).status, 200);
    const QByteArray expected = "POST /metadata/scheduledevents?api-version=2020-07-01 HTTP/1.1\r\n"
                                "Host: 127.0.0.1:"
        + QByteArray::number(request.url.port())
        + "\r\nMetadata: true\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"
          R"({"StartRequests":[]})";
    QCOMPARE(server.received(), expected);
}

void TestHttpExchange::timeout()
{
    RawServer server;
    server.answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part", 0,
                  true); // never completes
    HttpRequest request;
    request.url = server.url();
    request.timeoutMs = 300;
    const HttpResponse response = exchange(request);
    QVERIFY(response.timedOut);
    QCOMPARE(response.status, 0);
    QCOMPARE(response.error, u"timed out after 300 ms"_s);
}

void TestHttpExchange::refused()
{
    quint16 port = 0;
    {
        QTcpServer gone;
        QVERIFY(gone.listen(QHostAddress::LocalHost, 0));
        port = gone.serverPort();
    }
    HttpRequest request;
    request.url = QUrl(u"http://127.0.0.1:%1/"_s.arg(port));
    const HttpResponse response = exchange(request);
    QCOMPARE(response.status, 0);
    QVERIFY(!response.error.isEmpty());
    QVERIFY(!response.timedOut);

    request.url = QUrl(u"ftp://127.0.0.1:%1/"_s.arg(port));
    QCOMPARE(exchange(request).error, u"unsupported URL scheme \"ftp\""_s);
}

void TestHttpExchange::chunkedDecoder()
{
    QString error;
    QCOMPARE(HttpExchange::decodeChunked("5\r\nhel", &error), std::nullopt); // incomplete
    QVERIFY(error.isEmpty());
    QCOMPARE(HttpExchange::decodeChunked("5\r\nhello\r\n0\r\n\r\n", &error),
             std::optional<QByteArray>("hello"));
    QCOMPARE(HttpExchange::decodeChunked("5\r\nhelloXX0\r\n\r\n", &error), std::nullopt);
    QCOMPARE(error, u"chunk not followed by CRLF in a chunked body"_s);
}

// What the three metadata clients hand on: only a 200 without a transport error is ok.
void TestHttpExchange::metadataReply()
{
    HttpResponse response;
    response.status = 200;
    response.body = "{}";
    MetadataReply reply = MetadataReply::from(response);
    QVERIFY(reply.ok());
    QCOMPARE(reply.body, QByteArray("{}"));
    QVERIFY(reply.error.isEmpty());

    response.status = 404;
    reply = MetadataReply::from(response);
    QVERIFY(!reply.ok());
    QVERIFY(reply.notFound());
    QCOMPARE(reply.error, u"HTTP 404"_s);

    HttpResponse timedOut;
    timedOut.error = u"timed out after 5000 ms"_s;
    timedOut.timedOut = true;
    reply = MetadataReply::from(timedOut);
    QVERIFY(!reply.ok());
    QVERIFY(reply.timedOut);
    QCOMPARE(reply.httpStatus, 0);
    QCOMPARE(reply.error, u"timed out after 5000 ms"_s);
}

QTEST_GUILESS_MAIN(TestHttpExchange)
#include "tst_httpexchange.moc"
