// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/notificationcenter.h"

#include "base/clock.h"
#include "fleet/eventtypes.h"
#include "models/fleetsource.h"

#include <QCoreApplication>

namespace spotkeeper::gui {

namespace {
constexpr int kHistoryLimit = 500;
constexpr int kNamesShown = 5;
} // namespace

QString Notification::title() const
{
    const int n = int(vmIds.size());
    switch (kind) {
    case Kind::Evicted:
        return QCoreApplication::translate("Notification", "%n VM(s) evicted in %1", nullptr, n)
            .arg(region);
    case Kind::Recovered:
        return QCoreApplication::translate("Notification", "%n VM(s) recovered in %1", nullptr, n)
            .arg(region);
    case Kind::StillDown:
        return QCoreApplication::translate("Notification", "%n VM(s) still down in %1", nullptr, n)
            .arg(region);
    case Kind::AgentSilent:
        return QCoreApplication::translate("Notification",
                                           "%n running VM(s) with a silent agent in %1", nullptr, n)
            .arg(region);
    case Kind::AppUnhealthy:
        return QCoreApplication::translate("Notification",
                                           "%n running VM(s) with an unhealthy application in %1",
                                           nullptr, n)
            .arg(region);
    }
    return {};
}

QString Notification::body() const
{
    QStringList shown = vmNames.mid(0, kNamesShown);
    QString text = shown.join(QLatin1StringView(", "));
    if (vmNames.size() > kNamesShown) {
        text += QLatin1Char(' ')
            + QCoreApplication::translate("Notification", "and %n more", nullptr,
                                          int(vmNames.size()) - kNamesShown);
    }
    return text;
}

NotificationCenter::NotificationCenter(FleetSource &source, const base::Clock &clock,
                                       QObject *parent)
    : QAbstractListModel(parent)
    , m_source(source)
    , m_clock(clock)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(5000);
    connect(&m_flushTimer, &QTimer::timeout, this, &NotificationCenter::flush);
    connect(&source, &FleetSource::eventAppended, this, &NotificationCenter::handleEvent);
    connect(&source, &FleetSource::jobChanged, this, &NotificationCenter::handleJobChanged);
}

NotificationCenter::~NotificationCenter() = default;

void NotificationCenter::snoozeVm(qint64 vmId, const QDateTime &until)
{
    m_vmSnooze.insert(vmId, until);
}

void NotificationCenter::snoozeResourceGroup(const QString &resourceGroup, const QDateTime &until)
{
    m_groupSnooze.insert(resourceGroup.toLower(), until);
}

bool NotificationCenter::isSnoozed(const core::VmRecord &vm) const
{
    const QDateTime now = m_clock.nowUtc();
    const QDateTime vmUntil = m_vmSnooze.value(vm.id);
    if (vmUntil.isValid() && now < vmUntil)
        return true;
    const QDateTime groupUntil = m_groupSnooze.value(vm.resourceGroup.toLower());
    return groupUntil.isValid() && now < groupUntil;
}

void NotificationCenter::handleEvent(const core::EventRecord &event)
{
    if (event.kind != core::EventKind::Eviction && event.kind != core::EventKind::Alert)
        return;
    const auto vm = m_source.vm(event.vmId);
    if (!vm)
        return;
    if (event.kind == core::EventKind::Eviction) {
        m_down.insert(vm->id);
        add(Notification::Kind::Evicted, *vm);
    } else if (event.eventType == QLatin1StringView("agent_silent")) {
        add(Notification::Kind::AgentSilent, *vm); // the VM runs: its agent does not answer
    } else if (event.eventType == core::eventtype::kAppUnhealthy) {
        add(Notification::Kind::AppUnhealthy, *vm); // the VM runs: its application does not
    } else {
        add(Notification::Kind::StillDown, *vm);
    }
}

void NotificationCenter::handleJobChanged(qint64 vmId)
{
    if (!m_down.contains(vmId) || m_source.activeJob(vmId))
        return;
    const auto vm = m_source.vm(vmId);
    if (!vm || vm->powerState != core::PowerState::Running)
        return;
    m_down.remove(vmId);
    add(Notification::Kind::Recovered, *vm);
}

void NotificationCenter::add(Notification::Kind kind, const core::VmRecord &vm)
{
    if (isSnoozed(vm))
        return;
    const QString region = vm.location.isEmpty()
        ? QCoreApplication::translate("Notification", "an unknown region")
        : vm.location;
    for (Notification &n : m_pending) {
        if (n.kind == kind && n.region == region) {
            if (!n.vmIds.contains(vm.id)) {
                n.vmIds.append(vm.id);
                n.vmNames.append(vm.name);
            }
            return;
        }
    }
    m_pending.append(Notification {kind, region, {vm.id}, {vm.name}, m_clock.nowUtc()});
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void NotificationCenter::flush()
{
    m_flushTimer.stop();
    const QList<Notification> ready = std::exchange(m_pending, {});
    if (ready.isEmpty())
        return;
    beginInsertRows({}, 0, int(ready.size()) - 1);
    for (const Notification &n : ready)
        m_history.prepend(n);
    endInsertRows();
    if (m_history.size() > kHistoryLimit) {
        beginRemoveRows({}, kHistoryLimit, int(m_history.size()) - 1);
        m_history.resize(kHistoryLimit);
        endRemoveRows();
    }
    for (const Notification &n : ready)
        Q_EMIT notify(n);
}

int NotificationCenter::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_history.size());
}

QVariant NotificationCenter::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Notification &n = m_history.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QString(n.at.toUTC().toString(QStringLiteral("HH:mm:ss")) + QLatin1StringView("  ")
                       + n.title());
    case Qt::ToolTipRole:
        return n.body();
    default:
        return {};
    }
}

} // namespace spotkeeper::gui
