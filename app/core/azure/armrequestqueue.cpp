// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armrequestqueue.h"

#include "azure/accesstokensource.h"
#include "azure/armparsers.h"
#include "base/clock.h"
#include "fleet/bearerexchange.h"
#include "fleet/sharedratebudgets.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcArm, "spotkeeper.azure.arm")

namespace spotkeeper::core {

ArmRequestQueue::ArmRequestQueue(AccessTokenSource *credential, QNetworkAccessManager *network,
                                 const base::Clock &clock, ArmBudgets budgets, QObject *parent)
    : QObject(parent)
    , m_credential(credential)
    , m_network(network)
    , m_clock(clock)
    , m_budgets(budgets)
{
    m_wake.setSingleShot(true);
    connect(&m_wake, &QTimer::timeout, this, &ArmRequestQueue::processQueue);
}

ArmRequestQueue::~ArmRequestQueue() = default;

RateBudget &ArmRequestQueue::bucket(QHash<QString, RateBudget> &map, const QString &key,
                                    const BudgetConfig &config)
{
    auto it = map.find(key);
    if (it == map.end())
        it = map.insert(key, RateBudget(config, m_budgets.refillLagMs, m_budgets.jitterReserveMs));
    return it.value();
}

QDateTime ArmRequestQueue::blockedUntil(const QString &subscriptionId) const
{
    const QDateTime gate = m_gates.value(subscriptionId.toLower());
    return gate.isValid() && m_clock.nowUtc() < gate ? gate : QDateTime();
}

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
    m_queue.push_back(Pending {kind, method, url, armparsers::subscriptionOf(url.path()),
                               vmKey.toLower(), std::move(done), jsonBody, priority});
    // Batch: a burst of sends (a mass eviction) is scanned once, not once per send.
    if (!m_wake.isActive() || m_wake.remainingTime() > 0)
        m_wake.start(0);
}

qint64 ArmRequestQueue::waitMsFor(const Pending &request, qint64 nowMs)
{
    qint64 wait = 0;
    const QDateTime gate = m_gates.value(request.subscription);
    if (gate.isValid() && gate.toMSecsSinceEpoch() > nowMs)
        wait = gate.toMSecsSinceEpoch() - nowMs;
    if (!m_budgets.enabled)
        return wait;
    if (request.kind == Kind::Read) {
        wait = std::max(wait,
                        bucket(m_reads, request.subscription, m_budgets.subscriptionReads)
                            .msUntilAvailable(nowMs));
    } else {
        wait = std::max(wait,
                        bucket(m_writes, request.subscription, m_budgets.subscriptionWrites)
                            .msUntilAvailable(nowMs));
    }
    if (request.kind == Kind::Start) {
        wait = std::max(
            wait, bucket(m_starts, request.vmKey, m_budgets.vmStarts).msUntilAvailable(nowMs));
    }
    return wait;
}

qint64 ArmRequestQueue::takeShared(const Pending &request, qint64 nowMs)
{
    if (!m_shared || !m_budgets.enabled)
        return 0;
    QList<SharedRateBudgets::Bucket> buckets;
    if (request.kind == Kind::Read)
        buckets.append({u"reads|"_s + request.subscription, m_budgets.subscriptionReads});
    else
        buckets.append({u"writes|"_s + request.subscription, m_budgets.subscriptionWrites});
    if (request.kind == Kind::Start)
        buckets.append({u"start|"_s + request.vmKey, m_budgets.vmStarts});
    return m_shared->take(m_credential ? m_credential->principal() : QString(), buckets,
                          m_budgets.refillLagMs, m_budgets.jitterReserveMs, nowMs);
}

void ArmRequestQueue::take(const Pending &request, qint64 nowMs)
{
    if (!m_budgets.enabled)
        return;
    if (request.kind == Kind::Read)
        m_reads[request.subscription].tryTake(nowMs);
    else
        m_writes[request.subscription].tryTake(nowMs);
    if (request.kind == Kind::Start)
        m_starts[request.vmKey].tryTake(nowMs);
}

void ArmRequestQueue::processQueue()
{
    const qint64 nowMs = m_clock.nowMSecs();
    std::vector<Pending> ready;
    qint64 minWait = -1;
    // Normal requests first (FIFO); background ones take what is left, and none of a
    // subscription whose normal reads are still waiting for tokens.
    QSet<QString> readsWaiting;
    for (const Priority pass : {Priority::Normal, Priority::Background}) {
        for (auto it = m_queue.begin(); it != m_queue.end();) {
            if (it->priority != pass) {
                ++it;
                continue;
            }
            const bool held =
                pass == Priority::Background && readsWaiting.contains(it->subscription);
            qint64 wait = held ? m_timeoutMs : waitMsFor(*it, nowMs);
            if (wait == 0)
                wait = takeShared(*it, nowMs); // the other replicas' share of the allowance
            if (wait == 0) {
                take(*it, nowMs);
                ready.push_back(std::move(*it));
                it = m_queue.erase(it);
            } else {
                if (pass == Priority::Normal && it->kind == Kind::Read)
                    readsWaiting.insert(it->subscription);
                if (!held)
                    minWait = minWait < 0 ? wait : std::min(minWait, wait);
                ++it;
            }
        }
    }
    if (minWait >= 0) {
        // Sleep until the earliest budget refill; never busy-loop.
        const int ms = int(std::clamp<qint64>(minWait, 1, 3'600'000));
        if (!m_wake.isActive() || m_wake.remainingTime() > ms)
            m_wake.start(ms);
    }
    for (Pending &request : ready)
        dispatch(std::move(request), false);
}

void ArmRequestQueue::dispatch(Pending request, bool isRetryAfter401)
{
    ++m_inFlight;
    const QUrl url = request.url;
    const QByteArray method = request.method;
    const QByteArray body = request.body;
    sendWithBearer(
        m_credential, m_network, this, method, url, body, m_timeoutMs,
        [this, request = std::move(request), isRetryAfter401](BearerAnswer answer) mutable {
            if (answer.tokenFailed) {
                --m_inFlight;
                ArmReply reply;
                reply.call = answer.call;
                request.done(reply);
                return;
            }
            handleReply(std::move(request), isRetryAfter401, answer.status, std::move(answer.body),
                        std::move(answer.headers), answer.networkError, answer.networkText);
        },
        [this] { ++m_sent; });
}

void ArmRequestQueue::handleReply(Pending request, bool isRetryAfter401, int status,
                                  QByteArray body, armerror::Headers headers, int networkError,
                                  const QString &networkText)
{
    --m_inFlight;
    const qint64 nowMs = m_clock.nowMSecs();
    const QDateTime now = m_clock.nowUtc();
    qCDebug(lcArm).noquote() << request.method << request.url.path() << "->" << status;
    emit callFinished(status, request.kind, status == 429);
    if (status == 401 && !isRetryAfter401) {
        // Expired or revoked token: exactly one refresh and one retry.
        qCInfo(lcArm) << "ARM answered 401; refreshing the token and retrying once";
        m_credential->invalidate();
        dispatch(std::move(request), true);
        return;
    }
    ArmReply reply;
    reply.status = status;
    reply.body = body;
    reply.headers = headers;
    reply.call.httpStatus = status;
    reply.call.correlationId = armerror::correlationId(headers);

    const armerror::RateLimits limits = armerror::parseRateLimits(headers);
    if (!limits.isEmpty()) {
        m_lastLimits = limits;
        if (m_budgets.enabled) {
            if (const qint64 left = limits.value(u"subscription-reads"_s); left >= 0)
                bucket(m_reads, request.subscription, m_budgets.subscriptionReads)
                    .clampTo(nowMs, left);
            if (const qint64 left = limits.value(u"subscription-writes"_s); left >= 0)
                bucket(m_writes, request.subscription, m_budgets.subscriptionWrites)
                    .clampTo(nowMs, left);
        }
    }

    if (status == 0) {
        const CallResult failure = networkFailure(networkError, networkText);
        reply.call.failure = failure.failure;
        reply.call.errorCode = failure.errorCode;
        reply.call.errorMessage = failure.errorMessage;
    } else if (status >= 200 && status < 300) {
        reply.call.failure = FailureClass::None;
    } else {
        reply.error = armerror::parseErrorBody(body);
        reply.call.failure = armerror::classify(status, reply.error);
        reply.call.errorCode = reply.error.code;
        reply.call.errorMessage =
            reply.error.message.isEmpty() ? u"HTTP %1 from ARM"_s.arg(status) : reply.error.message;
        QDateTime retryAfter =
            armerror::parseRetryAfter(armerror::headerValue(headers, "Retry-After"), now);
        if (status == 429) {
            if (!retryAfter.isValid())
                retryAfter = now.addMSecs(m_defaultThrottleMs);
            QDateTime &gate = m_gates[request.subscription];
            if (!gate.isValid() || gate < retryAfter)
                gate = retryAfter;
            qCWarning(lcArm).noquote() << "ARM throttled subscription" << request.subscription
                                       << "until" << retryAfter.toString(Qt::ISODateWithMs);
            emit throttled(request.subscription, retryAfter);
        }
        reply.call.retryAfter = retryAfter;
    }
    // No queue scan here: a reply only ever lengthens waits (gates, clamps); the wake timer
    // re-checks, and a wake that comes early simply re-arms.
    request.done(reply);
}

} // namespace spotkeeper::core
