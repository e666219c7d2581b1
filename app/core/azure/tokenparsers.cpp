// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/tokenparsers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

TokenResult TokenResult::success(AccessToken token)
{
    TokenResult result;
    result.status = Status::Ok;
    result.token = std::move(token);
    return result;
}

TokenResult TokenResult::unavailable(QString error)
{
    TokenResult result;
    result.status = Status::Unavailable;
    result.error = std::move(error);
    return result;
}

TokenResult TokenResult::failure(QString error, bool fatal, int httpStatus, QString code)
{
    TokenResult result;
    result.status = Status::Failed;
    result.error = std::move(error);
    result.fatal = fatal;
    result.httpStatus = httpStatus;
    result.errorCode = std::move(code);
    return result;
}

namespace tokenparsers {

namespace {

std::optional<QJsonObject> objectOf(const QByteArray &body)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// Builds the token from expires_on (absolute) or expires_in (relative), whichever is usable.
TokenResult tokenFrom(const QJsonObject &obj, const QString &tokenKey, const QDateTime &now,
                      const QString &what)
{
    const QByteArray token = obj.value(tokenKey).toString().toUtf8();
    if (token.isEmpty())
        return TokenResult::failure(u"%1 reply has no %2"_s.arg(what, tokenKey), false);
    AccessToken access;
    access.token = token;
    access.obtainedAt = now.toUTC();
    if (const auto on = integerOf(obj.value("expires_on"_L1)); on && *on > 0) {
        access.expiresOn = QDateTime::fromSecsSinceEpoch(*on, Qt::UTC);
    } else if (const auto in = integerOf(obj.value("expires_in"_L1)); in && *in > 0) {
        access.expiresOn = access.obtainedAt.addSecs(*in);
    } else {
        return TokenResult::failure(u"%1 reply has no usable expires_in/expires_on"_s.arg(what),
                                    false);
    }
    return TokenResult::success(access);
}

bool isFatalEntraError(const QString &error, const QList<qint64> &codes)
{
    static const QList<qint64> fatalCodes {
        7000215, // invalid client secret
        7000222, // expired client secret
        700016, // application not found in the tenant
        90002, // tenant not found
        70011, // invalid scope
        700024, // assertion not within its valid range
        7000216, // client_assertion or client_secret required
    };
    for (qint64 code : codes) {
        if (fatalCodes.contains(code))
            return true;
    }
    return error == "invalid_client"_L1 || error == "unauthorized_client"_L1
        || error == "invalid_scope"_L1 || error == "invalid_request"_L1
        || error == "invalid_resource"_L1;
}

} // namespace

std::optional<qint64> integerOf(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d < -9e15 || d > 9e15)
            return std::nullopt;
        return static_cast<qint64>(d);
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 v = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return v;
    }
    return std::nullopt;
}

TokenResult parseEntraReply(int httpStatus, const QByteArray &body, const QDateTime &now)
{
    const auto obj = objectOf(body);
    if (httpStatus == 200) {
        if (!obj)
            return TokenResult::failure(u"Entra ID token reply is not a JSON object"_s, false,
                                        httpStatus);
        TokenResult result = tokenFrom(*obj, u"access_token"_s, now, u"Entra ID token"_s);
        result.httpStatus = httpStatus;
        return result;
    }
    // Branch on `error` + `error_codes`, never on the free-text description.
    QString error = obj ? obj->value("error"_L1).toString() : QString();
    QList<qint64> codes;
    if (obj) {
        const QJsonArray array = obj->value("error_codes"_L1).toArray();
        for (const QJsonValue &value : array) {
            if (const auto code = integerOf(value))
                codes.append(*code);
        }
    }
    const bool serverSide = httpStatus >= 500 || httpStatus == 429 || httpStatus == 408;
    const bool fatal = !serverSide && isFatalEntraError(error, codes);
    QString codeText = error;
    if (!codes.isEmpty())
        codeText = u"AADSTS%1"_s.arg(codes.first());
    QString message = u"Entra ID token request failed with HTTP %1"_s.arg(httpStatus);
    if (!error.isEmpty())
        message += u": %1"_s.arg(error);
    if (!codes.isEmpty())
        message += u" (AADSTS%1)"_s.arg(codes.first());
    if (fatal)
        message += u"; check AZURE_TENANT_ID, AZURE_CLIENT_ID and the client secret"_s;
    return TokenResult::failure(message, fatal, httpStatus, codeText);
}

bool isRetryableImdsStatus(int httpStatus)
{
    return httpStatus == 404 || httpStatus == 410 || httpStatus == 429 || httpStatus >= 500;
}

TokenResult parseImdsReply(int httpStatus, const QByteArray &body, const QDateTime &now)
{
    const auto obj = objectOf(body);
    if (httpStatus == 200) {
        if (!obj)
            return TokenResult::failure(u"managed identity token reply is not a JSON object"_s,
                                        false, httpStatus);
        TokenResult result = tokenFrom(*obj, u"access_token"_s, now, u"managed identity token"_s);
        result.httpStatus = httpStatus;
        return result;
    }
    const QString error = obj ? obj->value("error"_L1).toString() : QString();
    QString message = u"managed identity token request failed with HTTP %1"_s.arg(httpStatus);
    if (!error.isEmpty())
        message += u": %1"_s.arg(error);
    // 400 (bad_request_102, invalid_resource), 403 etc. will not get better by retrying.
    const bool fatal = !isRetryableImdsStatus(httpStatus);
    if (httpStatus == 400 && error == "invalid_resource"_L1)
        message += u"; the VM has no managed identity for this resource"_s;
    return TokenResult::failure(message, fatal, httpStatus, error);
}

TokenResult parseAzCliOutput(const QByteArray &stdoutBytes, const QDateTime &now)
{
    const auto obj = objectOf(stdoutBytes);
    if (!obj)
        return TokenResult::failure(u"Azure CLI output is not a JSON object"_s, false);
    const QByteArray token = obj->value("accessToken"_L1).toString().toUtf8();
    if (token.isEmpty())
        return TokenResult::failure(u"Azure CLI output has no accessToken"_s, false);
    AccessToken access;
    access.token = token;
    access.obtainedAt = now.toUTC();
    if (const auto on = integerOf(obj->value("expires_on"_L1)); on && *on > 0) {
        access.expiresOn = QDateTime::fromSecsSinceEpoch(*on, Qt::UTC);
    } else {
        // Older CLIs: local wall-clock time without a zone (DST-ambiguous; best effort).
        const QString text = obj->value("expiresOn"_L1).toString().trimmed();
        const QDateTime local = QDateTime::fromString(text.left(19), u"yyyy-MM-dd HH:mm:ss"_s);
        if (!local.isValid())
            return TokenResult::failure(u"Azure CLI output has neither expires_on nor a "
                                        "parsable expiresOn ('%1')"_s.arg(text.left(40)),
                                        false);
        access.expiresOn = local.toUTC();
    }
    return TokenResult::success(access);
}

} // namespace tokenparsers
} // namespace spotkeeper::core
