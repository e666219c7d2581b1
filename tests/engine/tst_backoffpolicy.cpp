// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/backoffpolicy.h"
#include "fleet/ratebudget.h"

#include <QTest>

using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

class TestBackoffPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ceilingsDoubleUpToTheCap_data();
    void ceilingsDoubleUpToTheCap();
    void exactScheduleWithScriptedRandom();
    void seededScheduleIsReproducibleAndBounded();
    void retryAfterAndBudgetPushTheAttemptBack();
    void budgetBurstThenPace();
    void budgetBlockUntilEmptiesTheBucket();
    void unlimitedBudgetNeverWaits();
};

void TestBackoffPolicy::ceilingsDoubleUpToTheCap_data()
{
    QTest::addColumn<int>("failure");
    QTest::addColumn<QList<qint64>>("ceilings"); // seconds, retries 0..7
    QTest::newRow("transient") << int(FailureClass::Transient)
                               << QList<qint64> {10, 20, 40, 80, 160, 300, 300, 300};
    QTest::newRow("throttled") << int(FailureClass::Throttled)
                               << QList<qint64> {10, 20, 40, 80, 160, 300, 300, 300};
    QTest::newRow("capacity") << int(FailureClass::Capacity)
                              << QList<qint64> {30, 60, 120, 240, 300, 300, 300, 300};
}

void TestBackoffPolicy::ceilingsDoubleUpToTheCap()
{
    QFETCH(int, failure);
    QFETCH(QList<qint64>, ceilings);
    BackoffPolicy policy({}, BackoffPolicy::seededRandom(1));
    for (int retry = 0; retry < ceilings.size(); ++retry)
        QCOMPARE(policy.ceilingMs(retry, FailureClass(failure)), ceilings[retry] * 1'000);
    // Far past the cap the doubling must not overflow.
    QCOMPARE(policy.ceilingMs(10'000, FailureClass(failure)), 300'000);
}

void TestBackoffPolicy::exactScheduleWithScriptedRandom()
{
    // The random source returns fixed fractions of its range: the schedule is exact.
    const QList<double> fractions {0.5, 1.0, 0.0, 0.25, 0.75};
    int next = 0;
    QList<qint64> asked;
    BackoffPolicy policy({}, [&](qint64 highest) {
        asked.append(highest);
        return qint64(double(highest) * fractions[next++ % fractions.size()]);
    });
    const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    QCOMPARE(policy.nextAttemptAt(t0, 0, FailureClass::Transient), t0.addMSecs(5'000));
    QCOMPARE(policy.nextAttemptAt(t0, 1, FailureClass::Transient), t0.addMSecs(20'000));
    QCOMPARE(policy.nextAttemptAt(t0, 2, FailureClass::Transient), t0);
    QCOMPARE(policy.nextAttemptAt(t0, 3, FailureClass::Transient), t0.addMSecs(20'000));
    QCOMPARE(policy.nextAttemptAt(t0, 9, FailureClass::Transient), t0.addMSecs(225'000));
    QCOMPARE(asked, (QList<qint64> {10'000, 20'000, 40'000, 80'000, 300'000}));
}

void TestBackoffPolicy::seededScheduleIsReproducibleAndBounded()
{
    BackoffPolicy a({}, BackoffPolicy::seededRandom(7));
    BackoffPolicy b({}, BackoffPolicy::seededRandom(7));
    BackoffPolicy c({}, BackoffPolicy::seededRandom(8));
    QList<qint64> sa, sb, sc;
    for (int retry = 0; retry < 40; ++retry) {
        sa.append(a.delayMs(retry, FailureClass::Capacity));
        sb.append(b.delayMs(retry, FailureClass::Capacity));
        sc.append(c.delayMs(retry, FailureClass::Capacity));
        QVERIFY(sa.last() >= 0);
        QVERIFY(sa.last() <= a.ceilingMs(retry, FailureClass::Capacity));
    }
    QCOMPARE(sa, sb);
    QVERIFY(sa != sc);
    // Full jitter really spreads: not all at the ceiling, not all at zero.
    QVERIFY(std::any_of(sa.cbegin(), sa.cend(), [](qint64 d) { return d < 150'000; }));
    QVERIFY(std::any_of(sa.cbegin(), sa.cend(), [](qint64 d) { return d > 150'000; }));
}

void TestBackoffPolicy::retryAfterAndBudgetPushTheAttemptBack()
{
    BackoffPolicy policy({}, [](qint64) { return qint64(0); });
    const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    QCOMPARE(policy.nextAttemptAt(t0, 0, FailureClass::Throttled, t0.addSecs(120)),
             t0.addSecs(120));
    QCOMPARE(policy.nextAttemptAt(t0, 0, FailureClass::Transient, {}, t0.addSecs(15)),
             t0.addSecs(15));
    QCOMPARE(policy.nextAttemptAt(t0, 0, FailureClass::Transient, t0.addSecs(-5)), t0);
}

void TestBackoffPolicy::budgetBurstThenPace()
{
    RateBudget budget({12, 4, 60'000}); // Compute: 12 starts in a burst, then 4 a minute
    const qint64 t0 = 1'767'225'600'000;
    QCOMPARE(budget.available(t0), 12);
    for (int i = 0; i < 12; ++i)
        QVERIFY2(budget.tryTake(t0), qPrintable(QString::number(i)));
    QVERIFY(!budget.tryTake(t0));
    QCOMPARE(budget.earliestMs(t0), t0 + 15'000);
    QVERIFY(!budget.tryTake(t0 + 14'999));
    QVERIFY(budget.tryTake(t0 + 15'000));
    QCOMPARE(budget.earliestMs(t0 + 15'000), t0 + 30'000);
    // After a long quiet spell the bucket is full again, never more.
    QCOMPARE(budget.available(t0 + 3'600'000), 12);
}

void TestBackoffPolicy::budgetBlockUntilEmptiesTheBucket()
{
    RateBudget budget({200, 10, 1'000});
    const qint64 t0 = 1'767'225'600'000;
    QCOMPARE(budget.available(t0), 200);
    budget.blockUntil(t0 + 30'000);
    QVERIFY(!budget.canTake(t0 + 29'999));
    QVERIFY(budget.tryTake(t0 + 30'000));
    QCOMPARE(budget.earliestMs(t0 + 30'000), t0 + 30'100);
    budget.charge(t0 + 30'100, 5);
    QCOMPARE(budget.earliestMs(t0 + 30'100), t0 + 30'600);
}

void TestBackoffPolicy::unlimitedBudgetNeverWaits()
{
    RateBudget budget({0, 0, 1'000});
    for (int i = 0; i < 10'000; ++i)
        QVERIFY(budget.tryTake(1'000));
    QCOMPARE(budget.earliestMs(1'000), 1'000);
}

QTEST_GUILESS_MAIN(TestBackoffPolicy)
#include "tst_backoffpolicy.moc"
