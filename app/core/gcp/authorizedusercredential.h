// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gcp/gcpcredentials.h"
#include "gcp/googletokensource.h"

class QNetworkAccessManager;

// gcloud's application-default credentials of a user (docs/GCP-PROTOCOL.md §6): the refresh
// token is exchanged at the token URI (grant_type=refresh_token with the client id and
// secret) for an access token, kept until five minutes before it expires. The scopes are the
// ones granted at `gcloud auth application-default login` (cloud-platform by default). The
// client secret and the refresh token never reach an error or a log.
namespace spotkeeper::gcp {

class AuthorizedUserCredential final : public GoogleTokenSource
{
    Q_OBJECT
public:
    AuthorizedUserCredential(AuthorizedUser user, QNetworkAccessManager *network,
                             const base::Clock &clock, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AuthorizedUserCredential)

    QString sourceName() const override { return QStringLiteral("gcp-authorized-user"); }
    QString principal() const override;
    void requestToken(std::function<void(core::TokenResult)> done) override;
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

private:
    AuthorizedUser m_user;
    QNetworkAccessManager *m_network;
    int m_timeoutMs = 30'000;
};

} // namespace spotkeeper::gcp
