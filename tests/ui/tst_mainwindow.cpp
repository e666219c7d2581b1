// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/apptranslations.h"
#include "models/chartmodel.h"
#include "models/fleetfilterproxy.h"
#include "models/fleettablemodel.h"
#include "models/localfleetsource.h"
#include "models/notificationcenter.h"
#include "models/remotefleetsource.h"
#include "support/base/manualclock.h"
#include "support/gui/guitestsupport.h"
#include "support/gui/otherclouds.h"
#include "ui/chartspanel.h"
#include "ui/chartwidget.h"
#include "ui/detailpane.h"
#include "ui/fleetview.h"
#include "ui/mainwindow.h"
#include "ui/secretstores.h"
#include "ui/singleinstance.h"

#include <QAbstractBarSeries>
#include <QAction>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTabWidget>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

namespace {

// What a chart draws: the sum of every bar set's values (read from Qt Charts itself).
int drawnTotal(QChart *chart)
{
    qreal sum = 0;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            for (const QBarSet *set : bars->barSets()) {
                for (int i = 0; i < set->count(); ++i)
                    sum += set->at(i);
            }
        }
    }
    return int(sum);
}

// The texts a chart shows (axis labels, legend, title), as laid out on screen.
QStringList visibleTexts(QChart *chart)
{
    QStringList texts;
    for (QGraphicsItem *item : chart->scene()->items()) {
        const auto *text = dynamic_cast<QGraphicsTextItem *>(item);
        if (text != nullptr && text->isVisible() && !text->toPlainText().trimmed().isEmpty())
            texts.append(text->toPlainText());
    }
    return texts;
}

// A seeded store with the recording operations behind a local source.
struct DemoSource
{
    std::unique_ptr<core::Store> store;
    std::unique_ptr<test::RecordingOperations> ops;
    std::unique_ptr<LocalFleetSource> source;
};

DemoSource demoSource(testsupport::ManualClock &clock, const test::DemoOptions &options)
{
    DemoSource demo;
    demo.store = test::openStore(QStringLiteral(":memory:"), &clock);
    test::seedDemoFleet(*demo.store, clock.nowUtc(), options);
    demo.ops = std::make_unique<test::RecordingOperations>(*demo.store, clock.nowUtc());
    demo.source = std::make_unique<LocalFleetSource>(*demo.store, demo.ops.get(), clock);
    return demo;
}

// Shows the window at its default size on the Charts tab.
ChartsPanel *showCharts(MainWindow &window)
{
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return nullptr;
    auto *panel = window.findChild<ChartsPanel *>();
    if (panel != nullptr)
        window.findChild<QTabWidget *>()->setCurrentWidget(panel);
    return panel;
}

// Selects the VM's row in the window's fleet table (and makes it the current one).
void selectVm(MainWindow &window, qint64 vmId)
{
    QTableView *table = window.fleetView()->table();
    const QModelIndex source = window.fleetModel()->index(window.fleetModel()->rowOfVm(vmId), 0);
    const QModelIndex index = window.fleetView()->proxy()->mapFromSource(source);
    table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

// The text the fleet table shows in the VM's Status column.
QString statusText(const MainWindow &window, qint64 vmId)
{
    FleetTableModel *model = window.fleetModel();
    return model->index(model->rowOfVm(vmId), FleetTableModel::Status).data().toString();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    testsupport::ManualClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        installTranslations(QStringLiteral("en"));
    }

    void secondInstanceRaisesTheFirst()
    {
        const QString name =
            QStringLiteral("spotkeeper-test-%1").arg(QCoreApplication::applicationPid());
        SingleInstance first(name);
        QVERIFY(first.claim());
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);
        SingleInstance second(name);
        QVERIFY(!second.claim());
        QTRY_COMPARE(raised.size(), 1);
    }

    void chartShowsAsTable()
    {
        ChartModel model;
        buckets::Stacked data;
        data.bucketSecs = 3600;
        data.starts = {QDateTime::fromSecsSinceEpoch(0, Qt::UTC),
                       QDateTime::fromSecsSinceEpoch(3600, Qt::UTC)};
        data.groups = {QStringLiteral("eastus"), QStringLiteral("westus2")};
        data.counts = {{1, 2}, {0, 5}};
        model.setStacked(data);
        ChartWidget chart(QStringLiteral("Evictions"), model, ChartWidget::Kind::OverTime);
        QCOMPARE(chart.seriesCount(), 2);
        QVERIFY(!chart.showsTable());
        chart.setShowAsTable(true);
        QVERIFY(chart.showsTable());
        auto *table = chart.findChild<QTableView *>();
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 2);
        QCOMPARE(table->model()->index(1, 2).data().toInt(), 5);
        QCOMPARE(table->model()->headerData(2, Qt::Horizontal).toString(),
                 QStringLiteral("westus2"));

        // New data is drawn in place: the same chart and bar sets, new values.
        QChart *const drawn = chart.chart();
        const QList<QBarSet *> sets = chart.barSets();
        data.counts = {{1, 3}, {0, 6}};
        model.setStacked(data);
        QCOMPARE(chart.chart(), drawn);
        QCOMPARE(chart.barSets(), sets);
        QCOMPARE(sets.at(1)->at(1), 6.0);
        QCOMPARE(drawnTotal(drawn), 10);
        data.groups.append(QStringLiteral("westeurope")); // a new region: one more set
        data.counts.append({2, 0});
        model.setStacked(data);
        QCOMPARE(chart.seriesCount(), 3);
        QCOMPARE(chart.barSets().mid(0, 2), sets);
        QCOMPARE(drawnTotal(drawn), 12);
    }

    // Without a tray the Notifications tab counts what arrived. It named its tab by position,
    // so the Cost tab's arrival made the Audit tab read "Notifications (1)" beside the real
    // Notifications tab.
    void notificationCountNamesTheNotificationsTab()
    {
        DemoSource demo = demoSource(m_clock, {4, 0, 5});
        MemorySecretStore secrets;
        MainWindow window(*demo.source, m_clock, secrets);
        auto *tabs = window.findChild<QTabWidget *>();
        QVERIFY(tabs);
        QStringList before;
        for (int i = 0; i < tabs->count(); ++i)
            before.append(tabs->tabText(i));
        window.notifications()->add(Notification::Kind::Evicted, demo.store->vms().constFirst());
        window.notifications()->flush();
        QCOMPARE(window.notifications()->rowCount(), 1);
        QStringList expected = before;
        const int index = int(before.indexOf(QStringLiteral("&Notifications")));
        QVERIFY(index >= 0);
        expected[index] = QStringLiteral("&Notifications (1)");
        QStringList after;
        for (int i = 0; i < tabs->count(); ++i)
            after.append(tabs->tabText(i));
        QCOMPARE(after, expected);
    }

    // Issue 13.2: "Last 24 hours" was computed once when the window opened, so every
    // eviction after that fell outside the charts. An eviction ten minutes after start
    // must appear in what the chart draws, updated in place (the same chart object).
    void chartsShowEvictionsAfterStart()
    {
        DemoSource demo = demoSource(m_clock, {24, 2, 5});
        core::Store *store = demo.store.get();
        LocalFleetSource &source = *demo.source;
        MemorySecretStore secrets;
        MainWindow window(source, m_clock, secrets);
        ChartsPanel *panel = showCharts(window);
        QVERIFY(panel);
        auto *view = panel->charts().at(0)->findChild<QChartView *>();
        QChart *const chart = view->chart();
        const auto evictionsInLastDay = [&] {
            core::EventFilter f;
            f.kinds = {core::EventKind::Eviction};
            f.from = m_clock.nowUtc().addSecs(1 - 24 * 3600);
            f.to = m_clock.nowUtc().addSecs(1);
            return int(store->eventCount(f));
        };
        QCOMPARE(drawnTotal(chart), evictionsInLastDay());

        m_clock.advanceMSecs(qint64(10) * 60 * 1000);
        core::EventRecord ev;
        ev.vmId = store->vms().constFirst().id;
        ev.kind = core::EventKind::Eviction;
        ev.at = m_clock.nowUtc();
        ev.id = store->appendEvent(ev);
        source.notifyEventAppended(ev);
        const int expected = evictionsInLastDay();
        QTRY_COMPARE_WITH_TIMEOUT(drawnTotal(view->chart()), expected, 20'000);
        QCOMPARE(view->chart(), chart); // updated in place, not replaced

        // The audit log of a "last ..." range has an open end: an action taken now shows.
        const auto auditRows = [&window] {
            for (QTableView *table : window.findChildren<QTableView *>()) {
                if (table->accessibleName() == QLatin1StringView("Audit log"))
                    return table->model()->rowCount();
            }
            return -1;
        };
        const int rowsBefore = auditRows();
        QVERIFY(rowsBefore >= 0);
        store->appendAudit({0, m_clock.nowUtc(), QStringLiteral("gui:alice"),
                            QStringLiteral("pause"), QStringLiteral("vm"), QString()});
        source.notifyAuditAppended();
        QCOMPARE(auditRows(), rowsBefore + 1);
        window.close();
    }

    // Issue 13.2: the x-axis labels were cut to "12-..." at the default window size.
    void chartLabelsAreReadableAtDefaultSize()
    {
        DemoSource demo = demoSource(m_clock, {24, 6, 5});
        MemorySecretStore secrets;
        MainWindow window(*demo.source, m_clock, secrets);
        ChartsPanel *panel = showCharts(window);
        QVERIFY(panel);
        QChart *evictions = panel->charts().at(0)->findChild<QChartView *>()->chart();
        QTRY_VERIFY(visibleTexts(evictions).size() >= 8); // laid out
        for (ChartWidget *widget : panel->charts()) {
            QChart *chart = widget->findChild<QChartView *>()->chart();
            for (const QString &text : visibleTexts(chart)) // Qt Charts cuts with "..."
                QVERIFY2(!text.endsWith(QLatin1StringView("...")), qPrintable(text));
        }
        // The 24 h axis names hours of the day (several of them), whole.
        const QRegularExpression hour(QStringLiteral("^\\d\\d:00$"));
        QVERIFY2(visibleTexts(evictions).filter(hour).size() >= 4,
                 qPrintable(visibleTexts(evictions).join(QLatin1Char('|'))));
        window.close();
    }

    // Issues 15/16: the cloud everywhere in the window. The fleet's Cloud filter and column,
    // the detail pane's cloud, resource id and console button, the charts per cloud.
    void theCloudInFilterColumnDetailAndCharts()
    {
        QSettings().remove(QStringLiteral("fleetView/header")); // the default layout
        DemoSource demo = demoSource(m_clock, {12, 2, 5});
        const QList<qint64> others = test::seedOtherClouds(*demo.store, m_clock.nowUtc(), 3, 2);
        MemorySecretStore secrets;
        MainWindow window(*demo.source, m_clock, secrets);
        ChartsPanel *panel = showCharts(window);
        QVERIFY(panel);

        // The fleet: the Cloud column is shown, the filter keeps one cloud.
        FleetView *fleet = window.fleetView();
        QVERIFY(!fleet->table()->isColumnHidden(FleetTableModel::Cloud));
        QCOMPARE(fleet->table()->horizontalHeader()->visualIndex(FleetTableModel::Cloud), 1);
        QComboBox *cloudFilter = fleet->cloudFilter();
        QCOMPARE(cloudFilter->count(), 4);
        QStringList choices;
        for (int i = 0; i < cloudFilter->count(); ++i)
            choices.append(cloudFilter->itemText(i));
        QCOMPARE(choices,
                 (QStringList {QStringLiteral("All clouds"), QStringLiteral("Azure"),
                               QStringLiteral("Google Cloud"), QStringLiteral("AWS")}));
        QCOMPARE(fleet->proxy()->rowCount(), 14);
        cloudFilter->setCurrentIndex(2);
        QCOMPARE(fleet->proxy()->rowCount(), 1);
        QCOMPARE(fleet->proxy()->index(0, FleetTableModel::Cloud).data().toString(),
                 QStringLiteral("Google Cloud"));
        cloudFilter->setCurrentIndex(3);
        QCOMPARE(fleet->proxy()->rowCount(), 1);
        QCOMPARE(fleet->proxy()->index(0, FleetTableModel::Name).data().toString(),
                 QStringLiteral("i-0123456789abcdef0"));
        cloudFilter->setCurrentIndex(1);
        QCOMPARE(fleet->proxy()->rowCount(), 12);
        cloudFilter->setCurrentIndex(0);
        QCOMPARE(fleet->proxy()->rowCount(), 14);

        // The detail pane: cloud and resource id, and the cloud's console.
        const auto *cloudLine = window.detailPane()->findChild<QLabel *>(QStringLiteral("cloud"));
        QVERIFY(cloudLine);
        const auto consoleButton = [&window]() -> QPushButton * {
            for (QPushButton *button : window.detailPane()->findChildren<QPushButton *>()) {
                if (button->text().startsWith(QLatin1StringView("Open in")))
                    return button;
            }
            return nullptr;
        };
        selectVm(window, others.at(0));
        QCOMPARE(cloudLine->text(), QStringLiteral("Google Cloud · ") + test::kGcpVmId);
        QVERIFY(consoleButton() && consoleButton()->isEnabled());
        QCOMPARE(consoleButton()->text(), QStringLiteral("Open in Google Cloud &console"));
        QCOMPARE(DetailPane::portalUrl(test::kGcpVmId),
                 QStringLiteral("https://console.cloud.google.com/compute/instancesDetail/zones/"
                                "europe-west1-b/instances/gce-7?project=spot-fleet-1"));
        const QString facts =
            window.detailPane()->findChild<QLabel *>(QStringLiteral("facts"))->text();
        QVERIFY2(facts.startsWith(QStringLiteral("europe-west1-b · e2-standard-4 · power: ")),
                 qPrintable(facts));
        selectVm(window, others.at(1));
        QCOMPARE(cloudLine->text(), QStringLiteral("AWS · ") + test::kAwsVmId);
        QCOMPARE(consoleButton()->text(), QStringLiteral("Open in AWS &console"));
        QCOMPARE(DetailPane::portalUrl(test::kAwsVmId),
                 QStringLiteral("https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1"
                                "#InstanceDetails:instanceId=i-0123456789abcdef0"));
        const core::VmRecord azure = demo.store->vms().constFirst();
        selectVm(window, azure.id);
        QCOMPARE(cloudLine->text(), QStringLiteral("Azure · ") + azure.resourceId);
        QCOMPARE(consoleButton()->text(), QStringLiteral("Open in Azure &portal"));
        QCOMPARE(DetailPane::portalUrl(azure.resourceId),
                 QStringLiteral("https://portal.azure.com/#resource") + azure.resourceId
                     + QStringLiteral("/overview"));

        // The charts: stacked by cloud, and one cloud's evictions and jobs only.
        const auto drawn = [panel](int chart) {
            QMap<QString, int> sums;
            for (QBarSet *set : panel->charts().at(chart)->barSets()) {
                for (int i = 0; i < set->count(); ++i)
                    sums[set->label()] += int(set->at(i));
            }
            return sums;
        };
        auto *groupBy = panel->findChild<QComboBox *>(QStringLiteral("groupBy"));
        auto *chartCloud = panel->findChild<QComboBox *>(QStringLiteral("chartCloud"));
        QVERIFY(groupBy && chartCloud);
        groupBy->setCurrentIndex(groupBy->findText(QStringLiteral("Cloud")));
        QTRY_COMPARE(drawn(0).value(QStringLiteral("Google Cloud")), 3);
        QCOMPARE(drawn(0).value(QStringLiteral("AWS")), 2);
        QVERIFY(drawn(0).contains(QStringLiteral("Azure")));
        chartCloud->setCurrentIndex(chartCloud->findText(QStringLiteral("Google Cloud")));
        QTRY_COMPARE(drawn(0).keys(), QStringList {QStringLiteral("Google Cloud")});
        QCOMPARE(drawn(0).value(QStringLiteral("Google Cloud")), 3);
        int recovered = 0;
        for (int v : drawn(1))
            recovered += v;
        QCOMPARE(recovered, 1); // gce-7's one job, back in two minutes
        chartCloud->setCurrentIndex(chartCloud->findText(QStringLiteral("AWS")));
        QTRY_COMPARE(drawn(0).value(QStringLiteral("AWS")), 2);
        QCOMPARE(drawn(0).keys(), QStringList {QStringLiteral("AWS")});
    }

    void firstRunExplainsWhatToDo()
    {
        auto store = test::openStore(QStringLiteral(":memory:"), &m_clock);
        LocalFleetSource source(*store, nullptr, m_clock);
        MemorySecretStore secrets;
        MainWindow window(source, m_clock, secrets);
        window.show();
        QVERIFY(window.isShowingFirstRun());
        QAction *add = window.action(QStringLiteral("actionAddVm"));
        QVERIFY(add);
        QVERIFY(!add->isEnabled());
        QVERIFY(!add->toolTip().isEmpty()); // the reason
    }

    void firstRunOffersToAttach()
    {
        auto store = test::openStore(QStringLiteral(":memory:"), &m_clock);
        LocalFleetSource source(*store, nullptr, m_clock);
        MemorySecretStore secrets;
        MainWindow window(source, m_clock, secrets);
        window.show();
        auto *attach = window.findChild<QPushButton *>(QStringLiteral("attachButton"));
        QVERIFY(attach);
        QVERIFY(attach->isEnabled());
        QAction *menuAttach = window.action(QStringLiteral("actionAttach"));
        QVERIFY(menuAttach);
        QVERIFY(!menuAttach->shortcut().isEmpty());
        QVERIFY(window.action(QStringLiteral("actionExportEvents"))->isEnabled());
    }

    void remoteWindowSaysWhereItIsAttached()
    {
        RemoteSourceOptions options;
        options.baseUrl = QUrl(QStringLiteral("https://spotkeeperd.example.invalid:8443"));
        options.token = QByteArrayLiteral("skop_test");
        RemoteFleetSource source(options, m_clock); // not started: never connects
        MemorySecretStore secrets;
        MainWindow window(source, m_clock, secrets);
        window.show();
        QVERIFY(!window.isShowingFirstRun()); // the status bar says what is wrong instead
        QAction *exportEvents = window.action(QStringLiteral("actionExportEvents"));
        QVERIFY(!exportEvents->isEnabled());
        QVERIFY2(exportEvents->toolTip().contains(QStringLiteral("spotkeeperd export")),
                 qPrintable(exportEvents->toolTip()));
        QVERIFY(!window.action(QStringLiteral("actionExportAudit"))->isEnabled());
        QVERIFY(window.action(QStringLiteral("actionExportView"))->isEnabled());
        bool described = false;
        for (const QLabel *label : window.statusBar()->findChildren<QLabel *>())
            described = described
                || QString(label->text() + label->toolTip())
                       .contains(QStringLiteral(
                           "spotkeeperd at https://spotkeeperd.example.invalid:8443"));
        QVERIFY(described);
        QAction *restart = window.action(QStringLiteral("actionForceRestart"));
        QVERIFY(!restart->isEnabled()); // not connected yet
    }

    // A running VM with auto-restart on: Start, Resume, Cancel and Force restart do nothing
    // for it, so they are disabled (toolbar, menu and the table's context menu share the
    // QActions); Stop on purpose shows at once in the row and the detail pane, and then
    // Stop is disabled and Start enabled.
    void stopOnPurposeShowsAtOnceAndActionsFollow()
    {
        DemoSource demo = demoSource(m_clock, {24, 2, 5});
        SourceStatus status;
        status.credentialsAvailable = true;
        status.credentialSource = QStringLiteral("azure cli");
        demo.source->setStatus(status);
        qint64 running = 0;
        for (const core::VmRecord &vm : demo.store->vms()) {
            if (running == 0 && vm.powerState == core::PowerState::Running && vm.autoRestart
                && !demo.store->activeJob(vm.id))
                running = vm.id;
        }
        QVERIFY(running != 0);
        MemorySecretStore secrets;
        MainWindow window(*demo.source, m_clock, secrets);
        window.setConfirmer([](const QString &) { return true; });
        window.show();
        selectVm(window, running);
        QCOMPARE(window.fleetView()->selectedVmIds(), QList<qint64> {running});
        const auto enabled = [&window](const char *name) {
            return window.action(QLatin1StringView(name))->isEnabled();
        };
        QVERIFY(enabled("actionStopOnPurpose"));
        QVERIFY(enabled("actionPause"));
        QVERIFY(!enabled("actionStart"));
        QVERIFY(!enabled("actionResume"));
        QVERIFY(!enabled("actionCancel"));
        QVERIFY(!enabled("actionForceRestart"));
        QVERIFY2(window.action(QStringLiteral("actionStart"))
                     ->toolTip()
                     .contains(QLatin1StringView("auto-restart is on")),
                 qPrintable(window.action(QStringLiteral("actionStart"))->toolTip()));
        QVERIFY(window.fleetView()->table()->actions().contains(
            window.action(QStringLiteral("actionStart"))));
        QCOMPARE(statusText(window, running), QStringLiteral("Running"));

        window.action(QStringLiteral("actionStopOnPurpose"))->trigger();
        QCOMPARE(demo.ops->calls.size(), 1);
        // No wait for the model's coalescing timer: the row and the pane show it now.
        QVERIFY2(
            statusText(window, running).startsWith(QLatin1StringView("Stopped on purpose by gui:")),
            qPrintable(statusText(window, running)));
        const QString facts =
            window.detailPane()->findChild<QLabel *>(QStringLiteral("facts"))->text();
        QVERIFY2(facts.contains(QLatin1StringView("Stopped on purpose by gui:"))
                     && !facts.contains(QLatin1StringView("auto-restart: on")),
                 qPrintable(facts));
        QVERIFY(!enabled("actionStopOnPurpose"));
        QVERIFY(enabled("actionStart"));
        QVERIFY(!enabled("actionForceRestart")); // Start undoes a stop on purpose

        // A change the engine announces (not this window's action) updates them as well.
        demo.store->setDesiredState(running, core::DesiredState::Running);
        demo.source->notifyVmChanged(running);
        window.fleetModel()->flushPendingChanges();
        QVERIFY(enabled("actionStopOnPurpose"));
        QVERIFY(!enabled("actionStart"));
    }

    // The demo's status bar at the default window size: every note is shown whole or
    // shortened with its text in the tooltip, none is cut off at the window's edge.
    void statusBarFitsAtDefaultSize()
    {
        DemoSource demo = demoSource(m_clock, {8, 1, 5});
        SourceStatus status;
        status.credentialsAvailable = true;
        status.credentialSource = QStringLiteral("environment");
        status.principal = QStringLiteral("client 00000000-0000-0000-0000-00000000c11e in tenant "
                                          "00000000-0000-4000-8000-0000000051a1");
        status.tokenExpiresAt = m_clock.nowUtc().addSecs(3540);
        status.armBudgetHeadroom = 248;
        status.listenerAddress = QStringLiteral("127.0.0.1:8443");
        demo.source->setStatus(status);
        MemorySecretStore secrets;
        MainWindow window(*demo.source, m_clock, secrets);
        window.addStatusNote(QStringLiteral("Demo: simulated Azure"),
                             QStringLiteral("Simulated Azure: demo fleet from spotkeeper-sim"));
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        int needed = 0;
        QLabel *credential = nullptr;
        for (QLabel *label : window.statusBar()->findChildren<QLabel *>()) {
            if (!label->isVisible() || label->text().isEmpty())
                continue;
            needed += label->sizeHint().width() + 6; // QStatusBar's spacing between items
            if (label->text().startsWith(QLatin1StringView("Azure:")))
                credential = label;
        }
        QVERIFY2(
            needed <= window.statusBar()->width(),
            qPrintable(QStringLiteral("%1 > %2").arg(needed).arg(window.statusBar()->width())));
        QVERIFY(credential);
        QVERIFY2(credential->toolTip().contains(status.principal),
                 qPrintable(credential->toolTip()));
    }

    void populatedFleetAndForceRestart()
    {
        DemoSource demo = demoSource(m_clock, {24, 2, 5});
        core::Store *store = demo.store.get();
        test::RecordingOperations &ops = *demo.ops;
        LocalFleetSource &source = *demo.source;
        SourceStatus status;
        status.credentialsAvailable = true;
        status.credentialSource = QStringLiteral("azure cli");
        status.listenerAddress = QStringLiteral("127.0.0.1:8443");
        source.setStatus(status);
        MemorySecretStore secrets;
        MainWindow window(source, m_clock, secrets);
        QStringList asked;
        window.setConfirmer([&asked](const QString &text) {
            asked.append(text);
            return true;
        });
        window.show();
        QVERIFY(!window.isShowingFirstRun());
        QCOMPARE(window.fleetModel()->rowCount(), 24);

        QAction *restart = window.action(QStringLiteral("actionForceRestart"));
        QTableView *table = window.fleetView()->table();
        QVERIFY(restart && restart->isEnabled()); // the worst VM is preselected
        table->clearSelection();
        QVERIFY(!restart->isEnabled()); // nothing selected: disabled, with the reason
        QVERIFY(restart->toolTip().contains(QLatin1StringView("Select")));
        QVERIFY(!restart->shortcut().isEmpty());
        table->selectionModel()->select(
            QItemSelection(table->model()->index(0, 0), table->model()->index(2, 0)),
            QItemSelectionModel::Select | QItemSelectionModel::Rows);
        table->selectionModel()->setCurrentIndex(table->model()->index(0, 0),
                                                 QItemSelectionModel::NoUpdate);
        QVERIFY(restart->isEnabled());
        QVERIFY(window.detailPane()->vmId() != 0);
        restart->trigger();
        QCOMPARE(asked.size(), 1);
        QVERIFY(asked.constFirst().contains(QLatin1StringView("3 VMs")));
        QCOMPARE(ops.calls.size(), 3);
        QCOMPARE(store->audit({}, {}, 100).size(), 3);

        // Ctrl+F focuses the filter; typing filters the table.
        window.action(QStringLiteral("actionFind"))->trigger();
        window.fleetView()->proxy()->setFilterText(QStringLiteral("render"));
        QCOMPARE(table->model()->rowCount(), 6);
        // Every action has a shortcut.
        const QList<QAction *> actions = window.findChildren<QAction *>();
        for (QAction *a : actions) {
            if (a->objectName().startsWith(QLatin1StringView("action")))
                QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->objectName()));
        }
        window.close();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
