// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/messages.h"

#include "protocol/awsnames.h"
#include "protocol/azurenames.h"

#include <array>

namespace spotkeeper::protocol {

namespace {
struct TypeName
{
    EventType type;
    QLatin1StringView name;
};
constexpr std::array kEventTypes = {
    TypeName {EventType::Freeze, QLatin1StringView("Freeze")},
    TypeName {EventType::Reboot, QLatin1StringView("Reboot")},
    TypeName {EventType::Redeploy, QLatin1StringView("Redeploy")},
    TypeName {EventType::Preempt, QLatin1StringView("Preempt")},
    TypeName {EventType::Terminate, QLatin1StringView("Terminate")},
};
} // namespace

QString VmIdentity::resourceId() const
{
    if (cloud == Cloud::Gcp)
        return QStringLiteral("projects/") + projectId + QStringLiteral("/zones/") + zone
            + QStringLiteral("/instances/") + vmName;
    if (cloud == Cloud::Aws)
        return awsInstanceArn(location, accountId, vmId);
    if (!armResourceId.isEmpty())
        return armResourceId;
    return QStringLiteral("/subscriptions/") + subscriptionId + QStringLiteral("/resourceGroups/")
        + resourceGroup + QStringLiteral("/providers/Microsoft.Compute/virtualMachines/") + vmName;
}

QString VmIdentity::resourceKey() const
{
    return resourceId().toLower();
}

QString checkArmResourceId(const VmIdentity &vm)
{
    if (vm.armResourceId.isEmpty())
        return {};
    const QList<QStringView> parts = QStringView(vm.armResourceId).split(u'/');
    const auto is = [](QStringView a, QStringView b) {
        return a.compare(b, Qt::CaseInsensitive) == 0;
    };
    // "", subscriptions, {sub}, resourceGroups, {rg}, providers, Microsoft.Compute, then
    // virtualMachines/{name} or virtualMachineScaleSets/{vmss}/virtualMachines/{id}
    const bool standalone = parts.size() == 9 && is(parts[7], u"virtualMachines");
    const bool uniform = parts.size() == 11 && is(parts[7], u"virtualMachineScaleSets")
        && is(parts[9], u"virtualMachines");
    if ((!standalone && !uniform) || !parts[0].isEmpty() || !is(parts[1], u"subscriptions")
        || !is(parts[3], u"resourceGroups") || !is(parts[5], u"providers")
        || !is(parts[6], u"Microsoft.Compute"))
        return QStringLiteral("must be a VM resource id: /subscriptions/<id>/resourceGroups/"
                              "<group>/providers/Microsoft.Compute/virtualMachines/<name> or "
                              ".../virtualMachineScaleSets/<scale set>/virtualMachines/<instance>");
    if (!sameAzureName(parts[2], vm.subscriptionId))
        return QStringLiteral("names another subscription than subscriptionId");
    if (!sameAzureName(parts[4], vm.resourceGroup))
        return QStringLiteral("names another resource group than resourceGroup");
    if (standalone && !sameAzureName(parts[8], vm.vmName))
        return QStringLiteral("names another VM than vmName");
    if (uniform) {
        if (!sameAzureName(parts[8], vm.vmScaleSetName))
            return QStringLiteral("names another scale set than vmScaleSetName");
        bool digits = !parts[10].isEmpty() && parts[10].size() <= 10;
        for (const QChar c : parts[10])
            digits = digits && c >= u'0' && c <= u'9';
        if (!digits)
            return QStringLiteral("must end in a scale set instance id (digits)");
    }
    return {};
}

QString toString(Cloud cloud)
{
    if (cloud == Cloud::Aws)
        return QStringLiteral("aws");
    return cloud == Cloud::Gcp ? QStringLiteral("gcp") : QStringLiteral("azure");
}

std::optional<Cloud> cloudFromString(QStringView text)
{
    if (text == u"azure")
        return Cloud::Azure;
    if (text == u"gcp")
        return Cloud::Gcp;
    if (text == u"aws")
        return Cloud::Aws;
    return std::nullopt;
}

QString toString(EventType type)
{
    for (const auto &entry : kEventTypes) {
        if (entry.type == type)
            return entry.name;
    }
    return QStringLiteral("Unknown");
}

EventType eventTypeFromString(QStringView text)
{
    for (const auto &entry : kEventTypes) {
        if (text.compare(entry.name, Qt::CaseInsensitive) == 0)
            return entry.type;
    }
    return EventType::Unknown;
}

QString toString(EventStatus status)
{
    switch (status) {
    case EventStatus::Scheduled:
        return QStringLiteral("Scheduled");
    case EventStatus::Started:
        return QStringLiteral("Started");
    case EventStatus::Unknown:
        break;
    }
    return QStringLiteral("Unknown");
}

EventStatus eventStatusFromString(QStringView text)
{
    if (text.compare(QLatin1StringView("Scheduled"), Qt::CaseInsensitive) == 0)
        return EventStatus::Scheduled;
    if (text.compare(QLatin1StringView("Started"), Qt::CaseInsensitive) == 0)
        return EventStatus::Started;
    return EventStatus::Unknown;
}

QString toString(ProbeKind kind)
{
    switch (kind) {
    case ProbeKind::Tcp:
        return QStringLiteral("tcp");
    case ProbeKind::Command:
        return QStringLiteral("command");
    case ProbeKind::Http:
        break;
    }
    return QStringLiteral("http");
}

std::optional<ProbeKind> probeKindFromString(QStringView text)
{
    for (const ProbeKind kind : {ProbeKind::Http, ProbeKind::Tcp, ProbeKind::Command}) {
        if (text == toString(kind))
            return kind;
    }
    return std::nullopt;
}

QString toString(AppHealthState state)
{
    switch (state) {
    case AppHealthState::Healthy:
        return QStringLiteral("healthy");
    case AppHealthState::Unhealthy:
        return QStringLiteral("unhealthy");
    case AppHealthState::Pending:
        break;
    }
    return QStringLiteral("pending");
}

std::optional<AppHealthState> appHealthStateFromString(QStringView text)
{
    for (const AppHealthState state :
         {AppHealthState::Pending, AppHealthState::Healthy, AppHealthState::Unhealthy}) {
        if (text == toString(state))
            return state;
    }
    return std::nullopt;
}

} // namespace spotkeeper::protocol
