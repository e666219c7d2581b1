// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/managedidentitycredential.h"

#include "azure/tokenparsers.h"
#include "base/clock.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

ManagedIdentityCredential::ManagedIdentityCredential(AzureCloud cloud, const base::Clock &clock,
                                                     QObject *parent)
    : AccessTokenSource(parent)
    , m_cloud(std::move(cloud))
    , m_network(new QNetworkAccessManager(this))
    , m_clock(clock)
    , m_endpoint(QUrl(u"http://169.254.169.254"_s))
{
    m_network->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
}

ManagedIdentityCredential::~ManagedIdentityCredential() = default;

QString ManagedIdentityCredential::sourceName() const
{
    return u"managed-identity"_s;
}

QString ManagedIdentityCredential::principal() const
{
    return m_clientId.isEmpty() ? u"system-assigned identity"_s
                                : u"user-assigned identity %1"_s.arg(m_clientId);
}

QUrl ManagedIdentityCredential::tokenUrl() const
{
    QUrl url = m_endpoint;
    url.setPath(u"/metadata/identity/oauth2/token"_s);
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, u"2018-02-01"_s);
    query.addQueryItem(u"resource"_s, m_cloud.armResource);
    if (!m_clientId.isEmpty())
        query.addQueryItem(u"client_id"_s, m_clientId);
    url.setQuery(query);
    return url;
}

void ManagedIdentityCredential::requestToken(std::function<void(TokenResult)> done)
{
    attempt(0, std::move(done));
}

void ManagedIdentityCredential::attempt(int index, std::function<void(TokenResult)> done)
{
    QNetworkRequest request(tokenUrl());
    request.setRawHeader("Metadata", "true");
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, index, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        TokenResult result;
        bool retryable = false;
        if (status == 0) {
            if (!m_seenImds) {
                done(TokenResult::unavailable(
                    u"managed identity unavailable: IMDS at %1 did not answer (%2)"_s.arg(
                        m_endpoint.toString(), reply->errorString())));
                return;
            }
            result = TokenResult::failure(
                u"IMDS identity endpoint unreachable: %1"_s.arg(reply->errorString()), false);
            retryable = true;
        } else {
            m_seenImds = true;
            result = tokenparsers::parseImdsReply(status, reply->readAll(), m_clock.nowUtc());
            retryable = !result.ok() && tokenparsers::isRetryableImdsStatus(status);
        }
        if (retryable && index < m_retryDelaysMs.size()) {
            QTimer::singleShot(m_retryDelaysMs.at(index), this,
                               [this, index, done] { attempt(index + 1, done); });
            return;
        }
        done(std::move(result));
    });
}

} // namespace spotkeeper::core
