// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/exportjob.h"

#include <QThread>

namespace spotkeeper::gui {

ExportJob::ExportJob(Request request, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
{ }

ExportJob::~ExportJob()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void ExportJob::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] {
        const Result result = run();
        // Queued to this object's (the GUI) thread; dropped if the job is deleted first.
        QMetaObject::invokeMethod(
            this, [this, result] { Q_EMIT finished(result); }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("spotkeeper-export"));
    m_thread->start();
}

void ExportJob::cancel()
{
    m_cancel.store(true);
}

bool ExportJob::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

ExportJob::Result ExportJob::run()
{
    if (m_startHook)
        m_startHook();
    Result result;
    core::StoreOptions options;
    options.path = m_request.storePath;
    options.readOnly = true;
    core::StoreError storeError;
    const std::unique_ptr<core::Store> store = core::Store::open(options, &storeError);
    if (!store) {
        result.error = storeError.message;
        return result;
    }
    core::ExportProgress progress;
    progress.report = [this](qint64 rows, qint64 step, qint64 steps) {
        if (m_cancel.load())
            return false;
        Q_EMIT progressed(rows, step, steps); // queued to the GUI thread's receivers
        return true;
    };
    if (m_request.kind == Kind::Events)
        result.ok = core::exportEvents(*store, m_request.filter, m_request.path, m_request.options,
                                       &result.error, &progress);
    else
        result.ok = core::exportAudit(*store, m_request.from, m_request.to, m_request.path,
                                      m_request.options, &result.error, &progress);
    result.cancelled = progress.cancelled;
    result.rows = progress.rows;
    return result;
}

} // namespace spotkeeper::gui
