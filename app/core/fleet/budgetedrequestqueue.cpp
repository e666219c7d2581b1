// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/budgetedrequestqueue.h"

#include "azure/accesstokensource.h"

#include <QNetworkAccessManager>
#include <QSet>

#include <algorithm>

namespace spotkeeper::core {

namespace {

Q_LOGGING_CATEGORY(lcRequests, "spotkeeper.fleet.requests")

} // namespace

BudgetedRequestQueue::BudgetedRequestQueue(AccessTokenSource *credential,
                                           QNetworkAccessManager *network, const base::Clock &clock,
                                           RequestQueueOptions options, QObject *parent)
    : QObject(parent)
    , m_credential(credential)
    , m_network(network)
    , m_clock(clock)
    , m_options(std::move(options))
{
    if (m_options.log == nullptr)
        m_options.log = &lcRequests;
    m_wake.setSingleShot(true);
    connect(&m_wake, &QTimer::timeout, this, &BudgetedRequestQueue::processQueue);
}

BudgetedRequestQueue::~BudgetedRequestQueue() = default;

RateBudget &BudgetedRequestQueue::bucket(const Bucket &bucket)
{
    auto it = m_buckets.find(bucket.key);
    if (it == m_buckets.end()) {
        it = m_buckets.insert(
            bucket.key, RateBudget(bucket.config, m_options.refillLagMs, m_options.reserveMs));
    }
    return it.value();
}

QDateTime BudgetedRequestQueue::blockedUntil(const QString &scope) const
{
    const QDateTime gate = m_gates.value(scope);
    return gate.isValid() && m_clock.nowUtc() < gate ? gate : QDateTime();
}

void BudgetedRequestQueue::send(Request request, Done done)
{
    enqueue(Pending {std::move(request), std::move(done), {}});
}

void BudgetedRequestQueue::schedule(Request request, SendStep step)
{
    enqueue(Pending {std::move(request), {}, std::move(step)});
}

void BudgetedRequestQueue::enqueue(Pending pending)
{
    m_queue.push_back(std::move(pending));
    // Batch: a burst of sends (a mass eviction) is scanned once, not once per send.
    if (!m_wake.isActive() || m_wake.remainingTime() > 0)
        m_wake.start(0);
}

qint64 BudgetedRequestQueue::waitMsFor(const Request &request, qint64 nowMs)
{
    qint64 wait = 0;
    const QDateTime gate = m_gates.value(request.scope);
    if (gate.isValid() && gate.toMSecsSinceEpoch() > nowMs)
        wait = gate.toMSecsSinceEpoch() - nowMs;
    if (!m_options.budgetsEnabled)
        return wait;
    for (const Bucket &b : request.buckets)
        wait = std::max(wait, bucket(b).msUntilAvailable(nowMs));
    return wait;
}

qint64 BudgetedRequestQueue::takeShared(const Request &request, qint64 nowMs)
{
    if (m_shared == nullptr || !m_options.budgetsEnabled)
        return 0;
    return m_shared->take(m_credential != nullptr ? m_credential->principal() : QString(),
                          request.buckets, m_options.refillLagMs, m_options.reserveMs, nowMs);
}

qint64 BudgetedRequestQueue::tryTake(const Request &request, qint64 nowMs)
{
    qint64 wait = waitMsFor(request, nowMs);
    if (wait == 0)
        wait = takeShared(request, nowMs); // the other replicas' share of the allowance
    if (wait == 0 && m_options.budgetsEnabled) {
        for (const Bucket &b : request.buckets)
            bucket(b).tryTake(nowMs);
    }
    return wait;
}

void BudgetedRequestQueue::scan(Priority pass, qint64 nowMs, Scan *scan)
{
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        const Request &request = it->request;
        const bool held = pass == Priority::Background
            && std::any_of(request.buckets.cbegin(), request.buckets.cend(),
                           [&](const Bucket &b) { return scan->contended.contains(b.key); });
        if (request.priority != pass || held) {
            ++it;
            continue;
        }
        const qint64 wait = tryTake(request, nowMs);
        if (wait == 0) {
            scan->ready.push_back(std::move(*it));
            it = m_queue.erase(it);
            continue;
        }
        if (pass == Priority::Normal) {
            for (const Bucket &b : request.buckets)
                scan->contended.insert(b.key);
        }
        scan->minWait = scan->minWait < 0 ? wait : std::min(scan->minWait, wait);
        ++it;
    }
}

void BudgetedRequestQueue::processQueue()
{
    const qint64 nowMs = m_clock.nowMSecs();
    // Normal requests first (FIFO); background ones take what is left, and none of a bucket
    // that normal requests are still waiting for.
    Scan result;
    for (const Priority pass : {Priority::Normal, Priority::Background})
        scan(pass, nowMs, &result);
    const qint64 minWait = result.minWait;
    std::vector<Pending> &ready = result.ready;
    if (minWait >= 0) {
        // Sleep until the earliest budget refill; never busy-loop.
        const int ms = int(std::clamp<qint64>(minWait, 1, 3'600'000));
        if (!m_wake.isActive() || m_wake.remainingTime() > ms)
            m_wake.start(ms);
    }
    for (Pending &pending : ready) {
        if (pending.step)
            pending.step();
        else
            dispatch(std::move(pending), false);
    }
}

void BudgetedRequestQueue::dispatch(Pending pending, bool isRetryAfter401)
{
    ++m_inFlight;
    // Copies: the callback below takes the request over before sendWithBearer reads these.
    const QByteArray method = pending.request.method;
    const QUrl url = pending.request.url;
    const QByteArray body = pending.request.jsonBody;
    sendWithBearer(
        m_credential, m_network, this, method, url, body, m_options.timeoutMs,
        [this, pending = std::move(pending), isRetryAfter401](BearerAnswer answer) mutable {
            answered(std::move(pending), isRetryAfter401, std::move(answer));
        },
        [this] { ++m_sent; });
}

void BudgetedRequestQueue::answered(Pending pending, bool isRetryAfter401, BearerAnswer answer)
{
    --m_inFlight;
    if (answer.tokenFailed) {
        pending.done(std::move(answer));
        return;
    }
    qCDebug(m_options.log).noquote()
        << pending.request.method << pending.request.url.path() << "->" << answer.status;
    emit exchanged(pending.request.tag, answer.status);
    if (answer.status == 401 && !isRetryAfter401) {
        // Expired or revoked token: exactly one refresh and one retry.
        qCInfo(m_options.log).noquote()
            << m_options.apiName << "answered 401; refreshing the token and retrying once";
        m_credential->invalidate();
        dispatch(std::move(pending), true);
        return;
    }
    // No queue scan here: an answer only ever lengthens waits (gates, clamps); the wake timer
    // re-checks, and a wake that comes early simply re-arms.
    pending.done(std::move(answer));
}

QDateTime BudgetedRequestQueue::throttle(const QString &scope, QDateTime retryAfter)
{
    if (!retryAfter.isValid())
        retryAfter = m_clock.nowUtc().addMSecs(m_options.defaultThrottleMs);
    QDateTime &gate = m_gates[scope];
    if (!gate.isValid() || gate < retryAfter)
        gate = retryAfter;
    qCWarning(m_options.log).noquote()
        << m_options.apiName << "throttled" << m_options.scopeName << scope << "until"
        << retryAfter.toString(Qt::ISODateWithMs);
    emit throttled(scope, retryAfter);
    return retryAfter;
}

void BudgetedRequestQueue::clamp(const Bucket &b, qint64 remaining)
{
    if (m_options.budgetsEnabled && remaining >= 0)
        bucket(b).clampTo(m_clock.nowMSecs(), remaining);
}

} // namespace spotkeeper::core
