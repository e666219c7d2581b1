// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

// An e-mail notification as RFC 5322 text (pure, tested on its own): Date, From, To, Subject
// (RFC 2047 encoded when it is not plain ASCII), a Message-ID derived from the idempotency
// key (a message sent again after a crash has the same id, so mail clients show it once),
// Auto-Submitted, and the UTF-8 body in base64. Lines end in CRLF.
namespace spotkeeper::core {

struct SmtpMail
{
    QString from;
    QStringList to;
    QString subject; // one line: line breaks and other control characters become spaces
    QString body;
    QString eventKey; // evt_<id> / grp_<first>_<last>
    QString channel;
    QDateTime date;
};

QByteArray smtpMessageId(const SmtpMail &mail); // <spotkeeper.<key>.<channel>@<from's domain>>
QByteArray smtpMessage(const SmtpMail &mail);

} // namespace spotkeeper::core
