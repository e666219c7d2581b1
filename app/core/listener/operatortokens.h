// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <optional>

// Operator API bearer tokens. A token is shown once at creation; the store keeps only
// its SHA-256 hash, so a stolen database does not hand out API access. Creation and
// revocation are audited. Rotation = create a new token, then revoke the old one.
namespace spotkeeper::core {

class Store;

struct CreatedToken
{
    QString tokenId; // "tok_<hex>", safe to log and to show in audit rows
    QString token; // "skop_<base64url>", the secret; shown once
    QDateTime expiresAt; // invalid = no expiry
};

class OperatorTokens
{
public:
    explicit OperatorTokens(Store &store, base::Clock &clock);

    // validSeconds 0 = no expiry.
    std::optional<CreatedToken> create(const QString &actor, qint64 validSeconds, QString *error);
    bool revoke(const QString &tokenId, const QString &actor, QString *error);
    // The token id for an "Authorization: Bearer <token>" header value, if it is valid now.
    std::optional<QString> authenticate(QByteArrayView authorizationHeader);

    static QByteArray hashToken(QByteArrayView token);

private:
    Store &m_store;
    base::Clock &m_clock;
};

// "Bearer <x>" -> x (scheme case-insensitive), empty if the header is not a bearer header.
QByteArray bearerValue(QByteArrayView authorizationHeader);

} // namespace spotkeeper::core
