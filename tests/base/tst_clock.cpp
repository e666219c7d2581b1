// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The clock interface (base/clock.h): the system clock is one shared UTC wall clock.
#include "base/clock.h"

#include <QTest>

using namespace spotkeeper::base;

class TestClock final : public QObject
{
    Q_OBJECT
private slots:
    void systemClockIsTheWallClockInUtc();
};

void TestClock::systemClockIsTheWallClockInUtc()
{
    Clock &clock = systemClock();
    QCOMPARE(&clock, &systemClock()); // one per process
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const QDateTime now = clock.nowUtc();
    const qint64 ms = clock.nowMSecs();
    const QDateTime after = QDateTime::currentDateTimeUtc();
    QCOMPARE(now.timeSpec(), Qt::UTC);
    QVERIFY(before <= now && now <= after);
    QVERIFY(now.toMSecsSinceEpoch() <= ms && ms <= after.toMSecsSinceEpoch());
}

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
