// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end 2: VMs evicted with no Preempt document (agent loss) are caught by
// spotkeeperd's reconciler from ARM's list and restarted, once each.
#include "support/e2e/e2echecks.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

class TestE2eAgentLoss : public QObject
{
    Q_OBJECT

private slots:
    void reconcilerCatchesSilentEvictions()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        constexpr int kFleet = 12;
        E2eRig rig;
        QString error;
        QVERIFY2(rig.startSim(kFleet, kFleet, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error, 10), qPrintable(error));
        // Let the first sweep learn the fleet (tags: auto-restart) before the loss.
        QVERIFY(E2eRig::waitFor(
            [&] {
                auto store = rig.openStore();
                return store && store->vms().size() >= kFleet;
            },
            60'000));
        const QJsonObject lost = rig.control("agent-loss", R"({"count":4})");
        QCOMPARE(lost.value("evicted"_L1).toArray().size(), 4);
        const bool recovered = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return runningVms(s) == kFleet && counter(s, "startsSucceeded") >= 4;
            },
            150'000);
        const QJsonObject state = rig.state();
        QVERIFY2(recovered, qPrintable(rig.daemonLog().right(1500)));
        QCOMPARE(counter(state, "evictionsWithoutNotice"), 4);
        QCOMPARE(counter(state, "startsOnRunning"), 0);
        QCOMPARE(counter(state, "doubleStarts"), 0);
        // No agent spoke: the evictions in the store come from the reconciler.
        auto store = rig.openStore();
        QVERIFY(store);
        core::EventFilter filter;
        filter.kinds = {core::EventKind::Eviction};
        const QList<core::EventRecord> evictions = store->events(filter);
        int fromReconciler = 0;
        for (const core::EventRecord &e : evictions)
            fromReconciler += e.source == "reconciler"_L1 ? 1 : 0;
        QCOMPARE(fromReconciler, 4);
        QVERIFY(storedNoticeIds(*store).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestE2eAgentLoss)
#include "tst_e2eagentloss.moc"
