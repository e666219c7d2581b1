// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore, part 3: restart jobs and leases, agent keys, operator tokens, audit log.
#include "sqlitestore.h"
#include "storerows.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

namespace {

// Must match the predicate of the jobs_one_active_per_vm partial unique index.
constexpr QLatin1StringView kActive("state <> 'running' AND state <> 'cancelled'");

} // namespace

// --- restart jobs

QList<JobRecord> SqliteStore::jobsWhere(const QString &whereAndOrder, const QVariantList &binds)
{
    QList<JobRecord> out;
    QSqlQuery q = query();
    if (!prepareOrFail(q, u"SELECT %1 FROM jobs "_s.arg(jobSelectColumns()) + whereAndOrder))
        return out;
    for (const QVariant &value : binds)
        q.addBindValue(value);
    if (!execOrFail(q))
        return out;
    while (q.next())
        out << readJob(q);
    return out;
}

std::optional<JobRecord> SqliteStore::activeJob(qint64 vmId)
{
    clearError();
    const QList<JobRecord> found = jobsWhere(u"WHERE vm_id = ? AND "_s + kActive, {vmId});
    return found.isEmpty() ? std::nullopt : std::optional(found.front());
}

std::optional<JobRecord> SqliteStore::job(qint64 jobId)
{
    clearError();
    const QList<JobRecord> found = jobsWhere(u"WHERE id = ?"_s, {jobId});
    return found.isEmpty() ? std::nullopt : std::optional(found.front());
}

QList<JobRecord> SqliteStore::activeJobs()
{
    clearError();
    return jobsWhere(u"WHERE "_s + kActive + u" ORDER BY id"_s, {});
}

QList<JobRecord> SqliteStore::jobs(qint64 vmId, int limit)
{
    clearError();
    QString clause = u"WHERE vm_id = ? ORDER BY id DESC"_s;
    if (limit > 0)
        clause += u" LIMIT %1"_s.arg(limit);
    return jobsWhere(clause, {vmId});
}

std::optional<JobRecord> SqliteStore::createJob(const JobRecord &job, bool *created)
{
    clearError();
    if (created)
        *created = false;
    if (job.vmId <= 0) {
        invalid(u"a restart job needs a VM"_s);
        return std::nullopt;
    }
    WriteTransaction tx(*this);
    if (!tx.ok())
        return std::nullopt;
    JobRecord row = job;
    row.id = 0;
    row.version = 0;
    const QDateTime at = now();
    if (!row.createdAt.isValid())
        row.createdAt = at;
    if (!row.updatedAt.isValid())
        row.updatedAt = at;
    QSqlQuery q = query();
    // ON CONFLICT DO NOTHING: the partial unique index turns a second non-terminal job
    // for the VM into a no-op instead of an error; the existing job is returned.
    if (!prepareOrFail(q,
                       u"INSERT INTO jobs (%1) VALUES (%2) ON CONFLICT DO NOTHING"_s.arg(
                           jobColumns().mid(4), u"?, "_s.repeated(15) + u'?')))
        return std::nullopt;
    bindJob(q, row);
    if (!execOrFail(q))
        return std::nullopt;
    if (q.numRowsAffected() == 1) {
        row.id = m_dialect->insertedId(q);
        if (!tx.commit())
            return std::nullopt;
        if (created)
            *created = true;
        return row;
    }
    const QList<JobRecord> existing = jobsWhere(u"WHERE vm_id = ? AND "_s + kActive, {job.vmId});
    if (existing.isEmpty()) {
        fail(u"restart job not created"_s, errorText(q.lastError()), StoreError::Code::Sql);
        return std::nullopt;
    }
    tx.commit();
    return existing.front();
}

bool SqliteStore::saveJob(const JobRecord &job, const EventRecord *withEvent)
{
    JobRecord row = job;
    return writeJob(row, withEvent, false);
}

bool SqliteStore::saveJobIfUnchanged(JobRecord &job, const EventRecord *withEvent)
{
    return writeJob(job, withEvent, true);
}

bool SqliteStore::writeJob(JobRecord &job, const EventRecord *withEvent, bool conditional)
{
    clearError();
    if (job.id <= 0 || job.vmId <= 0)
        return invalid(u"saveJob needs a stored job"_s);
    JobRecord row = job;
    const QDateTime at = now();
    if (!row.updatedAt.isValid())
        row.updatedAt = at;
    if (isTerminal(row.state) && !row.finishedAt.isValid())
        row.finishedAt = at;
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"UPDATE jobs SET vm_id = ?, state = ?, trigger_source = ?, attempt = ?, "
                       "next_attempt_at = ?, not_before = ?, evicted_at = ?, created_at = ?, "
                       "updated_at = ?, finished_at = ?, reason = ?, last_error_code = ?, "
                       "last_error_message = ?, async_operation_url = ?, lease_owner = ?, "
                       "lease_expires_at = ?, version = version + 1 WHERE id = ?"_s
                           + (conditional ? u" AND version = ?"_s : QString())))
        return false;
    bindJob(q, row);
    q.addBindValue(row.id);
    if (conditional)
        q.addBindValue(row.version);
    if (!execOrFail(q))
        return false;
    if (q.numRowsAffected() != 1) {
        if (conditional && !jobsWhere(u"WHERE id = ?"_s, {row.id}).isEmpty())
            return fail(u"restart job %1 changed since it was read (another engine or an "
                        "operator wrote it); not overwritten"_s.arg(row.id),
                        QString(), StoreError::Code::Conflict);
        return invalid(u"no restart job with id %1"_s.arg(row.id));
    }
    if (withEvent) {
        EventRecord event = *withEvent;
        if (event.vmId == 0)
            event.vmId = row.vmId;
        if (insertEventLocked(event) == 0)
            return false;
    }
    if (!tx.commit())
        return false;
    row.version += 1;
    job = row;
    return true;
}

QList<JobRecord> SqliteStore::claimJobs(const QString &owner, const QDateTime &leaseUntil,
                                        int limit)
{
    clearError();
    if (owner.isEmpty() || !leaseUntil.isValid()) {
        invalid(u"claimJobs needs an owner and a lease end"_s);
        return {};
    }
    WriteTransaction tx(*this);
    if (!tx.ok())
        return {};
    QString clause = u"WHERE "_s + kActive
        + u" AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at IS NULL"
          " OR lease_expires_at <= ?) ORDER BY id"_s;
    if (limit > 0)
        clause += u" LIMIT %1"_s.arg(limit);
    QList<JobRecord> claimed = jobsWhere(clause, {owner, now().toMSecsSinceEpoch()});
    if (m_error.code != StoreError::Code::None)
        return {};
    for (JobRecord &row : claimed) {
        QSqlQuery q = query();
        if (!prepareOrFail(q,
                           u"UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, "
                           "version = version + ? WHERE id = ?"_s))
            return {};
        // A new owner bumps the version: the engine that lost the lease can no longer
        // save the job. Renewing one's own lease changes nothing of the job.
        const int bump = row.leaseOwner == owner ? 0 : 1;
        q.addBindValue(owner);
        q.addBindValue(leaseUntil.toMSecsSinceEpoch());
        q.addBindValue(bump);
        q.addBindValue(row.id);
        if (!execOrFail(q))
            return {};
        row.version += bump;
        row.leaseOwner = owner;
        row.leaseExpiresAt = leaseUntil.toUTC();
    }
    if (!tx.commit())
        return {};
    return claimed;
}

int SqliteStore::releaseJobs(const QString &owner)
{
    clearError();
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, "
                       "version = version + 1 WHERE lease_owner = ? AND "_s
                           + kActive))
        return -1;
    q.addBindValue(owner);
    return execOrFail(q) ? q.numRowsAffected() : -1;
}

QString SqliteStore::metaValueOrInsert(const QString &key, const QString &valueIfAbsent)
{
    clearError();
    if (key.isEmpty() || key.size() > 64 || key == "schema_version"_L1 || valueIfAbsent.isEmpty()
        || valueIfAbsent.size() > 255) {
        invalid(u"a store setting needs a key (1-64 characters) and a value (1-255)"_s);
        return {};
    }
    WriteTransaction tx(*this);
    if (!tx.ok())
        return {};
    QSqlQuery q = query();
    if (!prepareOrFail(q, u"SELECT meta_value FROM schema_meta WHERE meta_key = ?"_s))
        return {};
    q.addBindValue(key);
    if (!execOrFail(q))
        return {};
    if (q.next()) {
        const QString value = q.value(0).toString();
        q.finish();
        tx.commit();
        return value;
    }
    q.finish();
    if (!prepareOrFail(q, u"INSERT INTO schema_meta (meta_key, meta_value) VALUES (?, ?)"_s))
        return {};
    q.addBindValue(key);
    q.addBindValue(valueIfAbsent);
    if (!execOrFail(q) || !tx.commit())
        return {};
    return valueIfAbsent;
}

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
    if (!prepareOrFail(q,
                       u"UPDATE agent_keys SET vm_resource_key = ?, created_at = ?, "
                       "revoked_at = ? WHERE key_id = ?"_s))
        return false;
    const QVariant createdAt = millis(key.createdAt.isValid() ? key.createdAt : now());
    q.addBindValue(key.vmResourceKey.toLower());
    q.addBindValue(createdAt);
    q.addBindValue(millis(key.revokedAt));
    q.addBindValue(key.keyId);
    if (!execOrFail(q))
        return false;
    if (q.numRowsAffected() == 0) {
        if (!prepareOrFail(q,
                           u"INSERT INTO agent_keys (key_id, vm_resource_key, created_at, "
                           "revoked_at) VALUES (?, ?, ?, ?)"_s))
            return false;
        q.addBindValue(key.keyId);
        q.addBindValue(key.vmResourceKey.toLower());
        q.addBindValue(createdAt);
        q.addBindValue(millis(key.revokedAt));
        if (!execOrFail(q))
            return false;
    }
    if (!prepareOrFail(q, u"DELETE FROM agent_key_secrets WHERE key_id = ?"_s))
        return false;
    q.addBindValue(key.keyId);
    if (!execOrFail(q))
        return false;
    for (const AgentKeySecret &secret : key.secrets) {
        if (secret.secret.isEmpty())
            return invalid(u"agent key %1 has an empty secret"_s.arg(key.keyId));
        if (!prepareOrFail(q,
                           u"INSERT INTO agent_key_secrets (key_id, secret, created_at, "
                           "expires_at) VALUES (?, ?, ?, ?)"_s))
            return false;
        q.addBindValue(key.keyId);
        q.addBindValue(secret.secret);
        q.addBindValue(millis(secret.createdAt.isValid() ? secret.createdAt : now()));
        q.addBindValue(millis(secret.expiresAt));
        if (!execOrFail(q))
            return false;
    }
    return tx.commit();
}

QList<AgentKeyRecord> SqliteStore::agentKeysWhere(const QString &where, const QVariantList &binds)
{
    QList<AgentKeyRecord> out;
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"SELECT key_id, vm_resource_key, created_at, revoked_at "
                       "FROM agent_keys "_s
                           + where + u" ORDER BY key_id"_s))
        return out;
    for (const QVariant &value : binds)
        q.addBindValue(value);
    if (!execOrFail(q))
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
    if (!prepareOrFail(s,
                       u"SELECT key_id, secret, created_at, expires_at FROM agent_key_secrets "_s
                           + where + u" ORDER BY id"_s))
        return {};
    for (const QVariant &value : binds)
        s.addBindValue(value);
    if (!execOrFail(s))
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

// --- operator tokens

bool SqliteStore::saveOperatorToken(const QString &tokenId, const QByteArray &sha256,
                                    const QDateTime &createdAt, const QDateTime &expiresAt)
{
    clearError();
    constexpr qsizetype kSha256Size = 32;
    if (tokenId.isEmpty() || sha256.size() != kSha256Size)
        return invalid(u"an operator token needs an id and a 32-byte SHA-256 hash"_s);
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"INSERT INTO operator_tokens (token_id, sha256, created_at, "
                       "expires_at) VALUES (?, ?, ?, ?)"_s))
        return false;
    q.addBindValue(tokenId);
    q.addBindValue(sha256);
    q.addBindValue(millis(createdAt.isValid() ? createdAt : now()));
    q.addBindValue(millis(expiresAt));
    return execOrFail(q);
}

bool SqliteStore::revokeOperatorToken(const QString &tokenId, const QDateTime &at)
{
    clearError();
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"UPDATE operator_tokens SET revoked_at = ? "
                       "WHERE token_id = ? AND revoked_at IS NULL"_s))
        return false;
    q.addBindValue(millis(at.isValid() ? at : now()));
    q.addBindValue(tokenId);
    if (!execOrFail(q))
        return false;
    if (q.numRowsAffected() == 1)
        return true;
    if (!prepareOrFail(q, u"SELECT 1 FROM operator_tokens WHERE token_id = ?"_s))
        return false;
    q.addBindValue(tokenId);
    if (!execOrFail(q))
        return false;
    // Revoking twice is fine; an unknown id is the caller's mistake.
    return q.next() ? true : invalid(u"no operator token with id %1"_s.arg(tokenId));
}

std::optional<QString> SqliteStore::operatorTokenIdForHash(const QByteArray &sha256,
                                                           const QDateTime &nowAt)
{
    clearError();
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"SELECT token_id FROM operator_tokens WHERE sha256 = ? AND "
                       "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"_s))
        return std::nullopt;
    q.addBindValue(sha256);
    q.addBindValue((nowAt.isValid() ? nowAt : now()).toMSecsSinceEpoch());
    if (!execOrFail(q) || !q.next())
        return std::nullopt;
    return q.value(0).toString();
}

QList<OperatorTokenRecord> SqliteStore::operatorTokens()
{
    clearError();
    QList<OperatorTokenRecord> out;
    QSqlQuery q = query();
    if (!execOrFail(q,
                    u"SELECT token_id, created_at, expires_at, revoked_at "
                    "FROM operator_tokens ORDER BY token_id"_s))
        return out;
    while (q.next()) {
        out << OperatorTokenRecord {q.value(0).toString(), dateTime(q.value(1)),
                                    dateTime(q.value(2)), dateTime(q.value(3))};
    }
    return out;
}

// --- audit log

qint64 SqliteStore::appendAudit(const AuditRecord &record)
{
    clearError();
    if (record.actor.isEmpty() || record.action.isEmpty()) {
        invalid(u"an audit record needs an actor and an action"_s);
        return 0;
    }
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"INSERT INTO audit_log (occurred_at, actor, action, target, detail) "
                       "VALUES (?, ?, ?, ?, ?)"_s))
        return 0;
    q.addBindValue(millis(record.at.isValid() ? record.at : now()));
    q.addBindValue(record.actor);
    q.addBindValue(record.action);
    q.addBindValue(optText(record.target));
    q.addBindValue(optText(record.detail));
    return execOrFail(q) ? m_dialect->insertedId(q) : 0;
}

QList<AuditRecord> SqliteStore::audit(const QDateTime &from, const QDateTime &to, int limit)
{
    clearError();
    QList<AuditRecord> out;
    QStringList conditions;
    QVariantList binds;
    if (from.isValid()) {
        conditions << u"occurred_at >= ?"_s;
        binds << from.toMSecsSinceEpoch();
    }
    if (to.isValid()) {
        conditions << u"occurred_at < ?"_s;
        binds << to.toMSecsSinceEpoch();
    }
    QString sql = u"SELECT id, occurred_at, actor, action, target, detail FROM audit_log"_s;
    if (!conditions.isEmpty())
        sql += u" WHERE "_s + conditions.join(u" AND "_s);
    sql += u" ORDER BY id"_s;
    if (limit > 0)
        sql += u" LIMIT %1"_s.arg(limit);
    QSqlQuery q = query();
    if (!prepareOrFail(q, sql))
        return out;
    for (const QVariant &value : std::as_const(binds))
        q.addBindValue(value);
    if (!execOrFail(q))
        return out;
    while (q.next()) {
        out << AuditRecord {q.value(0).toLongLong(), dateTime(q.value(1)),  q.value(2).toString(),
                            q.value(3).toString(),   q.value(4).toString(), q.value(5).toString()};
    }
    return out;
}

} // namespace spotkeeper::core
