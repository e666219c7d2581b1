// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costpanel.h"

#include "models/costmodel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTabWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace spotkeeper::gui {

namespace {

constexpr int kTopSizes = 8;

QChartView *viewOf(QChart *chart, const QString &accessibleName, QWidget *parent)
{
    chart->legend()->setVisible(false);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    view->setAccessibleName(accessibleName);
    return view;
}

// Axis labels with as many decimals as the values need: "%.0f" would label a chart of cents
// 0, 0, 0 (the demo's first hours).
QString labelFormat(double max)
{
    if (max < 10)
        return QStringLiteral("%.2f");
    return max < 100 ? QStringLiteral("%.1f") : QStringLiteral("%.0f");
}

// A horizontal bar chart of the top sizes: its set, category axis and value axis.
struct TopBars
{
    QChart *chart = nullptr;
    QHorizontalBarSeries *series = nullptr;
    QBarSet *set = nullptr;
    QBarCategoryAxis *categories = nullptr;
    QValueAxis *values = nullptr;
};

TopBars makeTopBars(const QString &title, const QString &setName, const QColor &color)
{
    TopBars bars;
    bars.chart = new QChart;
    bars.chart->setTitle(title);
    bars.series = new QHorizontalBarSeries(bars.chart);
    bars.set = new QBarSet(setName, bars.series);
    bars.set->setColor(color);
    bars.series->append(bars.set);
    bars.chart->addSeries(bars.series);
    bars.categories = new QBarCategoryAxis(bars.chart);
    bars.values = new QValueAxis(bars.chart);
    bars.values->setLabelFormat(QStringLiteral("%.0f"));
    bars.chart->addAxis(bars.categories, Qt::AlignLeft);
    bars.chart->addAxis(bars.values, Qt::AlignBottom);
    bars.series->attachAxis(bars.categories);
    bars.series->attachAxis(bars.values);
    return bars;
}

// The largest kTopSizes values (above 0), the largest at the top of the chart.
void fillTop(QBarSet *set, QBarCategoryAxis *categories, QValueAxis *values,
             QList<QPair<QString, double>> entries)
{
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    entries.removeIf([](const auto &e) { return e.second <= 0; });
    if (entries.size() > kTopSizes)
        entries.resize(kTopSizes);
    std::reverse(entries.begin(), entries.end()); // horizontal bars are drawn bottom-up
    set->remove(0, set->count());
    QStringList names;
    double max = 0;
    for (const auto &[name, value] : std::as_const(entries)) {
        names << name;
        set->append(value);
        max = std::max(max, value);
    }
    categories->clear();
    categories->append(names);
    values->setRange(0, max > 0 ? max * 1.1 : 1);
    values->setLabelFormat(labelFormat(max > 0 ? max * 1.1 : 1));
}

} // namespace

CostPanel::CostPanel(CostReports &reports, QWidget *parent)
    : QWidget(parent)
    , m_reports(reports)
    , m_range(new QComboBox(this))
    , m_groupBy(new QComboBox(this))
    , m_export(new QPushButton(tr("E&xport CSV…"), this))
    , m_status(new QLabel(this))
    , m_totals(new QLabel(this))
    , m_savingsChart(new QChart)
    , m_savings(new QLineSeries(m_savingsChart))
    , m_spot(new QLineSeries(m_savingsChart))
    , m_timeAxis(new QDateTimeAxis(m_savingsChart))
    , m_moneyAxis(new QValueAxis(m_savingsChart))
    , m_table(new QTableView(this))
    , m_riskTable(new QTableView(this))
    , m_tables(new QTabWidget(this))
{
    m_range->addItem(tr("Last 7 days"), int(CostReports::Range::Last7Days));
    m_range->addItem(tr("Last 30 days"), int(CostReports::Range::Last30Days));
    m_range->addItem(tr("Last 90 days"), int(CostReports::Range::Last90Days));
    m_range->addItem(tr("Last 12 months"), int(CostReports::Range::Last12Months));
    m_range->setCurrentIndex(1);
    m_range->setAccessibleName(tr("Cost report range"));
    auto *rangeLabel = new QLabel(tr("&Range:"), this);
    rangeLabel->setBuddy(m_range);
    m_groupBy->addItem(tr("Size"), int(core::CostGroup::Size));
    m_groupBy->addItem(tr("Region"), int(core::CostGroup::Region));
    m_groupBy->addItem(tr("Resource group"), int(core::CostGroup::ResourceGroup));
    m_groupBy->addItem(tr("VM"), int(core::CostGroup::Vm));
    m_groupBy->setAccessibleName(tr("Group costs by"));
    auto *groupLabel = new QLabel(tr("&Group by:"), this);
    groupLabel->setBuddy(m_groupBy);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totals->setTextFormat(Qt::PlainText);

    // Savings over time: savings and the Spot cost per bucket.
    m_savingsChart->setTitle(tr("Savings over time"));
    m_savings->setName(tr("Savings"));
    m_spot->setName(tr("Spot cost"));
    m_savingsChart->addSeries(m_savings);
    m_savingsChart->addSeries(m_spot);
    m_timeAxis->setFormat(QStringLiteral("dd MMM"));
    m_moneyAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_savingsChart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_savingsChart->addAxis(m_moneyAxis, Qt::AlignLeft);
    for (QLineSeries *series : {m_savings, m_spot}) {
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_moneyAxis);
    }
    QChartView *savingsView = viewOf(m_savingsChart, tr("Savings over time"), this);
    m_savingsChart->legend()->setVisible(true);
    m_savingsChart->legend()->setAlignment(Qt::AlignBottom);

    const TopBars savings =
        makeTopBars(tr("Top sizes by savings"), tr("Savings"), QColor(0x2e, 0x7d, 0x32));
    m_topSavingsChart = savings.chart;
    m_topSavingsSeries = savings.series;
    m_topSavingsSet = savings.set;
    m_topSavingsAxis = savings.categories;
    m_topSavingsValues = savings.values;
    const TopBars lost = makeTopBars(tr("Top sizes by hours lost to evictions"), tr("Hours lost"),
                                     QColor(0xc6, 0x28, 0x28));
    m_topLostChart = lost.chart;
    m_topLostSeries = lost.series;
    m_topLostSet = lost.set;
    m_topLostAxis = lost.categories;
    m_topLostValues = lost.values;

    auto *sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(reports.table());
    sorted->setSortRole(Qt::UserRole);
    m_table->setModel(sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(CostTableModel::Savings, Qt::DescendingOrder);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Costs per group"));

    // Eviction risk per size and region: observed beside Azure's published band.
    auto *riskSorted = new QSortFilterProxyModel(this);
    riskSorted->setSourceModel(reports.risk());
    riskSorted->setSortRole(Qt::UserRole);
    m_riskTable->setModel(riskSorted);
    m_riskTable->setSortingEnabled(true);
    m_riskTable->sortByColumn(RiskTableModel::Flag, Qt::DescendingOrder);
    m_riskTable->verticalHeader()->setVisible(false);
    m_riskTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_riskTable->horizontalHeader()->setStretchLastSection(true);
    m_riskTable->setAccessibleName(tr("Eviction risk per size and region"));
    auto *riskRule = new QLabel(
        tr("Observed: evictions per VM-day of running time and the median time from an "
           "eviction until the VM ran again. Published: Azure's eviction-rate band (Resource "
           "Graph), read as a percentage per hour. Flagged: at least %1 evictions and an "
           "observed rate above %2 times the band's upper bound.")
            .arg(core::kRiskMinEvictions)
            .arg(core::kRiskFlagFactor),
        this);
    riskRule->setWordWrap(true);
    auto *riskPage = new QWidget(this);
    auto *riskLayout = new QVBoxLayout(riskPage);
    riskLayout->setContentsMargins(0, 0, 0, 0);
    riskLayout->addWidget(m_riskTable, 1);
    riskLayout->addWidget(riskRule);
    m_tables->addTab(m_table, tr("Costs"));
    m_tables->addTab(riskPage, tr("Eviction risk"));
    connect(m_tables, &QTabWidget::currentChanged, this,
            [this, riskPage] { m_reports.setRiskWanted(m_tables->currentWidget() == riskPage); });

    auto *assumptions =
        new QLabel(tr("Assumptions: Microsoft's public retail prices (Azure Retail Prices API) "
                      "as cached, in USD; no reservations, savings plans or other discounts; "
                      "each hour at the price of its period, as far as the cached history goes; "
                      "Linux meters; a Spot VM pays "
                      "the Spot price, never more than its maxPrice; lost hours are priced at "
                      "pay-as-you-go; compute only (disks, network and licences are not "
                      "included)."),
                   this);
    assumptions->setWordWrap(true);
    assumptions->setObjectName(QStringLiteral("costAssumptions"));
    QFont small = assumptions->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    assumptions->setFont(small);

    auto *top = new QHBoxLayout;
    top->addWidget(rangeLabel);
    top->addWidget(m_range);
    top->addSpacing(12);
    top->addWidget(groupLabel);
    top->addWidget(m_groupBy);
    top->addSpacing(12);
    top->addWidget(m_totals, 1);
    top->addWidget(m_export);
    auto *grid = new QGridLayout;
    grid->addWidget(savingsView, 0, 0, 1, 2);
    grid->addWidget(viewOf(m_topSavingsChart, tr("Top sizes by savings"), this), 1, 0);
    grid->addWidget(viewOf(m_topLostChart, tr("Top sizes by hours lost to evictions"), this), 1, 1);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addLayout(grid, 3);
    layout->addWidget(m_tables, 2);
    layout->addWidget(assumptions);
    // The widgets are made in the initializer list: the keyboard goes in reading order.
    setTabOrder(m_range, m_groupBy);
    setTabOrder(m_groupBy, m_export);
    setTabOrder(m_export, m_tables);

    connect(m_range, &QComboBox::currentIndexChanged, this,
            [this] { m_reports.setRange(CostReports::Range(m_range->currentData().toInt())); });
    connect(m_groupBy, &QComboBox::currentIndexChanged, this,
            [this] { m_reports.setGroupBy(core::CostGroup(m_groupBy->currentData().toInt())); });
    connect(m_export, &QPushButton::clicked, this, &CostPanel::exportRequested);
    connect(&reports, &CostReports::loadingStarted, this,
            [this] { m_status->setText(tr("Computing the cost report…")); });
    connect(&reports, &CostReports::failed, this,
            [this](const QString &why) { m_status->setText(tr("No cost report: %1").arg(why)); });
    connect(&reports, &CostReports::reloaded, this, &CostPanel::handleReloaded);
    m_export->setEnabled(false);
}

CostPanel::~CostPanel() = default;

void CostPanel::handleReloaded()
{
    const core::CostReport &report = m_reports.table()->report();
    const core::CostRow total = report.total();
    const QLocale locale;
    const QString currency = report.currency;
    m_totals->setText(tr("Saved %1 %2 (Spot %3, pay-as-you-go %4); %5 h lost to %n eviction(s), "
                         "worth %6 %2",
                         nullptr, int(total.evictions))
                          .arg(locale.toString(total.savings(), 'f', 2), currency,
                               locale.toString(total.spotCost, 'f', 2),
                               locale.toString(total.payAsYouGoCost, 'f', 2),
                               locale.toString(total.lostHours, 'f', 1),
                               locale.toString(total.lostPayAsYouGoCost, 'f', 2)));
    QString status = report.pricesFetchedAt.isValid()
        ? tr("Prices as of %1 (UTC).")
              .arg(locale.toString(report.pricesFetchedAt.toUTC(), QLocale::ShortFormat))
        : tr("No prices cached yet: costs count as 0 until the first price refresh.");
    if (total.unpricedHours > 0)
        status += QLatin1Char(' ')
            + tr("%1 running hours have no price and count as 0.")
                  .arg(locale.toString(total.unpricedHours, 'f', 1));
    m_status->setText(status);
    m_export->setEnabled(true);
    drawSeries();
    drawTopSizes();
}

void CostPanel::drawSeries()
{
    const core::CostReport &report = m_reports.table()->report();
    QList<QPointF> savings;
    QList<QPointF> spot;
    double max = 0;
    for (const core::CostPoint &point : report.series) {
        const auto x = qreal(point.start.toMSecsSinceEpoch());
        savings << QPointF(x, point.savings());
        spot << QPointF(x, point.spotCost);
        max = std::max({max, point.savings(), point.spotCost});
    }
    m_savings->replace(savings);
    m_spot->replace(spot);
    if (!report.series.isEmpty()) {
        m_timeAxis->setRange(report.series.constFirst().start.toLocalTime(),
                             report.series.constLast().start.toLocalTime());
        m_timeAxis->setFormat(report.query.bucketMs >= 7LL * 24 * 3'600'000
                                  ? QStringLiteral("MMM yyyy")
                                  : QStringLiteral("dd MMM"));
    }
    m_moneyAxis->setRange(0, max > 0 ? max * 1.1 : 1);
    m_moneyAxis->setLabelFormat(labelFormat(max > 0 ? max * 1.1 : 1));
    m_moneyAxis->setTitleText(report.currency);
}

void CostPanel::drawTopSizes()
{
    QList<QPair<QString, double>> bySavings;
    QList<QPair<QString, double>> byLost;
    for (const core::CostRow &row : m_reports.bySize().rows) {
        const QString name = row.label.isEmpty() ? row.key : row.label;
        bySavings.append({name, row.savings()});
        byLost.append({name, row.lostHours});
    }
    fillTop(m_topSavingsSet, m_topSavingsAxis, m_topSavingsValues, bySavings);
    fillTop(m_topLostSet, m_topLostAxis, m_topLostValues, byLost);
}

} // namespace spotkeeper::gui
