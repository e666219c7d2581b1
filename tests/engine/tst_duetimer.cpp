// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/duetimer.h"

#include <QTest>
#include <QTimer>

using namespace spotkeeper::core;

class TestDueTimer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void waitsUntilDue_data();
    void waitsUntilDue();
    void nothingDueStopsTheTimer();
};

void TestDueTimer::waitsUntilDue_data()
{
    QTest::addColumn<qint64>("dueInMs");
    QTest::addColumn<int>("intervalMs");
    QTest::newRow("later") << qint64(1'500) << 1'500;
    QTest::newRow("now") << qint64(0) << 0;
    QTest::newRow("past: at once") << qint64(-20'000) << 0;
    QTest::newRow("an hour") << qint64(3'600'000) << 3'600'000;
    QTest::newRow("beyond an hour: an hour") << qint64(86'400'000) << 3'600'000;
}

void TestDueTimer::waitsUntilDue()
{
    QFETCH(qint64, dueInMs);
    QFETCH(int, intervalMs);
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    QTimer timer;
    timer.setSingleShot(true);
    armForDue(timer, now, now.addMSecs(dueInMs));
    QVERIFY(timer.isActive());
    QCOMPARE(timer.interval(), intervalMs);
}

void TestDueTimer::nothingDueStopsTheTimer()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    QTimer timer;
    timer.start(60'000);
    armForDue(timer, now, QDateTime());
    QVERIFY(!timer.isActive());
}

QTEST_GUILESS_MAIN(TestDueTimer)
#include "tst_duetimer.moc"
