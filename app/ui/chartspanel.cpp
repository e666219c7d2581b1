// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chartspanel.h"

#include "models/chartmodel.h"
#include "models/cloudname.h"
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
    groupBy->addItem(tr("Region"), static_cast<int>(buckets::GroupBy::Region));
    groupBy->addItem(tr("Resource group"), static_cast<int>(buckets::GroupBy::ResourceGroup));
    groupBy->addItem(tr("Cloud"), static_cast<int>(buckets::GroupBy::Cloud));
    groupBy->setAccessibleName(tr("Stack evictions by"));
    groupBy->setObjectName(QStringLiteral("groupBy"));
    connect(groupBy, &QComboBox::currentIndexChanged, this, [&charts, groupBy] {
        charts.setGroupBy(static_cast<buckets::GroupBy>(groupBy->currentData().toInt()));
    });
    auto *label = new QLabel(tr("Stack evictions &by:"), this);
    label->setBuddy(groupBy);
    // One cloud's VMs in all three charts, or every cloud's.
    auto *cloud = new QComboBox(this);
    cloud->addItem(tr("All clouds"), -1);
    for (const core::Cloud c : {core::Cloud::Azure, core::Cloud::Gcp, core::Cloud::Aws})
        cloud->addItem(cloudName(c), static_cast<int>(c));
    cloud->setAccessibleName(tr("Charts of the cloud"));
    cloud->setObjectName(QStringLiteral("chartCloud"));
    connect(cloud, &QComboBox::currentIndexChanged, this, [&charts, cloud] {
        const int value = cloud->currentData().toInt();
        charts.setCloud(value < 0 ? std::nullopt : std::optional(static_cast<core::Cloud>(value)));
    });
    auto *cloudLabel = new QLabel(tr("C&loud:"), this);
    cloudLabel->setBuddy(cloud);

    m_charts = {
        new ChartWidget(tr("Evictions over time"), *charts.evictions(), ChartWidget::Kind::OverTime,
                        this),
        new ChartWidget(tr("Time to recovery"), *charts.recovery(), ChartWidget::Kind::Bars, this),
        new ChartWidget(tr("Restart outcomes"), *charts.outcomes(), ChartWidget::Kind::Bars, this)};
    auto *top = new QHBoxLayout;
    top->addWidget(cloudLabel);
    top->addWidget(cloud);
    top->addSpacing(12);
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
