// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

namespace spotkeeper::gui {

class ChartWidget;
class FleetCharts;

// Evictions over time (stacked by region, resource group or cloud), time to recovery and
// restart outcomes for the window's time range, of every cloud or of the one chosen.
class ChartsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(FleetCharts &charts, QWidget *parent = nullptr);
    ~ChartsPanel() override;
    Q_DISABLE_COPY_MOVE(ChartsPanel)

    QList<ChartWidget *> charts() const { return m_charts; }

private:
    QList<ChartWidget *> m_charts;
};

} // namespace spotkeeper::gui
