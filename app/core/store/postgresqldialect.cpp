// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The PostgreSQL dialect (Qt's QPSQL driver over libpq): several spotkeeperd servers share
// one database. Writers take turns through one transaction-scoped advisory lock, which gives
// the store the same one-writer-at-a-time guarantee SQLite's BEGIN IMMEDIATE gives it, across
// servers: a read-then-write transaction (notice dedup, VM upsert, job claim, migration step)
// never sees another server's half-done work and never fails half-way. Notice batches, the
// bulk of the writes, take that lock shared plus one lock per VM they touch: batches of
// several replicas run (and wait for their fsync) side by side unless they share a VM, and
// every other writer still runs alone.
#include "store/sqldialect.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>
#include <QUrl>
#include <QUrlQuery>
#include <QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {

// The key of the store's write lock (pg_advisory_xact_lock): "SpKeStor" in ASCII. Any other
// application sharing the database would have to pick the same number by accident.
constexpr qint64 kWriteLockKey = 0x53704b6553746f72;
// The key space of the per-VM locks (the two-integer form of the advisory locks, which never
// overlaps the one-bigint form of the write and identity locks): "SpVm".
constexpr qint32 kVmLockSpace = 0x5370566d;

// A VM's lock number: the first 32 bits of SHA-256 of its key, the same in every process. Two
// VMs that share a number only wait for each other.
qint32 vmLockNumber(const QString &vmKey)
{
    const QByteArray digest =
        QCryptographicHash::hash(vmKey.toLower().toUtf8(), QCryptographicHash::Sha256);
    return qFromBigEndian<qint32>(digest.constData());
}

constexpr QFile::Permissions kGroupOrOthers = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
    | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;

// A libpq keyword value QPSQL can pass on (it joins options with spaces, unquoted).
bool plainOptionValue(const QString &value)
{
    return !value.isEmpty() && !value.contains(u' ') && !value.contains(u';')
        && !value.contains(u'\'') && !value.contains(u'\\');
}

bool readPasswordFile(const QString &path, QString *password, QString *error)
{
    const QFileInfo info(path);
    if (!info.isFile()) {
        *error = u"the store password file %1 does not exist or is not a file"_s.arg(path);
        return false;
    }
    if (info.permissions() & kGroupOrOthers) {
        *error = u"the store password file %1 is readable by others; it must be the owner's "
                 "only (chmod 600 %1)"_s.arg(path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the store password file %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    *password = QString::fromUtf8(file.readLine()).trimmed();
    if (password->isEmpty()) {
        *error = u"the store password file %1 is empty"_s.arg(path);
        return false;
    }
    return true;
}

class PostgresqlDialect final : public SqlDialect
{
public:
    PostgresqlDialect() = default;

    QString driverName() const override { return u"QPSQL"_s; }
    QString driverPackage() const override { return u"libqt6sql6-psql"_s; }

    bool configure(QSqlDatabase &db, const StoreOptions &options, QString *error) const override
    {
        const QUrl url(options.path, QUrl::StrictMode);
        const QString shown = url.isValid() ? url.toString(QUrl::RemovePassword) : QString();
        if (!url.isValid() || url.host().isEmpty() || url.path().size() < 2) {
            *error = u"the store URL is not postgresql://USER@HOST:PORT/DATABASE"_s;
            return false;
        }
        if (!url.password().isEmpty()) {
            *error = u"the store URL %1 holds a password; put it in [store] password_file "
                     "(mode 0600) or PGPASSFILE instead"_s.arg(shown);
            return false;
        }
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setDatabaseName(url.path().mid(1));
        if (!url.userName().isEmpty())
            db.setUserName(url.userName());
        if (!options.passwordFile.isEmpty()) {
            QString password;
            if (!readPasswordFile(options.passwordFile, &password, error))
                return false;
            db.setPassword(password);
        }
        // Options: the URL's query (libpq keywords), then [store] sslmode / sslrootcert.
        QList<std::pair<QString, QString>> keywords;
        const QStringList allowed {
            u"sslmode"_s, u"sslrootcert"_s,     u"sslcert"_s,          u"sslkey"_s,
            u"sslcrl"_s,  u"connect_timeout"_s, u"application_name"_s, u"target_session_attrs"_s};
        for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
            if (!allowed.contains(key)) {
                *error = u"the store URL %1 has an unknown option %2 (known: %3)"_s.arg(
                    shown, key, allowed.join(u", "_s));
                return false;
            }
            keywords.append({key, value});
        }
        if (!options.sslMode.isEmpty())
            keywords.append({u"sslmode"_s, options.sslMode});
        if (!options.sslRootCert.isEmpty())
            keywords.append({u"sslrootcert"_s, options.sslRootCert});
        QStringList connectOptions;
        bool timeoutGiven = false;
        for (const auto &[key, value] : std::as_const(keywords)) {
            if (!plainOptionValue(value)) {
                *error = u"the store option %1 must be a single word or path without spaces, "
                         "quotes or semicolons"_s.arg(key);
                return false;
            }
            timeoutGiven = timeoutGiven || key == u"connect_timeout"_s;
            connectOptions << key + u'=' + value;
        }
        if (!timeoutGiven)
            connectOptions << u"connect_timeout=10"_s;
        db.setConnectOptions(connectOptions.join(u';'));
        return true;
    }

    bool initSession(const QSqlDatabase &db, const StoreOptions &options,
                     QSqlError *error) const override
    {
        return exec(db, u"SET client_min_messages = warning"_s, error)
            && exec(db,
                    options.readOnly ? u"SET default_transaction_read_only = on"_s
                                     : u"SET default_transaction_read_only = off"_s,
                    error)
            && exec(db, u"SET lock_timeout = %1"_s.arg(qMax(options.busyTimeoutMs, 1)), error);
    }

    bool initDurability(const QSqlDatabase &db, const StoreOptions &,
                        QSqlError *error) const override
    {
        // A commit is on the server's disk (WAL flushed) before the write call returns,
        // whatever the server's default: that is what lets the listener acknowledge a notice.
        return exec(db, u"SET synchronous_commit = on"_s, error);
    }

    QString expand(const QString &ddl) const override
    {
        QString out = ddl;
        out.replace(u"{ID_PK}"_s, u"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"_s);
        out.replace(u"{BLOB}"_s, u"BYTEA"_s);
        return out;
    }

    QStringList appendOnlyTriggers(const QString &table) const override
    {
        return {
            u"CREATE FUNCTION %1_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION '%1 is append-only: % refused', TG_OP; END $$"_s.arg(table),
            u"CREATE TRIGGER %1_no_change BEFORE UPDATE OR DELETE ON %1 FOR EACH ROW "
            "EXECUTE FUNCTION %1_append_only()"_s.arg(table),
            u"CREATE TRIGGER %1_no_truncate BEFORE TRUNCATE ON %1 FOR EACH STATEMENT "
            "EXECUTE FUNCTION %1_append_only()"_s.arg(table),
        };
    }

    // The identity sequence of the rebuilt table continues after the highest copied id
    // (continueIdentity, after the copy): nothing to carry before it.
    QStringList carryIdentityBeforeCopy(const QString &, const QString &) const override
    {
        return {};
    }

    QStringList beginWriteSql() const override
    {
        return {u"BEGIN"_s, u"SELECT pg_advisory_xact_lock(%1)"_s.arg(kWriteLockKey)};
    }
    QStringList beginVmWriteSql(const QStringList &vmKeys) const override
    {
        // Shared: other notice batches go on; an exclusive writer waits for them (and new
        // batches queue behind it). The VM locks are taken in ascending order in one
        // statement (unnest keeps the array's order), so two batches never wait in a circle.
        QList<qint32> numbers;
        numbers.reserve(vmKeys.size());
        for (const QString &key : vmKeys)
            numbers.append(vmLockNumber(key));
        std::sort(numbers.begin(), numbers.end());
        numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
        QStringList statements {u"BEGIN"_s,
                                u"SELECT pg_advisory_xact_lock_shared(%1)"_s.arg(kWriteLockKey)};
        if (!numbers.isEmpty()) {
            QStringList literals;
            literals.reserve(numbers.size());
            for (qint32 number : std::as_const(numbers))
                literals.append(QString::number(number));
            statements.append(u"SELECT pg_advisory_xact_lock(%1, n) FROM "
                              "unnest(ARRAY[%2]::integer[]) AS n"_s.arg(kVmLockSpace)
                                  .arg(literals.join(u',')));
        }
        return statements;
    }
    QString returningId() const override { return u" RETURNING id"_s; }
    QStringList continueIdentity(const QString &table) const override
    {
        return {u"SELECT setval(pg_get_serial_sequence('%1', 'id'), "
                "COALESCE((SELECT max(id) FROM %1), 0) + 1, false)"_s.arg(table)};
    }
    QString lockSkipLocked() const override { return u" FOR UPDATE SKIP LOCKED"_s; }
    QString notifySql() const override { return u"SELECT pg_notify(?, ?)"_s; }
    QString tryNamedLockSql(qint64 key) const override
    {
        return u"SELECT pg_try_advisory_lock(%1)"_s.arg(key);
    }
    bool streamsResults() const override { return false; } // QPSQL reads whole results

    bool integrityCheck(const QSqlDatabase &db, QString *details) const override
    {
        // PostgreSQL checks its own pages (checksums, WAL); what is left to see here is that
        // the database answers and holds a SpotKeeper schema.
        QSqlQuery query(db);
        const bool ok = query.exec(u"SELECT count(*) FROM schema_meta"_s) && query.next();
        if (details)
            *details = ok ? u"ok"_s : query.lastError().text();
        return ok;
    }

    bool mirrorSchemaVersion(const QSqlDatabase &db, int version) const override
    {
        QSqlError ignored;
        return exec(db,
                    u"COMMENT ON TABLE schema_meta IS 'SpotKeeper store schema %1'"_s.arg(version),
                    &ignored);
    }

    qint64 insertedId(QSqlQuery &query) const override
    {
        return query.next() ? query.value(0).toLongLong() : 0;
    }

    bool isConnectionLoss(const QSqlError &error) const override
    {
        // libpq's own errors (the server closed the connection, cannot connect) carry no
        // SQLSTATE; the server's say class 08 (connection exception) or 57P01-57P03 (shut
        // down, crashed, starting up).
        const QString state = error.nativeErrorCode();
        if (state.isEmpty())
            return error.type() != QSqlError::NoError;
        return state.startsWith(u"08"_s) || state == u"57P01"_s || state == u"57P02"_s
            || state == u"57P03"_s;
    }

    bool isCorruption(const QSqlError &error) const override
    {
        // SQLSTATE class XX: data_corrupted (XX001), index_corrupted (XX002).
        const QString state = error.nativeErrorCode();
        return state == u"XX001"_s || state == u"XX002"_s;
    }
};

} // namespace

std::unique_ptr<SqlDialect> SqlDialect::postgresql()
{
    return std::make_unique<PostgresqlDialect>();
}

} // namespace spotkeeper::core
