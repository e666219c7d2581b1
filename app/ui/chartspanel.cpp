// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chartspanel.h"

#include "models/chartmodel.h"
#include "ui/chartwidget.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>

namespace spotkeeper::gui {

ChartsPanel::ChartsPanel(FleetCharts &charts, QWidget *parent)
    : QWidget(parent)
{
    auto *groupBy = new QComboBox(this);
    groupBy->addItem(tr("Region"));
    groupBy->addItem(tr("Resource group"));
    groupBy->setAccessibleName(tr("Stack evictions by"));
    connect(groupBy, &QComboBox::currentIndexChanged, this, [&charts](int index) {
        charts.setGroupBy(index == 0 ? buckets::GroupBy::Region : buckets::GroupBy::ResourceGroup);
    });
    auto *label = new QLabel(tr("Stack evictions &by:"), this);
    label->setBuddy(groupBy);

    m_charts = {
        new ChartWidget(tr("Evictions over time"), *charts.evictions(), ChartWidget::Kind::OverTime,
                        this),
        new ChartWidget(tr("Time to recovery"), *charts.recovery(), ChartWidget::Kind::Bars, this),
        new ChartWidget(tr("Restart outcomes"), *charts.outcomes(), ChartWidget::Kind::Bars, this)};
    auto *top = new QHBoxLayout;
    top->addWidget(label);
    top->addWidget(groupBy);
    top->addStretch(1);
    auto *grid = new QGridLayout(this);
    grid->addLayout(top, 0, 0, 1, 2);
    grid->addWidget(m_charts.at(0), 1, 0, 1, 2);
    grid->addWidget(m_charts.at(1), 2, 0);
    grid->addWidget(m_charts.at(2), 2, 1);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(2, 2);
}

ChartsPanel::~ChartsPanel() = default;

} // namespace spotkeeper::gui
