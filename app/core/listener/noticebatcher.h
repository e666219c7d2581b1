// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

// Group commit for verified notices: everything enqueued during one event-loop turn
// (or until maxBatch is reached) goes to Store::insertNotices in one transaction, and
// only then is each caller told the outcome, so a 2xx always means "durable".
// Duplicates inside one batch are resolved here (the later one reports Duplicate of
// the earlier one) so the store never sees the same notice twice in a transaction.
namespace spotkeeper::core {

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

    void enqueue(IncomingNotice notice, Done done);
    void flush(); // commits whatever is queued now
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
    void scheduleFlush();

    Store &m_store;
    int m_maxBatch;
    QList<Item> m_queue;
    QTimer m_window;
    qint64 m_batches = 0;
    qint64 m_largest = 0;
    qint64 m_notices = 0;
    qint64 m_commitUs = 0;
};

} // namespace spotkeeper::core
