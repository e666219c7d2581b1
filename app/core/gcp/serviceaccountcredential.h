// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "gcp/gcpcredentials.h"
#include "gcp/googletokensource.h"

class QNetworkAccessManager;

// Google's service-account flow (docs/GCP-PROTOCOL.md §6): a JWT grant signed RS256 with the
// key file's private key, POSTed form-encoded to its token_uri; the access token is kept until
// five minutes before it expires. Failures name the endpoint and Google's error code, never
// the key or the token; invalid_grant / unauthorized_client (a revoked or wrong key) are fatal.
namespace spotkeeper::gcp {

class ServiceAccountCredential final : public GoogleTokenSource
{
    Q_OBJECT
public:
    ServiceAccountCredential(ServiceAccountKey key, QStringList scopes,
                             QNetworkAccessManager *network, const base::Clock &clock,
                             QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ServiceAccountCredential)

    QString sourceName() const override { return QStringLiteral("gcp-service-account"); }
    QString principal() const override { return m_key.clientEmail; }
    void requestToken(std::function<void(core::TokenResult)> done) override;
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

private:
    ServiceAccountKey m_key;
    QStringList m_scopes;
    QNetworkAccessManager *m_network;
    int m_timeoutMs = 30'000;
};

} // namespace spotkeeper::gcp
