// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/vmresourceid.h"

#include "protocol/azurenames.h"

#include <QStringList>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

QString VmResourceId::resourceId() const
{
    if (!scaleSet.isEmpty())
        return u"/subscriptions/"_s + subscriptionId + u"/resourceGroups/"_s + resourceGroup
            + u"/providers/Microsoft.Compute/virtualMachineScaleSets/"_s + scaleSet
            + u"/virtualMachines/"_s + name;
    return u"/subscriptions/"_s + subscriptionId + u"/resourceGroups/"_s + resourceGroup
        + u"/providers/Microsoft.Compute/virtualMachines/"_s + name;
}

QString VmResourceId::resourceKey() const
{
    return resourceId().toLower();
}

std::optional<VmResourceId> VmResourceId::fromParts(const QString &subscriptionId,
                                                    const QString &resourceGroup,
                                                    const QString &name, QString *error)
{
    QString problem = protocol::checkSubscriptionId(subscriptionId);
    if (!problem.isEmpty()) {
        *error = u"subscription id: "_s + problem;
        return std::nullopt;
    }
    problem = protocol::checkResourceGroupName(resourceGroup);
    if (!problem.isEmpty()) {
        *error = u"resource group: "_s + problem;
        return std::nullopt;
    }
    problem = protocol::checkVmName(name);
    if (!problem.isEmpty()) {
        *error = u"VM name: "_s + problem;
        return std::nullopt;
    }
    return VmResourceId {subscriptionId, resourceGroup, name, {}};
}

std::optional<VmResourceId> VmResourceId::parse(QStringView text, QString *error)
{
    const QList<QStringView> parts = text.split(u'/');
    // "", "subscriptions", sub, "resourceGroups", rg, "providers", "Microsoft.Compute",
    // "virtualMachines", name
    const auto is = [](QStringView a, QLatin1StringView b) {
        return a.compare(b, Qt::CaseInsensitive) == 0;
    };
    // A uniform scale set instance: ".../virtualMachineScaleSets/{vmss}/virtualMachines/{id}".
    if (parts.size() == 11 && parts[0].isEmpty() && is(parts[1], "subscriptions"_L1)
        && is(parts[3], "resourceGroups"_L1) && is(parts[5], "providers"_L1)
        && is(parts[6], "Microsoft.Compute"_L1) && is(parts[7], "virtualMachineScaleSets"_L1)
        && is(parts[9], "virtualMachines"_L1)) {
        auto id = fromParts(parts[2].toString(), parts[4].toString(), parts[8].toString(), error);
        if (!id)
            return std::nullopt; // the scale set name follows the VM name rules
        bool digits = !parts[10].isEmpty() && parts[10].size() <= 10;
        for (const QChar c : parts[10])
            digits = digits && c >= u'0' && c <= u'9';
        if (!digits) {
            *error = u"scale set instance id: must be digits"_s;
            return std::nullopt;
        }
        id->scaleSet = id->name;
        id->name = parts[10].toString();
        return id;
    }
    if (parts.size() != 9 || !parts[0].isEmpty() || !is(parts[1], "subscriptions"_L1)
        || !is(parts[3], "resourceGroups"_L1) || !is(parts[5], "providers"_L1)
        || !is(parts[6], "Microsoft.Compute"_L1) || !is(parts[7], "virtualMachines"_L1)) {
        *error = u"not a VM resource id: expected /subscriptions/<id>/resourceGroups/<group>"
                 u"/providers/Microsoft.Compute/virtualMachines/<name> (or .../"
                 u"virtualMachineScaleSets/<scale set>/virtualMachines/<instance id>)"_s;
        return std::nullopt;
    }
    return fromParts(parts[2].toString(), parts[4].toString(), parts[8].toString(), error);
}

} // namespace spotkeeper::core
