// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end 3: during a throttle storm (every ARM call answered 429 + Retry-After)
// spotkeeperd sends nothing before its Retry-After, and everything recovers after it.
#include "support/e2e/e2echecks.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eThrottle : public QObject
{
    Q_OBJECT

private slots:
    void noRequestBeforeRetryAfter()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 20;
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, kFleet, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        QTest::qWait(2000);
        QCOMPARE(rig.control("throttle-storm", R"({"seconds":15})").value("ok"_L1).toBool(), true);
        const QJsonObject evicted = rig.control("evict", R"({"count":10})");
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), 10);
        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == 10 && runningVms(s) == kFleet;
            },
            150'000);
        const QJsonObject state = rig.state();
        QVERIFY2(recovered, qPrintable(rig.daemonLog().right(1500)));
        QVERIFY2(counter(state, "throttled") > 0, "the storm throttled nothing: test is void");
        QCOMPARE(counter(state, "requestsBeforeRetryAfter"), 0);
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        QCOMPARE(counter(state, "doubleStarts"), 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eThrottle)
#include "tst_e2ethrottle.moc"
