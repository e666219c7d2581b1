// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

// The EC2 Query API's XML answers (docs/AWS-PROTOCOL.md §6), read with QXmlStreamReader: only
// the fields SpotKeeper uses, by element path (an element of the same name deeper down, e.g.
// in networkInterfaceSet, is never taken for the instance's own), namespace and API version
// ignored, unknown elements skipped. Pure and bounded: no network, no logging; a body larger
// than kMaxEc2ResponseBytes or not well-formed gives an error and no data.
namespace spotkeeper::core::aws {

inline constexpr qsizetype kMaxEc2ResponseBytes = qsizetype {32} * 1024 * 1024;

// instanceState/name and its documented codes (the low byte of code).
enum class Ec2InstanceState {
    Unknown,
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped
};
Ec2InstanceState instanceStateFromName(QStringView name);
QString toString(Ec2InstanceState state); // "pending", ..., "unknown"

using TagList = QList<QPair<QString, QString>>;

struct Ec2Instance
{
    QString instanceId;
    QString reservationId;
    QString ownerId; // the account (from the reservation)
    QString instanceType;
    QString availabilityZone;
    Ec2InstanceState state = Ec2InstanceState::Unknown;
    int stateCode = -1;
    QString stateReasonCode; // e.g. Server.SpotInstanceShutdown, Client.UserInitiatedShutdown
    QString stateReasonMessage;
    QString stateTransitionReason; // <reason>, e.g. "User initiated (2026-12-07 10:00:00 GMT)"
    QString instanceLifecycle; // "spot", "capacity-block"; empty = On-Demand
    QString spotInstanceRequestId; // sir-...
    QDateTime launchTime;
    TagList tags;

    bool isSpot() const { return instanceLifecycle == QLatin1StringView("spot"); }
    QString tag(const QString &key) const; // empty if absent
    // From the tag EC2 sets on instances launched from a launch template.
    QString launchTemplateId() const { return tag(QStringLiteral("aws:ec2launchtemplate:id")); }
};

struct DescribeInstancesPage
{
    QString error; // empty = parsed; otherwise why not (nothing else is set)
    QString requestId;
    QList<Ec2Instance> instances;
    QString nextToken; // empty = last page
};
DescribeInstancesPage parseDescribeInstances(QByteArrayView xml);

struct InstanceStateChange
{
    QString instanceId;
    Ec2InstanceState current = Ec2InstanceState::Unknown;
    Ec2InstanceState previous = Ec2InstanceState::Unknown;
};

struct StartInstancesAnswer
{
    QString error;
    QString requestId;
    QList<InstanceStateChange> instances;
};
StartInstancesAnswer parseStartInstances(QByteArrayView xml);

// RunInstancesResponse: the launched instances (instancesSet/item), as readInstance reads them.
struct RunInstancesAnswer
{
    QString error;
    QString requestId;
    QList<Ec2Instance> instances;
};
RunInstancesAnswer parseRunInstances(QByteArrayView xml);

struct SpotInstanceRequest
{
    QString spotInstanceRequestId;
    QString type; // "one-time" | "persistent"
    QString state; // open | active | closed | cancelled | failed | disabled
    QString
        statusCode; // e.g. fulfilled, instance-stopped-by-price, instance-terminated-no-capacity
    QString statusMessage;
    QDateTime statusUpdateTime;
    QString instanceInterruptionBehavior; // terminate | stop | hibernate (absent = terminate)
    QString instanceId;
    QString launchedAvailabilityZone;
    QDateTime validUntil;
    TagList tags;
};

struct SpotInstanceRequestsPage
{
    QString error;
    QString requestId;
    QList<SpotInstanceRequest> requests;
    QString nextToken;
};
SpotInstanceRequestsPage parseDescribeSpotInstanceRequests(QByteArrayView xml);

// <Response><Errors><Error><Code/><Message/></Error>...</Errors><RequestID/></Response>
struct Ec2Error
{
    QString code;
    QString message;
};

struct Ec2ErrorResponse
{
    QList<Ec2Error> errors; // in the order sent; empty if the body is not an error response
    QString requestId;
    bool isEmpty() const { return errors.isEmpty(); }
};
Ec2ErrorResponse parseErrorResponse(QByteArrayView xml);

// The classification table (docs/AWS-PROTOCOL.md §6.4). httpStatus 0 = no HTTP answer.
// A "Client." or "Server." prefix on the code is ignored.
FailureClass classifyEc2Error(int httpStatus, QStringView code);
// A whole answer: 2xx = success; otherwise the first error's code classified, with the message
// and the request id (as correlationId).
CallResult ec2CallResult(int httpStatus, QByteArrayView body);

} // namespace spotkeeper::core::aws
