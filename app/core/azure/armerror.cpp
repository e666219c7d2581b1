// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armerror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::armerror {

namespace {

struct Node
{
    int depth = 0;
    QString code;
    QString message;
};

void collect(const QJsonObject &obj, int depth, QList<Node> &out)
{
    if (depth > 16) // defensive: hostile nesting
        return;
    const QString code = obj.value("code"_L1).toString();
    const QString message = obj.value("message"_L1).toString();
    if (!code.isEmpty() || !message.isEmpty())
        out.append(Node {depth, code, message});
    const QJsonArray details = obj.value("details"_L1).toArray();
    for (const QJsonValue &detail : details) {
        if (detail.isObject())
            collect(detail.toObject(), depth + 1, out);
    }
}

const QStringList &capacityCodes()
{
    static const QStringList codes {
        u"AllocationFailed"_s, u"ZonalAllocationFailed"_s, u"OverconstrainedAllocationRequest"_s,
        u"OverconstrainedZonalAllocationRequest"_s, u"SkuNotAvailable"_s};
    return codes;
}

const QStringList &transientCodes()
{
    static const QStringList codes {u"OperationPreempted"_s,
                                    u"RetryableErrorDueToAnotherOperation"_s,
                                    u"Conflict"_s,
                                    u"InternalServerError"_s,
                                    u"InternalExecutionError"_s,
                                    u"ServiceUnavailable"_s,
                                    u"GatewayTimeout"_s,
                                    u"TooManyRequests"_s};
    return codes;
}

const QStringList &authorizationCodes()
{
    static const QStringList codes {
        u"AuthorizationFailed"_s,        u"InvalidAuthenticationTokenTenant"_s,
        u"ExpiredAuthenticationToken"_s, u"InvalidAuthenticationToken"_s,
        u"AuthenticationFailed"_s,       u"LinkedAuthorizationFailed"_s};
    return codes;
}

bool mentionsQuota(const QString &message)
{
    return message.contains("LowPriorityCores"_L1, Qt::CaseInsensitive)
        || message.contains("Cores quota"_L1, Qt::CaseInsensitive)
        || message.contains("quota"_L1, Qt::CaseInsensitive);
}

bool mentionsOperationInProgress(const QString &message)
{
    return message.contains("in progress"_L1, Qt::CaseInsensitive)
        || message.contains("another operation"_L1, Qt::CaseInsensitive)
        || message.contains("deallocating"_L1, Qt::CaseInsensitive)
        || message.contains("transitioning"_L1, Qt::CaseInsensitive);
}

} // namespace

bool isKnownCode(QStringView code)
{
    const QString c = code.toString();
    return capacityCodes().contains(c) || transientCodes().contains(c)
        || authorizationCodes().contains(c) || c == "SpotPriceGreaterThanProvidedMaxPrice"_L1
        || c == "OperationNotAllowed"_L1 || c == "ResourceNotFound"_L1 || c == "NotFound"_L1
        || c == "QuotaExceeded"_L1;
}

ArmError parseErrorObject(const QJsonObject &error)
{
    QList<Node> nodes;
    collect(error, 0, nodes);
    ArmError result;
    if (nodes.isEmpty())
        return result;
    result.topCode = nodes.first().depth == 0 ? nodes.first().code : QString();
    for (const Node &node : std::as_const(nodes)) {
        if (!node.code.isEmpty())
            result.allCodes.append(node.code);
    }
    // Wrappers (ResourceOperationFailure, ResourceDeploymentFailure) carry the real code in
    // details[]: prefer the deepest known code, then the deepest code at all.
    const Node *best = nullptr;
    for (const Node &node : std::as_const(nodes)) {
        if (!node.code.isEmpty() && isKnownCode(node.code) && (!best || node.depth > best->depth))
            best = &node;
    }
    if (!best) {
        for (const Node &node : std::as_const(nodes)) {
            if (!node.code.isEmpty() && (!best || node.depth > best->depth))
                best = &node;
        }
    }
    if (!best)
        best = &nodes.first();
    result.code = best->code;
    result.message = best->message.isEmpty() ? nodes.first().message : best->message;
    return result;
}

ArmError parseErrorBody(const QByteArray &body)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    const QJsonObject obj = doc.object();
    if (obj.value("error"_L1).isObject())
        return parseErrorObject(obj.value("error"_L1).toObject());
    return parseErrorObject(obj);
}

FailureClass classify(int httpStatus, const ArmError &error)
{
    if (httpStatus == 429)
        return FailureClass::Throttled;
    const QString &code = error.code;
    const QString allMessages = error.message;
    if (capacityCodes().contains(code))
        return FailureClass::Capacity;
    if (code == "SpotPriceGreaterThanProvidedMaxPrice"_L1)
        return FailureClass::Price;
    if (code == "QuotaExceeded"_L1
        || (code == "OperationNotAllowed"_L1 && mentionsQuota(allMessages)))
        return FailureClass::Quota;
    if (authorizationCodes().contains(code) || httpStatus == 401 || httpStatus == 403)
        return FailureClass::Authorization;
    if (code == "ResourceNotFound"_L1 || code == "NotFound"_L1 || httpStatus == 404)
        return FailureClass::NotFound;
    if (transientCodes().contains(code))
        return FailureClass::Transient;
    if (httpStatus == 409) {
        // A VM still deallocating or busy with another operation answers 409; ARM's wording
        // varies, so only an explicit OperationNotAllowed without such a hint is final.
        if (code == "OperationNotAllowed"_L1 && !mentionsOperationInProgress(allMessages))
            return FailureClass::Fatal;
        return FailureClass::Transient;
    }
    if (httpStatus >= 500 || httpStatus == 408)
        return FailureClass::Transient;
    if (httpStatus >= 200 && httpStatus < 300 && code.isEmpty())
        return FailureClass::None;
    return FailureClass::Fatal;
}

FailureClass classifyNetworkError(QNetworkReply::NetworkError error)
{
    // No HTTP answer means ARM never judged the request: a timeout, a reset, a TLS handshake
    // that failed (a proxy or middlebox hiccup, a certificate being rotated), a code Qt adds
    // later. Retrying with backoff is always right; parking the VM for a person never is.
    // Authorization problems come back as HTTP 401/403 and are classified by classify().
    return error == QNetworkReply::NoError ? FailureClass::None : FailureClass::Transient;
}

QDateTime parseRetryAfter(const QByteArray &value, const QDateTime &now, qint64 maxMs)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return {};
    const QDateTime nowUtc = now.toUTC();
    const QDateTime latest = nowUtc.addMSecs(std::max<qint64>(0, maxMs));
    const auto bounded = [&](const QDateTime &at) {
        return std::clamp(at.toUTC(), nowUtc, latest);
    };
    bool ok = false;
    const qint64 seconds = trimmed.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? QDateTime()
                           : bounded(nowUtc.addSecs(std::min<qint64>(seconds, maxMs / 1000 + 1)));
    const QString text = QString::fromLatin1(trimmed);
    // IMF-fixdate (RFC 9110): date and time parsed apart and joined as UTC, so the local
    // time zone never takes part (a GMT time inside a local DST gap is still valid).
    static const QRegularExpression imf(
        u"^[A-Za-z]{3}, (\\d{2} [A-Za-z]{3} \\d{4}) (\\d{2}:\\d{2}:\\d{2}) GMT$"_s);
    if (const auto match = imf.match(text); match.hasMatch()) {
        const QDate date = QLocale::c().toDate(match.captured(1), u"dd MMM yyyy"_s);
        const QTime time = QLocale::c().toTime(match.captured(2), u"HH:mm:ss"_s);
        if (date.isValid() && time.isValid())
            return bounded(QDateTime(date, time, Qt::UTC));
        return {};
    }
    // Other RFC 2822 forms carry their own offset ("+0200").
    const QDateTime date = QDateTime::fromString(text, Qt::RFC2822Date);
    return date.isValid() ? bounded(date) : QDateTime();
}

QMap<QString, qint64> parseResourceRateLimit(const QByteArray &value)
{
    static const QRegularExpression pattern(u"([^;,]+);(\\d+)"_s);
    QMap<QString, qint64> result;
    auto it = pattern.globalMatch(QString::fromLatin1(value));
    while (it.hasNext()) {
        const auto match = it.next();
        result.insert(match.captured(1).trimmed(), match.captured(2).toLongLong());
    }
    return result;
}

RateLimits parseRateLimits(const Headers &headers)
{
    static const QByteArray prefix = QByteArrayLiteral("x-ms-ratelimit-remaining-");
    RateLimits limits;
    for (const auto &[rawName, value] : headers) {
        const QByteArray name = rawName.toLower();
        if (!name.startsWith(prefix))
            continue;
        const QByteArray suffix = name.mid(prefix.size());
        if (suffix == "resource") { // may be repeated: merge
            const auto parsed = parseResourceRateLimit(value);
            for (auto it = parsed.cbegin(); it != parsed.cend(); ++it)
                limits.resource.insert(it.key(), it.value());
            continue;
        }
        bool ok = false;
        const qint64 count = value.trimmed().toLongLong(&ok);
        if (ok)
            limits.counters.insert(QString::fromLatin1(suffix), count);
    }
    return limits;
}

QByteArray headerValue(const Headers &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString correlationId(const Headers &headers)
{
    QByteArray id = headerValue(headers, "x-ms-correlation-request-id");
    if (id.isEmpty())
        id = headerValue(headers, "x-ms-request-id");
    return QString::fromLatin1(id.trimmed());
}

} // namespace spotkeeper::core::armerror
