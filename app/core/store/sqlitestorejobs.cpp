// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore, part 3: restart jobs and their leases, and the store's own small settings.
#include "store/sqlitestore.h"
#include "store/storerows.h"

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
    if (!runOrFail(q, u"SELECT %1 FROM jobs "_s.arg(jobSelectColumns()) + whereAndOrder, binds))
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
                           jobColumns().mid(4), u"?, "_s.repeated(16) + u'?')
                           + m_dialect->returningId()))
        return std::nullopt;
    bindJob(q, row);
    if (!execOrFail(q))
        return std::nullopt;
    row.id = m_dialect->insertedId(q);
    if (row.id > 0) {
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
    if (!prepareOrFail(
            q,
            u"UPDATE jobs SET vm_id = ?, state = ?, trigger_source = ?, attempt = ?, "
            "next_attempt_at = ?, not_before = ?, evicted_at = ?, created_at = ?, "
            "updated_at = ?, finished_at = ?, reason = ?, last_error_code = ?, "
            "last_error_message = ?, async_operation_url = ?, lease_owner = ?, "
            "lease_expires_at = ?, app_healthy_at = ?, version = version + 1 WHERE id = ?"_s
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
    if (!announceJobOwner(row.vmId, row.leaseOwner) || !tx.commit())
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
    // Another server's claim in progress holds its rows: skip them rather than wait.
    clause += m_dialect->lockSkipLocked();
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
        if (!execOrFail(q) || (bump != 0 && !announceJobOwner(row.vmId, owner)))
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
    WriteTransaction tx(*this);
    if (!tx.ok())
        return -1;
    QSqlQuery q = query();
    if (!prepareOrFail(q,
                       u"UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, "
                       "version = version + 1 WHERE lease_owner = ? AND "_s
                           + kActive))
        return -1;
    q.addBindValue(owner);
    if (!execOrFail(q))
        return -1;
    const int released = q.numRowsAffected();
    if (released > 0 && !announceJobOwner(0, QString()))
        return -1;
    return tx.commit() ? released : -1;
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

} // namespace spotkeeper::core
