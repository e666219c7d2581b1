// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

// A VM's ARM resource id split into its parts and checked against Azure's naming rules,
// so an operator typo ("--vm myvm") is refused with the rule it broke instead of
// creating a key bound to nothing.
namespace spotkeeper::core {

struct VmResourceId
{
    QString subscriptionId;
    QString resourceGroup;
    QString name; // the VM name, or for a uniform scale set instance its instance id
    // Set only for a uniform scale set instance, whose id is
    // ".../virtualMachineScaleSets/{scaleSet}/virtualMachines/{instanceId}" (the id its
    // agent reports from IMDS compute.resourceId). Flexible scale set VMs are ordinary VMs.
    QString scaleSet;

    // "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}"
    // (or the scale set instance form above)
    QString resourceId() const;
    QString resourceKey() const; // resourceId() lower-cased, as the store files VMs

    // Accepts any letter case and both forms; error names the part that is wrong.
    static std::optional<VmResourceId> parse(QStringView text, QString *error);
    // From the three path segments of /api/v1/vms/{subscription}/{resourceGroup}/{vm}/...
    static std::optional<VmResourceId> fromParts(const QString &subscriptionId,
                                                 const QString &resourceGroup, const QString &name,
                                                 QString *error);
};

} // namespace spotkeeper::core
