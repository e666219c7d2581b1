// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/operatortokens.h"

#include "base/clock.h"
#include "base/randombytes.h"
#include "store/store.h"

#include <QCryptographicHash>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kMaxTokenLength = 256;
} // namespace

QByteArray bearerValue(QByteArrayView header)
{
    const QByteArrayView trimmed = header.trimmed();
    constexpr QByteArrayView scheme("bearer ");
    if (trimmed.size() <= scheme.size()
        || trimmed.first(scheme.size()).toByteArray().toLower() != scheme.toByteArray())
        return {};
    return trimmed.sliced(scheme.size()).trimmed().toByteArray();
}

OperatorTokens::OperatorTokens(Store &store, base::Clock &clock)
    : m_store(store)
    , m_clock(clock)
{ }

QByteArray OperatorTokens::hashToken(QByteArrayView token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}

std::optional<CreatedToken> OperatorTokens::create(const QString &actor, qint64 validSeconds,
                                                   QString *error)
{
    if (validSeconds < 0) {
        *error = u"token lifetime must not be negative"_s;
        return std::nullopt;
    }
    const QDateTime now = m_clock.nowUtc();
    CreatedToken created;
    created.tokenId = u"tok_"_s + QString::fromLatin1(base::randomBytes(8).toHex());
    created.token = u"skop_"_s
        + QString::fromLatin1(base::randomBytes(32).toBase64(QByteArray::Base64UrlEncoding
                                                             | QByteArray::OmitTrailingEquals));
    if (validSeconds > 0)
        created.expiresAt = now.addSecs(validSeconds);
    if (!m_store.saveOperatorToken(created.tokenId, hashToken(created.token.toLatin1()), now,
                                   created.expiresAt)) {
        *error = u"could not save the token: "_s + m_store.lastError().message;
        return std::nullopt;
    }
    m_store.appendAudit(AuditRecord {0, now, actor, u"token_create"_s, created.tokenId,
                                     created.expiresAt.isValid()
                                         ? u"expires "_s + created.expiresAt.toString(Qt::ISODate)
                                         : u"no expiry"_s});
    return created;
}

bool OperatorTokens::revoke(const QString &tokenId, const QString &actor, QString *error)
{
    const QDateTime now = m_clock.nowUtc();
    if (!m_store.revokeOperatorToken(tokenId, now)) {
        *error = u"no active operator token with id "_s + tokenId;
        return false;
    }
    m_store.appendAudit(AuditRecord {0, now, actor, u"token_revoke"_s, tokenId, QString()});
    return true;
}

std::optional<QString> OperatorTokens::authenticate(QByteArrayView header)
{
    const QByteArray token = bearerValue(header);
    if (token.isEmpty() || token.size() > kMaxTokenLength)
        return std::nullopt;
    // Lookup by hash: the database index does the comparison on a digest, so timing
    // reveals nothing about the token itself.
    return m_store.operatorTokenIdForHash(hashToken(token), m_clock.nowUtc());
}

} // namespace spotkeeper::core
