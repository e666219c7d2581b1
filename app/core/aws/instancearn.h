// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "aws/ec2parsers.h"
#include "fleet/fleettypes.h"

#include <QString>
#include <QStringView>

#include <optional>

// An EC2 instance's ARN, "arn:<partition>:ec2:<region>:<account>:instance/<instance id>", the
// resource id SpotKeeper files an AWS instance under (docs/AWS.md), and the VmRecord an EC2
// instance becomes. The listing scope of an AWS instance (VmRecord::subscriptionId) is the
// ARN up to the resource, "arn:aws:ec2:<region>:<account>": one region of one account.
namespace spotkeeper::core::aws {

struct InstanceArn
{
    QString partition = QStringLiteral("aws"); // aws, aws-cn, aws-us-gov
    QString region;
    QString accountId;
    QString instanceId;

    QString arn() const;
    QString scope() const; // arn:<partition>:ec2:<region>:<account>
    // error names the part that is wrong (lower-case letters and digits only, i- + hex, ...).
    static std::optional<InstanceArn> parse(QStringView text, QString *error);
    // "arn:aws:ec2:<region>:<account>" back into region and account (instanceId empty).
    static std::optional<InstanceArn> parseScope(QStringView scope, QString *error);
};

bool isInstanceId(QStringView id); // i- and 8 or 17 lowercase hex digits
bool isRegionName(QStringView region); // eu-west-1, us-gov-west-1, ap-southeast-3
bool isAccountId(QStringView account); // 12 digits

// An instance as the fleet files it: resourceId/resourceKey = its ARN, subscriptionId = the
// scope, name = the Name tag (else the instance id), vmId = the instance id, location = the
// region, zone = the Availability Zone, size = the instance type, priority = "Spot" or
// "OnDemand", evictionPolicy = the Spot request's interruption behaviour when known
// ("terminate", "stop", "hibernate"), tags, powerState.
VmRecord toVmRecord(const Ec2Instance &instance, const QString &region,
                    const QString &partition = QStringLiteral("aws"));
PowerState powerStateOf(Ec2InstanceState state);

} // namespace spotkeeper::core::aws
