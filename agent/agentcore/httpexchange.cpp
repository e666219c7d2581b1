// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/httpexchange.h"

#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimer>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#include <QSslSocket>
#endif

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kMaxHeadBytes = qsizetype {64} * 1024;

std::optional<qint64> hexValue(QByteArrayView text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok, 16);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}
} // namespace

void HttpExchange::start(const HttpRequest &request, const QSslConfiguration *sslConfiguration,
                         Callback done, QObject *context)
{
    auto *exchange = new HttpExchange(request, std::move(done), context);
    exchange->connectSocket(sslConfiguration);
}

HttpExchange::HttpExchange(HttpRequest request, Callback done, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_done(std::move(done))
{ }

void HttpExchange::connectSocket(const QSslConfiguration *sslConfiguration)
{
    const QUrl &url = m_request.url;
    const bool tls = url.scheme() == "https"_L1;
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        HttpResponse response;
        response.timedOut = true;
        response.error = u"timed out after %1 ms"_s.arg(m_request.timeoutMs);
        finish(response);
    });
    m_timer->start(m_request.timeoutMs);

    if (url.scheme() != "http"_L1 && !tls) {
        QTimer::singleShot(0, this, [this] {
            finish({0, {}, u"unsupported URL scheme \"%1\""_s.arg(m_request.url.scheme()), false});
        });
        return;
    }
#if QT_CONFIG(ssl)
    QSslSocket *sslSocket = nullptr;
    if (tls) {
        sslSocket = new QSslSocket(this);
        if (sslConfiguration != nullptr)
            sslSocket->setSslConfiguration(*sslConfiguration);
        m_socket = sslSocket;
    }
#else
    Q_UNUSED(sslConfiguration);
    if (tls) {
        QTimer::singleShot(0, this, [this] {
            finish({0, {}, u"https is not available: Qt was built without TLS"_s, false});
        });
        return;
    }
#endif
    if (m_socket == nullptr)
        m_socket = new QTcpSocket(this);
    if (m_request.noProxy)
        m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket, &QAbstractSocket::readyRead, this, &HttpExchange::readResponse);
    connect(m_socket, &QAbstractSocket::disconnected, this, [this] { tryComplete(true); });
    connect(m_socket, &QAbstractSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError error) {
                if (error == QAbstractSocket::RemoteHostClosedError) {
                    readResponse();
                    tryComplete(true);
                    return;
                }
                finish({0, {}, m_socket->errorString(), false});
            });
    const auto port = quint16(url.port(tls ? 443 : 80));
#if QT_CONFIG(ssl)
    if (sslSocket != nullptr) {
        connect(sslSocket, &QSslSocket::encrypted, this, &HttpExchange::sendRequest);
        sslSocket->connectToHostEncrypted(url.host(), port);
        return;
    }
#endif
    connect(m_socket, &QAbstractSocket::connected, this, &HttpExchange::sendRequest);
    m_socket->connectToHost(url.host(), port);
}

void HttpExchange::sendRequest()
{
    const QUrl &url = m_request.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() != -1)
        host += ':' + QByteArray::number(url.port());

    QByteArray head = m_request.verb + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &[name, value] : std::as_const(m_request.headers))
        head += name + ": " + value + "\r\n";
    if (!m_request.body.isEmpty() || m_request.verb != "GET")
        head += "Content-Length: " + QByteArray::number(m_request.body.size()) + "\r\n";
    head += "Connection: close\r\n\r\n";
    m_socket->write(head + m_request.body);
}

bool HttpExchange::parseHead(QString *error)
{
    const QByteArrayView head = QByteArrayView(m_buffer).first(m_headEnd - 4);
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    // "HTTP/1.1 200 OK"
    const QByteArray statusLine = lines.first().trimmed();
    if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12 || statusLine.at(8) != ' ') {
        *error = u"not an HTTP/1.x response"_s;
        return false;
    }
    bool ok = false;
    m_status = statusLine.mid(9, 3).toInt(&ok);
    if (!ok || m_status < 100 || m_status > 599) {
        *error = u"malformed HTTP status line"_s;
        return false;
    }
    m_contentLength = -1;
    m_chunked = false;
    m_headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        m_headers.append({name, value});
        if (name == "content-length") {
            m_contentLength = value.toLongLong(&ok);
            if (!ok || m_contentLength < 0) {
                *error = u"malformed Content-Length"_s;
                return false;
            }
        } else if (name == "transfer-encoding") {
            m_chunked = value.toLower().contains("chunked");
        }
    }
    if (m_status == 204 || m_status == 304)
        m_contentLength = 0;
    return true;
}

void HttpExchange::readResponse()
{
    if (m_finished || m_socket == nullptr)
        return;
    m_buffer += m_socket->readAll();
    while (m_headEnd < 0) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > kMaxHeadBytes)
                finish({0, {}, u"response header larger than 64 KiB"_s, false});
            return;
        }
        m_headEnd = end + 4;
        QString error;
        if (!parseHead(&error)) {
            finish({0, {}, error, false});
            return;
        }
        if (m_status < 200) { // an interim "100 Continue": the real answer follows
            m_buffer.remove(0, m_headEnd);
            m_headEnd = -1;
        }
    }
    if (m_buffer.size() - m_headEnd > m_request.maxResponseBytes + (m_chunked ? 64 * 1024 : 0)) {
        finish({0, {}, u"response larger than %1 bytes"_s.arg(m_request.maxResponseBytes), false});
        return;
    }
    tryComplete(false);
}

void HttpExchange::tryComplete(bool closed)
{
    if (m_finished)
        return;
    if (m_headEnd < 0) {
        if (closed)
            finish({0, {}, u"connection closed before an HTTP response arrived"_s, false});
        return;
    }
    const QByteArrayView body = QByteArrayView(m_buffer).sliced(m_headEnd);
    HttpResponse response;
    response.status = m_status;
    response.headers = m_headers;
    if (m_chunked) {
        QString error;
        const auto decoded = decodeChunked(body, &error);
        if (!error.isEmpty()) {
            finish({0, {}, error, false});
            return;
        }
        if (!decoded) {
            if (closed)
                finish({0, {}, u"connection closed inside a chunked body"_s, false});
            return;
        }
        response.body = *decoded;
    } else if (m_contentLength >= 0) {
        if (body.size() < m_contentLength) {
            if (closed)
                finish({0,
                        {},
                        u"connection closed after %1 of %2 body bytes"_s.arg(body.size())
                            .arg(m_contentLength),
                        false});
            return;
        }
        response.body = body.first(m_contentLength).toByteArray();
    } else {
        if (!closed)
            return; // the body ends when the server closes
        response.body = body.toByteArray();
    }
    finish(response);
}

std::optional<QByteArray> HttpResponse::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return std::nullopt;
}

MetadataReply MetadataReply::from(const HttpResponse &response)
{
    MetadataReply reply;
    reply.httpStatus = response.status;
    reply.timedOut = response.timedOut;
    reply.body = response.body;
    reply.error = response.error;
    if (reply.error.isEmpty() && reply.httpStatus != 200)
        reply.error = u"HTTP %1"_s.arg(reply.httpStatus);
    return reply;
}

std::optional<QByteArray> HttpExchange::decodeChunked(QByteArrayView data, QString *error)
{
    QByteArray out;
    qsizetype pos = 0;
    while (true) {
        const qsizetype lineEnd = data.indexOf(QByteArrayView("\r\n"), pos);
        if (lineEnd < 0)
            return std::nullopt;
        QByteArrayView sizeText = data.sliced(pos, lineEnd - pos);
        if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
            sizeText = sizeText.first(semicolon); // chunk extensions are ignored
        const auto size = hexValue(sizeText);
        if (!size || *size > (qint64(1) << 40)) {
            *error = u"malformed chunk size in a chunked body"_s;
            return std::nullopt;
        }
        pos = lineEnd + 2;
        if (*size == 0) {
            // Trailers (ignored), then an empty line.
            while (true) {
                const qsizetype end = data.indexOf(QByteArrayView("\r\n"), pos);
                if (end < 0)
                    return std::nullopt;
                if (end == pos)
                    return out;
                pos = end + 2;
            }
        }
        if (data.size() - pos < *size + 2)
            return std::nullopt;
        out += data.sliced(pos, *size);
        pos += *size;
        if (data.sliced(pos, 2) != QByteArrayView("\r\n")) {
            *error = u"chunk not followed by CRLF in a chunked body"_s;
            return std::nullopt;
        }
        pos += 2;
    }
}

void HttpExchange::finish(const HttpResponse &response)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer->stop();
    if (m_socket != nullptr) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    // Called from socket signals and timers, never from start(): the caller's state is
    // consistent, and deleteLater keeps the socket alive until its signal returns.
    auto done = std::exchange(m_done, {});
    deleteLater();
    if (done)
        done(response);
}

} // namespace spotkeeper::agent
