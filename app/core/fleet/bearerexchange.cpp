// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/bearerexchange.h"

#include "azure/accesstokensource.h"
#include "azure/armerror.h"

#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

CallResult tokenFailure(const TokenResult &token)
{
    CallResult call;
    call.failure = token.fatal || token.status == TokenResult::Status::Unavailable
        ? FailureClass::Authorization
        : FailureClass::Transient;
    call.errorCode = token.errorCode.isEmpty() ? u"CredentialUnavailable"_s : token.errorCode;
    call.errorMessage = token.error;
    return call;
}

CallResult networkFailure(int networkError, const QString &text)
{
    const auto error = QNetworkReply::NetworkError(networkError);
    CallResult call;
    call.failure = armerror::classifyNetworkError(error);
    call.errorCode =
        QString::fromLatin1(QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(error));
    call.errorMessage = text;
    return call;
}

bool classifyTransport(const BearerAnswer &answer, CallResult &call)
{
    if (answer.tokenFailed) {
        call = answer.call;
        return true;
    }
    if (answer.status == 0) {
        call = networkFailure(answer.networkError, answer.networkText);
        return true;
    }
    call.httpStatus = answer.status;
    if (answer.status >= 200 && answer.status < 300) {
        call.failure = FailureClass::None;
        return true;
    }
    return false;
}

void sendWithBearer(AccessTokenSource *credential, QNetworkAccessManager *network, QObject *context,
                    const QByteArray &method, const QUrl &url, const QByteArray &jsonBody,
                    int timeoutMs, std::function<void(BearerAnswer)> done,
                    std::function<void()> sent)
{
    QPointer<QObject> alive(context);
    QPointer<QNetworkAccessManager> manager(network);
    credential->requestToken([=, done = std::move(done),
                              sent = std::move(sent)](TokenResult token) mutable {
        if (!alive || !manager)
            return;
        if (!token.ok()) {
            BearerAnswer answer;
            answer.tokenFailed = true;
            answer.call = tokenFailure(token);
            done(answer);
            return;
        }
        QNetworkRequest http(url);
        http.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + token.token.token);
        http.setRawHeader("Accept", "application/json");
        http.setTransferTimeout(timeoutMs);
        http.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                          QNetworkRequest::ManualRedirectPolicy); // the token stays on the host
        QNetworkReply *reply = nullptr;
        if (method == "GET") {
            reply = manager->get(http);
        } else {
            http.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            reply = manager->sendCustomRequest(http, method, jsonBody);
        }
        if (sent)
            sent();
        QObject::connect(reply, &QNetworkReply::finished, alive.data(),
                         [reply, done = std::move(done)]() mutable {
                             reply->deleteLater();
                             BearerAnswer answer;
                             answer.status =
                                 reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                             answer.body = reply->readAll();
                             answer.headers = reply->rawHeaderPairs();
                             answer.networkError = int(reply->error());
                             answer.networkText = reply->errorString();
                             done(std::move(answer));
                         });
    });
}

} // namespace spotkeeper::core
