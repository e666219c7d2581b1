// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the CSV exports. The current view is small and exports at once; events and the
// audit log can be millions of rows and run as an ExportJob on a worker thread, with a
// progress dialog whose Cancel aborts the write (no file is left behind).
#include "export/csvexport.h"
#include "models/costmodel.h"
#include "models/fleetfilterproxy.h"
#include "models/fleetsource.h"
#include "models/modelcsv.h"
#include "ui/fleetview.h"
#include "ui/mainwindow.h"
#include "ui/timerangepicker.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QStatusBar>

#include <limits>

namespace spotkeeper::gui {

namespace {
bool isMemoryStore(const QString &path)
{
    return path.isEmpty() || path == QLatin1StringView(":memory:")
        || path.startsWith(QLatin1StringView("file::memory:"))
        || path.contains(QLatin1StringView("mode=memory"));
}
} // namespace

void MainWindow::setExportPathChooser(std::function<QString(const QString &)> chooser)
{
    m_exportPathChooser = std::move(chooser);
}

void MainWindow::setExportWorkerStartHook(std::function<void()> hook)
{
    m_exportStartHook = std::move(hook);
}

QString MainWindow::askExportPath(const QString &suggestedName)
{
    if (m_exportPathChooser)
        return m_exportPathChooser(suggestedName);
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileDialog::getSaveFileName(this, tr("Export CSV"), QDir(dir).filePath(suggestedName),
                                        tr("CSV files (*.csv)"));
}

void MainWindow::exportCurrentView()
{
    const QString path = askExportPath(QStringLiteral("spotkeeper-fleet.csv"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportModel(*m_fleetView->proxy(), m_fleetView->visibleColumns(), path,
                     core::CsvOptions {m_settings.csvBom}, &error))
        QMessageBox::warning(this, tr("Export"), error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(path), 10000);
}

void MainWindow::exportCostReport()
{
    // The report on screen (already computed): small, written at once, with the same CSV
    // rules as every export.
    const QString path = askExportPath(QStringLiteral("spotkeeper-cost.csv"));
    if (path.isEmpty())
        return;
    QString error;
    if (!core::exportCost(m_costReports->table()->report(), path,
                          core::CsvOptions {m_settings.csvBom}, &error))
        QMessageBox::warning(this, tr("Export"), error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(path), 10000);
}

QString MainWindow::askStoreExportPath(const QString &suggestedName)
{
    if (m_source.storePath().isEmpty())
        return {};
    if (m_exportJob) {
        statusBar()->showMessage(tr("An export is already running."), 10000);
        return {};
    }
    return askExportPath(suggestedName);
}

void MainWindow::exportEvents()
{
    ExportJob::Request request;
    request.path = askStoreExportPath(QStringLiteral("spotkeeper-events.csv"));
    if (request.path.isEmpty())
        return;
    request.kind = ExportJob::Kind::Events;
    request.filter.from = m_range->from();
    request.filter.to = m_range->to();
    const QString label = tr("Exporting events to %1…").arg(request.path);
    startStoreExport(std::move(request), label);
}

void MainWindow::exportAudit()
{
    ExportJob::Request request;
    request.path = askStoreExportPath(QStringLiteral("spotkeeper-audit.csv"));
    if (request.path.isEmpty())
        return;
    request.kind = ExportJob::Kind::Audit;
    request.from = m_range->from();
    request.to = m_range->to();
    const QString label = tr("Exporting the audit log to %1…").arg(request.path);
    startStoreExport(std::move(request), label);
}

void MainWindow::startStoreExport(ExportJob::Request request, const QString &label)
{
    request.storePath = m_source.storePath();
    request.options = core::CsvOptions {m_settings.csvBom};
    const QString path = request.path;
    if (isMemoryStore(request.storePath)) {
        // A second connection cannot see an in-memory database (tests, demos): such a store
        // is small, so the source exports it here, through the same core code.
        ExportJob::Result result;
        QApplication::setOverrideCursor(Qt::WaitCursor);
        result.ok = m_source.exportHere(request, &result.rows, &result.error);
        QApplication::restoreOverrideCursor();
        finishStoreExport(result, path);
        return;
    }
    m_exportJob = new ExportJob(std::move(request), this);
    if (m_exportStartHook)
        m_exportJob->setWorkerStartHook(m_exportStartHook);
    // Not modal: the window stays usable while the worker writes; a second store export
    // waits until this one ends.
    m_exportProgress = new QProgressDialog(label, tr("Cancel"), 0, 0, this);
    m_exportProgress->setObjectName(QStringLiteral("exportProgress"));
    m_exportProgress->setWindowTitle(tr("Export"));
    m_exportProgress->setAutoClose(false);
    m_exportProgress->setAutoReset(false);
    m_exportProgress->setMinimumDuration(500); // a small export ends before it would show
    connect(m_exportProgress, &QProgressDialog::canceled, m_exportJob, &ExportJob::cancel);
    connect(m_exportJob, &ExportJob::progressed, m_exportProgress,
            [this](qint64, qint64 step, qint64 steps) {
                if (!m_exportProgress)
                    return;
                m_exportProgress->setMaximum(int(steps));
                m_exportProgress->setValue(int(step));
            });
    connect(m_exportJob, &ExportJob::finished, this,
            [this, path](const ExportJob::Result &result) { finishStoreExport(result, path); });
    statusBar()->showMessage(label);
    m_exportJob->start();
}

void MainWindow::finishStoreExport(const ExportJob::Result &result, const QString &path)
{
    if (m_exportJob) {
        m_exportJob->deleteLater(); // its worker has ended: finished() is queued after it
        m_exportJob = nullptr;
    }
    if (m_exportProgress) {
        m_exportProgress->deleteLater();
        m_exportProgress = nullptr;
    }
    if (result.ok)
        statusBar()->showMessage(tr("Exported %n row(s) to %1", nullptr,
                                    int(qMin<qint64>(result.rows, std::numeric_limits<int>::max())))
                                     .arg(path),
                                 15000);
    else if (result.cancelled)
        statusBar()->showMessage(tr("Export cancelled: no file was written."), 15000);
    else {
        statusBar()->clearMessage();
        QMessageBox::warning(this, tr("Export"),
                             tr("The export to %1 failed: %2").arg(path, result.error));
    }
    Q_EMIT storeExportFinished(result.ok);
}

} // namespace spotkeeper::gui
