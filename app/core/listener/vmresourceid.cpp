// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/vmresourceid.h"

#include "protocol/awsnames.h"
#include "protocol/azurenames.h"
#include "protocol/gcpnames.h"

#include <QStringList>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

bool is(QStringView a, QLatin1StringView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// ---- Azure: /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/...

std::optional<VmResourceId> azureFromParts(const QString &subscriptionId,
                                           const QString &resourceGroup, const QString &name,
                                           QString *error)
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

std::optional<VmResourceId> azureParse(QStringView text, QString *error)
{
    const QList<QStringView> parts = text.split(u'/');
    // "", "subscriptions", sub, "resourceGroups", rg, "providers", "Microsoft.Compute",
    // "virtualMachines", name
    // A uniform scale set instance: ".../virtualMachineScaleSets/{vmss}/virtualMachines/{id}".
    if (parts.size() == 11 && parts[0].isEmpty() && is(parts[1], "subscriptions"_L1)
        && is(parts[3], "resourceGroups"_L1) && is(parts[5], "providers"_L1)
        && is(parts[6], "Microsoft.Compute"_L1) && is(parts[7], "virtualMachineScaleSets"_L1)
        && is(parts[9], "virtualMachines"_L1)) {
        auto id =
            azureFromParts(parts[2].toString(), parts[4].toString(), parts[8].toString(), error);
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
                 u"virtualMachineScaleSets/<scale set>/virtualMachines/<instance id>), for "
                 u"Google Cloud projects/<project>/zones/<zone>/instances/<name>, or for AWS "
                 u"arn:aws:ec2:<region>:<account>:instance/<instance id>"_s;
        return std::nullopt;
    }
    return azureFromParts(parts[2].toString(), parts[4].toString(), parts[8].toString(), error);
}

// ---- Google Cloud: projects/{project}/zones/{zone}/instances/{name} (docs/GCP-PROTOCOL.md §2)

std::optional<VmResourceId> gcpFromParts(const QString &projectId, const QString &zone,
                                         const QString &name, QString *error)
{
    QString problem = protocol::checkGcpProjectId(projectId);
    if (!problem.isEmpty()) {
        *error = u"project id: "_s + problem;
        return std::nullopt;
    }
    problem = protocol::checkGcpZone(zone);
    if (!problem.isEmpty()) {
        *error = u"zone: "_s + problem;
        return std::nullopt;
    }
    problem = protocol::checkGcpInstanceName(name);
    if (!problem.isEmpty()) {
        *error = u"instance name: "_s + problem;
        return std::nullopt;
    }
    VmResourceId id;
    id.cloud = Cloud::Gcp;
    id.projectId = projectId;
    id.zone = zone;
    id.name = name;
    return id;
}

std::optional<VmResourceId> gcpParse(QStringView text, QString *error)
{
    const QList<QStringView> parts = text.split(u'/');
    if (parts.size() != 6 || !is(parts[0], "projects"_L1) || !is(parts[2], "zones"_L1)
        || !is(parts[4], "instances"_L1)) {
        *error = u"not a Google Cloud instance id: expected "
                 "projects/<project>/zones/<zone>/instances/<name>"_s;
        return std::nullopt;
    }
    return gcpFromParts(parts[1].toString(), parts[3].toString(), parts[5].toString(), error);
}

// ---- AWS: arn:{partition}:ec2:{region}:{account}:instance/{instance id}
// (docs/AWS-PROTOCOL.md §4)

std::optional<VmResourceId> awsFromParts(const QString &scope, const QString &group,
                                         const QString &instanceId, QString *error)
{
    // The scope as VmRecord::subscriptionId holds it, "arn:<partition>:ec2:<region>:<account>"
    // (the group then empty or the region), or the account id with the region as the group.
    QString accountId = scope;
    QString region = group;
    if (scope.startsWith("arn:"_L1, Qt::CaseInsensitive)) {
        const QList<QStringView> parts = QStringView(scope).split(u':');
        if (parts.size() != 5 || !is(parts[2], "ec2"_L1)
            || (!group.isEmpty() && group.compare(parts[3], Qt::CaseInsensitive) != 0)) {
            *error = u"not an AWS scope: expected arn:aws:ec2:<region>:<account>"_s;
            return std::nullopt;
        }
        region = parts[3].toString().toLower();
        accountId = parts[4].toString();
    }
    QString problem = protocol::checkAwsAccountId(accountId);
    if (!problem.isEmpty()) {
        *error = u"account id: "_s + problem;
        return std::nullopt;
    }
    problem = protocol::checkAwsRegion(region);
    if (!problem.isEmpty()) {
        *error = u"region: "_s + problem;
        return std::nullopt;
    }
    problem = protocol::checkAwsInstanceId(instanceId);
    if (!problem.isEmpty()) {
        *error = u"instance id: "_s + problem;
        return std::nullopt;
    }
    VmResourceId id;
    id.cloud = Cloud::Aws;
    id.accountId = accountId;
    id.region = region;
    id.name = instanceId;
    return id;
}

std::optional<VmResourceId> awsParse(QStringView text, QString *error)
{
    // arn, partition, service, region, account, resource ("instance/i-...")
    const QList<QStringView> parts = text.split(u':');
    if (parts.size() != 6 || !is(parts[0], "arn"_L1) || !is(parts[2], "ec2"_L1)
        || !parts[5].startsWith(u"instance/", Qt::CaseInsensitive)) {
        *error = u"not an EC2 instance ARN: expected "
                 "arn:aws:ec2:<region>:<account>:instance/<instance id>"_s;
        return std::nullopt;
    }
    // The ARN's parts are lower case as AWS writes them; the store files ids lower-cased.
    const QString region = parts[3].toString().toLower();
    auto id =
        awsFromParts(parts[4].toString(), region, parts[5].sliced(9).toString().toLower(), error);
    const QString partition = protocol::awsPartitionOfRegion(region);
    if (id && parts[1].compare(partition, Qt::CaseInsensitive) != 0) {
        *error = u"partition: "_s + parts[1].toString() + u" is not the partition of "_s + region
            + u" ("_s + partition + u')';
        return std::nullopt;
    }
    return id;
}

// One row per cloud: everything cloud-specific about a VM's id.
struct IdForm
{
    Cloud cloud;
    std::optional<VmResourceId> (*parse)(QStringView, QString *);
    std::optional<VmResourceId> (*fromParts)(const QString &, const QString &, const QString &,
                                             QString *);
};

constexpr IdForm kForms[] = {
    {Cloud::Azure, azureParse, azureFromParts},
    {Cloud::Gcp, gcpParse, gcpFromParts},
    {Cloud::Aws, awsParse, awsFromParts},
};

const IdForm &formOf(Cloud cloud)
{
    for (const IdForm &form : kForms) {
        if (form.cloud == cloud)
            return form;
    }
    return kForms[0];
}

} // namespace

QString VmResourceId::scope() const
{
    switch (cloud) {
    case Cloud::Gcp:
        return projectId;
    case Cloud::Aws: // one Region of one account: "arn:aws:ec2:<region>:<account>"
        return u"arn:"_s + protocol::awsPartitionOfRegion(region) + u":ec2:"_s + region + u':'
            + accountId;
    case Cloud::Azure:
        break;
    }
    return subscriptionId;
}

QString VmResourceId::resourceId() const
{
    if (cloud == Cloud::Aws)
        return protocol::awsInstanceArn(region, accountId, name);
    if (cloud == Cloud::Gcp)
        return u"projects/"_s + projectId + u"/zones/"_s + zone + u"/instances/"_s + name;
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

void VmResourceId::fillRecord(VmRecord *vm) const
{
    vm->resourceKey = resourceKey();
    vm->resourceId = resourceId();
    vm->subscriptionId = scope();
    vm->resourceGroup = resourceGroup;
    vm->name = name;
    if (cloud == Cloud::Aws)
        vm->location = region;
}

std::optional<VmResourceId> VmResourceId::fromParts(const QString &scope, const QString &group,
                                                    const QString &name, QString *error)
{
    // Neither a GUID nor a project id: Azure's error, the older and commoner form.
    return formOf(cloudOfScope(scope)).fromParts(scope, group, name, error);
}

std::optional<VmResourceId> VmResourceId::parse(QStringView text, QString *error)
{
    return formOf(cloudOfResourceId(text)).parse(text, error);
}

} // namespace spotkeeper::core
