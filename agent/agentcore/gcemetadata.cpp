// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/gcemetadata.h"

#include "agentcore/metadatatext.h"
#include "protocol/gcpnames.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QUuid>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

// A plain-text value: trimmed, and refused when it is not valid UTF-8.
std::optional<QString> text(QByteArrayView body)
{
    const QByteArrayView trimmed = body.trimmed();
    const QString value = QString::fromUtf8(trimmed);
    if (value.toUtf8() != trimmed)
        return std::nullopt;
    return value;
}

// Name-based UUID in upper case, like every Azure EventId (the protocol checks GUIDs).
QString eventId(const QString &name)
{
    // A fixed namespace of SpotKeeper's own; changing it would change every id.
    static const QUuid kNamespace(u"5b0f3c1e-4a7d-4c38-9f2e-7d1b6a0c9e44"_s);
    return nameBasedEventId(kNamespace, name);
}

protocol::ScheduledEvent baseEvent(const protocol::VmIdentity &vm)
{
    return platformEvent(vm.vmName);
}

} // namespace

Parsed<protocol::VmIdentity> parseGceIdentity(const GceIdentityAnswers &answers)
{
    protocol::VmIdentity vm;
    vm.cloud = protocol::Cloud::Gcp;
    struct Field
    {
        const char *key;
        QByteArrayView body;
        QString (*check)(QStringView);
        QString *target;
    };
    QString zonePath;
    const Field fields[] = {
        {"project/project-id", answers.projectId, protocol::checkGcpProjectId, &vm.projectId},
        {"instance/id", answers.instanceId, protocol::checkGcpInstanceId, &vm.vmId},
        {"instance/name", answers.name, protocol::checkGcpInstanceName, &vm.vmName},
        {"instance/zone", answers.zone, nullptr, &zonePath},
    };
    for (const Field &field : fields) {
        const auto value = text(field.body);
        if (!value)
            return failure<protocol::VmIdentity>(QLatin1StringView(field.key)
                                                 + u": not UTF-8 text"_s);
        if (field.check) {
            if (const QString rule = field.check(*value); !rule.isEmpty())
                return failure<protocol::VmIdentity>(QLatin1StringView(field.key) + u" "_s
                                                     + excerpt(field.body) + u": "_s + rule);
        }
        *field.target = *value;
    }
    // "projects/123456789012/zones/us-central1-a"; a bare zone is taken as it is.
    const QList<QStringView> parts = QStringView(zonePath).split(u'/');
    const bool full =
        parts.size() == 4 && parts[0] == u"projects" && !parts[1].isEmpty() && parts[2] == u"zones";
    vm.zone = (full || parts.size() == 1) ? parts.back().toString() : QString();
    if (const QString rule = protocol::checkGcpZone(vm.zone); !rule.isEmpty())
        return failure<protocol::VmIdentity>(
            u"instance/zone "_s + excerpt(answers.zone)
            + u": must be projects/<number>/zones/<zone> with a zone like us-central1-a"_s);
    vm.location = vm.zone;

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(answers.scheduling, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return failure<protocol::VmIdentity>(
            u"instance/scheduling: not a JSON object ("_s
            + (error.error != QJsonParseError::NoError ? error.errorString() : u"other JSON"_s)
            + u')');
    const QJsonObject scheduling = document.object();
    QString values[3]; // provisioningModel, instanceTerminationAction, preemptible
    // alt=json writes the directory's keys in camelCase; the key names of the plain-text
    // listing (provisioning-model, ...) are read too, in case a server keeps them.
    const QLatin1StringView keys[3] = {"provisioningModel"_L1, "instanceTerminationAction"_L1,
                                       "preemptible"_L1};
    const QLatin1StringView listingKeys[3] = {"provisioning-model"_L1,
                                              "instance-termination-action"_L1, "preemptible"_L1};
    for (int i = 0; i < 3; ++i) {
        QJsonValue value = scheduling.value(keys[i]);
        if (value.isUndefined())
            value = scheduling.value(listingKeys[i]);
        if (value.isUndefined())
            continue;
        bool word = value.isString() && value.toString().size() <= 32;
        for (const QChar c : value.toString())
            word = word && ((c >= u'A' && c <= u'Z') || c == u'_');
        if (!word)
            return failure<protocol::VmIdentity>(u"instance/scheduling: "_s + keys[i]
                                                 + u" must be an upper-case word such as SPOT, "
                                                   "STOP or TRUE"_s);
        values[i] = value.toString();
    }
    if (values[0] == "SPOT"_L1)
        vm.priority = values[0];
    else if (values[2] == "TRUE"_L1)
        vm.priority = u"PREEMPTIBLE"_s;
    else
        vm.priority = values[0].isEmpty() ? u"STANDARD"_s : values[0];
    vm.evictionPolicy = values[1];
    // The protocol allows letters only in these two (no '_'): a future value with one is
    // written without it rather than refused.
    vm.priority.remove(u'_');
    vm.evictionPolicy.remove(u'_');
    return {vm, {}};
}

Parsed<bool> parsePreempted(QByteArrayView body)
{
    const QByteArrayView value = body.trimmed();
    if (value == "TRUE")
        return {true, {}};
    if (value == "FALSE")
        return {false, {}};
    return failure<bool>(u"instance/preempted: expected TRUE or FALSE, got "_s + excerpt(body));
}

Parsed<QString> parseMaintenanceEvent(QByteArrayView body)
{
    const QByteArrayView value = body.trimmed();
    bool ok = !value.isEmpty() && value.size() <= 64;
    for (const char c : value)
        ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    if (!ok)
        return failure<QString>(u"instance/maintenance-event: expected a value like NONE or "
                                "MIGRATE_ON_HOST_MAINTENANCE, got "_s
                                + excerpt(body));
    return {QString::fromLatin1(value), {}};
}

protocol::ScheduledEvent preemptionEvent(const protocol::VmIdentity &vm, const QString &bootId)
{
    protocol::ScheduledEvent event = baseEvent(vm);
    event.eventId = eventId(u"gcp/"_s + vm.vmId + u'/' + bootId + u"/preempted"_s);
    event.eventType = protocol::EventType::Preempt;
    event.eventTypeText = u"Preempt"_s;
    event.eventStatus = protocol::EventStatus::Started;
    event.description = u"Compute Engine preempted this Spot VM (instance/preempted is TRUE)"_s;
    return event;
}

protocol::ScheduledEvent maintenanceEvent(const protocol::VmIdentity &vm, const QString &value,
                                          int ordinal, const QString &bootId)
{
    protocol::ScheduledEvent event = baseEvent(vm);
    event.eventId = eventId(u"gcp/"_s + vm.vmId + u'/' + bootId + u"/maintenance/"_s + value + u'/'
                            + QString::number(ordinal));
    if (value == "MIGRATE_ON_HOST_MAINTENANCE"_L1)
        event.eventType = protocol::EventType::Freeze;
    else if (value == "TERMINATE_ON_HOST_MAINTENANCE"_L1)
        event.eventType = protocol::EventType::Reboot;
    event.eventTypeText = event.eventType == protocol::EventType::Unknown
        ? u"HostMaintenance"_s
        : protocol::toString(event.eventType);
    event.eventStatus = protocol::EventStatus::Scheduled;
    event.description = u"Compute Engine host maintenance: "_s + value;
    return event;
}

} // namespace spotkeeper::agent
