// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace spotkeeper::gui::test {

// Beside a seeded (Azure) fleet: the Google Cloud VM gce-7 (projects/spot-fleet-1/zones/
// europe-west1-b/instances/gce-7) and the AWS instance i-0123456789abcdef0 (its ARN in
// eu-west-1), evicted gcpEvictions and awsEvictions times in the hour before each of the last
// hours, each with one restart job that recovered in two minutes. Returns {gcp id, aws id}.
QList<qint64> seedOtherClouds(core::Store &store, const QDateTime &now, int gcpEvictions,
                              int awsEvictions);
inline const QString kGcpVmId =
    QStringLiteral("projects/spot-fleet-1/zones/europe-west1-b/instances/gce-7");
inline const QString kAwsVmId =
    QStringLiteral("arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0");

} // namespace spotkeeper::gui::test
