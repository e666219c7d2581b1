// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/clientsecretcredential.h"

#include "azure/tokenparsers.h"
#include "base/clock.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

ClientSecretCredential::ClientSecretCredential(QString tenantId, QString clientId,
                                               QByteArray clientSecret, AzureCloud cloud,
                                               QNetworkAccessManager *network,
                                               const base::Clock &clock, QObject *parent)
    : AccessTokenSource(parent)
    , m_tenantId(std::move(tenantId))
    , m_clientId(std::move(clientId))
    , m_clientSecret(std::move(clientSecret))
    , m_cloud(std::move(cloud))
    , m_network(network)
    , m_clock(clock)
{ }

ClientSecretCredential *ClientSecretCredential::fromEnvironment(const QProcessEnvironment &env,
                                                                const AzureCloud &cloud,
                                                                QNetworkAccessManager *network,
                                                                const base::Clock &clock,
                                                                QObject *parent)
{
    return new ClientSecretCredential(
        env.value(u"AZURE_TENANT_ID"_s).trimmed(), env.value(u"AZURE_CLIENT_ID"_s).trimmed(),
        env.value(u"AZURE_CLIENT_SECRET"_s).toUtf8(), cloud, network, clock, parent);
}

ClientSecretCredential::~ClientSecretCredential()
{
    m_clientSecret.fill('\0'); // best effort: don't leave the secret in freed memory
}

QString ClientSecretCredential::sourceName() const
{
    return u"environment"_s;
}

QString ClientSecretCredential::principal() const
{
    if (m_clientId.isEmpty())
        return {};
    return u"client %1 in tenant %2"_s.arg(m_clientId, m_tenantId);
}

QUrl ClientSecretCredential::tokenUrl() const
{
    QUrl url = m_cloud.authorityHost;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u'/' + m_tenantId + "/oauth2/v2.0/token"_L1);
    return url;
}

void ClientSecretCredential::requestToken(std::function<void(TokenResult)> done)
{
    QStringList missing;
    if (m_tenantId.isEmpty())
        missing << u"AZURE_TENANT_ID"_s;
    if (m_clientId.isEmpty())
        missing << u"AZURE_CLIENT_ID"_s;
    if (m_clientSecret.isEmpty())
        missing << u"AZURE_CLIENT_SECRET"_s;
    if (!missing.isEmpty()) {
        done(TokenResult::unavailable(
            u"environment credential not configured: %1 not set"_s.arg(missing.join(", "_L1))));
        return;
    }
    // The tenant goes into the URL path: refuse anything but a GUID or a domain name.
    static const QRegularExpression tenantPattern(u"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$"_s);
    if (!tenantPattern.match(m_tenantId).hasMatch()) {
        done(TokenResult::failure(u"AZURE_TENANT_ID is neither a GUID nor a domain name"_s, true));
        return;
    }
    // Built by hand: QUrlQuery would leave '+' unencoded, which form decoding reads as a space.
    QByteArray body = QByteArrayLiteral("grant_type=client_credentials&client_id=")
        + QUrl::toPercentEncoding(m_clientId) + QByteArrayLiteral("&scope=")
        + QUrl::toPercentEncoding(m_cloud.armScope()) + QByteArrayLiteral("&client_secret=")
        + QUrl::toPercentEncoding(QString::fromUtf8(m_clientSecret));
    postTokenForm(
        m_network, tokenUrl(), body, m_timeoutMs,
        [this, done = std::move(done)](int status, const QByteArray &answer, const QString &error) {
            if (status == 0) {
                done(TokenResult::failure(u"Entra ID token endpoint unreachable: %1"_s.arg(error),
                                          false));
                return;
            }
            done(tokenparsers::parseEntraReply(status, answer, m_clock.nowUtc()));
        });
}

} // namespace spotkeeper::core
