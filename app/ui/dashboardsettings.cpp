// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dashboardsettings.h"

#include <QCoreApplication>
#include <QSettings>

#include <algorithm>
#include <array>
#include <limits>
#include <type_traits>
#include <variant>

namespace spotkeeper::gui {

QString DashboardSettings::budgetProblem() const
{
    // Upper bounds: Azure's own per-subscription buckets (writes 200/10 per s, reads
    // 250/25 per s; Compute start 12/4 per min per VM) times 15, the global limit across
    // principals. A budget above that only turns into 429s.
    struct Check
    {
        int value;
        int max;
        const char *name;
    };
    const std::array checks {
        Check {subscriptionWritesPerSecond, 150,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM writes per second per subscription")},
        Check {subscriptionWriteBurst, 3000,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM write burst per subscription")},
        Check {subscriptionReadsPerSecond, 375,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM reads per second per subscription")},
        Check {subscriptionReadBurst, 3750,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM read burst per subscription")},
        Check {vmStartsPerMinute, 60,
               QT_TRANSLATE_NOOP("DashboardSettings", "Start calls per minute per VM")},
        Check {vmStartBurst, 180,
               QT_TRANSLATE_NOOP("DashboardSettings", "Start call burst per VM")},
    };
    for (const auto &check : checks) {
        if (check.value < 1 || check.value > check.max)
            return QCoreApplication::translate("DashboardSettings",
                                               "%1 must be between 1 and %2 (it is %3).")
                .arg(QCoreApplication::translate("DashboardSettings", check.name))
                .arg(check.max)
                .arg(check.value);
    }
    return {};
}

namespace {

using Member = std::variant<QString DashboardSettings::*, int DashboardSettings::*,
                            bool DashboardSettings::*, QStringList DashboardSettings::*>;

// A QSettings key and the field it holds; a number outside [min, max] is brought back into it.
struct Key
{
    const char *name;
    Member member;
    int min = std::numeric_limits<int>::min();
    int max = std::numeric_limits<int>::max();
};

// Every key but engine/unprovenDeallocation (restart | leave, a bool in the struct).
const std::array kKeys {
    Key {"listener/address", &DashboardSettings::listenAddress},
    Key {"listener/port", &DashboardSettings::listenPort},
    Key {"listener/tls", &DashboardSettings::tls},
    Key {"listener/certificate", &DashboardSettings::tlsCertificate},
    Key {"listener/key", &DashboardSettings::tlsKey},
    Key {"listener/agentCa", &DashboardSettings::tlsAgentCa},
    Key {"azure/source", &DashboardSettings::credentialSource},
    Key {"azure/tenantId", &DashboardSettings::tenantId},
    Key {"azure/clientId", &DashboardSettings::clientId},
    Key {"azure/subscriptions", &DashboardSettings::subscriptions},
    Key {"budgets/subscriptionWritesPerSecond", &DashboardSettings::subscriptionWritesPerSecond},
    Key {"budgets/subscriptionWriteBurst", &DashboardSettings::subscriptionWriteBurst},
    Key {"budgets/subscriptionReadsPerSecond", &DashboardSettings::subscriptionReadsPerSecond},
    Key {"budgets/subscriptionReadBurst", &DashboardSettings::subscriptionReadBurst},
    Key {"budgets/vmStartsPerMinute", &DashboardSettings::vmStartsPerMinute},
    Key {"budgets/vmStartBurst", &DashboardSettings::vmStartBurst},
    Key {"engine/evidenceWaitSeconds", &DashboardSettings::evidenceWaitSeconds, 0, 3600},
    Key {"engine/heartbeatIntervalSeconds", &DashboardSettings::heartbeatIntervalSeconds, 1,
         86'400},
    Key {"engine/agentSilentIntervals", &DashboardSettings::agentSilentIntervals, 0, 1000},
    Key {"health/restartTimeoutMinutes", &DashboardSettings::appHealthTimeoutMinutes, 0, 1440},
    Key {"health/unhealthyMinutes", &DashboardSettings::appUnhealthyMinutes, 0, 1440},
    Key {"health/restartsPerHour", &DashboardSettings::appRestartsPerHour, 0, 60},
    Key {"health/restart", &DashboardSettings::appRestart}, // off | tagged | all
    Key {"ui/theme", &DashboardSettings::theme},
    Key {"ui/language", &DashboardSettings::language},
    Key {"export/bom", &DashboardSettings::csvBom},
    Key {"store/path", &DashboardSettings::storePath},
    Key {"remote/url", &DashboardSettings::remoteUrl},
    Key {"remote/caFile", &DashboardSettings::remoteCaFile},
    Key {"remote/attachAtStart", &DashboardSettings::attachAtStart},
};

const QLatin1StringView kUnprovenKey("engine/unprovenDeallocation");

} // namespace

DashboardSettings DashboardSettings::load()
{
    const QSettings s;
    DashboardSettings d;
    for (const Key &key : kKeys) {
        std::visit(
            [&](auto member) {
                using Value = std::remove_reference_t<decltype(d.*member)>;
                const QVariant stored = s.value(QLatin1StringView(key.name));
                if (!stored.isValid())
                    return; // the default stays
                if constexpr (std::is_same_v<Value, int>)
                    d.*member = std::clamp(stored.toInt(), key.min, key.max);
                else
                    d.*member = stored.value<Value>();
            },
            key.member);
    }
    if (d.appRestart != QLatin1StringView("off") && d.appRestart != QLatin1StringView("all"))
        d.appRestart = QStringLiteral("tagged");
    d.restartUnprovenDeallocation =
        s.value(kUnprovenKey, QStringLiteral("restart")).toString() != QLatin1StringView("leave");
    return d;
}

void DashboardSettings::save() const
{
    QSettings s;
    for (const Key &key : kKeys) {
        std::visit(
            [&](auto member) { s.setValue(QLatin1StringView(key.name), QVariant(this->*member)); },
            key.member);
    }
    s.setValue(kUnprovenKey,
               restartUnprovenDeallocation ? QStringLiteral("restart") : QStringLiteral("leave"));
    // The old fields (never applied to the engine) are gone.
    s.remove(QStringLiteral("budgets/armCallsPerMinute"));
    s.remove(QStringLiteral("budgets/maxConcurrentStarts"));
}

} // namespace spotkeeper::gui
