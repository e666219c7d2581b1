// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Cost tab over a local source: the table model, the savings series and the top-sizes
// bars drawn from a store with a known history, the CSV export of the shown report, and the
// tab in the main window.
#include "export/csvexport.h"
#include "models/costmodel.h"
#include "models/localfleetsource.h"
#include "support/base/manualclock.h"
#include "ui/costpanel.h"
#include "ui/mainwindow.h"
#include "ui/secretstores.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kHourMs = 3'600'000;
// 2026-03-10 12:00 UTC: the Cost tab's "last 7 days" ends at the next midnight (11 March).
const QDateTime kNow(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC);

qint64 addVm(core::Store &store, int n, const QString &size, const QDateTime &runningSince)
{
    core::VmRecord vm;
    vm.resourceId = u"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/"
                    "providers/Microsoft.Compute/virtualMachines/vm-%1"_s.arg(n);
    vm.name = u"vm-%1"_s.arg(n);
    vm.resourceGroup = u"rg"_s;
    vm.location = u"westeurope"_s;
    vm.size = size;
    vm.priority = u"Spot"_s;
    vm.powerState = core::PowerState::Running;
    vm.powerStateAt = runningSince;
    return store.upsertVm(vm);
}

core::PriceRecord price(const QString &size, core::PriceKind kind, double perHour)
{
    core::PriceRecord p;
    p.region = u"westeurope"_s;
    p.size = size;
    p.kind = kind;
    p.perHour = perHour;
    return p;
}

} // namespace

class TestCostPanel : public QObject
{
    Q_OBJECT

private:
    // Two sizes in westeurope since 4 March 00:00 (the range's first day), until now
    // (10 March 12:00): 156 h each. D2s_v3 (0.02 / 0.10 an hour) saves 156 x 0.08 = 12.48;
    // D4s_v3 (0.05 / 0.20) saves 156 x 0.15 = 23.40, and vm-2 was evicted on 8 March 00:00
    // and ran again 6 h later: 150 running hours save 22.50, 6 h lost worth 1.20.
    void seed()
    {
        const QDateTime start(QDate(2026, 3, 4), QTime(0, 0), Qt::UTC);
        m_clock.set(start);
        QVERIFY(
            m_store->savePrices({price(u"standard_d2s_v3"_s, core::PriceKind::Spot, 0.02),
                                 price(u"standard_d2s_v3"_s, core::PriceKind::PayAsYouGo, 0.10),
                                 price(u"standard_d4s_v3"_s, core::PriceKind::Spot, 0.05),
                                 price(u"standard_d4s_v3"_s, core::PriceKind::PayAsYouGo, 0.20)}));
        QVERIFY(addVm(*m_store, 1, u"Standard_D2s_v3"_s, start) > 0);
        const qint64 evicted = addVm(*m_store, 2, u"Standard_D4s_v3"_s, start);
        QVERIFY(evicted > 0);
        const QDateTime evictedAt(QDate(2026, 3, 8), QTime(0, 0), Qt::UTC);
        QVERIFY(m_store->setPowerState(evicted, core::PowerState::Deallocated, evictedAt));
        QVERIFY(m_store->setPowerState(evicted, core::PowerState::Running,
                                       evictedAt.addMSecs(6 * kHourMs)));
        core::JobRecord job;
        job.vmId = evicted;
        job.trigger = u"notice"_s;
        job.evictedAt = evictedAt;
        job.createdAt = evictedAt;
        job.state = core::JobState::Running;
        job.finishedAt = evictedAt.addMSecs(6 * kHourMs);
        bool created = false;
        QVERIFY(m_store->createJob(job, &created) && created);
        m_clock.set(kNow);
    }

    testsupport::ManualClock m_clock;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<LocalFleetSource> m_source;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        core::StoreError error;
        m_store =
            core::Store::open(core::StoreOptions {u":memory:"_s, false, 5000, &m_clock}, &error);
        QVERIFY2(m_store, qPrintable(error.message));
        m_source = std::make_unique<LocalFleetSource>(*m_store, nullptr, m_clock);
        seed();
    }

    void cleanup()
    {
        m_source.reset();
        m_store.reset();
    }

    void drawsTheReport()
    {
        CostReports reports(*m_source, m_clock);
        QAbstractItemModelTester tester(reports.table(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        CostPanel panel(reports);
        QSignalSpy reloaded(&reports, &CostReports::reloaded);
        reports.setRange(CostReports::Range::Last7Days);
        QCOMPARE(reloaded.size(), 1); // an in-memory store answers at once
        // Rows by savings: D4s_v3 (22.50) before D2s_v3 (12.48).
        CostTableModel *table = reports.table();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->index(0, CostTableModel::Group).data().toString(), u"Standard_D4s_v3"_s);
        QCOMPARE(table->index(0, CostTableModel::Savings).data(Qt::UserRole).toDouble(), 22.5);
        QCOMPARE(table->index(0, CostTableModel::LostHours).data(Qt::UserRole).toDouble(), 6.0);
        QCOMPARE(table->index(1, CostTableModel::Savings).data(Qt::UserRole).toDouble(), 12.48);
        QCOMPARE(table->index(0, CostTableModel::Evictions).data().toLongLong(), 1);
        QVERIFY(table->index(0, CostTableModel::Savings).data().toString().contains(u"USD"_s));
        // The series: 7 daily points from 4 March; on 8 March vm-2 ran 18 h, vm-1 24 h:
        // savings 18 x 0.15 + 24 x 0.08 = 4.62.
        QCOMPARE(panel.savingsSeries()->count(), 7);
        QCOMPARE(panel.savingsSeries()->at(4).y(), 4.62);
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(qint64(panel.savingsSeries()->at(0).x()), Qt::UTC),
                 QDateTime(QDate(2026, 3, 4), QTime(0, 0), Qt::UTC));
        // The top sizes: both by savings (largest drawn last: at the top), one by lost hours.
        QCOMPARE(panel.topSavings()->count(), 2);
        QCOMPARE(panel.topSavings()->at(1), 22.5);
        QCOMPARE(panel.topLostHours()->count(), 1);
        QCOMPARE(panel.topLostHours()->at(0), 6.0);
        QVERIFY(panel.statusLabel()->text().contains(u"Prices as of"_s));
        QVERIFY(panel.exportButton()->isEnabled());
        // The assumptions are stated on the tab.
        const auto *assumptions = panel.findChild<QLabel *>(u"costAssumptions"_s);
        QVERIFY(assumptions);
        QVERIFY(assumptions->text().contains(u"maxPrice"_s));
        QVERIFY(assumptions->text().contains(u"no reservations"_s));
    }

    // The Eviction risk view: D4s_v3 in westeurope ran 150 h with 1 eviction (0.16 per
    // VM-day) and came back after 6 h; with its band "0-5" cached it is not flagged (one
    // eviction). D2s_v3 ran 156 h without one and has no band. Grouped by VM, the risk still
    // comes from the by-size report.
    void showsTheEvictionRisk()
    {
        QVERIFY(m_store->saveEvictionBands({core::EvictionBand {
            u"westeurope"_s, u"standard_d4s_v3"_s, u"0-5"_s, 0, 0, kNow.addDays(-1)}}));
        CostReports reports(*m_source, m_clock);
        QAbstractItemModelTester tester(reports.risk(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        CostPanel panel(reports);
        QSignalSpy reloaded(&reports, &CostReports::reloaded);
        reports.setRange(CostReports::Range::Last7Days);
        QCOMPARE(reloaded.size(), 1);
        // Not worked out while only the costs are shown; opening the tab reloads with it.
        QCOMPARE(reports.risk()->rowCount(), 0);
        QVERIFY(!reports.riskWanted());
        panel.tables()->setCurrentIndex(1);
        QVERIFY(reports.riskWanted());
        QCOMPARE(reloaded.size(), 2);
        reloaded.clear();
        RiskTableModel *risk = reports.risk();
        QCOMPARE(risk->rowCount(), 2);
        QCOMPARE(risk->index(0, RiskTableModel::Size).data().toString(), u"Standard_D4s_v3"_s);
        QCOMPARE(risk->index(0, RiskTableModel::Region).data().toString(), u"westeurope"_s);
        QCOMPARE(risk->index(0, RiskTableModel::Evictions).data().toLongLong(), 1);
        QCOMPARE(risk->index(0, RiskTableModel::PerVmDay).data(Qt::UserRole).toDouble(),
                 24.0 / 150);
        QCOMPARE(risk->index(0, RiskTableModel::MedianRecovery).data(Qt::UserRole).toDouble(), 6.0);
        QCOMPARE(risk->index(0, RiskTableModel::PublishedBand).data().toString(), u"0-5 %"_s);
        QVERIFY(risk->index(0, RiskTableModel::Flag).data().toString().isEmpty());
        QCOMPARE(risk->index(1, RiskTableModel::PublishedBand).data().toString(),
                 u"not published"_s);
        QCOMPARE(risk->index(1, RiskTableModel::MedianRecovery).data().toString(), u"–"_s);
        QCOMPARE(panel.riskTable()->model()->rowCount(), 2);
        QCOMPARE(panel.tables()->count(), 2);
        QCOMPARE(panel.tables()->tabText(1), u"Eviction risk"_s);

        // Two more evictions of vm-2 of an hour each on 9 March: 3 evictions in 148 running
        // hours, 2.03 % per hour, still below 2 x 5 %. With the band "0-1" (upper bound 1 %)
        // it is flagged and shown so.
        const qint64 vm2 =
            m_store
                ->vmByKey(u"/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/"
                          "providers/microsoft.compute/virtualmachines/vm-2"_s)
                ->id;
        for (int h : {2, 5}) {
            const QDateTime at(QDate(2026, 3, 9), QTime(h, 0), Qt::UTC);
            QVERIFY(m_store->setPowerState(vm2, core::PowerState::Deallocated, at));
            QVERIFY(m_store->setPowerState(vm2, core::PowerState::Running, at.addSecs(3600)));
            core::JobRecord job;
            job.vmId = vm2;
            job.trigger = u"reconciler"_s;
            job.evictedAt = at;
            job.createdAt = at;
            job.state = core::JobState::Running;
            job.finishedAt = at.addSecs(3600);
            bool created = false;
            QVERIFY(m_store->createJob(job, &created) && created);
        }
        QVERIFY(m_store->saveEvictionBands(
            {core::EvictionBand {u"westeurope"_s, u"standard_d4s_v3"_s, u"0-1"_s, 0, 0, kNow}}));
        reports.setGroupBy(core::CostGroup::Vm);
        QCOMPARE(reloaded.size(), 1);
        QCOMPARE(risk->rowCount(), 2);
        QCOMPARE(risk->index(0, RiskTableModel::Evictions).data().toLongLong(), 3);
        QCOMPARE(risk->index(0, RiskTableModel::MedianRecovery).data(Qt::UserRole).toDouble(), 1.0);
        QCOMPARE(risk->index(0, RiskTableModel::Flag).data().toString(), u"Far above the band"_s);
        QVERIFY(risk->index(0, RiskTableModel::Flag)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"2.0 %"_s));
    }

    void groupByFollowsTheCombo()
    {
        CostReports reports(*m_source, m_clock);
        CostPanel panel(reports);
        const auto combos = panel.findChildren<QComboBox *>();
        QComboBox *groupBy = nullptr;
        for (QComboBox *combo : combos) {
            if (combo->accessibleName() == u"Group costs by"_s)
                groupBy = combo;
        }
        if (groupBy == nullptr)
            QFAIL("no combo box named 'Group costs by'");
        groupBy->setCurrentIndex(groupBy->findData(int(core::CostGroup::Vm)));
        QVERIFY(reports.groupBy() == core::CostGroup::Vm);
        QCOMPARE(reports.table()->rowCount(), 2);
        QCOMPARE(reports.table()
                     ->headerData(CostTableModel::Group, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 u"VM"_s);
        // The top-sizes charts stay by size whatever the table's grouping.
        QCOMPARE(reports.bySize().rows.size(), 2);
    }

    void exportsTheShownReport()
    {
        CostReports reports(*m_source, m_clock);
        reports.setRange(CostReports::Range::Last7Days);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cost.csv"_s);
        QString error;
        QVERIFY2(core::exportCost(reports.table()->report(), path, {}, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(QString::fromUtf8(lines.at(0)).trimmed(), core::costCsvColumns().join(u','));
        QVERIFY(lines.at(1).startsWith("size,standard_d4s_v3,Standard_D4s_v3,1,150,"));
        QCOMPARE(lines.size(), 1 + 2 + 7 + 1); // header, rows, series, the last line end
    }

    void mainWindowHasACostTab()
    {
        MemorySecretStore secrets;
        MainWindow window(*m_source, m_clock, secrets);
        auto *tabs = window.findChild<QTabWidget *>();
        QVERIFY(tabs);
        auto *panel = window.findChild<CostPanel *>();
        QVERIFY(panel);
        const int index = tabs->indexOf(panel);
        QVERIFY(index >= 0);
        QCOMPARE(tabs->tabText(index), u"C&ost"_s);
        QCOMPARE(panel->table()->model()->rowCount(), 0); // nothing computed before it is shown
        tabs->setCurrentIndex(index);
        QCOMPARE(panel->table()->model()->rowCount(), 2);
    }
};

QTEST_MAIN(TestCostPanel)
#include "tst_costpanel.moc"
