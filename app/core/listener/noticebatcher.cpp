// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/noticebatcher.h"

#include "base/clock.h"
#include "listener/noticewriter.h"

#include <QElapsedTimer>

#include <algorithm>

namespace spotkeeper::core {

struct NoticeBatcher::InFlight
{
    Prepared prepared;
    std::shared_ptr<NoticeWriter::Result> result;
};

NoticeBatcher::NoticeBatcher(Store &store, int maxBatch, int windowMs, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_maxBatch(std::max(1, maxBatch))
{
    m_window.setSingleShot(true);
    m_window.setTimerType(Qt::PreciseTimer);
    m_window.setInterval(std::max(0, windowMs));
    connect(&m_window, &QTimer::timeout, this, &NoticeBatcher::startBatch);
}

NoticeBatcher::~NoticeBatcher()
{
    // Joins the thread while this object is whole: a completion it posts meanwhile is
    // dropped with the object's pending events.
    m_writer.reset();
}

bool NoticeBatcher::useWriterThread(const StoreOptions &store, base::Clock *clock, QString *error)
{
    flush();
    m_clock = clock;
    m_writer = NoticeWriter::start(store, error);
    return m_writer != nullptr;
}

void NoticeBatcher::enqueue(IncomingNotice notice, Done done)
{
    m_queue.append(Item {std::move(notice), std::move(done)});
    if (m_inFlight)
        return; // joins the batch that starts when the one in flight is committed
    if (m_queue.size() >= m_maxBatch)
        startBatch();
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
    for (;;) {
        if (m_inFlight) {
            m_inFlight->result->wait();
            completeInFlight(m_inFlight->result.get());
            continue;
        }
        if (m_queue.isEmpty())
            return;
        startBatch();
    }
}

void NoticeBatcher::startBatch()
{
    m_window.stop();
    if (m_inFlight || m_queue.isEmpty())
        return;
    Prepared prepared = prepare();
    if (!m_writer) {
        QElapsedTimer timer;
        timer.start();
        const QList<NoticeOutcome> outcomes = m_store.insertNotices(prepared.batch);
        finish(prepared, outcomes, timer.nsecsElapsed() / 1000);
        if (!m_queue.isEmpty())
            scheduleFlush();
        return;
    }
    auto inFlight = std::make_unique<InFlight>();
    inFlight->prepared = std::move(prepared);
    const QList<IncomingNotice> batch = inFlight->prepared.batch;
    m_inFlight = std::move(inFlight);
    // The writer thread posts the completion back to this thread (the writer is joined
    // before this object goes away, see the destructor).
    const QDateTime now = m_clock ? m_clock->nowUtc() : QDateTime::currentDateTimeUtc();
    m_inFlight->result = m_writer->submit(batch, now, [this](const NoticeWriter::Result *result) {
        QMetaObject::invokeMethod(
            this, [this, result] { completeInFlight(result); }, Qt::QueuedConnection);
    });
}

void NoticeBatcher::completeInFlight(const void *result)
{
    if (!m_inFlight || m_inFlight->result.get() != result)
        return; // flush() already completed it
    QList<NoticeOutcome> outcomes;
    qint64 us = 0;
    {
        std::lock_guard lock(m_inFlight->result->mutex);
        if (!m_inFlight->result->done)
            return; // a stale post for a reused address: the real one follows
        outcomes = std::move(m_inFlight->result->outcomes);
        us = m_inFlight->result->commitMicroseconds;
    }
    const std::unique_ptr<InFlight> done = std::move(m_inFlight);
    finish(done->prepared, outcomes, us);
    // What arrived during the commit is the next group: commit it now.
    if (!m_queue.isEmpty())
        startBatch();
}

NoticeBatcher::Prepared NoticeBatcher::prepare()
{
    Prepared p;
    const qsizetype take = std::min<qsizetype>(m_queue.size(), m_maxBatch);
    p.items = m_queue.mid(0, take);
    m_queue.remove(0, take);

    // Resolve duplicates inside the batch: index of the first item with the same key.
    p.firstOf = QList<qsizetype>(p.items.size(), -1);
    p.batchIndex = QList<qsizetype>(p.items.size(), -1);
    p.batch.reserve(p.items.size());
    QHash<QString, qsizetype> byWebhookId;
    QHash<QString, qsizetype> byEvent;
    for (qsizetype i = 0; i < p.items.size(); ++i) {
        const IncomingNotice &n = p.items.at(i).notice;
        // The store's rules (schema v6), per VM: webhook-id, and (EventId, EventStatus).
        const QString vm = n.vmResourceKey.toLower() + u'\n';
        const QString webhookKey = vm + n.webhookId;
        const QString eventKey = vm + n.event.eventId + u'\n' + n.event.eventStatus;
        qsizetype first = n.webhookId.isEmpty() ? -1 : byWebhookId.value(webhookKey, -1);
        if (first < 0 && !n.event.eventId.isEmpty())
            first = byEvent.value(eventKey, -1);
        if (first >= 0) {
            p.firstOf[i] = first;
            continue;
        }
        if (!n.webhookId.isEmpty())
            byWebhookId.insert(webhookKey, i);
        if (!n.event.eventId.isEmpty())
            byEvent.insert(eventKey, i);
        p.batchIndex[i] = p.batch.size();
        p.batch.append(n);
    }
    return p;
}

void NoticeBatcher::finish(const Prepared &p, const QList<NoticeOutcome> &outcomes,
                           qint64 commitMicroseconds)
{
    m_commitUs += commitMicroseconds;
    m_notices += p.items.size();
    ++m_batches;
    m_largest = std::max<qint64>(m_largest, p.batch.size());

    int inserted = 0;
    int duplicates = 0;
    int failed = 0;
    QList<NoticeOutcome> results(p.items.size());
    for (qsizetype i = 0; i < p.items.size(); ++i) {
        NoticeOutcome outcome;
        if (p.firstOf[i] >= 0) {
            const qsizetype b = p.batchIndex[p.firstOf[i]];
            outcome = b < outcomes.size() ? outcomes.at(b) : NoticeOutcome {};
            if (outcome.status != NoticeOutcome::Status::Failed)
                outcome.status = NoticeOutcome::Status::Duplicate;
        } else {
            const qsizetype b = p.batchIndex[i];
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
    emit batchCommitted(int(p.items.size()), inserted, duplicates, failed);
    for (qsizetype i = 0; i < p.items.size(); ++i)
        p.items.at(i).done(results.at(i), p.items.at(i).notice);
}

} // namespace spotkeeper::core
