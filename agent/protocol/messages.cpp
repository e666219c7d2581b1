// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "messages.h"

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
    return QStringLiteral("/subscriptions/") + subscriptionId + QStringLiteral("/resourceGroups/")
        + resourceGroup + QStringLiteral("/providers/Microsoft.Compute/virtualMachines/") + vmName;
}

QString VmIdentity::resourceKey() const
{
    return resourceId().toLower();
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

} // namespace spotkeeper::protocol
