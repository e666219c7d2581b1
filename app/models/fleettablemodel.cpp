// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fleettablemodel.h"

#include "base/clock.h"
#include "fleet/cloud.h"
#include "models/cloudname.h"
#include "models/fleetsource.h"

#include <QBrush>

#include <algorithm>
#include <limits>

namespace spotkeeper::gui {

namespace {

constexpr int kEvictionPage = 20000;
constexpr int kSliceRows = 48; // VMs re-read per event-loop pass during a burst
constexpr qint64 kWeekSecs = qint64(7) * 24 * 3600;

QString utcText(const QDateTime &when)
{
    return when.isValid() ? when.toUTC().toString(Qt::ISODate) : QString();
}

int countSince(const QList<QDateTime> &times, const QDateTime &since)
{
    // times is sorted ascending: count from the end
    int n = 0;
    for (auto it = times.crbegin(); it != times.crend() && *it >= since; ++it)
        ++n;
    return n;
}
} // namespace

FleetTableModel::FleetTableModel(FleetSource &source, const base::Clock &clock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_source(source)
    , m_clock(clock)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(150);
    connect(&m_flushTimer, &QTimer::timeout, this, &FleetTableModel::flushSlice);
    m_clockTimer.setInterval(1000);
    connect(&m_clockTimer, &QTimer::timeout, this, &FleetTableModel::tickClock);
    m_clockTimer.start();
    connect(&source, &FleetSource::vmChanged, this, &FleetTableModel::markDirty);
    connect(&source, &FleetSource::jobChanged, this, &FleetTableModel::markJobDirty);
    connect(&source, &FleetSource::eventAppended, this, &FleetTableModel::handleEvent);
    connect(&source, &FleetSource::fleetReset, this, &FleetTableModel::reload);
    reload();
}

FleetTableModel::~FleetTableModel() = default;

void FleetTableModel::setTickInterval(int msecs)
{
    m_flushTimer.setInterval(msecs);
}

int FleetTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FleetTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const FleetRow *FleetTableModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

void FleetTableModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_dirty.clear();
    m_jobDirty.clear();
    m_pendingEvictions.clear();
    const QDateTime now = m_clock.nowUtc();
    const QList<core::VmRecord> vms = m_source.vms();
    m_rows.reserve(vms.size());
    for (const core::VmRecord &vm : vms) {
        m_rowById.insert(vm.id, int(m_rows.size()));
        m_rows.append(FleetRow {vm, std::nullopt, {}, {}, Health::Unknown});
    }
    for (const core::JobRecord &job : m_source.activeJobs()) {
        const int r = m_rowById.value(job.vmId, -1);
        if (r >= 0)
            m_rows[r].job = job;
    }
    // Evictions of the last week, read in pages (ascending ids = oldest first).
    core::EventFilter filter;
    filter.kinds = {core::EventKind::Eviction};
    filter.from = now.addSecs(-kWeekSecs);
    filter.limit = kEvictionPage;
    for (;;) {
        const QList<core::EventRecord> page = m_source.events(filter);
        for (const core::EventRecord &e : page) {
            const int r = m_rowById.value(e.vmId, -1);
            if (r >= 0)
                m_rows[r].evictions.append(e.at);
        }
        if (page.size() < filter.limit)
            break;
        filter.afterId = page.constLast().id;
    }
    for (FleetRow &row : m_rows) {
        std::sort(row.evictions.begin(), row.evictions.end());
        refreshRow(row, now);
    }
    endResetModel();
    recount();
}

void FleetTableModel::refreshRow(FleetRow &row, const QDateTime &now)
{
    if (row.job && !row.job->lastErrorCode.isEmpty()) {
        row.lastArmError = row.job->lastErrorMessage.isEmpty()
            ? row.job->lastErrorCode
            : row.job->lastErrorCode + QLatin1StringView(": ") + row.job->lastErrorMessage;
    }
    const QDateTime weekAgo = now.addSecs(-kWeekSecs);
    while (!row.evictions.isEmpty() && row.evictions.constFirst() < weekAgo)
        row.evictions.removeFirst();
    row.health = healthOf(row.vm, row.job, row.lastEviction(), now);
}

void FleetTableModel::recount()
{
    HealthCounts counts {};
    for (const FleetRow &row : std::as_const(m_rows))
        ++counts[static_cast<std::size_t>(row.health)];
    if (counts != m_counts) {
        m_counts = counts;
        Q_EMIT summaryChanged();
    }
}

void FleetTableModel::markDirty(qint64 vmId)
{
    m_dirty.insert(vmId);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void FleetTableModel::markJobDirty(qint64 vmId)
{
    m_jobDirty.insert(vmId);
    markDirty(vmId);
}

void FleetTableModel::handleEvent(const core::EventRecord &event)
{
    if (event.kind != core::EventKind::Eviction)
        return;
    m_pendingEvictions.append(event);
    markDirty(event.vmId);
}

void FleetTableModel::flushPendingChanges()
{
    applyPending(std::numeric_limits<int>::max());
}

void FleetTableModel::flushSlice()
{
    // A burst (thousands of dirty VMs) is applied in slices, each its own event-loop pass,
    // so input and painting are never blocked for the whole burst.
    applyPending(kSliceRows);
    if (!m_dirty.isEmpty())
        QTimer::singleShot(0, this, &FleetTableModel::flushSlice);
}

void FleetTableModel::applyPending(int maxRows)
{
    m_flushTimer.stop();
    if (m_dirty.isEmpty())
        return;
    const QSet<qint64> dirty = takeDirty(maxRows);
    const QHash<qint64, QList<QDateTime>> newEvictions = takeEvictions(dirty);
    const QDateTime now = m_clock.nowUtc();
    QList<int> changed;
    QList<FleetRow> added;
    QList<qint64> removed;
    for (qint64 id : dirty) {
        std::optional<core::VmRecord> vm = m_source.vm(id);
        const int r = m_rowById.value(id, -1);
        if (!vm) {
            m_jobDirty.remove(id);
            if (r >= 0)
                removed.append(id);
            continue;
        }
        // The job is re-read only when it was announced changed (or the row is new): most
        // changes are power states, and the job query is as costly as the VM's.
        const bool jobChanged = m_jobDirty.remove(id) || r < 0;
        FleetRow fresh {std::move(*vm),
                        jobChanged ? m_source.activeJob(id) : std::nullopt,
                        {},
                        {},
                        Health::Unknown};
        FleetRow &row = r >= 0 ? m_rows[r] : fresh;
        if (r >= 0) {
            row.vm = std::move(fresh.vm);
            if (jobChanged)
                row.job = std::move(fresh.job);
        }
        const auto more = newEvictions.constFind(id);
        if (more != newEvictions.constEnd()) {
            row.evictions.append(*more);
            std::sort(row.evictions.begin(), row.evictions.end());
        }
        refreshRow(row, now);
        if (r >= 0)
            changed.append(r);
        else
            added.append(std::move(fresh));
    }
    emitRanges(changed, 0, ColumnCount - 1, {});
    removeRowsOf(removed);
    appendRows(added);
    recount();
    Q_EMIT flushed(int(changed.size() + added.size() + removed.size()));
}

QSet<qint64> FleetTableModel::takeDirty(int maxRows)
{
    if (m_dirty.size() <= maxRows)
        return std::exchange(m_dirty, {});
    QSet<qint64> dirty;
    for (auto it = m_dirty.begin(); it != m_dirty.end() && dirty.size() < maxRows;) {
        dirty.insert(*it);
        it = m_dirty.erase(it);
    }
    return dirty;
}

QHash<qint64, QList<QDateTime>> FleetTableModel::takeEvictions(const QSet<qint64> &vmIds)
{
    QHash<qint64, QList<QDateTime>> taken;
    QList<core::EventRecord> later;
    for (const core::EventRecord &e : std::as_const(m_pendingEvictions)) {
        if (vmIds.contains(e.vmId))
            taken[e.vmId].append(e.at);
        else
            later.append(e);
    }
    m_pendingEvictions = later;
    return taken;
}

void FleetTableModel::removeRowsOf(const QList<qint64> &vmIds)
{
    for (qint64 id : vmIds) {
        const int r = m_rowById.value(id, -1);
        beginRemoveRows({}, r, r);
        m_rows.removeAt(r);
        m_rowById.remove(id);
        for (auto it = m_rowById.begin(); it != m_rowById.end(); ++it) {
            if (it.value() > r)
                --it.value();
        }
        endRemoveRows();
    }
}

void FleetTableModel::appendRows(QList<FleetRow> &rows)
{
    if (rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    for (FleetRow &row : rows) {
        m_rowById.insert(row.vm.id, int(m_rows.size()));
        m_rows.append(std::move(row));
    }
    endInsertRows();
}

void FleetTableModel::emitRanges(QList<int> rows, int firstColumn, int lastColumn,
                                 const QList<int> &roles)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    int start = rows.constFirst();
    int prev = start;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows.at(i) == prev + 1) {
            prev = rows.at(i);
            continue;
        }
        Q_EMIT dataChanged(index(start, firstColumn), index(prev, lastColumn), roles);
        if (i < rows.size())
            start = prev = rows.at(i);
    }
}

void FleetTableModel::tickClock()
{
    const QDateTime now = m_clock.nowUtc();
    // Countdowns move every second, but only rows with an active job have one.
    QList<int> withJobs;
    for (int r = 0; r < m_rows.size(); ++r) {
        if (m_rows.at(r).job && m_rows.at(r).job->nextAttemptAt.isValid())
            withJobs.append(r);
    }
    emitRanges(withJobs, NextRetry, NextRetry, {Qt::DisplayRole});
    // "3 min ago" texts and the Recovered -> Running verdict change slowly: once a minute.
    if (++m_clockTicks % 60 != 0 || m_rows.isEmpty())
        return;
    QList<int> healthChanged;
    for (int r = 0; r < m_rows.size(); ++r) {
        const Health before = m_rows.at(r).health;
        refreshRow(m_rows[r], now);
        if (m_rows.at(r).health != before)
            healthChanged.append(r);
    }
    emitRanges(healthChanged, 0, ColumnCount - 1, {});
    Q_EMIT dataChanged(index(0, LastEviction), index(int(m_rows.size()) - 1, AgentLastSeen),
                       {Qt::DisplayRole});
    recount();
}

QStringList FleetTableModel::distinctValues(Role role) const
{
    QSet<QString> values;
    for (const FleetRow &row : m_rows)
        values.insert(role == RegionRole ? row.vm.location : row.vm.resourceGroup);
    values.remove(QString());
    QStringList list(values.cbegin(), values.cend());
    list.sort(Qt::CaseInsensitive);
    return list;
}

QString FleetTableModel::columnTitle(int column)
{
    switch (column) {
    case Name:
        return tr("Name");
    case Status:
        return tr("Status");
    case ResourceGroup:
        return tr("Resource group");
    case Subscription:
        return tr("Subscription");
    case Region:
        return tr("Region / zone");
    case Size:
        return tr("Size");
    case PowerState:
        return tr("Power state");
    case AutoRestart:
        return tr("Auto-restart");
    case JobState:
        return tr("Job state");
    case Attempt:
        return tr("Attempt");
    case NextRetry:
        return tr("Next retry");
    case LastEviction:
        return tr("Last eviction");
    case Evictions24h:
        return tr("Evictions 24 h");
    case Evictions7d:
        return tr("Evictions 7 d");
    case AgentLastSeen:
        return tr("Agent last seen");
    case LastError:
        return tr("Last ARM error");
    case Cloud:
        return tr("Cloud");
    default:
        return {};
    }
}

QVariant FleetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return columnTitle(section);
    return {};
}

QVariant FleetTableModel::displayData(const FleetRow &row, int column, const QDateTime &now) const
{
    const core::VmRecord &vm = row.vm;
    switch (column) {
    case Name:
        return vm.name;
    case Status:
        if (row.health == Health::Stopped && !vm.stoppedBy.isEmpty())
            return tr("Stopped on purpose by %1").arg(vm.stoppedBy);
        return healthText(row.health);
    case ResourceGroup:
        return vm.resourceGroup;
    case Subscription:
        return vm.subscriptionId;
    case Region:
        return vm.zone.isEmpty() ? vm.location : vm.location + QLatin1StringView(" / ") + vm.zone;
    case Size:
        return vm.size;
    case PowerState:
        return powerStateText(vm.powerState);
    case AutoRestart:
        return vm.autoRestart ? tr("On") : tr("Off");
    case JobState:
        return row.job ? jobStateText(row.job->state) : QString();
    case Attempt:
        return row.job ? QVariant(row.job->attempt) : QVariant();
    case NextRetry:
        if (row.job && row.job->state == core::JobState::BackingOff)
            return countdownText(row.job->nextAttemptAt, now);
        return {};
    case LastEviction:
        return relativeTime(row.lastEviction(), now);
    case Evictions24h:
        return countSince(row.evictions, now.addSecs(qint64(-24) * 3600));
    case Evictions7d:
        return int(row.evictions.size());
    case AgentLastSeen:
        return vm.agentLastSeen.isValid() ? relativeTime(vm.agentLastSeen, now) : tr("never");
    case LastError:
        return row.lastArmError;
    case Cloud:
        return cloudName(cloudOf(vm));
    default:
        return {};
    }
}

QVariant FleetTableModel::sortData(const FleetRow &row, int column) const
{
    switch (column) {
    case Status:
        return static_cast<int>(row.health);
    case PowerState:
        return static_cast<int>(row.vm.powerState);
    case AutoRestart:
        return row.vm.autoRestart;
    case JobState:
        return row.job ? static_cast<int>(row.job->state) : -1;
    case Attempt:
        return row.job ? row.job->attempt : -1;
    case NextRetry:
        return row.job ? row.job->nextAttemptAt : QDateTime();
    case LastEviction:
        return row.lastEviction();
    case AgentLastSeen:
        return row.vm.agentLastSeen;
    case Evictions24h:
        return displayData(row, column, m_clock.nowUtc());
    case Evictions7d:
        return int(row.evictions.size());
    default:
        return displayData(row, column, {});
    }
}

QVariant FleetTableModel::toolTipData(const FleetRow &row, int column) const
{
    switch (column) {
    case Status:
        if (row.job && !row.job->reason.isEmpty())
            return QString(healthText(row.health) + QLatin1StringView(": ") + row.job->reason);
        if (row.health == Health::AppUnhealthy)
            return tr("The VM is running but its application is unhealthy since %1: %2 (%3 "
                      "probe, %4 ms).")
                .arg(utcText(row.vm.appHealthSince), row.vm.appHealthDetail, row.vm.appProbe)
                .arg(row.vm.appLatencyMs);
        if (row.health == Health::AgentSilent)
            return tr("The VM is running but its agent has sent no heartbeat since %1 (silent "
                      "since %2): the agent is down, not the VM.")
                .arg(utcText(row.vm.agentLastSeen), utcText(row.vm.agentSilentSince));
        return healthText(row.health);
    case LastEviction:
        return utcText(row.lastEviction());
    case AgentLastSeen:
        if (!row.vm.agentLastPollError.isEmpty())
            return tr("%1 (last poll failed: %2)")
                .arg(utcText(row.vm.agentLastSeen), row.vm.agentLastPollError);
        return utcText(row.vm.agentLastSeen);
    case NextRetry:
        return row.job ? utcText(row.job->nextAttemptAt) : QString();
    case Name:
        return row.vm.resourceId;
    case LastError:
        return row.lastArmError;
    default:
        return {};
    }
}

QVariant FleetTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FleetRow &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column, m_clock.nowUtc());
    case Qt::ToolTipRole:
        return toolTipData(row, column);
    case Qt::AccessibleTextRole:
        return column == Status ? healthText(row.health) : QVariant();
    case Qt::DecorationRole:
        return column == Status ? QVariant(healthIcon(row.health)) : QVariant();
    case Qt::ForegroundRole:
        if (column == Status)
            return QBrush(healthColor(row.health));
        return {};
    case Qt::TextAlignmentRole:
        if (column == Attempt || column == Evictions24h || column == Evictions7d)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case VmIdRole:
        return row.vm.id;
    case SortRole:
        return sortData(row, column);
    case HealthRole:
        return static_cast<int>(row.health);
    case ProblemRole:
        return isProblem(row.health) || !row.vm.agentLastPollError.isEmpty();
    case RegionRole:
        return row.vm.location;
    case ResourceGroupRole:
        return row.vm.resourceGroup;
    case ResourceIdRole:
        return row.vm.resourceId;
    case SearchTextRole:
        return QStringList {
            row.vm.name, row.vm.resourceGroup, row.vm.subscriptionId,     row.vm.location,
            row.vm.size, row.lastArmError,     cloudName(cloudOf(row.vm))}
            .join(QLatin1Char('\n'))
            .toLower();
    case NextAttemptRole:
        return row.job ? row.job->nextAttemptAt : QDateTime();
    case JobStartedRole:
        return row.job ? row.job->createdAt : QDateTime();
    case JobUpdatedRole:
        return row.job ? row.job->updatedAt : QDateTime();
    default:
        return {};
    }
}

} // namespace spotkeeper::gui
