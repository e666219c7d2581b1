// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/authratelimiter.h"
#include "support/base/manualclock.h"

#include <QTest>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

// Failed-authentication limits per source address: a sliding minute, an injected
// clock, and bounded memory however many addresses fail.
class TestAuthRateLimiter : public QObject
{
    Q_OBJECT

private slots:
    void blocksAfterLimitWithinAMinute()
    {
        testsupport::ManualClock clock;
        core::AuthRateLimiter limiter(clock, 3);
        const QHostAddress peer(u"192.0.2.7"_s);
        const QHostAddress other(u"192.0.2.8"_s);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(!limiter.isBlocked(peer));
            limiter.recordFailure(peer);
            clock.advanceMSecs(10'000);
        }
        QVERIFY(limiter.isBlocked(peer));
        QVERIFY(!limiter.isBlocked(other)); // per address
        QVERIFY(!limiter.isBlocked(peer, "key_other")); // and per key id at that address
        // The first failure (t=0) leaves the window at t=60 s; now is t=30 s.
        QCOMPARE(limiter.retryAfterSeconds(peer), 30);
        clock.advanceMSecs(30'001);
        QVERIFY(!limiter.isBlocked(peer)); // sliding, not a fixed minute
        limiter.recordFailure(peer);
        QVERIFY(limiter.isBlocked(peer));
    }

    void perAddressAndKeyId()
    {
        // Agents behind one NAT address: each key id has its own count.
        testsupport::ManualClock clock;
        core::AuthRateLimiter limiter(clock, 2);
        const QHostAddress nat(u"198.51.100.1"_s);
        limiter.recordFailure(nat, "key_bad");
        limiter.recordFailure(nat, "key_bad");
        QVERIFY(limiter.isBlocked(nat, "key_bad"));
        QVERIFY(!limiter.isBlocked(nat, "key_good"));
        QVERIFY(!limiter.isBlocked(nat)); // operator tokens: the address alone
        QCOMPARE(limiter.retryAfterSeconds(nat, "key_good"), 0);
        // An over-long id is cut, so it cannot grow memory per entry.
        limiter.recordFailure(nat, QByteArray(10'000, 'k'));
        limiter.recordFailure(nat, QByteArray(20'000, 'k'));
        QVERIFY(limiter.isBlocked(nat, QByteArray(128, 'k')));
    }

    void ipv4MappedCountsAsIpv4()
    {
        testsupport::ManualClock clock;
        core::AuthRateLimiter limiter(clock, 2);
        limiter.recordFailure(QHostAddress(u"192.0.2.1"_s));
        limiter.recordFailure(QHostAddress(u"::ffff:192.0.2.1"_s));
        QVERIFY(limiter.isBlocked(QHostAddress(u"192.0.2.1"_s)));
    }

    void memoryIsBounded()
    {
        testsupport::ManualClock clock;
        core::AuthRateLimiter limiter(clock, 5, 100);
        for (quint32 i = 0; i < 2000; ++i) {
            limiter.recordFailure(QHostAddress(0x0A000000u + i));
            clock.advanceMSecs(1);
        }
        QVERIFY(limiter.trackedAddresses() <= 100);
        // The most recent offender is still remembered.
        for (int i = 0; i < 4; ++i)
            limiter.recordFailure(QHostAddress(0x0A000000u + 1999));
        QVERIFY(limiter.isBlocked(QHostAddress(0x0A000000u + 1999)));
    }
};

QTEST_GUILESS_MAIN(TestAuthRateLimiter)
#include "tst_authratelimiter.moc"
