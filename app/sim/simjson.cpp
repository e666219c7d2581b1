// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim::simjson {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-ddTHH:mm:ss.zzz0000"_s)
        + u"+00:00"_s;
}

QString rfc1123(qint64 ms)
{
    return QLocale::c().toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC),
                                 u"ddd, dd MMM yyyy HH:mm:ss"_s)
        + u" GMT"_s;
}

namespace {

QJsonObject status(const QString &code, const QString &display, qint64 atMs)
{
    QJsonObject s {{u"code"_s, code}, {u"level"_s, u"Info"_s}, {u"displayStatus"_s, display}};
    if (atMs > 0)
        s.insert(u"time"_s, isoTime(atMs));
    return s;
}

QString powerDisplay(Power power)
{
    // Azure's display status is "VM " and the code; a VM being deleted stays "VM deleting".
    return u"VM "_s + powerCode(power == Power::Deleted ? Power::Deleting : power);
}

QString provisioning(const SimVm &vm)
{
    if (vm.power == Power::Starting)
        return u"updating"_s;
    if (vm.power == Power::Deleting || vm.power == Power::Deleted)
        return u"deleting"_s;
    return u"succeeded"_s;
}

QJsonObject tagsJson(const QMap<QString, QString> &map)
{
    QJsonObject tags;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        tags.insert(it.key(), it.value());
    return tags;
}

QJsonArray statuses(const SimVm &vm)
{
    const QString prov = provisioning(vm);
    QString provDisplay = prov;
    provDisplay[0] = provDisplay[0].toUpper();
    const Power power = vm.power == Power::Deleted ? Power::Deleting : vm.power;
    return QJsonArray {
        status(u"ProvisioningState/"_s + prov, u"Provisioning "_s + prov, vm.powerSinceMs),
        status(u"PowerState/"_s + powerCode(power), powerDisplay(power), 0)};
}

// What a VM and a scale set instance share: name, id, type, location, tags, properties (with
// the instance view when asked) and zones.
QJsonObject vmEnvelope(const SimVm &vm, const QString &type, QJsonObject props,
                       bool withInstanceView, qint64 nowMs)
{
    if (withInstanceView)
        props.insert(u"instanceView"_s, instanceView(vm, nowMs));
    QJsonObject body {
        {u"name"_s, vm.name},         {u"id"_s, vm.resourceId()},     {u"type"_s, type},
        {u"location"_s, vm.location}, {u"tags"_s, tagsJson(vm.tags)}, {u"properties"_s, props},
    };
    if (!vm.zone.isEmpty())
        body.insert(u"zones"_s, QJsonArray {vm.zone});
    return body;
}

} // namespace

QJsonObject instanceView(const SimVm &vm, qint64 nowMs)
{
    Q_UNUSED(nowMs)
    QJsonObject view {{u"platformUpdateDomain"_s, 0},
                      {u"platformFaultDomain"_s, 0},
                      {u"hyperVGeneration"_s, u"V2"_s},
                      {u"statuses"_s, statuses(vm)}};
    if (vm.power == Power::Running) { // a deallocated VM's view drops the agent and names
        view.insert(u"computerName"_s, vm.name);
        view.insert(u"osName"_s, u"ubuntu"_s);
        view.insert(u"osVersion"_s, u"22.04"_s);
        view.insert(u"vmAgent"_s,
                    QJsonObject {{u"vmAgentVersion"_s, u"2.9.1.1"_s},
                                 {u"statuses"_s,
                                  QJsonArray {status(u"ProvisioningState/succeeded"_s, u"Ready"_s,
                                                     vm.powerSinceMs)}}});
    }
    return view;
}

QJsonObject vmBody(const SimVm &vm, bool withInstanceView, qint64 nowMs)
{
    QJsonObject props {
        {u"vmId"_s, vm.vmId},
        {u"hardwareProfile"_s, QJsonObject {{u"vmSize"_s, vm.size}}},
        {u"priority"_s, vm.priority},
        {u"evictionPolicy"_s, vm.evictionPolicy},
        {u"billingProfile"_s, QJsonObject {{u"maxPrice"_s, vm.maxPrice}}},
        {u"provisioningState"_s, vm.power == Power::Starting ? u"Updating"_s : u"Succeeded"_s},
        {u"storageProfile"_s,
         QJsonObject {{u"osDisk"_s,
                       QJsonObject {{u"osType"_s, u"Linux"_s},
                                    {u"name"_s, QString(vm.name + u"_OsDisk"_s)},
                                    {u"deleteOption"_s, u"Delete"_s}}}}},
    };
    return vmEnvelope(vm, u"Microsoft.Compute/virtualMachines"_s, props, withInstanceView, nowMs);
}

QJsonObject vmStatusOnly(const SimVm &vm, qint64 nowMs)
{
    Q_UNUSED(nowMs)
    return QJsonObject {
        {u"name"_s, vm.name},
        {u"id"_s, vm.resourceId()},
        {u"type"_s, u"Microsoft.Compute/virtualMachines"_s},
        {u"location"_s, vm.location},
        {u"properties"_s,
         QJsonObject {{u"instanceView"_s, QJsonObject {{u"statuses"_s, statuses(vm)}}}}}};
}

QJsonObject scaleSetBody(const SimScaleSet &set, int capacity)
{
    const QJsonObject tags = tagsJson(set.tags);
    QJsonObject props {
        {u"orchestrationMode"_s, set.orchestrationMode},
        {u"provisioningState"_s, u"Succeeded"_s},
        {u"upgradePolicy"_s, QJsonObject {{u"mode"_s, u"Manual"_s}}},
        {u"spotRestorePolicy"_s,
         QJsonObject {{u"enabled"_s, set.spotRestore}, {u"restoreTimeout"_s, u"PT1H"_s}}},
        {u"virtualMachineProfile"_s,
         QJsonObject {{u"priority"_s, set.priority},
                      {u"evictionPolicy"_s, set.evictionPolicy},
                      {u"billingProfile"_s, QJsonObject {{u"maxPrice"_s, -1}}}}},
    };
    return QJsonObject {
        {u"name"_s, set.name},
        {u"id"_s, set.resourceId()},
        {u"type"_s, u"Microsoft.Compute/virtualMachineScaleSets"_s},
        {u"location"_s, set.location},
        {u"tags"_s, tags},
        {u"sku"_s,
         QJsonObject {
             {u"name"_s, set.size}, {u"tier"_s, u"Standard"_s}, {u"capacity"_s, capacity}}},
        {u"properties"_s, props},
    };
}

QJsonObject instanceBody(const SimVm &vm, bool withInstanceView, qint64 nowMs)
{
    QJsonObject props {
        {u"latestModelApplied"_s, true},
        {u"vmId"_s, vm.vmId},
        {u"provisioningState"_s, vm.power == Power::Starting ? u"Updating"_s : u"Succeeded"_s},
    };
    QJsonObject body =
        vmEnvelope(vm, u"Microsoft.Compute/virtualMachineScaleSets/virtualMachines"_s, props,
                   withInstanceView, nowMs);
    body.insert(u"instanceId"_s, vm.instanceId);
    body.insert(u"sku"_s, QJsonObject {{u"name"_s, vm.size}, {u"tier"_s, u"Standard"_s}});
    return body;
}

QJsonObject operationStatus(const SimOperation &op)
{
    QJsonObject body {
        {u"startTime"_s, isoTime(op.startMs)}, {u"status"_s, op.status}, {u"name"_s, op.id}};
    if (op.status != "InProgress"_L1)
        body.insert(u"endTime"_s, isoTime(op.doneAtMs));
    if (op.status == "Failed"_L1)
        body.insert(u"error"_s,
                    QJsonObject {{u"code"_s, op.failCode}, {u"message"_s, op.failMessage}});
    return body;
}

QJsonObject activityEntry(const ActivityEntry &entry, const QString &subscriptionId)
{
    const QString localized = entry.operationName.endsWith("evictSpotVM/action"_L1)
        ? u"Evict Spot Virtual Machine"_s
        : entry.operationName.endsWith("deallocate/action"_L1) ? u"Deallocate Virtual Machine"_s
        : entry.operationName.endsWith("powerOff/action"_L1)   ? u"Power Off Virtual Machine"_s
                                                               : u"Start Virtual Machine"_s;
    const QStringList idParts = entry.resourceId.split(u'/', Qt::SkipEmptyParts);
    return QJsonObject {
        {u"authorization"_s,
         QJsonObject {{u"action"_s, entry.operationName}, {u"scope"_s, entry.resourceId}}},
        {u"caller"_s, entry.caller},
        {u"category"_s,
         QJsonObject {{u"value"_s, u"Administrative"_s},
                      {u"localizedValue"_s, u"Administrative"_s}}},
        {u"correlationId"_s, entry.operationId},
        {u"eventTimestamp"_s, isoTime(entry.atMs)},
        {u"submissionTimestamp"_s, isoTime(entry.atMs + 15'000)},
        {u"level"_s, u"Informational"_s},
        {u"operationId"_s, entry.operationId},
        {u"operationName"_s,
         QJsonObject {{u"value"_s, entry.operationName}, {u"localizedValue"_s, localized}}},
        {u"resourceId"_s, entry.resourceId},
        {u"resourceGroupName"_s, idParts.value(3)},
        {u"resourceProviderName"_s,
         QJsonObject {{u"value"_s, idParts.value(5)}, {u"localizedValue"_s, idParts.value(5)}}},
        {u"status"_s,
         QJsonObject {{u"value"_s, entry.status}, {u"localizedValue"_s, entry.status}}},
        {u"subscriptionId"_s, subscriptionId},
    };
}

QJsonObject imdsInstance(const SimVm &vm)
{
    QStringList tagText;
    for (auto it = vm.tags.cbegin(); it != vm.tags.cend(); ++it)
        tagText << it.key() + u':' + it.value();
    const QJsonObject compute {
        {u"azEnvironment"_s, u"AzurePublicCloud"_s},
        {u"evictionPolicy"_s, vm.evictionPolicy},
        {u"location"_s, vm.location},
        {u"name"_s, vm.name},
        {u"osType"_s, u"Linux"_s},
        {u"priority"_s, vm.priority},
        {u"resourceGroupName"_s, vm.resourceGroup},
        {u"resourceId"_s, vm.resourceId()},
        {u"subscriptionId"_s, vm.subscriptionId},
        {u"tags"_s, tagText.join(u';')},
        {u"vmId"_s, vm.vmId},
        {u"vmScaleSetName"_s, vm.scaleSet},
        {u"vmSize"_s, vm.size},
        {u"zone"_s, vm.zone},
    };
    return QJsonObject {{u"compute"_s, compute}, {u"network"_s, QJsonObject {}}};
}

QJsonObject scheduledEvents(const SimVm &vm, const std::function<qint64(qint64)> &toWall)
{
    QJsonArray events;
    for (const SimEvent &e : vm.events) {
        events.append(QJsonObject {
            {u"EventId"_s, e.eventId},
            {u"EventStatus"_s, e.status},
            {u"EventType"_s, u"Preempt"_s},
            {u"ResourceType"_s, u"VirtualMachine"_s},
            {u"Resources"_s, QJsonArray {vm.name}},
            {u"NotBefore"_s,
             e.notBeforeMs > 0 ? rfc1123(toWall ? toWall(e.notBeforeMs) : e.notBeforeMs)
                               : QString()},
            {u"Description"_s, u""_s},
            {u"EventSource"_s, u"Platform"_s},
            {u"DurationInSeconds"_s, -1},
        });
    }
    return QJsonObject {{u"DocumentIncarnation"_s, vm.incarnation}, {u"Events"_s, events}};
}

} // namespace spotkeeper::sim::simjson
