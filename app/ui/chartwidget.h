// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QStackedWidget;
class QCheckBox;

namespace spotkeeper::gui {

class ChartModel;

// The thin wrapper around Qt Charts: draws a ChartModel as (stacked) bars and offers
// "show as table", which shows the very same model in a table view. Nothing else in the
// dashboard includes QtCharts.
class ChartWidget final : public QWidget
{
    Q_OBJECT
public:
    ChartWidget(const QString &title, ChartModel &model, bool stacked, QWidget *parent = nullptr);
    ~ChartWidget() override;
    Q_DISABLE_COPY_MOVE(ChartWidget)

    void setShowAsTable(bool table);
    bool showsTable() const;
    int seriesCount() const; // bar sets drawn, for tests

private:
    void rebuild();

    QString m_title;
    ChartModel &m_model;
    bool m_stacked;
    QStackedWidget *m_stack = nullptr;
    QCheckBox *m_asTable = nullptr;
    QWidget *m_chartView = nullptr;
    int m_series = 0;
};

} // namespace spotkeeper::gui
