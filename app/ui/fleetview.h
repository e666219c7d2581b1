// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QTableView;
class QToolButton;

namespace spotkeeper::gui {

class FleetFilterProxy;
class FleetTableModel;

// The fleet table with its filter bar: free text (Ctrl+F focuses it), the cloud (all, Azure,
// Google Cloud, AWS), facet menus for state, region and resource group, "only problems", and
// a column chooser. The header's
// state (order, widths, hidden columns, sort) is saved in QSettings.
class FleetView final : public QWidget
{
    Q_OBJECT
public:
    FleetView(FleetTableModel &model, QWidget *parent = nullptr);
    ~FleetView() override;
    Q_DISABLE_COPY_MOVE(FleetView)

    FleetFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QComboBox *cloudFilter() const { return m_cloud; } // data: -1 all, else int(core::Cloud)
    QList<qint64> selectedVmIds() const;
    qint64 currentVmId() const;
    QList<int> visibleColumns() const; // in view order, for "export current view"
    void focusFilter();
    void setOnlyProblems(bool only);
    void saveState() const;
    void restoreState();

Q_SIGNALS:
    void selectionChanged();
    void currentVmChanged(qint64 vmId);

private:
    void rebuildFacetMenus();
    void showColumnMenu();

    FleetTableModel &m_model;
    FleetFilterProxy *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_cloud = nullptr;
    QToolButton *m_stateButton = nullptr;
    QToolButton *m_regionButton = nullptr;
    QToolButton *m_groupButton = nullptr;
    QToolButton *m_columnsButton = nullptr;
    QCheckBox *m_onlyProblems = nullptr;
};

} // namespace spotkeeper::gui
