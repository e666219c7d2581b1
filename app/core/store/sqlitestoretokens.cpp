// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore: operator API tokens (only a SHA-256 of each token is stored).
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

// --- operator tokens

bool SqliteStore::saveOperatorToken(const QString &tokenId, const QByteArray &sha256,
                                    const QDateTime &createdAt, const QDateTime &expiresAt)
{
    clearError();
    constexpr qsizetype kSha256Size = 32;
    if (tokenId.isEmpty() || sha256.size() != kSha256Size)
        return invalid(u"an operator token needs an id and a 32-byte SHA-256 hash"_s);
    QSqlQuery q = query();
    return runOrFail(
        q,
        u"INSERT INTO operator_tokens (token_id, sha256, created_at, "
        "expires_at) VALUES (?, ?, ?, ?)"_s,
        {tokenId, sha256, millis(createdAt.isValid() ? createdAt : now()), millis(expiresAt)});
}

bool SqliteStore::revokeOperatorToken(const QString &tokenId, const QDateTime &at)
{
    clearError();
    QSqlQuery q = query();
    if (!runOrFail(q,
                   u"UPDATE operator_tokens SET revoked_at = ? "
                   "WHERE token_id = ? AND revoked_at IS NULL"_s,
                   {millis(at.isValid() ? at : now()), tokenId}))
        return false;
    if (q.numRowsAffected() == 1)
        return true;
    if (!runOrFail(q, u"SELECT 1 FROM operator_tokens WHERE token_id = ?"_s, {tokenId}))
        return false;
    // Revoking twice is fine; an unknown id is the caller's mistake.
    return q.next() ? true : invalid(u"no operator token with id %1"_s.arg(tokenId));
}

std::optional<QString> SqliteStore::operatorTokenIdForHash(const QByteArray &sha256,
                                                           const QDateTime &nowAt)
{
    clearError();
    QSqlQuery q = query();
    if (!runOrFail(q,
                   u"SELECT token_id FROM operator_tokens WHERE sha256 = ? AND "
                   "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"_s,
                   {sha256, (nowAt.isValid() ? nowAt : now()).toMSecsSinceEpoch()})
        || !q.next())
        return std::nullopt;
    return q.value(0).toString();
}

QList<OperatorTokenRecord> SqliteStore::operatorTokens()
{
    clearError();
    QList<OperatorTokenRecord> out;
    forEachRow(u"SELECT token_id, created_at, expires_at, revoked_at "
               "FROM operator_tokens ORDER BY token_id"_s,
               {}, [&out](const QSqlQuery &q) {
                   out << OperatorTokenRecord {q.value(0).toString(), dateTime(q.value(1)),
                                               dateTime(q.value(2)), dateTime(q.value(3))};
               });
    return out;
}

} // namespace spotkeeper::core
