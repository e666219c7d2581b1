// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/awshttp.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace spotkeeper::core::aws {

using namespace Qt::StringLiterals;

QByteArray hostHeader(const QUrl &url)
{
    const int defaultPort = url.scheme() == "https"_L1 ? 443 : 80;
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    return host;
}

void sendAwsHttp(QNetworkAccessManager *network, QObject *context, const QByteArray &method,
                 const QUrl &url, const BytePairList &headers, const QByteArray &body,
                 int timeoutMs, std::function<void(AwsHttpAnswer)> done)
{
    QNetworkRequest http(url);
    for (const auto &[name, value] : headers) {
        if (name.compare("host", Qt::CaseInsensitive) != 0) // Qt writes the same Host itself
            http.setRawHeader(name, value);
    }
    http.setTransferTimeout(timeoutMs);
    http.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                      QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = nullptr;
    if (method == "GET")
        reply = network->get(http);
    else
        reply = network->sendCustomRequest(http, method, body);
    QPointer<QObject> alive(context);
    QObject::connect(
        reply, &QNetworkReply::finished, context, [reply, alive, done = std::move(done)]() mutable {
            reply->deleteLater();
            if (!alive)
                return;
            AwsHttpAnswer answer;
            answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            answer.body = reply->readAll();
            answer.headers = reply->rawHeaderPairs();
            answer.networkError = int(reply->error());
            answer.networkText = reply->errorString();
            done(std::move(answer));
        });
}

} // namespace spotkeeper::core::aws
