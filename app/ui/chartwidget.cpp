// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chartwidget.h"

#include "models/chartmodel.h"
#include "ui/panellayout.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QFontMetricsF>
#include <QHeaderView>
#include <QLabel>
#include <QSet>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTableView>
#include <QValueAxis>

#include <array>

namespace spotkeeper::gui {

namespace {

// Label steps in buckets: 5-min buckets give 5/10/15/20/30/60 min, hourly ones
// 1/2/3/4/6/12 h, daily ones 1/2/3/4/6/12 days; the steps align to UTC.
constexpr std::array kBucketsPerLabel = {1, 2, 3, 4, 6, 12, 24, 48, 96, 192, 384};

// A bucket boundary's label: the time of day, or the date where a day starts (and
// always for daily buckets), so "12-07" marks midnight on an hourly axis.
QString boundaryLabel(const QDateTime &start, qint64 bucketSecs)
{
    const QDateTime utc = start.toUTC();
    if (bucketSecs >= 86400 || utc.time() == QTime(0, 0))
        return utc.toString(QStringLiteral("MM-dd"));
    return utc.toString(QStringLiteral("HH:mm"));
}

struct Tick
{
    QString label;
    qreal at = 0; // axis value: bucket j spans [j - 0.5, j + 0.5]
};

// The labelled boundaries: bucket starts 1..n-1 (the left edge would be half cut off)
// whose start is a multiple of step buckets since the epoch. Labels are unique
// (QCategoryAxis needs that): a repeated time of day gets invisible zero-width spaces.
QList<Tick> timeTicks(const QList<QDateTime> &starts, qint64 bucketSecs, int step)
{
    QList<Tick> ticks;
    if (bucketSecs <= 0)
        return ticks;
    QSet<QString> used;
    for (int j = 1; j < starts.size(); ++j) {
        if ((starts.at(j).toSecsSinceEpoch() / bucketSecs) % step != 0)
            continue;
        QString label = boundaryLabel(starts.at(j), bucketSecs);
        while (used.contains(label))
            label += QChar(0x200B);
        used.insert(label);
        ticks.append({label, qreal(j) - 0.5});
    }
    return ticks;
}

// A category label as Qt Charts draws it (rich text): escaped, and broken at the space
// nearest its middle when it is wider than a category, so "Needs operator" stays whole
// instead of being cut to "Needs op...".
QString categoryLabel(const QString &text, const QFontMetricsF &metrics, qreal available)
{
    QString escaped = text.toHtmlEscaped();
    if (metrics.horizontalAdvance(text) <= available)
        return escaped;
    int best = -1;
    for (int i = 0; i < text.size(); ++i) {
        if (text.at(i) == QLatin1Char(' ')
            && (best < 0 || qAbs(i - text.size() / 2) < qAbs(best - text.size() / 2)))
            best = i;
    }
    if (best < 0)
        return escaped;
    return text.left(best).toHtmlEscaped() + QStringLiteral("<br>")
        + text.mid(best + 1).toHtmlEscaped();
}

} // namespace

ChartWidget::ChartWidget(const QString &title, ChartModel &model, Kind kind, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_kind(kind)
    , m_stack(new QStackedWidget(this))
    , m_asTable(new QCheckBox(tr("Show as table"), this))
    , m_chart(new QChart)
{
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundVisible(false);
    if (kind == Kind::OverTime) {
        m_series = new QStackedBarSeries;
        m_series->setBarWidth(0.85);
        auto *axis = new QCategoryAxis;
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        axis->setStartValue(-0.5);
        axis->setGridLineVisible(true);
        m_axisX = axis;
    } else {
        m_series = new QBarSeries;
        m_axisX = new QBarCategoryAxis;
    }
    m_axisY = new QValueAxis;
    m_axisY->setLabelFormat(QStringLiteral("%d"));
    m_axisY->setRange(0, 1);
    m_axisY->setTickCount(2);
    m_chart->addSeries(m_series);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_series->attachAxis(m_axisX);
    m_series->attachAxis(m_axisY);

    auto *chartView = new QChartView(m_chart, m_stack);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setAccessibleName(title);
    chartView->setMinimumHeight(180);
    auto *table = new QTableView(m_stack);
    table->setModel(&model);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setAccessibleName(tr("%1 (table)").arg(title));
    m_stack->addWidget(chartView);
    m_stack->addWidget(table);
    m_asTable->setAccessibleName(tr("Show %1 as table").arg(title));

    auto *heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    layOutPanel(this, heading, m_asTable, m_stack, QMargins());
    connect(m_asTable, &QCheckBox::toggled, this, &ChartWidget::setShowAsTable);
    connect(&model, &QAbstractItemModel::modelReset, this, &ChartWidget::updateFromModel);
    // A wider or narrower plot fits more or fewer labels.
    connect(m_chart, &QChart::plotAreaChanged, this, [this] {
        if (m_kind == Kind::OverTime)
            updateTimeAxis(false);
        else
            updateCategoryAxis();
    });
    updateFromModel();
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
    return int(m_series->count());
}

QList<QBarSet *> ChartWidget::barSets() const
{
    return m_series->barSets();
}

void ChartWidget::updateFromModel()
{
    updateBars();
    if (m_kind == Kind::OverTime)
        updateTimeAxis(true);
    else
        updateCategoryAxis();
}

qreal ChartWidget::plotWidth() const
{
    const qreal width = m_chart->plotArea().width();
    return width > 0 ? width : qMax(200, m_stack->width() - 60); // not laid out yet: guess
}

void ChartWidget::updateCategoryAxis()
{
    auto *axis = qobject_cast<QBarCategoryAxis *>(m_axisX);
    const QStringList categories = m_model.categories();
    const QFontMetricsF metrics(axis->labelsFont());
    // Qt Charts gives each label the width / (categories + 1), less its padding and the
    // text item's margins.
    const qreal available = plotWidth() / qreal(categories.size() + 1) - 24;
    QStringList labels;
    for (const QString &category : categories)
        labels.append(categoryLabel(category, metrics, available));
    if (axis->categories() != labels)
        axis->setCategories(labels);
}

namespace {

void setValues(QBarSet *set, const QList<qreal> &values)
{
    if (set->count() == values.size()) { // the usual case: same buckets, a few values changed
        for (int c = 0; c < values.size(); ++c) {
            if (set->at(c) != values.at(c))
                set->replace(c, values.at(c));
        }
        return;
    }
    if (set->count() > 0)
        set->remove(0, set->count());
    set->append(values);
}

} // namespace

void ChartWidget::updateBars()
{
    const QStringList names = m_model.seriesNames();
    const int n = int(m_model.categories().size());
    QList<QBarSet *> sets = m_series->barSets();
    while (sets.size() > names.size())
        m_series->remove(sets.takeLast());
    int maxValue = 0;
    QList<int> stackTotals(n, 0);
    for (int s = 0; s < names.size(); ++s) {
        QBarSet *set = nullptr;
        if (s < sets.size()) {
            set = sets.at(s);
            if (set->label() != names.at(s))
                set->setLabel(names.at(s));
        } else {
            set = new QBarSet(names.at(s));
            m_series->append(set);
        }
        QList<qreal> values;
        values.reserve(n);
        for (int c = 0; c < n; ++c) {
            const int v = m_model.value(s, c);
            values.append(v);
            stackTotals[c] += v;
            maxValue = qMax(maxValue, m_kind == Kind::OverTime ? stackTotals.at(c) : v);
        }
        setValues(set, values);
    }
    m_chart->legend()->setVisible(names.size() > 1);
    const int top = qMax(1, maxValue);
    if (m_axisY->max() != top) {
        m_axisY->setRange(0, top);
        m_axisY->setTickCount(qMin(6, top + 1));
    }
}

int ChartWidget::chooseBucketsPerLabel() const
{
    const int n = int(m_model.bucketStarts().size());
    const qreal width = plotWidth();
    const QFontMetricsF metrics(m_axisX->labelsFont());
    // Qt Charts gives each label the width / (labels + 1), less its padding and the text
    // item's margins, and cuts what does not fit.
    const qreal needed = qMax(metrics.horizontalAdvance(QStringLiteral("00:00")),
                              metrics.horizontalAdvance(QStringLiteral("00-00")))
        + 24;
    for (const int step : kBucketsPerLabel) {
        const int labels = n / step + 2;
        if (width / qreal(labels) >= needed)
            return step;
    }
    return kBucketsPerLabel.back();
}

void ChartWidget::updateTimeAxis(bool force)
{
    auto *axis = qobject_cast<QCategoryAxis *>(m_axisX);
    const int step = chooseBucketsPerLabel();
    if (!force && step == m_bucketsPerLabel)
        return;
    m_bucketsPerLabel = step;
    const QList<QDateTime> starts = m_model.bucketStarts();
    const QList<Tick> ticks = timeTicks(starts, m_model.bucketSecs(), step);
    // Only touch the axis when its labels change (a minute's slide mostly does not).
    QStringList labels;
    for (const Tick &tick : ticks)
        labels.append(tick.label);
    bool same = axis->categoriesLabels() == labels;
    for (int i = 0; same && i < ticks.size(); ++i)
        same = axis->endValue(labels.at(i)) == ticks.at(i).at;
    if (!same) {
        for (const QString &old : axis->categoriesLabels())
            axis->remove(old);
        for (const Tick &tick : ticks)
            axis->append(tick.label, tick.at);
    }
    const qreal max = qMax(qreal(0.5), qreal(starts.size()) - 0.5);
    if (axis->min() != -0.5 || axis->max() != max)
        axis->setRange(-0.5, max);
}

} // namespace spotkeeper::gui
