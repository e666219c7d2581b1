// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpconnection.h"

#include "http/connectionresponder.h"
#include "http/httpmessage.h"

#include <QSslSocket>

#include <array>
#include <limits>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace spotkeeper::http {

namespace {

// Responses waiting in the socket beyond this stop us from parsing the next pipelined
// request: a client that sends but never reads cannot grow our write buffer.
constexpr qint64 WriteHighWater = qint64(64) * 1024;
// How long a connection we are closing may keep sending before we abort it.
constexpr int LingerMs = 1000;

HttpConnection *self(http_parser *p)
{
    return static_cast<HttpConnection *>(p->data);
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const Limits &limits, Handler handler,
                               bool encrypted, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_encrypted(encrypted)
    , m_timerIsDeadline(true) // a new connection must start its first request promptly
{
    socket->setParent(this);
    // Qt stops reading from the kernel once this much is buffered: TCP back-pressure
    // instead of memory growth while a request is being handled.
    socket->setReadBufferSize(ReadChunk);

    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    http_parser_settings_init(&m_settings);
    m_settings.on_message_begin = &HttpConnection::onMessageBegin;
    m_settings.on_url = &HttpConnection::onUrl;
    m_settings.on_header_field = &HttpConnection::onHeaderField;
    m_settings.on_header_value = &HttpConnection::onHeaderValue;
    m_settings.on_headers_complete = &HttpConnection::onHeadersComplete;
    m_settings.on_body = &HttpConnection::onBody;
    m_settings.on_message_complete = &HttpConnection::onMessageComplete;

    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::handleTimeout);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::handleReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::handleBytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);

    // A new connection must start its first request (and TLS handshake) promptly.
    armTimer(qMin(m_limits.readDeadlineMs, m_limits.idleTimeoutMs));
    if (encrypted) {
        m_state = State::Handshake;
        auto *ssl = qobject_cast<QSslSocket *>(socket); // the server made it one when encrypted
        connect(ssl, &QSslSocket::encrypted, this, &HttpConnection::handleEncrypted);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            const bool noCert =
                !errors.isEmpty() && errors.constFirst().error() == QSslError::NoPeerCertificate;
            rejectHandshake(noCert ? 496 : 495,
                            noCert ? QByteArrayLiteral("tls_no_client_certificate")
                                   : QByteArrayLiteral("tls_bad_certificate"));
        });
        connect(ssl, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            // A plain-HTTP client, a failed negotiation or a refused client certificate.
            if (m_state == State::Handshake && e != QAbstractSocket::RemoteHostClosedError)
                rejectHandshake(495, QByteArrayLiteral("tls_handshake_failed"));
        });
    }
    if (socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &HttpConnection::finish, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    if (!m_socket.isNull()) {
        m_socket->disconnect(this);
        delete m_socket.data();
    }
}

void HttpConnection::drain()
{
    m_draining = true;
    if (m_state == State::Handshake) {
        m_socket->abort();
        return;
    }
    if (m_state != State::Reading || m_inMessage || !m_pending.isEmpty())
        return; // the request under way is answered, with "Connection: close"
    // A connection that has not sent its first request yet may have it on the way: its bytes
    // can be in the kernel, not yet read. It keeps its read deadline and is answered (and
    // closed) like any other; the owner's drain deadline bounds the wait. Only a keep-alive
    // connection idle after an answer closes at once (a client that races a request against
    // that close sees the connection end unanswered and retries, RFC 9112 section 9.3.1).
    if (m_sequence == 0 || (!m_socket.isNull() && m_socket->bytesAvailable() > 0))
        return;
    startLinger();
}

qsizetype HttpConnection::bufferedBytes() const
{
    qsizetype n = m_pending.size() + m_headerBytes + m_request.body.size();
    if (!m_socket.isNull())
        n += m_socket->bytesAvailable();
    return n;
}

bool HttpConnection::acceptsResponse(quint64 sequence) const
{
    return m_state == State::Handling && sequence == m_sequence;
}

void HttpConnection::deliver(quint64 sequence, const Response &response)
{
    if (!acceptsResponse(sequence))
        return;
    writeResponse(response, false);
    if (m_state == State::Reading && !m_inProcess)
        processInput();
}

void HttpConnection::resetConnection(quint64 sequence)
{
    if (!acceptsResponse(sequence) || m_socket.isNull())
        return;
    // Linger on, timeout 0: close() sends RST instead of FIN and discards unsent data.
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0) {
        const linger hard {1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    m_state = State::Lingering; // nothing more is read or answered
    m_socket->abort();
    finish();
}

void HttpConnection::armTimer(int ms)
{
    m_timer.start(qMax(0, ms));
}

void HttpConnection::rejectHandshake(int status, const QByteArray &reason)
{
    if (m_handshakeRejected)
        return; // Qt may report one failure through several signals
    m_handshakeRejected = true;
    emit rejected(status, reason);
}

void HttpConnection::handleEncrypted()
{
    m_state = State::Reading;
    processInput();
}

void HttpConnection::handleReadyRead()
{
    if (m_state == State::Lingering) {
        // Read and drop: we answered and are closing, but an unread receive buffer
        // would make the kernel reset the connection before the client saw our answer.
        std::array<char, 4096> sink {};
        while (!m_socket.isNull() && m_socket->read(sink.data(), qint64(sink.size())) > 0) { }
        return;
    }
    if (m_state == State::Reading && !m_inProcess)
        processInput();
}

void HttpConnection::handleBytesWritten()
{
    if (m_socket.isNull())
        return;
    if (m_state == State::Lingering) {
        if (m_socket->bytesToWrite() == 0 && !m_shutdownSent)
            shutdownWrite();
        return;
    }
    if (m_state == State::Reading && !m_inProcess)
        processInput();
}

void HttpConnection::shutdownWrite()
{
    m_shutdownSent = true;
#ifdef Q_OS_UNIX
    // Half-close plain TCP so the client sees EOF while we still drain its input.
    if (!m_encrypted && m_socket->socketDescriptor() != -1)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#endif
    if (m_encrypted)
        m_socket->disconnectFromHost();
}

void HttpConnection::processInput()
{
    m_inProcess = true;
    while (m_state == State::Reading && !m_socket.isNull()) {
        if (m_socket->bytesToWrite() > WriteHighWater)
            break; // resumed from handleBytesWritten
        if (m_pending.isEmpty()) {
            if (m_socket->bytesAvailable() <= 0)
                break;
            m_pending = m_socket->read(ReadChunk);
            if (m_pending.isEmpty())
                break;
            if (!m_timerIsDeadline) {
                armTimer(m_limits.readDeadlineMs);
                m_timerIsDeadline = true;
            }
        }
        noteBuffered();
        const size_t parsed = http_parser_execute(&m_parser, &m_settings, m_pending.constData(),
                                                  size_t(m_pending.size()));
        const http_errno err = HTTP_PARSER_ERRNO(&m_parser);
        if (err == HPE_PAUSED) { // a complete request: keep the rest for later
            m_pending.remove(0, qsizetype(parsed));
            http_parser_pause(&m_parser, 0);
            dispatch();
            continue;
        }
        if (err != HPE_OK) {
            if (m_rejectStatus != 0) {
                reject(m_rejectStatus, m_rejectReason);
            } else if (err == HPE_HEADER_OVERFLOW) {
                reject(431, QByteArrayLiteral("headers_too_large"));
            } else {
                reject(400, QByteArrayLiteral("malformed"),
                       QString::fromLatin1(http_errno_description(err)));
            }
            break;
        }
        m_pending.clear();
    }
    m_inProcess = false;
}

int HttpConnection::onMessageBegin(http_parser *p)
{
    HttpConnection *c = self(p);
    c->m_request = Request {};
    c->m_url.clear();
    c->m_field.clear();
    c->m_value.clear();
    c->m_lastWasValue = false;
    c->m_headerBytes = 0;
    c->m_headerFields = 0;
    c->m_inMessage = true;
    if (!c->m_timerIsDeadline) {
        c->armTimer(c->m_limits.readDeadlineMs);
        c->m_timerIsDeadline = true;
    }
    return 0;
}

bool HttpConnection::addHeaderBytes(qsizetype n)
{
    m_headerBytes += n;
    if (m_headerBytes > m_limits.maxHeaderBytes) {
        m_rejectStatus = 431;
        m_rejectReason = QByteArrayLiteral("headers_too_large");
        return false;
    }
    return true;
}

int HttpConnection::onUrl(http_parser *p, const char *at, size_t len)
{
    HttpConnection *c = self(p);
    if (!c->addHeaderBytes(qsizetype(len)))
        return 1;
    c->m_url.append(at, qsizetype(len));
    return 0;
}

void HttpConnection::flushHeader()
{
    if (!m_field.isEmpty())
        m_request.headers.append({m_field, m_value.trimmed()});
    m_field.clear();
    m_value.clear();
}

int HttpConnection::onHeaderField(http_parser *p, const char *at, size_t len)
{
    HttpConnection *c = self(p);
    qsizetype extra = 0;
    if (c->m_lastWasValue || c->m_headerFields == 0) {
        c->flushHeader();
        if (++c->m_headerFields > c->m_limits.maxHeaderFields) {
            c->m_rejectStatus = 431;
            c->m_rejectReason = QByteArrayLiteral("too_many_headers");
            return 1;
        }
        extra = 4; // ": " and CRLF
    }
    if (!c->addHeaderBytes(qsizetype(len) + extra))
        return 1;
    c->m_field.append(at, qsizetype(len));
    c->m_lastWasValue = false;
    return 0;
}

int HttpConnection::onHeaderValue(http_parser *p, const char *at, size_t len)
{
    HttpConnection *c = self(p);
    if (!c->addHeaderBytes(qsizetype(len)))
        return 1;
    c->m_value.append(at, qsizetype(len));
    c->m_lastWasValue = true;
    return 0;
}

int HttpConnection::onHeadersComplete(http_parser *p)
{
    HttpConnection *c = self(p);
    c->flushHeader();
    Request &r = c->m_request;
    r.method = QByteArray(http_method_str(http_method(p->method)));
    http_parser_url url {};
    http_parser_url_init(&url);
    if (http_parser_parse_url(c->m_url.constData(), size_t(c->m_url.size()), 0, &url) != 0) {
        c->m_rejectStatus = 400;
        c->m_rejectReason = QByteArrayLiteral("malformed");
        c->m_rejectMessage = QStringLiteral("invalid request target");
        return -1;
    }
    if ((url.field_set & (1 << UF_PATH)) != 0)
        r.path = QByteArray::fromPercentEncoding(
            c->m_url.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len));
    if (r.path.isEmpty())
        r.path = QByteArrayLiteral("/");
    if ((url.field_set & (1 << UF_QUERY)) != 0)
        r.query = c->m_url.mid(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len);
    c->m_url.clear();
    c->m_keepAlive = http_should_keep_alive(p) != 0 && p->upgrade == 0;
    c->m_isHead = p->method == HTTP_HEAD;
    c->m_http10 = p->http_major == 1 && p->http_minor == 0;

    // Decide from the declared length, before a single body byte is read.
    const bool hasLength = (p->flags & F_CONTENTLENGTH) != 0
        && p->content_length != std::numeric_limits<uint64_t>::max();
    if (hasLength && p->content_length > uint64_t(c->m_limits.maxBodyBytes)) {
        c->m_rejectStatus = 413;
        c->m_rejectReason = QByteArrayLiteral("body_too_large");
        return -1;
    }
    const bool expectsBody = hasLength ? p->content_length > 0 : (p->flags & F_CHUNKED) != 0;
    if (expectsBody && p->http_minor >= 1
        && r.header("expect").compare(QByteArrayLiteral("100-continue"), Qt::CaseInsensitive) == 0)
        c->m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    return 0;
}

int HttpConnection::onBody(http_parser *p, const char *at, size_t len)
{
    HttpConnection *c = self(p);
    // Chunked bodies have no declared size: stop as soon as they cross the limit.
    if (c->m_request.body.size() + qsizetype(len) > c->m_limits.maxBodyBytes) {
        c->m_rejectStatus = 413;
        c->m_rejectReason = QByteArrayLiteral("body_too_large");
        return 1;
    }
    c->m_request.body.append(at, qsizetype(len));
    return 0;
}

int HttpConnection::onMessageComplete(http_parser *p)
{
    HttpConnection *c = self(p);
    c->m_inMessage = false;
    c->m_timer.stop();
    c->m_timerIsDeadline = false;
    // One request at a time: pipelined bytes stay unparsed until this one is answered.
    http_parser_pause(p, 1);
    return 0;
}

void HttpConnection::dispatch()
{
    m_state = State::Handling;
    ++m_sequence;
    m_request.peer = m_socket->peerAddress();
    bool isV4 = false;
    const quint32 v4 = m_request.peer.toIPv4Address(&isV4);
    if (isV4) // a dual-stack listener sees ::ffff:a.b.c.d; per-IP limits want a.b.c.d
        m_request.peer = QHostAddress(v4);
    noteBuffered();
    auto responder = std::make_shared<ConnectionResponder>(this, m_sequence);
    if (!m_handler) {
        responder->send(Response::error(404, QStringLiteral("not_found"),
                                        QStringLiteral("no handler installed")));
        return;
    }
    try {
        m_handler(m_request, responder);
    } catch (...) {
        // A throwing handler must not take the event loop (and every connection) down.
        qWarning("spotkeeper::http: request handler threw; answered 500");
        responder->send(Response::error(500, QStringLiteral("internal_error"),
                                        QStringLiteral("internal error")));
    }
}

void HttpConnection::reject(int status, const QByteArray &reasonRef, const QString &message)
{
    const QByteArray reason = reasonRef; // NOLINT(performance-unnecessary-copy-initialization): may
                                         // alias m_rejectReason, cleared below
    m_rejectStatus = 0;
    m_rejectReason.clear();
    QString text = message.isEmpty() ? m_rejectMessage : message;
    m_rejectMessage.clear();
    if (text.isEmpty())
        text = defaultRejectMessage(status, m_limits);
    emit rejected(status, reason);
    if (m_state == State::Closed)
        return;
    m_pending.clear();
    m_request = Request {};
    m_headerBytes = 0;
    m_state = State::Handling; // so writeResponse takes the closing path once
    writeResponse(Response::error(status, QString::fromLatin1(reason), text), true);
}

void HttpConnection::writeResponse(const Response &response, bool closeAfter)
{
    if (m_socket.isNull() || m_state == State::Closed)
        return;
    const bool closing = closeAfter || !m_keepAlive || m_draining;
    m_socket->write(serializeResponse(response, closing, m_isHead, m_http10));
    m_request = Request {};
    m_headerBytes = 0;
    m_isHead = false;
    if (m_state == State::Closed)
        return;
    if (closing) {
        startLinger();
        return;
    }
    m_state = State::Reading;
    armTimer(m_limits.idleTimeoutMs);
    m_timerIsDeadline = false;
}

void HttpConnection::startLinger()
{
    m_state = State::Lingering;
    m_pending.clear();
    m_request = Request {};
    armTimer(LingerMs);
    handleReadyRead();
    if (!m_socket.isNull() && m_socket->bytesToWrite() == 0 && !m_shutdownSent)
        shutdownWrite();
}

void HttpConnection::handleTimeout()
{
    switch (m_state) {
    case State::Handshake:
        emit closedByDeadline();
        rejectHandshake(408, QByteArrayLiteral("tls_handshake_deadline"));
        m_socket->abort();
        break;
    case State::Reading:
        if (m_timerIsDeadline) {
            emit closedByDeadline();
            reject(408, QByteArrayLiteral("read_deadline"));
        } else {
            startLinger(); // idle keep-alive connection: close quietly
        }
        break;
    case State::Lingering:
        m_socket->abort();
        break;
    case State::Handling:
    case State::Closed:
        break;
    }
}

void HttpConnection::noteBuffered()
{
    emit bufferedBytesObserved(bufferedBytes());
}

void HttpConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timer.stop();
    emit closed();
    deleteLater();
}

} // namespace spotkeeper::http
