// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dashboardsettings.h"

#include <QCoreApplication>
#include <QSettings>

#include <algorithm>

namespace spotkeeper::gui {

QString DashboardSettings::budgetProblem() const
{
    // Upper bounds: Azure's own per-subscription buckets (writes 200/10 per s, reads
    // 250/25 per s; Compute start 12/4 per min per VM) times 15, the global limit across
    // principals. A budget above that only turns into 429s.
    const struct
    {
        int value;
        int max;
        const char *name;
    } checks[] = {
        {subscriptionWritesPerSecond, 150,
         QT_TRANSLATE_NOOP("DashboardSettings", "ARM writes per second per subscription")},
        {subscriptionWriteBurst, 3000,
         QT_TRANSLATE_NOOP("DashboardSettings", "ARM write burst per subscription")},
        {subscriptionReadsPerSecond, 375,
         QT_TRANSLATE_NOOP("DashboardSettings", "ARM reads per second per subscription")},
        {subscriptionReadBurst, 3750,
         QT_TRANSLATE_NOOP("DashboardSettings", "ARM read burst per subscription")},
        {vmStartsPerMinute, 60,
         QT_TRANSLATE_NOOP("DashboardSettings", "Start calls per minute per VM")},
        {vmStartBurst, 180, QT_TRANSLATE_NOOP("DashboardSettings", "Start call burst per VM")},
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

DashboardSettings DashboardSettings::load()
{
    const QSettings s;
    DashboardSettings d;
    d.listenAddress = s.value(QStringLiteral("listener/address"), d.listenAddress).toString();
    d.listenPort = s.value(QStringLiteral("listener/port"), d.listenPort).toInt();
    d.tls = s.value(QStringLiteral("listener/tls"), d.tls).toBool();
    d.tlsCertificate = s.value(QStringLiteral("listener/certificate")).toString();
    d.tlsKey = s.value(QStringLiteral("listener/key")).toString();
    d.tlsAgentCa = s.value(QStringLiteral("listener/agentCa")).toString();
    d.credentialSource = s.value(QStringLiteral("azure/source"), d.credentialSource).toString();
    d.tenantId = s.value(QStringLiteral("azure/tenantId")).toString();
    d.clientId = s.value(QStringLiteral("azure/clientId")).toString();
    d.subscriptions = s.value(QStringLiteral("azure/subscriptions")).toStringList();
    const auto budget = [&s](const char *key, int *value) {
        *value = s.value(QLatin1StringView("budgets/") + QLatin1StringView(key), *value).toInt();
    };
    budget("subscriptionWritesPerSecond", &d.subscriptionWritesPerSecond);
    budget("subscriptionWriteBurst", &d.subscriptionWriteBurst);
    budget("subscriptionReadsPerSecond", &d.subscriptionReadsPerSecond);
    budget("subscriptionReadBurst", &d.subscriptionReadBurst);
    budget("vmStartsPerMinute", &d.vmStartsPerMinute);
    budget("vmStartBurst", &d.vmStartBurst);
    d.evidenceWaitSeconds = std::clamp(
        s.value(QStringLiteral("engine/evidenceWaitSeconds"), d.evidenceWaitSeconds).toInt(), 0,
        3600);
    d.heartbeatIntervalSeconds = std::clamp(
        s.value(QStringLiteral("engine/heartbeatIntervalSeconds"), d.heartbeatIntervalSeconds)
            .toInt(),
        1, 86'400);
    d.agentSilentIntervals = std::clamp(
        s.value(QStringLiteral("engine/agentSilentIntervals"), d.agentSilentIntervals).toInt(), 0,
        1000);
    d.restartUnprovenDeallocation =
        s.value(QStringLiteral("engine/unprovenDeallocation"), QStringLiteral("restart")).toString()
        != QLatin1StringView("leave");
    d.theme = s.value(QStringLiteral("ui/theme"), d.theme).toString();
    d.language = s.value(QStringLiteral("ui/language"), d.language).toString();
    d.csvBom = s.value(QStringLiteral("export/bom"), d.csvBom).toBool();
    d.storePath = s.value(QStringLiteral("store/path")).toString();
    d.remoteUrl = s.value(QStringLiteral("remote/url")).toString();
    d.remoteCaFile = s.value(QStringLiteral("remote/caFile")).toString();
    d.attachAtStart = s.value(QStringLiteral("remote/attachAtStart"), false).toBool();
    return d;
}

void DashboardSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("listener/address"), listenAddress);
    s.setValue(QStringLiteral("listener/port"), listenPort);
    s.setValue(QStringLiteral("listener/tls"), tls);
    s.setValue(QStringLiteral("listener/certificate"), tlsCertificate);
    s.setValue(QStringLiteral("listener/key"), tlsKey);
    s.setValue(QStringLiteral("listener/agentCa"), tlsAgentCa);
    s.setValue(QStringLiteral("azure/source"), credentialSource);
    s.setValue(QStringLiteral("azure/tenantId"), tenantId);
    s.setValue(QStringLiteral("azure/clientId"), clientId);
    s.setValue(QStringLiteral("azure/subscriptions"), subscriptions);
    s.setValue(QStringLiteral("budgets/subscriptionWritesPerSecond"), subscriptionWritesPerSecond);
    s.setValue(QStringLiteral("budgets/subscriptionWriteBurst"), subscriptionWriteBurst);
    s.setValue(QStringLiteral("budgets/subscriptionReadsPerSecond"), subscriptionReadsPerSecond);
    s.setValue(QStringLiteral("budgets/subscriptionReadBurst"), subscriptionReadBurst);
    s.setValue(QStringLiteral("budgets/vmStartsPerMinute"), vmStartsPerMinute);
    s.setValue(QStringLiteral("budgets/vmStartBurst"), vmStartBurst);
    s.setValue(QStringLiteral("engine/evidenceWaitSeconds"), evidenceWaitSeconds);
    s.setValue(QStringLiteral("engine/heartbeatIntervalSeconds"), heartbeatIntervalSeconds);
    s.setValue(QStringLiteral("engine/agentSilentIntervals"), agentSilentIntervals);
    s.setValue(QStringLiteral("engine/unprovenDeallocation"),
               restartUnprovenDeallocation ? QStringLiteral("restart") : QStringLiteral("leave"));
    // The old fields (never applied to the engine) are gone.
    s.remove(QStringLiteral("budgets/armCallsPerMinute"));
    s.remove(QStringLiteral("budgets/maxConcurrentStarts"));
    s.setValue(QStringLiteral("ui/theme"), theme);
    s.setValue(QStringLiteral("ui/language"), language);
    s.setValue(QStringLiteral("export/bom"), csvBom);
    s.setValue(QStringLiteral("store/path"), storePath);
    s.setValue(QStringLiteral("remote/url"), remoteUrl);
    s.setValue(QStringLiteral("remote/caFile"), remoteCaFile);
    s.setValue(QStringLiteral("remote/attachAtStart"), attachAtStart);
}

} // namespace spotkeeper::gui
