// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloud.h"

#include <QString>

#include <optional>

// A VM's resource id split into its parts and checked against its cloud's naming rules,
// so an operator typo ("--vm myvm") is refused with the rule it broke instead of
// creating a key bound to nothing. Each cloud's form has its own parser behind parse()
// and fromParts() (one table in vmresourceid.cpp); cloudOfResourceId (fleet/fleettypes.h)
// says which form a text is.
namespace spotkeeper::core {

struct VmResourceId
{
    QString subscriptionId; // Azure only
    QString resourceGroup; // Azure only
    QString name; // the VM name, or for a uniform scale set instance its instance id
    // Set only for a uniform scale set instance, whose id is
    // ".../virtualMachineScaleSets/{scaleSet}/virtualMachines/{instanceId}" (the id its
    // agent reports from IMDS compute.resourceId). Flexible scale set VMs are ordinary VMs.
    QString scaleSet;
    // Last, with default initialisers, so positional initialisers of an Azure id stay valid.
    Cloud cloud = Cloud::Azure;
    QString projectId {}; // Google Cloud only
    QString zone {}; // Google Cloud only
    QString accountId {}; // AWS only
    QString region {}; // AWS only

    // Azure: "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/
    // virtualMachines/{vm}" (or the scale set instance form above); Google Cloud:
    // "projects/{project}/zones/{zone}/instances/{name}"; AWS: the instance ARN
    // "arn:{partition}:ec2:{region}:{account}:instance/{instance id}" (name = the instance id).
    QString resourceId() const;
    QString resourceKey() const; // resourceId() lower-cased, as the store files VMs
    // The scope one fleet listing covers: the subscription, the Google Cloud project or one
    // Region of an AWS account, "arn:aws:ec2:<region>:<account>" (VmRecord::subscriptionId).
    QString scope() const;
    // The identity part of a VmRecord: resourceKey, resourceId, subscriptionId (the scope),
    // resourceGroup and name; for AWS also location (the Region), which the ARN carries.
    void fillRecord(VmRecord *vm) const;

    // Accepts every cloud's form; Azure's in any letter case and both of its forms; error
    // names the part that is wrong.
    static std::optional<VmResourceId> parse(QStringView text, QString *error);
    // From the three path segments of /api/v1/vms/{scope}/{group}/{vm}/...: an Azure
    // subscription id (a GUID), resource group and VM name, a Google Cloud project id,
    // zone and instance name, or an AWS scope ("arn:aws:ec2:<region>:<account>", the group
    // empty or the Region; or the account id with the Region as the group) and instance id.
    static std::optional<VmResourceId> fromParts(const QString &scope, const QString &group,
                                                 const QString &name, QString *error);
};

} // namespace spotkeeper::core
