// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloud.h"
#include "models/fleetstatus.h"

#include <QSet>
#include <QSortFilterProxyModel>

#include <optional>

namespace spotkeeper::gui {

// Sorting (on FleetTableModel::SortRole, so times and counts sort as values) and the fleet
// filters: free text over name/resource group/subscription/region/size/error/cloud, facets
// (health state, region, resource group; an empty facet set means "any"), the cloud (one, or
// all), only problems.
class FleetFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit FleetFilterProxy(QObject *parent = nullptr);
    ~FleetFilterProxy() override;
    Q_DISABLE_COPY_MOVE(FleetFilterProxy)

    void setFilterText(const QString &text);
    void setHealthFacet(const QSet<Health> &states);
    void setRegionFacet(const QSet<QString> &regions);
    void setResourceGroupFacet(const QSet<QString> &groups);
    void setOnlyProblems(bool only);
    void setCloud(std::optional<core::Cloud> cloud); // nullopt: every cloud

    QString filterText() const { return m_text; }
    QSet<Health> healthFacet() const { return m_health; }
    QSet<QString> regionFacet() const { return m_regions; }
    QSet<QString> resourceGroupFacet() const { return m_groups; }
    bool onlyProblems() const { return m_onlyProblems; }
    std::optional<core::Cloud> cloud() const { return m_cloud; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();

    QString m_text;
    QStringList m_terms;
    QSet<Health> m_health;
    QSet<QString> m_regions;
    QSet<QString> m_groups;
    bool m_onlyProblems = false;
    std::optional<core::Cloud> m_cloud;
};

} // namespace spotkeeper::gui
