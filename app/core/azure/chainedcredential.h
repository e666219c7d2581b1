// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/accesstokensource.h"
#include "azure/azurecloud.h"
#include "base/clock.h"

#include <QList>
#include <QPointer>

class QNetworkAccessManager;

namespace spotkeeper::core {

struct CredentialOptions
{
    QString azProgram; // empty = "az"
    QString
        managedIdentityClientId; // AZURE_CLIENT_ID is NOT reused: it names the app of the secret
    QUrl imdsEndpoint; // empty = http://169.254.169.254
    QList<int> imdsRetryDelaysMs; // empty = 2, 6, 14, 30 s
    bool excludeEnvironment = false;
    bool excludeAzureCli = false;
    bool excludeManagedIdentity = false;
};

// The DefaultAzureCredential order: environment, Azure CLI, managed identity. Sources that are
// Unavailable are skipped; the first that answers is kept for later requests (a Failed
// configured source stops the chain rather than silently falling through). Caches the token,
// refreshes at 80% of its lifetime (injected Clock), coalesces concurrent requests, and
// invalidate() forces the next request to fetch anew (ARM answered 401). When an early
// refresh fails, the cached token keeps being used until a minute before it expires.
// sourceName()/principal() tell the GUI status bar and /healthz what is in use.
class ChainedCredential final : public AccessTokenSource
{
    Q_OBJECT
public:
    // Takes ownership (re-parents) of the sources; order = try order.
    ChainedCredential(QList<AccessTokenSource *> sources, const base::Clock &clock,
                      QObject *parent = nullptr);
    ~ChainedCredential() override;
    Q_DISABLE_COPY_MOVE(ChainedCredential)

    // environment -> azure-cli -> managed-identity from the process environment.
    static ChainedCredential *createDefault(const AzureCloud &cloud, const QProcessEnvironment &env,
                                            QNetworkAccessManager *network,
                                            const base::Clock &clock,
                                            const CredentialOptions &options = {},
                                            QObject *parent = nullptr);

    QString sourceName() const override; // the source in use, or "none" before the first token
    QString principal() const override;
    QString lastError() const { return m_lastError; } // for status displays; never a secret
    void requestToken(std::function<void(TokenResult)> done) override;
    void invalidate() override; // drop the cached token

    // When the cached token is due for refresh (80% of its lifetime); invalid = none cached.
    QDateTime refreshAt() const;

signals:
    void sourceSelected(const QString &sourceName, const QString &principal);

private:
    void tryFrom(int index, QStringList unavailable);
    void finish(const TokenResult &result);

    QList<QPointer<AccessTokenSource>> m_sources;
    const base::Clock &m_clock;
    AccessTokenSource *m_selected = nullptr;
    AccessToken m_cached;
    QString m_lastError;
    QList<std::function<void(TokenResult)>> m_waiting;
    bool m_fetching = false;
};

} // namespace spotkeeper::core
