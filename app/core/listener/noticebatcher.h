// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "store/store.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

// Group commit for verified notices: everything enqueued during one event-loop turn
// (or until maxBatch is reached) goes to Store::insertNotices in one transaction, and
// only then is each caller told the outcome, so a 2xx always means "durable".
// Duplicates inside one batch are resolved here (the later one reports Duplicate of
// the earlier one) so the store never sees the same notice twice in a transaction.
// With useWriterThread() the transaction runs on a NoticeWriter thread: one batch is
// in flight at a time and what arrives meanwhile is the next batch, committed as soon
// as the previous one is (the event loop never waits for an fsync). Without it (or
// for an in-memory store) the commit runs on the caller's thread.
namespace spotkeeper::core {

class NoticeWriter;

class NoticeBatcher final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const NoticeOutcome &outcome, const IncomingNotice &notice)>;

    // windowMs 0: commit at the next event-loop turn; > 0: wait that long for more
    // notices to join the transaction (fewer fsyncs under load, +windowMs latency).
    explicit NoticeBatcher(Store &store, int maxBatch = 256, int windowMs = 0,
                           QObject *parent = nullptr);
    ~NoticeBatcher() override;
    Q_DISABLE_COPY_MOVE(NoticeBatcher)

    // Commits on a thread with its own connection to the store's file; false (and
    // *error) when the store has none (":memory:"): commits stay on this thread.
    bool useWriterThread(const StoreOptions &store, base::Clock *clock, QString *error);
    bool hasWriterThread() const { return m_writer != nullptr; }

    void enqueue(IncomingNotice notice, Done done);
    // Commits whatever is queued now and waits for the batch in flight: when it returns,
    // every enqueued notice has been answered.
    void flush();
    int pending() const { return int(m_queue.size()); }
    qint64 batches() const { return m_batches; }
    qint64 largestBatch() const { return m_largest; }
    qint64 notices() const { return m_notices; }
    qint64 commitMicroseconds() const { return m_commitUs; } // time spent in insertNotices

signals:
    void batchCommitted(int size, int inserted, int duplicates, int failed);

private:
    struct Item
    {
        IncomingNotice notice;
        Done done;
    };
    // One transaction's worth: the items, and for each the batch row it maps to.
    struct Prepared
    {
        QList<Item> items;
        QList<IncomingNotice> batch; // without in-batch duplicates
        QList<qsizetype> firstOf; // index of the earlier item with the same key, or -1
        QList<qsizetype> batchIndex; // row in batch, or -1
    };
    struct InFlight;
    void scheduleFlush();
    void startBatch();
    Prepared prepare();
    void finish(const Prepared &prepared, const QList<NoticeOutcome> &outcomes,
                qint64 commitMicroseconds);
    void completeInFlight(const void *result);

    Store &m_store;
    int m_maxBatch;
    QList<Item> m_queue;
    QTimer m_window;
    std::unique_ptr<NoticeWriter> m_writer;
    base::Clock *m_clock = nullptr; // the listener's, read on this thread only
    std::unique_ptr<InFlight> m_inFlight;
    qint64 m_batches = 0;
    qint64 m_largest = 0;
    qint64 m_notices = 0;
    qint64 m_commitUs = 0;
};

} // namespace spotkeeper::core
