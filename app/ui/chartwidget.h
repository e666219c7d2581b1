// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QStackedWidget;
class QCheckBox;

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QAbstractBarSeries;
class QBarSet;
class QChart;
class QValueAxis;
QT_END_NAMESPACE

namespace spotkeeper::gui {

class ChartModel;

// The thin wrapper around Qt Charts: draws a ChartModel as (stacked) bars and offers
// "show as table", which shows the very same model in a table view. Nothing else in the
// dashboard includes QtCharts but the Cost tab (costpanel.cpp), whose line and horizontal-bar
// charts are of another kind. The chart, its series and axes are made once; a model reset
// updates the bar values, labels and ranges in place, so a redraw does not flicker.
class ChartWidget final : public QWidget
{
    Q_OBJECT
public:
    // OverTime: stacked bars per time bucket (ChartModel::bucketStarts), with a time axis
    // that labels every n-th bucket boundary so the labels fit the width. Bars: plain
    // bars over the model's categories.
    enum class Kind { OverTime, Bars };

    ChartWidget(const QString &title, ChartModel &model, Kind kind, QWidget *parent = nullptr);
    ~ChartWidget() override;
    Q_DISABLE_COPY_MOVE(ChartWidget)

    void setShowAsTable(bool table);
    bool showsTable() const;
    int seriesCount() const; // bar sets drawn, for tests
    // For tests: what is drawn (the chart stays the same object across updates).
    QChart *chart() const { return m_chart; }
    QList<QBarSet *> barSets() const;

private:
    void updateFromModel();
    void updateBars();
    void updateTimeAxis(bool force);
    void updateCategoryAxis();
    int chooseBucketsPerLabel() const;
    qreal plotWidth() const;

    ChartModel &m_model;
    Kind m_kind;
    QStackedWidget *m_stack = nullptr;
    QCheckBox *m_asTable = nullptr;
    QChart *m_chart = nullptr;
    QAbstractBarSeries *m_series = nullptr;
    QAbstractAxis *m_axisX = nullptr;
    QValueAxis *m_axisY = nullptr;
    int m_bucketsPerLabel = 0;
};

} // namespace spotkeeper::gui
