// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "export/csvexport.h"
#include "models/fleetsource.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>

class QThread;

namespace spotkeeper::gui {

// One store export (events of a range, or the audit log) on a worker thread, so a
// million-row export does not freeze the window. The worker opens its own read-only
// connection to the store file (a QSqlDatabase never crosses threads) and runs the same
// core::exportEvents / exportAudit as `spotkeeperd export`. cancel() stops it after the
// current chunk; a cancelled or failed export leaves no file (QSaveFile).
// Deleting the job cancels it and waits for the worker.
class ExportJob final : public QObject
{
    Q_OBJECT
public:
    using Kind = StoreExportRequest::Kind;
    struct Request : StoreExportRequest
    {
        QString storePath; // an SQLite file: an in-memory store cannot be opened twice
    };
    struct Result
    {
        bool ok = false;
        bool cancelled = false;
        qint64 rows = 0; // data rows written
        QString error; // for the operator, when !ok && !cancelled
    };

    explicit ExportJob(Request request, QObject *parent = nullptr);
    ~ExportJob() override;
    Q_DISABLE_COPY_MOVE(ExportJob)

    const Request &request() const { return m_request; }
    void start();
    void cancel(); // thread-safe
    bool isRunning() const;
    // Test hook: runs on the worker thread before the export starts.
    void setWorkerStartHook(std::function<void()> hook) { m_startHook = std::move(hook); }

Q_SIGNALS:
    void progressed(qint64 rows, qint64 step, qint64 steps);
    void finished(const spotkeeper::gui::ExportJob::Result &result);

private:
    Result run();

    Request m_request;
    std::function<void()> m_startHook;
    std::atomic_bool m_cancel = false;
    QThread *m_thread = nullptr;
};

} // namespace spotkeeper::gui
