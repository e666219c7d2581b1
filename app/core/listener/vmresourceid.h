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
    QString name;

    // "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}"
    QString resourceId() const;
    QString resourceKey() const; // resourceId() lower-cased, as the store files VMs

    // Accepts any letter case; error names the part that is wrong.
    static std::optional<VmResourceId> parse(QStringView text, QString *error);
    // From the three path segments of /api/v1/vms/{subscription}/{resourceGroup}/{vm}/...
    static std::optional<VmResourceId> fromParts(const QString &subscriptionId,
                                                 const QString &resourceGroup, const QString &name,
                                                 QString *error);
};

} // namespace spotkeeper::core
