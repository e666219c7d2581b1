// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/armerror.h"
#include "base/clock.h"
#include "fleet/budgetedrequestqueue.h"
#include "fleet/cloudprovider.h"
#include "fleet/ratebudget.h"

#include <QByteArray>
#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace spotkeeper::core {

class AccessTokenSource;

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
// and never before a Retry-After the subscription was given. The pacing, the wake timer and the
// one 401 retry are the shared BudgetedRequestQueue's (fleet/budgetedrequestqueue.h); this class
// adds ARM's bucket keys, its rate-limit headers and its error classification.
class ArmRequestQueue final : public BudgetedRequestQueue
{
    Q_OBJECT
public:
    enum class Kind { Read, Write, Start };
    Q_ENUM(Kind)

    ArmRequestQueue(AccessTokenSource *credential, QNetworkAccessManager *network,
                    const base::Clock &clock, ArmBudgets budgets, QObject *parent = nullptr);
    ~ArmRequestQueue() override;
    Q_DISABLE_COPY_MOVE(ArmRequestQueue)

    // vmKey (lower-cased resource id) is required for Kind::Start. Background requests
    // (Activity Log evidence) go only when no normal request waits for their buckets.
    void send(Kind kind, const QByteArray &method, const QUrl &url, const QString &vmKey,
              std::function<void(ArmReply)> done, Priority priority = Priority::Normal);
    // The same with a JSON request body (a scale set's start with {"instanceIds": [...]}).
    void send(Kind kind, const QByteArray &method, const QUrl &url, const QString &vmKey,
              const QByteArray &jsonBody, std::function<void(ArmReply)> done,
              Priority priority = Priority::Normal);

    // The subscription's Retry-After gate (invalid = none) and the last rate-limit headers.
    QDateTime blockedUntil(const QString &subscriptionId) const
    {
        return BudgetedRequestQueue::blockedUntil(subscriptionId.toLower());
    }
    armerror::RateLimits lastRateLimits() const { return m_lastLimits; }

signals:
    // Every ARM HTTP exchange that got an answer or a network error, incl. a 401 that is
    // retried (status 0 = no HTTP response): the observer hook behind /metrics'
    // spotkeeper_arm_requests_total. Not emitted when no request was sent (no token).
    void callFinished(int status, spotkeeper::core::ArmRequestQueue::Kind kind, bool throttled);

private:
    ArmReply reply(const QString &subscription, BearerAnswer answer);

    ArmBudgets m_budgets;
    armerror::RateLimits m_lastLimits;
};

} // namespace spotkeeper::core
