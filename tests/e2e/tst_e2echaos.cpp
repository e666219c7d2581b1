// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end 4 (chaos): spotkeeperd is killed with SIGKILL at random moments, at least 20
// times, while a 200-VM fleet is evicted and restarted. Afterwards: no notice an agent got
// a 2xx for is missing from the store, no double start, PRAGMA integrity_check ok, and
// every VM runs.
#include "support/e2e/e2echecks.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eChaos : public QObject
{
    Q_OBJECT

private slots:
    void sigkillDuringMassEviction()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 200;
        constexpr int kKills = 20;
        const quint32 seed = quint32(qEnvironmentVariableIntValue("SPOTKEEPER_CHAOS_SEED"));
        QRandomGenerator rng(seed ? seed : 20'260'101);
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, kFleet, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        QTest::qWait(1000);
        QCOMPARE(rig.control("evict", R"({"count":200})").value("evicted"_L1).toArray().size(),
                 kFleet);
        for (int kill = 0; kill < kKills; ++kill) {
            QTest::qWait(200 + int(rng.bounded(1800)));
            rig.killDaemon();
            QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        }
        QCOMPARE(rig.daemonStarts(), kKills + 1);
        // Jobs leased by a killed process wait for their lease (EngineConfig::leaseMs,
        // 120 s) before the running spotkeeperd rescues them (it wakes at the earliest
        // expiry, docs/ENGINE.md): allow for it.
        QElapsedTimer sinceLastKill;
        sinceLastKill.start();
        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == kFleet && runningVms(s) == kFleet;
            },
            160'000);
        const QJsonObject state = rig.state();
        QString jobs;
        if (!recovered) {
            auto store = rig.openStore();
            for (const core::JobRecord &job : store->activeJobs())
                jobs += core::toString(job.state) + u" lease "_s + job.leaseOwner + u"; "_s;
        }
        qInfo("%d of %d VMs running %lld s after the last SIGKILL; active jobs: %s",
              runningVms(state), kFleet, sinceLastKill.elapsed() / 1000,
              qPrintable(jobs.left(600)));
        QVERIFY2(recovered, qPrintable(u"running %1 of %2"_s.arg(runningVms(state)).arg(kFleet)));
        QCOMPARE(counter(state, "doubleStarts"), 0);
        QCOMPARE(counter(state, "startsOnRunning"), 0);

        rig.killDaemon(); // the store as a crash leaves it
        auto store = rig.openStore();
        QVERIFY(store);
        QString details;
        QVERIFY2(store->integrityCheck(&details), qPrintable(details));
        const QSet<QString> stored = storedNoticeIds(*store);
        const QSet<QString> acked = acknowledgedNoticeIds(rig.records());
        QVERIFY(!acked.isEmpty());
        int lost = 0;
        for (const QString &id : acked)
            lost += stored.contains(id) ? 0 : 1;
        QCOMPARE(lost, 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eChaos)
#include "tst_e2echaos.moc"
