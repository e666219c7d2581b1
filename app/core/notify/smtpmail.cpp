// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/smtpmail.h"

#include <QLocale>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QString oneLine(const QString &text)
{
    QString out = text;
    for (QChar &c : out)
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator
            || c == QChar::ParagraphSeparator)
            c = u' ';
    return out.simplified();
}

// Plain printable ASCII stays as it is; anything else becomes RFC 2047 encoded words of at
// most 45 bytes of UTF-8 each (60 base64 characters), never splitting a character.
QByteArray encodeHeader(const QString &text)
{
    bool plain = true;
    for (const QChar c : text)
        plain = plain && c.unicode() >= 0x20 && c.unicode() < 0x7f;
    if (plain)
        return text.toLatin1();
    QList<QByteArray> words;
    QByteArray chunk;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const qsizetype len = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        const QByteArray bytes = text.mid(i, len).toUtf8();
        i += len - 1;
        if (chunk.size() + bytes.size() > 45) {
            words << chunk;
            chunk.clear();
        }
        chunk += bytes;
    }
    if (!chunk.isEmpty())
        words << chunk;
    QByteArray out;
    for (const QByteArray &word : std::as_const(words)) {
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + word.toBase64() + "?=";
    }
    return out;
}

} // namespace

QByteArray smtpMessageId(const SmtpMail &mail)
{
    const qsizetype at = mail.from.lastIndexOf(u'@');
    const QString domain = at < 0 ? u"spotkeeper.invalid"_s : mail.from.mid(at + 1);
    return "<spotkeeper." + mail.eventKey.toLatin1() + '.' + mail.channel.toLatin1() + '@'
        + domain.toLatin1() + '>';
}

QByteArray smtpMessage(const SmtpMail &mail)
{
    const QDateTime date =
        (mail.date.isValid() ? mail.date : QDateTime::currentDateTimeUtc()).toUTC();
    QByteArray out;
    out += "Date: " + QLocale::c().toString(date, u"ddd, dd MMM yyyy hh:mm:ss"_s).toLatin1()
        + " +0000\r\n";
    out += "From: SpotKeeper <" + mail.from.toLatin1() + ">\r\n";
    out += "To: " + mail.to.join(u", "_s).toLatin1() + "\r\n";
    out += "Subject: " + encodeHeader(oneLine(mail.subject)) + "\r\n";
    out += "Message-ID: " + smtpMessageId(mail) + "\r\n";
    out += "Auto-Submitted: auto-generated\r\n"; // RFC 3834: no auto-replies, please
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "\r\n";
    QString body = mail.body;
    body.replace(u"\r\n"_s, u"\n"_s);
    body.replace(u'\n', u"\r\n"_s);
    const QByteArray encoded = body.toUtf8().toBase64();
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        out += encoded.mid(i, 76) + "\r\n";
    return out;
}

} // namespace spotkeeper::core
