// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fleetfilterproxy.h"

#include "models/fleettablemodel.h"

#include <algorithm>

namespace spotkeeper::gui {

FleetFilterProxy::FleetFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(FleetTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
    setDynamicSortFilter(true);
    // A change announced for DisplayRole only (the 1 s countdown tick) then neither re-sorts
    // nor re-filters: the proxy skips roles it does not sort or filter on.
    setFilterRole(FleetTableModel::SearchTextRole);
}

FleetFilterProxy::~FleetFilterProxy() = default;

void FleetFilterProxy::refilter()
{
    // Qt 6.4 has no begin/endFilterChange; invalidateFilter() is the 6.4 way.
    invalidateFilter();
}

void FleetFilterProxy::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    // Every whitespace-separated term must match (AND), case-insensitively.
    m_terms = text.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    refilter();
}

void FleetFilterProxy::setHealthFacet(const QSet<Health> &states)
{
    if (states == m_health)
        return;
    m_health = states;
    refilter();
}

void FleetFilterProxy::setRegionFacet(const QSet<QString> &regions)
{
    if (regions == m_regions)
        return;
    m_regions = regions;
    refilter();
}

void FleetFilterProxy::setResourceGroupFacet(const QSet<QString> &groups)
{
    if (groups == m_groups)
        return;
    m_groups = groups;
    refilter();
}

void FleetFilterProxy::setOnlyProblems(bool only)
{
    if (only == m_onlyProblems)
        return;
    m_onlyProblems = only;
    refilter();
}

void FleetFilterProxy::setCloud(std::optional<core::Cloud> cloud)
{
    if (cloud == m_cloud)
        return;
    m_cloud = cloud;
    refilter();
}

bool FleetFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex idx = model->index(sourceRow, 0, sourceParent);
    if (m_onlyProblems && !idx.data(FleetTableModel::ProblemRole).toBool())
        return false;
    if (m_cloud
        && core::cloudOfResourceId(idx.data(FleetTableModel::ResourceIdRole).toString())
            != *m_cloud)
        return false;
    if (!m_health.isEmpty()
        && !m_health.contains(static_cast<Health>(idx.data(FleetTableModel::HealthRole).toInt())))
        return false;
    if (!m_regions.isEmpty()
        && !m_regions.contains(idx.data(FleetTableModel::RegionRole).toString()))
        return false;
    if (!m_groups.isEmpty()
        && !m_groups.contains(idx.data(FleetTableModel::ResourceGroupRole).toString()))
        return false;
    if (m_terms.isEmpty())
        return true;
    const QString haystack = idx.data(FleetTableModel::SearchTextRole).toString();
    return std::ranges::all_of(
        m_terms, [&haystack](const QString &term) { return haystack.contains(term); });
}

} // namespace spotkeeper::gui
