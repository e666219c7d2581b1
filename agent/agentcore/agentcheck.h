// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/agentconfig.h"
#include "agentcore/dashboardclient.h"
#include "agentcore/imdsclient.h"
#include "agentcore/noticesource.h"
#include "base/clock.h"
#include "protocol/messages.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

// `spotkeeper-agent --check`: the first thing an operator runs after installing.
// Reads the instance metadata, polls Scheduled Events once, checks the spool
// directory, and sends a signed test heartbeat; prints one "OK|FAIL <check>: <why>"
// line per check and finishes with the number of failures (0 = all passed). With
// cloud = gcp or auto the first two are done by the configured notice source instead
// (identity, then its first answer about events), within first-poll-timeout.
namespace spotkeeper::agent {

class AgentCheck final : public QObject
{
    Q_OBJECT
public:
    using LineSink = std::function<void(const QString &line)>;

    AgentCheck(const AgentConfig &config, const base::Clock &clock, LineSink sink,
               QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AgentCheck)

    void run(std::function<void(int failures)> finished);

private:
    void report(bool ok, const QString &check, const QString &detail);
    void checkIdentity();
    void checkScheduledEvents();
    void checkWithSource(); // cloud gcp/auto: the notice source reads identity and events
    void finishSourceCheck(bool timedOut);
    void checkSpool();
    void checkDashboard();

    AgentConfig m_config;
    const base::Clock &m_clock;
    LineSink m_sink;
    ImdsClient m_imds;
    DashboardClient m_dashboard;
    std::function<void(int)> m_finished;
    std::unique_ptr<NoticeSource> m_source; // cloud gcp/auto only
    QTimer m_sourceDeadline;
    bool m_sourceDone = false;
    protocol::VmIdentity m_vm;
    bool m_identityKnown = false;
    QString m_identityError;
    protocol::PollOutcome m_poll;
    int m_failures = 0;
    int m_checks = 0;
};

} // namespace spotkeeper::agent
