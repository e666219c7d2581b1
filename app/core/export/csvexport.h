// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "export/csvwriter.h"
#include "store/store.h"

#include <QDateTime>
#include <QString>

#include <functional>

// CSV exports of the store, shared by the dashboard and `spotkeeperd export`. Each writes
// a header row and then every matching row (events are streamed forward-only from the
// store into the writer's buffer, so memory stays flat for millions of events); the file
// appears only when the whole export succeeded.
// No secret is ever exported: agent keys, tokens and raw notice payloads are left out.
namespace spotkeeper::core {

// Optional progress and cancel for a long export (the dashboard runs it on a worker thread).
// `report` runs on the exporting thread once the header is written and after every chunk of
// rows, with the data rows written so far and steps done / steps in all; returning false
// cancels: the export then fails with `cancelled` set, and no file is written.
struct ExportProgress
{
    std::function<bool(qint64 rows, qint64 step, qint64 steps)> report;
    bool cancelled = false; // report() returned false
    qint64 rows = 0; // data rows written (without the header), set when the export succeeded
};

// Every event matching `filter` (vmId, kinds, from, to), oldest first; the filter's
// paging fields (afterId, beforeId, limit) are ignored: the whole range is exported.
bool exportEvents(Store &store, const EventFilter &filter, const QString &path,
                  const CsvOptions &options, QString *error, ExportProgress *progress = nullptr);
// Audit rows with from <= at < to (invalid = open end).
bool exportAudit(Store &store, const QDateTime &from, const QDateTime &to, const QString &path,
                 const CsvOptions &options, QString *error, ExportProgress *progress = nullptr);
// One row per VM with its active restart job, if any.
bool exportFleet(Store &store, const QString &path, const CsvOptions &options, QString *error);

// A cost report (docs/ANALYTICS.md): one row per group, then the savings series if any
// (a row per bucket, group "series"). writeCostCsv encodes it into an open writer.
bool exportCost(const CostReport &report, const QString &path, const CsvOptions &options,
                QString *error);
void writeCostCsv(const CostReport &report, CsvWriter &writer);
// Its eviction risk (report.risk, docs/ANALYTICS.md "Eviction risk"): one row per size and
// region.
bool exportRisk(const CostReport &report, const QString &path, const CsvOptions &options,
                QString *error);
void writeRiskCsv(const CostReport &report, CsvWriter &writer);

// Header rows, so tests and documentation name the same columns.
QStringList eventCsvColumns();
QStringList auditCsvColumns();
QStringList fleetCsvColumns();
QStringList costCsvColumns();
QStringList riskCsvColumns();

// "Cannot read <what> from the store: <reason>" (shared by the export files).
QString exportStoreError(Store &store, const QString &what);
// Asks `progress` (may be null) whether to go on; on "no" marks it cancelled and sets `error`.
bool continueExport(ExportProgress *progress, qint64 rows, qint64 step, qint64 steps,
                    QString *error);

} // namespace spotkeeper::core
