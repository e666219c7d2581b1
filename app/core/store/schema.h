// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

// The versioned schema: an ordered list of forward migrations. Step N turns a
// version N-1 database into version N; shipped steps are never edited, a change is a
// new step. The version lives in the portable table schema_meta (key 'schema_version')
// and is mirrored by the dialect (SQLite user_version) for generic tools.
namespace spotkeeper::core {

class SqlDialect;

namespace schema {

int currentVersion();

// Statements of migration step `version` (1 = baseline), expanded for the dialect.
QStringList migrationStatements(const SqlDialect &dialect, int version);

// Version of an open database: 0 for an empty one (no tables at all), -1 with *error
// for one that has tables but no schema_meta (not a SpotKeeper database) or that
// cannot be read.
int readVersion(const QSqlDatabase &db, QString *error);

// Applies steps (current version, targetVersion] each in its own write transaction,
// re-reading the version under the write lock so two processes opening the same old
// file migrate it once. Tests pass a targetVersion below currentVersion() to build
// databases of earlier versions.
bool migrate(const QSqlDatabase &db, const SqlDialect &dialect, int targetVersion, QString *error);

} // namespace schema
} // namespace spotkeeper::core
