// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

// The endpoints of one Azure cloud (AZURE-PROTOCOL.md §3.4). armUrl is where requests go and can be
// overridden (SPOTKEEPER_ARM_URL, for tests and simulation); armResource stays the cloud's
// canonical ARM identifier because tokens are minted for it, not for the override.
namespace spotkeeper::core {

struct AzureCloud
{
    QString name; // "AzureCloud", "AzureUSGovernment", "AzureChinaCloud", "Custom"
    QUrl authorityHost; // e.g. https://login.microsoftonline.com
    QUrl armUrl; // where ARM requests are sent
    QString armResource; // canonical ARM resource, e.g. https://management.azure.com/
    QString tokenAudience; // active_directory_resource_id, used by `az --resource`

    // "{armResource}/.default" without a doubled slash: the v2 client-credentials scope.
    QString armScope() const;

    static AzureCloud publicCloud();
    static AzureCloud usGovernment();
    static AzureCloud china();
    // Known CLI cloud names, case-insensitive; nullopt for anything else.
    static std::optional<AzureCloud> byName(QStringView name);
    // IMDS compute.azEnvironment ("AzurePublicCloud", "AZUREPUBLICCLOUD", "AzureUSGovernmentCloud",
    // "AzureChinaCloud"), case-insensitive; AzureGermanCloud (retired) and others give nullopt.
    static std::optional<AzureCloud> fromImdsEnvironment(QStringView azEnvironment);
    // A cloud with operator-supplied endpoints. Empty audience = armResource.
    static AzureCloud custom(const QUrl &authorityHost, const QUrl &armUrl,
                             const QString &armResource, const QString &tokenAudience = {});
};

// Applies AZURE_AUTHORITY_HOST and SPOTKEEPER_ARM_URL. Returns an error naming the variable
// when a value is not an absolute http(s) URL; the cloud is left unchanged then.
QString applyEnvironmentOverrides(AzureCloud &cloud, const QProcessEnvironment &env);

} // namespace spotkeeper::core
