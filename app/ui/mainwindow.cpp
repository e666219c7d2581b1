// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "base/clock.h"
#include "models/auditmodel.h"
#include "models/chartmodel.h"
#include "models/costmodel.h"
#include "models/fleetfilterproxy.h"
#include "models/fleetsource.h"
#include "models/fleetstatus.h"
#include "models/fleettablemodel.h"
#include "models/notificationcenter.h"
#include "ui/chartspanel.h"
#include "ui/costpanel.h"
#include "ui/detailpane.h"
#include "ui/fleetview.h"
#include "ui/panellayout.h"
#include "ui/retrypanel.h"
#include "ui/timerangepicker.h"

#include <QAction>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace spotkeeper::gui {

MainWindow::MainWindow(FleetSource &source, const base::Clock &clock, SecretStore &secrets,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_source(source)
    , m_clock(clock)
    , m_secrets(secrets)
    , m_settings(DashboardSettings::load())
    , m_actions(source, FleetActions::actorForCurrentUser())
    , m_fleet(new FleetTableModel(source, clock, this))
    , m_charts(new FleetCharts(source, clock, this))
    , m_audit(new AuditModel(source, this))
    , m_notifications(new NotificationCenter(source, clock, this))
    , m_pages(new QStackedWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_fleetView(new FleetView(*m_fleet, this))
    , m_detail(new DetailPane(source, this))
    , m_retries(new RetryPanel(*m_fleet, clock, this))
    , m_chartsPanel(new ChartsPanel(*m_charts, this))
    , m_costReports(new CostReports(source, clock, this))
    , m_costPanel(new CostPanel(*m_costReports, this))
    , m_summary(new SummaryStrip(*m_fleet, this))
    , m_range(new TimeRangePicker(clock, this))
    , m_notificationList(new QListView(this))
{
    setWindowTitle(tr("SpotKeeper"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/spotkeeper.svg")));

    auto *fleetSplit = new QSplitter(Qt::Horizontal, this);
    fleetSplit->setObjectName(QStringLiteral("fleetSplitter"));
    fleetSplit->addWidget(m_fleetView);
    fleetSplit->addWidget(m_detail);
    fleetSplit->setStretchFactor(0, 3);
    fleetSplit->setStretchFactor(1, 2);

    auto *auditTable = new QTableView(this);
    auditTable->setModel(m_audit);
    auditTable->verticalHeader()->setVisible(false);
    auditTable->horizontalHeader()->setStretchLastSection(true);
    auditTable->setAccessibleName(tr("Audit log"));
    m_notificationList->setModel(m_notifications);
    m_notificationList->setAccessibleName(tr("Notifications"));

    m_tabs->addTab(fleetSplit, tr("&Fleet"));
    m_tabs->addTab(m_retries, tr("&Retries"));
    m_tabs->addTab(m_chartsPanel, tr("C&harts"));
    m_tabs->addTab(m_costPanel, tr("C&ost"));
    m_tabs->addTab(auditTable, tr("A&udit"));
    m_tabs->addTab(m_notificationList, tr("&Notifications"));

    auto *dashboard = new QWidget(this);
    layOutPanel(dashboard, m_summary, m_range, m_tabs, QMargins(6, 6, 6, 0));

    m_pages->addWidget(buildFirstRunPage());
    m_pages->addWidget(dashboard);
    setCentralWidget(m_pages);

    buildMenus();
    buildStatusBar();

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("SpotKeeper"));
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::activated, this, &MainWindow::raiseWindow);
    }
    connect(m_notifications, &NotificationCenter::notify, this, &MainWindow::showNotification);
    connect(m_summary, &SummaryStrip::healthClicked, this, [this](Health h) {
        m_tabs->setCurrentIndex(0);
        m_fleetView->proxy()->setHealthFacet({h});
    });
    connect(m_fleetView, &FleetView::currentVmChanged, m_detail, &DetailPane::showVm);
    connect(m_fleetView, &FleetView::selectionChanged, this, &MainWindow::updateActions);
    connect(m_retries, &RetryPanel::vmActivated, this, [this](qint64 vmId) {
        m_tabs->setCurrentIndex(0);
        m_detail->showVm(vmId);
    });
    connect(m_range, &TimeRangePicker::rangeChanged, this, &MainWindow::setRange);
    // The cost report is computed when the Cost tab is shown (and again each time), never
    // for a window that does not look at it.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_costPanel)
            m_costReports->reload();
    });
    connect(m_costPanel, &CostPanel::exportRequested, this, &MainWindow::exportCostReport);
    connect(&source, &FleetSource::statusChanged, this, [this] {
        updateStatusBar();
        updateActions();
        updateFirstRun();
    });
    // The actions follow the selected VMs' state (a stop on purpose disables Stop, enables
    // Start) as the model applies the source's changes.
    connect(m_fleet, &FleetTableModel::flushed, this, &MainWindow::updateActions);
    connect(m_fleet, &QAbstractItemModel::modelReset, this, &MainWindow::updateActions);
    connect(m_fleet, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateFirstRun);
    connect(m_fleet, &QAbstractItemModel::modelReset, this, &MainWindow::updateFirstRun);

    // "Last notice 3 minutes ago" and the token countdown age even when nothing changes.
    auto *statusTicker = new QTimer(this);
    statusTicker->setInterval(30'000);
    connect(statusTicker, &QTimer::timeout, this, &MainWindow::updateStatusBar);
    statusTicker->start();

    setRange(m_range->from(), m_range->to());
    if (m_fleet->rowCount() > 0) // the worst VM first (sorted by status), its detail shown
        m_fleetView->table()->selectRow(0);
    updateStatusBar();
    updateActions();
    updateFirstRun();

    const QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    fleetSplit->restoreState(settings.value(QStringLiteral("window/fleetSplitter")).toByteArray());
}

MainWindow::~MainWindow() = default;

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

bool MainWindow::isShowingFirstRun() const
{
    return m_pages->currentIndex() == 0;
}

void MainWindow::setConfirmer(std::function<bool(const QString &)> confirmer)
{
    m_confirmer = std::move(confirmer);
}

void MainWindow::raiseWindow()
{
    show();
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    raise();
    activateWindow();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (auto *split = findChild<QSplitter *>(QStringLiteral("fleetSplitter")))
        settings.setValue(QStringLiteral("window/fleetSplitter"), split->saveState());
    m_fleetView->saveState();
    event->accept();
}

QWidget *MainWindow::buildFirstRunPage()
{
    auto *page = new QWidget(this);
    auto *text = new QLabel(page);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setText(
        tr("<h2>Welcome to SpotKeeper</h2>"
           "<p>SpotKeeper watches your Azure Spot VMs and restarts them after an eviction. "
           "There are no VMs in the fleet yet and no Azure credentials, so there is nothing "
           "to show. Choose one way to start:</p>"
           "<ol>"
           "<li><b>Azure CLI:</b> run <code>az login</code> in a terminal, then restart "
           "SpotKeeper; it picks up the CLI's sign-in.</li>"
           "<li><b>Service principal:</b> open <i>Settings → Azure</i> and enter the tenant "
           "ID, client ID and client secret (kept in the system keychain).</li>"
           "<li><b>Attach to a spotkeeperd server</b> that already watches the fleet, through "
           "its operator API.</li>"
           "</ol>"
           "<p>Then add VMs one by one, discover the Spot VMs of a subscription, or enroll an "
           "agent on a VM: it reports evictions the moment Azure announces them.</p>"));
    auto *settings = new QPushButton(tr("Open &settings"), page);
    auto *addVmButton = new QPushButton(tr("&Add a VM…"), page);
    auto *attach = new QPushButton(tr("A&ttach to spotkeeperd…"), page);
    attach->setObjectName(QStringLiteral("attachButton"));
    attach->setToolTip(tr("Show a remote spotkeeperd's fleet through its operator API."));
    connect(attach, &QPushButton::clicked, this, &MainWindow::attachToServer);
    connect(settings, &QPushButton::clicked, this, &MainWindow::openSettings);
    connect(addVmButton, &QPushButton::clicked, this, &MainWindow::addVm);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(settings);
    buttons->addWidget(addVmButton);
    buttons->addWidget(attach);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(48, 32, 48, 32);
    layout->addWidget(text);
    layout->addLayout(buttons);
    layout->addStretch(1);
    return page;
}

void MainWindow::updateFirstRun()
{
    // A remote source shows its (possibly empty) fleet and says in the status bar whether
    // the server answers; the welcome page is for a local dashboard with nothing to show.
    const bool empty = m_fleet->rowCount() == 0 && !m_source.status().credentialsAvailable
        && !m_source.storePath().isEmpty();
    m_pages->setCurrentIndex(empty ? 0 : 1);
}

void MainWindow::buildStatusBar()
{
    m_listenerLabel = new QLabel(this);
    m_noticeLabel = new QLabel(this);
    m_credentialLabel = new QLabel(this);
    m_tokenLabel = new QLabel(this);
    m_budgetLabel = new QLabel(this);
    for (QLabel *label :
         {m_listenerLabel, m_noticeLabel, m_credentialLabel, m_tokenLabel, m_budgetLabel})
        statusBar()->addPermanentWidget(label);
}

namespace {
// The status bar holds six notes side by side: a long one (a principal, a remote URL) is
// shortened in the middle to maxWidth pixels, the whole text in its tooltip.
void setElidedText(QLabel *label, const QString &text, const QString &toolTip, int maxWidth)
{
    const QString shown = label->fontMetrics().elidedText(text, Qt::ElideMiddle, maxWidth);
    label->setText(shown);
    label->setToolTip(shown == text           ? toolTip
                          : toolTip.isEmpty() ? text
                                              : text + QLatin1Char('\n') + toolTip);
}
} // namespace

void MainWindow::addStatusNote(const QString &text, const QString &toolTip)
{
    auto *label = new QLabel(this);
    label->setObjectName(QStringLiteral("statusNote"));
    setElidedText(label, text, toolTip, 200);
    label->setAccessibleName(toolTip.isEmpty() ? text : toolTip);
    statusBar()->addPermanentWidget(label);
}

void MainWindow::updateStatusBar()
{
    const SourceStatus s = m_source.status();
    const QString tls = s.listenerTls ? tr("TLS") : tr("no TLS");
    const int longNote = fontMetrics().averageCharWidth() * 42;
    setElidedText(m_listenerLabel,
                  m_source.storePath().isEmpty() ? tr("%1 (%2)").arg(s.description, tls)
                      : s.listenerAddress.isEmpty()
                      ? (s.listenerProblem.isEmpty()
                             ? tr("Listener off")
                             : tr("Listener not running: %1").arg(s.listenerProblem))
                      : tr("Listening on %1 (%2)").arg(s.listenerAddress, tls),
                  {}, longNote);
    m_noticeLabel->setText(
        s.lastNoticeAt.isValid()
            ? tr("Last notice %1").arg(relativeTime(s.lastNoticeAt, m_clock.nowUtc()))
            : tr("No notice yet"));
    m_noticeLabel->setToolTip(s.lastNoticeAt.toUTC().toString(Qt::ISODate));
    setElidedText(
        m_credentialLabel,
        !s.connected        ? tr("Not connected: %1").arg(s.connectionProblem)
            : s.observeOnly ? tr("Azure credentials off: notices are stored, no VM is restarted")
            : s.credentialSource.isEmpty() ? tr("No Azure credentials")
            : s.principal.isEmpty()        ? tr("Azure: %1").arg(s.credentialSource)
                                    : tr("Azure: %1 (%2)").arg(s.credentialSource, s.principal),
        s.actionsDisabledReason.isEmpty() ? s.description : s.actionsDisabledReason, longNote);
    m_tokenLabel->setText(
        s.tokenExpiresAt.isValid()
            ? tr("Token expires %1").arg(countdownText(s.tokenExpiresAt, m_clock.nowUtc()))
            : QString());
    m_budgetLabel->setText(s.armBudgetHeadroom >= 0
                               ? tr("ARM budget: %n call(s) left", nullptr, s.armBudgetHeadroom)
                               : tr("ARM budget: unknown"));
    m_budgetLabel->setToolTip(
        tr("The lowest x-ms-ratelimit-remaining-* counter of the last ARM answer"));
}

void MainWindow::setRange(const QDateTime &from, const QDateTime &to)
{
    // "Last 24 hours" follows the clock: the charts slide, and the audit log's end stays
    // open so actions taken while the window is open appear. A custom range stays fixed.
    const qint64 span = m_range->spanSecs();
    if (span > 0)
        m_charts->setRelativeRange(span);
    else
        m_charts->setRange(from, to);
    m_audit->setRange(from, span > 0 ? QDateTime() : to);
}

void MainWindow::updateActions()
{
    const QString reason = m_actions.disabledReason();
    const int selected = int(m_fleetView->selectedVmIds().size());
    for (QAction *a : std::as_const(m_fleetActions)) {
        a->setEnabled(reason.isEmpty());
        a->setToolTip(reason.isEmpty() ? a->text().remove(QLatin1Char('&')) : reason);
    }
    const bool local = !m_source.storePath().isEmpty();
    for (QAction *a : std::as_const(m_storeActions)) {
        a->setEnabled(local);
        a->setToolTip(local ? a->text().remove(QLatin1Char('&'))
                            : tr("Exports of events and of the audit log run on the server: "
                                 "spotkeeperd export events|audit (the current view can be "
                                 "exported here)."));
    }
    const QList<qint64> ids = m_fleetView->selectedVmIds();
    const QString selectFirst = tr("Select one or more VMs in the fleet table first.");
    for (QAction *a : std::as_const(m_selectionActions)) {
        QString why = !reason.isEmpty() ? reason : selected == 0 ? selectFirst : QString();
        const auto kind = std::find_if(m_vmActions.cbegin(), m_vmActions.cend(),
                                       [a](const auto &pair) { return pair.first == a; });
        if (why.isEmpty() && kind != m_vmActions.cend()) {
            QString notFor; // e.g. "vm-1 is running and auto-restart is on."
            if (FleetActions::applicableVms(kind->second, *m_fleet, ids, &notFor).isEmpty())
                why = notFor.isEmpty() ? selectFirst : notFor;
        }
        a->setEnabled(why.isEmpty());
        a->setToolTip(why.isEmpty() ? a->text().remove(QLatin1Char('&')) : why);
    }
}

void MainWindow::showNotification(const Notification &n)
{
    if (m_tray != nullptr && m_tray->isVisible()) {
        m_tray->showMessage(n.title(), n.body(),
                            n.kind == Notification::Kind::Recovered ? QSystemTrayIcon::Information
                                                                    : QSystemTrayIcon::Warning);
    } else {
        // No tray: the Notifications tab is the fallback, announced in the status bar.
        statusBar()->showMessage(n.title(), 10000);
        m_tabs->setTabText(m_tabs->indexOf(m_notificationList),
                           tr("&Notifications (%1)").arg(m_notifications->rowCount()));
    }
}

} // namespace spotkeeper::gui
