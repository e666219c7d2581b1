// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/noticedelivery.h"

#include "agentcore/agentlog.h"

#include <QPointer>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

NoticeDelivery::NoticeDelivery(DashboardClient &client, NoticeSpool &spool,
                               const DeliveryTiming &timing, quint32 seed, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_spool(spool)
    , m_backoff(timing.retryBaseMs, timing.retryCapMs, seed)
    , m_configBackoff(timing.configErrorBaseMs, timing.configErrorCapMs, seed ^ 0x5bd1e995U)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &NoticeDelivery::kick);
}

void NoticeDelivery::stop()
{
    m_stopped = true;
    m_retryTimer.stop();
}

void NoticeDelivery::kick()
{
    if (m_stopped || m_inFlight || m_retryTimer.isActive())
        return;
    const QList<SpoolEntry> pending = m_spool.pending();
    if (pending.isEmpty())
        return;
    const SpoolEntry &entry = pending.first();
    m_inFlight = true;
    m_spool.recordAttempt(entry.webhookId);
    const QString id = entry.webhookId;
    QPointer<NoticeDelivery> self(this);
    m_client.post(Route::Notice, entry.body, id.toUtf8(), [self, id](const PostResult &result) {
        if (self)
            self->handleResult(id, result);
    });
}

void NoticeDelivery::handleResult(const QString &webhookId, const PostResult &result)
{
    m_inFlight = false;
    if (m_stopped)
        return;
    const SpoolEntry *found = m_spool.find(webhookId);
    if (!found) { // pruned while in flight: its event is gone, nothing left to do
        kick();
        return;
    }
    const SpoolEntry entry = *found;
    const QString what = u"%1 %2 %3 (notice %4)"_s.arg(entry.eventType, entry.eventId,
                                                       entry.eventStatus, entry.webhookId);
    if (result.delivered()) {
        QString error;
        if (!m_spool.markDelivered(webhookId, &error))
            qCWarning(lcAgent).noquote() << u"spool: "_s << error;
        qCInfo(lcAgent).noquote() << u"delivery: %1 delivered after %2 attempt(s)%3"_s.arg(what)
                                         .arg(entry.attempts)
                                         .arg(result.duplicate ? u", the dashboard already had it"_s
                                                               : QString());
        m_backoff.reset();
        m_configBackoff.reset();
        SpoolEntry done = entry;
        done.delivered = true;
        emit noticeDelivered(done, result.duplicate);
        kick();
        return;
    }
    int delay = 0;
    if (result.configurationError()) {
        delay = m_configBackoff.nextDelayMs();
        qCWarning(lcAgent).noquote()
            << u"delivery: %1 refused by the dashboard: %2 - a configuration error (agent "
               "key, dashboard URL or VM binding); retrying in %3 ms"_s.arg(what, result.error)
                   .arg(delay);
    } else {
        delay = m_backoff.nextDelayMs();
        qCWarning(lcAgent).noquote()
            << u"delivery: %1 failed: %2; retry %3 in %4 ms"_s.arg(what, result.error)
                   .arg(m_backoff.failures())
                   .arg(delay);
    }
    m_retryTimer.start(delay);
}

} // namespace spotkeeper::agent
