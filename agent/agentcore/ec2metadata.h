// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/scheduledevents.h" // Parsed<T>
#include "protocol/messages.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

// Pure parsers for what the agent reads from the EC2 instance metadata service (IMDSv2,
// docs/AWS-PROTOCOL.md §4), and the events it reports for AWS. No I/O, so the documented
// payloads in tests/data/aws/imds and the fuzzer (tests/fuzz/fuzz_ec2_metadata.cpp) exercise
// exactly the code the agent runs. Everything read here is untrusted input: a parser
// refuses what it cannot read with the reason and never guesses.
namespace spotkeeper::agent {

// /latest/dynamic/instance-identity/document plus /latest/meta-data/instance-life-cycle
// ("spot", "on-demand"; empty when that item answered 404). A VmIdentity with cloud Aws:
// accountId, location = region, zone = availabilityZone, vmId = vmName = instanceId,
// instanceType, priority = the lifecycle. Every field is checked against awsnames.h.
Parsed<protocol::VmIdentity> parseEc2Identity(QByteArrayView document, QByteArrayView lifecycle);

// /latest/meta-data/spot/instance-action (present only once EC2 has marked the Spot
// Instance for interruption): {"action": "terminate" | "stop" | "hibernate", "time":
// "2017-09-18T08:22:00Z"}.
struct Ec2InstanceAction
{
    QString action;
    QDateTime time; // UTC: when EC2 acts
    friend bool operator==(const Ec2InstanceAction &, const Ec2InstanceAction &) = default;
};
Parsed<Ec2InstanceAction> parseInstanceAction(QByteArrayView body);

// /latest/meta-data/events/recommendations/rebalance: {"noticeTime": "2020-10-27T08:22:00Z"}.
Parsed<QDateTime> parseRebalanceRecommendation(QByteArrayView body);

// /latest/meta-data/events/maintenance/scheduled: a JSON array of
// {"NotBefore": "21 Jan 2019 09:00:43 GMT", "Code": "system-reboot", "Description": "...",
//  "EventId": "instance-event-0d59937288b749b32", "NotAfter": "...", "State": "active"}.
// An empty body reads as no events.
struct Ec2MaintenanceEvent
{
    QString code; // instance-reboot, system-reboot, system-maintenance, instance-retirement,
                  // instance-stop, or one AWS adds later
    QString description;
    QString eventId; // "instance-event-..."
    QDateTime notBefore; // UTC
    QDateTime notAfter; // UTC; invalid when absent
    QString state; // "active", "completed", "canceled" ("" when absent)
    friend bool operator==(const Ec2MaintenanceEvent &, const Ec2MaintenanceEvent &) = default;
};
Parsed<QList<Ec2MaintenanceEvent>> parseScheduledMaintenance(QByteArrayView body);

// The notice events for AWS. EC2 gives the interruption and the rebalance recommendation no
// id, so the id is a name-based UUID (version 5) of the instance id and what happened with
// its time: the same notice seen again after an agent restart gets the same id.
// An interruption: Preempt; Scheduled with NotBefore = the action's time for terminate and
// stop (the two-minute warning), Started for hibernate (hibernation begins at once). The
// description names the action.
protocol::ScheduledEvent interruptionEvent(const protocol::VmIdentity &vm,
                                           const Ec2InstanceAction &action);
// A rebalance recommendation: type "RebalanceRecommendation" (not an Azure type, kept as
// text), Scheduled, no NotBefore.
protocol::ScheduledEvent rebalanceEvent(const protocol::VmIdentity &vm,
                                        const QDateTime &noticeTime);
// A scheduled maintenance event: instance-reboot and system-reboot -> Reboot, any other code
// as its words run together ("system-maintenance" -> "SystemMaintenance"), Scheduled with
// NotBefore; the id derives from EC2's event id.
protocol::ScheduledEvent maintenanceEvent(const protocol::VmIdentity &vm,
                                          const Ec2MaintenanceEvent &maintenance);

} // namespace spotkeeper::agent
