// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/armerror.h"
#include "fleet/cloudprovider.h"
#include "fleet/fleettypes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
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
    QString name; // the VM name; for a uniform scale set instance "{scaleSet}_{instanceId}"
    QString scaleSet; // set only for a uniform scale set instance
    QString instanceId; // set only for a uniform scale set instance (digits)
    bool isScaleSetInstance() const { return !scaleSet.isEmpty(); }
    // "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/
    // virtualMachineScaleSets/{scaleSet}" for an instance; empty otherwise.
    QString scaleSetId() const;
};
// "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}" or a
// uniform scale set instance ".../virtualMachineScaleSets/{ss}/virtualMachines/{instanceId}"
// (segment names case-insensitive); nullopt if it is neither.
std::optional<ResourceIdParts> parseVmResourceId(const QString &resourceId);
// Subscription id from any ARM path or URL ("/subscriptions/{s}/..."); empty if none.
QString subscriptionOf(const QString &pathOrUrl);

// PowerState from a statuses[] array's codes; Unknown when none is present.
PowerState powerStateFromStatuses(const QJsonArray &statuses);
// Instance view body (GET .../instanceView). nullopt + error for a non-object body.
std::optional<PowerState> parseInstanceView(const QByteArray &body, QString *error);

// GET of a VM: properties.hardwareProfile.vmSize and properties.billingProfile.maxPrice (none
// when the VM has no billing profile). nullopt + error for a body without a size.
std::optional<VmSettingsResult> parseVmSettings(const QByteArray &body, QString *error);
// GET {vm}/vmSizes (Virtual Machines - List Available Sizes): value[].name.
std::optional<QStringList> parseVmSizes(const QByteArray &body, QString *error);
// The PATCH body that changes a VM's size and/or max price (only what change sets).
QByteArray vmSettingsPatch(const VmSettingsChange &change);

struct VmListPage
{
    QList<VmRecord> vms;
    QUrl nextLink; // empty when this is the last page
};
// One page of ListAll (statusOnly or full). Fills identity fields from id, plus location,
// zones[0], hardwareProfile.vmSize, priority, evictionPolicy, tags, vmId and the power state
// from properties.instanceView.statuses when present (statusOnly).
std::optional<VmListPage> parseVmListPage(const QByteArray &body, QString *error);

// One scale set of a ListAll page (GET /subscriptions/{s}/providers/Microsoft.Compute/
// virtualMachineScaleSets). Uniform orchestration (the default when orchestrationMode is
// absent) is what SpotKeeper lists instances of; Flexible instances are ordinary VMs.
struct ScaleSetInfo
{
    QString resourceId;
    QString name;
    QString location;
    QString orchestrationMode; // "Uniform" | "Flexible" (as given; "" = Uniform)
    QString priority; // virtualMachineProfile.priority: "Spot" | "Regular" | ""
    QString evictionPolicy; // virtualMachineProfile.evictionPolicy
    QString size; // sku.name
    QMap<QString, QString> tags;
    bool spotRestoreEnabled = false; // properties.spotRestorePolicy.enabled
    QString spotRestoreTimeout; // properties.spotRestorePolicy.restoreTimeout (ISO 8601)
    bool isUniform() const;
};
struct ScaleSetListPage
{
    QList<ScaleSetInfo> scaleSets;
    QUrl nextLink;
};
std::optional<ScaleSetListPage> parseScaleSetListPage(const QByteArray &body, QString *error);

// Async operation status body: {"status":"InProgress|Succeeded|Failed|Canceled", "error"?}.
struct OperationStatus
{
    enum class State { InProgress, Succeeded, Failed, Canceled };
    State state = State::InProgress;
    armerror::ArmError error; // set for Failed/Canceled when the body has one
};
std::optional<OperationStatus> parseOperationStatus(const QByteArray &body, QString *error);

// Activity Log page (Microsoft.Insights eventtypes/management/values), classified: of the
// entries that change a VM's power on someone's or the platform's behalf — evictSpotVM and
// simulateEviction (an eviction), deallocate, powerOff and delete (deliberate, with caller),
// on a VM or a scale set's VM — whose status is not Failed, the latest by eventTimestamp.
// start and the rest are ignored.
// evidence: "<operationName> <status> at <eventTimestamp> (operationId <id>)".
struct ActivityLogPage
{
    EvidenceResult decisive; // call unused; kind None when the page has no such entry
    // The same, per resource: lower-cased resourceId -> its latest decisive entry (a
    // subscription-wide listing answers many VMs at once).
    QHash<QString, EvidenceResult> byResource;
    QUrl nextLink;
};
// Keeps the later of two decisive entries in `best` (an invalid time never loses to none).
void keepLatest(EvidenceResult &best, const EvidenceResult &candidate);
std::optional<ActivityLogPage> parseActivityLogPage(const QByteArray &body, QString *error);

} // namespace spotkeeper::core::armparsers
