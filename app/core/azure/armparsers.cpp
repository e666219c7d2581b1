// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armparsers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::armparsers {

namespace {

std::optional<QJsonObject> objectOf(const QByteArray &body, const QString &what, QString *error)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = u"%1 is not a JSON object (%2)"_s.arg(
                what,
                parseError.error == QJsonParseError::NoError ? u"wrong type"_s
                                                             : parseError.errorString());
        return std::nullopt;
    }
    return doc.object();
}

// An ARM list page: {"value": [...], "nextLink": "..."}; nullopt with *error when the body
// is not an object or has no value array.
std::optional<QJsonObject> listPageOf(const QByteArray &body, const QString &what, QString *error)
{
    auto obj = objectOf(body, what, error);
    if (obj && !obj->value("value"_L1).isArray()) {
        if (error)
            *error = u"%1 has no value[] array"_s.arg(what);
        return std::nullopt;
    }
    return obj;
}

QUrl nextLinkOf(const QJsonObject &obj)
{
    const QString link = obj.value("nextLink"_L1).toString();
    return link.isEmpty() ? QUrl() : QUrl(link);
}

// A list page's items (each value[] entry through itemOf; nullopt: left out) and its nextLink.
template<class Page, class Item, class ItemOf>
std::optional<Page> parseListPage(const QByteArray &body, const QString &what, QString *error,
                                  QList<Item> Page::*items, ItemOf itemOf)
{
    const auto obj = listPageOf(body, what, error);
    if (!obj)
        return std::nullopt;
    Page page;
    const QJsonArray values = obj->value("value"_L1).toArray();
    (page.*items).reserve(values.size());
    for (const QJsonValue &value : values) {
        if (std::optional<Item> item = itemOf(value))
            (page.*items).append(std::move(*item));
    }
    page.nextLink = nextLinkOf(*obj);
    return page;
}

std::optional<ScaleSetInfo> scaleSetFrom(const QJsonValue &value)
{
    const QJsonObject item = value.toObject();
    ScaleSetInfo set;
    set.resourceId = item.value("id"_L1).toString();
    if (set.resourceId.isEmpty())
        return std::nullopt;
    set.name = item.value("name"_L1).toString();
    set.location = item.value("location"_L1).toString();
    set.size = item.value("sku"_L1).toObject().value("name"_L1).toString();
    const QJsonObject tags = item.value("tags"_L1).toObject();
    for (auto it = tags.constBegin(); it != tags.constEnd(); ++it)
        set.tags.insert(it.key(), it.value().toString());
    const QJsonObject props = item.value("properties"_L1).toObject();
    set.orchestrationMode = props.value("orchestrationMode"_L1).toString();
    const QJsonObject profile = props.value("virtualMachineProfile"_L1).toObject();
    set.priority = profile.value("priority"_L1).toString();
    set.evictionPolicy = profile.value("evictionPolicy"_L1).toString();
    const QJsonObject restore = props.value("spotRestorePolicy"_L1).toObject();
    set.spotRestoreEnabled = restore.value("enabled"_L1).toBool();
    set.spotRestoreTimeout = restore.value("restoreTimeout"_L1).toString();
    return set;
}

VmRecord vmFrom(const QJsonObject &item)
{
    VmRecord vm;
    vm.resourceId = item.value("id"_L1).toString();
    vm.resourceKey = vm.resourceId.toLower();
    if (const auto parts = parseVmResourceId(vm.resourceId)) {
        vm.subscriptionId = parts->subscriptionId;
        vm.resourceGroup = parts->resourceGroup;
        vm.name = parts->name;
    }
    if (vm.name.isEmpty())
        vm.name = item.value("name"_L1).toString();
    vm.location = item.value("location"_L1).toString();
    const QJsonArray zones = item.value("zones"_L1).toArray();
    if (!zones.isEmpty())
        vm.zone = zones.first().toString();
    const QJsonObject tags = item.value("tags"_L1).toObject();
    for (auto it = tags.constBegin(); it != tags.constEnd(); ++it)
        vm.tags.insert(it.key(), it.value().toString());
    const QJsonObject props = item.value("properties"_L1).toObject();
    vm.vmId = props.value("vmId"_L1).toString();
    vm.size = props.value("hardwareProfile"_L1).toObject().value("vmSize"_L1).toString();
    if (vm.size.isEmpty()) // a uniform scale set instance names its size in sku
        vm.size = item.value("sku"_L1).toObject().value("name"_L1).toString();
    vm.priority = props.value("priority"_L1).toString();
    vm.evictionPolicy = props.value("evictionPolicy"_L1).toString();
    const QJsonObject view = props.value("instanceView"_L1).toObject();
    vm.powerState = powerStateFromStatuses(view.value("statuses"_L1).toArray());
    return vm;
}

} // namespace

QString ResourceIdParts::scaleSetId() const
{
    if (scaleSet.isEmpty())
        return {};
    return u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/"
           "virtualMachineScaleSets/%3"_s.arg(subscriptionId, resourceGroup, scaleSet);
}

std::optional<ResourceIdParts> parseVmResourceId(const QString &resourceId)
{
    const QStringList parts = resourceId.split(u'/', Qt::SkipEmptyParts);
    // subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/ then
    // virtualMachines/{vm} or virtualMachineScaleSets/{ss}/virtualMachines/{instanceId}
    if (parts.size() != 8 && parts.size() != 10)
        return std::nullopt;
    const auto is = [&](int i, QStringView word) {
        return parts.at(i).compare(word, Qt::CaseInsensitive) == 0;
    };
    if (!is(0, u"subscriptions") || !is(2, u"resourceGroups") || !is(4, u"providers")
        || !is(5, u"Microsoft.Compute"))
        return std::nullopt;
    if (parts.size() == 8) {
        if (!is(6, u"virtualMachines"))
            return std::nullopt;
        return ResourceIdParts {parts.at(1), parts.at(3), parts.at(7), {}, {}};
    }
    if (!is(6, u"virtualMachineScaleSets") || !is(8, u"virtualMachines"))
        return std::nullopt;
    const QString &instance = parts.at(9);
    const bool digits = !instance.isEmpty() && instance.size() <= 10
        && std::all_of(instance.cbegin(), instance.cend(),
                       [](QChar c) { return c >= u'0' && c <= u'9'; });
    if (!digits)
        return std::nullopt; // a Flexible VM is addressed as .../virtualMachines/{name}
    // ARM names a uniform instance "{scaleSet}_{instanceId}" (IMDS compute.name says the same).
    return ResourceIdParts {parts.at(1), parts.at(3), parts.at(7) + u'_' + instance, parts.at(7),
                            instance};
}

QString subscriptionOf(const QString &pathOrUrl)
{
    const QString path = pathOrUrl.startsWith(u'/') ? pathOrUrl : QUrl(pathOrUrl).path();
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        if (parts.at(i).compare("subscriptions"_L1, Qt::CaseInsensitive) == 0)
            return parts.at(i + 1).toLower();
    }
    return {};
}

PowerState powerStateFromStatuses(const QJsonArray &statuses)
{
    for (const QJsonValue &status : statuses) {
        const QString code = status.toObject().value("code"_L1).toString();
        if (code.startsWith("PowerState/"_L1, Qt::CaseInsensitive))
            return powerStateFromString(code);
    }
    return PowerState::Unknown;
}

std::optional<PowerState> parseInstanceView(const QByteArray &body, QString *error)
{
    const auto obj = objectOf(body, u"instance view"_s, error);
    if (!obj)
        return std::nullopt;
    return powerStateFromStatuses(obj->value("statuses"_L1).toArray());
}

std::optional<VmSettingsResult> parseVmSettings(const QByteArray &body, QString *error)
{
    const auto obj = objectOf(body, u"virtual machine"_s, error);
    if (!obj)
        return std::nullopt;
    const QJsonObject properties = obj->value("properties"_L1).toObject();
    VmSettingsResult result;
    result.size = properties.value("hardwareProfile"_L1).toObject().value("vmSize"_L1).toString();
    if (result.size.isEmpty()) {
        *error = u"the virtual machine has no properties.hardwareProfile.vmSize"_s;
        return std::nullopt;
    }
    const QJsonValue price = properties.value("billingProfile"_L1).toObject().value("maxPrice"_L1);
    if (price.isDouble())
        result.maxPrice = price.toDouble();
    return result;
}

std::optional<QStringList> parseVmSizes(const QByteArray &body, QString *error)
{
    const auto obj = objectOf(body, u"VM size list"_s, error);
    if (!obj)
        return std::nullopt;
    if (!obj->value("value"_L1).isArray()) {
        *error = u"the VM size list has no value array"_s;
        return std::nullopt;
    }
    QStringList sizes;
    for (const QJsonValue &entry : obj->value("value"_L1).toArray()) {
        const QString name = entry.toObject().value("name"_L1).toString();
        if (!name.isEmpty())
            sizes.append(name);
    }
    return sizes;
}

QByteArray vmSettingsPatch(const VmSettingsChange &change)
{
    QJsonObject properties;
    if (!change.size.isEmpty())
        properties.insert(u"hardwareProfile"_s, QJsonObject {{u"vmSize"_s, change.size}});
    if (change.maxPrice)
        properties.insert(u"billingProfile"_s, QJsonObject {{u"maxPrice"_s, *change.maxPrice}});
    return QJsonDocument(QJsonObject {{u"properties"_s, properties}})
        .toJson(QJsonDocument::Compact);
}

std::optional<VmListPage> parseVmListPage(const QByteArray &body, QString *error)
{
    return parseListPage(body, u"VM list page"_s, error, &VmListPage::vms,
                         [](const QJsonValue &value) -> std::optional<VmRecord> {
                             if (!value.isObject())
                                 return std::nullopt;
                             return vmFrom(value.toObject());
                         });
}

bool ScaleSetInfo::isUniform() const
{
    return orchestrationMode.isEmpty()
        || orchestrationMode.compare("Uniform"_L1, Qt::CaseInsensitive) == 0;
}

std::optional<ScaleSetListPage> parseScaleSetListPage(const QByteArray &body, QString *error)
{
    return parseListPage(body, u"scale set list page"_s, error, &ScaleSetListPage::scaleSets,
                         scaleSetFrom);
}

std::optional<OperationStatus> parseOperationStatus(const QByteArray &body, QString *error)
{
    const auto obj = objectOf(body, u"async operation status"_s, error);
    if (!obj)
        return std::nullopt;
    const QString status = obj->value("status"_L1).toString();
    OperationStatus result;
    if (status.compare("Succeeded"_L1, Qt::CaseInsensitive) == 0) {
        result.state = OperationStatus::State::Succeeded;
    } else if (status.compare("Failed"_L1, Qt::CaseInsensitive) == 0) {
        result.state = OperationStatus::State::Failed;
    } else if (status.compare("Canceled"_L1, Qt::CaseInsensitive) == 0
               || status.compare("Cancelled"_L1, Qt::CaseInsensitive) == 0) {
        result.state = OperationStatus::State::Canceled;
    } else if (status.isEmpty()) {
        if (error)
            *error = u"async operation status has no status field"_s;
        return std::nullopt;
    } // InProgress and any other non-terminal state (Accepted, Running, ...)
    if (obj->value("error"_L1).isObject())
        result.error = armerror::parseErrorObject(obj->value("error"_L1).toObject());
    return result;
}

namespace {

EvidenceKind classifyOperation(const QString &operation)
{
    static const QLatin1StringView evictions[] = {"/evictSpotVM/action"_L1,
                                                  "/simulateEviction/action"_L1};
    static const QLatin1StringView deliberate[] = {"/deallocate/action"_L1, "/powerOff/action"_L1,
                                                   "/virtualMachines/delete"_L1};
    // A VM, or one VM of a uniform scale set (...ScaleSets/virtualMachines/..., the instance's
    // own resource id): the scale set's own operations name no instance.
    if (!operation.startsWith("Microsoft.Compute/virtualMachines/"_L1, Qt::CaseInsensitive)
        && !operation.startsWith("Microsoft.Compute/virtualMachineScaleSets/virtualMachines/"_L1,
                                 Qt::CaseInsensitive))
        return EvidenceKind::None;
    for (QLatin1StringView suffix : evictions) {
        if (operation.endsWith(suffix, Qt::CaseInsensitive))
            return EvidenceKind::Eviction;
    }
    for (QLatin1StringView suffix : deliberate) {
        if (operation.endsWith(suffix, Qt::CaseInsensitive))
            return EvidenceKind::Deliberate;
    }
    return EvidenceKind::None;
}

} // namespace

void keepLatest(EvidenceResult &best, const EvidenceResult &candidate)
{
    if (candidate.kind == EvidenceKind::None)
        return;
    // Started, Accepted and Succeeded entries of one operation: the latest one wins, and
    // of two operations the later (an eviction after a user's start, ...).
    if (best.kind != EvidenceKind::None && candidate.at.isValid() && best.at.isValid()
        && candidate.at < best.at)
        return;
    const CallResult call = best.call;
    best = candidate;
    best.call = call;
}

std::optional<ActivityLogPage> parseActivityLogPage(const QByteArray &body, QString *error)
{
    const auto obj = objectOf(body, u"activity log page"_s, error);
    if (!obj)
        return std::nullopt;
    ActivityLogPage page;
    page.nextLink = nextLinkOf(*obj);
    const QJsonArray items = obj->value("value"_L1).toArray();
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        const QString operation =
            item.value("operationName"_L1).toObject().value("value"_L1).toString();
        const EvidenceKind kind = classifyOperation(operation);
        if (kind == EvidenceKind::None)
            continue;
        const QString status = item.value("status"_L1).toObject().value("value"_L1).toString();
        if (status.compare("Failed"_L1, Qt::CaseInsensitive) == 0)
            continue; // a refused deallocate or eviction changed nothing
        const QString timestamp = item.value("eventTimestamp"_L1).toString();
        EvidenceResult entry;
        entry.kind = kind;
        entry.operation = operation;
        entry.caller = item.value("caller"_L1).toString().left(256);
        entry.at = QDateTime::fromString(timestamp, Qt::ISODateWithMs).toUTC();
        entry.evidence = u"%1 %2 at %3 (operationId %4)"_s.arg(
            operation, status, timestamp, item.value("operationId"_L1).toString());
        keepLatest(page.decisive, entry);
        const QString resource = item.value("resourceId"_L1).toString().toLower();
        if (!resource.isEmpty())
            keepLatest(page.byResource[resource], entry);
    }
    return page;
}

} // namespace spotkeeper::core::armparsers
