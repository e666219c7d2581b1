// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/http/rawhttpclient.h"

#include <QNetworkProxy>
#include <QTest>

namespace spotkeeper::testsupport {

QByteArray RawResponse::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

RawHttpClient::RawHttpClient()
    : m_socket(std::make_unique<QSslSocket>())
{
    m_socket->setProxy(QNetworkProxy::NoProxy);
    QObject::connect(m_socket.get(), &QSslSocket::readyRead, m_socket.get(),
                     [this] { m_buffer += m_socket->readAll(); });
    QObject::connect(m_socket.get(), &QSslSocket::disconnected, m_socket.get(), [this] {
        m_buffer += m_socket->readAll();
        m_closed = true;
    });
}

RawHttpClient::~RawHttpClient()
{
    m_socket->disconnect();
    m_socket->abort();
}

bool RawHttpClient::connectTo(quint16 port, int timeoutMs)
{
    m_socket->connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    return QTest::qWaitFor(
               [this] { return m_socket->state() == QAbstractSocket::ConnectedState || m_closed; },
               timeoutMs)
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool RawHttpClient::connectTls(quint16 port, const QSslConfiguration &configuration, int timeoutMs)
{
    m_socket->setSslConfiguration(configuration);
    m_socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    (void)QTest::qWaitFor(
        [this] {
            return m_socket->isEncrypted() || m_socket->state() == QAbstractSocket::UnconnectedState
                || m_closed;
        },
        timeoutMs);
    if (!m_socket->isEncrypted())
        return false;
    // TLS 1.3 servers reject a missing/bad client certificate only after the client's
    // handshake is done: give the refusal a moment to arrive.
    QTest::qWait(100);
    return m_socket->isEncrypted() && m_socket->state() == QAbstractSocket::ConnectedState;
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket->write(bytes);
    m_socket->flush();
}

bool RawHttpClient::tryParse(RawResponse *out, bool headRequest)
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    RawResponse r;
    const QList<QByteArray> statusLine = lines.constFirst().trimmed().split(' ');
    if (statusLine.size() < 2)
        return false;
    r.status = statusLine.at(1).toInt();
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = lines.at(i).left(colon).trimmed();
        const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
        r.headers.append({name, value});
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            length = value.toLongLong();
    }
    if (r.status >= 100 && r.status < 200) { // interim: drop it and look further
        m_buffer.remove(0, end + 4);
        return tryParse(out, headRequest);
    }
    if (headRequest)
        length = 0;
    if (m_buffer.size() < end + 4 + length)
        return false;
    r.body = m_buffer.mid(end + 4, length);
    m_buffer.remove(0, end + 4 + length);
    *out = r;
    return true;
}

RawResponse RawHttpClient::readResponse(int timeoutMs, bool headRequest)
{
    RawResponse r;
    (void)QTest::qWaitFor([&] { return tryParse(&r, headRequest) || m_closed; }, timeoutMs);
    if (r.status == 0)
        tryParse(&r, headRequest);
    return r;
}

bool RawHttpClient::waitForClosed(int timeoutMs)
{
    return QTest::qWaitFor(
        [this] { return m_closed || m_socket->state() == QAbstractSocket::UnconnectedState; },
        timeoutMs);
}

bool RawHttpClient::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState && !m_closed;
}

QAbstractSocket::SocketError RawHttpClient::error() const
{
    return m_socket->error();
}

} // namespace spotkeeper::testsupport
