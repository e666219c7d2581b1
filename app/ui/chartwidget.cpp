// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartwidget.h"

#include "chartmodel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

namespace spotkeeper::gui {

ChartWidget::ChartWidget(const QString &title, ChartModel &model, bool stacked, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
    , m_model(model)
    , m_stacked(stacked)
    , m_stack(new QStackedWidget(this))
    , m_asTable(new QCheckBox(tr("Show as table"), this))
{
    auto *chartView = new QChartView(new QChart, m_stack);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setAccessibleName(title);
    chartView->setMinimumHeight(180);
    m_chartView = chartView;
    auto *table = new QTableView(m_stack);
    table->setModel(&model);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setAccessibleName(tr("%1 (table)").arg(title));
    m_stack->addWidget(chartView);
    m_stack->addWidget(table);
    m_asTable->setAccessibleName(tr("Show %1 as table").arg(title));

    auto *heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    auto *top = new QHBoxLayout;
    top->addWidget(heading, 1);
    top->addWidget(m_asTable);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    connect(m_asTable, &QCheckBox::toggled, this, &ChartWidget::setShowAsTable);
    connect(&model, &QAbstractItemModel::modelReset, this, &ChartWidget::rebuild);
    rebuild();
}

ChartWidget::~ChartWidget() = default;

void ChartWidget::setShowAsTable(bool table)
{
    m_asTable->setChecked(table);
    m_stack->setCurrentIndex(table ? 1 : 0);
}

bool ChartWidget::showsTable() const
{
    return m_stack->currentIndex() == 1;
}

int ChartWidget::seriesCount() const
{
    return m_series;
}

void ChartWidget::rebuild()
{
    auto *view = static_cast<QChartView *>(m_chartView);
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setVisible(m_model.seriesNames().size() > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundVisible(false);
    QAbstractBarSeries *series = m_stacked
        ? static_cast<QAbstractBarSeries *>(new QStackedBarSeries)
        : static_cast<QAbstractBarSeries *>(new QBarSeries);
    const QStringList names = m_model.seriesNames();
    const QStringList categories = m_model.categories();
    int maxValue = 0;
    QList<int> stackTotals(categories.size(), 0);
    for (int s = 0; s < names.size(); ++s) {
        auto *set = new QBarSet(names.at(s));
        for (int c = 0; c < categories.size(); ++c) {
            const int v = m_model.value(s, c);
            *set << v;
            stackTotals[c] += v;
            maxValue = qMax(maxValue, m_stacked ? stackTotals.at(c) : v);
        }
        series->append(set);
    }
    m_series = int(names.size());
    chart->addSeries(series);
    auto *axisX = new QBarCategoryAxis;
    // Long time axes: label every n-th bucket so labels stay readable.
    const int step = qMax(1, int(categories.size()) / 12);
    QStringList labels;
    for (int c = 0; c < categories.size(); ++c) {
        QString label = categories.at(c);
        if (label.size() > 11 && label.at(4) == QLatin1Char('-'))
            label = label.mid(5); // drop the year
        labels.append(c % step == 0 ? label : QString(c, QChar(0x200B))); // unique blanks
    }
    axisX->append(labels);
    axisX->setLabelsAngle(categories.size() > 8 ? -45 : 0);
    chart->addAxis(axisX, Qt::AlignBottom);
    series->attachAxis(axisX);
    auto *axisY = new QValueAxis;
    axisY->setRange(0, qMax(1, maxValue));
    axisY->setLabelFormat(QStringLiteral("%d"));
    axisY->setTickCount(qMin(6, qMax(2, maxValue + 1)));
    chart->addAxis(axisY, Qt::AlignLeft);
    series->attachAxis(axisY);
    QChart *old = view->chart();
    view->setChart(chart);
    delete old;
}

} // namespace spotkeeper::gui
