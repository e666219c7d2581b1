// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/notify/fakesmtpserver.h"

#include "support/http/testtls.h"

#include <QFile>
#include <QHash>
#include <QSslCertificate>
#include <QSslKey>

namespace spotkeeper::testsupport {

using namespace Qt::StringLiterals;

class FakeSmtpServer::Listener final : public QTcpServer
{
public:
    explicit Listener(FakeSmtpServer &owner)
        : m_owner(owner)
    { }

protected:
    void incomingConnection(qintptr descriptor) override { m_owner.accept(descriptor); }

private:
    FakeSmtpServer &m_owner;
};

struct FakeSmtpServer::Session
{
    enum class Auth { None, PlainResponse, LoginUser, LoginPassword };
    std::unique_ptr<QSslSocket> socket;
    bool greeted = false;
    bool inData = false;
    Auth auth = Auth::None;
    QByteArray loginUser;
    QByteArray user; // authenticated
    Mail mail;
    bool hasFrom = false;
};

FakeSmtpServer::FakeSmtpServer(QObject *parent)
    : QObject(parent)
{ }

FakeSmtpServer::~FakeSmtpServer()
{
    stop();
}

void FakeSmtpServer::setCredentials(const QByteArray &user, const QByteArray &password)
{
    m_user = user;
    m_password = password;
}

bool FakeSmtpServer::start(quint16 port)
{
    m_listener = std::make_unique<Listener>(*this);
    if (!m_listener->listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_listener->serverPort();
    return true;
}

void FakeSmtpServer::stop()
{
    if (m_listener)
        m_listener->close();
    m_listener.reset();
    for (const auto &session : m_sessions)
        if (session->socket)
            session->socket->abort();
    m_sessions.clear();
}

void FakeSmtpServer::accept(qintptr descriptor)
{
    auto session = std::make_unique<Session>();
    session->socket = std::make_unique<QSslSocket>();
    if (!session->socket->setSocketDescriptor(descriptor))
        return;
    ++m_connections;
    QSslSocket *socket = session->socket.get();
    Session *raw = session.get();
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(QSslCertificate::fromPath(tlsFile(u"server.pem"_s)));
    QFile key(tlsFile(u"server.key"_s));
    if (key.open(QIODevice::ReadOnly))
        tls.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket->setSslConfiguration(tls);
    connect(socket, &QIODevice::readyRead, this, [this, raw] { readFrom(raw); });
    m_sessions.push_back(std::move(session));
    socket->write("220 fake.smtp.test ESMTP SpotKeeper test server\r\n");
}

void FakeSmtpServer::readFrom(Session *session)
{
    QSslSocket *socket = session->socket.get();
    while (socket->canReadLine()) {
        QByteArray line = socket->readLine();
        if (line.endsWith("\r\n"))
            line.chop(2);
        else if (line.endsWith('\n'))
            line.chop(1);
        if (session->inData) {
            if (line == ".") {
                session->inData = false;
                session->mail.overTls = socket->isEncrypted();
                session->mail.user = session->user;
                m_mails.append(session->mail);
                session->mail = Mail {};
                session->hasFrom = false;
                socket->write("250 2.0.0 Ok: queued\r\n");
                Q_EMIT mailReceived();
                continue;
            }
            if (line.startsWith(".."))
                line.remove(0, 1); // dot unstuffing (RFC 5321 4.5.2)
            session->mail.data += line + "\r\n";
            continue;
        }
        if (session->auth != Session::Auth::None) {
            authLine(session, line);
            continue;
        }
        command(session, line);
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
    }
}

namespace {

// "<address>" of MAIL FROM:<...> / RCPT TO:<...>; empty when there are no brackets.
QByteArray bracketed(const QByteArray &argument)
{
    const qsizetype open = argument.indexOf('<');
    const qsizetype close = argument.indexOf('>');
    return open >= 0 && close > open ? argument.mid(open + 1, close - open - 1) : QByteArray();
}

} // namespace

bool FakeSmtpServer::authOffered(const Session *session) const
{
    return !m_user.isEmpty() && (session->socket->isEncrypted() || !m_startTls);
}

void FakeSmtpServer::command(Session *session, const QByteArray &line)
{
    using Handler = void (FakeSmtpServer::*)(Session *, const QByteArray & /*verb*/,
                                             const QByteArray & /*argument*/);
    static const QHash<QByteArray, Handler> handlers {
        {"EHLO", &FakeSmtpServer::hello},        {"HELO", &FakeSmtpServer::hello},
        {"STARTTLS", &FakeSmtpServer::startTls}, {"AUTH", &FakeSmtpServer::auth},
        {"MAIL", &FakeSmtpServer::mailFrom},     {"RCPT", &FakeSmtpServer::rcptTo},
        {"DATA", &FakeSmtpServer::data},         {"RSET", &FakeSmtpServer::reset},
        {"NOOP", &FakeSmtpServer::noop},         {"QUIT", &FakeSmtpServer::quit},
    };
    const qsizetype space = line.indexOf(' ');
    const QByteArray verb = (space < 0 ? line : line.left(space)).toUpper();
    const QByteArray argument = space < 0 ? QByteArray() : line.mid(space + 1);
    m_commands << verb;
    const Handler handler = handlers.value(verb, nullptr);
    if (handler == nullptr) {
        session->socket->write("502 5.5.2 Command not recognized\r\n");
        return;
    }
    (this->*handler)(session, verb, argument);
}

void FakeSmtpServer::hello(Session *session, const QByteArray &verb, const QByteArray &argument)
{
    session->greeted = true;
    QList<QByteArray> lines {"fake.smtp.test greets " + argument};
    if (verb == "EHLO") {
        if (m_startTls && !session->socket->isEncrypted())
            lines << "STARTTLS";
        if (authOffered(session))
            lines << "AUTH " + m_mechanisms.join(' ');
        lines << "8BITMIME";
    }
    for (qsizetype i = 0; i < lines.size(); ++i)
        session->socket->write("250" + QByteArray(i + 1 < lines.size() ? "-" : " ") + lines.at(i)
                               + "\r\n");
}

// NOLINTNEXTLINE(readability-make-member-function-const): every handler has one member-pointer type
void FakeSmtpServer::startTls(Session *session, const QByteArray & /*verb*/,
                              const QByteArray & /*argument*/)
{
    QSslSocket *socket = session->socket.get();
    if (!m_startTls || socket->isEncrypted()) {
        socket->write("454 4.7.0 TLS not available\r\n");
        return;
    }
    socket->write("220 2.0.0 Ready to start TLS\r\n");
    socket->flush();
    // RFC 3207: the client starts over (EHLO again); nothing said before TLS counts.
    session->greeted = false;
    session->auth = Session::Auth::None;
    session->user.clear();
    session->mail = Mail {};
    session->hasFrom = false;
    socket->startServerEncryption();
}

void FakeSmtpServer::auth(Session *session, const QByteArray & /*verb*/, const QByteArray &argument)
{
    QSslSocket *socket = session->socket.get();
    if (!authOffered(session)) {
        socket->write("503 5.5.1 AUTH not available\r\n");
        return;
    }
    const QList<QByteArray> parts = argument.split(' ');
    const QByteArray mechanism = parts.value(0).toUpper();
    if (!m_mechanisms.contains(mechanism)) {
        socket->write("504 5.5.4 Unrecognized authentication type\r\n");
    } else if (mechanism == "PLAIN" && parts.size() > 1) {
        session->auth = Session::Auth::PlainResponse;
        authLine(session, parts.at(1));
    } else if (mechanism == "PLAIN") {
        session->auth = Session::Auth::PlainResponse;
        socket->write("334 \r\n");
    } else {
        session->auth = Session::Auth::LoginUser;
        socket->write("334 VXNlcm5hbWU6\r\n"); // "Username:"
    }
}

void FakeSmtpServer::mailFrom(Session *session, const QByteArray & /*verb*/,
                              const QByteArray &argument)
{
    if (!m_user.isEmpty() && session->user.isEmpty()) {
        session->socket->write("530 5.7.0 Authentication required\r\n");
        return;
    }
    session->mail.from = bracketed(argument);
    session->hasFrom = true;
    session->socket->write("250 2.1.0 Ok\r\n");
}

void FakeSmtpServer::rcptTo(Session *session, const QByteArray & /*verb*/,
                            const QByteArray &argument)
{
    if (!session->hasFrom) {
        session->socket->write("503 5.5.1 Need MAIL first\r\n");
        return;
    }
    session->mail.to << bracketed(argument);
    session->socket->write("250 2.1.5 Ok\r\n");
}

void FakeSmtpServer::data(Session *session, const QByteArray & /*verb*/,
                          const QByteArray & /*argument*/)
{
    if (session->mail.to.isEmpty()) {
        session->socket->write("503 5.5.1 Need RCPT first\r\n");
        return;
    }
    session->inData = true;
    session->socket->write("354 End data with <CR><LF>.<CR><LF>\r\n");
}

void FakeSmtpServer::reset(Session *session, const QByteArray & /*verb*/,
                           const QByteArray & /*argument*/)
{
    session->mail = Mail {};
    session->hasFrom = false;
    session->socket->write("250 2.0.0 Ok\r\n");
}

void FakeSmtpServer::noop(Session *session, const QByteArray & /*verb*/,
                          const QByteArray & /*argument*/)
{
    session->socket->write("250 2.0.0 Ok\r\n");
}

void FakeSmtpServer::quit(Session *session, const QByteArray & /*verb*/,
                          const QByteArray & /*argument*/)
{
    session->socket->write("221 2.0.0 Bye\r\n");
    session->socket->disconnectFromHost();
}

void FakeSmtpServer::authLine(Session *session, const QByteArray &line)
{
    QSslSocket *socket = session->socket.get();
    if (line == "*") { // the client cancels
        session->auth = Session::Auth::None;
        socket->write("501 5.7.0 Authentication cancelled\r\n");
        return;
    }
    const QByteArray decoded = QByteArray::fromBase64(line);
    switch (session->auth) {
    case Session::Auth::PlainResponse: {
        const QList<QByteArray> parts = decoded.split('\0'); // authzid \0 authcid \0 password
        session->auth = Session::Auth::None;
        checkCredentials(session, parts.value(1), parts.value(2));
        return;
    }
    case Session::Auth::LoginUser:
        session->loginUser = decoded;
        session->auth = Session::Auth::LoginPassword;
        socket->write("334 UGFzc3dvcmQ6\r\n"); // "Password:"
        return;
    case Session::Auth::LoginPassword:
        session->auth = Session::Auth::None;
        checkCredentials(session, session->loginUser, decoded);
        return;
    case Session::Auth::None:
        return;
    }
}

void FakeSmtpServer::checkCredentials(Session *session, const QByteArray &user,
                                      const QByteArray &password)
{
    if (user == m_user && password == m_password) {
        session->user = user;
        session->socket->write("235 2.7.0 Authentication successful\r\n");
        return;
    }
    ++m_authFailures;
    session->socket->write("535 5.7.8 Authentication credentials invalid\r\n");
}

} // namespace spotkeeper::testsupport
