// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QByteArray>
#include <QSslSocket>

#include <memory>

namespace spotkeeper::testsupport {

// One response read off a raw socket.
struct RawResponse
{
    int status = 0; // 0: none (closed, timeout or garbage)
    http::HeaderList headers;
    QByteArray body;
    QByteArray header(QByteArrayView name) const; // case-insensitive
};

// A raw TCP (optionally TLS) client for byte-exact requests: malformed input, pipelining,
// slow senders, half-sent bodies. Every wait spins the event loop (QTest::qWaitFor).
class RawHttpClient final
{
public:
    RawHttpClient();
    ~RawHttpClient();
    Q_DISABLE_COPY_MOVE(RawHttpClient)

    bool connectTo(quint16 port, int timeoutMs = 5'000); // 127.0.0.1, plain
    bool connectTls(quint16 port, const QSslConfiguration &configuration,
                    int timeoutMs = 5'000); // waits for the handshake; false if refused
    void send(const QByteArray &bytes);
    // Next complete response (Content-Length framed; bodyless for a HEAD request);
    // status 0 if none within the timeout.
    RawResponse readResponse(int timeoutMs = 5'000, bool headRequest = false);
    // True once the server closed the connection (within the timeout).
    bool waitForClosed(int timeoutMs = 5'000);
    bool isConnected() const;
    QAbstractSocket::SocketError error() const;
    QSslSocket &socket() { return *m_socket; }

private:
    bool tryParse(RawResponse *out, bool headRequest);

    std::unique_ptr<QSslSocket> m_socket;
    QByteArray m_buffer;
    bool m_closed = false;
};

} // namespace spotkeeper::testsupport
