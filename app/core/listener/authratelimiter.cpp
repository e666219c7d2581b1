// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/authratelimiter.h"

#include "base/clock.h"

#include <algorithm>

namespace spotkeeper::core {

namespace {
constexpr qint64 kWindowMs = 60'000;
constexpr qsizetype kMaxCredentialIdBytes = 128; // longer ids are refused unread anyway
} // namespace

AuthRateLimiter::AuthRateLimiter(base::Clock &clock, int maxFailuresPerMinute,
                                 int maxTrackedAddresses)
    : m_clock(clock)
    , m_maxFailures(std::max(1, maxFailuresPerMinute))
    , m_maxTracked(std::max(1, maxTrackedAddresses))
{ }

QString AuthRateLimiter::keyFor(const QHostAddress &peer, QByteArrayView credentialId)
{
    // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d; count it once.
    bool ok = false;
    const quint32 v4 = peer.toIPv4Address(&ok);
    const QString address = ok ? QHostAddress(v4).toString() : peer.toString();
    return address + u' '
        + QString::fromLatin1(
               credentialId.first(std::min(credentialId.size(), kMaxCredentialIdBytes)));
}

void AuthRateLimiter::prune(QList<qint64> &times, qint64 nowMs) const
{
    const auto firstLive =
        std::find_if(times.begin(), times.end(), [&](qint64 t) { return t > nowMs - kWindowMs; });
    times.erase(times.begin(), firstLive);
}

bool AuthRateLimiter::isBlocked(const QHostAddress &peer, QByteArrayView credentialId)
{
    const auto it = m_failures.find(keyFor(peer, credentialId));
    if (it == m_failures.end())
        return false;
    prune(*it, m_clock.nowMSecs());
    if (it->isEmpty()) {
        m_failures.erase(it);
        return false;
    }
    return it->size() >= m_maxFailures;
}

int AuthRateLimiter::retryAfterSeconds(const QHostAddress &peer, QByteArrayView credentialId)
{
    const auto it = m_failures.constFind(keyFor(peer, credentialId));
    if (it == m_failures.constEnd() || it->isEmpty())
        return 0;
    const qint64 leavesAt = it->constFirst() + kWindowMs;
    return int(std::max<qint64>(1, (leavesAt - m_clock.nowMSecs() + 999) / 1000));
}

void AuthRateLimiter::recordFailure(const QHostAddress &peer, QByteArrayView credentialId)
{
    const QString key = keyFor(peer, credentialId);
    const qint64 now = m_clock.nowMSecs();
    if (!m_failures.contains(key) && m_failures.size() >= m_maxTracked)
        evictStalest();
    QList<qint64> &times = m_failures[key];
    prune(times, now);
    times.append(now);
    // Only the last m_maxFailures times matter for the decision.
    if (times.size() > m_maxFailures)
        times.remove(0, times.size() - m_maxFailures);
}

void AuthRateLimiter::evictStalest()
{
    const qint64 now = m_clock.nowMSecs();
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        prune(*it, now);
        it = it->isEmpty() ? m_failures.erase(it) : std::next(it);
    }
    if (m_failures.size() < m_maxTracked)
        return;
    auto stalest = m_failures.begin();
    for (auto it = m_failures.begin(); it != m_failures.end(); ++it) {
        if (it->constLast() < stalest->constLast())
            stalest = it;
    }
    m_failures.erase(stalest);
}

} // namespace spotkeeper::core
