// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/ec2metadata.h"

#include "agentcore/metadatatext.h"
#include "protocol/awsnames.h"
#include "protocol/timeformat.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>

#include <array>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

// The body as a JSON object, or why not.
std::optional<QJsonObject> object(QByteArrayView body, const QString &item, QString *error)
{
    const auto document = jsonDocument(body, item, JsonShape::Object, error);
    if (!document)
        return std::nullopt;
    return document->object();
}

// A string member; an error names the item and key when it is missing or not a string.
std::optional<QString> member(const QJsonObject &object, QLatin1StringView key, const QString &item,
                              QString *error)
{
    const QJsonValue value = object.value(key);
    if (!value.isString()) {
        *error = item + u": "_s + key
            + (value.isUndefined() ? u" is missing"_s : u" must be a string"_s);
        return std::nullopt;
    }
    return value.toString();
}

// ISO 8601 as IMDS writes it ("2017-09-18T08:22:00Z"); a fraction is allowed.
QDateTime isoTime(const QString &text)
{
    return protocol::parseIso8601Utc(text);
}

// "21 Jan 2019 09:00:43 GMT" (scheduled events), with or without a leading day name.
QDateTime eventTime(const QString &text)
{
    if (text.contains(u','))
        return protocol::parseRfc1123(text);
    // parseRfc1123 checks no day name (the date decides), so any one completes the form.
    QString padded = text;
    if (padded.size() >= 2 && padded.at(1) == u' ') // "1 Jan 2019 ...": two-digit day
        padded.prepend(u'0');
    return protocol::parseRfc1123(QString(u"Mon, "_s + padded));
}

QString eventId(const QString &name)
{
    // SpotKeeper's own namespace for AWS; changing it would change every id.
    static const QUuid kNamespace(u"b7d0a8f4-3c1e-4e7a-9a55-2f6c1d4e8b30"_s);
    return nameBasedEventId(kNamespace, name);
}

protocol::ScheduledEvent baseEvent(const protocol::VmIdentity &vm)
{
    return platformEvent(vm.vmId);
}

// Lower-case words and digits joined by hyphens, as EC2 writes event codes.
bool isCode(const QString &code)
{
    bool ok = !code.isEmpty() && code.size() <= 48 && code.front() != u'-' && code.back() != u'-';
    for (const QChar c : code)
        ok = ok && ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-');
    return ok;
}

} // namespace

Parsed<protocol::VmIdentity> parseEc2Identity(QByteArrayView document, QByteArrayView lifecycle)
{
    const QString item = u"instance-identity/document"_s;
    QString error;
    const auto root = object(document, item, &error);
    if (!root)
        return failure<protocol::VmIdentity>(error);
    protocol::VmIdentity vm;
    vm.cloud = protocol::Cloud::Aws;
    struct Field
    {
        QLatin1StringView key;
        QString (*check)(QStringView) = nullptr;
        QString *target = nullptr;
    };
    const std::array<Field, 5> fields = {{
        {"accountId"_L1, protocol::checkAwsAccountId, &vm.accountId},
        {"region"_L1, protocol::checkAwsRegion, &vm.location},
        {"availabilityZone"_L1, protocol::checkAwsAvailabilityZone, &vm.zone},
        {"instanceId"_L1, protocol::checkAwsInstanceId, &vm.vmId},
        {"instanceType"_L1, protocol::checkAwsInstanceType, &vm.instanceType},
    }};
    for (const Field &field : fields) {
        const auto value = member(*root, field.key, item, &error);
        if (!value)
            return failure<protocol::VmIdentity>(error);
        if (const QString rule = field.check(*value); !rule.isEmpty())
            return failure<protocol::VmIdentity>(item + u": "_s + field.key + u' ' + excerpt(*value)
                                                 + u": "_s + rule);
        *field.target = *value;
    }
    vm.vmName = vm.vmId;
    const QString life = QString::fromUtf8(lifecycle.trimmed());
    if (!life.isEmpty()) {
        if (const QString rule = protocol::checkAwsLifecycle(life); !rule.isEmpty())
            return failure<protocol::VmIdentity>(u"instance-life-cycle "_s + excerpt(life) + u": "_s
                                                 + rule);
        vm.priority = life;
    }
    return {vm, {}};
}

Parsed<Ec2InstanceAction> parseInstanceAction(QByteArrayView body)
{
    const QString item = u"spot/instance-action"_s;
    QString error;
    const auto root = object(body, item, &error);
    if (!root)
        return failure<Ec2InstanceAction>(error);
    const auto action = member(*root, "action"_L1, item, &error);
    const auto time = action ? member(*root, "time"_L1, item, &error) : std::nullopt;
    if (!action || !time)
        return failure<Ec2InstanceAction>(error);
    if (*action != "terminate"_L1 && *action != "stop"_L1 && *action != "hibernate"_L1)
        return failure<Ec2InstanceAction>(item + u": action "_s + excerpt(*action)
                                          + u" is not terminate, stop or hibernate"_s);
    Ec2InstanceAction result {*action, isoTime(*time)};
    if (!result.time.isValid())
        return failure<Ec2InstanceAction>(item + u": time "_s + excerpt(*time)
                                          + u" is not an ISO 8601 UTC time"_s);
    return {result, {}};
}

Parsed<QDateTime> parseRebalanceRecommendation(QByteArrayView body)
{
    const QString item = u"events/recommendations/rebalance"_s;
    QString error;
    const auto root = object(body, item, &error);
    if (!root)
        return failure<QDateTime>(error);
    const auto text = member(*root, "noticeTime"_L1, item, &error);
    if (!text)
        return failure<QDateTime>(error);
    const QDateTime time = isoTime(*text);
    if (!time.isValid())
        return failure<QDateTime>(item + u": noticeTime "_s + excerpt(*text)
                                  + u" is not an ISO 8601 UTC time"_s);
    return {time, {}};
}

namespace {

// One entry of the scheduled-maintenance array ("where" names it in errors).
Parsed<Ec2MaintenanceEvent> maintenanceEntry(const QJsonObject &entry, const QString &where)
{
    QString error;
    const auto code = member(entry, "Code"_L1, where, &error);
    const auto id = code ? member(entry, "EventId"_L1, where, &error) : std::nullopt;
    const auto notBefore = id ? member(entry, "NotBefore"_L1, where, &error) : std::nullopt;
    if (!notBefore)
        return failure<Ec2MaintenanceEvent>(error);
    Ec2MaintenanceEvent event;
    event.code = *code;
    event.eventId = *id;
    if (!isCode(event.code))
        return failure<Ec2MaintenanceEvent>(where + u": Code "_s + excerpt(event.code)
                                            + u" is not a code like system-reboot"_s);
    if (event.eventId.isEmpty() || event.eventId.size() > 128)
        return failure<Ec2MaintenanceEvent>(where + u": EventId must be 1-128 characters"_s);
    event.notBefore = eventTime(*notBefore);
    if (!event.notBefore.isValid())
        return failure<Ec2MaintenanceEvent>(
            where + u": NotBefore "_s + excerpt(*notBefore)
            + u" is not a time like \"21 Jan 2019 09:00:43 GMT\""_s);
    const QJsonValue notAfter = entry.value("NotAfter"_L1);
    if (notAfter.isString() && !notAfter.toString().isEmpty()) {
        event.notAfter = eventTime(notAfter.toString());
        if (!event.notAfter.isValid())
            return failure<Ec2MaintenanceEvent>(
                where + u": NotAfter "_s + excerpt(notAfter.toString())
                + u" is not a time like \"21 Jan 2019 09:17:23 GMT\""_s);
    }
    event.description = entry.value("Description"_L1).toString().left(512);
    event.state = entry.value("State"_L1).toString().left(32);
    return {event, {}};
}

} // namespace

Parsed<QList<Ec2MaintenanceEvent>> parseScheduledMaintenance(QByteArrayView body)
{
    const QString item = u"events/maintenance/scheduled"_s;
    if (body.trimmed().isEmpty())
        return {QList<Ec2MaintenanceEvent> {}, {}};
    QString error;
    const auto document = jsonDocument(body, item, JsonShape::Array, &error);
    if (!document)
        return failure<QList<Ec2MaintenanceEvent>>(error);
    QList<Ec2MaintenanceEvent> events;
    const QJsonArray array = document->array();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = item + u'[' + QString::number(i) + u']';
        if (!array.at(i).isObject())
            return failure<QList<Ec2MaintenanceEvent>>(where + u": not an object"_s);
        auto event = maintenanceEntry(array.at(i).toObject(), where);
        if (!event.value)
            return failure<QList<Ec2MaintenanceEvent>>(event.error);
        events.append(*event.value);
    }
    return {events, {}};
}

protocol::ScheduledEvent interruptionEvent(const protocol::VmIdentity &vm,
                                           const Ec2InstanceAction &action)
{
    protocol::ScheduledEvent event = baseEvent(vm);
    event.eventId = eventId(u"aws/"_s + vm.vmId + u"/instance-action/"_s + action.action + u'/'
                            + protocol::formatIso8601Utc(action.time));
    event.eventType = protocol::EventType::Preempt;
    event.eventTypeText = u"Preempt"_s;
    const bool hibernate = action.action == "hibernate"_L1;
    event.eventStatus =
        hibernate ? protocol::EventStatus::Started : protocol::EventStatus::Scheduled;
    if (!hibernate)
        event.notBefore = action.time;
    event.description = u"EC2 Spot interruption: "_s + action.action;
    return event;
}

protocol::ScheduledEvent rebalanceEvent(const protocol::VmIdentity &vm, const QDateTime &noticeTime)
{
    protocol::ScheduledEvent event = baseEvent(vm);
    event.eventId =
        eventId(u"aws/"_s + vm.vmId + u"/rebalance/"_s + protocol::formatIso8601Utc(noticeTime));
    event.eventTypeText = u"RebalanceRecommendation"_s;
    event.eventStatus = protocol::EventStatus::Scheduled;
    event.description = u"EC2 rebalance recommendation (elevated risk of interruption), "_s
                        u"noticed "_s
        + protocol::formatIso8601Utc(noticeTime);
    return event;
}

protocol::ScheduledEvent maintenanceEvent(const protocol::VmIdentity &vm,
                                          const Ec2MaintenanceEvent &maintenance)
{
    protocol::ScheduledEvent event = baseEvent(vm);
    event.eventId = eventId(u"aws/"_s + vm.vmId + u"/maintenance/"_s + maintenance.eventId);
    if (maintenance.code == "instance-reboot"_L1 || maintenance.code == "system-reboot"_L1) {
        event.eventType = protocol::EventType::Reboot;
        event.eventTypeText = u"Reboot"_s;
    } else {
        for (const QStringView word : QStringView(maintenance.code).split(u'-')) {
            if (!word.isEmpty())
                event.eventTypeText += word.first(1).toString().toUpper() + word.sliced(1);
        }
        // The wire reads the type from this text: a code such as "reboot" is a Reboot.
        event.eventType = protocol::eventTypeFromString(event.eventTypeText);
    }
    event.eventStatus = protocol::EventStatus::Scheduled;
    event.notBefore = maintenance.notBefore;
    event.description = u"EC2 scheduled event "_s + maintenance.code + u" ("_s + maintenance.eventId
        + u')'
        + (maintenance.description.isEmpty() ? QString() : u": "_s + maintenance.description);
    return event;
}

} // namespace spotkeeper::agent
