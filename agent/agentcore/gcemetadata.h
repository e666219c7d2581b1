// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/scheduledevents.h" // Parsed<T>
#include "protocol/messages.h"

#include <QByteArrayView>
#include <QString>

// Pure parsers for what the agent reads from the Compute Engine metadata server
// (docs/GCP-PROTOCOL.md §1-3), and the events it reports for Google Cloud. No I/O, so
// recorded answers in tests/data/gcp and the fuzzer (tests/fuzz/fuzz_gce_metadata.cpp)
// exercise exactly the code the agent runs. Every value is plain text except
// instance/scheduling/?recursive=true&alt=json, a JSON object of strings.
namespace spotkeeper::agent {

// The raw answers to the identity reads, as the metadata server sent them.
struct GceIdentityAnswers
{
    QByteArray projectId; // project/project-id: "my-project"
    QByteArray instanceId; // instance/id: "4520031799277581759" (text: ids exceed 2^53)
    QByteArray name; // instance/name: "worker-7"
    QByteArray zone; // instance/zone: "projects/123456789012/zones/us-central1-a"
    QByteArray scheduling; // instance/scheduling/?recursive=true&alt=json
};

// A VmIdentity with cloud Gcp, or an error naming the key and what is wrong with it.
// priority: provisioningModel ("SPOT", "STANDARD"); a legacy preemptible VM without
// provisioningModel SPOT reads "PREEMPTIBLE". evictionPolicy: instanceTerminationAction
// ("STOP", "DELETE"), "" when absent. location: the zone.
Parsed<protocol::VmIdentity> parseGceIdentity(const GceIdentityAnswers &answers);

// instance/preempted: "TRUE" or "FALSE" (surrounding white space ignored).
Parsed<bool> parsePreempted(QByteArrayView body);

// instance/maintenance-event: "NONE", "MIGRATE_ON_HOST_MAINTENANCE",
// "TERMINATE_ON_HOST_MAINTENANCE", or a value Google adds later (upper-case letters, digits
// and '_', at most 64): returned as read.
Parsed<QString> parseMaintenanceEvent(QByteArrayView body);

// The notice events for Google Cloud. Google gives no event ids, so the id is a name-based
// UUID (version 5) of the instance id, the boot and what happened: the same preemption seen
// again after an agent restart gets the same id, and the next boot's a new one.
// A preemption: Preempt, Started (the VM is already going down, ~30 s), no NotBefore.
protocol::ScheduledEvent preemptionEvent(const protocol::VmIdentity &vm, const QString &bootId);
// A host maintenance notice: MIGRATE_ON_HOST_MAINTENANCE -> Freeze (live migration pauses
// the VM briefly), TERMINATE_ON_HOST_MAINTENANCE -> Reboot (the VM is stopped and, with
// automatic restart, started again), anything else -> type text "HostMaintenance";
// Scheduled. ordinal tells apart the notices of one boot (1, 2, ...).
protocol::ScheduledEvent maintenanceEvent(const protocol::VmIdentity &vm, const QString &value,
                                          int ordinal, const QString &bootId);

} // namespace spotkeeper::agent
