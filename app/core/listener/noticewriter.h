// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

// A thread of its own with its own Store connection to the same database file, that
// runs Store::insertNotices for the NoticeBatcher: the listener's event loop keeps
// reading, verifying and parsing requests while a batch waits for its fsync (one
// batch in flight, the next one collects meanwhile: group commit without a blocked
// loop). Durability is the store's: insertNotices returns after COMMIT (WAL fsynced,
// synchronous=FULL). SQLite serialises it with the main connection's writes.
namespace spotkeeper::core {

class NoticeWriter final
{
public:
    // The outcome of one submitted batch, filled on the writer thread.
    struct Result
    {
        std::mutex mutex;
        std::condition_variable ready;
        bool done = false;
        QList<NoticeOutcome> outcomes;
        qint64 commitMicroseconds = 0;
        void wait();
    };

    // Opens a connection on a new thread; nullptr with *error when it cannot (":memory:"
    // has no second connection, an unreadable file, ...): then the caller commits on its
    // own connection.
    static std::unique_ptr<NoticeWriter> start(const StoreOptions &options, QString *error);
    ~NoticeWriter(); // finishes what was submitted, then ends the thread
    Q_DISABLE_COPY_MOVE(NoticeWriter)

    // notify runs on the writer thread after the result is filled (post back from there);
    // it gets the address of the returned Result.
    using Notify = std::function<void(const Result *result)>;
    // now: the caller's clock at submission; the writer's store uses it as "now" for the
    // batch (VM created/updated times), so no Clock is read from two threads.
    std::shared_ptr<Result> submit(QList<IncomingNotice> batch, const QDateTime &now,
                                   Notify notify);

private:
    NoticeWriter() = default;
    void run(StoreOptions options);

    struct Job
    {
        QList<IncomingNotice> batch;
        QDateTime now;
        std::shared_ptr<Result> result;
        Notify notify;
    };
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stop = false;
    bool m_opened = false;
    QString m_openError;
    std::thread m_thread;
};

} // namespace spotkeeper::core
