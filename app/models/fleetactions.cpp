// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fleetactions.h"

#include "models/fleetsource.h"
#include "models/fleettablemodel.h"

#include <QRegularExpression>

#include <memory>

namespace spotkeeper::gui {

FleetActions::FleetActions(FleetSource &source, QString actor)
    : m_source(source)
    , m_actor(std::move(actor))
{ }

QString FleetActions::actorForCurrentUser()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    if (user.isEmpty())
        user = QStringLiteral("unknown");
    return QStringLiteral("gui:") + user;
}

QString FleetActions::disabledReason() const
{
    const SourceStatus status = m_source.status();
    if (!m_source.canOperate()) {
        return status.actionsDisabledReason.isEmpty()
            ? tr("This view is read-only: no restart engine is attached.")
            : status.actionsDisabledReason;
    }
    if (!status.credentialsAvailable) {
        return status.actionsDisabledReason.isEmpty()
            ? tr("No Azure credentials: sign in with az login or configure a service principal "
                 "in Settings.")
            : status.actionsDisabledReason;
    }
    return {};
}

QString FleetActions::inapplicableReason(Kind kind, const core::VmRecord &vm,
                                         const std::optional<core::JobRecord> &job)
{
    using core::PowerState;
    const bool stopped = vm.desiredState == core::DesiredState::Stopped;
    const bool up = vm.powerState == PowerState::Running || vm.powerState == PowerState::Starting;
    const bool hasJob = job && !core::isTerminal(job->state);
    const bool pausedJob = hasJob && job->state == core::JobState::Paused;
    const bool deleted = vm.powerState == PowerState::Deleted;
    switch (kind) {
    case Kind::ForceRestart:
        if (stopped)
            return tr("%1 was stopped on purpose: Start runs it again.").arg(vm.name);
        if (deleted)
            return tr("%1 no longer exists.").arg(vm.name);
        if (up && !hasJob)
            return tr("%1 is running and has no restart job.").arg(vm.name);
        return {};
    case Kind::Pause:
        if (!vm.autoRestart && (!hasJob || pausedJob))
            return tr("Auto-restart of %1 is paused already.").arg(vm.name);
        return {};
    case Kind::Resume:
        if (vm.autoRestart && !stopped && !pausedJob)
            return tr("Auto-restart of %1 is on already.").arg(vm.name);
        return {};
    case Kind::Cancel:
        if (!hasJob)
            return tr("%1 has no restart job to cancel.").arg(vm.name);
        return {};
    case Kind::StopOnPurpose:
        if (stopped)
            return tr("%1 is stopped on purpose already.").arg(vm.name);
        if (deleted)
            return tr("%1 no longer exists.").arg(vm.name);
        return {};
    case Kind::Start:
        if (deleted)
            return tr("%1 no longer exists.").arg(vm.name);
        if (up && vm.autoRestart && !stopped && !pausedJob)
            return tr("%1 is running and auto-restart is on.").arg(vm.name);
        return {};
    }
    return {};
}

QList<qint64> FleetActions::applicableVms(Kind kind, const FleetTableModel &fleet,
                                          const QList<qint64> &vmIds, QString *reason)
{
    QList<qint64> applicable;
    QString firstReason;
    for (qint64 vmId : vmIds) {
        const FleetRow *row = fleet.rowAt(fleet.rowOfVm(vmId));
        if (!row)
            continue;
        const QString why = inapplicableReason(kind, row->vm, row->job);
        if (why.isEmpty())
            applicable.append(vmId);
        else if (firstReason.isEmpty())
            firstReason = why;
    }
    if (reason)
        *reason = firstReason;
    return applicable;
}

void FleetActions::run(Kind kind, const QList<qint64> &vmIds,
                       std::function<void(const Outcome &)> done)
{
    if (!m_source.canOperate() || vmIds.isEmpty()) {
        Outcome outcome;
        if (!vmIds.isEmpty())
            outcome.failures.append(disabledReason());
        done(outcome);
        return;
    }
    struct Pending
    {
        Outcome outcome;
        qsizetype waiting = 0;
        std::function<void(const Outcome &)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->waiting = vmIds.size();
    pending->done = std::move(done);
    FleetSource *source = &m_source;
    for (qint64 vmId : vmIds) {
        m_source.operate(kind, vmId, m_actor,
                         [pending, source, vmId](const core::OperationResult &result) {
                             if (result.ok()) {
                                 ++pending->outcome.succeeded;
                             } else {
                                 const auto vm = source->vm(vmId);
                                 const QString name = vm ? vm->name : QString::number(vmId);
                                 pending->outcome.failures.append(name + QLatin1StringView(": ")
                                                                  + result.message);
                             }
                             if (--pending->waiting == 0)
                                 pending->done(pending->outcome);
                         });
    }
}

void FleetActions::addVm(const QString &resourceId, OperationDone done)
{
    // /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name>
    static const QRegularExpression pattern(
        QStringLiteral("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
                       "Microsoft\\.Compute/virtualMachines/[^/]+$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString id = resourceId.trimmed();
    if (!pattern.match(id).hasMatch()) {
        done({core::OperationResult::Status::Invalid,
              tr("Not a VM resource id: expected /subscriptions/<id>/resourceGroups/<group>/"
                 "providers/Microsoft.Compute/virtualMachines/<name>")});
        return;
    }
    if (!m_source.canOperate()) {
        done({core::OperationResult::Status::Failed, disabledReason()});
        return;
    }
    m_source.addVm(id, m_actor, std::move(done));
}

QString FleetActions::kindName(Kind kind)
{
    switch (kind) {
    case Kind::ForceRestart:
        return tr("Force restart");
    case Kind::Pause:
        return tr("Pause auto-restart");
    case Kind::Resume:
        return tr("Resume auto-restart");
    case Kind::Cancel:
        return tr("Cancel job");
    case Kind::StopOnPurpose:
        return tr("Stop on purpose");
    case Kind::Start:
        return tr("Start");
    }
    return {};
}

QString FleetActions::confirmationText(Kind kind, int count)
{
    switch (kind) {
    case Kind::ForceRestart:
        return tr("Force a restart of %n VM(s) now? Backoff is skipped; ARM budgets still apply.",
                  nullptr, count);
    case Kind::Pause:
        return tr("Pause auto-restart for %n VM(s)?", nullptr, count);
    case Kind::Resume:
        return tr("Resume auto-restart for %n VM(s)?", nullptr, count);
    case Kind::Cancel:
        return tr("Cancel the restart job of %n VM(s)?", nullptr, count);
    case Kind::StopOnPurpose:
        return tr("Deallocate %n VM(s) and keep them stopped? SpotKeeper will not restart them "
                  "until you start them again.",
                  nullptr, count);
    case Kind::Start:
        return tr("Start %n VM(s) and restart them again after evictions?", nullptr, count);
    }
    return {};
}

QString FleetActions::summaryText(Kind kind, const Outcome &outcome)
{
    QString text = tr("%1: %n VM(s) done", nullptr, outcome.succeeded).arg(kindName(kind));
    if (!outcome.failures.isEmpty()) {
        text += QLatin1StringView("; ") + tr("%n failed", nullptr, int(outcome.failures.size()))
            + QLatin1StringView(" (") + outcome.failures.constFirst() + QLatin1Char(')');
    }
    return text;
}

} // namespace spotkeeper::gui
