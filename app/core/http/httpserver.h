// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

class QSslCertificate;

// A small, bounded HTTP/1.1 server on QTcpServer / QSslServer, with requests parsed by
// Debian's libhttp-parser (nodejs/http-parser). Unlike QHttpServer in Qt 6.4 it enforces
// every limit an exposed listener needs: body size (413 without buffering the rest),
// header size and count (431), a per-request read deadline (slow clients are closed),
// a cap on concurrent connections, and TLS with optional client certificates.
// Used by the dashboard's listener, the simulator and the tests' Azure fakes.
namespace spotkeeper::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct Request
{
    QByteArray method; // "GET", "POST", ...
    QByteArray path; // decoded path without the query, e.g. "/api/v1/notices"
    QByteArray query; // raw query string without '?'
    HeaderList headers; // names as received
    QByteArray body;
    QHostAddress peer;
    QByteArray header(QByteArrayView name) const; // case-insensitive, first match, empty if absent
    QString queryItem(const QString &key) const; // decoded value, empty if absent
};

struct Response
{
    int status = 200;
    HeaderList headers;
    QByteArray body;
    static Response json(int status, const QByteArray &body);
    static Response text(int status, const QByteArray &body);
    // Uniform JSON error: {"error":{"code":"...","message":"..."}}
    static Response error(int status, const QString &code, const QString &message);
};

// Lets a handler answer later (e.g. after a group commit). Sending twice, or after the
// client went away, is a no-op.
class Responder
{
public:
    virtual ~Responder() = default;
    virtual void send(const Response &response) = 0;
    virtual bool isOpen() const = 0;
    // Instead of answering, drops the connection with a TCP RST (SO_LINGER {1, 0}): the
    // peer sees ECONNRESET ("connection reset by peer"). For fault injection (the
    // simulator, tests). Counts as the answer: a later send() is a no-op.
    virtual void reset() { }
};

using Handler = std::function<void(const Request &request, std::shared_ptr<Responder> responder)>;

struct Limits
{
    qsizetype maxBodyBytes = 64 * 1024;
    qsizetype maxHeaderBytes = 16 * 1024;
    int maxHeaderFields = 64;
    int readDeadlineMs = 10'000; // from first byte of a request to its last byte
    int idleTimeoutMs = 30'000; // keep-alive between requests
    int maxConnections = 1024;
};

struct TlsOptions
{
    QString certificateFile; // PEM; empty = plain HTTP
    QString privateKeyFile; // PEM
    QString clientCaFile; // PEM; non-empty = require and verify client certificates
};

class HttpServer final : public QObject
{
    Q_OBJECT
public:
    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    void setLimits(const Limits &limits);
    // Loads and checks the files; false with a clear message if unreadable or invalid, and
    // then the previous TLS setting stays. Connections accepted after a successful call use
    // the new certificate (CertificateReloader calls it again while the server runs).
    bool setTls(const TlsOptions &tls, QString *error);
    void setHandler(Handler handler);

    bool listen(const QHostAddress &address, quint16 port, QString *error); // port 0 = any
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    bool isTls() const;
    QSslCertificate certificate() const; // the one served now; null without TLS
    void close(); // stop accepting; open connections finish their current request
    int openConnections() const;

    // Bytes currently held by the server for all connections (parser remainder, request
    // under construction, socket read buffers), and the largest amount ever held for one
    // connection: lets tests prove that hostile input cannot grow memory.
    qsizetype bufferedBytes() const;
    qsizetype peakConnectionBufferedBytes() const;

signals:
    void requestRejected(int status, const QByteArray &reason); // for metrics
    void connectionClosedByDeadline();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace spotkeeper::http
