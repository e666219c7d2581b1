// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end (issue 14, point 3): two spotkeeperd replicas on one PostgreSQL database against
// the simulator. The replica the agents report to is SIGKILLed in an eviction storm and not
// started again: the other one takes its jobs over when their lease ends and brings every VM
// back, with no double start and no start of a running VM. Needs PostgreSQL (skips without
// it, fails where CI=true).
#include "support/e2e/e2echecks.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eReplicas : public QObject
{
    Q_OBJECT

private:
    testsupport::PgCluster m_pg;

private slots:
    void initTestCase() { SPOTKEEPER_E2E_PG_START(m_pg); }

    void survivorTakesOverADeadReplicasJobs()
    {
        constexpr int kFleet = 20;
        QString error;
        E2eRig rig;
        QVERIFY2(rig.useReplicaDatabase(m_pg, u"replicas"_s, &error), qPrintable(error));
        QVERIFY2(rig.startSim(kFleet, kFleet, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        QVERIFY2(rig.startSecondDaemon(&error), qPrintable(error));

        const QJsonObject evicted = rig.control("evict", R"({"count":20})");
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), kFleet);
        auto store = rig.openStore();
        QVERIFY(store);
        QVERIFY(E2eRig::waitFor([&] { return store->activeJobs().size() == kFleet; }, 30'000));
        QSet<QString> owners;
        for (const core::JobRecord &job : store->activeJobs())
            owners.insert(job.leaseOwner);
        QCOMPARE(owners.size(), 1); // the notices reach the first replica, which owns the jobs
        const QString dead = *owners.cbegin();

        rig.killDaemon(); // SIGKILL, not restarted: only the second replica is left
        QElapsedTimer sinceKill;
        sinceKill.start();
        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == kFleet && runningVms(s) == kFleet;
            },
            120'000);
        const QJsonObject state = rig.state();
        QVERIFY2(
            recovered,
            qPrintable(u"running %1 of %2 after %3 ms; survivor log: %4"_s.arg(runningVms(state))
                           .arg(kFleet)
                           .arg(sinceKill.elapsed())
                           .arg(rig.secondDaemonLog().right(1500))));
        QCOMPARE(counter(state, "doubleStarts"), 0);
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        QVERIFY(E2eRig::waitFor([&] { return store->activeJobs().isEmpty(); }, 30'000));
        // Jobs the dead replica had not finished were finished by the survivor.
        int bySurvivor = 0;
        for (const core::VmRecord &vm : store->vms()) {
            const QList<core::JobRecord> jobs = store->jobs(vm.id, 1);
            if (!jobs.isEmpty() && jobs.first().leaseOwner != dead)
                ++bySurvivor;
        }
        QVERIFY2(bySurvivor > 0, "the survivor took no job over");
        qInfo("all %d VMs running %lld ms after the first replica was killed (%d jobs taken "
              "over)",
              kFleet, qint64(sinceKill.elapsed()), bySurvivor);
    }
};

QTEST_GUILESS_MAIN(TestE2eReplicas)
#include "tst_e2ereplicas.moc"
