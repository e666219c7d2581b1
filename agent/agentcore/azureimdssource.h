// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/backoff.h"
#include "agentcore/imdsclient.h"
#include "agentcore/metadatasource.h"
#include "agentcore/scheduledevents.h"
#include "base/clock.h"

#include <QElapsedTimer>
#include <QTimer>

#include <functional>

// Azure's NoticeSource: identity from IMDS instance metadata, then Scheduled Events
// polled at a fixed start-to-start interval. The first Scheduled Events call gets a
// long timeout (IMDS enables the service on it and may take two minutes), later ones
// a short one. Errors (429, 410, 5xx, timeouts, bad JSON) back off with jitter and
// the loop never stops; one unreadable event is not an error of the poll: the others
// are reported at once and the poll outcome names the unreadable one; consecutive requests are at
// least 200 ms apart so the agent stays under IMDS's 5 requests per second.
namespace spotkeeper::agent {

struct ImdsTiming
{
    int pollIntervalMs = 1000;
    int firstPollTimeoutMs = 120'000;
    int pollTimeoutMs = 5'000;
    int identityTimeoutMs = 5'000;
    int errorBackoffBaseMs = 1'000;
    int errorBackoffCapMs = 30'000;
    int identityBackoffCapMs = 60'000;
};

class AzureImdsSource final : public MetadataSource
{
    Q_OBJECT
public:
    AzureImdsSource(const QUrl &imdsUrl, const ImdsTiming &timing, quint32 seed,
                    const base::Clock &clock, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AzureImdsSource)

    void start() override;
    void stop() override;
    void acknowledge(const QString &eventId,
                     std::function<void(bool ok, const QString &error)> done) override;

    int requestsSent() const { return m_client.requestsSent(); }

    static constexpr int kMinRequestGapMs = 200;

private:
    void fetchIdentity();
    void handleIdentity(const ImdsReply &reply);
    void poll();
    void handlePoll(const ImdsReply &reply);
    void reportUnreadable(const QList<UnreadableEvent> &events);
    void scheduleNext(int delayMs);

    ImdsClient m_client;
    ImdsTiming m_timing;
    Backoff m_pollBackoff;
    QTimer m_timer;
    QElapsedTimer m_sinceLastStart;
    bool m_running = false;
    bool m_answeredOnce = false; // Scheduled Events has answered 200 at least once
    qint64 m_lastIncarnation = -1;
    QString m_lastUnreadableReport; // last logged, so a bad event is not logged every second
};

} // namespace spotkeeper::agent
