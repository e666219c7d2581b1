// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: menus, shortcuts and the operator actions behind them.
#include "base/clock.h"
#include "models/auditmodel.h"
#include "models/fleetfilterproxy.h"
#include "models/fleetsource.h"
#include "models/fleettablemodel.h"
#include "models/notificationcenter.h"
#include "ui/agentkeysdialog.h"
#include "ui/detailpane.h"
#include "ui/enrolldialog.h"
#include "ui/fleetview.h"
#include "ui/mainwindow.h"
#include "ui/secretstores.h"
#include "ui/settingsdialog.h"
#include "ui/theme.h"

#include <QAction>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QStatusBar>
#include <QTableView>
#include <QTabWidget>
#include <QToolBar>

#include <array>
#include <memory>
#include <utility>

namespace spotkeeper::gui {

namespace {
QAction *makeAction(QObject *parent, const QString &name, const QString &text,
                    const QKeySequence &shortcut, const QString &icon = {})
{
    auto *a = new QAction(text, parent);
    a->setObjectName(name);
    a->setShortcut(shortcut);
    if (!icon.isEmpty())
        a->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    return a;
}
} // namespace

void MainWindow::buildMenus()
{
    using K = FleetActions::Kind;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *exportView =
        makeAction(this, QStringLiteral("actionExportView"), tr("&Export current view…"),
                   QKeySequence(QStringLiteral("Ctrl+E")), QStringLiteral("export"));
    QAction *exportEventsAction = makeAction(this, QStringLiteral("actionExportEvents"),
                                             tr("Export &events for the time range…"),
                                             QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    QAction *exportAuditAction =
        makeAction(this, QStringLiteral("actionExportAudit"), tr("Export the &audit log…"),
                   QKeySequence(QStringLiteral("Ctrl+Shift+L")));
    QAction *settings = makeAction(this, QStringLiteral("actionSettings"), tr("&Settings…"),
                                   QKeySequence::Preferences, QStringLiteral("settings"));
    if (settings->shortcut().isEmpty())
        settings->setShortcut(QKeySequence(QStringLiteral("Ctrl+,")));
    QAction *quit = makeAction(this, QStringLiteral("actionQuit"), tr("&Quit"),
                               QKeySequence(QStringLiteral("Ctrl+Q")));
    QAction *attach =
        makeAction(this, QStringLiteral("actionAttach"), tr("A&ttach to spotkeeperd…"),
                   QKeySequence(QStringLiteral("Ctrl+Shift+T")));
    file->addActions({exportView, exportEventsAction, exportAuditAction});
    m_storeActions = {exportEventsAction, exportAuditAction};
    file->addSeparator();
    file->addActions({settings, attach});
    connect(attach, &QAction::triggered, this, &MainWindow::attachToServer);
    file->addSeparator();
    file->addAction(quit);
    connect(exportView, &QAction::triggered, this, &MainWindow::exportCurrentView);
    connect(exportEventsAction, &QAction::triggered, this, &MainWindow::exportEvents);
    connect(exportAuditAction, &QAction::triggered, this, &MainWindow::exportAudit);
    connect(settings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *find = makeAction(this, QStringLiteral("actionFind"), tr("&Find…"), QKeySequence::Find,
                               QStringLiteral("find"));
    QAction *problems = makeAction(this, QStringLiteral("actionOnlyProblems"), tr("Only &problems"),
                                   QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    problems->setCheckable(true);
    QAction *clearFilters =
        makeAction(this, QStringLiteral("actionClearFilters"), tr("&Clear state filter"),
                   QKeySequence(QStringLiteral("Ctrl+Shift+A")));
    view->addActions({find, problems, clearFilters});
    view->addSeparator();
    connect(find, &QAction::triggered, this, [this] {
        m_tabs->setCurrentIndex(0);
        m_fleetView->focusFilter();
    });
    connect(problems, &QAction::toggled, m_fleetView, &FleetView::setOnlyProblems);
    connect(clearFilters, &QAction::triggered, this,
            [this] { m_fleetView->proxy()->setHealthFacet({}); });
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *tab =
            makeAction(this, QStringLiteral("actionTab%1").arg(i + 1), m_tabs->tabText(i),
                       QKeySequence(QStringLiteral("Alt+%1").arg(i + 1)));
        connect(tab, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        view->addAction(tab);
    }

    QMenu *actions = menuBar()->addMenu(tr("&Actions"));
    struct VmActionDef
    {
        const char *name;
        QString text;
        const char *keys;
        const char *icon;
        K kind;
    };
    const auto vmActions = std::to_array<VmActionDef>({
        {"actionForceRestart", tr("Force &restart"), "Ctrl+R", "restart", K::ForceRestart},
        {"actionPause", tr("&Pause auto-restart"), "Ctrl+Shift+P", "pause", K::Pause},
        {"actionResume", tr("Res&ume auto-restart"), "Ctrl+Shift+U", "resume", K::Resume},
        {"actionCancel", tr("&Cancel job"), "Ctrl+Shift+X", "cancel", K::Cancel},
        {"actionStopOnPurpose", tr("S&top on purpose"), "Ctrl+Alt+T", "status-stopped",
         K::StopOnPurpose},
        {"actionStart", tr("&Start"), "Ctrl+Alt+S", "status-healthy", K::Start},
    });
    for (const auto &def : vmActions) {
        QAction *a =
            makeAction(this, QLatin1StringView(def.name), def.text,
                       QKeySequence(QLatin1StringView(def.keys)), QLatin1StringView(def.icon));
        const K kind = def.kind;
        connect(a, &QAction::triggered, this, [this, kind] { runAction(kind); });
        actions->addAction(a);
        m_selectionActions.append(a);
        m_vmActions.append({a, kind});
    }
    // The same actions on the fleet table's rows (right click).
    m_fleetView->table()->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_fleetView->table()->addActions(m_selectionActions);
    QAction *enroll =
        makeAction(this, QStringLiteral("actionEnroll"), tr("&Enroll agent…"),
                   QKeySequence(QStringLiteral("Ctrl+Shift+K")), QStringLiteral("key"));
    connect(enroll, &QAction::triggered, this, &MainWindow::enrollAgent);
    actions->addAction(enroll);
    m_selectionActions.append(enroll);
    QAction *keys = makeAction(this, QStringLiteral("actionAgentKeys"), tr("Agent &keys…"),
                               QKeySequence(QStringLiteral("Ctrl+Alt+K")));
    connect(keys, &QAction::triggered, this, &MainWindow::openAgentKeys);
    actions->addAction(keys);
    const auto updateKeys = [this, keys] {
        const QString reason = m_source.keyManagementUnavailableReason();
        keys->setEnabled(reason.isEmpty());
        keys->setToolTip(reason.isEmpty() ? tr("List, rotate and revoke agent keys") : reason);
    };
    connect(&m_source, &FleetSource::statusChanged, keys, updateKeys);
    updateKeys();
    actions->addSeparator();
    QAction *add = makeAction(this, QStringLiteral("actionAddVm"), tr("&Add VM…"),
                              QKeySequence(QStringLiteral("Ctrl+N")), QStringLiteral("add"));
    QAction *discover =
        makeAction(this, QStringLiteral("actionDiscover"), tr("&Discover Spot VMs…"),
                   QKeySequence(QStringLiteral("Ctrl+Shift+D")), QStringLiteral("discover"));
    connect(add, &QAction::triggered, this, &MainWindow::addVm);
    connect(discover, &QAction::triggered, this, &MainWindow::discoverVms);
    actions->addActions({add, discover});
    m_fleetActions = {add, discover};
    actions->addSeparator();
    QAction *snoozeVm = makeAction(this, QStringLiteral("actionSnoozeVm"),
                                   tr("Snooze notifications for this &VM (1 h)"),
                                   QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    QAction *snoozeGroup = makeAction(this, QStringLiteral("actionSnoozeGroup"),
                                      tr("Snooze notifications for its resource &group (1 h)"),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+G")));
    connect(snoozeVm, &QAction::triggered, this, [this] { snooze(false); });
    connect(snoozeGroup, &QAction::triggered, this, [this] { snooze(true); });
    actions->addActions({snoozeVm, snoozeGroup});

    QToolBar *bar = addToolBar(tr("Main toolbar"));
    bar->setObjectName(QStringLiteral("mainToolbar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addActions({m_selectionActions.at(0), m_selectionActions.at(1), m_selectionActions.at(2),
                     m_selectionActions.at(3), m_selectionActions.at(4), m_selectionActions.at(5)});
    bar->addSeparator();
    bar->addActions({add, discover, enroll});
    bar->addSeparator();
    bar->addActions({exportView, settings});

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = makeAction(this, QStringLiteral("actionAbout"), tr("&About SpotKeeper"),
                                QKeySequence::HelpContents);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About SpotKeeper"),
                           tr("SpotKeeper %1 keeps Azure Spot VMs running.")
                               .arg(QStringLiteral(SPOTKEEPER_VERSION)));
    });
    help->addAction(about);
}

void MainWindow::runAction(FleetActions::Kind kind)
{
    // Only the VMs the action does something for (a shortcut may fire on any selection).
    const QList<qint64> ids =
        FleetActions::applicableVms(kind, *m_fleet, m_fleetView->selectedVmIds());
    if (ids.isEmpty())
        return;
    const QString question = FleetActions::confirmationText(kind, int(ids.size()));
    const bool confirmed = m_confirmer
        ? m_confirmer(question)
        : QMessageBox::question(this, FleetActions::kindName(kind), question) == QMessageBox::Yes;
    if (!confirmed)
        return;
    m_actions.run(kind, ids, [window = QPointer<MainWindow>(this), kind](const auto &outcome) {
        if (!window)
            return; // the window closed before the answer came
        window->statusBar()->showMessage(FleetActions::summaryText(kind, outcome), 15000);
        // The source announced the changed VMs; show them now rather than at the next tick.
        window->m_fleet->flushPendingChanges();
        window->m_detail->refresh();
        window->updateActions();
    });
}

void MainWindow::addVm()
{
    bool ok = false;
    const QString id = QInputDialog::getText(
        this, tr("Add VM"),
        tr("ARM resource ID of the VM "
           "(/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…):"),
        QLineEdit::Normal, QString(), &ok);
    if (!ok || id.trimmed().isEmpty())
        return;
    m_actions.addVm(id, [window = QPointer<MainWindow>(this), id](const auto &result) {
        if (!window)
            return;
        if (!result.ok())
            QMessageBox::warning(window, tr("Add VM"), result.message);
        else
            window->statusBar()->showMessage(tr("VM added: %1").arg(id.trimmed()), 10000);
    });
}

void MainWindow::discoverVms()
{
    if (!m_source.canDiscover()) {
        QMessageBox::information(this, tr("Discover Spot VMs"),
                                 tr("Discovery needs Azure credentials: configure them in "
                                    "Settings → Azure."));
        return;
    }
    bool ok = false;
    const QString sub = QInputDialog::getItem(this, tr("Discover Spot VMs"), tr("Subscription ID:"),
                                              m_settings.subscriptions, 0, true, &ok);
    if (!ok || sub.trimmed().isEmpty())
        return;
    statusBar()->showMessage(tr("Listing the VMs of %1…").arg(sub));
    m_source.discoverVms(sub.trimmed(), [this](const core::ListResult &result) {
        if (!result.call.ok()) {
            QMessageBox::warning(this, tr("Discover Spot VMs"), result.call.errorMessage);
            return;
        }
        addDiscoveredVms(result.vms);
    });
}

void MainWindow::addDiscoveredVms(const QList<core::VmRecord> &vms)
{
    QStringList spot;
    for (const core::VmRecord &vm : vms) {
        if (vm.priority.compare(QLatin1StringView("Spot"), Qt::CaseInsensitive) == 0)
            spot.append(vm.resourceId);
    }
    const QString question =
        tr("Found %n Spot VM(s). Add them all to the fleet?", nullptr, int(spot.size()));
    const bool confirmed = !spot.isEmpty()
        && (m_confirmer ? m_confirmer(question)
                        : QMessageBox::question(this, tr("Discover Spot VMs"), question)
                    == QMessageBox::Yes);
    if (!confirmed) {
        statusBar()->showMessage(tr("Found %n Spot VM(s).", nullptr, int(spot.size())), 10000);
        return;
    }
    // Counted as the answers come in; the message says the total once all are in.
    auto added = std::make_shared<std::pair<int, qsizetype>>(0, spot.size());
    for (const QString &id : std::as_const(spot)) {
        m_actions.addVm(id, [window = QPointer<MainWindow>(this), added](const auto &answer) {
            added->first += answer.ok() ? 1 : 0;
            if (--added->second == 0 && window)
                window->statusBar()->showMessage(tr("%n VM(s) added.", nullptr, added->first),
                                                 10000);
        });
    }
}

void MainWindow::enrollAgent()
{
    const qint64 vmId = m_fleetView->currentVmId();
    const auto vm = vmId != 0 ? m_source.vm(vmId) : std::nullopt;
    if (!vm)
        return;
    m_source.enrollAgent(*vm, FleetActions::actorForCurrentUser(),
                         [window = QPointer<MainWindow>(this), vm = *vm](const EnrollResult &key) {
                             if (!window)
                                 return; // the secret dies with this answer, never shown
                             if (!key.ok) {
                                 QMessageBox::warning(window, tr("Enroll agent"), key.error);
                                 return;
                             }
                             // Window-modal without a nested exec(): the answer may arrive from the
                             // network.
                             auto *dialog = new EnrollDialog(vm, key, window);
                             dialog->setAttribute(Qt::WA_DeleteOnClose);
                             dialog->open();
                         });
}

void MainWindow::openAgentKeys()
{
    AgentKeysDialog dialog(m_source, FleetActions::actorForCurrentUser(), this);
    dialog.exec();
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_settings, m_secrets, this, &m_source);
    const bool attachedBefore = m_settings.attachAtStart;
    if (runSettings(dialog) && !attachedBefore && m_settings.attachAtStart
        && !m_source.storePath().isEmpty())
        Q_EMIT attachRequested();
}

void MainWindow::attachToServer()
{
    SettingsDialog dialog(m_settings, m_secrets, this, &m_source);
    dialog.showRemoteTab();
    if (runSettings(dialog) && m_settings.attachAtStart)
        Q_EMIT attachRequested();
}

bool MainWindow::runSettings(SettingsDialog &dialog)
{
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const DashboardSettings before = m_settings;
    m_settings = dialog.settings();
    if (dialog.notifyChanged())
        Q_EMIT notifyChannelsChanged();
    if (before.theme != m_settings.theme)
        applyTheme(themeFromString(m_settings.theme));
    if (before.language != m_settings.language)
        statusBar()->showMessage(tr("The new language applies from the next start."), 10000);
    if (before.listenAddress != m_settings.listenAddress
        || before.listenPort != m_settings.listenPort || before.tls != m_settings.tls
        || before.credentialSource != m_settings.credentialSource
        || before.budgets() != m_settings.budgets()
        || before.evidenceWaitSeconds != m_settings.evidenceWaitSeconds
        || before.restartUnprovenDeallocation != m_settings.restartUnprovenDeallocation)
        statusBar()->showMessage(
            tr("Listener, credential and budget changes apply from the next start."), 10000);
    return true;
}

void MainWindow::snooze(bool wholeGroup)
{
    const qint64 vmId = m_fleetView->currentVmId();
    const auto vm = vmId != 0 ? m_source.vm(vmId) : std::nullopt;
    if (!vm)
        return;
    const QDateTime until = m_clock.nowUtc().addSecs(3600);
    if (wholeGroup)
        m_notifications->snoozeResourceGroup(vm->resourceGroup, until);
    else
        m_notifications->snoozeVm(vm->id, until);
    statusBar()->showMessage(
        wholeGroup ? tr("Notifications for %1 snoozed for 1 hour").arg(vm->resourceGroup)
                   : tr("Notifications for %1 snoozed for 1 hour").arg(vm->name),
        10000);
}

} // namespace spotkeeper::gui
