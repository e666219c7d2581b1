// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/costtypes.h"

#include <QAbstractTableModel>
#include <QObject>

namespace spotkeeper::gui {

class FleetSource;

// The rows of a cost report (docs/ANALYTICS.md) as a table: one row per VM, size, region or
// resource group, money in the report's currency, hours as numbers (Qt::EditRole / UserRole
// give the raw value for sorting and export).
class CostTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Group,
        Vms,
        RunningHours,
        SpotCost,
        PayAsYouGoCost,
        Savings,
        LostHours,
        LostCost,
        Evictions,
        ColumnCount
    };

    explicit CostTableModel(QObject *parent = nullptr);
    ~CostTableModel() override;
    Q_DISABLE_COPY_MOVE(CostTableModel)

    void setReport(const core::CostReport &report);
    const core::CostReport &report() const { return m_report; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    core::CostReport m_report;
};

// The eviction risk of a report (docs/ANALYTICS.md "Eviction risk"): one row per size and
// region, what SpotKeeper observed beside the band Azure publishes; flagged rows say so
// (Qt::UserRole and EditRole give raw values for sorting).
class RiskTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Size,
        Region,
        Vms,
        RunningHours,
        Evictions,
        PerVmDay,
        MedianRecovery,
        PublishedBand,
        Flag,
        ColumnCount
    };

    explicit RiskTableModel(QObject *parent = nullptr);
    ~RiskTableModel() override;
    Q_DISABLE_COPY_MOVE(RiskTableModel)

    void setRows(const QList<core::RiskRow> &rows);
    const QList<core::RiskRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant raw(const core::RiskRow &row, int column) const;

    QList<core::RiskRow> m_rows;
};

// The Cost tab's data: for the chosen range and grouping, the report (rows + savings series)
// and, for the "top sizes" charts, the same range by size (one query when grouped by size). Both
// come from the FleetSource, computed off the GUI thread; a newer request replaces an older one
// still running (its answer is dropped). A relative range ("last 30 days") ends at the clock's now
// on every reload.
class CostReports final : public QObject
{
    Q_OBJECT
public:
    enum class Range { Last7Days, Last30Days, Last90Days, Last12Months };

    CostReports(FleetSource &source, const base::Clock &clock, QObject *parent = nullptr);
    ~CostReports() override;
    Q_DISABLE_COPY_MOVE(CostReports)

    void setRange(Range range);
    Range range() const { return m_range; }
    void setGroupBy(core::CostGroup group);
    // The eviction risk is worked out only while it is wanted (the Eviction risk tab is open):
    // it costs the database about as much as the costs themselves. Turning it on reloads.
    void setRiskWanted(bool wanted);
    bool riskWanted() const { return m_riskWanted; }
    core::CostGroup groupBy() const { return m_groupBy; }
    void reload();
    bool isLoading() const { return m_pending > 0; }

    // The bucket of the savings series for a range: a day, a week for a year.
    static qint64 bucketMsFor(Range range);
    static qint64 spanMsOf(Range range);

    CostTableModel *table() { return &m_table; }
    RiskTableModel *risk() { return &m_risk; } // the range's eviction risk (by size report)
    const core::CostReport &bySize() const { return m_bySize; }
    QString lastError() const { return m_error; }

Q_SIGNALS:
    void loadingStarted();
    void reloaded(); // table() and bySize() hold the new reports
    void failed(const QString &why);

private:
    void handleAnswer(quint64 generation, bool sizes, const std::optional<core::CostReport> &report,
                      const QString &error);

    FleetSource &m_source;
    const base::Clock &m_clock;
    CostTableModel m_table;
    RiskTableModel m_risk;
    core::CostReport m_bySize;
    std::optional<core::CostReport> m_nextMain;
    std::optional<core::CostReport> m_nextSizes;
    Range m_range = Range::Last30Days;
    core::CostGroup m_groupBy = core::CostGroup::Size;
    bool m_riskWanted = false;
    quint64 m_generation = 0;
    int m_pending = 0;
    QString m_error;
};

} // namespace spotkeeper::gui
