// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fleetstatus.h"

#include <QCoreApplication>

#include <iterator>

namespace spotkeeper::gui {

// lupdate reads the literal context of each translate() call.

Health healthOf(const core::VmRecord &vm, const std::optional<core::JobRecord> &job,
                const QDateTime &lastEviction, const QDateTime &now)
{
    using core::JobState;
    using core::PowerState;
    if (job && !core::isTerminal(job->state)) {
        switch (job->state) {
        case JobState::WaitingForDeallocation:
            return Health::Waiting;
        case JobState::Starting:
        case JobState::BackingOff:
            return Health::Retrying;
        case JobState::NeedsOperator:
            return Health::NeedsOperator;
        case JobState::Paused:
            return Health::Paused;
        case JobState::WaitingForApplication:
            return Health::WaitingForApp;
        default:
            break;
        }
    }
    // Stopped on purpose (by an operator's action or Activity Log evidence) is what the row
    // says from the moment the decision is stored, while the deallocation is still under way.
    if (vm.desiredState == core::DesiredState::Stopped && vm.powerState != PowerState::Unknown)
        return Health::Stopped;
    switch (vm.powerState) {
    case PowerState::Running:
    case PowerState::Starting:
        // The VM runs but its agent does not answer: the agent is dead, not the VM.
        if (core::isAgentSilent(vm))
            return Health::AgentSilent;
        // The VM runs, the service on it does not.
        if (core::isAppUnhealthy(vm))
            return Health::AppUnhealthy;
        if (lastEviction.isValid() && lastEviction.secsTo(now) < 24 * 3600)
            return Health::Recovered;
        return Health::Healthy;
    case PowerState::Deallocated:
    case PowerState::Deallocating:
    case PowerState::Stopped:
    case PowerState::Stopping:
    case PowerState::Deleted:
        if (vm.desiredState == core::DesiredState::Stopped)
            return Health::Stopped;
        if (!vm.autoRestart)
            return Health::Paused;
        return Health::Evicted;
    case PowerState::Unknown:
        break;
    }
    return Health::Unknown;
}

bool isProblem(Health health)
{
    switch (health) {
    case Health::Evicted:
    case Health::Waiting:
    case Health::Retrying:
    case Health::NeedsOperator:
    case Health::Paused:
    case Health::AgentSilent:
    case Health::AppUnhealthy:
    case Health::WaitingForApp:
        return true;
    default:
        return false;
    }
}

QString healthText(Health health)
{
    switch (health) {
    case Health::Healthy:
        return QCoreApplication::translate("FleetStatus", "Running");
    case Health::Recovered:
        return QCoreApplication::translate("FleetStatus", "Recovered");
    case Health::Evicted:
        return QCoreApplication::translate("FleetStatus", "Evicted");
    case Health::Waiting:
        return QCoreApplication::translate("FleetStatus", "Waiting for deallocation");
    case Health::Retrying:
        return QCoreApplication::translate("FleetStatus", "Restarting");
    case Health::NeedsOperator:
        return QCoreApplication::translate("FleetStatus", "Needs operator");
    case Health::Paused:
        return QCoreApplication::translate("FleetStatus", "Paused");
    case Health::Stopped:
        return QCoreApplication::translate("FleetStatus", "Stopped");
    case Health::AgentSilent:
        return QCoreApplication::translate("FleetStatus", "Agent silent");
    case Health::AppUnhealthy:
        return QCoreApplication::translate("FleetStatus", "App unhealthy");
    case Health::WaitingForApp:
        return QCoreApplication::translate("FleetStatus", "Waiting for the application");
    case Health::Unknown:
        break;
    }
    return QCoreApplication::translate("FleetStatus", "Unknown");
}

QString healthKey(Health health)
{
    static const char *const keys[] = {"healthy",       "recovered",       "evicted",
                                       "waiting",       "retrying",        "needs_operator",
                                       "paused",        "stopped",         "agent_silent",
                                       "app_unhealthy", "waiting_for_app", "unknown"};
    static_assert(std::size(keys) == kHealthCount);
    return QLatin1StringView(keys[static_cast<int>(health)]);
}

QColor healthColor(Health health)
{
    switch (health) {
    case Health::Healthy:
        return QColor(0x2e, 0x7d, 0x32);
    case Health::Recovered:
        return QColor(0x00, 0x89, 0x7b);
    case Health::Evicted:
        return QColor(0xc6, 0x28, 0x28);
    case Health::Waiting:
        return QColor(0xef, 0x6c, 0x00);
    case Health::Retrying:
        return QColor(0x15, 0x65, 0xc0);
    case Health::NeedsOperator:
        return QColor(0xad, 0x14, 0x57);
    case Health::Paused:
        return QColor(0x6d, 0x4c, 0x41);
    case Health::AgentSilent:
        return QColor(0x6a, 0x1b, 0x9a);
    case Health::AppUnhealthy:
        return QColor(0xd8, 0x43, 0x15);
    case Health::WaitingForApp:
        return QColor(0x00, 0x83, 0x8f);
    case Health::Stopped:
    case Health::Unknown:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QIcon healthIcon(Health health)
{
    static QIcon cache[kHealthCount];
    QIcon &icon = cache[static_cast<int>(health)];
    if (icon.isNull())
        icon = QIcon(QStringLiteral(":/icons/status-%1.svg").arg(healthKey(health)));
    return icon;
}

QString jobStateText(core::JobState state)
{
    using core::JobState;
    switch (state) {
    case JobState::WaitingForDeallocation:
        return QCoreApplication::translate("FleetStatus", "Waiting for deallocation");
    case JobState::Starting:
        return QCoreApplication::translate("FleetStatus", "Starting");
    case JobState::BackingOff:
        return QCoreApplication::translate("FleetStatus", "Backing off");
    case JobState::Running:
        return QCoreApplication::translate("FleetStatus", "Recovered");
    case JobState::NeedsOperator:
        return QCoreApplication::translate("FleetStatus", "Needs operator");
    case JobState::Paused:
        return QCoreApplication::translate("FleetStatus", "Paused");
    case JobState::Cancelled:
        return QCoreApplication::translate("FleetStatus", "Cancelled");
    case JobState::WaitingForApplication:
        return QCoreApplication::translate("FleetStatus", "Waiting for the application");
    }
    return {};
}

QString powerStateText(core::PowerState state)
{
    using core::PowerState;
    switch (state) {
    case PowerState::Starting:
        return QCoreApplication::translate("FleetStatus", "Starting");
    case PowerState::Running:
        return QCoreApplication::translate("FleetStatus", "Running");
    case PowerState::Stopping:
        return QCoreApplication::translate("FleetStatus", "Stopping");
    case PowerState::Stopped:
        return QCoreApplication::translate("FleetStatus", "Stopped");
    case PowerState::Deallocating:
        return QCoreApplication::translate("FleetStatus", "Deallocating");
    case PowerState::Deallocated:
        return QCoreApplication::translate("FleetStatus", "Deallocated");
    case PowerState::Deleted:
        return QCoreApplication::translate("FleetStatus", "Deleted");
    case PowerState::Unknown:
        break;
    }
    return QCoreApplication::translate("FleetStatus", "Unknown");
}

QString relativeTime(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid())
        return {};
    const qint64 secs = when.secsTo(now);
    if (secs < 0)
        return countdownText(when, now);
    if (secs < 60)
        return QCoreApplication::translate("FleetStatus", "just now");
    // (lupdate's parser stumbles over a division inside translate()'s arguments)
    const int minutes = int(secs / 60);
    const int hours = minutes / 60;
    const int days = hours / 24;
    if (minutes < 60)
        return QCoreApplication::translate("FleetStatus", "%n minute(s) ago", nullptr, minutes);
    if (hours < 48)
        return QCoreApplication::translate("FleetStatus", "%n hour(s) ago", nullptr, hours);
    return QCoreApplication::translate("FleetStatus", "%n day(s) ago", nullptr, days);
}

QString countdownText(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid())
        return {};
    const qint64 secs = now.secsTo(when);
    const int seconds = int(qMin<qint64>(secs, 1 << 30));
    const int minutes = seconds / 60;
    const int hours = seconds / 3600;
    if (secs <= 0)
        return QCoreApplication::translate("FleetStatus", "due now");
    if (secs < 120)
        return QCoreApplication::translate("FleetStatus", "in %n second(s)", nullptr, seconds);
    if (secs < 7200)
        return QCoreApplication::translate("FleetStatus", "in %n minute(s)", nullptr, minutes);
    return QCoreApplication::translate("FleetStatus", "in %n hour(s)", nullptr, hours);
}

} // namespace spotkeeper::gui
