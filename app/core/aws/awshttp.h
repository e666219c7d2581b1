// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "aws/sigv4.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QObject;

// One plain HTTP exchange with an AWS endpoint (EC2, CloudTrail, STS, IMDS): the given headers
// exactly, no redirect followed (a signed request stays on its host), the answer handed over
// raw. Signing and classification stay with the caller.
namespace spotkeeper::core::aws {

struct AwsHttpAnswer
{
    int status = 0; // HTTP status, 0 = no HTTP answer (networkError says why)
    QByteArray body;
    BytePairList headers;
    int networkError = 0; // QNetworkReply::NetworkError
    QString networkText;
};

// The Host header a request to `url` carries (and SigV4 signs): the host, and the port when it
// is not the scheme's default.
QByteArray hostHeader(const QUrl &url);

// done is called exactly once, in context's thread; not at all once context is gone.
void sendAwsHttp(QNetworkAccessManager *network, QObject *context, const QByteArray &method,
                 const QUrl &url, const BytePairList &headers, const QByteArray &body,
                 int timeoutMs, std::function<void(AwsHttpAnswer)> done);

} // namespace spotkeeper::core::aws
