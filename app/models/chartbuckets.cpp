// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/chartbuckets.h"

#include "fleet/cloud.h"
#include "models/cloudname.h"

#include <QCoreApplication>
#include <QMap>

#include <algorithm>
#include <functional>
#include <numeric>

namespace spotkeeper::gui::buckets {

int Stacked::total() const
{
    int sum = 0;
    for (const QList<int> &series : counts)
        sum = std::accumulate(series.cbegin(), series.cend(), sum);
    return sum;
}

int Distribution::total() const
{
    return std::accumulate(counts.cbegin(), counts.cend(), 0);
}

qint64 bucketSecondsFor(const QDateTime &from, const QDateTime &to)
{
    const qint64 span = from.secsTo(to);
    if (span <= 2 * 3600)
        return 300;
    if (span <= 48 * 3600)
        return 3600;
    return 86400;
}

Stacked evictionsOverTime(const QList<core::EventRecord> &evictions,
                          const QHash<qint64, core::VmRecord> &vms, const QDateTime &from,
                          const QDateTime &to, qint64 bucketSecs, GroupBy groupBy)
{
    Stacked out;
    out.bucketSecs = qMax<qint64>(1, bucketSecs);
    if (!from.isValid() || !to.isValid() || to <= from)
        return out;
    const qint64 first = from.toSecsSinceEpoch() / out.bucketSecs * out.bucketSecs;
    const qint64 end = to.toSecsSinceEpoch();
    for (qint64 t = first; t < end; t += out.bucketSecs)
        out.starts.append(QDateTime::fromSecsSinceEpoch(t, Qt::UTC));
    const int n = int(out.starts.size());

    QMap<QString, QList<int>> byGroup; // sorted by name
    const QString unknown = QCoreApplication::translate("ChartBuckets", "unknown");
    for (const core::EventRecord &e : evictions) {
        if (e.kind != core::EventKind::Eviction || e.at < from || e.at >= to)
            continue;
        const auto vm = vms.constFind(e.vmId);
        QString group = unknown;
        if (vm != vms.constEnd()) {
            const QString value = groupBy == GroupBy::Cloud ? cloudName(core::cloudOf(*vm))
                : groupBy == GroupBy::Region                ? vm->location
                                                            : vm->resourceGroup;
            if (!value.isEmpty())
                group = value;
        }
        QList<int> &series = byGroup[group];
        if (series.isEmpty())
            series.fill(0, n);
        const int bucket = int((e.at.toSecsSinceEpoch() - first) / out.bucketSecs);
        if (bucket >= 0 && bucket < n)
            ++series[bucket];
    }
    for (auto it = byGroup.cbegin(); it != byGroup.cend(); ++it) {
        out.groups.append(it.key());
        out.counts.append(it.value());
    }
    return out;
}

QList<qint64> recoveryBinUpperSecs()
{
    return {60, 5 * 60, 15 * 60, 60 * 60, 4 * 3600};
}

namespace {

// [from, to), an invalid end leaving that side open.
bool inWindow(const QDateTime &at, const QDateTime &from, const QDateTime &to)
{
    return (!from.isValid() || at >= from) && (!to.isValid() || at < to);
}

bool isAppNotHealthy(const core::JobRecord &job)
{
    return job.state == core::JobState::Running
        && job.reason == QLatin1StringView(core::kAppNotHealthyReason);
}

// One count per label: binOf gives a job's label index, or -1 to leave the job out.
Distribution countJobs(QStringList labels, const QList<core::JobRecord> &jobs,
                       const std::function<int(const core::JobRecord &)> &binOf)
{
    Distribution out;
    out.labels = std::move(labels);
    out.counts.fill(0, out.labels.size());
    for (const core::JobRecord &job : jobs) {
        if (const int bin = binOf(job); bin >= 0)
            ++out.counts[bin];
    }
    return out;
}

} // namespace

Distribution timeToRecovery(const QList<core::JobRecord> &jobs, const QDateTime &from,
                            const QDateTime &to)
{
    const QList<qint64> edges = recoveryBinUpperSecs();
    const auto bin = [&](const core::JobRecord &job) {
        // Recovered jobs only; with a health probe, recovered is when the application
        // reported healthy (a job that ended with it unhealthy never recovered).
        if (job.state != core::JobState::Running || !job.finishedAt.isValid()
            || !inWindow(job.finishedAt, from, to) || isAppNotHealthy(job))
            return -1;
        const QDateTime began = job.evictedAt.isValid() ? job.evictedAt : job.createdAt;
        if (!began.isValid())
            return -1;
        const QDateTime recovered = job.appHealthyAt.isValid() ? job.appHealthyAt : job.finishedAt;
        const qint64 secs = qMax<qint64>(0, began.secsTo(recovered));
        // The first bin whose upper edge is above secs; past the last edge, the last bin.
        return int(std::upper_bound(edges.cbegin(), edges.cend(), secs) - edges.cbegin());
    };
    return countJobs({QCoreApplication::translate("ChartBuckets", "< 1 min"),
                      QCoreApplication::translate("ChartBuckets", "1-5 min"),
                      QCoreApplication::translate("ChartBuckets", "5-15 min"),
                      QCoreApplication::translate("ChartBuckets", "15-60 min"),
                      QCoreApplication::translate("ChartBuckets", "1-4 h"),
                      QCoreApplication::translate("ChartBuckets", "> 4 h")},
                     jobs, bin);
}

Distribution restartOutcomes(const QList<core::JobRecord> &jobs, const QDateTime &from,
                             const QDateTime &to)
{
    const auto bin = [&](const core::JobRecord &job) {
        if (!inWindow(job.createdAt, from, to))
            return -1;
        switch (job.state) {
        case core::JobState::Running:
            return isAppNotHealthy(job) ? 5 : 0;
        case core::JobState::NeedsOperator:
            return 1;
        case core::JobState::Cancelled:
            return 2;
        case core::JobState::WaitingForDeallocation:
        case core::JobState::Starting:
        case core::JobState::BackingOff:
        case core::JobState::WaitingForApplication:
            return 3;
        case core::JobState::Paused:
            return 4;
        }
        return -1;
    };
    return countJobs({QCoreApplication::translate("ChartBuckets", "Recovered"),
                      QCoreApplication::translate("ChartBuckets", "Needs operator"),
                      QCoreApplication::translate("ChartBuckets", "Cancelled"),
                      QCoreApplication::translate("ChartBuckets", "In progress"),
                      QCoreApplication::translate("ChartBuckets", "Paused"),
                      QCoreApplication::translate("ChartBuckets", "App unhealthy")},
                     jobs, bin);
}

} // namespace spotkeeper::gui::buckets
