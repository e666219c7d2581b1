// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <http_parser.h>

namespace spotkeeper::http {

// One client connection: feeds bytes to http_parser, builds one Request at a time and
// never holds more than a bounded amount per connection (one read chunk of unparsed
// bytes, the request under construction within Limits, the socket's bounded read
// buffer). Internal to spotkeeper_http; HttpServer owns the instances.
class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, const Limits &limits, Handler handler, bool encrypted,
                   QObject *parent);
    ~HttpConnection() override;
    Q_DISABLE_COPY_MOVE(HttpConnection)

    // Stop after the current request: idle connections close now.
    void drain();
    qsizetype bufferedBytes() const;
    // Called by the Responder (same thread).
    void deliver(quint64 sequence, const Response &response);
    // Drops the connection with a TCP RST instead of answering request `sequence`.
    void resetConnection(quint64 sequence);
    bool acceptsResponse(quint64 sequence) const;

    // Bytes read from the socket per step: bounds the unparsed remainder we keep.
    static constexpr qsizetype ReadChunk = qsizetype(16) * 1024;

signals:
    void rejected(int status, const QByteArray &reason);
    void closedByDeadline();
    void closed();
    void bufferedBytesObserved(qsizetype bytes);

private:
    enum class State {
        Handshake, // TLS handshake not done yet
        Reading, // waiting for or receiving a request
        Handling, // request dispatched, waiting for the Responder
        Lingering, // final response queued; discarding input until the peer closes
        Closed,
    };

    static int onMessageBegin(http_parser *p);
    static int onUrl(http_parser *p, const char *at, size_t len);
    static int onHeaderField(http_parser *p, const char *at, size_t len);
    static int onHeaderValue(http_parser *p, const char *at, size_t len);
    static int onHeadersComplete(http_parser *p);
    static int onBody(http_parser *p, const char *at, size_t len);
    static int onMessageComplete(http_parser *p);

    void handleReadyRead();
    void handleBytesWritten();
    void handleTimeout();
    void handleEncrypted();
    void rejectHandshake(int status, const QByteArray &reason);
    void processInput();
    bool addHeaderBytes(qsizetype n);
    void flushHeader();
    void shutdownWrite();
    void reject(int status, const QByteArray &reason, const QString &message = {});
    void dispatch();
    void writeResponse(const Response &response, bool closeAfter);
    void startLinger();
    void finish();
    void noteBuffered();
    void armTimer(int ms);

    QPointer<QTcpSocket> m_socket;
    Limits m_limits;
    Handler m_handler;
    http_parser m_parser {};
    http_parser_settings m_settings {};
    State m_state = State::Reading;

    QByteArray m_pending; // read from the socket, not yet parsed (<= ReadChunk)
    Request m_request;
    QByteArray m_url;
    QByteArray m_field;
    QByteArray m_value;
    bool m_lastWasValue = false;
    qsizetype m_headerBytes = 0;
    int m_headerFields = 0;
    bool m_inMessage = false;
    bool m_messageDone = false;
    bool m_keepAlive = true;
    bool m_isHead = false;
    bool m_http10 = false;
    bool m_draining = false;
    bool m_inProcess = false;
    bool m_encrypted = false;
    bool m_shutdownSent = false;
    bool m_handshakeRejected = false;
    int m_rejectStatus = 0;
    QByteArray m_rejectReason;
    QString m_rejectMessage;

    quint64 m_sequence = 0; // of the request in Handling
    QTimer m_timer;
    bool m_timerIsDeadline = false;
};

} // namespace spotkeeper::http
