// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslSocket>
#include <QStringList>
#include <QTcpServer>

#include <memory>

// A fake SMTP server on 127.0.0.1 that speaks the real protocol (RFC 5321) to a real client:
// 220 greeting, EHLO/HELO, STARTTLS (RFC 3207) with the test certificate from tests/data/tls,
// AUTH PLAIN and AUTH LOGIN (RFC 4954) against one user, MAIL FROM, RCPT TO, DATA with dot
// unstuffing, RSET, NOOP, QUIT. AUTH is offered only over TLS when STARTTLS is offered (as
// real servers do), and MAIL needs AUTH when credentials are set. Each accepted message is
// recorded with its envelope.
namespace spotkeeper::testsupport {

class FakeSmtpServer final : public QObject
{
    Q_OBJECT
public:
    struct Mail
    {
        QByteArray from; // MAIL FROM:<...>, without the brackets
        QList<QByteArray> to;
        QByteArray data; // the message as sent, dot-unstuffed, CRLF line ends
        bool overTls = false;
        QByteArray user; // who authenticated; empty = nobody
    };

    explicit FakeSmtpServer(QObject *parent = nullptr);
    ~FakeSmtpServer() override;
    Q_DISABLE_COPY_MOVE(FakeSmtpServer)

    void setStartTls(bool offered) { m_startTls = offered; } // default: offered
    void setCredentials(const QByteArray &user, const QByteArray &password);
    void setAuthMechanisms(const QList<QByteArray> &mechanisms) { m_mechanisms = mechanisms; }

    bool start(quint16 port = 0); // 127.0.0.1; port 0 = any free one
    void stop(); // stops listening and drops every connection
    quint16 port() const { return m_port; }

    QList<Mail> mails() const { return m_mails; }
    int authFailures() const { return m_authFailures; }
    int connections() const { return m_connections; }
    QList<QByteArray> commands() const { return m_commands; } // verbs the clients sent, in order

Q_SIGNALS:
    void mailReceived();

private:
    class Listener;
    struct Session;
    void accept(qintptr descriptor);
    void readFrom(Session *session);
    void command(Session *session, const QByteArray &line);
    bool authOffered(const Session *session) const;
    // One SMTP command each: (session, verb, argument).
    void hello(Session *session, const QByteArray &verb, const QByteArray &argument);
    void startTls(Session *session, const QByteArray &verb, const QByteArray &argument);
    void auth(Session *session, const QByteArray &verb, const QByteArray &argument);
    void mailFrom(Session *session, const QByteArray &verb, const QByteArray &argument);
    void rcptTo(Session *session, const QByteArray &verb, const QByteArray &argument);
    void data(Session *session, const QByteArray &verb, const QByteArray &argument);
    void reset(Session *session, const QByteArray &verb, const QByteArray &argument);
    void noop(Session *session, const QByteArray &verb, const QByteArray &argument);
    void quit(Session *session, const QByteArray &verb, const QByteArray &argument);
    void authLine(Session *session, const QByteArray &line);
    void checkCredentials(Session *session, const QByteArray &user, const QByteArray &password);

    std::unique_ptr<Listener> m_listener;
    quint16 m_port = 0;
    bool m_startTls = true;
    QByteArray m_user;
    QByteArray m_password;
    QList<QByteArray> m_mechanisms {"PLAIN", "LOGIN"};
    std::vector<std::unique_ptr<Session>> m_sessions;
    QList<Mail> m_mails;
    QList<QByteArray> m_commands;
    int m_authFailures = 0;
    int m_connections = 0;
};

} // namespace spotkeeper::testsupport
