// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armrequestqueue.h"

#include "azure/armparsers.h"
#include "base/clock.h"
#include "fleet/bearerexchange.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcArm, "spotkeeper.azure.arm")

namespace spotkeeper::core {

namespace {

RequestQueueOptions queueOptions(const ArmBudgets &budgets)
{
    RequestQueueOptions options;
    options.apiName = u"ARM"_s;
    options.scopeName = u"subscription"_s;
    options.log = &lcArm;
    options.budgetsEnabled = budgets.enabled;
    options.refillLagMs = budgets.refillLagMs;
    options.reserveMs = budgets.jitterReserveMs;
    return options;
}

} // namespace

ArmRequestQueue::ArmRequestQueue(AccessTokenSource *credential, QNetworkAccessManager *network,
                                 const base::Clock &clock, ArmBudgets budgets, QObject *parent)
    : BudgetedRequestQueue(credential, network, clock, queueOptions(budgets), parent)
    , m_budgets(budgets)
{
    connect(this, &BudgetedRequestQueue::exchanged, this,
            [this](int tag, int status) { emit callFinished(status, Kind(tag), status == 429); });
}

ArmRequestQueue::~ArmRequestQueue() = default;

void ArmRequestQueue::send(Kind kind, const QByteArray &method, const QUrl &url,
                           const QString &vmKey, std::function<void(ArmReply)> done,
                           Priority priority)
{
    send(kind, method, url, vmKey, QByteArray(), std::move(done), priority);
}

void ArmRequestQueue::send(Kind kind, const QByteArray &method, const QUrl &url,
                           const QString &vmKey, const QByteArray &jsonBody,
                           std::function<void(ArmReply)> done, Priority priority)
{
    const QString subscription = armparsers::subscriptionOf(url.path());
    // The bucket keys are those the replicas share too (sharedratebudgets.h).
    QList<Bucket> buckets;
    if (kind == Kind::Read)
        buckets.append({u"reads|"_s + subscription, m_budgets.subscriptionReads});
    else
        buckets.append({u"writes|"_s + subscription, m_budgets.subscriptionWrites});
    if (kind == Kind::Start)
        buckets.append({u"start|"_s + vmKey.toLower(), m_budgets.vmStarts});
    BudgetedRequestQueue::send(
        Request {method, url, jsonBody, subscription, buckets, priority, int(kind)},
        [this, subscription, done = std::move(done)](BearerAnswer answer) {
            done(reply(subscription, std::move(answer)));
        });
}

ArmReply ArmRequestQueue::reply(const QString &subscription, BearerAnswer answer)
{
    ArmReply reply;
    reply.status = answer.status;
    reply.body = std::move(answer.body);
    reply.headers = std::move(answer.headers);
    const bool classified = classifyTransport(answer, reply.call);
    reply.call.correlationId = armerror::correlationId(reply.headers);
    const armerror::RateLimits limits = armerror::parseRateLimits(reply.headers);
    if (!limits.isEmpty()) {
        m_lastLimits = limits;
        clamp({u"reads|"_s + subscription, m_budgets.subscriptionReads},
              limits.value(u"subscription-reads"_s));
        clamp({u"writes|"_s + subscription, m_budgets.subscriptionWrites},
              limits.value(u"subscription-writes"_s));
    }
    if (classified)
        return reply;
    const int status = reply.status;
    reply.error = armerror::parseErrorBody(reply.body);
    reply.call.failure = armerror::classify(status, reply.error);
    reply.call.errorCode = reply.error.code;
    reply.call.errorMessage =
        reply.error.message.isEmpty() ? u"HTTP %1 from ARM"_s.arg(status) : reply.error.message;
    reply.call.retryAfter = armerror::parseRetryAfter(
        armerror::headerValue(reply.headers, "Retry-After"), clock().nowUtc());
    if (status == 429)
        reply.call.retryAfter = throttle(subscription, reply.call.retryAfter);
    return reply;
}

} // namespace spotkeeper::core
