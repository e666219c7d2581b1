// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/cloud.h"

#include "protocol/awsnames.h"
#include "protocol/gcpnames.h"

namespace spotkeeper::core {

Cloud cloudOfResourceId(QStringView resourceId)
{
    if (resourceId.startsWith(QLatin1StringView("arn:"), Qt::CaseInsensitive))
        return Cloud::Aws;
    return resourceId.startsWith(QLatin1StringView("projects/"), Qt::CaseInsensitive)
        ? Cloud::Gcp
        : Cloud::Azure;
}

Cloud cloudOfScope(QStringView scope)
{
    // "arn:aws:ec2:<region>:<account>" (what AWS VMs carry), or an account id (12 digits).
    if (scope.startsWith(QLatin1StringView("arn:"), Qt::CaseInsensitive)
        || protocol::checkAwsAccountId(scope).isEmpty())
        return Cloud::Aws;
    return protocol::checkGcpProjectId(scope).isEmpty() ? Cloud::Gcp : Cloud::Azure;
}

} // namespace spotkeeper::core
