// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/accesstokensource.h"
#include "base/clock.h"

// What Google's token sources share (docs/GCP-PROTOCOL.md §6): the token is kept until five
// minutes before it expires, and an answer of a token endpoint or of the metadata server is
// read the same way — {"access_token","expires_in","token_type":"Bearer"} or an OAuth error
// whose code (never its description, never a secret) is shown; invalid_grant,
// unauthorized_client and invalid_client (a revoked key or refresh token) are fatal.
namespace spotkeeper::gcp {

class GoogleTokenSource : public core::AccessTokenSource
{
    Q_OBJECT
public:
    void invalidate() override { m_cached = {}; }

protected:
    GoogleTokenSource(const base::Clock &clock, QObject *parent);
    // Answers done from the cache when the token has more than five minutes left.
    bool answerFromCache(const std::function<void(core::TokenResult)> &done) const;
    // The endpoint's answer (status 0: none, `unreachable` says why) -> done; caches a token.
    void finish(const QString &endpoint, int status, const QByteArray &answer,
                const QString &unreachable, const std::function<void(core::TokenResult)> &done);

    const base::Clock &m_clock;
    core::AccessToken m_cached;
};

} // namespace spotkeeper::gcp
