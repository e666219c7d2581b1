// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/imdsclient.h"

#include "agentcore/httpexchange.h"
#include "agentcore/scheduledevents.h"
#include "base/urlpath.h"

#include <QUrlQuery>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

ImdsClient::ImdsClient(QUrl baseUrl, QObject *parent)
    : QObject(parent)
    , m_base(std::move(baseUrl))
{ }
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
    QUrl url = base::appendPath(m_base, path);
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, apiVersion);
    url.setQuery(query);

    HttpRequest request;
    request.verb = verb;
    request.url = url;
    request.headers.append({QByteArrayLiteral("Metadata"), QByteArrayLiteral("true")});
    if (!body.isEmpty())
        request.headers.append(
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    request.body = body;
    request.timeoutMs = timeoutMs;
    // Auto-discovered proxies break IMDS: bypass every proxy, always. No redirects are
    // followed (HttpExchange never follows one).
    request.noProxy = true;

    ++m_requestsSent;
    HttpExchange::start(
        request, nullptr,
        [done = std::move(done)](const HttpResponse &response) {
            done(MetadataReply::from(response));
        },
        this);
}

} // namespace spotkeeper::agent
