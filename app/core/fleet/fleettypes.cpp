// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/fleettypes.h"

#include <array>
#include <utility>

namespace spotkeeper::core {

namespace {

// One table per enum: the text is what the store, the API and CSV exports carry.
template<typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, QLatin1StringView>, N> &table, Enum value)
{
    for (const auto &[entry, name] : table) {
        if (entry == value)
            return name;
    }
    return table.front().second;
}

template<typename Enum, std::size_t N>
Enum valueOf(const std::array<std::pair<Enum, QLatin1StringView>, N> &table, QStringView text)
{
    for (const auto &[entry, name] : table) {
        if (text.compare(name, Qt::CaseInsensitive) == 0)
            return entry;
    }
    return table.front().first;
}

using L = QLatin1StringView;

constexpr std::array kPowerStates = {
    std::pair {PowerState::Unknown, L("unknown")},
    std::pair {PowerState::Starting, L("starting")},
    std::pair {PowerState::Running, L("running")},
    std::pair {PowerState::Stopping, L("stopping")},
    std::pair {PowerState::Stopped, L("stopped")},
    std::pair {PowerState::Deallocating, L("deallocating")},
    std::pair {PowerState::Deallocated, L("deallocated")},
    std::pair {PowerState::Deleted, L("deleted")},
};

constexpr std::array kDesiredStates = {
    std::pair {DesiredState::Running, L("running")},
    std::pair {DesiredState::Stopped, L("stopped")},
};

constexpr std::array kManagedBy = {
    std::pair {ManagedBy::None, L("none")},
    std::pair {ManagedBy::Agent, L("agent")},
    std::pair {ManagedBy::Tag, L("tag")},
    std::pair {ManagedBy::Operator, L("operator")},
};

constexpr std::array kJobStates = {
    std::pair {JobState::WaitingForDeallocation, L("waiting_for_deallocation")},
    std::pair {JobState::Starting, L("starting")},
    std::pair {JobState::BackingOff, L("backing_off")},
    std::pair {JobState::Running, L("running")},
    std::pair {JobState::NeedsOperator, L("needs_operator")},
    std::pair {JobState::Paused, L("paused")},
    std::pair {JobState::Cancelled, L("cancelled")},
    std::pair {JobState::WaitingForApplication, L("waiting_for_app")},
};

constexpr std::array kEventKinds = {
    std::pair {EventKind::Notice, L("notice")},
    std::pair {EventKind::Heartbeat, L("heartbeat")},
    std::pair {EventKind::Eviction, L("eviction")},
    std::pair {EventKind::RestartAttempt, L("restart_attempt")},
    std::pair {EventKind::PowerChange, L("power_change")},
    std::pair {EventKind::JobTransition, L("job_transition")},
    std::pair {EventKind::Alert, L("alert")},
};

} // namespace

QString toString(PowerState state)
{
    return nameOf(kPowerStates, state);
}

PowerState powerStateFromString(QStringView text)
{
    if (text.startsWith(QLatin1StringView("PowerState/"), Qt::CaseInsensitive))
        text = text.mid(11);
    return valueOf(kPowerStates, text);
}

QString toString(DesiredState state)
{
    return nameOf(kDesiredStates, state);
}

DesiredState desiredStateFromString(QStringView text)
{
    return valueOf(kDesiredStates, text);
}

QString toString(ManagedBy reason)
{
    return nameOf(kManagedBy, reason);
}

ManagedBy managedByFromString(QStringView text)
{
    return valueOf(kManagedBy, text);
}

QString toString(JobState state)
{
    return nameOf(kJobStates, state);
}

JobState jobStateFromString(QStringView text)
{
    return valueOf(kJobStates, text);
}

namespace {
constexpr std::array kAppHealth = {
    std::pair {AppHealth::None, L("")},
    std::pair {AppHealth::Pending, L("pending")},
    std::pair {AppHealth::Healthy, L("healthy")},
    std::pair {AppHealth::Unhealthy, L("unhealthy")},
};
} // namespace

QString toString(AppHealth health)
{
    return nameOf(kAppHealth, health);
}

AppHealth appHealthFromString(QStringView text)
{
    return valueOf(kAppHealth, text);
}

bool isAppUnhealthy(const VmRecord &vm)
{
    return vm.appHealth == AppHealth::Unhealthy && vm.powerState == PowerState::Running
        && vm.desiredState == DesiredState::Running;
}

bool isTerminal(JobState state)
{
    return state == JobState::Running || state == JobState::Cancelled;
}

QString toString(EventKind kind)
{
    return nameOf(kEventKinds, kind);
}

EventKind eventKindFromString(QStringView text)
{
    return valueOf(kEventKinds, text);
}

bool isAgentSilent(const VmRecord &vm)
{
    return vm.agentSilentSince.isValid() && vm.powerState == PowerState::Running
        && vm.desiredState == DesiredState::Running
        && !(vm.agentLastSeen.isValid() && vm.agentLastSeen > vm.agentSilentSince);
}

} // namespace spotkeeper::core
