// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/schema.h"

#include "store/sqldialect.h"
#include "store/storerows.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <array>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::schema {

namespace {

// Timestamps are BIGINT milliseconds since the epoch (UTC): portable, sortable, exact.
// Optional text is NULL when empty so that the unique (vm_id, webhook_id) and
// (vm_id, event_id, event_status) rules (v6) ignore rows without one.

// The events table as version 1 created it and version 6 rebuilt it: the same columns, only
// webhook_id's constraint differs (v1 UNIQUE; v6 none, the index events_vm_webhook instead).
// Not to be changed: a later change to the table is a new step.
QString eventsTable(const QString &name, const QString &webhookIdConstraint)
{
    return u"CREATE TABLE "_s + name
        + u" ("
          " id {ID_PK},"
          " vm_id BIGINT REFERENCES vms(id),"
          " kind VARCHAR(32) NOT NULL,"
          " occurred_at BIGINT NOT NULL,"
          " source VARCHAR(32),"
          " event_type VARCHAR(64),"
          " event_id VARCHAR(128),"
          " event_status VARCHAR(32),"
          " webhook_id VARCHAR(256)"_s
        + webhookIdConstraint
        + u","
          " http_status INTEGER,"
          " arm_error_code VARCHAR(128),"
          " correlation_id VARCHAR(128),"
          " message TEXT,"
          " evidence TEXT,"
          " payload {BLOB})"_s;
}

QStringList version1(const SqlDialect &d)
{
    QStringList s {
        u"CREATE TABLE schema_meta ("
        " meta_key VARCHAR(64) NOT NULL PRIMARY KEY,"
        " meta_value VARCHAR(255) NOT NULL)"_s,

        u"CREATE TABLE vms ("
        " id {ID_PK},"
        " resource_key VARCHAR(512) NOT NULL UNIQUE,"
        " resource_id VARCHAR(512),"
        " subscription_id VARCHAR(64),"
        " resource_group VARCHAR(128),"
        " name VARCHAR(128),"
        " vm_id VARCHAR(64),"
        " location VARCHAR(64),"
        " zone VARCHAR(16),"
        " size VARCHAR(128),"
        " priority VARCHAR(16),"
        " eviction_policy VARCHAR(16),"
        " tags TEXT NOT NULL DEFAULT '{}',"
        " power_state VARCHAR(32) NOT NULL DEFAULT 'unknown',"
        " power_state_at BIGINT,"
        " desired_state VARCHAR(16) NOT NULL DEFAULT 'running',"
        " auto_restart INTEGER NOT NULL DEFAULT 1,"
        " managed_by VARCHAR(16) NOT NULL DEFAULT 'none',"
        " agent_last_seen BIGINT,"
        " agent_version VARCHAR(64),"
        " agent_last_poll_error TEXT,"
        " created_at BIGINT NOT NULL,"
        " updated_at BIGINT NOT NULL)"_s,

        eventsTable(u"events"_s, u" UNIQUE"_s),
        // The (vm, EventId) dedup rule of notices.
        u"CREATE UNIQUE INDEX events_notice_vm_event ON events(vm_id, event_id)"
        " WHERE kind = 'notice' AND event_id IS NOT NULL"_s,

        u"CREATE TABLE jobs ("
        " id {ID_PK},"
        " vm_id BIGINT NOT NULL REFERENCES vms(id),"
        " state VARCHAR(32) NOT NULL,"
        " trigger_source VARCHAR(32),"
        " attempt INTEGER NOT NULL DEFAULT 0,"
        " next_attempt_at BIGINT,"
        " not_before BIGINT,"
        " evicted_at BIGINT,"
        " created_at BIGINT NOT NULL,"
        " updated_at BIGINT NOT NULL,"
        " finished_at BIGINT,"
        " reason TEXT,"
        " last_error_code VARCHAR(128),"
        " last_error_message TEXT,"
        " async_operation_url TEXT,"
        " lease_owner VARCHAR(128),"
        " lease_expires_at BIGINT)"_s,
        // Work-queue semantics: at most one non-terminal job per VM.
        u"CREATE UNIQUE INDEX jobs_one_active_per_vm ON jobs(vm_id)"
        " WHERE state <> 'running' AND state <> 'cancelled'"_s,
        u"CREATE INDEX jobs_vm ON jobs(vm_id, id)"_s,

        u"CREATE TABLE agent_keys ("
        " key_id VARCHAR(128) NOT NULL PRIMARY KEY,"
        " vm_resource_key VARCHAR(512) NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " revoked_at BIGINT)"_s,
        u"CREATE TABLE agent_key_secrets ("
        " id {ID_PK},"
        " key_id VARCHAR(128) NOT NULL REFERENCES agent_keys(key_id) ON DELETE CASCADE,"
        " secret {BLOB} NOT NULL,"
        " created_at BIGINT NOT NULL,"
        " expires_at BIGINT)"_s,
        u"CREATE INDEX agent_key_secrets_key ON agent_key_secrets(key_id)"_s,

        u"CREATE TABLE audit_log ("
        " id {ID_PK},"
        " occurred_at BIGINT NOT NULL,"
        " actor VARCHAR(256) NOT NULL,"
        " action VARCHAR(64) NOT NULL,"
        " target VARCHAR(512),"
        " detail TEXT)"_s,
        u"CREATE INDEX audit_log_at ON audit_log(occurred_at)"_s,
    };
    for (QString &statement : s)
        statement = d.expand(statement);
    s << d.appendOnlyTriggers(u"audit_log"_s);
    s << u"INSERT INTO schema_meta (meta_key, meta_value) VALUES ('schema_version', '0')"_s;
    return s;
}

// v2: operator API bearer tokens (issue 4); only a SHA-256 of the token is kept.
QStringList version2(const SqlDialect &d)
{
    return {
        d.expand(u"CREATE TABLE operator_tokens ("
                 " token_id VARCHAR(128) NOT NULL PRIMARY KEY,"
                 " sha256 {BLOB} NOT NULL UNIQUE,"
                 " created_at BIGINT NOT NULL,"
                 " expires_at BIGINT,"
                 " revoked_at BIGINT)"_s),
    };
}

// v3: indexes for the timeline queries (per VM, by time range, by kind) and lease scans.
QStringList version3(const SqlDialect & /*dialect*/)
{
    return {
        u"CREATE INDEX events_vm_id ON events(vm_id, id)"_s,
        u"CREATE INDEX events_occurred ON events(occurred_at, id)"_s,
        u"CREATE INDEX events_kind_occurred ON events(kind, occurred_at)"_s,
    };
}

// v4: a version on each job row, bumped by every write: an engine's save is conditional on
// the version it read, so one that lost its lease (or whose job an operator paused or
// cancelled meanwhile) cannot overwrite the row (issue 12).
QStringList version4(const SqlDialect & /*dialect*/)
{
    return {
        u"ALTER TABLE jobs ADD COLUMN version BIGINT NOT NULL DEFAULT 0"_s,
    };
}

// v5: who stopped a VM on purpose (issue 12.1): the Activity Log caller of a deallocate,
// powerOff or delete, or the operator who used "Stop on purpose"; NULL while it runs.
QStringList version5(const SqlDialect & /*dialect*/)
{
    return {
        u"ALTER TABLE vms ADD COLUMN stopped_by VARCHAR(256)"_s,
        u"ALTER TABLE vms ADD COLUMN stopped_operation VARCHAR(128)"_s,
        u"ALTER TABLE vms ADD COLUMN stopped_at BIGINT"_s,
    };
}

// v6 (issue 13): a notice is unique per (VM, EventId, EventStatus), so the Started
// phase after a Scheduled one is stored instead of being answered "duplicate"; and a
// webhook-id is unique per VM instead of globally, so one VM's key cannot post under
// another VM's (predictable) id first and have that VM's real notice dropped. The
// column-level UNIQUE on webhook_id can only go with a rebuild of the table.
QStringList version6(const SqlDialect &d)
{
    const QString columns = u"id, vm_id, kind, occurred_at, source, event_type, event_id, "
                            "event_status, webhook_id, http_status, arm_error_code, "
                            "correlation_id, message, evidence, payload"_s;
    QStringList s {
        u"DROP INDEX events_notice_vm_event"_s,
        u"DROP INDEX events_vm_id"_s,
        u"DROP INDEX events_occurred"_s,
        u"DROP INDEX events_kind_occurred"_s,
    };
    s << d.rebuildTable(u"events"_s, d.expand(eventsTable(u"{TABLE}"_s, QString())), columns);
    s << u"CREATE UNIQUE INDEX events_notice_vm_event_status ON events(vm_id, event_id, "
         "event_status) WHERE kind = 'notice' AND event_id IS NOT NULL"_s
      << u"CREATE UNIQUE INDEX events_vm_webhook ON events(vm_id, webhook_id)"
         " WHERE webhook_id IS NOT NULL"_s
      << u"CREATE INDEX events_vm_id ON events(vm_id, id)"_s
      << u"CREATE INDEX events_occurred ON events(occurred_at, id)"_s
      << u"CREATE INDEX events_kind_occurred ON events(kind, occurred_at)"_s;
    return s;
}

// v7 (issue 14): what the engines of one store (replicas on PostgreSQL) share besides job
// leases. sweep_leases: who sweeps a subscription now (owner, lease_until) and when the last
// sweep finished, so one engine sweeps it per interval and another takes over when it dies.
// rate_budgets: the state of ARM's buckets (per principal and subscription, per VM), so the
// replicas together stay within one allowance.
QStringList version7(const SqlDialect & /*dialect*/)
{
    return {
        u"CREATE TABLE sweep_leases ("
        " subscription_key VARCHAR(64) NOT NULL PRIMARY KEY,"
        " owner VARCHAR(128) NOT NULL,"
        " lease_until BIGINT,"
        " finished_at BIGINT)"_s,
        u"CREATE TABLE rate_budgets ("
        " budget_key VARCHAR(700) NOT NULL PRIMARY KEY,"
        " state BIGINT NOT NULL)"_s,
    };
}

// v8 (issue 17): since when the agent of a running VM has been silent (the AgentWatch sets
// and clears it); NULL while it answers.
QStringList version8(const SqlDialect & /*dialect*/)
{
    return {
        u"ALTER TABLE vms ADD COLUMN agent_silent_since BIGINT"_s,
    };
}

// v9 (issue 17): the notification outbox, one row per (channel, event key) - the key is the
// receivers' idempotency key (webhook-id) - delivered until a 2xx (docs/NOTIFICATIONS.md).
QStringList version9(const SqlDialect &d)
{
    return {
        d.expand(u"CREATE TABLE notify_outbox ("
                 " id {ID_PK},"
                 " channel VARCHAR(64) NOT NULL,"
                 " event_key VARCHAR(128) NOT NULL,"
                 " kind VARCHAR(32) NOT NULL,"
                 " vm_id BIGINT,"
                 " created_at BIGINT NOT NULL,"
                 " payload TEXT NOT NULL,"
                 " state VARCHAR(16) NOT NULL DEFAULT 'pending',"
                 " attempts INTEGER NOT NULL DEFAULT 0,"
                 " next_attempt_at BIGINT NOT NULL,"
                 " delivered_at BIGINT,"
                 " last_error TEXT)"_s),
        u"CREATE UNIQUE INDEX notify_outbox_key ON notify_outbox(channel, event_key)"_s,
        u"CREATE INDEX notify_outbox_due ON notify_outbox(state, next_attempt_at)"_s,
    };
}

// v10 (issue 18, docs/ANALYTICS.md): the cost analytics. vm_prices caches the Azure retail
// prices (per hour, per region, size, OS and Spot or pay-as-you-go) with the date they were
// read; power_history keeps each VM's power states as spans (ended_at NULL: the current one),
// written with every power state change, so running hours can be summed in SQL. Every VM's
// current state opens its span at power_state_at.
QStringList version10(const SqlDialect &d)
{
    return {
        u"CREATE TABLE vm_prices ("
        " region VARCHAR(64) NOT NULL,"
        " size VARCHAR(128) NOT NULL,"
        " os VARCHAR(16) NOT NULL,"
        " kind VARCHAR(16) NOT NULL,"
        " price_per_hour DOUBLE PRECISION NOT NULL,"
        " currency VARCHAR(8) NOT NULL,"
        " effective_from BIGINT,"
        " fetched_at BIGINT NOT NULL,"
        " PRIMARY KEY (region, size, os, kind))"_s,
        d.expand(u"CREATE TABLE power_history ("
                 " id {ID_PK},"
                 " vm_id BIGINT NOT NULL REFERENCES vms(id),"
                 " state VARCHAR(32) NOT NULL,"
                 " started_at BIGINT NOT NULL,"
                 " ended_at BIGINT)"_s),
        u"CREATE INDEX power_history_vm ON power_history(vm_id, ended_at)"_s,
        u"CREATE INDEX power_history_started ON power_history(state, started_at)"_s,
        u"INSERT INTO power_history (vm_id, state, started_at)"
        " SELECT id, power_state, COALESCE(power_state_at, updated_at) FROM vms"
        " WHERE power_state <> 'unknown'"_s,
    };
}

// v11 (issue 18, docs/ANALYTICS.md "Eviction risk"): what Azure publishes about Spot risk,
// read from Resource Graph's SpotResources table and cached with the date it was read:
// spot_eviction_bands, the eviction-rate band per region and size (high_percent NULL for an
// open band such as "20+"); spot_price_history, the Spot price points per region, size and OS.
QStringList version11(const SqlDialect & /*dialect*/)
{
    return {
        u"CREATE TABLE spot_eviction_bands ("
        " region VARCHAR(64) NOT NULL,"
        " size VARCHAR(128) NOT NULL,"
        " band VARCHAR(16) NOT NULL,"
        " low_percent DOUBLE PRECISION NOT NULL,"
        " high_percent DOUBLE PRECISION,"
        " fetched_at BIGINT NOT NULL,"
        " PRIMARY KEY (region, size))"_s,
        u"CREATE TABLE spot_price_history ("
        " region VARCHAR(64) NOT NULL,"
        " size VARCHAR(128) NOT NULL,"
        " os VARCHAR(16) NOT NULL,"
        " effective_at BIGINT NOT NULL,"
        " price_per_hour DOUBLE PRECISION NOT NULL,"
        " fetched_at BIGINT NOT NULL,"
        " PRIMARY KEY (region, size, os, effective_at))"_s,
    };
}

// v12 (issue 17): the application health an agent's probe reports in its heartbeats
// (NULL app_health: no probe reported), and when a restart job's VM reported healthy.
QStringList version12(const SqlDialect & /*dialect*/)
{
    return {
        u"ALTER TABLE vms ADD COLUMN app_health VARCHAR(16)"_s,
        u"ALTER TABLE vms ADD COLUMN app_probe VARCHAR(16)"_s,
        u"ALTER TABLE vms ADD COLUMN app_health_since BIGINT"_s,
        u"ALTER TABLE vms ADD COLUMN app_latency_ms BIGINT"_s,
        u"ALTER TABLE vms ADD COLUMN app_health_detail VARCHAR(256)"_s,
        u"ALTER TABLE jobs ADD COLUMN app_healthy_at BIGINT"_s,
    };
}

// v13 (issue 18, docs/ANALYTICS.md): vm_prices keeps every price a size had instead of the
// latest one: the key gains valid_from, when the price began to hold (the meter's effective
// date, else the date it was read); each row holds until the next one's valid_from, the
// oldest also before it. The cached rows become the first period of their key.
QStringList version13(const SqlDialect & /*dialect*/)
{
    return {
        u"CREATE TABLE vm_price_periods ("
        " region VARCHAR(64) NOT NULL,"
        " size VARCHAR(128) NOT NULL,"
        " os VARCHAR(16) NOT NULL,"
        " kind VARCHAR(16) NOT NULL,"
        " valid_from BIGINT NOT NULL,"
        " price_per_hour DOUBLE PRECISION NOT NULL,"
        " currency VARCHAR(8) NOT NULL,"
        " effective_from BIGINT,"
        " fetched_at BIGINT NOT NULL,"
        " PRIMARY KEY (region, size, os, kind, valid_from))"_s,
        u"INSERT INTO vm_price_periods (region, size, os, kind, valid_from, price_per_hour,"
        " currency, effective_from, fetched_at) SELECT region, size, os, kind,"
        " COALESCE(effective_from, fetched_at), price_per_hour, currency, effective_from,"
        " fetched_at FROM vm_prices"_s,
        u"DROP TABLE vm_prices"_s,
        u"ALTER TABLE vm_price_periods RENAME TO vm_prices"_s,
    };
}

using Step = QStringList (*)(const SqlDialect &);
constexpr std::array<Step, 13> kSteps {version1,  version2,  version3, version4, version5,
                                       version6,  version7,  version8, version9, version10,
                                       version11, version12, version13};

bool exec(QSqlQuery &query, const QString &sql, QString *error)
{
    if (query.exec(sql))
        return true;
    *error = u"%1 (in: %2)"_s.arg(rows::errorText(query.lastError()), sql.left(80));
    return false;
}

} // namespace

int currentVersion()
{
    return int(std::size(kSteps));
}

QStringList migrationStatements(const SqlDialect &dialect, int version)
{
    if (version < 1 || version > currentVersion())
        return {};
    return kSteps.at(std::size_t(version - 1))(dialect);
}

int readVersion(const QSqlDatabase &db, QString *error)
{
    const QStringList tables = db.tables(QSql::Tables);
    if (!tables.contains(u"schema_meta"_s, Qt::CaseInsensitive)) {
        if (db.lastError().isValid()) {
            *error = rows::errorText(db.lastError());
            return -1;
        }
        if (tables.isEmpty())
            return 0;
        *error = u"it has tables but no schema_meta: not a SpotKeeper database"_s;
        return -1;
    }
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT meta_value FROM schema_meta WHERE meta_key = 'schema_version'"_s)) {
        *error = rows::errorText(query.lastError());
        return -1;
    }
    bool ok = false;
    const int version = query.next() ? query.value(0).toString().toInt(&ok) : -1;
    if (!ok || version < 0) {
        *error = u"schema_meta has no valid schema_version"_s;
        return -1;
    }
    return version;
}

namespace {

// Takes the dialect's write lock; on a failure after its first statement, rolls back.
bool beginWrite(QSqlQuery &query, const SqlDialect &dialect, QString *error)
{
    const QStringList begin = dialect.beginWriteSql();
    for (qsizetype i = 0; i < begin.size(); ++i) {
        if (!exec(query, begin.at(i), error)) {
            QString ignored;
            if (i > 0)
                exec(query, u"ROLLBACK"_s, &ignored);
            return false;
        }
    }
    return true;
}

// Inside the write lock: step `next`'s statements and the recorded version (not committed).
bool applyStep(QSqlQuery &query, const QSqlDatabase &db, const SqlDialect &dialect, int next,
               QString *error)
{
    for (const QString &statement : migrationStatements(dialect, next)) {
        if (!exec(query, statement, error))
            return false;
    }
    query.prepare(u"UPDATE schema_meta SET meta_value = ? WHERE meta_key = 'schema_version'"_s);
    query.addBindValue(QString::number(next));
    if (!query.exec() || query.numRowsAffected() != 1) {
        *error = u"cannot record schema version %1: %2"_s.arg(next).arg(
            rows::errorText(query.lastError()));
        return false;
    }
    return dialect.mirrorSchemaVersion(db, next);
}

} // namespace

bool migrate(const QSqlDatabase &db, const SqlDialect &dialect, int targetVersion, QString *error)
{
    for (;;) {
        // The write lock makes several processes migrating one database at once take turns;
        // each step re-reads the version under it, so a step runs once.
        QSqlQuery query(db);
        if (!beginWrite(query, dialect, error))
            return false;
        const int version = readVersion(db, error);
        if (version < 0 || version >= targetVersion) {
            QString ignored;
            exec(query, u"ROLLBACK"_s, &ignored);
            return version >= 0;
        }
        const int next = version + 1;
        if (!applyStep(query, db, dialect, next, error)) {
            const QString failure = *error;
            QString ignored;
            exec(query, u"ROLLBACK"_s, &ignored);
            *error = u"migration to schema %1 failed: %2"_s.arg(next).arg(failure);
            return false;
        }
        if (!exec(query, u"COMMIT"_s, error))
            return false;
    }
}

} // namespace spotkeeper::core::schema
