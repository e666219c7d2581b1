// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/storecopy.h"

#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {

// Parents before children (foreign keys), each ordered by its key.
struct Table
{
    QLatin1StringView name;
    QLatin1StringView orderBy;
    bool identity; // an {ID_PK} column whose sequence must continue after the copy
};
constexpr Table kTables[] = {
    {"vms"_L1, "id"_L1, true},
    {"events"_L1, "id"_L1, true},
    {"jobs"_L1, "id"_L1, true},
    {"agent_keys"_L1, "key_id"_L1, false},
    {"agent_key_secrets"_L1, "id"_L1, true},
    {"operator_tokens"_L1, "token_id"_L1, false},
    {"audit_log"_L1, "id"_L1, true},
    {"notify_outbox"_L1, "id"_L1, true},
    {"power_history"_L1, "id"_L1, true},
    {"vm_prices"_L1, "region, size, os, kind, valid_from"_L1, false},
};

QString sqlError(const QSqlQuery &q)
{
    return rows::errorText(q.lastError());
}

// The store's own settings (engine identities and the like); the schema version is the
// target's own. Settings the target already has are kept.
bool copyMeta(const QSqlDatabase &from, const QSqlDatabase &to, qint64 *count, QString *error)
{
    QSqlQuery read(from);
    read.setForwardOnly(true);
    if (!read.exec(u"SELECT meta_key, meta_value FROM schema_meta WHERE meta_key <> "
                   "'schema_version' ORDER BY meta_key"_s)) {
        *error = u"reading schema_meta: "_s + sqlError(read);
        return false;
    }
    QSqlQuery write(to);
    if (!write.prepare(u"INSERT INTO schema_meta (meta_key, meta_value) VALUES (?, ?) "
                       "ON CONFLICT DO NOTHING"_s)) {
        *error = u"writing schema_meta: "_s + sqlError(write);
        return false;
    }
    while (read.next()) {
        write.addBindValue(read.value(0));
        write.addBindValue(read.value(1));
        if (!write.exec()) {
            *error = u"writing schema_meta: "_s + sqlError(write);
            return false;
        }
        ++*count;
    }
    return true;
}

bool copyTable(const Table &table, const QSqlDatabase &from, SqliteStore &to, qint64 *count,
               QString *error)
{
    const QString name = table.name;
    const QSqlRecord record = from.record(name);
    QStringList columns;
    for (int i = 0; i < record.count(); ++i)
        columns << record.fieldName(i);
    if (columns.isEmpty()) {
        *error = u"the source has no table %1"_s.arg(name);
        return false;
    }
    QSqlQuery read(from);
    read.setForwardOnly(true);
    if (!read.exec(u"SELECT %1 FROM %2 ORDER BY %3"_s.arg(columns.join(u", "_s), name,
                                                          QString(table.orderBy)))) {
        *error = u"reading %1: %2"_s.arg(name, sqlError(read));
        return false;
    }
    QSqlQuery write(to.database());
    QStringList marks;
    marks.fill(u"?"_s, columns.size());
    if (!write.prepare(u"INSERT INTO %1 (%2) VALUES (%3)"_s.arg(name, columns.join(u", "_s),
                                                                marks.join(u", "_s)))) {
        *error = u"writing %1: %2"_s.arg(name, sqlError(write));
        return false;
    }
    while (read.next()) {
        for (int i = 0; i < columns.size(); ++i)
            write.addBindValue(read.value(i));
        if (!write.exec()) {
            *error = u"writing %1 (row %2): %3"_s.arg(name).arg(*count + 1).arg(sqlError(write));
            return false;
        }
        ++*count;
    }
    if (table.identity) {
        for (const QString &sql : to.dialect().continueIdentity(name)) {
            QSqlQuery q(to.database());
            if (!q.exec(sql)) {
                *error = u"continuing the ids of %1: %2"_s.arg(name, sqlError(q));
                return false;
            }
        }
    }
    return true;
}

bool exec(const QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = sqlError(q);
    return false;
}

} // namespace

StoreCopyResult copyStore(const StoreOptions &from, const StoreOptions &to, bool intoNonEmpty)
{
    StoreCopyResult result;
    StoreError openError;
    std::unique_ptr<Store> source = Store::open(from, &openError);
    if (!source) {
        result.error = u"cannot open the source store %1: %2"_s.arg(from.path, openError.message);
        return result;
    }
    std::unique_ptr<Store> target = Store::open(to, &openError);
    if (!target) {
        result.error = u"cannot open the target store %1: %2"_s.arg(to.path, openError.message);
        return result;
    }
    auto *in = dynamic_cast<SqliteStore *>(source.get());
    auto *out = dynamic_cast<SqliteStore *>(target.get());
    if (!in || !out) {
        result.error = u"a store copy needs two SQL stores"_s;
        return result;
    }
    if (!intoNonEmpty) {
        for (const Table &table : kTables) {
            QSqlQuery q(out->database());
            if (!q.exec(u"SELECT count(*) FROM %1"_s.arg(QString(table.name))) || !q.next()) {
                result.error = u"cannot read the target store: "_s + sqlError(q);
                return result;
            }
            if (q.value(0).toLongLong() > 0) {
                result.error = u"the target store %1 is not empty (%2 rows in %3); copy into "
                               "an empty database, or pass --into-non-empty to add to it"_s.arg(
                                   to.path, q.value(0).toString(), QString(table.name));
                return result;
            }
        }
    }
    // One transaction on the target holding its write lock: all or nothing, and no server
    // writing to it meanwhile. The source is read inside a transaction of its own.
    QString error;
    const QStringList begin = out->dialect().beginWriteSql();
    for (const QString &sql : begin) {
        if (!exec(out->database(), sql, &error)) {
            result.error = u"cannot start writing the target: "_s + error;
            return result;
        }
    }
    bool ok = exec(in->database(), u"BEGIN"_s, &error);
    for (const Table &table : kTables) {
        if (!ok)
            break;
        qint64 count = 0;
        ok = copyTable(table, in->database(), *out, &count, &error);
        result.rowsPerTable.append({QString(table.name), count});
    }
    if (ok) {
        qint64 count = 0;
        ok = copyMeta(in->database(), out->database(), &count, &error);
        result.rowsPerTable.append({u"schema_meta"_s, count});
    }
    QString ignored;
    exec(in->database(), u"ROLLBACK"_s, &ignored); // read only: nothing to keep
    if (!ok || !exec(out->database(), u"COMMIT"_s, &error)) {
        exec(out->database(), u"ROLLBACK"_s, &ignored);
        result.rowsPerTable.clear();
        result.error = u"copy failed, the target is left as it was: "_s + error;
    }
    return result;
}

} // namespace spotkeeper::core
