// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/cloud.h"
#include "models/chartbuckets.h"

#include <QAbstractTableModel>
#include <QObject>
#include <QTimer>

#include <optional>

namespace spotkeeper::gui {

class FleetSource;

// One chart's data as a table: column 0 is the category (bucket time or bin), each
// further column one series. The chart wrapper draws it; "show as table" shows it as is.
class ChartModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit ChartModel(QObject *parent = nullptr);
    ~ChartModel() override;
    Q_DISABLE_COPY_MOVE(ChartModel)

    void setStacked(const buckets::Stacked &data);
    void setDistribution(const buckets::Distribution &data, const QString &seriesName);

    QStringList categories() const { return m_categories; }
    // Charts over time (setStacked): each category's bucket start (UTC) and the bucket
    // length; empty for distributions.
    QList<QDateTime> bucketStarts() const { return m_starts; }
    qint64 bucketSecs() const { return m_bucketSecs; }
    QStringList seriesNames() const { return m_series; }
    int value(int series, int category) const { return m_values.at(series).at(category); }
    int total() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString m_categoryTitle;
    QStringList m_categories;
    QList<QDateTime> m_starts;
    qint64 m_bucketSecs = 0;
    QStringList m_series;
    QList<QList<int>> m_values; // [series][category]
};

// The dashboard's three charts for one time range (and one cloud, or all), re-read from the
// source when the range, cloud or grouping changes and (throttled) when new evictions arrive. A
// relative range
// ("last 24 hours") ends at the clock's now on every reload and is re-read every minute,
// so evictions that happen while the window is open land in it and old ones leave; an
// absolute range stays where it was put.
class FleetCharts final : public QObject
{
    Q_OBJECT
public:
    explicit FleetCharts(FleetSource &source, const base::Clock &clock, QObject *parent = nullptr);
    ~FleetCharts() override;
    Q_DISABLE_COPY_MOVE(FleetCharts)

    static constexpr int kFollowIntervalMs = 60'000;

    void setRange(const QDateTime &from, const QDateTime &to); // absolute
    void setRelativeRange(qint64 spanSecs); // the last spanSecs, ending now
    void setGroupBy(buckets::GroupBy groupBy);
    // Only the VMs of one cloud in all three charts (nullopt: every cloud).
    void setCloud(std::optional<core::Cloud> cloud);
    std::optional<core::Cloud> cloud() const { return m_cloud; }
    void reload();

    bool followsClock() const { return m_spanSecs > 0; }
    QDateTime from() const { return m_from; } // of the last reload
    QDateTime to() const { return m_to; }

    ChartModel *evictions() { return &m_evictions; }
    ChartModel *recovery() { return &m_recovery; }
    ChartModel *outcomes() { return &m_outcomes; }

Q_SIGNALS:
    void reloaded();

private:
    FleetSource &m_source;
    const base::Clock &m_clock;
    ChartModel m_evictions;
    ChartModel m_recovery;
    ChartModel m_outcomes;
    QDateTime m_from;
    QDateTime m_to;
    qint64 m_spanSecs = qint64(24) * 3600; // > 0: relative to now; 0: [m_from, m_to) as set
    buckets::GroupBy m_groupBy = buckets::GroupBy::Region;
    std::optional<core::Cloud> m_cloud;
    QTimer m_reloadTimer;
    QTimer m_followTimer;
};

} // namespace spotkeeper::gui
