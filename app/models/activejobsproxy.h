// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace spotkeeper::gui {

// The fleet table's rows that have an active restart job (FleetTableModel::JobStartedRole
// set): what the Retries panel lists.
class ActiveJobsProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;
};

} // namespace spotkeeper::gui
