// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end 1: a fleet evicted with notice (simulated agents, three real spotkeeper-agent
// processes, one VM without agent) ends running; the simulator never saw a start for a
// running VM nor two starts in flight for one VM. 15 % of ARM requests are answered by a
// TCP reset meanwhile: the ARM client and the engine must retry them.
#include "support/e2e/e2echecks.h"

#include <QJsonDocument>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eRestart : public QObject
{
    Q_OBJECT

private slots:
    void everyEvictedVmEndsRunning()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 24;
        constexpr int kSimAgents = 20;
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, kSimAgents, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        for (int i = kSimAgents + 1; i <= kSimAgents + 3; ++i)
            QVERIFY2(
                rig.startRealAgent(u"vm-"_s + QString::number(i).rightJustified(4, u'0'), &error),
                qPrintable(error));
        QTest::qWait(4000); // real agents: first IMDS poll and heartbeat
        const QJsonObject faults = rig.control("faults", R"({"resetRate":0.15})");
        QVERIFY2(faults.value("ok"_L1).toBool(), QJsonDocument(faults).toJson().constData());
        QJsonArray names;
        for (int i = 1; i <= kFleet; ++i)
            names.append(QString(u"vm-"_s + QString::number(i).rightJustified(4, u'0')));
        const QJsonObject evicted =
            rig.control("evict", QJsonDocument(QJsonObject {{u"vms"_s, names}}).toJson());
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), kFleet);

        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == kFleet && runningVms(s) == kFleet;
            },
            150'000);
        const QJsonObject state = rig.state();
        QVERIFY2(recovered,
                 qPrintable(u"running %1 of %2; daemon log tail: %3"_s.arg(runningVms(state))
                                .arg(kFleet)
                                .arg(rig.daemonLog().right(1500))));
        QVERIFY2(counter(state, "resets") > 0, "no connection was reset");
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        QCOMPARE(counter(state, "doubleStarts"), 0);
        QVERIFY(counter(state, "startsSucceeded") >= kFleet);

        // The store holds the notices of every agent-equipped VM (simulated and real).
        auto store = rig.openStore();
        QVERIFY(store);
        const QSet<QString> stored = storedNoticeIds(*store);
        const QSet<QString> acked = acknowledgedNoticeIds(rig.records());
        QCOMPARE(acked.size(), kSimAgents);
        for (const QString &id : acked)
            QVERIFY2(stored.contains(id), qPrintable(u"acknowledged notice lost: "_s + id));
        QVERIFY(stored.size() >= kSimAgents + 3);
    }
};

QTEST_GUILESS_MAIN(TestE2eRestart)
#include "tst_e2erestart.moc"
