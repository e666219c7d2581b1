// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/enginehostconfig.h"
#include "fleet/ratebudget.h"

#include <QObject>
#include <QTimer>

#include <memory>

// The running engine both shells host: over one Store, the Azure provider (from the
// EngineHostConfig's [azure] settings and the process environment) behind a CloudRouter
// (each VM's calls go to its cloud's provider), the restart engine, the
// reconciler, the engine metrics and the webhook listener on its HttpServer.
// spotkeeperd calls start() and exits on a false; the dashboard calls prepare(), then
// listen() (a busy port only turns the listener off), then startEngine().
// stop() drains: no new connections, queued notices committed and answered, open requests
// finished (bounded by the read deadline); then the listener, the reconciler and the engine
// are shut down (their timers stop, the engine's job leases are released so another engine
// takes over at once) and drained() is emitted. After that only config() and the (closed)
// server remain; the other accessors return null.
class QProcessEnvironment;

namespace spotkeeper::http {
class CertificateReloader;
class HttpServer;
} // namespace spotkeeper::http

namespace spotkeeper::gcp {
class ComputeCloudProvider;
}

namespace spotkeeper::core {

namespace aws {
class Ec2CloudProvider;
}

class AgentWatch;
class AppHealthWatch;
class ArmCloudProvider;
class CloudRouter;
class EngineIdentity;
class EngineMetrics;
class FleetOperations;
class Notifier;
class PriceRefresher;
class SpotRiskRefresher;
class Reconciler;
class RestartEngine;
class Store;
class StoreRateBudgets;
class WebhookListener;

// The ARM budgets of a configuration ([engine] in spotkeeperd.conf, Settings -> Budgets):
// what both the restart engine and the ARM request queue pace by.
ArmBudgets armBudgets(const EngineHostConfig &config);

struct EngineHostOptions
{
    // A workstation is no Azure VM: probing the metadata endpoint for a managed identity
    // would only time out (the dashboard sets this unless SPOTKEEPER_MANAGED_IDENTITY=on).
    bool excludeManagedIdentity = false;
    // The dashboard keeps running (observe only) on a bad Azure setting: the provider is
    // created with the defaults and azureConfigError() says what is wrong.
    bool tolerateAzureConfigError = false;
    // Credentials turned off (the dashboard's "none"): no Azure provider, restart engine or
    // reconciler; the listener still verifies and stores notices and heartbeats, and every
    // operator action answers that this host only observes. engine()/cloud() are null.
    bool observeOnly = false;
};

class EngineHost final : public QObject
{
    Q_OBJECT
public:
    EngineHost(EngineHostConfig config, Store &store, base::Clock &clock,
               EngineHostOptions options = {}, QObject *parent = nullptr);
    ~EngineHost() override;
    Q_DISABLE_COPY_MOVE(EngineHost)

    // prepare() + listen() + startEngine(); false with a message saying what to fix.
    bool start(QString *error);
    // Builds everything without binding or starting: refuses an unreadable legacy webhook key or
    // client secret file, a bad certificate or (unless tolerated) a bad Azure setting.
    bool prepare(QString *error);
    bool listen(QString *error);
    void startEngine();
    void stop();
    bool isStopped() const { return m_stopped; }

    const EngineHostConfig &config() const { return m_config; }
    RestartEngine *engine() const { return m_engine.get(); }
    Reconciler *reconciler() const { return m_reconciler.get(); }
    AgentWatch *agentWatch() const { return m_agentWatch.get(); }
    AppHealthWatch *appHealthWatch() const { return m_appHealthWatch.get(); }
    Notifier *notifier() const { return m_notifier.get(); } // null without [notify] channels
    // The dashboard's channels (Settings -> Notifications) with their secrets from the
    // keychain, replacing the notifier at once (pending outbox rows stay; a running host
    // starts the new one). No channels: no notifier. false and *error (never a secret)
    // when a channel is incomplete: the old notifier keeps running.
    bool setNotify(const NotifyConfig &config, const QMap<QString, ChannelSecrets> &secrets,
                   QString *error);
    PriceRefresher *prices() const { return m_prices.get(); } // null with [prices] enabled = false
    // Azure's published Spot risk (Resource Graph), read with the ARM credential; null with
    // [prices] enabled = false.
    SpotRiskRefresher *spotRisk() const { return m_spotRisk.get(); }
    WebhookListener *listener() const { return m_listener.get(); }
    ArmCloudProvider *cloud() const { return m_cloud; }
    gcp::ComputeCloudProvider *googleCloud() const { return m_gcp; }
    aws::Ec2CloudProvider *amazonCloud() const { return m_aws; }
    EngineMetrics *engineMetrics() const { return m_engineMetrics.get(); }
    http::HttpServer *server() const { return m_server.get(); }
    bool isListening() const;
    bool isTls() const;
    // Loads [tls] certificate and private_key again (spotkeeperd on SIGHUP; the files are also
    // watched, http::CertificateReloader): new connections get the new certificate. false and
    // *error when they do not load (the old certificate stays) or TLS is off.
    bool reloadTls(QString *error);
    QString listenAddress() const; // "127.0.0.1:8443"; empty when not listening
    QString credentialStatus() const; // never a secret
    QString azureConfigError() const { return m_azureConfigError; }
    // The lowest x-ms-ratelimit-remaining-* counter of the ARM client's last answer (the
    // dashboard's "ARM budget", and spotkeeper_arm_ratelimit_remaining in /metrics);
    // -1 before an answer carried one, or without an Azure client.
    int armBudgetHeadroom() const;

signals:
    void drained(int connectionsLeftOpen);

private:
    bool startCloud(QString *error);
    bool startGoogleCloud(const QProcessEnvironment &env, QString *error);
    bool startAws(const QProcessEnvironment &env, QString *error);
    void checkDrained();
    void startPrices();
    void serveNotifyStatus(); // GET /api/v1/notify/status reads m_notifier
    void finishStop();
    bool attachListener();
    QByteArray extraMetrics() const;
    QByteArray rateLimitMetrics() const;
    QByteArray tlsMetrics() const;

    EngineHostConfig m_config;
    Store &m_store;
    base::Clock &m_clock;
    EngineHostOptions m_options;
    ArmCloudProvider *m_cloud = nullptr; // QObject child
    CloudRouter *m_router = nullptr; // QObject child: what the engine and reconciler call
    gcp::ComputeCloudProvider *m_gcp = nullptr; // QObject child; null without [gcp] credentials
    aws::Ec2CloudProvider *m_aws = nullptr; // QObject child; null without [aws] regions
    std::unique_ptr<EngineIdentity> m_identity; // held (lock file) while the engine runs
    std::unique_ptr<StoreRateBudgets> m_sharedBudgets; // replicas: ARM buckets in the store
    std::unique_ptr<RestartEngine> m_engine;
    std::unique_ptr<Reconciler> m_reconciler;
    std::unique_ptr<AgentWatch> m_agentWatch;
    std::unique_ptr<AppHealthWatch> m_appHealthWatch;
    std::unique_ptr<Notifier> m_notifier;
    std::unique_ptr<PriceRefresher> m_prices;
    std::unique_ptr<SpotRiskRefresher> m_spotRisk;
    std::unique_ptr<EngineMetrics> m_engineMetrics;
    std::unique_ptr<FleetOperations> m_observer; // observeOnly: what the listener calls
    std::unique_ptr<WebhookListener> m_listener;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<http::CertificateReloader> m_tlsReloader; // with TLS only; uses m_server
    QString m_azureConfigError;
    QTimer m_drainTimer;
    QTimer m_presenceTimer; // replicas: renews this one's presence lease (shared budgets)
    qint64 m_drainDeadlineMs = 0;
    bool m_prepared = false;
    bool m_engineStarted = false;
    bool m_listening = false;
    bool m_stopping = false;
    bool m_stopped = false;
};

} // namespace spotkeeper::core
