// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "armerror.h"
#include "fleettypes.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

// Pure parsers for ARM Compute bodies (AZURE-PROTOCOL.md §4). Power state comes from the
// "PowerState/<x>" code in statuses[], never from displayStatus.
namespace spotkeeper::core::armparsers {

struct ResourceIdParts
{
    QString subscriptionId;
    QString resourceGroup;
    QString name;
};
// "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}"
// (segment names case-insensitive); nullopt if it is not a VM id.
std::optional<ResourceIdParts> parseVmResourceId(const QString &resourceId);
// Subscription id from any ARM path or URL ("/subscriptions/{s}/..."); empty if none.
QString subscriptionOf(const QString &pathOrUrl);

// PowerState from a statuses[] array's codes; Unknown when none is present.
PowerState powerStateFromStatuses(const QJsonArray &statuses);
// Instance view body (GET .../instanceView). nullopt + error for a non-object body.
std::optional<PowerState> parseInstanceView(const QByteArray &body, QString *error);

struct VmListPage
{
    QList<VmRecord> vms;
    QUrl nextLink; // empty when this is the last page
};
// One page of ListAll (statusOnly or full). Fills identity fields from id, plus location,
// zones[0], hardwareProfile.vmSize, priority, evictionPolicy, tags, vmId and the power state
// from properties.instanceView.statuses when present (statusOnly).
std::optional<VmListPage> parseVmListPage(const QByteArray &body, QString *error);

// Async operation status body: {"status":"InProgress|Succeeded|Failed|Canceled", "error"?}.
struct OperationStatus
{
    enum class State { InProgress, Succeeded, Failed, Canceled };
    State state = State::InProgress;
    armerror::ArmError error; // set for Failed/Canceled when the body has one
};
std::optional<OperationStatus> parseOperationStatus(const QByteArray &body, QString *error);

// Activity Log page (Microsoft.Insights eventtypes/management/values): the first entry whose
// operationName is .../evictSpotVM/action and whose status is Succeeded (or any status when
// none succeeded). Returns "<operationName> <status> at <eventTimestamp> (operationId <id>)".
struct ActivityLogPage
{
    QString evidence;
    QUrl nextLink;
};
std::optional<ActivityLogPage> parseActivityLogPage(const QByteArray &body, QString *error);

} // namespace spotkeeper::core::armparsers
