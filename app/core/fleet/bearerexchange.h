// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QObject;

// One HTTP exchange with a cloud's API under a bearer token, the part Azure's ARM request
// queue and Google's Compute client share: the token is asked for, the request sent (JSON body
// for any method but GET, no redirect followed so the token stays on the host), the answer
// handed over raw. Pacing, classification and the 401 retry stay with each cloud's client.
namespace spotkeeper::core {

class AccessTokenSource;
struct TokenResult;

struct BearerAnswer
{
    bool tokenFailed = false; // no request was sent: call says why (tokenFailure)
    CallResult call; // only when tokenFailed
    int status = 0; // HTTP status, 0 = no HTTP answer (networkError says why)
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    int networkError = 0; // QNetworkReply::NetworkError
    QString networkText;
};

// done is called exactly once, in context's thread; not at all once context is gone. sent
// (optional) is called when the request has gone out (a token was had).
void sendWithBearer(AccessTokenSource *credential, QNetworkAccessManager *network, QObject *context,
                    const QByteArray &method, const QUrl &url, const QByteArray &jsonBody,
                    int timeoutMs, std::function<void(BearerAnswer)> done,
                    std::function<void()> sent = {});

// A token that could not be had: Authorization when the source is unusable here or failed
// for good, Transient otherwise; the code is the source's (or CredentialUnavailable).
CallResult tokenFailure(const TokenResult &token);
// No HTTP answer: the class of the network error (always retryable) and its name.
CallResult networkFailure(int networkError, const QString &text);
// What any cloud's answer means before its error body is read: a token that could not be had,
// no HTTP answer (networkFailure) or a 2xx (FailureClass::None); call.httpStatus is set.
// false = an HTTP error status, which the cloud's client classifies itself.
bool classifyTransport(const BearerAnswer &answer, CallResult &call);

} // namespace spotkeeper::core
