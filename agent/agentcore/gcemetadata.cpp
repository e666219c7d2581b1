// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/gcemetadata.h"

#include "agentcore/metadatatext.h"
#include "protocol/gcpnames.h"

#include <QJsonObject>
#include <QUuid>

#include <array>

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

namespace {

// The plain-text answers into vm; zonePath gets instance/zone as it came. "" or the error.
QString readTextAnswers(const GceIdentityAnswers &answers, protocol::VmIdentity *vm,
                        QString *zonePath)
{
    struct Field
    {
        QLatin1StringView key;
        QByteArrayView body;
        QString (*check)(QStringView) = nullptr;
        QString *target = nullptr;
    };
    const std::array<Field, 4> fields = {{
        {"project/project-id"_L1, answers.projectId, protocol::checkGcpProjectId, &vm->projectId},
        {"instance/id"_L1, answers.instanceId, protocol::checkGcpInstanceId, &vm->vmId},
        {"instance/name"_L1, answers.name, protocol::checkGcpInstanceName, &vm->vmName},
        {"instance/zone"_L1, answers.zone, nullptr, zonePath},
    }};
    for (const Field &field : fields) {
        const auto value = text(field.body);
        if (!value)
            return field.key + u": not UTF-8 text"_s;
        if (field.check != nullptr) {
            if (const QString rule = field.check(*value); !rule.isEmpty())
                return field.key + u" "_s + excerpt(field.body) + u": "_s + rule;
        }
        *field.target = *value;
    }
    return {};
}

// "projects/123456789012/zones/us-central1-a" -> "us-central1-a"; a bare zone is taken as it
// is; anything else -> "".
QString zoneOf(const QString &zonePath)
{
    const QList<QStringView> parts = QStringView(zonePath).split(u'/');
    const bool full = parts.size() == 4 && parts.at(0) == u"projects" && !parts.at(1).isEmpty()
        && parts.at(2) == u"zones";
    return (full || parts.size() == 1) ? parts.back().toString() : QString();
}

// Upper-case letters and '_', at most 32 of them: SPOT, STOP, TRUE, ...
bool isUpperCaseWord(const QString &value)
{
    bool word = value.size() <= 32;
    for (const QChar c : value)
        word = word && ((c >= u'A' && c <= u'Z') || c == u'_');
    return word;
}

// The instance/scheduling values the identity needs ("" for an absent one).
struct Scheduling
{
    QString provisioningModel;
    QString terminationAction;
    QString preemptible;
};

Parsed<Scheduling> parseScheduling(QByteArrayView body)
{
    const QString item = u"instance/scheduling"_s;
    QString error;
    const auto document = jsonDocument(body, item, JsonShape::Object, &error);
    if (!document)
        return failure<Scheduling>(error);
    const QJsonObject scheduling = document->object();
    Scheduling result;
    // alt=json writes the directory's keys in camelCase; the key names of the plain-text
    // listing (provisioning-model, ...) are read too, in case a server keeps them.
    struct Key
    {
        QLatin1StringView key;
        QLatin1StringView listingKey;
        QString *target = nullptr;
    };
    const std::array<Key, 3> keys = {{
        {"provisioningModel"_L1, "provisioning-model"_L1, &result.provisioningModel},
        {"instanceTerminationAction"_L1, "instance-termination-action"_L1,
         &result.terminationAction},
        {"preemptible"_L1, "preemptible"_L1, &result.preemptible},
    }};
    for (const Key &key : keys) {
        QJsonValue value = scheduling.value(key.key);
        if (value.isUndefined())
            value = scheduling.value(key.listingKey);
        if (value.isUndefined())
            continue;
        if (!value.isString() || !isUpperCaseWord(value.toString()))
            return failure<Scheduling>(item + u": "_s + key.key
                                       + u" must be an upper-case word such as SPOT, "
                                         "STOP or TRUE"_s);
        *key.target = value.toString();
    }
    return {result, {}};
}

} // namespace

Parsed<protocol::VmIdentity> parseGceIdentity(const GceIdentityAnswers &answers)
{
    protocol::VmIdentity vm;
    vm.cloud = protocol::Cloud::Gcp;
    QString zonePath;
    if (const QString error = readTextAnswers(answers, &vm, &zonePath); !error.isEmpty())
        return failure<protocol::VmIdentity>(error);
    vm.zone = zoneOf(zonePath);
    if (const QString rule = protocol::checkGcpZone(vm.zone); !rule.isEmpty())
        return failure<protocol::VmIdentity>(
            u"instance/zone "_s + excerpt(answers.zone)
            + u": must be projects/<number>/zones/<zone> with a zone like us-central1-a"_s);
    vm.location = vm.zone;

    const auto scheduling = parseScheduling(answers.scheduling);
    if (!scheduling.value)
        return failure<protocol::VmIdentity>(scheduling.error);
    const Scheduling &values = *scheduling.value;
    if (values.provisioningModel == "SPOT"_L1)
        vm.priority = values.provisioningModel;
    else if (values.preemptible == "TRUE"_L1)
        vm.priority = u"PREEMPTIBLE"_s;
    else
        vm.priority = values.provisioningModel.isEmpty() ? u"STANDARD"_s : values.provisioningModel;
    vm.evictionPolicy = values.terminationAction;
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
