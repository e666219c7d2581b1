// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/armlimits.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

TokenBucketSim::TokenBucketSim(double capacity, double perMs, qint64 nowMs)
    : m_capacity(capacity)
    , m_perMs(perMs)
    , m_tokens(capacity)
    , m_lastMs(nowMs)
{ }

void TokenBucketSim::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_tokens = std::min(m_capacity, m_tokens + double(nowMs - m_lastMs) * m_perMs);
        m_lastMs = nowMs;
    }
}

bool TokenBucketSim::take(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

qint64 TokenBucketSim::msUntilToken(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0 || m_perMs <= 0)
        return 0;
    return qint64(std::ceil((1.0 - m_tokens) / m_perMs));
}

double TokenBucketSim::tokens(qint64 nowMs)
{
    refill(nowMs);
    return m_tokens;
}

TokenBucketSim &ArmLimits::bucket(const QString &key, double capacity, double perMs, qint64 nowMs)
{
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        it = m_buckets.emplace(key, TokenBucketSim(capacity, perMs, nowMs)).first;
    return it->second;
}

ArmLimits::Decision ArmLimits::refuse(const QString &scope, const QString &policy, qint64 waitMs,
                                      qint64 nowMs)
{
    Decision d;
    d.allowed = false;
    d.policy = policy;
    d.retryAfterSeconds = int(std::max<qint64>(1, (waitMs + 999) / 1000));
    const qint64 gate = nowMs + qint64(d.retryAfterSeconds) * 1000;
    if (gate > m_gates.value(scope)) {
        if (m_gates.value(scope) <= nowMs) // a new gate, not an extension of an open one
            m_gatesRaisedAt.insert(scope, nowMs);
        m_gates.insert(scope, gate);
    }
    ++m_throttled;
    return d;
}

ArmLimits::Decision ArmLimits::check(Kind kind, const QString &subscription, const QString &vmKey,
                                     qint64 nowMs)
{
    const QString sub = subscription.toLower();
    const bool write = kind == Kind::Start || kind == Kind::Write;
    const QString subScope = (write ? u"writes:"_s : u"reads:"_s) + sub;
    const QString vmScope = u"start:"_s + vmKey;
    const QString listScope = u"lists:"_s + sub;

    // Early requests: ARM doesn't process them and answers with the time still to wait.
    bool early = false;
    bool inFlight = true;
    qint64 earlyWait = 0;
    for (const QString &scope : {subScope, vmScope, listScope}) {
        if (scope == vmScope && kind != Kind::Start)
            continue;
        if (scope == listScope && kind != Kind::List)
            continue;
        const qint64 gate = m_gates.value(scope);
        if (gate > nowMs + 5) { // 5 ms: clock granularity between processes
            early = true;
            earlyWait = std::max(earlyWait, gate - nowMs);
            if (nowMs >= m_gatesRaisedAt.value(scope) + InFlightMs)
                inFlight = false;
        }
    }
    if (early) {
        // Answered with the time still to wait; the gate itself stays where it is.
        Decision d;
        d.allowed = false;
        d.policy = u"RetryAfterNotHonoured"_s;
        d.retryAfterSeconds = int(std::max<qint64>(1, (earlyWait + 999) / 1000));
        ++m_throttled;
        if (!inFlight) {
            ++m_violations;
            d.violation = true;
        }
        return d;
    }
    if (m_stormUntilMs > nowMs)
        return refuse(subScope, u"ThrottleStorm"_s, m_stormUntilMs - nowMs, nowMs);

    TokenBucketSim &subBucket = write
        ? bucket(subScope, m_config.writeBurst, m_config.writesPerSecond / 1000.0, nowMs)
        : bucket(subScope, m_config.readBurst, m_config.readsPerSecond / 1000.0, nowMs);
    if (subBucket.tokens(nowMs) < 1.0)
        return refuse(subScope, write ? u"SubscriptionWrites"_s : u"SubscriptionReads"_s,
                      subBucket.msUntilToken(nowMs), nowMs);
    TokenBucketSim *extra = nullptr;
    QString extraPolicy;
    QString extraScope;
    if (kind == Kind::Start) {
        extra =
            &bucket(vmScope, m_config.vmStartBurst, m_config.vmStartsPerMinute / 60'000.0, nowMs);
        extraPolicy = u"UpdateVMResource"_s;
        extraScope = vmScope;
    } else if (kind == Kind::List) {
        extra = &bucket(listScope, m_config.listBurst, m_config.listsPerMinute / 60'000.0, nowMs);
        extraPolicy = u"HighCostGetSubscriptionMaximum"_s;
        extraScope = listScope;
    }
    if (extra && extra->tokens(nowMs) < 1.0)
        return refuse(extraScope, extraPolicy, extra->msUntilToken(nowMs), nowMs);
    subBucket.take(nowMs);
    if (extra)
        extra->take(nowMs);

    Decision d;
    const int remaining = int(std::floor(subBucket.tokens(nowMs)));
    const QByteArray count = QByteArray::number(remaining);
    if (write) {
        d.headers.append(
            {QByteArrayLiteral("x-ms-ratelimit-remaining-subscription-writes"), count});
        d.headers.append({QByteArrayLiteral("x-ms-ratelimit-remaining-subscription-global-writes"),
                          QByteArray::number(remaining * 15 + 14)});
    } else {
        d.headers.append({QByteArrayLiteral("x-ms-ratelimit-remaining-subscription-reads"), count});
        d.headers.append({QByteArrayLiteral("x-ms-ratelimit-remaining-subscription-global-reads"),
                          QByteArray::number(remaining * 15 + 14)});
    }
    if (kind == Kind::Start)
        d.headers.append({"x-ms-ratelimit-remaining-resource",
                          "Microsoft.Compute/UpdateVMSubscriptionMaximum;1499,"
                          "Microsoft.Compute/UpdateVMResource;"
                              + QByteArray::number(int(std::floor(extra->tokens(nowMs))))});
    else if (kind == Kind::List)
        d.headers.append({"x-ms-ratelimit-remaining-resource",
                          "Microsoft.Compute/HighCostGetSubscriptionMaximum;"
                              + QByteArray::number(int(std::floor(extra->tokens(nowMs))))});
    else if (kind == Kind::OperationStatus)
        d.headers.append({QByteArrayLiteral("x-ms-ratelimit-remaining-resource"),
                          QByteArrayLiteral("Microsoft.Compute/GetOperationSubscriptionMaximum;"
                                            "14999,Microsoft.Compute/GetOperationResource;44")});
    else
        d.headers.append({QByteArrayLiteral("x-ms-ratelimit-remaining-resource"),
                          QByteArrayLiteral("Microsoft.Compute/LowCostGetSubscriptionMaximum;"
                                            "23999,Microsoft.Compute/LowCostGetResource;35")});
    return d;
}

} // namespace spotkeeper::sim
