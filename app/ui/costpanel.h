// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSet;
class QChart;
class QDateTimeAxis;
class QHorizontalBarSeries;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace spotkeeper::gui {

class CostReports;

// The Cost tab (docs/ANALYTICS.md): what spot saved over time, the sizes that saved most and
// those that lost most hours to evictions, a table per VM, size, region or resource group,
// its own range (7 days to 12 months) and the assumptions the figures rest on. The reports
// are computed away from the GUI thread (CostReports); the panel only draws them.
class CostPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit CostPanel(CostReports &reports, QWidget *parent = nullptr);
    ~CostPanel() override;
    Q_DISABLE_COPY_MOVE(CostPanel)

    // For tests: what is drawn.
    QChart *savingsChart() const { return m_savingsChart; }
    QLineSeries *savingsSeries() const { return m_savings; }
    QBarSet *topSavings() const { return m_topSavingsSet; }
    QBarSet *topLostHours() const { return m_topLostSet; }
    QTableView *table() const { return m_table; }
    QTableView *riskTable() const { return m_riskTable; }
    QTabWidget *tables() const { return m_tables; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *exportButton() const { return m_export; }

Q_SIGNALS:
    // "Export CSV..." was chosen: the window asks for a file and writes the shown report.
    void exportRequested();

private:
    void handleReloaded();
    void drawSeries();
    void drawTopSizes();

    CostReports &m_reports;
    QComboBox *m_range = nullptr;
    QComboBox *m_groupBy = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_totals = nullptr;
    QChart *m_savingsChart = nullptr;
    QLineSeries *m_savings = nullptr;
    QLineSeries *m_spot = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_moneyAxis = nullptr;
    QChart *m_topSavingsChart = nullptr;
    QHorizontalBarSeries *m_topSavingsSeries = nullptr;
    QBarSet *m_topSavingsSet = nullptr;
    QBarCategoryAxis *m_topSavingsAxis = nullptr;
    QValueAxis *m_topSavingsValues = nullptr;
    QChart *m_topLostChart = nullptr;
    QHorizontalBarSeries *m_topLostSeries = nullptr;
    QBarSet *m_topLostSet = nullptr;
    QBarCategoryAxis *m_topLostAxis = nullptr;
    QValueAxis *m_topLostValues = nullptr;
    QTableView *m_table = nullptr;
    QTableView *m_riskTable = nullptr;
    QTabWidget *m_tables = nullptr;
};

} // namespace spotkeeper::gui
