// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/armerror.h"
#include "base/clock.h"
#include "fleet/cloudprovider.h"
#include "fleet/ratebudget.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>

class QNetworkAccessManager;

namespace spotkeeper::core {

class AccessTokenSource;
class SharedRateBudgets;

// One ARM HTTP exchange as the operations see it.
struct ArmReply
{
    CallResult call; // classified (failure None for 2xx)
    int status = 0; // HTTP status, 0 = no response
    QByteArray body;
    armerror::Headers headers;
    armerror::ArmError error; // parsed envelope for non-2xx
};

// Sends ARM requests with a bearer token, but only when the client-side budgets allow
// (AZURE-PROTOCOL.md §6): per-subscription read and write buckets, Compute's per-VM start bucket,
// and never before a Retry-After the subscription was given. Requests wait in a FIFO instead of
// being sent. A 401 invalidates the token and retries exactly once. Decisions use the
// injected Clock; a timer wakes the queue, and processQueue() may be called after moving a
// ManualClock.
class ArmRequestQueue final : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Read, Write, Start };
    Q_ENUM(Kind)
    // Background requests (Activity Log evidence) get a bucket's tokens only when no normal
    // request is waiting for them: in a storm the engine's power lists and starts go first.
    enum class Priority { Normal, Background };

    ArmRequestQueue(AccessTokenSource *credential, QNetworkAccessManager *network,
                    const base::Clock &clock, ArmBudgets budgets, QObject *parent = nullptr);
    ~ArmRequestQueue() override;
    Q_DISABLE_COPY_MOVE(ArmRequestQueue)

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // Replicas on one store: a request also needs tokens of the buckets they share (per
    // principal and subscription, per VM for starts), so N replicas stay within one allowance.
    // nullptr (the default) = this process's buckets only. Not owned; must outlive the queue's
    // use of it.
    void setSharedBudgets(SharedRateBudgets *shared) { m_shared = shared; }
    // Fallback gate after a 429 without Retry-After.
    void setDefaultThrottleMs(int ms) { m_defaultThrottleMs = ms; }

    // vmKey (lower-cased resource id) is required for Kind::Start.
    void send(Kind kind, const QByteArray &method, const QUrl &url, const QString &vmKey,
              std::function<void(ArmReply)> done, Priority priority = Priority::Normal);
    // The same with a JSON request body (a scale set's start with {"instanceIds": [...]}).
    void send(Kind kind, const QByteArray &method, const QUrl &url, const QString &vmKey,
              const QByteArray &jsonBody, std::function<void(ArmReply)> done,
              Priority priority = Priority::Normal);

    void processQueue();
    int pending() const { return int(m_queue.size()); }
    int inFlight() const { return m_inFlight; }
    qint64 sentCount() const { return m_sent; }
    // The subscription's Retry-After gate (invalid = none) and the last rate-limit headers.
    QDateTime blockedUntil(const QString &subscriptionId) const;
    armerror::RateLimits lastRateLimits() const { return m_lastLimits; }

signals:
    void throttled(const QString &subscriptionId, const QDateTime &retryAfter);
    // Every ARM HTTP exchange that got an answer or a network error, incl. a 401 that is
    // retried (status 0 = no HTTP response): the observer hook behind /metrics'
    // spotkeeper_arm_requests_total. Not emitted when no request was sent (no token).
    void callFinished(int status, spotkeeper::core::ArmRequestQueue::Kind kind, bool throttled);

private:
    struct Pending
    {
        Kind kind;
        QByteArray method;
        QUrl url;
        QString subscription;
        QString vmKey;
        std::function<void(ArmReply)> done;
        QByteArray body; // sent with a non-GET method; empty = none
        Priority priority = Priority::Normal;
    };
    qint64 waitMsFor(const Pending &request, qint64 nowMs);
    qint64 takeShared(const Pending &request, qint64 nowMs); // 0 = taken
    void take(const Pending &request, qint64 nowMs);
    void dispatch(Pending request, bool isRetryAfter401);
    void handleReply(Pending request, bool isRetryAfter401, int status, QByteArray body,
                     armerror::Headers headers, int networkError, const QString &networkText);
    RateBudget &bucket(QHash<QString, RateBudget> &map, const QString &key,
                       const BudgetConfig &config);

    AccessTokenSource *m_credential;
    QNetworkAccessManager *m_network;
    const base::Clock &m_clock;
    ArmBudgets m_budgets;
    SharedRateBudgets *m_shared = nullptr;
    int m_timeoutMs = 60'000;
    int m_defaultThrottleMs = 10'000;
    std::deque<Pending> m_queue;
    QHash<QString, RateBudget> m_reads;
    QHash<QString, RateBudget> m_writes;
    QHash<QString, RateBudget> m_starts;
    QHash<QString, QDateTime> m_gates;
    armerror::RateLimits m_lastLimits;
    QTimer m_wake;
    int m_inFlight = 0;
    qint64 m_sent = 0;
};

} // namespace spotkeeper::core
