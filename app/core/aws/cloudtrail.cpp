// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/cloudtrail.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace spotkeeper::core::aws {

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxLookupBytes = qsizetype {16} * 1024 * 1024;

QDateTime eventTime(const QJsonValue &value)
{
    if (value.isDouble()) // the JSON protocol's timestamps: seconds since the epoch
        return QDateTime::fromMSecsSinceEpoch(qint64(value.toDouble() * 1000.0), Qt::UTC);
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

EvidenceKind kindOf(const TrailEvent &event)
{
    if (event.name == "BidEvictedEvent"_L1)
        return EvidenceKind::Eviction;
    const bool stop = event.name == "StopInstances"_L1 || event.name == "TerminateInstances"_L1;
    if (!stop)
        return EvidenceKind::None;
    // EC2's own calls (invoked by an AWS service) are not a person's decision.
    if (event.identityType == "AWSService"_L1 || event.invokedBy.endsWith(u".amazonaws.com"_s))
        return EvidenceKind::None;
    return EvidenceKind::Deliberate;
}

} // namespace

QByteArray lookupEventsBody(const QString &instanceId, const QDateTime &since,
                            const QString &nextToken, int maxResults)
{
    QJsonObject attribute;
    attribute.insert("AttributeKey"_L1, u"ResourceName"_s);
    attribute.insert("AttributeValue"_L1, instanceId);
    QJsonObject body;
    body.insert("LookupAttributes"_L1, QJsonArray {attribute});
    if (since.isValid())
        body.insert("StartTime"_L1, double(since.toSecsSinceEpoch()));
    body.insert("MaxResults"_L1, maxResults);
    if (!nextToken.isEmpty())
        body.insert("NextToken"_L1, nextToken);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

LookupEventsPage parseLookupEvents(QByteArrayView json)
{
    LookupEventsPage page;
    if (json.size() > kMaxLookupBytes) {
        page.error = u"the CloudTrail answer is larger than 16 MiB"_s;
        return page;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (!document.isObject()) {
        page.error = u"the CloudTrail answer is not a JSON object: "_s + parseError.errorString();
        return page;
    }
    const QJsonObject root = document.object();
    page.nextToken = root.value("NextToken"_L1).toString();
    for (const QJsonValue &value : root.value("Events"_L1).toArray()) {
        const QJsonObject object = value.toObject();
        TrailEvent event;
        event.eventId = object.value("EventId"_L1).toString();
        event.name = object.value("EventName"_L1).toString();
        event.time = eventTime(object.value("EventTime"_L1));
        event.caller = object.value("Username"_L1).toString();
        const QJsonObject record =
            QJsonDocument::fromJson(object.value("CloudTrailEvent"_L1).toString().toUtf8())
                .object();
        event.eventType = record.value("eventType"_L1).toString();
        const QJsonObject identity = record.value("userIdentity"_L1).toObject();
        event.identityType = identity.value("type"_L1).toString();
        event.invokedBy = identity.value("invokedBy"_L1).toString();
        if (const QString arn = identity.value("arn"_L1).toString(); !arn.isEmpty())
            event.caller = arn;
        else if (event.caller.isEmpty())
            event.caller = event.invokedBy;
        event.kind = kindOf(event);
        page.events.append(event);
    }
    return page;
}

} // namespace spotkeeper::core::aws
