// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <map>

// ARM's throttling as a client sees it (AZURE-PROTOCOL.md §6), in real (wall) milliseconds:
// per-subscription read and write token buckets, Compute's per-VM start policy and the
// subscription-wide high-cost-get (list) policy. A refused request gets 429 + Retry-After,
// and a request sent before a Retry-After it was given is counted as a violation (and
// refused again with the time still to wait), as ARM does. Every answer carries the
// x-ms-ratelimit-remaining-* headers. A "throttle storm" refuses everything for a while.
namespace spotkeeper::sim {

struct LimitsConfig
{
    double readBurst = 250, readsPerSecond = 25;
    double writeBurst = 200, writesPerSecond = 10;
    double vmStartBurst = 12, vmStartsPerMinute = 4;
    double listBurst = 900, listsPerMinute = 300;
};

class TokenBucketSim
{
public:
    TokenBucketSim() = default;
    TokenBucketSim(double capacity, double perMs, qint64 nowMs);
    bool take(qint64 nowMs);
    qint64 msUntilToken(qint64 nowMs);
    double tokens(qint64 nowMs);

private:
    void refill(qint64 nowMs);
    double m_capacity = 1;
    double m_perMs = 0;
    double m_tokens = 1;
    qint64 m_lastMs = 0;
};

class ArmLimits
{
public:
    // Write: a write with no per-VM policy (a scale set's start naming several instances).
    enum class Kind { Read, List, Start, OperationStatus, Write };
    // A request reaching ARM this soon after the 429 that set its gate was already in flight
    // when that 429 left (concurrent requests of one client): refused, not a violation.
    static constexpr qint64 InFlightMs = 250;
    struct Decision
    {
        bool allowed = true;
        int retryAfterSeconds = 0; // when refused
        bool violation = false; // sent before a Retry-After this scope was given
        QString policy; // which limit refused it
        QList<QPair<QByteArray, QByteArray>> headers;
    };

    explicit ArmLimits(LimitsConfig config = {})
        : m_config(config)
    { }
    void setConfig(const LimitsConfig &config) { m_config = config; }
    Decision check(Kind kind, const QString &subscription, const QString &vmKey, qint64 wallMs);
    void startStorm(qint64 untilWallMs) { m_stormUntilMs = untilWallMs; }
    qint64 stormUntil() const { return m_stormUntilMs; }

    qint64 throttled() const { return m_throttled; }
    qint64 violations() const { return m_violations; }

private:
    TokenBucketSim &bucket(const QString &key, double capacity, double perMs, qint64 nowMs);
    Decision refuse(const QString &scope, const QString &policy, qint64 waitMs, qint64 nowMs);

    LimitsConfig m_config;
    // std::map: check() holds references to two buckets while a third may be inserted;
    // a QHash rehash would leave them dangling (ASan found it in the chaos test).
    std::map<QString, TokenBucketSim> m_buckets;
    QHash<QString, qint64> m_gates; // scope -> wall ms before which requests are early
    QHash<QString, qint64> m_gatesRaisedAt; // scope -> wall ms of the 429 that set the gate
    qint64 m_stormUntilMs = 0;
    qint64 m_throttled = 0;
    qint64 m_violations = 0;
};

} // namespace spotkeeper::sim
