// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/retrypanel.h"

#include "base/clock.h"
#include "models/activejobsproxy.h"
#include "models/fleettablemodel.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace spotkeeper::gui {

namespace {

// Draws the countdown as a progress bar filling up towards the next attempt.
class CountdownDelegate final : public QStyledItemDelegate
{
public:
    CountdownDelegate(const base::Clock &clock, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_clock(clock)
    { }
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        const QDateTime next = index.data(FleetTableModel::NextAttemptRole).toDateTime();
        const QDateTime since = index.data(FleetTableModel::JobUpdatedRole).toDateTime();
        if (!next.isValid() || !since.isValid() || since >= next) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        const qint64 total = since.msecsTo(next);
        const qint64 done = qBound<qint64>(0, since.msecsTo(m_clock.nowUtc()), total);
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(done * 1000 / total);
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }

private:
    const base::Clock &m_clock;
};

} // namespace

SummaryStrip::SummaryStrip(FleetTableModel &model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (Health h : {Health::Evicted, Health::Waiting, Health::Retrying, Health::Recovered,
                     Health::NeedsOperator, Health::AgentSilent, Health::AppUnhealthy}) {
        auto *button = new QToolButton(this);
        button->setIcon(healthIcon(h));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAutoRaise(true);
        button->setToolTip(tr("Show only VMs that are: %1").arg(healthText(h)));
        QPalette palette = button->palette();
        palette.setColor(QPalette::ButtonText, healthColor(h));
        button->setPalette(palette);
        connect(button, &QToolButton::clicked, this, [this, h] { Q_EMIT healthClicked(h); });
        layout->addWidget(button);
        m_buttons.append({h, button});
    }
    layout->addStretch(1);
    connect(&model, &FleetTableModel::summaryChanged, this, &SummaryStrip::refresh);
    connect(&model, &QAbstractItemModel::modelReset, this, &SummaryStrip::refresh);
    refresh();
}

SummaryStrip::~SummaryStrip() = default;

int SummaryStrip::shownCount(Health health) const
{
    return m_model.healthCounts().at(static_cast<std::size_t>(health));
}

void SummaryStrip::refresh()
{
    const FleetTableModel::HealthCounts counts = m_model.healthCounts();
    for (const auto &[health, button] : std::as_const(m_buttons)) {
        const int n = counts.at(static_cast<std::size_t>(health));
        button->setText(QStringLiteral("%1: %2").arg(healthText(health)).arg(n));
        button->setAccessibleName(button->text());
    }
}

RetryPanel::RetryPanel(FleetTableModel &model, const base::Clock &clock, QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableView(this))
{
    auto *proxy = new ActiveJobsProxy(this);
    proxy->setSourceModel(&model);
    proxy->setSortRole(FleetTableModel::SortRole);
    proxy->setFilterRole(FleetTableModel::JobStartedRole);
    proxy->setDynamicSortFilter(true);
    m_table->setModel(proxy);
    m_table->setItemDelegateForColumn(FleetTableModel::NextRetry,
                                      new CountdownDelegate(clock, this));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FleetTableModel::NextRetry, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Active restart jobs"));
    for (int c = 0; c < FleetTableModel::ColumnCount; ++c) {
        const bool shown = c == FleetTableModel::Name || c == FleetTableModel::Status
            || c == FleetTableModel::JobState || c == FleetTableModel::Attempt
            || c == FleetTableModel::NextRetry || c == FleetTableModel::LastError;
        m_table->setColumnHidden(c, !shown);
    }
    m_table->horizontalHeader()->moveSection(
        m_table->horizontalHeader()->visualIndex(FleetTableModel::NextRetry), 2);
    m_table->setColumnWidth(FleetTableModel::NextRetry, 160);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT vmActivated(index.data(FleetTableModel::VmIdRole).toLongLong());
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
}

RetryPanel::~RetryPanel() = default;

} // namespace spotkeeper::gui
