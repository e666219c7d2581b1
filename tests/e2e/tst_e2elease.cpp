// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end (issue 12, point 3): two spotkeeperd processes on one store file. The first is
// SIGKILLed in the middle of an eviction storm and started again: under its stable
// identity it reclaims its jobs at once (not after the 120 s lease), the second one never
// works on them meanwhile, and the simulator sees no double start and no start of a
// running VM.
#include "support/e2e/e2echecks.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eLease : public QObject
{
    Q_OBJECT

private slots:
    void killedDaemonReclaimsItsJobsAtOnce()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 20;
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, kFleet, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        QVERIFY2(rig.startSecondDaemon(&error), qPrintable(error));
        QVERIFY2(rig.secondDaemonLog().contains(u"is in use by process"_s),
                 "the second engine on this host and store must run under its own identity");

        const QJsonObject evicted = rig.control("evict", R"({"count":20})");
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), kFleet);
        // Wait for the notices' jobs; the VMs are still deallocating (30 s + 30 s simulated).
        auto store = rig.openStore();
        QVERIFY(store);
        QVERIFY(E2eRig::waitFor([&] { return store->activeJobs().size() == kFleet; }, 30'000));
        QSet<QString> owners;
        for (const core::JobRecord &job : store->activeJobs())
            owners.insert(job.leaseOwner);
        QCOMPARE(owners.size(), 1); // the notices reach the first daemon
        const QString owner = *owners.cbegin();
        QVERIFY2(owner.startsWith(u"engine:"_s), qPrintable(owner));

        rig.killDaemon(); // SIGKILL: no lease released
        QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        QElapsedTimer sinceRestart;
        sinceRestart.start();
        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == kFleet && runningVms(s) == kFleet;
            },
            60'000); // half the lease: only a reclaim, never a rescue, finishes in time
        const QJsonObject state = rig.state();
        QVERIFY2(recovered,
                 qPrintable(u"running %1 of %2 after %3 ms; log: %4"_s.arg(runningVms(state))
                                .arg(kFleet)
                                .arg(sinceRestart.elapsed())
                                .arg(rig.daemonLog().right(1500))));
        QCOMPARE(counter(state, "doubleStarts"), 0);
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        // The restarted process finished the jobs under the same identity.
        QVERIFY(E2eRig::waitFor([&] { return store->activeJobs().isEmpty(); }, 20'000));
        const QList<core::VmRecord> vms = store->vms();
        int byOwner = 0;
        for (const core::VmRecord &vm : vms) {
            const QList<core::JobRecord> jobs = store->jobs(vm.id, 1);
            if (!jobs.isEmpty() && jobs.first().leaseOwner == owner)
                ++byOwner;
        }
        QCOMPARE(byOwner, kFleet);
        qInfo("all %d VMs running %lld ms after the restart", kFleet,
              qint64(sinceRestart.elapsed()));
    }
};

QTEST_GUILESS_MAIN(TestE2eLease)
#include "tst_e2elease.moc"
