// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpmessage.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUrlQuery>

#include <atomic>
#include <mutex>

namespace spotkeeper::http {

using namespace Qt::StringLiterals;

QByteArray Request::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString Request::queryItem(const QString &key) const
{
    const QUrlQuery q(QString::fromUtf8(query));
    return q.queryItemValue(key, QUrl::FullyDecoded);
}

Response Response::json(int status, const QByteArray &body)
{
    return Response {status, {{"Content-Type"_ba, "application/json"_ba}}, body};
}

Response Response::text(int status, const QByteArray &body)
{
    return Response {status, {{"Content-Type"_ba, "text/plain; charset=utf-8"_ba}}, body};
}

Response Response::error(int status, const QString &code, const QString &message)
{
    const QJsonObject inner {{u"code"_s, code}, {u"message"_s, message}};
    const QJsonObject root {{u"error"_s, inner}};
    return json(status, QJsonDocument(root).toJson(QJsonDocument::Compact));
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue"_ba;
    case 200:
        return "OK"_ba;
    case 201:
        return "Created"_ba;
    case 202:
        return "Accepted"_ba;
    case 204:
        return "No Content"_ba;
    case 301:
        return "Moved Permanently"_ba;
    case 302:
        return "Found"_ba;
    case 304:
        return "Not Modified"_ba;
    case 400:
        return "Bad Request"_ba;
    case 401:
        return "Unauthorized"_ba;
    case 403:
        return "Forbidden"_ba;
    case 404:
        return "Not Found"_ba;
    case 405:
        return "Method Not Allowed"_ba;
    case 408:
        return "Request Timeout"_ba;
    case 409:
        return "Conflict"_ba;
    case 413:
        return "Payload Too Large"_ba;
    case 415:
        return "Unsupported Media Type"_ba;
    case 422:
        return "Unprocessable Entity"_ba;
    case 429:
        return "Too Many Requests"_ba;
    case 431:
        return "Request Header Fields Too Large"_ba;
    case 500:
        return "Internal Server Error"_ba;
    case 501:
        return "Not Implemented"_ba;
    case 502:
        return "Bad Gateway"_ba;
    case 503:
        return "Service Unavailable"_ba;
    case 504:
        return "Gateway Timeout"_ba;
    default:
        return "Status"_ba;
    }
}

QByteArray httpDate()
{
    // Formatting a date per response is measurable at thousands of requests per second.
    static std::mutex mutex;
    static qint64 cachedSecond = -1;
    static QByteArray cached;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const std::lock_guard lock(mutex);
    if (now != cachedSecond) {
        cachedSecond = now;
        cached = QLocale::c()
                     .toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC),
                               u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
                     .toLatin1();
    }
    return cached;
}

namespace {

bool isFramingHeader(const QByteArray &name)
{
    static const QByteArray owned[] = {"content-length"_ba, "connection"_ba, "date"_ba,
                                       "transfer-encoding"_ba};
    for (const auto &o : owned) {
        if (name.compare(o, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isSafeHeaderText(const QByteArray &text)
{
    // A CR or LF from a handler would let it forge headers or a second response.
    return !text.contains('\r') && !text.contains('\n');
}

} // namespace

QByteArray serializeResponse(const Response &response, bool closing, bool headRequest,
                             bool http10KeepAlive)
{
    const int status = (response.status >= 100 && response.status <= 999) ? response.status : 500;
    const bool bodyless = status < 200 || status == 204 || status == 304;
    QByteArray out;
    out.reserve(160 + response.body.size());
    out += "HTTP/1.1 "_ba + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n"_ba;
    for (const auto &h : response.headers) {
        if (h.first.isEmpty() || isFramingHeader(h.first) || !isSafeHeaderText(h.first)
            || !isSafeHeaderText(h.second))
            continue;
        out += h.first + ": "_ba + h.second + "\r\n"_ba;
    }
    out += "Date: "_ba + httpDate() + "\r\n"_ba;
    if (status != 204 && status >= 200)
        out += "Content-Length: "_ba + QByteArray::number(bodyless ? 0 : response.body.size())
            + "\r\n"_ba;
    if (closing)
        out += "Connection: close\r\n"_ba;
    else if (http10KeepAlive)
        out += "Connection: keep-alive\r\n"_ba;
    out += "\r\n"_ba;
    if (!headRequest && !bodyless)
        out += response.body;
    return out;
}

QString defaultRejectMessage(int status, const Limits &limits)
{
    switch (status) {
    case 408:
        return u"request not complete within %1 ms"_s.arg(limits.readDeadlineMs);
    case 413:
        return u"request body exceeds %1 bytes"_s.arg(limits.maxBodyBytes);
    case 431:
        return u"request headers exceed %1 bytes or %2 fields"_s.arg(limits.maxHeaderBytes)
            .arg(limits.maxHeaderFields);
    case 503:
        return u"too many connections"_s;
    default:
        return u"malformed request"_s;
    }
}

} // namespace spotkeeper::http
