// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace spotkeeper::gui {

class FleetSource;

// The operator audit log (newest first) within a time range; re-read when the source
// reports a new audit row. Read-only: the log is append-only.
class AuditModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Actor, Action, Target, Detail, ColumnCount };

    explicit AuditModel(FleetSource &source, QObject *parent = nullptr);
    ~AuditModel() override;
    Q_DISABLE_COPY_MOVE(AuditModel)

    void setRange(const QDateTime &from, const QDateTime &to); // invalid = open
    void setLimit(int rows) { m_limit = rows; }
    void reload();
    QDateTime from() const { return m_from; }
    QDateTime to() const { return m_to; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString actionText(const QString &action);

private:
    FleetSource &m_source;
    QList<core::AuditRecord> m_rows;
    QDateTime m_from;
    QDateTime m_to;
    int m_limit = 5000;
};

} // namespace spotkeeper::gui
