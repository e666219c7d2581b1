// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imdsclient.h"

#include "scheduledevents.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

ImdsClient::ImdsClient(QUrl baseUrl, QObject *parent)
    : QObject(parent)
    , m_base(std::move(baseUrl))
{
    // Auto-discovered proxies break IMDS: bypass every proxy, always.
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

void ImdsClient::getInstance(int timeoutMs, Callback done)
{
    send("GET", u"/metadata/instance"_s, QLatin1StringView(kInstanceApiVersion), {}, timeoutMs,
         std::move(done));
}

void ImdsClient::getScheduledEvents(int timeoutMs, Callback done)
{
    send("GET", u"/metadata/scheduledevents"_s, QLatin1StringView(kScheduledEventsApiVersion), {},
         timeoutMs, std::move(done));
}

void ImdsClient::postStartRequests(const QStringList &eventIds, int timeoutMs, Callback done)
{
    send("POST", u"/metadata/scheduledevents"_s, QLatin1StringView(kScheduledEventsApiVersion),
         startRequestsBody(eventIds), timeoutMs, std::move(done));
}

void ImdsClient::send(const QByteArray &verb, const QString &path, const QString &apiVersion,
                      const QByteArray &body, int timeoutMs, Callback done)
{
    QUrl url = m_base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, apiVersion);
    url.setQuery(query);

    QNetworkRequest request(url);
    request.setRawHeader("Metadata", "true");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));

    ++m_requestsSent;
    QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    auto timedOut = std::make_shared<bool>(false);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [reply, timedOut, timeoutMs, done] {
        reply->deleteLater();
        ImdsReply result;
        result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.timedOut = *timedOut;
        if (*timedOut) {
            result.httpStatus = 0;
            result.error = u"timed out after %1 ms"_s.arg(timeoutMs);
        } else {
            result.body = reply->readAll();
            if (result.httpStatus == 0)
                result.error = reply->errorString();
            else if (result.httpStatus != 200)
                result.error = u"HTTP %1"_s.arg(result.httpStatus);
        }
        done(result);
    });
}

} // namespace spotkeeper::agent
