// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/fleetoperations.h"

#include <QObject>
#include <QTimer>

#include <functional>

// Application health on running VMs (issue 17, docs/ENGINE.md "Application health"): a VM
// without a restart job whose agent's probe has reported unhealthy for unhealthyAfterMs gets
// one Alert event ("app_unhealthy") per episode (an episode ends when the probe reports
// something else). A VM that opted in (the restart tag, or every VM) is also restarted through
// the cloud (RestartEngine::restartForAppHealth: audited, within the ARM budgets), at most
// restartsPerHour times in an hour and not again within unhealthyAfterMs of the last one; when
// the limit stops a restart the application still needs, one more Alert (status
// "restart_limit") says so, once until the next restart.
// Everything it decides from lives in the store (the VM row, its events), so a restarted or
// second server neither alerts twice nor restarts more often.
namespace spotkeeper::core {

class Store;

// A duration as the application health messages name it: "45 s", "90 s", "5 min" (floor).
QString appHealthDuration(qint64 ms);

struct AppHealthWatchConfig
{
    enum class Restart { Off, Tagged, All };
    qint64 unhealthyAfterMs = 5 * 60'000; // 0 = never alert (nor restart)
    Restart restart = Restart::Tagged;
    QString restartTag = QStringLiteral("spotkeeper-app-restart"); // value true opts a VM in
    int restartsPerHour = 2;
    qint64 checkIntervalMs = 30'000;
};

class AppHealthWatch final : public QObject
{
    Q_OBJECT
public:
    // restart: the engine's remedy; empty (an observing host) means alert only.
    using Restarter = std::function<OperationResult(qint64 vmId, const QString &why)>;
    AppHealthWatch(Store &store, base::Clock &clock, AppHealthWatchConfig config, Restarter restart,
                   QObject *parent = nullptr);
    ~AppHealthWatch() override;
    Q_DISABLE_COPY_MOVE(AppHealthWatch)

    const AppHealthWatchConfig &config() const { return m_config; }
    void start(); // checks now and every checkIntervalMs
    void stop();
    void check(); // one look at the fleet (the timer's work; tests call it)
    bool optedIn(const VmRecord &vm) const;

Q_SIGNALS:
    void applicationUnhealthy(qint64 vmId, qint64 unhealthyForMs);
    void restartRequested(qint64 vmId);

private:
    void checkVm(const VmRecord &vm, const QDateTime &now);
    void alert(const VmRecord &vm, const QDateTime &now, qint64 unhealthyForMs,
               const QString &message, const QString &status);

    Store &m_store;
    base::Clock &m_clock;
    AppHealthWatchConfig m_config;
    Restarter m_restart;
    QTimer m_timer;
};

} // namespace spotkeeper::core
