// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// AWS naming rules for the parts of an EC2 instance's identity (docs/AWS-PROTOCOL.md §4) and
// the instance's ARN, the id the dashboard files it under. Each check returns an empty string
// when the value is valid, otherwise the rule it broke in plain words, like the Azure checks
// in azurenames.h and Google's in gcpnames.h.
namespace spotkeeper::protocol {

// An AWS account id: exactly 12 decimal digits.
QString checkAwsAccountId(QStringView value);
// A Region such as "us-east-1", "ap-southeast-2", "us-gov-west-1": lower-case words joined by
// hyphens, the first of two letters, the last a number; at most 32 characters.
QString checkAwsRegion(QStringView value);
// An Availability Zone such as "us-east-1a" or a Local Zone such as "us-west-2-lax-1a":
// 1-64 lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen.
QString checkAwsAvailabilityZone(QStringView value);
// An EC2 instance id: "i-" and 8 or 17 lower-case hexadecimal digits.
QString checkAwsInstanceId(QStringView value);
// An instance type such as "m5.large" or "u-6tb1.metal": 1-64 lower-case letters, digits,
// '.' and '-'.
QString checkAwsInstanceType(QStringView value);
// The instance's lifecycle as the metadata item instance-life-cycle writes it ("spot",
// "on-demand", ...): 1-32 lower-case letters and hyphens.
QString checkAwsLifecycle(QStringView value);

// The fleet's priority for an instance lifecycle: "spot" -> "Spot", "on-demand" ->
// "OnDemand" (as the engine's EC2 listing files them), anything else unchanged.
QString awsFleetPriority(QStringView lifecycle);

// The ARN partition a Region belongs to: "aws-cn" for cn-*, "aws-us-gov" for us-gov-*,
// "aws-iso" / "aws-iso-b" for us-iso-* / us-isob-*, "aws" otherwise.
QString awsPartitionOfRegion(QStringView region);
// "arn:<partition>:ec2:<region>:<account>:instance/<instance id>".
QString awsInstanceArn(const QString &region, const QString &accountId, const QString &instanceId);

} // namespace spotkeeper::protocol
