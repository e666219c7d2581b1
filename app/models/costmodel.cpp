// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/costmodel.h"

#include "models/fleetsource.h"

#include <QLocale>
#include <QPointer>

namespace spotkeeper::gui {

namespace {

constexpr qint64 kDayMs = 24 * 3'600'000LL;

QString money(double value, const QString &currency)
{
    return QLocale().toString(value, 'f', 2) + QLatin1Char(' ') + currency;
}

QString hours(double value)
{
    return QLocale().toString(value, 'f', 1);
}

} // namespace

CostTableModel::CostTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

CostTableModel::~CostTableModel() = default;

void CostTableModel::setReport(const core::CostReport &report)
{
    beginResetModel();
    m_report = report;
    endResetModel();
}

int CostTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_report.rows.size());
}

int CostTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CostTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::CostRow &row = m_report.rows.at(index.row());
    const int column = index.column();
    QVariant raw;
    switch (column) {
    case Group:
        raw = row.label.isEmpty() ? row.key : row.label;
        break;
    case Vms:
        raw = row.vms;
        break;
    case RunningHours:
        raw = row.runningHours;
        break;
    case SpotCost:
        raw = row.spotCost;
        break;
    case PayAsYouGoCost:
        raw = row.payAsYouGoCost;
        break;
    case Savings:
        raw = row.savings();
        break;
    case LostHours:
        raw = row.lostHours;
        break;
    case LostCost:
        raw = row.lostPayAsYouGoCost;
        break;
    case Evictions:
        raw = row.evictions;
        break;
    default:
        return {};
    }
    if (role == Qt::EditRole || role == Qt::UserRole)
        return raw;
    if (role == Qt::DisplayRole) {
        if (column == RunningHours || column == LostHours)
            return hours(raw.toDouble());
        if (column == SpotCost || column == PayAsYouGoCost || column == Savings
            || column == LostCost)
            return money(raw.toDouble(), m_report.currency);
        return raw;
    }
    if (role == Qt::TextAlignmentRole)
        return column == Group ? int(Qt::AlignLeft | Qt::AlignVCenter)
                               : int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == Group) {
        if (row.unpricedHours > 0)
            return tr("%1 running hours have no cached price; they count as 0.")
                .arg(hours(row.unpricedHours));
        return row.key;
    }
    return {};
}

QVariant CostTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Group:
        switch (m_report.query.groupBy) {
        case core::CostGroup::Vm:
            return tr("VM");
        case core::CostGroup::Size:
            return tr("Size");
        case core::CostGroup::Region:
            return tr("Region");
        case core::CostGroup::ResourceGroup:
            return tr("Resource group");
        }
        return {};
    case Vms:
        return tr("VMs");
    case RunningHours:
        return tr("Running h");
    case SpotCost:
        return tr("Spot cost");
    case PayAsYouGoCost:
        return tr("Pay-as-you-go cost");
    case Savings:
        return tr("Savings");
    case LostHours:
        return tr("Hours lost to evictions");
    case LostCost:
        return tr("Lost (pay-as-you-go)");
    case Evictions:
        return tr("Evictions");
    default:
        return {};
    }
}

RiskTableModel::RiskTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

RiskTableModel::~RiskTableModel() = default;

void RiskTableModel::setRows(const QList<core::RiskRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int RiskTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RiskTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RiskTableModel::raw(const core::RiskRow &row, int column) const
{
    switch (column) {
    case Size:
        return row.sizeLabel.isEmpty() ? row.size : row.sizeLabel;
    case Region:
        return row.region;
    case Vms:
        return row.vms;
    case RunningHours:
        return row.runningHours;
    case Evictions:
        return row.evictions;
    case PerVmDay:
        return row.evictionsPerVmDay();
    case MedianRecovery:
        return row.medianRecoveryHours;
    case PublishedBand:
        return row.band.isEmpty() ? QVariant() : QVariant(row.bandLowPercent);
    case Flag:
        return row.flagged;
    default:
        return {};
    }
}

QVariant RiskTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::RiskRow &row = m_rows.at(index.row());
    const int column = index.column();
    if (role == Qt::EditRole || role == Qt::UserRole)
        return raw(row, column);
    if (role == Qt::TextAlignmentRole)
        return column == Size || column == Region || column == Flag
            ? int(Qt::AlignLeft | Qt::AlignVCenter)
            : int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == PublishedBand && row.bandFetchedAt.isValid())
        return tr("Published by Azure (Resource Graph), read %1")
            .arg(QLocale().toString(row.bandFetchedAt.toLocalTime(), QLocale::ShortFormat));
    if (role == Qt::ToolTipRole && column == Flag && row.flagged)
        return tr("Observed %1 % per running hour, more than twice the published band's upper "
                  "bound (%2 %).")
            .arg(QLocale().toString(row.observedPercentPerHour(), 'f', 1))
            .arg(QLocale().toString(row.bandHighPercent, 'f', 0));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case RunningHours:
        return hours(row.runningHours);
    case PerVmDay:
        return QLocale().toString(row.evictionsPerVmDay(), 'f', 2);
    case MedianRecovery:
        return row.medianRecoveryHours < 0 ? QStringLiteral("\u2013")
                                           : hours(row.medianRecoveryHours);
    case PublishedBand:
        return row.band.isEmpty() ? tr("not published") : tr("%1 %").arg(row.band);
    case Flag:
        return row.flagged ? tr("Far above the band") : QString();
    default:
        return raw(row, column);
    }
}

QVariant RiskTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Size:
        return tr("Size");
    case Region:
        return tr("Region");
    case Vms:
        return tr("VMs");
    case RunningHours:
        return tr("Running h");
    case Evictions:
        return tr("Evictions");
    case PerVmDay:
        return tr("Evictions per VM-day");
    case MedianRecovery:
        return tr("Median recovery h");
    case PublishedBand:
        return tr("Published eviction rate");
    case Flag:
        return tr("Flag");
    default:
        return {};
    }
}

CostReports::CostReports(FleetSource &source, const base::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_clock(clock)
{ }

CostReports::~CostReports() = default;

qint64 CostReports::spanMsOf(Range range)
{
    switch (range) {
    case Range::Last7Days:
        return 7 * kDayMs;
    case Range::Last30Days:
        return 30 * kDayMs;
    case Range::Last90Days:
        return 90 * kDayMs;
    case Range::Last12Months:
        return 365 * kDayMs;
    }
    return 30 * kDayMs;
}

qint64 CostReports::bucketMsFor(Range range)
{
    return range == Range::Last12Months ? 7 * kDayMs : kDayMs;
}

void CostReports::setRange(Range range)
{
    m_range = range;
    reload();
}

void CostReports::setGroupBy(core::CostGroup group)
{
    m_groupBy = group;
    reload();
}

void CostReports::setRiskWanted(bool wanted)
{
    if (wanted == m_riskWanted)
        return;
    m_riskWanted = wanted;
    if (wanted)
        reload(); // when it is no longer wanted, the rows shown stay until the next reload
}

void CostReports::reload()
{
    const quint64 generation = ++m_generation;
    // By size (the default) the table's report is the top-sizes report too: one query.
    const bool oneQuery = m_groupBy == core::CostGroup::Size;
    m_pending = oneQuery ? 1 : 2;
    m_nextMain.reset();
    m_nextSizes.reset();
    m_error.clear();
    emit loadingStarted();
    // Whole days (UTC), so the buckets start at midnight and a reload a minute later reads
    // the same buckets; the last one runs until now.
    const qint64 bucket = bucketMsFor(m_range);
    const qint64 now = m_clock.nowMSecs();
    const qint64 end = (now / kDayMs + 1) * kDayMs;
    core::CostQuery main;
    main.to = QDateTime::fromMSecsSinceEpoch(end, Qt::UTC);
    main.from = QDateTime::fromMSecsSinceEpoch(end - spanMsOf(m_range), Qt::UTC);
    main.groupBy = m_groupBy;
    main.bucketMs = bucket;
    main.risk = oneQuery && m_riskWanted; // the by-size report carries the eviction risk
    core::CostQuery sizes = main;
    sizes.groupBy = core::CostGroup::Size;
    sizes.bucketMs = 0;
    sizes.risk = m_riskWanted;
    QPointer<CostReports> self(this);
    m_source.costReport(main, [self, generation](const auto &report, const QString &error) {
        if (self)
            self->handleAnswer(generation, false, report, error);
    });
    if (oneQuery)
        return;
    m_source.costReport(sizes, [self, generation](const auto &report, const QString &error) {
        if (self)
            self->handleAnswer(generation, true, report, error);
    });
}

void CostReports::handleAnswer(quint64 generation, bool sizes,
                               const std::optional<core::CostReport> &report, const QString &error)
{
    if (generation != m_generation || m_pending <= 0)
        return; // a newer reload replaced this one, or its other half failed
    if (!report) {
        m_pending = 0;
        m_error = error;
        emit failed(error);
        return;
    }
    (sizes ? m_nextSizes : m_nextMain) = report;
    if (--m_pending > 0)
        return;
    m_bySize = m_nextSizes ? *m_nextSizes : *m_nextMain;
    m_risk.setRows(m_bySize.risk);
    m_table.setReport(*m_nextMain);
    emit reloaded();
}

} // namespace spotkeeper::gui
