// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/fleetview.h"

#include "models/cloudname.h"
#include "models/fleetfilterproxy.h"
#include "models/fleettablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace spotkeeper::gui {

namespace {
const QString kHeaderKey = QStringLiteral("fleetView/header");

QToolButton *facetButton(const QString &text, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setPopupMode(QToolButton::InstantPopup);
    button->setMenu(new QMenu(button));
    button->setAccessibleName(text);
    return button;
}

template<typename T>
QSet<T> checkedValues(QMenu *menu)
{
    QSet<T> values;
    const QList<QAction *> actions = menu->actions();
    for (QAction *action : actions) {
        if (action->isChecked())
            values.insert(action->data().value<T>());
    }
    return values;
}
} // namespace

FleetView::FleetView(FleetTableModel &model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new FleetFilterProxy(this))
    , m_table(new QTableView(this))
    , m_filter(new QLineEdit(this))
{
    m_proxy->setSourceModel(&model);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FleetTableModel::Status, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setAccessibleName(tr("Fleet"));
    for (int c : {FleetTableModel::Subscription, FleetTableModel::AutoRestart,
                  FleetTableModel::Evictions7d}) {
        m_table->setColumnHidden(c, true);
    }
    // The cloud beside the name (a saved layout, restored below, wins).
    m_table->horizontalHeader()->moveSection(
        m_table->horizontalHeader()->visualIndex(FleetTableModel::Cloud), 1);
    m_table->setColumnWidth(FleetTableModel::Cloud, 100);
    m_table->setColumnWidth(FleetTableModel::Name, 190);
    m_table->setColumnWidth(FleetTableModel::Status, 170);

    m_filter->setPlaceholderText(tr("Filter by name, group, region, size, error (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Fleet filter"));
    m_cloud = new QComboBox(this);
    m_cloud->addItem(tr("All clouds"), -1);
    for (const core::Cloud cloud : {core::Cloud::Azure, core::Cloud::Gcp, core::Cloud::Aws})
        m_cloud->addItem(cloudName(cloud), static_cast<int>(cloud));
    m_cloud->setAccessibleName(tr("Cloud filter"));
    m_cloud->setToolTip(tr("Show the VMs of one cloud only"));
    m_stateButton = facetButton(tr("State"), this);
    m_regionButton = facetButton(tr("Region"), this);
    m_groupButton = facetButton(tr("Resource group"), this);
    m_onlyProblems = new QCheckBox(tr("Only &problems"), this);
    m_columnsButton = new QToolButton(this);
    m_columnsButton->setText(tr("Columns"));
    m_columnsButton->setToolTip(tr("Choose the visible columns"));
    m_columnsButton->setAccessibleName(tr("Choose columns"));

    QMenu *stateMenu = m_stateButton->menu();
    for (int h = 0; h < kHealthCount; ++h) {
        QAction *action = stateMenu->addAction(healthIcon(static_cast<Health>(h)),
                                               healthText(static_cast<Health>(h)));
        action->setCheckable(true);
        action->setData(h);
    }
    connect(stateMenu, &QMenu::triggered, this, [this] {
        QSet<Health> states;
        for (int h : checkedValues<int>(m_stateButton->menu()))
            states.insert(static_cast<Health>(h));
        m_proxy->setHealthFacet(states);
    });
    connect(m_regionButton->menu(), &QMenu::triggered, this,
            [this] { m_proxy->setRegionFacet(checkedValues<QString>(m_regionButton->menu())); });
    connect(m_groupButton->menu(), &QMenu::triggered, this, [this] {
        m_proxy->setResourceGroupFacet(checkedValues<QString>(m_groupButton->menu()));
    });
    connect(m_regionButton->menu(), &QMenu::aboutToShow, this, &FleetView::rebuildFacetMenus);
    connect(m_groupButton->menu(), &QMenu::aboutToShow, this, &FleetView::rebuildFacetMenus);
    connect(m_cloud, &QComboBox::currentIndexChanged, this, [this] {
        const int cloud = m_cloud->currentData().toInt();
        m_proxy->setCloud(cloud < 0 ? std::nullopt
                                    : std::optional(static_cast<core::Cloud>(cloud)));
    });
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &FleetFilterProxy::setFilterText);
    connect(m_onlyProblems, &QCheckBox::toggled, m_proxy, &FleetFilterProxy::setOnlyProblems);
    connect(m_columnsButton, &QToolButton::clicked, this, &FleetView::showColumnMenu);
    connect(m_table->horizontalHeader(), &QHeaderView::customContextMenuRequested, this,
            &FleetView::showColumnMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &FleetView::selectionChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { Q_EMIT currentVmChanged(currentVmId()); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_cloud);
    bar->addWidget(m_stateButton);
    bar->addWidget(m_regionButton);
    bar->addWidget(m_groupButton);
    bar->addWidget(m_onlyProblems);
    bar->addWidget(m_columnsButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    restoreState();
}

FleetView::~FleetView() = default;

void FleetView::rebuildFacetMenus()
{
    const auto rebuild = [](QMenu *menu, const QStringList &values) {
        const QSet<QString> checked = checkedValues<QString>(menu);
        menu->clear();
        for (const QString &value : values) {
            QAction *action = menu->addAction(value);
            action->setCheckable(true);
            action->setData(value);
            action->setChecked(checked.contains(value));
        }
    };
    rebuild(m_regionButton->menu(), m_model.distinctValues(FleetTableModel::RegionRole));
    rebuild(m_groupButton->menu(), m_model.distinctValues(FleetTableModel::ResourceGroupRole));
}

void FleetView::showColumnMenu()
{
    QMenu menu(this);
    for (int c = 0; c < FleetTableModel::ColumnCount; ++c) {
        QAction *action = menu.addAction(FleetTableModel::columnTitle(c));
        action->setCheckable(true);
        action->setChecked(!m_table->isColumnHidden(c));
        action->setEnabled(c != FleetTableModel::Name); // the name always stays
        connect(action, &QAction::toggled, this, [this, c](bool on) {
            m_table->setColumnHidden(c, !on);
            saveState();
        });
    }
    menu.exec(QCursor::pos());
}

QList<qint64> FleetView::selectedVmIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(index.data(FleetTableModel::VmIdRole).toLongLong());
    return ids;
}

qint64 FleetView::currentVmId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.data(FleetTableModel::VmIdRole).toLongLong() : 0;
}

QList<int> FleetView::visibleColumns() const
{
    QList<int> columns;
    const QHeaderView *header = m_table->horizontalHeader();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            columns.append(logical);
    }
    return columns;
}

void FleetView::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void FleetView::setOnlyProblems(bool only)
{
    m_onlyProblems->setChecked(only);
}

void FleetView::saveState() const
{
    QSettings().setValue(kHeaderKey, m_table->horizontalHeader()->saveState());
}

void FleetView::restoreState()
{
    const QByteArray state = QSettings().value(kHeaderKey).toByteArray();
    if (!state.isEmpty())
        m_table->horizontalHeader()->restoreState(state);
}

} // namespace spotkeeper::gui
