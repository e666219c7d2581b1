// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end (issue 12, point 5): 300 VMs without agents evicted at once against the
// simulator's default ARM limits (writes 200 + 10/s, reads 250 + 25/s). spotkeeperd must
// bring them all back with no 429, no double start, and at most 1.5 ARM reads per evicted
// VM: power states and start confirmations come from paged statusOnly lists, not from one
// GET and one operation poll per VM, and the Activity Log evidence of all of them from one
// listing of the subscription, not one query per VM (that alone was 1.0 read per VM: at
// most 10 Activity Log pages here, 300 when it was one query per VM).
#include "support/e2e/e2echecks.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eStorm : public QObject
{
    Q_OBJECT

private slots:
    void stormIsBoundByWritesNotReads()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 300;
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, 0, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error, 10), qPrintable(error));
        auto store = rig.openStore();
        QVERIFY(store);
        QVERIFY(E2eRig::waitFor([&] { return managedRunningVms(*store) == kFleet; }, 60'000));

        const QJsonObject before = rig.state();
        rig.control("evict", R"({"count":300})");
        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == kFleet && runningVms(s) == kFleet;
            },
            150'000);
        const QJsonObject after = rig.state();
        const auto delta = [&](const char *name) {
            return counter(after, name) - counter(before, name);
        };
        QVERIFY2(recovered,
                 qPrintable(u"running %1 of %2; log: %3"_s.arg(runningVms(after))
                                .arg(kFleet)
                                .arg(rig.daemonLog().right(1500))));
        QCOMPARE(delta("throttled"), 0);
        QCOMPARE(delta("doubleStarts"), 0);
        QCOMPARE(delta("startsOnRunning"), 0);
        QCOMPARE(delta("startsAccepted"), kFleet);
        const double readsPerVm = double(delta("armReads")) / kFleet;
        const QString split =
            u"%1 reads per VM: %2 list pages, %3 VM GETs, %4 operation polls, %5 Activity Log "
            "pages"_s.arg(readsPerVm)
                .arg(delta("armReadListPages"))
                .arg(delta("armReadVmGets"))
                .arg(delta("armReadOperationPolls"))
                .arg(delta("armReadActivityPages"));
        QVERIFY2(readsPerVm <= 1.5, qPrintable(split));
        QVERIFY2(delta("armReadActivityPages") <= 10, qPrintable(split));
        qInfo("%.2f ARM reads per evicted VM", readsPerVm);
    }
};

QTEST_GUILESS_MAIN(TestE2eStorm)
#include "tst_e2estorm.moc"
