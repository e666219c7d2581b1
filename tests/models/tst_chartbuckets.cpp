// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/chartbuckets.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

namespace {
const QDateTime kNoon(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC);

core::EventRecord eviction(qint64 vmId, const QDateTime &at)
{
    core::EventRecord e;
    e.vmId = vmId;
    e.kind = core::EventKind::Eviction;
    e.at = at;
    return e;
}

core::JobRecord job(core::JobState state, const QDateTime &evicted, qint64 recoverySecs)
{
    core::JobRecord j;
    j.state = state;
    j.evictedAt = evicted;
    j.createdAt = evicted;
    if (recoverySecs >= 0)
        j.finishedAt = evicted.addSecs(recoverySecs);
    return j;
}
} // namespace

class TestChartBuckets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bucketSizes()
    {
        QCOMPARE(buckets::bucketSecondsFor(kNoon.addSecs(-3600), kNoon), 300);
        QCOMPARE(buckets::bucketSecondsFor(kNoon.addDays(-1), kNoon), 3600);
        QCOMPARE(buckets::bucketSecondsFor(kNoon.addDays(-7), kNoon), 86400);
        QCOMPARE(buckets::bucketSecondsFor(kNoon.addDays(-30), kNoon), 86400);
    }

    void hourlyStackedByRegion()
    {
        QHash<qint64, core::VmRecord> vms;
        vms[1].location = QStringLiteral("eastus");
        vms[1].resourceGroup = QStringLiteral("rg-a");
        vms[2].location = QStringLiteral("westeurope");
        vms[2].resourceGroup = QStringLiteral("rg-a");
        const QDateTime from = kNoon.addDays(-1);
        const QList<core::EventRecord> events = {
            eviction(1, kNoon.addSecs(-30)), // last bucket (11:00-12:00)
            eviction(1, kNoon.addSecs(-3599)), // same bucket
            eviction(2, kNoon.addSecs(-3601)), // 10:00-11:00
            eviction(2, from), // first bucket, inclusive
            eviction(9, kNoon.addSecs(-7200)), // unknown VM
            eviction(1, kNoon), // at `to`: excluded
            eviction(1, from.addSecs(-1)), // before `from`: excluded
        };
        const auto s =
            buckets::evictionsOverTime(events, vms, from, kNoon, 3600, buckets::GroupBy::Region);
        QCOMPARE(s.starts.size(), 24);
        QCOMPARE(s.starts.constFirst(), from);
        QCOMPARE(s.groups,
                 (QStringList {QStringLiteral("eastus"), QStringLiteral("unknown"),
                               QStringLiteral("westeurope")}));
        QCOMPARE(s.counts.at(0).at(23), 2);
        QCOMPARE(s.counts.at(2).at(22), 1);
        QCOMPARE(s.counts.at(2).at(0), 1);
        QCOMPARE(s.counts.at(1).at(22), 1);
        QCOMPARE(s.total(), 5);
        const auto byGroup = buckets::evictionsOverTime(events, vms, from, kNoon, 3600,
                                                        buckets::GroupBy::ResourceGroup);
        QCOMPARE(byGroup.groups, (QStringList {QStringLiteral("rg-a"), QStringLiteral("unknown")}));
        QCOMPARE(byGroup.total(), 5);
    }

    void dailyBucketsAlignToMidnight()
    {
        const QDateTime from = kNoon.addDays(-30);
        const auto s = buckets::evictionsOverTime({eviction(1, kNoon.addSecs(-60))}, {}, from,
                                                  kNoon, 86400, buckets::GroupBy::Region);
        QCOMPARE(s.starts.size(), 31);
        QCOMPARE(s.starts.constFirst().time(), QTime(0, 0));
        QCOMPARE(s.counts.at(0).constLast(), 1);
    }

    void emptyOrInvalidRange()
    {
        QCOMPARE(buckets::evictionsOverTime({}, {}, kNoon, kNoon, 3600, buckets::GroupBy::Region)
                     .starts.size(),
                 0);
        QCOMPARE(buckets::evictionsOverTime({eviction(1, kNoon)}, {}, kNoon, kNoon.addSecs(-1),
                                            3600, buckets::GroupBy::Region)
                     .total(),
                 0);
    }

    void timeToRecovery()
    {
        const QDateTime t = kNoon.addSecs(-10 * 3600);
        const QList<core::JobRecord> jobs = {
            job(core::JobState::Running, t, 30), // < 1 min
            job(core::JobState::Running, t, 60), // 1-5 min (edge goes up)
            job(core::JobState::Running, t, 299), // 1-5 min
            job(core::JobState::Running, t, 600), // 5-15 min
            job(core::JobState::Running, t, 1800), // 15-60 min
            job(core::JobState::Running, t, 2 * 3600), // 1-4 h
            job(core::JobState::Running, t, 5 * 3600), // > 4 h
            job(core::JobState::NeedsOperator, t, 10), // not recovered
            job(core::JobState::Running, t.addDays(-5), 30), // finished before the range
        };
        const auto d = buckets::timeToRecovery(jobs, kNoon.addDays(-1), kNoon);
        QCOMPARE(d.labels.size(), 6);
        QCOMPARE(d.counts, (QList<int> {1, 2, 1, 1, 1, 1}));
    }

    void outcomes()
    {
        const QDateTime t = kNoon.addSecs(-3600);
        const QList<core::JobRecord> jobs = {
            job(core::JobState::Running, t, 60),
            job(core::JobState::Running, t, 90),
            job(core::JobState::NeedsOperator, t, -1),
            job(core::JobState::Cancelled, t, -1),
            job(core::JobState::BackingOff, t, -1),
            job(core::JobState::WaitingForDeallocation, t, -1),
            job(core::JobState::Paused, t, -1),
            job(core::JobState::Running, t.addDays(-3), 60),
        };
        const auto d = buckets::restartOutcomes(jobs, kNoon.addDays(-1), kNoon);
        QCOMPARE(d.counts, (QList<int> {2, 1, 1, 2, 1, 0}));
        QCOMPARE(d.total(), 7);
    }

    // Application health: recovered is when the application reported healthy; a job that
    // ended with the application unhealthy never recovered; waiting for it is in progress.
    void applicationHealth()
    {
        const QDateTime t = kNoon.addSecs(-3600);
        core::JobRecord healthyLater = job(core::JobState::Running, t, 30); // VM up after 30 s
        healthyLater.appHealthyAt = t.addSecs(400); // the application 400 s after the eviction
        core::JobRecord notHealthy = job(core::JobState::Running, t, 30);
        notHealthy.reason = QLatin1StringView(core::kAppNotHealthyReason);
        const QList<core::JobRecord> jobs = {healthyLater, notHealthy,
                                             job(core::JobState::Running, t, 30),
                                             job(core::JobState::WaitingForApplication, t, -1)};
        const auto ttr = buckets::timeToRecovery(jobs, kNoon.addDays(-1), kNoon);
        QCOMPARE(ttr.counts, (QList<int> {1, 0, 1, 0, 0, 0})); // < 1 min, and 5-15 min
        const auto outcomes = buckets::restartOutcomes(jobs, kNoon.addDays(-1), kNoon);
        QCOMPARE(outcomes.labels.size(), 6);
        QCOMPARE(outcomes.counts, (QList<int> {2, 0, 0, 1, 0, 1}));
    }
};

QTEST_GUILESS_MAIN(TestChartBuckets)
#include "tst_chartbuckets.moc"
