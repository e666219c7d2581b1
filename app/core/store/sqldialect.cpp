// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/sqldialect.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {

bool isMemoryPath(const QString &path)
{
    return path == u":memory:"_s || path.startsWith(u"file::memory:"_s);
}

constexpr QFile::Permissions kOwnerOnlyFile = QFile::ReadOwner | QFile::WriteOwner;
constexpr QFile::Permissions kOwnerOnlyDir = kOwnerOnlyFile | QFile::ExeOwner;
constexpr QFile::Permissions kOthers = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
    | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;

// The store holds every agent key's secret: it, its folder and its -wal/-shm are owner
// only, whatever the umask. Missing folders are created 0700 one by one; the database
// file is created empty with 0600 before SQLite opens it (an empty file is an empty
// database), and SQLite gives -wal and -shm the mode of the database file. A file an
// earlier build left readable by others is tightened (with any -wal/-shm beside it).
bool prepareOwnerOnly(const QString &path, QString *error)
{
    const QFileInfo info(path);
    QStringList missing;
    for (QString folder = info.absolutePath(); !QFileInfo::exists(folder);) {
        missing.prepend(folder);
        const QString parent = QFileInfo(folder).absolutePath();
        if (parent == folder)
            break;
        folder = parent;
    }
    for (const QString &folder : std::as_const(missing)) {
        if (!QDir().mkdir(folder, kOwnerOnlyDir) && !QFileInfo(folder).isDir()) {
            *error = u"cannot create the directory %1 of database %2"_s.arg(folder, path);
            return false;
        }
    }
    if (!info.exists()) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnlyFile)
            && !QFileInfo::exists(path)) {
            *error = u"cannot create database %1: %2"_s.arg(path, file.errorString());
            return false;
        }
        return true;
    }
    for (const QString &file : QStringList {path, path + u"-wal"_s, path + u"-shm"_s}) {
        if (QFileInfo::exists(file) && (QFile::permissions(file) & kOthers))
            QFile::setPermissions(file, QFile::permissions(file) & ~kOthers); // best effort
    }
    return true;
}

// SQLite through Qt's QSQLITE driver (the system libsqlite3, >= 3.35 on bookworm).
class SqliteDialect final : public SqlDialect
{
public:
    SqliteDialect() = default;

    QString driverName() const override { return u"QSQLITE"_s; }
    QString driverPackage() const override { return u"libqt6sql6-sqlite"_s; }

    bool configure(QSqlDatabase &db, const StoreOptions &options, QString *error) const override
    {
        const QString &path = options.path;
        if (!isMemoryPath(path)) {
            const QFileInfo info(path);
            if (info.exists() && !info.isFile()) {
                *error = u"cannot open database %1: not a regular file"_s.arg(path);
                return false;
            }
            if (options.readOnly && !info.exists()) {
                *error = u"cannot open database %1 read-only: no such file"_s.arg(path);
                return false;
            }
            if (!options.readOnly && !prepareOwnerOnly(path, error))
                return false;
        }
        db.setDatabaseName(path);
        QStringList connectOptions {u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(options.busyTimeoutMs)};
        if (options.readOnly)
            connectOptions << u"QSQLITE_OPEN_READONLY"_s;
        db.setConnectOptions(connectOptions.join(u';'));
        return true;
    }

    bool initSession(const QSqlDatabase &db, const StoreOptions &options,
                     QSqlError *error) const override
    {
        return exec(db, u"PRAGMA busy_timeout = %1"_s.arg(options.busyTimeoutMs), error)
            && exec(db, u"PRAGMA foreign_keys = ON"_s, error)
            // Reading the schema forces SQLite to parse the header: a file that is not a
            // database fails here instead of at some later write.
            && exec(db, u"SELECT count(*) FROM sqlite_master"_s, error);
    }

    bool initDurability(const QSqlDatabase &db, const StoreOptions &options,
                        QSqlError *error) const override
    {
        if (!options.readOnly && !isMemoryPath(options.path)) {
            QSqlQuery query(db);
            if (!query.exec(u"PRAGMA journal_mode = WAL"_s) || !query.next()) {
                *error = query.lastError();
                return false;
            }
            if (query.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
                *error = QSqlError(
                    u"cannot switch to WAL journal mode (got %1)"_s.arg(query.value(0).toString()),
                    QString(), QSqlError::ConnectionError);
                return false;
            }
        }
        // FULL: a commit is on disk (WAL fsynced) before the write call returns, which is
        // what lets the listener acknowledge a notice.
        return exec(db, u"PRAGMA synchronous = FULL"_s, error);
    }

    QString expand(const QString &ddl) const override
    {
        QString out = ddl;
        // INTEGER PRIMARY KEY is SQLite's rowid alias (64-bit); AUTOINCREMENT keeps ids of
        // deleted rows from being reused, so paging by id stays monotonic.
        out.replace(u"{ID_PK}"_s, u"INTEGER PRIMARY KEY AUTOINCREMENT"_s);
        out.replace(u"{BLOB}"_s, u"BLOB"_s);
        return out;
    }

    QStringList appendOnlyTriggers(const QString &table) const override
    {
        QStringList out;
        for (const QString &op : {u"UPDATE"_s, u"DELETE"_s}) {
            out << u"CREATE TRIGGER %1_no_%2 BEFORE %3 ON %1 BEGIN "
                   "SELECT RAISE(ABORT, '%1 is append-only: %3 refused'); END"_s.arg(
                       table, op.toLower(), op);
        }
        return out;
    }

    QStringList carryIdentityBeforeCopy(const QString &table, const QString &next) const override
    {
        // The AUTOINCREMENT high-water mark is carried over before the copy (which would
        // create the sequence row itself), so no id is ever handed out twice; the rename
        // moves it.
        return {u"INSERT INTO sqlite_sequence (name, seq) SELECT '%1', seq FROM sqlite_sequence "
                "WHERE name = '%2'"_s.arg(next, table)};
    }

    QStringList beginWriteSql() const override { return {u"BEGIN IMMEDIATE"_s}; }
    QString returningId() const override { return {}; }
    // AUTOINCREMENT already keeps sqlite_sequence at the highest id inserted.
    QStringList continueIdentity(const QString &) const override { return {}; }
    QString lockSkipLocked() const override { return {}; } // one writer at a time anyway
    QString tryNamedLockSql(qint64) const override { return {}; }
    QString notifySql() const override { return {}; }
    bool streamsResults() const override { return true; }

    bool integrityCheck(const QSqlDatabase &db, QString *details) const override
    {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(u"PRAGMA integrity_check"_s)) {
            if (details)
                *details = query.lastError().text();
            return false;
        }
        QStringList lines;
        while (query.next())
            lines << query.value(0).toString();
        const bool ok = lines == QStringList {u"ok"_s};
        if (details)
            *details = lines.join(u'\n');
        return ok;
    }

    bool mirrorSchemaVersion(const QSqlDatabase &db, int version) const override
    {
        QSqlError ignored;
        return exec(db, u"PRAGMA user_version = %1"_s.arg(version), &ignored);
    }

    qint64 insertedId(QSqlQuery &query) const override
    {
        // lastInsertId() is the connection's last insert: only this one's if it inserted.
        return query.numRowsAffected() == 1 ? query.lastInsertId().toLongLong() : 0;
    }

    bool isConnectionLoss(const QSqlError &) const override { return false; } // a file
    bool isCorruption(const QSqlError &error) const override
    {
        bool ok = false;
        const int code = error.nativeErrorCode().toInt(&ok) & 0xff; // primary result code
        constexpr int kSqliteCorrupt = 11;
        constexpr int kSqliteNotADb = 26;
        if (ok && (code == kSqliteCorrupt || code == kSqliteNotADb))
            return true;
        const QString text = error.databaseText();
        return text.contains(u"not a database"_s) || text.contains(u"malformed"_s);
    }
};

} // namespace

bool SqlDialect::exec(const QSqlDatabase &db, const QString &sql, QSqlError *error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    *error = query.lastError();
    return false;
}

QStringList SqlDialect::beginVmWriteSql(const QStringList & /*vmKeys*/) const
{
    return beginWriteSql();
}

QStringList SqlDialect::rebuildTable(const QString &table, const QString &createDdl,
                                     const QString &columns) const
{
    // SQLite cannot drop a column constraint: the documented way is a new table, a copy and a
    // rename, all inside the migration's transaction; PostgreSQL does the same so that both
    // share the migration. Nothing references `table` (no foreign key, view or trigger points
    // at it), so the rename is safe.
    const QString next = table + u"_rebuild"_s;
    QString create = createDdl;
    create.replace(u"{TABLE}"_s, next);
    return QStringList {create} + carryIdentityBeforeCopy(table, next)
        + QStringList {u"INSERT INTO %1 (%3) SELECT %3 FROM %2"_s.arg(next, table, columns)}
    + continueIdentity(next)
        + QStringList {u"DROP TABLE %1"_s.arg(table),
                       u"ALTER TABLE %1 RENAME TO %2"_s.arg(next, table)};
}

std::unique_ptr<SqlDialect> SqlDialect::sqlite()
{
    return std::make_unique<SqliteDialect>();
}

std::unique_ptr<SqlDialect> SqlDialect::forLocation(const QString &location)
{
    if (location.startsWith(u"postgresql://"_s, Qt::CaseInsensitive)
        || location.startsWith(u"postgres://"_s, Qt::CaseInsensitive))
        return postgresql();
    return sqlite();
}

} // namespace spotkeeper::core
