// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/chartmodel.h"

#include "base/clock.h"
#include "models/fleetsource.h"

#include <QSet>

namespace spotkeeper::gui {

namespace {
constexpr int kEventPage = 20000;
constexpr int kJobsPerVm = 50;
} // namespace

ChartModel::ChartModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

ChartModel::~ChartModel() = default;

void ChartModel::setStacked(const buckets::Stacked &data)
{
    beginResetModel();
    m_categoryTitle = tr("Time (UTC)");
    m_categories.clear();
    m_starts = data.starts;
    m_bucketSecs = data.bucketSecs;
    const QString format = data.bucketSecs >= 86400 ? QStringLiteral("yyyy-MM-dd")
                                                    : QStringLiteral("yyyy-MM-dd HH:mm");
    for (const QDateTime &start : data.starts)
        m_categories.append(start.toUTC().toString(format));
    m_series = data.groups;
    m_values = data.counts;
    endResetModel();
}

void ChartModel::setDistribution(const buckets::Distribution &data, const QString &seriesName)
{
    beginResetModel();
    m_categoryTitle = QString();
    m_categories = data.labels;
    m_starts.clear();
    m_bucketSecs = 0;
    m_series = {seriesName};
    m_values = {data.counts};
    endResetModel();
}

int ChartModel::total() const
{
    int sum = 0;
    for (const QList<int> &series : m_values) {
        for (int v : series)
            sum += v;
    }
    return sum;
}

int ChartModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_categories.size());
}

int ChartModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1 + int(m_series.size());
}

QVariant ChartModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::TextAlignmentRole && index.column() > 0)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    if (index.column() == 0)
        return m_categories.at(index.row());
    return m_values.at(index.column() - 1).at(index.row());
}

QVariant ChartModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == 0)
        return m_categoryTitle;
    if (section - 1 < m_series.size())
        return m_series.at(section - 1);
    return {};
}

FleetCharts::FleetCharts(FleetSource &source, const base::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_clock(clock)
{
    m_to = clock.nowUtc();
    m_from = m_to.addSecs(-m_spanSecs);
    // Evictions arrive in bursts: redraw at most every 2 s.
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(2000);
    connect(&m_reloadTimer, &QTimer::timeout, this, &FleetCharts::reload);
    // A relative range slides with the clock even when nothing happens: new buckets
    // appear at the right, old evictions leave at the left.
    m_followTimer.setInterval(kFollowIntervalMs);
    connect(&m_followTimer, &QTimer::timeout, this, &FleetCharts::reload);
    connect(&source, &FleetSource::eventAppended, this, [this](const core::EventRecord &e) {
        if (e.kind == core::EventKind::Eviction && !m_reloadTimer.isActive())
            m_reloadTimer.start();
    });
    connect(&source, &FleetSource::fleetReset, this, &FleetCharts::reload);
}

FleetCharts::~FleetCharts() = default;

void FleetCharts::setRange(const QDateTime &from, const QDateTime &to)
{
    m_spanSecs = 0;
    m_followTimer.stop();
    m_from = from;
    m_to = to;
    reload();
}

void FleetCharts::setRelativeRange(qint64 spanSecs)
{
    m_spanSecs = qMax<qint64>(1, spanSecs);
    m_followTimer.start();
    reload();
}

void FleetCharts::setGroupBy(buckets::GroupBy groupBy)
{
    m_groupBy = groupBy;
    reload();
}

void FleetCharts::setCloud(std::optional<core::Cloud> cloud)
{
    m_cloud = cloud;
    reload();
}

void FleetCharts::reload()
{
    m_reloadTimer.stop();
    if (m_spanSecs > 0) {
        // The end is exclusive: one second past now so an eviction stamped "now" counts.
        m_to = m_clock.nowUtc().addSecs(1);
        m_from = m_to.addSecs(-m_spanSecs);
    }
    QHash<qint64, core::VmRecord> vms;
    for (const core::VmRecord &vm : m_source.vms()) {
        if (!m_cloud || core::cloudOf(vm) == *m_cloud)
            vms.insert(vm.id, vm);
    }
    // With a cloud chosen, the events and jobs of the other clouds' VMs are left out.
    const auto counted = [this, &vms](qint64 vmId) {
        return !m_cloud || vms.contains(vmId);
    };

    QList<core::EventRecord> evictions;
    core::EventFilter filter;
    filter.kinds = {core::EventKind::Eviction};
    filter.from = m_from;
    filter.to = m_to;
    filter.limit = kEventPage;
    QSet<qint64> evictedVms;
    for (;;) {
        const QList<core::EventRecord> page = m_source.events(filter);
        for (const core::EventRecord &e : page) {
            if (!counted(e.vmId))
                continue;
            evictedVms.insert(e.vmId);
            evictions.append(e);
        }
        if (page.size() < filter.limit)
            break;
        filter.afterId = page.constLast().id;
    }
    const qint64 bucket = buckets::bucketSecondsFor(m_from, m_to);
    m_evictions.setStacked(
        buckets::evictionsOverTime(evictions, vms, m_from, m_to, bucket, m_groupBy));

    // Jobs: of every VM evicted in the range and of every VM with an active job.
    for (const core::JobRecord &job : m_source.activeJobs()) {
        if (counted(job.vmId))
            evictedVms.insert(job.vmId);
    }
    QList<core::JobRecord> jobs;
    for (qint64 vmId : std::as_const(evictedVms))
        jobs.append(m_source.jobs(vmId, kJobsPerVm));
    m_recovery.setDistribution(buckets::timeToRecovery(jobs, m_from, m_to), tr("VMs recovered"));
    m_outcomes.setDistribution(buckets::restartOutcomes(jobs, m_from, m_to), tr("Restart jobs"));
    Q_EMIT reloaded();
}

} // namespace spotkeeper::gui
