// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "protocol/webhooksignature.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUrl>

// In-process stand-ins for spotkeeper-agent, for scale and for the demo: each watches one
// simulated VM's Scheduled Events (straight from the model, not over HTTP) and POSTs
// signed notices and heartbeats to the dashboard exactly as the real agent does
// (protocol library: same JSON, same Standard Webhooks headers, same routes). A notice is
// re-sent with the same webhook-id until the dashboard answers 2xx; those answers are the
// "acknowledged notices" the chaos test checks against the store.
namespace spotkeeper::sim {

class FleetModel;

struct AckedNotice
{
    QString vmKey;
    QString eventId;
    qint64 wallMs = 0;
};

class SimAgents final : public QObject
{
    Q_OBJECT
public:
    // Several dashboard URLs (replicas): each request goes to the next one, round robin.
    SimAgents(FleetModel &model, const base::Clock &wallClock, QList<QUrl> dashboardUrls,
              QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SimAgents)

    void addAgent(int vmIndex, const protocol::AgentCredential &credential);
    int agentCount() const { return int(m_agents.size()); }
    void start(int pollIntervalMs = 1000, int heartbeatIntervalMs = 60'000);
    void poll(); // one pass over every agent (also driven by the timer)

    const QList<AckedNotice> &acknowledged() const { return m_acked; }
    qint64 noticesSent() const { return m_sent; }
    qint64 deliveryFailures() const { return m_failures; }
    qint64 heartbeatsAcked() const { return m_heartbeats; }

private:
    struct Agent
    {
        int vm = -1;
        protocol::AgentCredential credential;
        QSet<QString> delivered; // event ids the dashboard acknowledged
        QSet<QString> inFlight;
        // Notices seen but not yet acknowledged, kept (like the real agent's spool) even
        // after the event left the document: eventId -> encoded body.
        QHash<QString, QByteArray> pending;
        qint64 nextHeartbeatMs = 0;
        qint64 startedMs = 0;
    };
    void sendNotice(Agent &agent, const QString &eventId);
    void sendHeartbeat(Agent &agent);
    void post(const QString &route, const protocol::AgentCredential &credential,
              const QByteArray &body, const QByteArray &webhookId,
              std::function<void(bool delivered)> done);

    FleetModel &m_model;
    const base::Clock &m_wall;
    QList<QUrl> m_dashboards;
    qsizetype m_nextDashboard = 0;
    QNetworkAccessManager m_network;
    std::vector<Agent> m_agents;
    QList<AckedNotice> m_acked;
    QTimer m_timer;
    int m_heartbeatIntervalMs = 60'000;
    qint64 m_sent = 0;
    qint64 m_failures = 0;
    qint64 m_heartbeats = 0;
};

} // namespace spotkeeper::sim
