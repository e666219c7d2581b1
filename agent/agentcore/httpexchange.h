// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QAbstractSocket;
class QSslConfiguration;
class QTimer;

// One bounded HTTP/1.1 request over its own QTcpSocket (or QSslSocket for https), then
// the connection is closed. The agent sends about one request a second, so it does not
// need QNetworkAccessManager: that one starts a worker thread (with its own malloc arena)
// per manager and touches far more of Qt Network, which showed in the agent's resident
// memory (docs/BENCHMARKS.md "Agent"). No redirects are followed, no compression is
// asked for; the response must fit in maxResponseBytes. Reads Content-Length, chunked and
// close-delimited bodies.
namespace spotkeeper::agent {

struct HttpRequest
{
    QByteArray verb = QByteArrayLiteral("GET");
    QUrl url; // http or https
    QList<QPair<QByteArray, QByteArray>> headers; // Host, Content-Length and Connection are added
    QByteArray body;
    int timeoutMs = 5000; // whole exchange: connect, send, receive
    qint64 maxResponseBytes = qint64 {1024} * 1024;
    bool noProxy = false; // true: never any proxy (IMDS); false: Qt's application proxy
};

struct HttpResponse
{
    int status = 0; // 0 when no complete HTTP answer arrived
    QByteArray body;
    QString error; // transport error or "timed out after N ms"; empty when status is set
    bool timedOut = false;
    QList<QPair<QByteArray, QByteArray>> headers {}; // names lower-cased, in arrival order

    // The first header of that name (give it lower case); nullopt when absent.
    std::optional<QByteArray> header(QByteArrayView lowerName) const;
};

// A metadata server's answer as the agent's metadata clients hand it on (Azure IMDS: ImdsReply,
// EC2 IMDSv2: Ec2Reply, Compute Engine: GceReply adds its headers).
struct MetadataReply
{
    int httpStatus = 0; // 0 when no HTTP answer arrived
    QByteArray body;
    QString error; // empty on a genuine HTTP 200, else e.g. "HTTP 429" or "timed out after 5000 ms"
    bool timedOut = false;
    bool ok() const { return httpStatus == 200 && error.isEmpty(); }
    bool notFound() const { return httpStatus == 404; }

    // The response, with "HTTP <status>" as the error of an answer other than 200.
    static MetadataReply from(const HttpResponse &response);
};

class HttpExchange final : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const HttpResponse &)>;

    // Starts at once; calls done exactly once (never from inside start()) and then deletes
    // itself. sslConfiguration is used only for https and may be null (system CAs).
    static void start(const HttpRequest &request, const QSslConfiguration *sslConfiguration,
                      Callback done, QObject *context);

    // Exposed for tests: decodes a chunked body; nullopt while incomplete, and sets
    // *error when it is malformed.
    static std::optional<QByteArray> decodeChunked(QByteArrayView data, QString *error);

    ~HttpExchange() override = default;

private:
    HttpExchange(HttpRequest request, Callback done, QObject *parent);
    Q_DISABLE_COPY_MOVE(HttpExchange)

    void connectSocket(const QSslConfiguration *sslConfiguration);
    void sendRequest();
    void readResponse();
    bool parseHead(QString *error);
    void tryComplete(bool closed);
    void finish(const HttpResponse &response);

    HttpRequest m_request;
    Callback m_done;
    QAbstractSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    QByteArray m_buffer;
    qsizetype m_headEnd = -1; // offset of the body in m_buffer once the head is read
    int m_status = 0;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    qint64 m_contentLength = -1;
    bool m_chunked = false;
    bool m_finished = false;
};

} // namespace spotkeeper::agent
