// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QPointer>

#include <atomic>

namespace spotkeeper::http {

class HttpConnection;

// The Responder handed to handlers: answers request number `sequence` of one connection,
// at most once, from any thread (queued to the connection's thread). Internal.
class ConnectionResponder final : public Responder
{
public:
    ConnectionResponder(HttpConnection *connection, quint64 sequence);
    void send(const Response &response) override;
    bool isOpen() const override;
    void reset() override;

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_sequence;
    std::atomic<bool> m_sent {false};
};

} // namespace spotkeeper::http
