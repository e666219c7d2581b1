// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "apptranslations.h"
#include "chartmodel.h"
#include "chartwidget.h"
#include "clock.h"
#include "detailpane.h"
#include "fleetfilterproxy.h"
#include "fleettablemodel.h"
#include "fleetview.h"
#include "guitestsupport.h"
#include "localfleetsource.h"
#include "mainwindow.h"
#include "remotefleetsource.h"
#include "secretstore.h"
#include "singleinstance.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    core::ManualClock m_clock;

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
        ChartWidget chart(QStringLiteral("Evictions"), model, true);
        QCOMPARE(chart.seriesCount(), 2);
        QVERIFY(!chart.showsTable());
        chart.setShowAsTable(true);
        QVERIFY(chart.showsTable());
        QTableView *table = chart.findChild<QTableView *>();
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 2);
        QCOMPARE(table->model()->index(1, 2).data().toInt(), 5);
        QCOMPARE(table->model()->headerData(2, Qt::Horizontal).toString(),
                 QStringLiteral("westus2"));
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
                || label->text().contains(
                    QStringLiteral("spotkeeperd at https://spotkeeperd.example.invalid:8443"));
        QVERIFY(described);
        QAction *restart = window.action(QStringLiteral("actionForceRestart"));
        QVERIFY(!restart->isEnabled()); // not connected yet
    }

    void populatedFleetAndForceRestart()
    {
        auto store = test::openStore(QStringLiteral(":memory:"), &m_clock);
        test::seedDemoFleet(*store, m_clock.nowUtc(), {24, 2, 5});
        test::RecordingOperations ops(*store, m_clock.nowUtc());
        LocalFleetSource source(*store, &ops, m_clock);
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
