// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/connectionresponder.h"

#include "http/httpconnection.h"

#include <QThread>

namespace spotkeeper::http {

ConnectionResponder::ConnectionResponder(HttpConnection *connection, quint64 sequence)
    : m_connection(connection)
    , m_sequence(sequence)
{ }

void ConnectionResponder::send(const Response &response)
{
    if (m_sent.exchange(true))
        return;
    const QPointer<HttpConnection> connection = m_connection;
    if (!connection)
        return;
    if (QThread::currentThread() == connection->thread()) {
        connection->deliver(m_sequence, response);
        return;
    }
    // Another thread (e.g. a store writer): hop to the connection's thread.
    const quint64 sequence = m_sequence;
    QMetaObject::invokeMethod(
        connection.data(),
        [connection, sequence, response] {
            if (connection)
                connection->deliver(sequence, response);
        },
        Qt::QueuedConnection);
}

void ConnectionResponder::reset()
{
    if (m_sent.exchange(true))
        return;
    const QPointer<HttpConnection> connection = m_connection;
    if (!connection)
        return;
    const quint64 sequence = m_sequence;
    if (QThread::currentThread() == connection->thread()) {
        connection->resetConnection(sequence);
        return;
    }
    QMetaObject::invokeMethod(
        connection.data(),
        [connection, sequence] {
            if (connection)
                connection->resetConnection(sequence);
        },
        Qt::QueuedConnection);
}

bool ConnectionResponder::isOpen() const
{
    return !m_sent.load() && m_connection && m_connection->acceptsResponse(m_sequence);
}

} // namespace spotkeeper::http
