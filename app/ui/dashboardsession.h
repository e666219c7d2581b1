// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/fleettypes.h"
#include "ui/dashboardsettings.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace spotkeeper::core {
class EngineHost;
class Store;
struct EngineHostConfig;
} // namespace spotkeeper::core

namespace spotkeeper::gui {

class FleetSource;
class LocalFleetSource;

// Everything the in-process dashboard runs besides the window: the store, a core::EngineHost
// (the Azure provider in DefaultAzureCredential order: environment, Azure CLI, managed
// identity only with SPOTKEEPER_MANAGED_IDENTITY=on; the restart engine; the reconciler over
// the configured subscriptions; the webhook listener on the configured address and port,
// 127.0.0.1:8443 by default) and the LocalFleetSource the views read, with the engine's,
// reconciler's and listener's signals turned into the source's change signals. A busy port
// or a bad certificate only turns the listener off (the status bar says why). With Azure
// credentials off ("none") the host only observes: the listener still stores notices, no
// engine runs, and the status says that nothing can be restarted. main.cpp only creates one
// of these and a MainWindow over source(), and calls shutdown() when the app quits (and
// quits when stopped() says the drain is done).
class DashboardSession final : public QObject
{
    Q_OBJECT
public:
    explicit DashboardSession(base::Clock &clock, QObject *parent = nullptr);
    ~DashboardSession() override;
    Q_DISABLE_COPY_MOVE(DashboardSession)

    // Opens the store at settings.storePath (default: AppDataLocation/spotkeeper.db).
    bool open(const DashboardSettings &settings, QString *error);
    FleetSource &source();
    core::Store *store() const { return m_store.get(); }
    core::EngineHost *host() const { return m_host.get(); } // set by open()
    static QString defaultStorePath();
    // The notification channels of Settings -> Notifications, their secrets read from the
    // SecretStore: the engine's notifier is rebuilt with them (no restart). notifyProblem()
    // says what kept a channel from running (never a secret); empty when all run.
    void applyNotify(const QList<core::NotifyChannel> &channels, core::SecretStore &secrets);
    QString notifyProblem() const { return m_notifyProblem; }
    // Drains the host: no new connections, in-flight requests answered, the current group
    // commit written, engine and reconciler timers stopped, job leases released. It does
    // not wait: stopped() is emitted when that is done (at once when nothing was open; at
    // the latest at the listener's read deadline). Safe to call twice; stopped() comes once.
    void shutdown();
    bool isStopped() const;

Q_SIGNALS:
    void stopped();
    void notifyApplied(const QString &problem); // after applyNotify, empty when all run

public:
    // The ARM budget shown in the status bar is re-read this often (ms; before open()).
    void setBudgetRefreshMs(int ms);
    // Before open(): what the engine's configuration gets beyond the Settings (the demo's
    // [gcp] settings pointing at the simulator), applied last.
    void setEngineOverlay(std::function<void(core::EngineHostConfig &)> overlay)
    {
        m_overlay = std::move(overlay);
    }

private:
    base::Clock &m_clock;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<LocalFleetSource> m_source;
    std::unique_ptr<core::EngineHost> m_host;
    std::function<void(core::EngineHostConfig &)> m_overlay;

    void startEngine(const DashboardSettings &settings);
    void announceStopped();
    bool m_stoppedAnnounced = false;
    void wireEngine();
    void refreshBudget(); // the ARM budget, and the credential when its token nears expiry
    void refreshCredentials();
    QDateTime m_credentialsCheckedAt;
    std::unique_ptr<QTimer> m_budgetTimer;
    int m_budgetRefreshMs = 2000;
    void notifyLatestEvent(qint64 vmId, core::EventKind kind);
    QString m_notifyProblem;
    quint64 m_notifyGeneration = 0; // the newest applyNotify wins over a slower keychain read
};

} // namespace spotkeeper::gui
