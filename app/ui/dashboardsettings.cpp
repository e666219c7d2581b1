// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboardsettings.h"

#include <QSettings>

namespace spotkeeper::gui {

DashboardSettings DashboardSettings::load()
{
    const QSettings s;
    DashboardSettings d;
    d.listenAddress = s.value(QStringLiteral("listener/address"), d.listenAddress).toString();
    d.listenPort = s.value(QStringLiteral("listener/port"), d.listenPort).toInt();
    d.tls = s.value(QStringLiteral("listener/tls"), d.tls).toBool();
    d.tlsCertificate = s.value(QStringLiteral("listener/certificate")).toString();
    d.tlsKey = s.value(QStringLiteral("listener/key")).toString();
    d.credentialSource = s.value(QStringLiteral("azure/source"), d.credentialSource).toString();
    d.tenantId = s.value(QStringLiteral("azure/tenantId")).toString();
    d.clientId = s.value(QStringLiteral("azure/clientId")).toString();
    d.subscriptions = s.value(QStringLiteral("azure/subscriptions")).toStringList();
    d.armCallsPerMinute =
        s.value(QStringLiteral("budgets/armCallsPerMinute"), d.armCallsPerMinute).toInt();
    d.maxConcurrentStarts =
        s.value(QStringLiteral("budgets/maxConcurrentStarts"), d.maxConcurrentStarts).toInt();
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
    s.setValue(QStringLiteral("azure/source"), credentialSource);
    s.setValue(QStringLiteral("azure/tenantId"), tenantId);
    s.setValue(QStringLiteral("azure/clientId"), clientId);
    s.setValue(QStringLiteral("azure/subscriptions"), subscriptions);
    s.setValue(QStringLiteral("budgets/armCallsPerMinute"), armCallsPerMinute);
    s.setValue(QStringLiteral("budgets/maxConcurrentStarts"), maxConcurrentStarts);
    s.setValue(QStringLiteral("ui/theme"), theme);
    s.setValue(QStringLiteral("ui/language"), language);
    s.setValue(QStringLiteral("export/bom"), csvBom);
    s.setValue(QStringLiteral("store/path"), storePath);
    s.setValue(QStringLiteral("remote/url"), remoteUrl);
    s.setValue(QStringLiteral("remote/caFile"), remoteCaFile);
    s.setValue(QStringLiteral("remote/attachAtStart"), attachAtStart);
}

} // namespace spotkeeper::gui
