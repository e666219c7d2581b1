// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

#include <QByteArrayView>
#include <QHash>
#include <QHostAddress>
#include <QList>

// Counts failed authentications per (source address, credential id) over a sliding
// minute and says when that pair must be answered 429. The credential id is the agent
// key id a signed request names ("" where there is none: operator tokens, the legacy
// key): agents behind one NAT address each have their own count, so a misconfigured or
// hostile neighbour cannot lock a good agent out. Memory is bounded: at most
// maxTrackedAddresses pairs are remembered; when full, the stalest are dropped first.
namespace spotkeeper::core {

class AuthRateLimiter
{
public:
    explicit AuthRateLimiter(base::Clock &clock, int maxFailuresPerMinute = 20,
                             int maxTrackedAddresses = 10'000);

    bool isBlocked(const QHostAddress &peer, QByteArrayView credentialId = {});
    // Seconds until the oldest counted failure leaves the window (for Retry-After).
    int retryAfterSeconds(const QHostAddress &peer, QByteArrayView credentialId = {});
    void recordFailure(const QHostAddress &peer, QByteArrayView credentialId = {});
    int trackedAddresses() const { return int(m_failures.size()); }

private:
    void prune(QList<qint64> &times, qint64 nowMs) const;
    void evictStalest();
    static QString keyFor(const QHostAddress &peer, QByteArrayView credentialId);

    base::Clock &m_clock;
    int m_maxFailures;
    int m_maxTracked;
    QHash<QString, QList<qint64>> m_failures; // address + id -> failure times (ms), ascending
};

} // namespace spotkeeper::core
