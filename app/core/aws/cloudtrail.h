// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

// CloudTrail's LookupEvents (JSON 1.1 protocol) for one instance, and what its events say
// (docs/AWS-PROTOCOL.md §5): StopInstances or TerminateInstances called by a principal is a
// deliberate stop, with that principal; a BidEvictedEvent from EC2 is a Spot interruption.
// Pure: no network.
namespace spotkeeper::core::aws {

// The request body: events of ResourceName = instanceId since `since`, newest first.
QByteArray lookupEventsBody(const QString &instanceId, const QDateTime &since,
                            const QString &nextToken, int maxResults = 50);

struct TrailEvent
{
    QString eventId;
    QString name; // StopInstances, TerminateInstances, BidEvictedEvent, StartInstances, ...
    QDateTime time;
    QString eventType; // AwsApiCall, AwsServiceEvent (from the CloudTrailEvent record)
    QString identityType; // IAMUser, AssumedRole, Root, AWSService, ...
    QString caller; // userIdentity.arn, else invokedBy, else Username
    QString invokedBy; // e.g. ec2.amazonaws.com for EC2's own calls
    EvidenceKind kind = EvidenceKind::None; // what this event says about a stop
};

struct LookupEventsPage
{
    QString error; // empty = parsed
    QList<TrailEvent> events;
    QString nextToken;
};
LookupEventsPage parseLookupEvents(QByteArrayView json);

} // namespace spotkeeper::core::aws
