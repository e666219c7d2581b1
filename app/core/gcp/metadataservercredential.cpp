// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/metadataservercredential.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;

MetadataServerCredential::MetadataServerCredential(QUrl base, const base::Clock &clock,
                                                   QObject *parent)
    : GoogleTokenSource(clock, parent)
    , m_base(std::move(base))
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setProxy(QNetworkProxy(QNetworkProxy::NoProxy)); // the metadata server is local
}

QUrl MetadataServerCredential::baseFrom(const QProcessEnvironment &env)
{
    const QString host = env.value(u"GCE_METADATA_HOST"_s).trimmed();
    const QUrl url(u"http://"_s + (host.isEmpty() ? u"metadata.google.internal"_s : host));
    return url.isValid() && !url.host().isEmpty() ? url
                                                  : QUrl(u"http://metadata.google.internal"_s);
}

QUrl MetadataServerCredential::tokenUrl() const
{
    QUrl url = m_base;
    url.setPath(u"/computeMetadata/v1/instance/service-accounts/default/token"_s);
    return url;
}

void MetadataServerCredential::requestToken(std::function<void(core::TokenResult)> done)
{
    if (answerFromCache(done))
        return;
    QNetworkRequest request(tokenUrl());
    request.setRawHeader("Metadata-Flavor", "Google");
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString endpoint = m_base.toString();
        if (status == 0 && !m_seen) {
            done(core::TokenResult::unavailable(
                u"no Google Cloud metadata server at %1 (%2): not on Compute Engine"_s.arg(
                    endpoint, reply->errorString())));
            return;
        }
        if (status != 0 && reply->rawHeader("Metadata-Flavor") != "Google") {
            done(core::TokenResult::unavailable(
                u"%1 answered without Metadata-Flavor: Google; not a metadata server"_s.arg(
                    endpoint)));
            return;
        }
        if (status != 0)
            m_seen = true;
        if (status == 404) {
            done(core::TokenResult::failure(
                u"the metadata server at %1 has no default service account for this VM"_s.arg(
                    endpoint),
                true, status));
            return;
        }
        finish(endpoint, status, reply->readAll(), reply->errorString(), done);
    });
}

} // namespace spotkeeper::gcp
