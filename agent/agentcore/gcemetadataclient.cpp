// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/gcemetadataclient.h"

#include "agentcore/httpexchange.h"
#include "base/urlpath.h"

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

GceMetadataClient::GceMetadataClient(QUrl baseUrl, QObject *parent)
    : QObject(parent)
    , m_base(std::move(baseUrl))
{ }

QUrl GceMetadataClient::urlFromHostVariable(const QString &hostAndPort)
{
    const QString trimmed = hostAndPort.trimmed();
    if (trimmed.isEmpty() || trimmed.contains(u'/') || trimmed.contains(u'@'))
        return {};
    QUrl url(u"http://"_s + trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty())
        return {};
    return url;
}

void GceMetadataClient::get(const QString &key, const QUrlQuery &query, int timeoutMs,
                            Callback done)
{
    QUrl url = base::appendPath(m_base, u"/computeMetadata/v1/"_s + key);
    url.setQuery(query);

    HttpRequest request;
    request.url = url;
    request.headers.append({QByteArrayLiteral("Metadata-Flavor"), QByteArrayLiteral("Google")});
    request.timeoutMs = timeoutMs;
    request.noProxy = true; // the metadata server is link-local: a proxy would be wrong
    request.maxResponseBytes = qint64 {256} * 1024;

    ++m_requestsSent;
    HttpExchange::start(
        request, nullptr,
        [done = std::move(done)](const HttpResponse &response) {
            GceReply reply;
            static_cast<MetadataReply &>(reply) = MetadataReply::from(response);
            reply.etag = response.header("etag").value_or(QByteArray());
            reply.fromMetadataServer = response.header("metadata-flavor") == "Google";
            if (response.error.isEmpty() && !reply.fromMetadataServer)
                reply.error =
                    u"HTTP %1 without the header Metadata-Flavor: Google, so not from "
                    "the metadata server (a proxy, another cloud's metadata service?)"_s.arg(
                        reply.httpStatus);
            done(reply);
        },
        this);
}

} // namespace spotkeeper::agent
