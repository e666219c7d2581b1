// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleetactions.h"

#include "fleetsource.h"

#include <QRegularExpression>

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
    if (!m_source.operations()) {
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

FleetActions::Outcome FleetActions::run(Kind kind, const QList<qint64> &vmIds)
{
    Outcome outcome;
    core::FleetOperations *ops = m_source.operations();
    if (!ops) {
        outcome.failures.append(disabledReason());
        return outcome;
    }
    for (qint64 vmId : vmIds) {
        core::OperationResult result;
        switch (kind) {
        case Kind::ForceRestart:
            result = ops->forceRestart(vmId, m_actor);
            break;
        case Kind::Pause:
            result = ops->pauseAutoRestart(vmId, m_actor);
            break;
        case Kind::Resume:
            result = ops->resumeAutoRestart(vmId, m_actor);
            break;
        case Kind::Cancel:
            result = ops->cancelJob(vmId, m_actor);
            break;
        case Kind::StopOnPurpose:
            result = ops->stopOnPurpose(vmId, m_actor);
            break;
        case Kind::Start:
            result = ops->startVm(vmId, m_actor);
            break;
        }
        if (result.ok()) {
            ++outcome.succeeded;
            continue;
        }
        const auto vm = m_source.vm(vmId);
        const QString name = vm ? vm->name : QString::number(vmId);
        outcome.failures.append(name + QLatin1StringView(": ") + result.message);
    }
    return outcome;
}

core::OperationResult FleetActions::addVm(const QString &resourceId)
{
    // /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name>
    static const QRegularExpression pattern(
        QStringLiteral("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
                       "Microsoft\\.Compute/virtualMachines/[^/]+$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString id = resourceId.trimmed();
    if (!pattern.match(id).hasMatch()) {
        return {core::OperationResult::Status::Invalid,
                tr("Not a VM resource id: expected /subscriptions/<id>/resourceGroups/<group>/"
                   "providers/Microsoft.Compute/virtualMachines/<name>")};
    }
    core::FleetOperations *ops = m_source.operations();
    if (!ops)
        return {core::OperationResult::Status::Failed, disabledReason()};
    return ops->addVm(id, m_actor);
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
