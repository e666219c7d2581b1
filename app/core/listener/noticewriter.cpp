// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/noticewriter.h"

#include "base/clock.h"

#include <QElapsedTimer>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

// The store stamps what it writes with its clock's "now": here, the time the listener
// received the batch being committed, not the time this thread got to it.
class BatchClock final : public base::Clock
{
public:
    QDateTime nowUtc() const override { return m_receivedAt; }
    void set(QDateTime receivedAt) { m_receivedAt = std::move(receivedAt); }

private:
    QDateTime m_receivedAt = QDateTime::currentDateTimeUtc();
};

} // namespace

void NoticeWriter::Result::wait()
{
    std::unique_lock lock(mutex);
    ready.wait(lock, [this] { return done; });
}

std::unique_ptr<NoticeWriter> NoticeWriter::start(const StoreOptions &options, QString *error)
{
    if (options.path.isEmpty() || options.path == u":memory:"_s) {
        *error = u"an in-memory store has no second connection"_s;
        return nullptr;
    }
    std::unique_ptr<NoticeWriter> writer(new NoticeWriter);
    NoticeWriter *self = writer.get();
    writer->m_thread = std::thread([self, options] { self->run(options); });
    std::unique_lock lock(writer->m_mutex);
    writer->m_wake.wait(lock, [self] { return self->m_opened || self->m_stop; });
    if (!writer->m_opened) {
        *error = writer->m_openError;
        lock.unlock();
        writer->m_thread.join();
        return nullptr;
    }
    return writer;
}

NoticeWriter::~NoticeWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

std::shared_ptr<NoticeWriter::Result> NoticeWriter::submit(QList<IncomingNotice> batch,
                                                           const QDateTime &now, Notify notify)
{
    auto result = std::make_shared<Result>();
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(Job {std::move(batch), now, result, std::move(notify)});
    }
    m_wake.notify_all();
    return result;
}

void NoticeWriter::run(StoreOptions options)
{
    StoreError storeError;
    // The connection and its clock belong to this thread: opened, used and closed here.
    BatchClock clock;
    options.readOnly = false;
    options.clock = &clock;
    std::unique_ptr<Store> store = Store::open(options, &storeError);
    {
        std::lock_guard lock(m_mutex);
        m_opened = store != nullptr;
        if (!store) {
            m_openError = storeError.message;
            m_stop = true;
        }
    }
    m_wake.notify_all();
    if (!store)
        return;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_jobs.empty())
                break; // stopping, and everything submitted is done
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        clock.set(job.now);
        QElapsedTimer timer;
        timer.start();
        QList<NoticeOutcome> outcomes = store->insertNotices(job.batch);
        const qint64 us = timer.nsecsElapsed() / 1000;
        {
            std::lock_guard lock(job.result->mutex);
            job.result->outcomes = std::move(outcomes);
            job.result->commitMicroseconds = us;
            job.result->done = true;
        }
        job.result->ready.notify_all();
        if (job.notify)
            job.notify(job.result.get());
    }
}

} // namespace spotkeeper::core
