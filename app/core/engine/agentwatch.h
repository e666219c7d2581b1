// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

#include <QObject>
#include <QTimer>

// Silent agents (issue 17): a running VM whose agent has sent no heartbeat for
// silentIntervals heartbeat intervals gets agent_silent_since in the store, one Alert event
// ("agent_silent") and agentSilent(); when heartbeats come back the flag is cleared with a
// Heartbeat event ("agent_resumed") and agentResumed(). A VM that is not running (evicted,
// deallocated, stopped on purpose) is never alerted: its agent is expected to be quiet, and a
// flag set before it stopped is cleared ("agent_silence_cleared"). After a VM comes back to
// running its agent gets the same grace from the power change, so a restart does not alert
// while the agent boots. The verdict lives in the store, so a restarted server neither alerts
// twice nor forgets, and every reader (fleet view, operator API, /metrics) sees the same.
namespace spotkeeper::core {

class Store;

struct AgentWatchConfig
{
    qint64 heartbeatIntervalMs = 60'000; // the agents' heartbeat-interval
    int silentIntervals = 3; // 0 = never alert
    qint64 checkIntervalMs = 15'000; // how often the fleet is looked at
    qint64 silentAfterMs() const { return heartbeatIntervalMs * silentIntervals; }
};

class AgentWatch final : public QObject
{
    Q_OBJECT
public:
    AgentWatch(Store &store, base::Clock &clock, AgentWatchConfig config,
               QObject *parent = nullptr);
    ~AgentWatch() override;
    Q_DISABLE_COPY_MOVE(AgentWatch)

    const AgentWatchConfig &config() const { return m_config; }
    void start(); // checks now and every checkIntervalMs
    void stop();
    // One look at the fleet (the timer's work; tests call it with a ManualClock).
    void check();

Q_SIGNALS:
    void agentSilent(qint64 vmId, qint64 silentForMs);
    void agentResumed(qint64 vmId, qint64 silentForMs);

private:
    Store &m_store;
    base::Clock &m_clock;
    AgentWatchConfig m_config;
    QTimer m_timer;
};

} // namespace spotkeeper::core
