// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>

class QSqlError;
class QSqlQuery;

// Everything engine-specific about SQL lives in this one adapter: where the database is and
// how to connect, session settings, write-transaction start (and the lock that serialises
// writers), the identity/blob column types, trigger syntax, the integrity check, the engine's
// own schema-version mirror, a table rebuild (to drop a column constraint), how an inserted id
// comes back, row locks for claims and error classification. All other SQL in the store is
// portable (standard types, BIGINT epoch-millisecond timestamps, partial unique indexes and
// `INSERT ... ON CONFLICT DO NOTHING`, which SQLite >= 3.24 and PostgreSQL >= 9.5 both accept).
// Two dialects: SQLite (QSQLITE, a file) and PostgreSQL (QPSQL, a postgresql:// URL).
namespace spotkeeper::core {

class SqlDialect
{
public:
    virtual ~SqlDialect() = default;

    static std::unique_ptr<SqlDialect> sqlite();
    static std::unique_ptr<SqlDialect> postgresql();
    // The dialect for a store location: a postgresql:// (or postgres://) URL, else SQLite.
    static std::unique_ptr<SqlDialect> forLocation(const QString &location);

    virtual QString driverName() const = 0;
    virtual QString driverPackage() const = 0; // the Debian package with the Qt driver
    // Called before QSqlDatabase::open(): checks and prepares the location (an SQLite file
    // owner-only; a PostgreSQL URL, its password file, TLS options) and sets the connection
    // up. False + an operator-readable message (never a secret) when it cannot be used.
    virtual bool configure(QSqlDatabase &db, const StoreOptions &options, QString *error) const = 0;
    // Called once after open, before the schema is read: session settings that do not
    // write (busy timeout, foreign keys). False + message if the file is unusable.
    virtual bool initSession(const QSqlDatabase &db, const StoreOptions &options,
                             QSqlError *error) const = 0;
    // Called after the schema version was checked (never on a newer database):
    // durability settings that may write to the file (WAL journal, synchronous=FULL).
    virtual bool initDurability(const QSqlDatabase &db, const StoreOptions &options,
                                QSqlError *error) const = 0;

    // DDL placeholders: {ID_PK} an auto-increment BIGINT primary key, {BLOB} a byte string.
    virtual QString expand(const QString &ddl) const = 0;
    // Statements that make `table` append-only (UPDATE and DELETE raise an error).
    virtual QStringList appendOnlyTriggers(const QString &table) const = 0;
    // Statements that give `table` a new definition, keeping its rows: createDdl is a
    // CREATE TABLE with {TABLE} where the name goes (already expanded), columns the
    // comma-separated list copied over. Indexes on the old table are the caller's to
    // drop before and re-create after; ids and the identity sequence are kept. Both dialects
    // do it the same way (new table, copy, swap) inside the migration's transaction.
    QStringList rebuildTable(const QString &table, const QString &createDdl,
                             const QString &columns) const;
    // Statements (run in order, unprepared) that start a transaction holding the write lock
    // from its start, so a read-then-write transaction can never fail half-way on a lock
    // upgrade and writers of several processes (or servers) take turns.
    virtual QStringList beginWriteSql() const = 0;
    // Like beginWriteSql, for a transaction that reads and writes only what belongs to the
    // VMs vmKeys (a notice batch: dedup, the VM's row, its events). Where the engine allows
    // it, such transactions run side by side when their VMs differ and wait for each other
    // per VM, while every other writer still runs alone. The default: beginWriteSql.
    virtual QStringList beginVmWriteSql(const QStringList &vmKeys) const;
    // Appended to an INSERT so that insertedId() can read the new row's id.
    virtual QString returningId() const = 0;
    // Appended to a SELECT inside a write transaction: rows another transaction holds are
    // skipped instead of waited for (claims).
    virtual QString lockSkipLocked() const = 0;
    // A statement that tries to take the session-level lock `key` without waiting and
    // answers one boolean row (true = taken); empty when the engine has no such locks
    // (SQLite: one host, lock files do it).
    virtual QString tryNamedLockSql(qint64 key) const = 0;
    // A statement with two placeholders (channel, payload) that tells every listening
    // connection once the transaction commits; empty when the engine cannot (SQLite).
    virtual QString notifySql() const = 0;
    // True when a forward-only query hands rows over one by one (memory flat however many
    // match); false when the driver loads the whole result first (then pages are used).
    virtual bool streamsResults() const = 0;
    virtual bool integrityCheck(const QSqlDatabase &db, QString *details) const = 0;
    // Mirrors the portable schema_meta version into the engine's own slot (SQLite
    // user_version) so generic tools can see it. Must run inside the migration transaction.
    virtual bool mirrorSchemaVersion(const QSqlDatabase &db, int version) const = 0;
    // Statements run after rows were inserted into `table` with explicit ids (a store copy):
    // the identity continues after the highest id.
    virtual QStringList continueIdentity(const QString &table) const = 0;
    // After an executed INSERT ... returningId(): the new row's id, 0 if it inserted none
    // (ON CONFLICT DO NOTHING).
    virtual qint64 insertedId(QSqlQuery &query) const = 0;
    // True when the error says the connection itself is gone (a database server that
    // restarted, failed over or became unreachable): the store reconnects. Never for SQLite.
    virtual bool isConnectionLoss(const QSqlError &error) const = 0;
    // True for "this is not a database / the file is damaged" errors.
    virtual bool isCorruption(const QSqlError &error) const = 0;

protected:
    SqlDialect() = default;
    // rebuildTable's statements between creating `next` and copying `table`'s rows into it
    // (continueIdentity(next) runs after the copy).
    virtual QStringList carryIdentityBeforeCopy(const QString &table,
                                                const QString &next) const = 0;
    // Runs one unprepared statement; false + the error on failure.
    static bool exec(const QSqlDatabase &db, const QString &sql, QSqlError *error);
    Q_DISABLE_COPY_MOVE(SqlDialect)
};

} // namespace spotkeeper::core
