// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringView>

// What an engine event means for operators, written to EventRecord::eventType of job
// transitions, restart attempts, power changes and alerts (an agent's notice keeps the
// Scheduled Events type there). The Notifier routes by it instead of reading the message
// (docs/NOTIFICATIONS.md); the values are also the notification kinds of [notify] events =.
namespace spotkeeper::core::eventtype {

inline constexpr QStringView kRestarted = u"restarted"; // a restart job ended with the VM running
inline constexpr QStringView kNeedsOperator = u"needs_operator"; // a job waits for an operator
inline constexpr QStringView kStoppedOnPurpose = u"stopped"; // someone stopped the VM on purpose
inline constexpr QStringView kStillDown = u"still_down"; // down past engine.alert_after_minutes
inline constexpr QStringView kCapacity = u"capacity"; // capacity errors past the threshold
inline constexpr QStringView kAgentSilent = u"agent_silent"; // a running VM's agent is silent
// The application on a running VM is unhealthy: a restart job that timed out waiting for it,
// or the application health watch (docs/ENGINE.md "Application health").
inline constexpr QStringView kAppUnhealthy = u"app_unhealthy";
// The capacity fallback resized a VM or changed its max price (or would, in a dry run), or an
// operator undid such a change (docs/ENGINE.md "Capacity fallback").
inline constexpr QStringView kFallback = u"fallback";

} // namespace spotkeeper::core::eventtype
