// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>

// Counts failed authentications per source address over a sliding minute and says when
// an address must be answered 429. Memory is bounded: at most maxTrackedAddresses are
// remembered; when full, the stalest entries are dropped first.
namespace spotkeeper::core {

class Clock;

class AuthRateLimiter
{
public:
    explicit AuthRateLimiter(Clock &clock, int maxFailuresPerMinute = 20,
                             int maxTrackedAddresses = 10'000);

    bool isBlocked(const QHostAddress &peer);
    // Seconds until the oldest counted failure leaves the window (for Retry-After).
    int retryAfterSeconds(const QHostAddress &peer);
    void recordFailure(const QHostAddress &peer);
    int trackedAddresses() const { return int(m_failures.size()); }

private:
    void prune(QList<qint64> &times, qint64 nowMs) const;
    void evictStalest();
    static QString keyFor(const QHostAddress &peer);

    Clock &m_clock;
    int m_maxFailures;
    int m_maxTracked;
    QHash<QString, QList<qint64>> m_failures; // address -> failure times (ms), ascending
};

} // namespace spotkeeper::core
