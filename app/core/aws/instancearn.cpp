// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/instancearn.h"

#include <algorithm>

namespace spotkeeper::core::aws {

using namespace Qt::StringLiterals;

namespace {

bool isLowerHex(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
}

bool isPartition(QStringView partition)
{
    return partition == u"aws" || partition == u"aws-cn" || partition == u"aws-us-gov";
}

} // namespace

bool isInstanceId(QStringView id)
{
    return id.startsWith(u"i-") && (id.size() == 10 || id.size() == 19) && isLowerHex(id.sliced(2));
}

bool isRegionName(QStringView region)
{
    if (region.size() < 9 || region.size() > 25)
        return false;
    const auto parts = region.split(u'-');
    if (parts.size() < 3)
        return false;
    for (QStringView part : parts) {
        if (part.isEmpty() || !std::all_of(part.begin(), part.end(), [](QChar c) {
                return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
            }))
            return false;
    }
    return parts.last().front().isDigit();
}

bool isAccountId(QStringView account)
{
    return account.size() == 12
        && std::all_of(account.begin(), account.end(), [](QChar c) { return c.isDigit(); });
}

QString InstanceArn::arn() const
{
    return scope() + u":instance/"_s + instanceId;
}

QString InstanceArn::scope() const
{
    return u"arn:%1:ec2:%2:%3"_s.arg(partition, region, accountId);
}

std::optional<InstanceArn> InstanceArn::parseScope(QStringView scope, QString *error)
{
    const auto parts = scope.split(u':');
    if (parts.size() != 5 || parts[0] != u"arn" || parts[2] != u"ec2") {
        *error = u"not an EC2 ARN prefix arn:aws:ec2:<region>:<account>"_s;
        return std::nullopt;
    }
    InstanceArn arn;
    arn.partition = parts[1].toString();
    arn.region = parts[3].toString();
    arn.accountId = parts[4].toString();
    if (!isPartition(arn.partition)) {
        *error = u"unknown AWS partition \"%1\""_s.arg(arn.partition.left(20));
        return std::nullopt;
    }
    if (!isRegionName(arn.region)) {
        *error = u"not an AWS region name: \"%1\""_s.arg(arn.region.left(30));
        return std::nullopt;
    }
    if (!isAccountId(arn.accountId)) {
        *error = u"an AWS account id has 12 digits, not \"%1\""_s.arg(arn.accountId.left(30));
        return std::nullopt;
    }
    return arn;
}

std::optional<InstanceArn> InstanceArn::parse(QStringView text, QString *error)
{
    const qsizetype resource = text.lastIndexOf(u':');
    if (resource < 0 || !text.sliced(resource + 1).startsWith(u"instance/")) {
        *error = u"not an EC2 instance ARN arn:aws:ec2:<region>:<account>:instance/<id>"_s;
        return std::nullopt;
    }
    auto arn = parseScope(text.first(resource), error);
    if (!arn)
        return std::nullopt;
    arn->instanceId = text.sliced(resource + 1 + 9).toString();
    if (!isInstanceId(arn->instanceId)) {
        *error = u"not an EC2 instance id (i- and 8 or 17 hex digits): \"%1\""_s.arg(
            arn->instanceId.left(30));
        return std::nullopt;
    }
    return arn;
}

PowerState powerStateOf(Ec2InstanceState state)
{
    switch (state) {
    case Ec2InstanceState::Pending:
        return PowerState::Starting;
    case Ec2InstanceState::Running:
        return PowerState::Running;
    case Ec2InstanceState::Stopping:
    case Ec2InstanceState::ShuttingDown:
        return PowerState::Deallocating; // compute released, as Azure's deallocate
    case Ec2InstanceState::Stopped:
        return PowerState::Deallocated; // a stopped instance is not billed for compute
    case Ec2InstanceState::Terminated:
        return PowerState::Deleted;
    case Ec2InstanceState::Unknown:
        break;
    }
    return PowerState::Unknown;
}

VmRecord toVmRecord(const Ec2Instance &instance, const QString &region, const QString &partition)
{
    InstanceArn arn;
    arn.partition = partition;
    arn.region = region;
    arn.accountId = instance.ownerId;
    arn.instanceId = instance.instanceId;
    VmRecord vm;
    vm.resourceId = arn.arn();
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = arn.scope();
    const QString nameTag = instance.tag(u"Name"_s);
    vm.name = nameTag.isEmpty() ? instance.instanceId : nameTag;
    vm.vmId = instance.instanceId;
    vm.location = region;
    vm.zone = instance.availabilityZone;
    vm.size = instance.instanceType;
    vm.priority = instance.isSpot() ? u"Spot"_s : u"OnDemand"_s;
    for (const auto &[key, value] : instance.tags)
        vm.tags.insert(key, value);
    vm.powerState = powerStateOf(instance.state);
    return vm;
}

} // namespace spotkeeper::core::aws
