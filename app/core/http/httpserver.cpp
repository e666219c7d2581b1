// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpserver.h"

#include "http/httpconnection.h"
#include "http/httpmessage.h"
#include "http/tlsloader.h"

#include <QSet>
#include <QSslSocket>
#include <QTcpServer>

#include <optional>

namespace spotkeeper::http {

using namespace Qt::StringLiterals;

namespace {

// We take the socket descriptor ourselves instead of using QSslServer: sockets still in
// their TLS handshake then count against maxConnections and are bound by the read
// deadline, and nothing waits in a pending-connection queue.
class Acceptor final : public QTcpServer
{
public:
    std::function<void(qintptr)> onIncoming;

protected:
    void incomingConnection(qintptr descriptor) override { onIncoming(descriptor); }
};

} // namespace

class HttpServer::Private
{
public:
    explicit Private(HttpServer *q)
        : q(q)
    { }

    void accept(qintptr descriptor);
    void refuse(qintptr descriptor);

    HttpServer *q;
    Limits limits;
    Handler handler;
    std::optional<QSslConfiguration> tls;
    Acceptor acceptor;
    QSet<HttpConnection *> connections;
    qsizetype peakBuffered = 0;
};

void HttpServer::Private::refuse(qintptr descriptor)
{
    emit q->requestRejected(503, "too_many_connections"_ba);
    auto *socket = new QTcpSocket(q);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (!tls) { // a TLS client could not read a plain answer anyway
        Response r =
            Response::error(503, u"too_many_connections"_s, u"server is at its connection limit"_s);
        r.headers.append({"Retry-After"_ba, "1"_ba});
        socket->write(serializeResponse(r, true, false));
    }
    socket->disconnectFromHost();
    if (socket->state() == QAbstractSocket::UnconnectedState) {
        socket->deleteLater();
        return;
    }
    QTimer::singleShot(1000, socket, [socket] { socket->abort(); });
}

void HttpServer::Private::accept(qintptr descriptor)
{
    if (connections.size() >= limits.maxConnections) {
        refuse(descriptor);
        return;
    }
    QTcpSocket *socket = nullptr;
    if (tls) {
        auto *ssl = new QSslSocket;
        ssl->setSslConfiguration(*tls);
        socket = ssl;
    } else {
        socket = new QTcpSocket;
    }
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *c = new HttpConnection(socket, limits, handler, tls.has_value(), q);
    connections.insert(c);
    QObject::connect(c, &HttpConnection::rejected, q, &HttpServer::requestRejected);
    QObject::connect(c, &HttpConnection::closedByDeadline, q,
                     &HttpServer::connectionClosedByDeadline);
    QObject::connect(c, &HttpConnection::bufferedBytesObserved, q,
                     [this](qsizetype n) { peakBuffered = qMax(peakBuffered, n); });
    QObject::connect(c, &HttpConnection::closed, q, [this, c] { connections.remove(c); });
    if (tls)
        static_cast<QSslSocket *>(socket)->startServerEncryption();
}

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->acceptor.onIncoming = [this](qintptr descriptor) {
        d->accept(descriptor);
    };
}

HttpServer::~HttpServer()
{
    d->acceptor.close();
    const QSet<HttpConnection *> open = d->connections;
    d->connections.clear();
    for (HttpConnection *c : open) {
        c->disconnect(this);
        delete c;
    }
}

void HttpServer::setLimits(const Limits &limits)
{
    d->limits = limits;
}

bool HttpServer::setTls(const TlsOptions &tls, QString *error)
{
    if (tls.certificateFile.isEmpty()) {
        if (!tls.privateKeyFile.isEmpty() || !tls.clientCaFile.isEmpty()) {
            if (error)
                *error = u"TLS needs a certificate file along with the key and client CA"_s;
            return false;
        }
        d->tls.reset();
        return true;
    }
    auto conf = loadServerTls(tls, error);
    if (!conf)
        return false;
    d->tls = *conf;
    return true;
}

void HttpServer::setHandler(Handler handler)
{
    d->handler = std::move(handler);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    // Qt's default backlog of 50 drops SYNs of a burst of clients (they retry after 1 s);
    // the kernel caps this at net.core.somaxconn.
    d->acceptor.setListenBacklogSize(qBound(50, d->limits.maxConnections, 4096));
    if (d->acceptor.listen(address, port))
        return true;
    if (error)
        *error = u"cannot listen on %1 port %2: %3"_s.arg(address.toString())
                     .arg(port)
                     .arg(d->acceptor.errorString());
    return false;
}

quint16 HttpServer::serverPort() const
{
    return d->acceptor.serverPort();
}

QHostAddress HttpServer::serverAddress() const
{
    return d->acceptor.serverAddress();
}

bool HttpServer::isTls() const
{
    return d->tls.has_value();
}

QSslCertificate HttpServer::certificate() const
{
    return d->tls ? d->tls->localCertificate() : QSslCertificate();
}

void HttpServer::close()
{
    d->acceptor.close();
    const QSet<HttpConnection *> open = d->connections;
    for (HttpConnection *c : open)
        c->drain();
}

int HttpServer::openConnections() const
{
    return int(d->connections.size());
}

qsizetype HttpServer::bufferedBytes() const
{
    qsizetype total = 0;
    for (const HttpConnection *c : std::as_const(d->connections))
        total += c->bufferedBytes();
    return total;
}

qsizetype HttpServer::peakConnectionBufferedBytes() const
{
    return d->peakBuffered;
}

} // namespace spotkeeper::http
