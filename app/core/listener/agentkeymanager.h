// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/fleettypes.h"
#include "protocol/webhooksignature.h"

#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <optional>

// Agent keys: generate, list, rotate, revoke (each audited), and the verification-side
// lookup with an in-memory cache. Each key is bound to one VM resource key.
// Changes made through this object take effect at once; changes made by another
// process on the same store (e.g. `spotkeeperd keys revoke` while the server runs)
// are picked up when a cached entry is older than cacheTtlSeconds.
namespace spotkeeper::core {

class Store;

enum class KeyError { None, NotFound, Invalid, Conflict, Failed };

struct IssuedKey
{
    QString keyId;
    QString vmResourceKey;
    protocol::WebhookSecret secret; // shown once, never stored in clear anywhere else
    QDateTime previousSecretsExpireAt; // rotation only: end of the overlap window
    QByteArray credentialFile; // ready AgentCredential file text
};

class AgentKeyManager
{
public:
    explicit AgentKeyManager(Store &store, base::Clock &clock, qint64 cacheTtlSeconds = 30);

    std::optional<IssuedKey> generate(const QString &vmResourceId, const QString &actor,
                                      KeyError *code, QString *error);
    // The longest a rotation lets the previous secrets live on (the same bound as
    // keys.rotation_overlap_hours): a rotation is meant to end the old secret.
    static constexpr qint64 kMaxOverlapSeconds = 90LL * 24 * 3600;

    // Adds a new secret; the key's current secrets stay valid for overlapSeconds more
    // (0..kMaxOverlapSeconds, else Invalid).
    std::optional<IssuedKey> rotate(const QString &keyId, qint64 overlapSeconds,
                                    const QString &actor, KeyError *code, QString *error);
    KeyError revoke(const QString &keyId, const QString &actor, QString *error);
    // All keys with their secrets stripped (only creation/expiry times remain).
    QList<AgentKeyRecord> list();

    struct ActiveKey
    {
        QString vmResourceKey;
        QList<protocol::WebhookSecret> secrets; // valid now
    };
    // Verification side: the VM and the secrets valid now, or nullopt (unknown, revoked
    // or every secret expired). A stored secret that does not parse is never used (a key
    // with no usable secret is nullopt), so it can never verify with an empty HMAC key.
    // When the store cannot be read, nullopt and *storeFailed = true: the caller must
    // answer "try again", not "unknown key".
    std::optional<ActiveKey> lookup(QByteArrayView keyId, bool *storeFailed = nullptr);
    void invalidate();

private:
    struct CacheEntry
    {
        AgentKeyRecord record;
        // Parallel to record.secrets; nullopt where the stored bytes are not a secret.
        QList<std::optional<protocol::WebhookSecret>> secrets;
        qint64 loadedAtMs = 0;
    };
    std::optional<AgentKeyRecord> loadFresh(const QString &keyId, bool *storeFailed);
    static QString newKeyId();

    Store &m_store;
    base::Clock &m_clock;
    qint64 m_ttlMs;
    QHash<QString, CacheEntry> m_cache;
};

} // namespace spotkeeper::core
