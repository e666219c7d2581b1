// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "csvwriter.h"
#include "store/store.h"

#include <QDateTime>
#include <QString>

// CSV exports of the store, shared by the dashboard and `spotkeeperd export`. Each writes
// a header row and then every matching row (events are streamed forward-only from the
// store into the writer's buffer, so memory stays flat for millions of events); the file
// appears only when the whole export succeeded.
// No secret is ever exported: agent keys, tokens and raw notice payloads are left out.
namespace spotkeeper::core {

// Every event matching `filter` (vmId, kinds, from, to), oldest first; the filter's
// paging fields (afterId, beforeId, limit) are ignored: the whole range is exported.
bool exportEvents(Store &store, const EventFilter &filter, const QString &path,
                  const CsvOptions &options, QString *error);
// Audit rows with from <= at < to (invalid = open end).
bool exportAudit(Store &store, const QDateTime &from, const QDateTime &to, const QString &path,
                 const CsvOptions &options, QString *error);
// One row per VM with its active restart job, if any.
bool exportFleet(Store &store, const QString &path, const CsvOptions &options, QString *error);

// Header rows, so tests and documentation name the same columns.
QStringList eventCsvColumns();
QStringList auditCsvColumns();
QStringList fleetCsvColumns();

// "Cannot read <what> from the store: <reason>" (shared by the export files).
QString exportStoreError(Store &store, const QString &what);

} // namespace spotkeeper::core
