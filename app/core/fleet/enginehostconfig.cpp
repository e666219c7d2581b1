// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/enginehostconfig.h"

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

bool EngineHostConfig::isLoopback() const
{
    return address.isLoopback();
}

QString EngineHostConfig::validate() const
{
    const bool tlsOn = !tls.certificateFile.isEmpty() || !tls.privateKeyFile.isEmpty();
    if (tlsOn && (tls.certificateFile.isEmpty() || tls.privateKeyFile.isEmpty()))
        return u"[tls] needs both certificate and private_key"_s;
    if (!tls.clientCaFile.isEmpty() && !tlsOn)
        return u"[tls] client_ca needs certificate and private_key too"_s;
    if (!agentCaFile.isEmpty() && !tlsOn)
        return u"[tls] agent_ca needs certificate and private_key too"_s;
    if (!isLoopback() && !tlsOn && !insecureListen)
        return u"listening on "_s + address.toString()
            + u" (not loopback) needs TLS ([tls] certificate and private_key) or "
              u"--insecure-listen"_s;
    if (backoffCapSeconds < backoffBaseSeconds)
        return u"[engine] backoff_cap_seconds must not be below backoff_base_seconds"_s;
    if (seedEnabled && (seedSubscription.isEmpty() || seedKeyFile.isEmpty()))
        return u"[legacy_webhook] enabled needs subscription and key_file"_s;
    if (!awsRegions.isEmpty() && awsAccountId.isEmpty())
        return u"[aws] regions needs account_id (the 12 digits of the instances' account)"_s;
    if (awsRegions.isEmpty() && !awsAccountId.isEmpty())
        return u"[aws] account_id needs regions (which regions to watch)"_s;
    for (const QString &zone : awsAlternateZones) {
        const bool inRegion =
            std::any_of(awsRegions.cbegin(), awsRegions.cend(), [&](const QString &region) {
                return zone.startsWith(region) && zone.size() == region.size() + 1;
            });
        if (!inRegion)
            return u"[aws] alternate_zones: %1 is no Availability Zone of the [aws] regions"_s.arg(
                zone);
    }
    return notify.validate();
}

QStringList EngineHostConfig::awsScopes() const
{
    QStringList scopes;
    for (const QString &region : awsRegions)
        scopes.append(u"arn:%1:ec2:%2:%3"_s.arg(awsPartition, region, awsAccountId));
    return scopes;
}

} // namespace spotkeeper::core
