// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "noticebatcher.h"

#include <QElapsedTimer>

#include <algorithm>

namespace spotkeeper::core {

NoticeBatcher::NoticeBatcher(Store &store, int maxBatch, int windowMs, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_maxBatch(std::max(1, maxBatch))
{
    m_window.setSingleShot(true);
    m_window.setTimerType(Qt::PreciseTimer);
    m_window.setInterval(std::max(0, windowMs));
    connect(&m_window, &QTimer::timeout, this, &NoticeBatcher::flush);
}

NoticeBatcher::~NoticeBatcher() = default;

void NoticeBatcher::enqueue(IncomingNotice notice, Done done)
{
    m_queue.append(Item {std::move(notice), std::move(done)});
    if (m_queue.size() >= m_maxBatch)
        flush();
    else
        scheduleFlush();
}

void NoticeBatcher::scheduleFlush()
{
    // A timer fires after the sockets that are readable now were served, which is what
    // groups concurrent notices into one transaction.
    if (!m_window.isActive())
        m_window.start();
}

void NoticeBatcher::flush()
{
    m_window.stop();
    if (m_queue.isEmpty())
        return;
    const QList<Item> items = std::exchange(m_queue, {});

    // Resolve duplicates inside the batch: index of the first item with the same key.
    QList<qsizetype> firstOf(items.size(), -1);
    QList<IncomingNotice> batch;
    QList<qsizetype> batchIndex(items.size(), -1);
    QHash<QString, qsizetype> byWebhookId;
    QHash<QString, qsizetype> byEvent;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const IncomingNotice &n = items.at(i).notice;
        const QString eventKey = n.vmResourceKey + u'\n' + n.event.eventId;
        qsizetype first = byWebhookId.value(n.webhookId, -1);
        if (first < 0 && !n.event.eventId.isEmpty())
            first = byEvent.value(eventKey, -1);
        if (first >= 0) {
            firstOf[i] = first;
            continue;
        }
        byWebhookId.insert(n.webhookId, i);
        if (!n.event.eventId.isEmpty())
            byEvent.insert(eventKey, i);
        batchIndex[i] = batch.size();
        batch.append(n);
    }

    QElapsedTimer timer;
    timer.start();
    QList<NoticeOutcome> outcomes = m_store.insertNotices(batch);
    m_commitUs += timer.nsecsElapsed() / 1000;
    m_notices += items.size();
    ++m_batches;
    m_largest = std::max<qint64>(m_largest, batch.size());

    int inserted = 0;
    int duplicates = 0;
    int failed = 0;
    QList<NoticeOutcome> results(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        NoticeOutcome outcome;
        if (firstOf[i] >= 0) {
            const qsizetype b = batchIndex[firstOf[i]];
            outcome = b < outcomes.size() ? outcomes.at(b) : NoticeOutcome {};
            if (outcome.status != NoticeOutcome::Status::Failed)
                outcome.status = NoticeOutcome::Status::Duplicate;
        } else {
            const qsizetype b = batchIndex[i];
            // A store that answered fewer outcomes than notices failed the batch.
            outcome = b < outcomes.size() ? outcomes.at(b) : NoticeOutcome {};
        }
        switch (outcome.status) {
        case NoticeOutcome::Status::Inserted:
            ++inserted;
            break;
        case NoticeOutcome::Status::Duplicate:
            ++duplicates;
            break;
        case NoticeOutcome::Status::Failed:
            ++failed;
            break;
        }
        results[i] = outcome;
    }
    emit batchCommitted(int(items.size()), inserted, duplicates, failed);
    for (qsizetype i = 0; i < items.size(); ++i)
        items.at(i).done(results.at(i), items.at(i).notice);
}

} // namespace spotkeeper::core
