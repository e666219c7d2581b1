// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/detailpane.h"

#include "fleet/eventtypes.h"
#include "listener/vmresourceid.h"
#include "models/cloudname.h"
#include "models/eventsmodel.h"
#include "models/fleetactions.h"
#include "models/fleetsource.h"
#include "models/fleetstatus.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace spotkeeper::gui {

namespace {
QTableView *eventTable(EventsModel *model, QWidget *parent, const QString &name)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->setVisible(false);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setWordWrap(false);
    view->setAccessibleName(name);
    view->setColumnWidth(EventsModel::Time, 140);
    return view;
}

QString portalButtonText(core::Cloud cloud)
{
    switch (cloud) {
    case core::Cloud::Gcp:
        return DetailPane::tr("Open in Google Cloud &console");
    case core::Cloud::Aws:
        return DetailPane::tr("Open in AWS &console");
    case core::Cloud::Azure:
        break;
    }
    return DetailPane::tr("Open in Azure &portal");
}

QString utc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))
                       : QStringLiteral("-");
}

// Where and what the VM is, its power state and whether it is restarted.
QString factsText(const core::VmRecord &vm)
{
    // A VM stopped on purpose is not restarted whatever its auto-restart flag says: the
    // pane says who stopped it instead.
    const bool stopped = vm.desiredState == core::DesiredState::Stopped;
    const QString restart = !stopped
        ? DetailPane::tr("auto-restart: %1")
              .arg(vm.autoRestart ? DetailPane::tr("on") : DetailPane::tr("off"))
        : vm.stoppedBy.isEmpty() ? DetailPane::tr("Stopped on purpose")
                                 : DetailPane::tr("Stopped on purpose by %1").arg(vm.stoppedBy);
    // The resource group is Azure's alone: Google Cloud and AWS VMs have none.
    QStringList where;
    for (const QString &part :
         {vm.resourceGroup,
          vm.zone.isEmpty() ? vm.location : vm.location + QLatin1StringView(" / ") + vm.zone,
          vm.size, vm.priority}) {
        if (!part.isEmpty())
            where.append(part);
    }
    return DetailPane::tr("%1 · power: %2 · %3")
        .arg(where.join(QStringLiteral(" · ")), powerStateText(vm.powerState), restart);
}

QString jobText(const core::JobRecord &job)
{
    QString text = DetailPane::tr("Restart job: %1, attempt %2, next attempt %3")
                       .arg(jobStateText(job.state))
                       .arg(job.attempt)
                       .arg(utc(job.nextAttemptAt));
    if (!job.lastErrorCode.isEmpty())
        text += DetailPane::tr("; last error %1").arg(job.lastErrorCode);
    if (!job.reason.isEmpty())
        text += QStringLiteral(" — ") + job.reason;
    return text;
}
} // namespace

DetailPane::DetailPane(FleetSource &source, QWidget *parent)
    : QWidget(parent)
    , m_source(source)
    , m_title(new QLabel(this))
    , m_cloud(new QLabel(this))
    , m_facts(new QLabel(this))
    , m_agent(new QLabel(this))
    , m_job(new QLabel(this))
    , m_copy(new QPushButton(tr("&Copy resource ID"), this))
    , m_portal(new QPushButton(tr("Open in Azure &portal"), this))
    , m_timeline(new EventsModel(source, this))
    , m_attempts(new EventsModel(source, this))
    , m_undo(new QPushButton(tr("&Undo change"), this))
    , m_undoResult(new QLabel(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_cloud->setObjectName(QStringLiteral("cloud"));
    m_facts->setObjectName(QStringLiteral("facts"));
    for (QLabel *label : {m_cloud, m_facts, m_agent, m_job}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_copy->setToolTip(tr("Copy the VM's resource ID (ARM resource ID, Google Cloud instance "
                          "path or instance ARN) to the clipboard"));
    m_portal->setToolTip(tr("Open the VM in its cloud's console in your browser"));
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_resourceId); });
    connect(m_portal, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl(portalUrl(m_resourceId))); });

    m_undo->setToolTip(tr("Undo the capacity fallback change selected in the timeline: the VM "
                          "gets its earlier size or max price back (it must be deallocated)"));
    m_undo->setEnabled(false);
    m_undoResult->setWordWrap(true);
    m_undoResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_undo, &QPushButton::clicked, this, &DetailPane::undoSelected);

    auto *tabs = new QTabWidget(this);
    m_timelineView = eventTable(m_timeline, tabs, tr("Timeline"));
    tabs->addTab(m_timelineView, tr("&Timeline"));
    connect(m_timelineView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DetailPane::updateUndo);
    tabs->addTab(eventTable(m_attempts, tabs, tr("Restart attempts")), tr("&Attempts"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_portal);
    buttons->addStretch(1);
    buttons->addWidget(m_undo);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_cloud);
    layout->addWidget(m_facts);
    layout->addWidget(m_agent);
    layout->addWidget(m_job);
    layout->addLayout(buttons);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_undoResult);
    connect(&source, &FleetSource::vmChanged, this, [this](qint64 id) {
        if (id == m_vmId)
            refresh();
    });
    connect(&source, &FleetSource::jobChanged, this, [this](qint64 id) {
        if (id == m_vmId)
            refresh();
    });
    showVm(0);
}

DetailPane::~DetailPane() = default;

QString DetailPane::portalUrl(const QString &resourceId)
{
    QString error;
    const auto id = core::VmResourceId::parse(resourceId, &error);
    if (!id)
        return {};
    switch (id->cloud) {
    case core::Cloud::Gcp:
        return QStringLiteral("https://console.cloud.google.com/compute/instancesDetail/zones/%1/"
                              "instances/%2?project=%3")
            .arg(id->zone, id->name, id->projectId);
    case core::Cloud::Aws: {
        // The commercial partition's console; China and GovCloud have consoles of their own.
        const QString host = resourceId.startsWith(QLatin1StringView("arn:aws-cn:"))
            ? QStringLiteral("https://%1.console.amazonaws.cn")
            : resourceId.startsWith(QLatin1StringView("arn:aws-us-gov:"))
            ? QStringLiteral("https://%1.console.amazonaws-us-gov.com")
            : QStringLiteral("https://%1.console.aws.amazon.com");
        return host.arg(id->region)
            + QStringLiteral("/ec2/home?region=%1#InstanceDetails:instanceId=%2")
                  .arg(id->region, id->name);
    }
    case core::Cloud::Azure:
        break;
    }
    return QStringLiteral("https://portal.azure.com/#resource") + resourceId
        + QStringLiteral("/overview");
}

qint64 DetailPane::undoableAuditId(const core::EventRecord &event)
{
    if (event.eventType != core::eventtype::kFallback
        || event.eventStatus != QLatin1StringView("applied")
        || event.message.startsWith(QLatin1StringView("undo: ")))
        return 0;
    bool ok = false;
    const qint64 id = event.eventId.toLongLong(&ok);
    return ok && id > 0 ? id : 0;
}

void DetailPane::updateUndo()
{
    const QModelIndex current = m_timelineView->selectionModel()->currentIndex();
    const core::EventRecord *event =
        current.isValid() ? m_timeline->eventAt(current.row()) : nullptr;
    m_undo->setEnabled(event != nullptr && undoableAuditId(*event) > 0 && m_source.canOperate());
}

void DetailPane::undoSelected()
{
    const QModelIndex current = m_timelineView->selectionModel()->currentIndex();
    const core::EventRecord *event =
        current.isValid() ? m_timeline->eventAt(current.row()) : nullptr;
    const qint64 auditId = event != nullptr ? undoableAuditId(*event) : 0;
    if (auditId <= 0)
        return;
    m_source.undoFallback(
        auditId, FleetActions::actorForCurrentUser(), [this](const core::OperationResult &result) {
            m_undoResult->setText(result.ok() ? tr("Undo requested: %1").arg(result.message)
                                              : tr("Undo refused: %1").arg(result.message));
        });
}

void DetailPane::showVm(qint64 vmId)
{
    m_vmId = vmId;
    m_undoResult->clear();
    m_timeline->setFilter(vmId, {}, {});
    m_attempts->setFilter(vmId, {}, {}, {core::EventKind::RestartAttempt});
    if (vmId == 0) {
        // All-zero would show the whole fleet's events: keep the tables empty instead.
        m_timeline->setFilter(-1, {}, {});
        m_attempts->setFilter(-1, {}, {});
    }
    refresh();
}

QString DetailPane::applicationText(const core::VmRecord &vm)
{
    switch (vm.appHealth) {
    case core::AppHealth::Pending:
        return tr("Application: waiting for the first %1 probe").arg(vm.appProbe);
    case core::AppHealth::Healthy:
        return tr("Application: healthy since %1 (%2 probe, %3 ms)")
            .arg(utc(vm.appHealthSince), vm.appProbe)
            .arg(vm.appLatencyMs);
    case core::AppHealth::Unhealthy:
        return tr("Application: unhealthy since %1: %2 (%3 probe, %4 ms)")
            .arg(utc(vm.appHealthSince), vm.appHealthDetail, vm.appProbe)
            .arg(vm.appLatencyMs);
    case core::AppHealth::None:
        break;
    }
    return {};
}

void DetailPane::refresh()
{
    const auto vm = m_vmId != 0 ? m_source.vm(m_vmId) : std::nullopt;
    m_copy->setEnabled(vm.has_value());
    m_portal->setEnabled(vm.has_value());
    if (!vm) {
        m_resourceId.clear();
        m_cloud->clear();
        m_portal->setText(portalButtonText(core::Cloud::Azure));
        m_title->setText(tr("No VM selected"));
        m_facts->setText(tr("Select a VM in the fleet table to see its timeline."));
        m_agent->clear();
        m_job->clear();
        return;
    }
    m_resourceId = vm->resourceId;
    const core::Cloud cloud = core::cloudOf(*vm);
    m_cloud->setText(tr("%1 · %2").arg(cloudName(cloud), vm->resourceId));
    m_portal->setText(portalButtonText(cloud));
    m_portal->setEnabled(!portalUrl(vm->resourceId).isEmpty());
    const auto job = m_source.activeJob(m_vmId);
    m_title->setText(vm->name);
    m_facts->setText(factsText(*vm));
    if (vm->agentLastSeen.isValid()) {
        m_agent->setText(
            tr("Agent %1, last seen %2%3")
                .arg(vm->agentVersion.isEmpty() ? tr("(unknown version)") : vm->agentVersion,
                     utc(vm->agentLastSeen),
                     vm->agentLastPollError.isEmpty()
                         ? QString()
                         : tr("; last poll failed: %1").arg(vm->agentLastPollError)));
        if (vm->appHealth != core::AppHealth::None)
            m_agent->setText(m_agent->text() + QLatin1Char('\n') + applicationText(*vm));
    } else {
        m_agent->setText(tr("No agent has reported for this VM (observed through its cloud's "
                            "API only)."));
    }
    m_job->setText(job ? jobText(*job) : tr("No active restart job."));
    for (EventsModel *model : {m_timeline, m_attempts}) {
        if (model->rowCount() == 0 && model->canFetchMore({}))
            model->fetchMore({});
    }
    updateUndo();
}

} // namespace spotkeeper::gui
