// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/scheduledevents.h"

#include "protocol/azurenames.h"
#include "protocol/timeformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>

#include <algorithm>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;
using protocol::ScheduledEvent;

namespace {

QString parseErrorText(const QJsonParseError &error)
{
    return u"malformed JSON at byte %1: %2"_s.arg(error.offset).arg(error.errorString());
}

// The document as a JSON object; what names it in the error ("document", ...).
Parsed<QJsonObject> parseObject(QByteArrayView json, QLatin1StringView what)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return {std::nullopt, parseErrorText(error)};
    if (!doc.isObject())
        return {std::nullopt, what + u" must be a JSON object"_s};
    return {doc.object(), {}};
}

std::optional<qint64> integerValue(const QJsonValue &value)
{
    if (value.isDouble())
        return static_cast<qint64>(value.toDouble());
    if (value.isString()) { // tolerate "2": some proxies and mocks stringify numbers
        bool ok = false;
        const qint64 parsed = value.toString().toLongLong(&ok);
        if (ok)
            return parsed;
    }
    return std::nullopt;
}

// What can be read of an event that fails, so its report names it and the agent can
// tell whether it may be about its own VM.
UnreadableEvent identify(const QJsonObject &object, qsizetype index, const QString &error)
{
    UnreadableEvent out;
    out.index = index;
    out.error = error;
    out.eventId = object.value("EventId"_L1).toString();
    for (const QJsonValue &name : object.value("Resources"_L1).toArray()) {
        if (!name.isString()) {
            out.resources.clear();
            break;
        }
        out.resources.append(name.toString());
    }
    return out;
}

Parsed<ScheduledEvent> parseEvent(const QJsonObject &object, qsizetype index)
{
    const QString where = u"Events[%1]."_s.arg(index);
    auto fail = [&](const QString &field, const QString &rule) {
        return Parsed<ScheduledEvent> {std::nullopt, where + field + u": "_s + rule};
    };
    ScheduledEvent event;
    const QJsonValue id = object.value("EventId"_L1);
    if (!id.isString() || id.toString().isEmpty())
        return fail(u"EventId"_s, u"must be a non-empty string"_s);
    event.eventId = id.toString();

    const QJsonValue type = object.value("EventType"_L1);
    if (!type.isString() || type.toString().isEmpty())
        return fail(u"EventType"_s, u"must be a non-empty string"_s);
    event.eventTypeText = type.toString();
    event.eventType = protocol::eventTypeFromString(event.eventTypeText);

    const QJsonValue status = object.value("EventStatus"_L1);
    if (!status.isString())
        return fail(u"EventStatus"_s, u"must be a string"_s);
    event.eventStatus = protocol::eventStatusFromString(status.toString());
    if (event.eventStatus == protocol::EventStatus::Unknown)
        return fail(u"EventStatus"_s, u"must be Scheduled or Started"_s);

    const QJsonValue resources = object.value("Resources"_L1);
    if (!resources.isArray())
        return fail(u"Resources"_s, u"must be an array of VM names"_s);
    for (const QJsonValue &name : resources.toArray()) {
        if (!name.isString())
            return fail(u"Resources"_s, u"must contain only strings"_s);
        event.resources.append(name.toString());
    }

    const QJsonValue notBefore = object.value("NotBefore"_L1);
    if (!notBefore.isUndefined() && !notBefore.isString())
        return fail(u"NotBefore"_s, u"must be a string"_s);
    const QString notBeforeText = notBefore.toString();
    if (!notBeforeText.isEmpty()) {
        event.notBefore = parseNotBefore(notBeforeText);
        if (!event.notBefore.isValid())
            return fail(
                u"NotBefore"_s,
                u"must be \"\", an RFC 1123 or an ISO 8601 date with a zone (got \"%1\")"_s.arg(
                    notBeforeText.left(64)));
    }

    event.resourceType = object.value("ResourceType"_L1).toString();
    event.description = object.value("Description"_L1).toString();
    event.eventSource = object.value("EventSource"_L1).toString();
    const QJsonValue duration = object.value("DurationInSeconds"_L1);
    if (!duration.isUndefined() && !duration.isNull()) {
        const auto seconds = integerValue(duration);
        if (!seconds)
            return fail(u"DurationInSeconds"_s, u"must be an integer"_s);
        event.durationInSeconds = static_cast<int>(*seconds);
    }
    return {event, {}};
}

} // namespace

QDateTime parseRfc1123(QStringView text)
{
    // RFC 1123 is always English; QLocale::c() keeps the system locale out of it. The
    // weekday is redundant and not checked: a sample in Azure's own docs names the
    // wrong one ("Mon, 11 Apr 2026"), and the date is what matters.
    QString trimmed = text.trimmed().toString();
    const qsizetype comma = trimmed.indexOf(u',');
    if (comma >= 0)
        trimmed = trimmed.mid(comma + 1).trimmed();
    if (trimmed.isEmpty())
        return {};
    for (const auto zone : {"GMT"_L1, "UTC"_L1, "+0000"_L1}) {
        if (!trimmed.endsWith(zone))
            continue;
        const QString stamp = trimmed.chopped(zone.size()).trimmed();
        // Date and time parsed apart so the local time zone (and its DST gaps) never
        // touches a UTC stamp.
        const qsizetype space = stamp.lastIndexOf(u' ');
        if (space < 0)
            return {};
        const QTime time = QLocale::c().toTime(stamp.mid(space + 1), "HH:mm:ss"_L1);
        const QString datePart = stamp.left(space);
        QDate date = QLocale::c().toDate(datePart, "d MMM yyyy"_L1);
        if (!date.isValid())
            date = QLocale::c().toDate(datePart, "dd MMM yyyy"_L1);
        if (date.isValid() && time.isValid())
            return QDateTime(date, time, Qt::UTC);
    }
    return {};
}

QDateTime parseNotBefore(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (const QDateTime rfc = parseRfc1123(trimmed); rfc.isValid())
        return rfc;
    if (const QDateTime zulu = protocol::parseIso8601Utc(trimmed); zulu.isValid())
        return zulu;
    // An explicit offset ("+02:00"): Qt reads it; a stamp without any zone stays invalid.
    const QDateTime offset = QDateTime::fromString(trimmed.toString(), Qt::ISODateWithMs);
    if (offset.isValid() && offset.timeSpec() != Qt::LocalTime)
        return offset.toUTC();
    return {};
}

Parsed<ScheduledEventsDocument> parseScheduledEvents(QByteArrayView json)
{
    const Parsed<QJsonObject> document = parseObject(json, "document"_L1);
    if (!document.value)
        return {std::nullopt, document.error};
    const QJsonObject &root = *document.value;

    ScheduledEventsDocument result;
    const auto incarnation = integerValue(root.value("DocumentIncarnation"_L1));
    if (!incarnation)
        return {std::nullopt, u"DocumentIncarnation: must be an integer"_s};
    result.incarnation = *incarnation;

    const QJsonValue events = root.value("Events"_L1);
    if (!events.isArray())
        return {std::nullopt, u"Events: must be an array"_s};
    const QJsonArray array = events.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        // One event the parser cannot read must not hide the others (a Preempt among
        // them): it is set aside with its reason and the loop goes on.
        const QJsonObject object = array.at(i).toObject();
        if (!array.at(i).isObject()) {
            result.unreadable.append(
                identify(object, i, u"Events[%1]: must be an object"_s.arg(i)));
            continue;
        }
        auto event = parseEvent(object, i);
        if (event.value)
            result.events.append(*event.value);
        else
            result.unreadable.append(identify(object, i, event.error));
    }
    return {result, {}};
}

QString describeUnreadable(const QList<UnreadableEvent> &events)
{
    if (events.isEmpty())
        return {};
    // Bounded: it travels in every heartbeat, whatever IMDS (or a mock) put in the document.
    constexpr qsizetype kListed = 5;
    QStringList reasons;
    for (const UnreadableEvent &event : events.first(std::min(events.size(), kListed)))
        reasons << (event.eventId.isEmpty()
                        ? event.error
                        : u"EventId %1: %2"_s.arg(event.eventId.left(64), event.error));
    if (events.size() > kListed)
        reasons << u"and %1 more"_s.arg(events.size() - kListed);
    return u"%1 event(s) unreadable, the others were read: %2"_s.arg(events.size())
        .arg(reasons.join(u"; "_s));
}

QList<UnreadableEvent> unreadableForVm(const QList<UnreadableEvent> &events, QStringView vmName)
{
    QList<UnreadableEvent> mine;
    for (const UnreadableEvent &event : events) {
        const bool names = std::any_of(
            event.resources.cbegin(), event.resources.cend(),
            [&](const QString &resource) { return protocol::sameAzureName(resource, vmName); });
        if (event.resources.isEmpty() || names)
            mine.append(event);
    }
    return mine;
}

QList<ScheduledEvent> eventsForVm(const QList<ScheduledEvent> &events, QStringView vmName)
{
    QList<ScheduledEvent> mine;
    if (vmName.isEmpty())
        return mine;
    for (const ScheduledEvent &event : events) {
        for (const QString &resource : event.resources) {
            if (protocol::sameAzureName(resource, vmName)) {
                mine.append(event);
                break;
            }
        }
    }
    return mine;
}

Parsed<protocol::VmIdentity> parseInstanceMetadata(QByteArrayView json, QString *warning)
{
    const Parsed<QJsonObject> document = parseObject(json, "instance metadata"_L1);
    if (!document.value)
        return {std::nullopt, document.error};
    QJsonObject compute = *document.value;
    if (compute.value("compute"_L1).isObject())
        compute = compute.value("compute"_L1).toObject();

    auto text = [&](QLatin1StringView key) {
        return compute.value(key).toString().trimmed();
    };
    protocol::VmIdentity vm;
    vm.subscriptionId = text("subscriptionId"_L1);
    vm.resourceGroup = text("resourceGroupName"_L1);
    vm.vmName = text("name"_L1);
    vm.vmId = text("vmId"_L1);
    vm.location = text("location"_L1);
    vm.vmScaleSetName = text("vmScaleSetName"_L1);
    vm.priority = text("priority"_L1);
    if (vm.priority.isEmpty()) // a real regular VM returns "" (AZURE-PROTOCOL.md §2)
        vm.priority = u"Regular"_s;
    vm.evictionPolicy = text("evictionPolicy"_L1);

    if (vm.subscriptionId.isEmpty())
        return {std::nullopt, u"compute.subscriptionId is missing or empty"_s};
    if (vm.resourceGroup.isEmpty())
        return {std::nullopt, u"compute.resourceGroupName is missing or empty"_s};
    if (vm.vmName.isEmpty())
        return {std::nullopt, u"compute.name is missing or empty"_s};
    vm.armResourceId = text("resourceId"_L1);
    if (const QString rule = protocol::checkArmResourceId(vm); !rule.isEmpty()) {
        const QString ignored = vm.armResourceId.left(300);
        vm.armResourceId.clear();
        if (warning)
            *warning = u"ignoring compute.resourceId \"%1\" (%2); using %3"_s.arg(ignored, rule,
                                                                                  vm.resourceId());
    }
    return {vm, {}};
}

QByteArray startRequestsBody(const QStringList &eventIds)
{
    QJsonArray requests;
    for (const QString &id : eventIds)
        requests.append(QJsonObject {{u"EventId"_s, id}});
    return QJsonDocument(QJsonObject {{u"StartRequests"_s, requests}})
        .toJson(QJsonDocument::Compact);
}

} // namespace spotkeeper::agent
