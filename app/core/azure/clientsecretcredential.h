// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/accesstokensource.h"
#include "azure/azurecloud.h"
#include "base/clock.h"

class QNetworkAccessManager;

namespace spotkeeper::core {

// Entra ID client-credentials flow (AZURE-PROTOCOL.md §3.1):
// POST {authority}/{tenant}/oauth2/v2.0/token, form-encoded, scope {arm}/.default. Configured from
// AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET; Unavailable when any is missing. The
// secret is kept in memory only and never appears in a message. principal() = "client <id> in
// tenant <tenant>".
class ClientSecretCredential final : public AccessTokenSource
{
    Q_OBJECT
public:
    ClientSecretCredential(QString tenantId, QString clientId, QByteArray clientSecret,
                           AzureCloud cloud, QNetworkAccessManager *network,
                           const base::Clock &clock, QObject *parent = nullptr);
    static ClientSecretCredential *fromEnvironment(const QProcessEnvironment &env,
                                                   const AzureCloud &cloud,
                                                   QNetworkAccessManager *network,
                                                   const base::Clock &clock,
                                                   QObject *parent = nullptr);
    ~ClientSecretCredential() override;
    Q_DISABLE_COPY_MOVE(ClientSecretCredential)

    QString sourceName() const override;
    QString principal() const override;
    void requestToken(std::function<void(TokenResult)> done) override;
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    QUrl tokenUrl() const;

private:
    QString m_tenantId;
    QString m_clientId;
    QByteArray m_clientSecret;
    AzureCloud m_cloud;
    QNetworkAccessManager *m_network;
    const base::Clock &m_clock;
    int m_timeoutMs = 30'000;
};

} // namespace spotkeeper::core
