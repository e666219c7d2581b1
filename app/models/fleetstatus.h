// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QColor>
#include <QHashFunctions>
#include <QIcon>
#include <QString>

#include <optional>

// One health verdict per VM, shown as colour AND icon AND text (never colour alone).
namespace spotkeeper::gui {

enum class Health {
    Healthy,
    Recovered,
    Evicted,
    Waiting,
    Retrying,
    NeedsOperator,
    Paused,
    Stopped,
    AgentSilent, // VM running, its agent silent too long (core::isAgentSilent)
    AppUnhealthy, // VM running, its application's health probe fails (core::isAppUnhealthy)
    WaitingForApp, // restarted: the VM runs, its application has not reported healthy yet
    Unknown
};
inline constexpr int kHealthCount = 12;
inline size_t qHash(Health health, size_t seed = 0) noexcept
{
    return ::qHash(static_cast<int>(health), seed);
}

Health healthOf(const core::VmRecord &vm, const std::optional<core::JobRecord> &job,
                const QDateTime &lastEviction, const QDateTime &now);
bool isProblem(Health health);
QString healthText(Health health); // translated
QString healthKey(Health health); // stable, untranslated: "needs_operator"
QColor healthColor(Health health);
QIcon healthIcon(Health health); // from :/icons/, null when the resources are not linked
QString jobStateText(core::JobState state);
QString powerStateText(core::PowerState state);

// "in 45 s", "3 min ago", "2 h ago", "5 days ago" with translated plural forms.
QString relativeTime(const QDateTime &when, const QDateTime &now);
QString countdownText(const QDateTime &when, const QDateTime &now);

} // namespace spotkeeper::gui
