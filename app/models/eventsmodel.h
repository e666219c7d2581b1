// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"
#include "store/store.h"

#include <QAbstractTableModel>
#include <QList>

namespace spotkeeper::gui {

class FleetSource;

// The event timeline (newest first) of one VM, or of the whole fleet, within a time range.
// Rows are read lazily in pages through canFetchMore()/fetchMore(), so a store holding
// millions of events opens instantly; new events matching the filter appear on top live.
class EventsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Kind,
        Source,
        Detail,
        HttpStatus,
        ArmError,
        CorrelationId,
        Message,
        ColumnCount
    };
    enum Role { EventIdRole = Qt::UserRole + 1, KindRole, SortRole };

    explicit EventsModel(FleetSource &source, QObject *parent = nullptr);
    ~EventsModel() override;
    Q_DISABLE_COPY_MOVE(EventsModel)

    // vmId 0 = all VMs; invalid from/to = open range; empty kinds = all kinds.
    void setFilter(qint64 vmId, const QDateTime &from, const QDateTime &to,
                   const QList<core::EventKind> &kinds = {});
    void setPageSize(int rows) { m_pageSize = rows; }
    qint64 vmId() const { return m_filter.vmId; }
    const core::EventRecord *eventAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    static QString kindText(core::EventKind kind);

private:
    void handleEvent(const core::EventRecord &event);
    bool matches(const core::EventRecord &event) const;

    FleetSource &m_source;
    core::EventFilter m_filter;
    QList<core::EventRecord> m_rows;
    int m_pageSize = 200;
    bool m_exhausted = true;
    bool m_fetching = false; // views and testers may call fetchMore() from inside an insert
};

} // namespace spotkeeper::gui
