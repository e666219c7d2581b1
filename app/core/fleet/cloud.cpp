// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/cloud.h"

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
    if (scope.startsWith(QLatin1StringView("arn:"), Qt::CaseInsensitive))
        return Cloud::Aws; // arn:<partition>:ec2:<region>:<account>
    return protocol::checkGcpProjectId(scope).isEmpty() ? Cloud::Gcp : Cloud::Azure;
}

} // namespace spotkeeper::core
