// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/agentkeymanager.h"

#include "base/clock.h"
#include "base/randombytes.h"
#include "listener/vmresourceid.h"
#include "store/store.h"

#include <QLoggingCategory>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcKeys, "spotkeeper.keys")

constexpr qsizetype kMaxKeyIdLength = 128;

std::optional<protocol::WebhookSecret> toWebhookSecret(const QByteArray &raw)
{
    return protocol::WebhookSecret::fromString(
        QString(u"whsec_"_s + QString::fromLatin1(raw.toBase64())));
}

QByteArray credentialText(const QString &keyId, const protocol::WebhookSecret &secret)
{
    protocol::AgentCredential credential;
    credential.keyId = keyId;
    credential.secrets.append(secret);
    return credential.serialize();
}

} // namespace

AgentKeyManager::AgentKeyManager(Store &store, base::Clock &clock, qint64 cacheTtlSeconds)
    : m_store(store)
    , m_clock(clock)
    , m_ttlMs(cacheTtlSeconds * 1000)
{ }

QString AgentKeyManager::newKeyId()
{
    return u"key_"_s + QString::fromLatin1(base::randomBytes(8).toHex()); // 16 hex digits
}

std::optional<IssuedKey> AgentKeyManager::generate(const QString &vmResourceId,
                                                   const QString &actor, KeyError *code,
                                                   QString *error)
{
    const auto vm = VmResourceId::parse(vmResourceId, error);
    if (!vm) {
        *code = KeyError::Invalid;
        return std::nullopt;
    }
    const QDateTime now = m_clock.nowUtc();
    const protocol::WebhookSecret secret = protocol::WebhookSecret::generate();
    AgentKeyRecord record;
    record.keyId = newKeyId();
    record.vmResourceKey = vm->resourceKey();
    record.createdAt = now;
    record.secrets.append(AgentKeySecret {secret.bytes(), now, QDateTime()});
    if (!m_store.saveAgentKey(record)) {
        *code = KeyError::Failed;
        *error = u"could not save the key: "_s + m_store.lastError().message;
        return std::nullopt;
    }
    m_store.appendAudit(AuditRecord {0, now, actor, u"key_generate"_s, record.keyId,
                                     u"vm="_s + record.vmResourceKey});
    m_cache.remove(record.keyId);
    *code = KeyError::None;
    return IssuedKey {record.keyId, record.vmResourceKey, secret, QDateTime(),
                      credentialText(record.keyId, secret)};
}

std::optional<IssuedKey> AgentKeyManager::rotate(const QString &keyId, qint64 overlapSeconds,
                                                 const QString &actor, KeyError *code,
                                                 QString *error)
{
    std::optional<AgentKeyRecord> record = m_store.agentKey(keyId);
    if (!record) {
        *code = KeyError::NotFound;
        *error = u"no agent key with id "_s + keyId;
        return std::nullopt;
    }
    if (record->revokedAt.isValid()) {
        *code = KeyError::Conflict;
        *error = u"key "_s + keyId + u" is revoked; generate a new one"_s;
        return std::nullopt;
    }
    if (overlapSeconds < 0 || overlapSeconds > kMaxOverlapSeconds) {
        *code = KeyError::Invalid;
        *error = u"overlap must be between 0 and %1 seconds (90 days)"_s.arg(kMaxOverlapSeconds);
        return std::nullopt;
    }
    const QDateTime now = m_clock.nowUtc();
    const QDateTime overlapEnd = now.addSecs(overlapSeconds);
    QList<AgentKeySecret> kept;
    for (AgentKeySecret s : std::as_const(record->secrets)) {
        if (s.expiresAt.isValid() && s.expiresAt <= now)
            continue; // already expired: drop it for good
        if (!s.expiresAt.isValid() || s.expiresAt > overlapEnd)
            s.expiresAt = overlapEnd;
        kept.append(s);
    }
    const protocol::WebhookSecret secret = protocol::WebhookSecret::generate();
    kept.append(AgentKeySecret {secret.bytes(), now, QDateTime()});
    record->secrets = kept;
    if (!m_store.saveAgentKey(*record)) {
        *code = KeyError::Failed;
        *error = u"could not save the key: "_s + m_store.lastError().message;
        return std::nullopt;
    }
    m_store.appendAudit(
        AuditRecord {0, now, actor, u"key_rotate"_s, keyId,
                     u"previous secrets expire at "_s + overlapEnd.toString(Qt::ISODate)});
    m_cache.remove(keyId);
    *code = KeyError::None;
    return IssuedKey {keyId, record->vmResourceKey, secret, overlapEnd,
                      credentialText(keyId, secret)};
}

KeyError AgentKeyManager::revoke(const QString &keyId, const QString &actor, QString *error)
{
    std::optional<AgentKeyRecord> record = m_store.agentKey(keyId);
    if (!record) {
        *error = u"no agent key with id "_s + keyId;
        return KeyError::NotFound;
    }
    if (record->revokedAt.isValid()) {
        *error = u"key "_s + keyId + u" is already revoked"_s;
        return KeyError::Conflict;
    }
    const QDateTime now = m_clock.nowUtc();
    record->revokedAt = now;
    if (!m_store.saveAgentKey(*record)) {
        *error = u"could not save the key: "_s + m_store.lastError().message;
        return KeyError::Failed;
    }
    m_store.appendAudit(
        AuditRecord {0, now, actor, u"key_revoke"_s, keyId, u"vm="_s + record->vmResourceKey});
    m_cache.remove(keyId);
    return KeyError::None;
}

QList<AgentKeyRecord> AgentKeyManager::list()
{
    QList<AgentKeyRecord> keys = m_store.agentKeys();
    for (AgentKeyRecord &key : keys) {
        for (AgentKeySecret &secret : key.secrets)
            secret.secret.clear();
    }
    return keys;
}

std::optional<AgentKeyRecord> AgentKeyManager::loadFresh(const QString &keyId, bool *storeFailed)
{
    std::optional<AgentKeyRecord> record = m_store.agentKey(keyId);
    if (!record) {
        if (m_store.lastError().code != StoreError::Code::None) {
            // Not "unknown": the store did not answer. Keep any cached entry out of use
            // too (it is stale), and let the caller say "retry".
            *storeFailed = true;
            qCWarning(lcKeys).noquote() << u"cannot read agent key %1: %2"_s.arg(
                keyId.left(kMaxKeyIdLength), m_store.lastError().message);
        }
        m_cache.remove(keyId);
        return std::nullopt;
    }
    CacheEntry entry;
    entry.record = *record;
    entry.loadedAtMs = m_clock.nowMSecs();
    for (const AgentKeySecret &s : std::as_const(record->secrets)) {
        std::optional<protocol::WebhookSecret> secret = toWebhookSecret(s.secret);
        if (!secret) // never the secret itself in the log
            qCWarning(lcKeys).noquote()
                << u"agent key %1 has a stored secret that is not a valid secret (%2 bytes); "
                   "it is never accepted - rotate the key"_s.arg(keyId)
                       .arg(s.secret.size());
        entry.secrets.append(std::move(secret));
    }
    m_cache.insert(keyId, entry);
    return record;
}

std::optional<AgentKeyManager::ActiveKey> AgentKeyManager::lookup(QByteArrayView keyIdBytes,
                                                                  bool *storeFailed)
{
    bool failed = false;
    if (storeFailed != nullptr)
        *storeFailed = false;
    if (keyIdBytes.isEmpty() || keyIdBytes.size() > kMaxKeyIdLength)
        return std::nullopt;
    const QString keyId = QString::fromUtf8(keyIdBytes);
    auto it = m_cache.constFind(keyId);
    if (it == m_cache.constEnd() || m_clock.nowMSecs() - it->loadedAtMs >= m_ttlMs) {
        const bool loaded = loadFresh(keyId, &failed).has_value();
        if (storeFailed != nullptr)
            *storeFailed = failed;
        if (!loaded)
            return std::nullopt;
        it = m_cache.constFind(keyId);
    }
    if (it->record.revokedAt.isValid())
        return std::nullopt;
    const QDateTime now = m_clock.nowUtc();
    ActiveKey active;
    active.vmResourceKey = it->record.vmResourceKey;
    for (qsizetype i = 0; i < it->record.secrets.size(); ++i) {
        const QDateTime &expires = it->record.secrets.at(i).expiresAt;
        if ((!expires.isValid() || expires > now) && it->secrets.at(i))
            active.secrets.append(*it->secrets.at(i)); // fail closed on an unreadable one
    }
    if (active.secrets.isEmpty())
        return std::nullopt;
    return active;
}

void AgentKeyManager::invalidate()
{
    m_cache.clear();
}

} // namespace spotkeeper::core
