// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QThreadPool>
#include <QUrl>

#include <atomic>
#include <functional>

// Sends one e-mail over SMTP with libcurl (Debian's libcurl4-openssl-dev) on a worker thread,
// never on the caller's: the answer comes back on the caller's thread through its event
// loop. smtp:// upgrades with STARTTLS (required unless the channel says starttls = off),
// smtps:// is TLS from the start; the server's certificate is verified against caFile or the
// system's CAs, its name against the URL's host. The password never reaches a log or an
// error: errors are libcurl's own texts and the server's reply code.
namespace spotkeeper::core {

struct SmtpSend
{
    QUrl url; // smtp://host:587 or smtps://host:465
    QByteArray from;
    QList<QByteArray> to;
    QByteArray username; // empty = no AUTH
    QByteArray password;
    bool requireStartTls = true;
    QString caFile;
    QByteArray message; // smtpmail.h
    int timeoutMs = 10'000;
};

struct SmtpOutcome
{
    bool ok = false;
    int replyCode = 0; // the server's last reply code, 0 when there was none
    QString error; // empty when ok; never a secret
};

class SmtpSender final : public QObject
{
    Q_OBJECT
public:
    explicit SmtpSender(QObject *parent = nullptr);
    ~SmtpSender() override; // aborts transfers in flight and waits for the workers
    Q_DISABLE_COPY_MOVE(SmtpSender)

    // Calls done on this object's thread when the transfer has ended (never synchronously).
    void send(const SmtpSend &mail, std::function<void(const SmtpOutcome &)> done);

    // The transfer itself, blocking: for the worker (and tests of the worker alone).
    static SmtpOutcome sendBlocking(const SmtpSend &mail, const std::atomic<bool> *abort = nullptr);

private:
    QThreadPool m_pool;
    std::atomic<bool> m_abort {false};
};

} // namespace spotkeeper::core
