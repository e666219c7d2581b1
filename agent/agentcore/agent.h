// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/agentconfig.h"
#include "agentcore/dashboardclient.h"
#include "agentcore/drainhook.h"
#include "agentcore/healthprobe.h"
#include "agentcore/noticedelivery.h"
#include "agentcore/noticesource.h"
#include "agentcore/noticespool.h"
#include "base/clock.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

// The running agent: wires a NoticeSource to the spool and delivery, sends
// heartbeats, and (optionally) runs the drain hook and approves Preempt/Terminate
// events once their notice is delivered. Each (EventId, EventStatus) for this VM is
// spooled once and delivered once; events that vanish from the source are pruned.
namespace spotkeeper::agent {

class Agent final : public QObject
{
    Q_OBJECT
public:
    // Builds the source config.cloud names (cloudselect.h) when source is null.
    Agent(const AgentConfig &config, std::unique_ptr<NoticeSource> source, const base::Clock &clock,
          quint32 seed, QObject *parent = nullptr);
    ~Agent() override;
    Q_DISABLE_COPY_MOVE(Agent)

    void setDeliveryTiming(const DeliveryTiming &timing); // before start(); tests shorten it
    // Loads the spool (a corrupt one is moved aside); false if that fails too.
    bool start(QString *error);
    void shutdown(); // stop everything and write the spool

    NoticeSpool &spool() { return m_spool; }
    NoticeSource &source() { return *m_source; }
    HealthProbe *healthProbe() { return m_health.get(); } // null without a probe

signals:
    void noticeQueued(const spotkeeper::agent::SpoolEntry &entry);
    void noticeDelivered(const spotkeeper::agent::SpoolEntry &entry, bool duplicate);
    void heartbeatSent(int httpStatus);
    void eventAcknowledged(const QString &eventId, bool ok);

private:
    void handleSnapshot(const EventSnapshot &snapshot);
    void handleDelivered(const SpoolEntry &entry, bool duplicate);
    void acknowledgeNext();
    void sendHeartbeat();

    AgentConfig m_config;
    const base::Clock &m_clock;
    quint32 m_seed;
    std::unique_ptr<NoticeSource> m_source;
    NoticeSpool m_spool;
    DashboardClient m_client;
    std::unique_ptr<NoticeDelivery> m_delivery;
    DeliveryTiming m_deliveryTiming;
    DrainHook m_drainHook;
    std::unique_ptr<HealthProbe> m_health;
    QTimer m_heartbeatTimer;
    QElapsedTimer m_uptime;
    bool m_processedOnce = false;
    qint64 m_lastIncarnation = 0;
    QList<protocol::ScheduledEvent> m_currentEvents;
    QList<QString> m_ackQueue; // EventIds waiting for drain hook + approval
    QSet<QString> m_ackAttempted;
    bool m_ackBusy = false;
    bool m_stopped = false;
};

} // namespace spotkeeper::agent
