// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/fleettypes.h"
#include "fleet/secretstore.h"
#include "models/fleetactions.h"
#include "ui/dashboardsettings.h"
#include "ui/exportjob.h"

#include <QMainWindow>

#include <functional>
#include <utility>

class QAction;
class QLabel;
class QListView;
class QProgressDialog;
class QStackedWidget;
class QSystemTrayIcon;
class QTabWidget;

namespace spotkeeper::gui {

class AuditModel;
class ChartsPanel;
class CostPanel;
class CostReports;
class DetailPane;
class FleetCharts;
class FleetSource;
class FleetTableModel;
class FleetView;
class NotificationCenter;
class RetryPanel;
using core::SecretStore;
class SettingsDialog;
class SummaryStrip;
class TimeRangePicker;
struct Notification;

// The dashboard window. It only reads a FleetSource (the local engine or a remote
// spotkeeperd) and acts through FleetActions; it owns the models and the widgets.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(FleetSource &source, const base::Clock &clock, SecretStore &secrets,
               QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    FleetTableModel *fleetModel() const { return m_fleet; }
    FleetView *fleetView() const { return m_fleetView; }
    DetailPane *detailPane() const { return m_detail; }
    NotificationCenter *notifications() const { return m_notifications; }
    QAction *action(const QString &objectName) const; // e.g. "actionForceRestart"
    bool isShowingFirstRun() const;
    // Confirmation hook (tests answer it without a modal dialog).
    void setConfirmer(std::function<bool(const QString &text)> confirmer);
    // Export hooks for tests: the file name instead of the save dialog, and a function the
    // export's worker thread runs before it starts (e.g. to hold it until Cancel is pressed).
    void setExportPathChooser(std::function<QString(const QString &suggestedName)> chooser);
    void setExportWorkerStartHook(std::function<void()> hook);
    bool isExporting() const { return m_exportJob != nullptr; }
    void raiseWindow();
    // One more note at the end of the status bar (e.g. that the fleet is the simulated demo);
    // a long text is shortened, toolTip (or the whole text) says more.
    void addStatusNote(const QString &text, const QString &toolTip = {});

Q_SIGNALS:
    // Settings now say to attach to a remote spotkeeperd (URL, CA, token in the SecretStore):
    // main.cpp replaces this window with one over a RemoteFleetSource.
    void attachRequested();
    // Settings -> Notifications changed a channel or a secret (saved in DashboardSettings and
    // the SecretStore): main.cpp rebuilds the local engine's notifier from them.
    void notifyChannelsChanged();
    // An export of events or of the audit log ended (ok, failed or cancelled).
    void storeExportFinished(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    QWidget *buildFirstRunPage();
    void updateActions();
    void updateStatusBar();
    void updateFirstRun();
    void setRange(const QDateTime &from, const QDateTime &to);
    void runAction(FleetActions::Kind kind);
    void addVm();
    void discoverVms();
    void addDiscoveredVms(const QList<core::VmRecord> &vms);
    void enrollAgent();
    void openAgentKeys();
    void exportCurrentView();
    void exportCostReport();
    void exportEvents();
    void exportAudit();
    void startStoreExport(ExportJob::Request request, const QString &label);
    void finishStoreExport(const ExportJob::Result &result, const QString &path);
    void openSettings();
    void attachToServer();
    bool runSettings(SettingsDialog &dialog);
    void snooze(bool wholeGroup);
    void showNotification(const Notification &notification);
    QString askExportPath(const QString &suggestedName);
    QString askStoreExportPath(const QString &suggestedName); // empty: no store export now

    FleetSource &m_source;
    const base::Clock &m_clock;
    SecretStore &m_secrets;
    DashboardSettings m_settings;
    FleetActions m_actions;
    std::function<bool(const QString &)> m_confirmer;
    std::function<QString(const QString &)> m_exportPathChooser;
    std::function<void()> m_exportStartHook;
    ExportJob *m_exportJob = nullptr; // the running export of events or audit, if any
    QProgressDialog *m_exportProgress = nullptr;

    FleetTableModel *m_fleet = nullptr;
    FleetCharts *m_charts = nullptr;
    AuditModel *m_audit = nullptr;
    NotificationCenter *m_notifications = nullptr;

    QStackedWidget *m_pages = nullptr;
    QTabWidget *m_tabs = nullptr;
    FleetView *m_fleetView = nullptr;
    DetailPane *m_detail = nullptr;
    RetryPanel *m_retries = nullptr;
    ChartsPanel *m_chartsPanel = nullptr;
    CostReports *m_costReports = nullptr;
    CostPanel *m_costPanel = nullptr;
    SummaryStrip *m_summary = nullptr;
    TimeRangePicker *m_range = nullptr;
    QListView *m_notificationList = nullptr;
    QSystemTrayIcon *m_tray = nullptr;

    QLabel *m_listenerLabel = nullptr;
    QLabel *m_noticeLabel = nullptr;
    QLabel *m_credentialLabel = nullptr;
    QLabel *m_tokenLabel = nullptr;
    QLabel *m_budgetLabel = nullptr;

    QList<QAction *> m_selectionActions; // need a selection and credentials
    // The engine actions among them, each enabled only when it does something for one of
    // the selected VMs (FleetActions::inapplicableReason).
    QList<std::pair<QAction *, FleetActions::Kind>> m_vmActions;
    QList<QAction *> m_fleetActions; // need credentials only
    QList<QAction *> m_storeActions; // need the local store (exports of events and audit)
};

} // namespace spotkeeper::gui
