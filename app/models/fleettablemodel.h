// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/fleettypes.h"
#include "models/fleetstatus.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

#include <array>
#include <optional>

namespace spotkeeper::gui {

class FleetSource;

struct FleetRow
{
    core::VmRecord vm;
    std::optional<core::JobRecord> job; // the active (non-terminal) job, if any
    QList<QDateTime> evictions; // within the last 7 days, oldest first
    QString lastArmError; // "Code: message" of the last failed start seen
    Health health = Health::Unknown;
    QDateTime lastEviction() const
    {
        return evictions.isEmpty() ? QDateTime() : evictions.constLast();
    }
};

// The fleet table: one row per VM with its active restart job. Change signals from the
// FleetSource only mark VMs dirty; once per tick the dirty rows are re-read (the active job
// only after a jobChanged, or for a new row: a power-state change costs one read) and announced
// as one dataChanged per contiguous row range, so a burst of thousands of state changes
// costs the view a handful of repaints. Relative times (countdown, "3 min ago") are
// refreshed by a 1 s clock tick for the rows that need it.
class FleetTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Status,
        ResourceGroup,
        Subscription,
        Region,
        Size,
        PowerState,
        AutoRestart,
        JobState,
        Attempt,
        NextRetry,
        LastEviction,
        Evictions24h,
        Evictions7d,
        AgentLastSeen,
        LastError,
        Cloud, // Azure or Google Cloud (from the VM's id); last, so saved column layouts hold
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        VmIdRole = Qt::UserRole + 1,
        SortRole,
        HealthRole, // int(Health)
        ProblemRole, // bool
        RegionRole, // location, untranslated
        ResourceGroupRole, // as Azure spells it
        ResourceIdRole,
        SearchTextRole, // lower-cased text the free-text filter searches
        NextAttemptRole, // QDateTime
        JobStartedRole, // QDateTime the active job was created
        JobUpdatedRole, // QDateTime of the last job transition (start of the current wait)
    };
    using HealthCounts = std::array<int, kHealthCount>;

    explicit FleetTableModel(FleetSource &source, const base::Clock &clock,
                             QObject *parent = nullptr);
    ~FleetTableModel() override;
    Q_DISABLE_COPY_MOVE(FleetTableModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void reload(); // re-reads everything (model reset)
    void setTickInterval(int msecs); // coalescing window, 150 ms by default
    void flushPendingChanges(); // applies what is pending now (tests, shutdown)
    int pendingChangeCount() const { return int(m_dirty.size()); }
    void tickClock(); // the 1 s refresh of countdowns (tests call it directly)

    int rowOfVm(qint64 vmId) const { return m_rowById.value(vmId, -1); }
    const FleetRow *rowAt(int row) const;
    HealthCounts healthCounts() const { return m_counts; }
    QStringList distinctValues(Role role) const; // facets: regions, resource groups
    static QString columnTitle(int column);

Q_SIGNALS:
    void summaryChanged();
    void flushed(int changedRows); // after each coalesced update

private:
    void markDirty(qint64 vmId);
    void markJobDirty(qint64 vmId);
    void flushSlice();
    void applyPending(int maxRows);
    // applyPending's steps: up to maxRows dirty VMs taken out of m_dirty, their pending
    // evictions' times taken out of m_pendingEvictions, rows removed and rows appended.
    QSet<qint64> takeDirty(int maxRows);
    QHash<qint64, QList<QDateTime>> takeEvictions(const QSet<qint64> &vmIds);
    void removeRowsOf(const QList<qint64> &vmIds);
    void appendRows(QList<FleetRow> &rows);
    void handleEvent(const core::EventRecord &event);
    void refreshRow(FleetRow &row, const QDateTime &now);
    void recount();
    QVariant displayData(const FleetRow &row, int column, const QDateTime &now) const;
    QVariant sortData(const FleetRow &row, int column) const;
    QVariant toolTipData(const FleetRow &row, int column) const;
    void emitRanges(QList<int> rows, int firstColumn, int lastColumn, const QList<int> &roles);

    FleetSource &m_source;
    const base::Clock &m_clock;
    QList<FleetRow> m_rows;
    QHash<qint64, int> m_rowById;
    QSet<qint64> m_dirty;
    QSet<qint64> m_jobDirty; // subset of m_dirty whose active job must be re-read too
    QList<core::EventRecord> m_pendingEvictions;
    HealthCounts m_counts {};
    QTimer m_flushTimer;
    QTimer m_clockTimer;
    int m_clockTicks = 0;
};

} // namespace spotkeeper::gui
