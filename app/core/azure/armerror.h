// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QNetworkReply>
#include <QPair>
#include <QString>

// Pure ARM error handling (AZURE-PROTOCOL.md §5, §6): the error envelope with nested details[], the
// classification table to FailureClass, Retry-After and x-ms-ratelimit-remaining-* headers.
namespace spotkeeper::core::armerror {

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct ArmError
{
    QString code; // most specific code (details[] searched, deepest known code wins)
    QString message; // message of that node (or the top one when it has none)
    QString topCode; // error.code as sent at the top level
    QStringList allCodes; // every code in the envelope, top first, depth-first
    bool isEmpty() const { return code.isEmpty() && message.isEmpty(); }
};

// Accepts {"error":{...}}, a bare {"code","message","details"} (CRP 429 body) and an async
// operation body's "error" object. Non-JSON or empty bodies give an empty ArmError.
ArmError parseErrorBody(const QByteArray &body);
ArmError parseErrorObject(const QJsonObject &error);

// The classification table. httpStatus 0 = no HTTP response (see classifyNetworkError).
// Throttling is recognised by HTTP 429 only, never by OperationNotAllowed (also used for quota).
FailureClass classify(int httpStatus, const ArmError &error);
// Every network error without an HTTP answer is Transient (resets, TLS handshake failures,
// codes added in later Qt versions): none is a reason to park an evicted VM for a person.
FailureClass classifyNetworkError(QNetworkReply::NetworkError error);
// True for codes the table knows (used to pick the most specific details[] entry).
bool isKnownCode(QStringView code);

// The longest wait one Retry-After may impose (10 minutes): a 429 with "Retry-After: 86400"
// must not stall a subscription for a day. Azure's own throttling windows are shorter.
inline constexpr qint64 kMaxRetryAfterMs = 10 * 60'000;

// Retry-After as delta-seconds ("10") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT"),
// read as UTC whatever the local time zone. Returns the absolute UTC time, capped at
// now + maxMs, or an invalid QDateTime when absent or unparsable. A date in the past is now.
QDateTime parseRetryAfter(const QByteArray &value, const QDateTime &now,
                          qint64 maxMs = kMaxRetryAfterMs);

// x-ms-ratelimit-remaining-* of one response.
struct RateLimits
{
    QMap<QString, qint64>
        counters; // "subscription-reads" -> 249, "subscription-global-writes" -> 2999
    QMap<QString, qint64> resource; // "Microsoft.Compute/UpdateVM3Min" -> 239 (every policy listed)
    bool isEmpty() const { return counters.isEmpty() && resource.isEmpty(); }
    qint64 value(const QString &counter, qint64 fallback = -1) const
    {
        return counters.value(counter, fallback);
    }
};
RateLimits parseRateLimits(const Headers &headers);
// "<RP>/<policy>;<count>[,<RP>/<policy>;<count>]" parsed with ([^;,]+);(\d+).
QMap<QString, qint64> parseResourceRateLimit(const QByteArray &value);

// x-ms-correlation-request-id, else x-ms-request-id; empty if neither.
QString correlationId(const Headers &headers);
QByteArray headerValue(const Headers &headers, QByteArrayView name); // case-insensitive, first

} // namespace spotkeeper::core::armerror
