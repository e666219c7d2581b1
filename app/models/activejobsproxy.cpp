// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/activejobsproxy.h"

#include "models/fleettablemodel.h"

namespace spotkeeper::gui {

bool ActiveJobsProxy::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    return sourceModel()
        ->index(row, 0, parent)
        .data(FleetTableModel::JobStartedRole)
        .toDateTime()
        .isValid();
}

} // namespace spotkeeper::gui
