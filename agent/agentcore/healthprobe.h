// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/boundedcommand.h"
#include "agentcore/healthprobeconfig.h"
#include "base/clock.h"
#include "protocol/messages.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>

#include <optional>

class QTcpSocket;

// Runs the application health probe every interval (the first one at start()) and keeps the
// last result, which the agent puts into its heartbeats. Each probe is bounded by the
// timeout: HTTP(S) GET healthy on the expected status (any 2xx by default), TCP healthy once
// connected, a command healthy on exit status 0 (run as the drain hook is, boundedcommand.h,
// with its output dropped and SPOTKEEPER_PROBE=1 set). A probe still running when the next
// is due is not doubled: the next starts after it ended.
namespace spotkeeper::agent {

class HealthProbe final : public QObject
{
    Q_OBJECT
public:
    HealthProbe(const HealthProbeConfig &config, const base::Clock &clock,
                QObject *parent = nullptr);
    ~HealthProbe() override;
    Q_DISABLE_COPY_MOVE(HealthProbe)

    void start(); // probe now and then every interval
    void stop();
    void probeNow(); // one probe now, unless one is running (tests call it directly)
    const protocol::AppHealth &current() const { return m_current; }

signals:
    void probed(const spotkeeper::protocol::AppHealth &result);
    // Healthy <-> unhealthy (or the first result): the agent tells the dashboard at once.
    void stateChanged(const spotkeeper::protocol::AppHealth &result);

private:
    void probeHttp();
    void probeTcp();
    void probeCommand();
    void finish(bool healthy, const QString &detail);

    HealthProbeConfig m_config;
    const base::Clock &m_clock;
    protocol::AppHealth m_current;
    QTimer m_interval;
    QTimer m_deadline; // tcp
    QElapsedTimer m_elapsed;
    bool m_running = false;
    quint64 m_generation = 0; // a late answer of a timed-out or stopped probe is dropped
    QPointer<QTcpSocket> m_socket;
    BoundedCommand m_command;
    std::optional<QSslConfiguration> m_ssl; // https only
};

} // namespace spotkeeper::agent
