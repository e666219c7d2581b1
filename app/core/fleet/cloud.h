// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"
#include "protocol/messages.h"

#include <QStringView>

// Which cloud a VM runs in. The cloud follows from the VM's resource id (so it is stored with
// the id and can never disagree with it): Google Cloud's "projects/{project}/zones/{zone}/
// instances/{name}", AWS's instance ARN "arn:aws:ec2:{region}:{account}:instance/{id}" (scope
// "arn:aws:ec2:{region}:{account}", aws/instancearn.h), Azure's "/subscriptions/..." otherwise. For
// a Google Cloud VM the VmRecord fields read: subscriptionId = the project id (the scope one fleet
// listing covers, as a subscription on Azure), resourceGroup empty, location = the zone
// ("europe-west1-b"), zone empty, priority = the provisioning model ("SPOT", "STANDARD"),
// evictionPolicy = the instance termination action ("STOP", "DELETE"). listener/vmresourceid.h
// parses each form.
namespace spotkeeper::core {

// The wire protocol's names, "azure", "gcp" and "aws"; toString(Cloud) and cloudFromString are
// protocol's (found by argument lookup).
using Cloud = protocol::Cloud;

// The one place that tells the clouds' ids apart (any letter case).
Cloud cloudOfResourceId(QStringView resourceId);
// The cloud of a listing scope (VmRecord::subscriptionId): an Azure subscription id is a GUID
// (36 characters), a Google Cloud project id is not (6-30, starting with a letter, or
// "domain:project"), an AWS scope starts with "arn:" (or is a 12-digit account id).
Cloud cloudOfScope(QStringView scope);

inline Cloud cloudOf(const VmRecord &vm)
{
    return cloudOfResourceId(vm.resourceKey.isEmpty() ? vm.resourceId : vm.resourceKey);
}

} // namespace spotkeeper::core
