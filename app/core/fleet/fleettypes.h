// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

// Plain value types shared by the store, the engine, the listener and the GUI models.
namespace spotkeeper::core {

// Power state as ARM reports it in instanceView.statuses[] ("PowerState/<x>"),
// plus Deleted (GET answered 404: a Delete-policy eviction) and Unknown.
enum class PowerState {
    Unknown,
    Starting,
    Running,
    Stopping,
    Stopped,
    Deallocating,
    Deallocated,
    Deleted
};
QString toString(PowerState state); // "running", "deallocated", ...
PowerState powerStateFromString(QStringView text); // accepts "PowerState/running" and "running"

enum class DesiredState { Running, Stopped };
QString toString(DesiredState state);
DesiredState desiredStateFromString(QStringView text);

// Why SpotKeeper manages (may restart) a VM. None = observed only, never restarted.
enum class ManagedBy { None, Agent, Tag, Operator };
QString toString(ManagedBy reason);
ManagedBy managedByFromString(QStringView text);

// A restart job's life: WaitingForDeallocation -> Starting -> Running (recovered),
// with BackingOff between attempts; NeedsOperator stops until an operator acts;
// Paused and Cancelled are operator states. Running and Cancelled are terminal. A VM whose
// agent has an application health probe passes WaitingForApplication (the VM runs, the
// application has not reported healthy yet) before Running.
enum class JobState {
    WaitingForDeallocation,
    Starting,
    BackingOff,
    Running,
    NeedsOperator,
    Paused,
    Cancelled,
    WaitingForApplication
};
QString toString(JobState state); // "waiting_for_deallocation", "starting", ...
JobState jobStateFromString(QStringView text);
bool isTerminal(JobState state);

// What the agent's application health probe last reported (protocol version 3). None: the
// agent reported no probe (none configured, or an agent that predates probes).
enum class AppHealth { None, Pending, Healthy, Unhealthy };
QString toString(AppHealth health); // "", "pending", "healthy", "unhealthy"
AppHealth appHealthFromString(QStringView text);

// The reason a restart job ended Running without the application reporting healthy.
inline constexpr auto kAppNotHealthyReason = "application not healthy";

enum class EventKind {
    Notice, // a Scheduled Events notice from an agent
    Heartbeat, // recorded only when something changed (first seen, poll outcome flip)
    Eviction, // the engine concluded the VM was evicted (notice or reconciler)
    RestartAttempt, // one ARM start call: HTTP status, ARM error code, correlation id
    PowerChange, // the reconciler saw a power state change
    JobTransition, // a restart job changed state
    Alert, // e.g. still down after the alert threshold
};
QString toString(EventKind kind);
EventKind eventKindFromString(QStringView text);

struct VmRecord
{
    qint64 id = 0; // store row id, 0 = not stored yet
    QString resourceKey; // lower-cased ARM resource id, unique
    QString resourceId; // ARM resource id as Azure spells it
    QString subscriptionId;
    QString resourceGroup;
    QString name;
    QString vmId;
    QString location;
    QString zone;
    QString size;
    QString priority; // "Spot" | "Regular" | ""
    QString evictionPolicy; // "Deallocate" | "Delete" | ""
    QMap<QString, QString> tags;
    PowerState powerState = PowerState::Unknown;
    QDateTime powerStateAt;
    DesiredState desiredState = DesiredState::Running;
    // Set while desiredState is Stopped because someone stopped the VM on purpose: who (an
    // Activity Log caller, or the operator's actor), with which operation, when.
    QString stoppedBy;
    QString stoppedOperation;
    QDateTime stoppedAt;
    bool autoRestart = true;
    ManagedBy managedBy = ManagedBy::None;
    QDateTime agentLastSeen;
    QString agentVersion;
    QString agentLastPollError; // from the last heartbeat; empty when ok
    // Set by the AgentWatch when the agent of a running VM fell silent (no heartbeat for the
    // configured number of intervals); invalid while it answers or the VM is not running.
    QDateTime agentSilentSince;
    QDateTime createdAt;
    QDateTime updatedAt;
    // The application health probe's last report (heartbeats, protocol version 3).
    AppHealth appHealth = AppHealth::None;
    QString appProbe; // "http", "tcp", "command"; empty with AppHealth::None
    QDateTime appHealthSince; // when appHealth last changed (the heartbeat that said so)
    qint64 appLatencyMs = -1;
    QString appHealthDetail;
};

// The agent of a running VM is silent: flagged by the AgentWatch and no heartbeat came since
// (a heartbeat after the flag shows the agent alive at once, before the watch clears it).
// A deallocated or stopped VM is never "agent silent": its agent is expected to be quiet.
bool isAgentSilent(const VmRecord &vm);
// The application on a running VM reports unhealthy (its agent's probe fails).
bool isAppUnhealthy(const VmRecord &vm);

struct EventRecord
{
    qint64 id = 0;
    qint64 vmId = 0;
    EventKind kind = EventKind::Notice;
    QDateTime at; // when it happened (UTC)
    QString source; // "agent", "reconciler", "engine", "operator"
    QString eventType; // Scheduled Events type for notices/evictions ("Preempt", ...)
    QString eventId; // Scheduled Events EventId, when there is one
    QString eventStatus; // "Scheduled" | "Started" for notices
    QString webhookId; // for notices: the webhook-id (unique)
    int httpStatus = 0; // restart attempts
    QString armErrorCode; // restart attempts
    QString correlationId; // x-ms-correlation-request-id of the ARM call
    QString message; // human-readable summary
    QString evidence; // e.g. Activity Log evictSpotVM operation id
    QByteArray payload; // raw JSON of a notice, if any
};

struct JobRecord
{
    qint64 id = 0;
    qint64 vmId = 0;
    JobState state = JobState::WaitingForDeallocation;
    QString trigger; // "notice", "reconciler", "operator"
    int attempt = 0; // start calls made so far
    QDateTime nextAttemptAt;
    QDateTime notBefore; // from the notice; polling for deallocation starts here
    QDateTime evictedAt;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime finishedAt;
    QString reason; // why NeedsOperator / Cancelled, shown to operators
    QString lastErrorCode;
    QString lastErrorMessage;
    QString asyncOperationUrl; // an in-flight start being followed (resumed after a restart)
    QString leaseOwner;
    QDateTime leaseExpiresAt;
    // Bumped by every write of the row (saves, a claim by a new owner, a release): an
    // engine's conditional save (Store::saveJobIfUnchanged) fails once anyone else wrote.
    qint64 version = 0;
    // When the application reported healthy after the restart (VMs with a health probe);
    // time-to-recovery counts to here when set.
    QDateTime appHealthyAt;
};

struct AgentKeySecret
{
    QByteArray secret; // raw bytes; never logged
    QDateTime createdAt;
    QDateTime expiresAt; // invalid = no expiry; set on the old secret during rotation
};

struct AgentKeyRecord
{
    QString keyId;
    QString vmResourceKey; // the one VM this key may speak for
    QDateTime createdAt;
    QDateTime revokedAt; // invalid = active
    QList<AgentKeySecret> secrets;
};

struct AuditRecord
{
    qint64 id = 0;
    QDateTime at;
    QString actor; // "gui:<user>", "api:<token id>", "cli"
    QString action; // "force_restart", "pause", "resume", "cancel", "key_generate", ...
    QString target; // resource key, key id, ...
    QString detail; // free text / JSON, never a secret
};

} // namespace spotkeeper::core
