// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "http/httpserver.h"
#include "listener/agentkeymanager.h"
#include "listener/authratelimiter.h"
#include "listener/listenermetrics.h"
#include "listener/noticebatcher.h"
#include "listener/operatortokens.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

// The listener: routes of one HttpServer for agents (signed notices and heartbeats),
// the optional legacy /webhook, /healthz, /metrics and the operator API.
// Agent requests are verified in the fixed Standard Webhooks order (protocol::verify),
// then bound to the key's VM (another VM -> 403), then parsed. A notice is answered
// 2xx only after its group commit; the engine hears of it after that.
namespace spotkeeper::core {

class FleetOperations;
class OperatorApi;
class Store;

struct ListenerOptions
{
    int maxBatch = 256; // notices per group commit at most
    int commitWindowMs = 2; // a group commit waits this long for more notices to join
    // Group commits run on a thread with its own connection to the store's file (not for
    // ":memory:"), so the event loop keeps serving requests during an fsync.
    bool commitThread = true;
    int failedAuthPerMinute = 20; // per (address, agent key id), then 429
    // Heartbeats are answered at once and written coalesced (the latest per VM): every
    // heartbeatFlushMs, all due VMs in ONE transaction (one fsync). A VM is due when its
    // agent version, poll outcome or application health state changed, or heartbeatPersistSeconds
    // after its last write (agentLastSeen in the store is up to that stale), so at a steady state a
    // flush writes nothing most of the time and never holds the event loop for long.
    int heartbeatFlushMs = 200;
    int heartbeatPersistSeconds = 30;
    qint64 keyCacheTtlSeconds = 30; // see AgentKeyManager
    qint64 rotationOverlapSeconds = qint64(24) * 3600; // default overlap of a key rotation
    // PEM of the CA that signed the listener's certificate ([tls] agent_ca), sent with every
    // issued key as "caCertificate" so the enrolled agent trusts this server; empty = none.
    QByteArray agentCaPem;
    // Legacy webhook (off by default): POST /webhook, Authorization: Bearer <legacy key>,
    // body {"resourceGroup","vmName"}. The legacy key speaks for VMs of one subscription
    // that are already in the fleet.
    bool seedEnabled = false;
    QString seedSubscriptionId;
    QByteArray seedKeySha256; // SHA-256 of the legacy key; the key itself is not kept
};

class WebhookListener final : public QObject
{
    Q_OBJECT
public:
    WebhookListener(Store &store, FleetOperations &operations, base::Clock &clock,
                    ListenerOptions options = {}, QObject *parent = nullptr);
    ~WebhookListener() override;
    Q_DISABLE_COPY_MOVE(WebhookListener)

    // Installs the routes as the server's handler and counts its limit rejections.
    void attach(http::HttpServer &server);
    void handle(const http::Request &request, const std::shared_ptr<http::Responder> &responder);

    // Shown by /healthz, e.g. "ok", "expired", "not configured" (never a secret).
    void setCredentialStatusProvider(std::function<QString()> provider);
    // Appended to /metrics (the engine's ARM/throttling/restart counters).
    void setExtraMetricsProvider(std::function<QByteArray()> provider);

    AgentKeyManager &keys() { return m_keys; }
    OperatorTokens &tokens() { return m_tokens; }
    OperatorApi &operatorApi() { return *m_api; }
    ListenerMetrics &metrics() { return m_metrics; }
    const ListenerOptions &options() const { return m_options; }

    // Commits queued notices and heartbeats now (used when draining on shutdown).
    void flushNow();
    int pendingNotices() const { return m_batcher.pending(); }
    const NoticeBatcher &batcher() const { return m_batcher; }

signals:
    void noticeStored(qint64 vmId, qint64 eventId);

private:
    enum class Route { Notices, Heartbeats };
    struct Verified
    {
        QString vmResourceKey;
        QByteArray keyId;
    };
    void send(const std::shared_ptr<http::Responder> &responder, const http::Response &response);
    void reject(const std::shared_ptr<http::Responder> &responder, int status,
                const QString &reason, const QString &message);
    bool checkMethod(const http::Request &request,
                     const std::shared_ptr<http::Responder> &responder, QByteArrayView method);
    bool checkRateLimit(const http::Request &request,
                        const std::shared_ptr<http::Responder> &responder);
    std::optional<Verified> verifySigned(const http::Request &request,
                                         const std::shared_ptr<http::Responder> &responder);
    void handleNotice(const http::Request &request,
                      const std::shared_ptr<http::Responder> &responder);
    void handleHeartbeat(const http::Request &request,
                         const std::shared_ptr<http::Responder> &responder);
    void handleSeedWebhook(const http::Request &request,
                           const std::shared_ptr<http::Responder> &responder);
    void handleHealth(const std::shared_ptr<http::Responder> &responder);
    void handleMetrics(const std::shared_ptr<http::Responder> &responder);
    void flushHeartbeats();

    struct PendingHeartbeat
    {
        VmRecord identity;
        QDateTime at;
        QString agentVersion;
        QString pollError;
        AppHealth appHealth = AppHealth::None;
        QString appProbe;
        qint64 appLatencyMs = -1;
        QString appHealthDetail;
    };

    Store &m_store;
    FleetOperations &m_operations;
    base::Clock &m_clock;
    ListenerOptions m_options;
    AgentKeyManager m_keys;
    OperatorTokens m_tokens;
    AuthRateLimiter m_rateLimiter;
    ListenerMetrics m_metrics;
    NoticeBatcher m_batcher;
    std::unique_ptr<OperatorApi> m_api;
    QHash<QString, PendingHeartbeat> m_heartbeats;
    struct PersistedHeartbeat
    {
        qint64 atMs = 0;
        QString agentVersion;
        QString pollError;
        AppHealth appHealth = AppHealth::None;
    };
    QHash<QString, PersistedHeartbeat> m_persistedHeartbeats; // by VM key, bounded by keys
    QTimer m_heartbeatTimer;
    std::function<QString()> m_credentialStatus;
    std::function<QByteArray()> m_extraMetrics;
};

} // namespace spotkeeper::core
