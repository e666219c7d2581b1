// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

// The agent <-> dashboard wire protocol: the one definition linked by both sides.
// Messages are JSON objects with a "type" discriminator ("spotkeeper.notice" or
// "spotkeeper.heartbeat") and a "version"; they travel on different routes, so a
// heartbeat can never be mistaken for an eviction notice. Encoding, decoding and
// validation live in messagecodec.h; signing in webhooksignature.h.
namespace spotkeeper::protocol {

// Version 1 is Azure's shape (no cloud field). Version 2 adds "vm.cloud" so a notice can
// come from another cloud (docs/PROTOCOL.md). Azure identities are still written as
// version 1, so dashboards that predate version 2 keep accepting Azure agents; a reader
// accepts both, and a version 1 message is Azure.
inline constexpr int kNoticeVersion = 1;
inline constexpr int kHeartbeatVersion = 1;
inline constexpr int kCloudVersion = 2; // notices and heartbeats with vm.cloud
// Version 3 (heartbeats only) adds "app", the application health probe's last result; agents
// write it only when a probe is configured, so one without keeps working against an older
// dashboard. Version 3 names the cloud as version 2 does.
inline constexpr int kAppHealthVersion = 3;
inline constexpr auto kNoticeType = "spotkeeper.notice";
inline constexpr auto kHeartbeatType = "spotkeeper.heartbeat";

// Azure Scheduled Events types (IMDS api-version 2020-07-01). Unknown is kept for
// forward compatibility: a future type is reported, never dropped.
enum class EventType { Freeze, Reboot, Redeploy, Preempt, Terminate, Unknown };
enum class EventStatus { Scheduled, Started, Unknown };

// Where the VM runs. The wire names are "azure", "gcp" and "aws" (an EC2 instance, filed under
// its ARN arn:<partition>:ec2:<region>:<account>:instance/<id>).
enum class Cloud { Azure, Gcp, Aws };

// Who the VM is, as the cloud's metadata service tells it. For Azure: IMDS instance
// metadata, names compare case-insensitively. For Google Cloud (cloud == Gcp): projectId,
// zone, vmName (the instance name) and vmId (the numeric instance id) from the metadata
// server; priority is the provisioning model ("SPOT", "STANDARD") and evictionPolicy the
// instance termination action ("STOP", "DELETE" or ""); location is the zone; the Azure-only
// fields stay empty. For AWS (cloud == Aws): accountId, location (the Region), zone (the
// Availability Zone), vmId and vmName (both the instance id "i-..."), instanceType, from the
// instance identity document; priority is the instance lifecycle ("spot", "on-demand"),
// evictionPolicy stays empty (the interruption behaviour shows only in the notice).
struct VmIdentity
{
    QString subscriptionId; // GUID
    QString resourceGroup;
    QString vmName;
    QString vmId; // GUID assigned by Azure
    QString location;
    QString vmScaleSetName; // empty when standalone
    QString priority; // "Spot", "Regular" ("" from IMDS means Regular)
    QString evictionPolicy; // "Deallocate", "Delete" or empty
    // IMDS compute.resourceId (api-version 2019-03-11 and later): the VM's real ARM id,
    // which for a uniform scale set instance is ".../virtualMachineScaleSets/{vmss}/
    // virtualMachines/{instanceId}" and cannot be composed from the fields above. Empty
    // when not reported (older agents, older api-versions).
    QString armResourceId;
    // Added with protocol version 2: last, and with default initialisers, so positional
    // initialisers of the fields above stay valid (and -Wmissing-field-initializers quiet).
    Cloud cloud = Cloud::Azure;
    QString projectId {}; // Google Cloud only
    QString zone {}; // Google Cloud and AWS (the Availability Zone)
    QString accountId {}; // AWS only: the 12-digit account id
    QString instanceType {}; // AWS only: "m5.large"

    // Azure: armResourceId when set, else composed:
    // "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}"
    // Google Cloud: "projects/{projectId}/zones/{zone}/instances/{vmName}".
    // AWS: the instance ARN "arn:aws:ec2:{location}:{accountId}:instance/{vmId}" (the
    // partition follows from the Region: awsnames.h).
    QString resourceId() const;
    // resourceId() lower-cased: the key under which the dashboard files the VM.
    QString resourceKey() const;
    friend bool operator==(const VmIdentity &, const VmIdentity &) = default;
};

// One Scheduled Events entry, fields named as Azure names them.
struct ScheduledEvent
{
    QString eventId; // GUID, upper case in every real sample
    EventType eventType = EventType::Unknown;
    QString eventTypeText; // verbatim from IMDS, so Unknown keeps its name; encoded if set
    EventStatus eventStatus = EventStatus::Unknown;
    QDateTime notBefore; // UTC; invalid when IMDS sent "" (event already started)
    QString description;
    QString eventSource; // "Platform" | "User"
    int durationInSeconds = -1; // -1 unknown, 0 no impact
    QString resourceType; // "VirtualMachine"
    QStringList resources; // VM names the event applies to
    friend bool operator==(const ScheduledEvent &, const ScheduledEvent &) = default;
};

struct Notice
{
    VmIdentity vm;
    ScheduledEvent event;
    qint64 documentIncarnation = 0;
    QString agentVersion;
    QDateTime sentAt; // UTC
    friend bool operator==(const Notice &, const Notice &) = default;
};

// Outcome of the agent's last IMDS poll, reported in every heartbeat.
struct PollOutcome
{
    QDateTime at; // UTC; invalid if no poll has completed yet
    bool ok = false;
    QString error; // human-readable, empty when ok
    friend bool operator==(const PollOutcome &, const PollOutcome &) = default;
};

// The agent's application health probe (docs/AGENT.md "Application health"), reported in
// every heartbeat of an agent that has one. Pending until the first probe finished.
enum class ProbeKind { Http, Tcp, Command };
enum class AppHealthState { Pending, Healthy, Unhealthy };

struct AppHealth
{
    ProbeKind probe = ProbeKind::Http;
    AppHealthState state = AppHealthState::Pending;
    QDateTime at; // UTC, when the last probe finished; invalid while pending
    qint64 latencyMs = -1; // how long the last probe took; -1 while pending
    QString detail; // "HTTP 200", "connection refused", "exited with status 1", ...
    friend bool operator==(const AppHealth &, const AppHealth &) = default;
};

struct Heartbeat
{
    VmIdentity vm;
    QString agentVersion;
    qint64 uptimeSeconds = 0;
    PollOutcome lastPoll;
    bool identityKnown = true; // false while IMDS instance metadata cannot be read; the vm
                               // fields may then be empty (see messagecodec.h)
    QDateTime sentAt; // UTC
    std::optional<AppHealth> app {}; // version 3; nullopt: no probe configured (or older agent)
    friend bool operator==(const Heartbeat &, const Heartbeat &) = default;
};

// Empty when vm.armResourceId is empty or a VM resource id (standalone/flexible:
// .../virtualMachines/{vmName}; uniform scale set: .../virtualMachineScaleSets/
// {vmScaleSetName}/virtualMachines/{instanceId}) whose parts agree with vm's fields
// (case-insensitively); otherwise the rule it breaks.
QString checkArmResourceId(const VmIdentity &vm);

QString toString(Cloud cloud); // "azure", "gcp", "aws"
std::optional<Cloud> cloudFromString(QStringView text); // exact, lower case

QString toString(ProbeKind kind); // "http", "tcp", "command"
std::optional<ProbeKind> probeKindFromString(QStringView text);
QString toString(AppHealthState state); // "pending", "healthy", "unhealthy"
std::optional<AppHealthState> appHealthStateFromString(QStringView text);

QString toString(EventType type);
EventType eventTypeFromString(QStringView text);
QString toString(EventStatus status);
EventStatus eventStatusFromString(QStringView text);

} // namespace spotkeeper::protocol
