// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/accesstokensource.h"
#include "azure/azurecloud.h"
#include "base/clock.h"

#include <QList>
#include <QUrl>

class QNetworkAccessManager;

namespace spotkeeper::core {

// Managed identity through IMDS (AZURE-PROTOCOL.md §3.2): GET /metadata/identity/oauth2/token
// ?api-version=2018-02-01&resource=<arm> with `Metadata: true`, never through a proxy. Retries
// 404, 410, 429 and 5xx with backoff, not other 4xx. Unavailable when IMDS never answered
// (not on an Azure VM). A user-assigned identity is chosen by client id.
// Concurrent requestToken calls are not coalesced here; ChainedCredential does that.
class ManagedIdentityCredential final : public AccessTokenSource
{
    Q_OBJECT
public:
    // Owns its QNetworkAccessManager: IMDS needs NoProxy even where ARM goes through a proxy.
    ManagedIdentityCredential(AzureCloud cloud, const base::Clock &clock,
                              QObject *parent = nullptr);
    ~ManagedIdentityCredential() override;
    Q_DISABLE_COPY_MOVE(ManagedIdentityCredential)

    void setEndpoint(const QUrl &base) { m_endpoint = base; } // default http://169.254.169.254
    void setClientId(const QString &clientId) { m_clientId = clientId; }
    // Delays before each retry; default 2, 6, 14, 30 s (AZURE-PROTOCOL.md). Tests use short ones.
    void setRetryDelaysMs(QList<int> delays) { m_retryDelaysMs = std::move(delays); }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    QUrl tokenUrl() const;

    QString sourceName() const override;
    QString principal() const override;
    void requestToken(std::function<void(TokenResult)> done) override;

private:
    void attempt(int index, std::function<void(TokenResult)> done);

    AzureCloud m_cloud;
    QNetworkAccessManager *m_network;
    const base::Clock &m_clock;
    QUrl m_endpoint;
    QString m_clientId;
    QList<int> m_retryDelaysMs {2'000, 6'000, 14'000, 30'000};
    int m_timeoutMs = 5'000;
    bool m_seenImds = false; // an HTTP answer proves we are on a VM: retry network errors then
};

} // namespace spotkeeper::core
