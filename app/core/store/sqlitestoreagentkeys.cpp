// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore: agent keys and their secrets (the keys agents sign notices with).
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

// --- agent keys

bool SqliteStore::saveAgentKey(const AgentKeyRecord &key)
{
    clearError();
    if (key.keyId.isEmpty() || key.vmResourceKey.isEmpty())
        return invalid(u"an agent key needs a key id and a VM resource key"_s);
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    QSqlQuery q = query();
    const QVariant createdAt = millis(key.createdAt.isValid() ? key.createdAt : now());
    if (!runOrFail(q,
                   u"UPDATE agent_keys SET vm_resource_key = ?, created_at = ?, "
                   "revoked_at = ? WHERE key_id = ?"_s,
                   {key.vmResourceKey.toLower(), createdAt, millis(key.revokedAt), key.keyId}))
        return false;
    if (q.numRowsAffected() == 0
        && !runOrFail(q,
                      u"INSERT INTO agent_keys (key_id, vm_resource_key, created_at, "
                      "revoked_at) VALUES (?, ?, ?, ?)"_s,
                      {key.keyId, key.vmResourceKey.toLower(), createdAt, millis(key.revokedAt)}))
        return false;
    if (!runOrFail(q, u"DELETE FROM agent_key_secrets WHERE key_id = ?"_s, {key.keyId}))
        return false;
    for (const AgentKeySecret &secret : key.secrets) {
        if (secret.secret.isEmpty())
            return invalid(u"agent key %1 has an empty secret"_s.arg(key.keyId));
        if (!runOrFail(q,
                       u"INSERT INTO agent_key_secrets (key_id, secret, created_at, "
                       "expires_at) VALUES (?, ?, ?, ?)"_s,
                       {key.keyId, secret.secret,
                        millis(secret.createdAt.isValid() ? secret.createdAt : now()),
                        millis(secret.expiresAt)}))
            return false;
    }
    return tx.commit();
}

QList<AgentKeyRecord> SqliteStore::agentKeysWhere(const QString &where, const QVariantList &binds)
{
    QList<AgentKeyRecord> out;
    QSqlQuery q = query();
    if (!runOrFail(q,
                   u"SELECT key_id, vm_resource_key, created_at, revoked_at FROM agent_keys "_s
                       + where + u" ORDER BY key_id"_s,
                   binds))
        return out;
    QHash<QString, qsizetype> index;
    while (q.next()) {
        AgentKeyRecord key;
        key.keyId = q.value(0).toString();
        key.vmResourceKey = q.value(1).toString();
        key.createdAt = dateTime(q.value(2));
        key.revokedAt = dateTime(q.value(3));
        index.insert(key.keyId, out.size());
        out << key;
    }
    if (out.isEmpty())
        return out;
    QSqlQuery s = query();
    if (!runOrFail(s,
                   u"SELECT key_id, secret, created_at, expires_at FROM agent_key_secrets "_s
                       + where + u" ORDER BY id"_s,
                   binds))
        return {};
    while (s.next()) {
        const auto it = index.constFind(s.value(0).toString());
        if (it == index.cend())
            continue;
        out[*it].secrets << AgentKeySecret {s.value(1).toByteArray(), dateTime(s.value(2)),
                                            dateTime(s.value(3))};
    }
    return out;
}

std::optional<AgentKeyRecord> SqliteStore::agentKey(const QString &keyId)
{
    clearError();
    const QList<AgentKeyRecord> found = agentKeysWhere(u"WHERE key_id = ?"_s, {keyId});
    return found.isEmpty() ? std::nullopt : std::optional(found.front());
}

QList<AgentKeyRecord> SqliteStore::agentKeys()
{
    clearError();
    return agentKeysWhere(QString(), {});
}

} // namespace spotkeeper::core
