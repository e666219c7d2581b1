// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/backoff.h"
#include "agentcore/dashboardclient.h"
#include "agentcore/noticespool.h"

#include <QObject>
#include <QTimer>

// Delivers the spool's pending notices to the dashboard, oldest first, one request at
// a time, until each is acknowledged with a 2xx (a 200 {"duplicate":true} counts) or
// its event is pruned from the spool because IMDS no longer lists it. Failures back
// off with jitter: transport errors, 408, 429 and 5xx quickly; other 4xx (a wrong key,
// URL or VM binding) are logged as configuration errors and retried slowly, since an
// operator may fix the dashboard side without touching the VM.
namespace spotkeeper::agent {

struct DeliveryTiming
{
    int retryBaseMs = 500;
    int retryCapMs = 30'000;
    int configErrorBaseMs = 30'000;
    int configErrorCapMs = 300'000;
};

class NoticeDelivery final : public QObject
{
    Q_OBJECT
public:
    NoticeDelivery(DashboardClient &client, NoticeSpool &spool, const DeliveryTiming &timing,
                   quint32 seed, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(NoticeDelivery)

    void kick(); // deliver now unless a request is in flight or a retry is scheduled
    void stop();
    bool idle() const { return !m_inFlight && !m_retryTimer.isActive(); }

signals:
    void noticeDelivered(const spotkeeper::agent::SpoolEntry &entry, bool duplicate);

private:
    void handleResult(const QString &webhookId, const PostResult &result);

    DashboardClient &m_client;
    NoticeSpool &m_spool;
    Backoff m_backoff;
    Backoff m_configBackoff;
    QTimer m_retryTimer;
    bool m_inFlight = false;
    bool m_stopped = false;
};

} // namespace spotkeeper::agent
