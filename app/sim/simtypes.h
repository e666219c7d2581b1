// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

// Plain data of the simulated Azure: VMs, their scheduled events, start operations,
// capacity windows, Activity Log entries and the records the end-to-end checks read.
// Times named *Ms are simulated epoch milliseconds unless named wall*.
namespace spotkeeper::sim {

// Stopping/Stopped: powered off (powerOff), still allocated and billed; start needs no capacity.
enum class Power {
    Running,
    Deallocating,
    Deallocated,
    Starting,
    Deleting,
    Deleted,
    Stopping,
    Stopped
};
QString powerCode(Power power); // "running", "deallocated", ... (as in "PowerState/<code>")

struct Timings
{
    qint64 noticeMs = 30'000; // Preempt NotBefore - now
    qint64 deallocatingMs = 30'000;
    qint64 deletingMs = 30'000;
    qint64 stoppingMs = 10'000; // powerOff accepted -> stopped
    qint64 startingMs = 60'000; // start accepted -> running
    qint64 startFailMs = 10'000; // start accepted -> async Failed (capacity)
    qint64 runningStartNoopMs = 1'000; // start on a running VM: op succeeds after this
    // AWS: EC2 restarts an interrupted instance of a persistent Spot request this long after
    // capacity returned in its Availability Zone and type (docs/AWS-PROTOCOL.md §2).
    qint64 awsRestartMs = 60'000;
};

struct SimEvent
{
    QString eventId; // upper-case GUID
    QString status; // "Scheduled" | "Started"
    qint64 notBeforeMs = 0; // 0 once Started (NotBefore "")
};

struct SimVm
{
    QString subscriptionId;
    QString resourceGroup;
    QString name;
    QString location;
    QString zone; // "" = regional
    QString size;
    QString priority = QStringLiteral("Spot");
    QString evictionPolicy = QStringLiteral("Deallocate");
    double maxPrice = -1; // -1: never evicted or refused for price
    QMap<QString, QString> tags;
    QString vmId;
    bool agent = false; // a simulated agent watches it
    // A uniform scale set instance: its scale set's name and instance id (digits); name is
    // then "{scaleSet}_{instanceId}" as ARM and IMDS spell it. Empty = a standalone VM.
    QString scaleSet;
    QString instanceId;

    Power power = Power::Running;
    qint64 powerSinceMs = 0;
    qint64 nextAtMs = 0; // when the current transition completes (0 = none)
    qint64 evictAtMs = 0; // pending eviction (Preempt scheduled); 0 = none
    qint64 incarnation = 1; // Scheduled Events DocumentIncarnation
    QList<SimEvent> events;
    QString startOp; // id of the start operation in flight
    // availability bookkeeping (simulated ms)
    qint64 evictedAtMs = 0; // start of the current outage, 0 = none
    qint64 downMs = 0; // actual outage time
    qint64 unavoidableDownMs = 0; // outage that no restarter could have avoided
    qint64 unavoidableEndMs = 0; // earliest the current outage could have ended
    // loss breakdown of the current outage (simulated ms, 0 = not yet)
    bool outageNoticed = false; // a Preempt document announced it
    qint64 deallocatedAtMs = 0;
    qint64 firstStartAtMs = 0; // first start POST once deallocated
    qint64 startsRefused = 0; // start POSTs of this outage that did not start it

    // The application on the VM, as its health endpoint /app/{name}/health answers it
    // (docs/SIMULATOR.md "Application health"): healthy while the VM runs, unless a test
    // made it unhealthy; appFixedByRestart: the next restart makes it healthy again.
    bool appHealthy = true;
    bool appFixedByRestart = false;
    qint64 restarts = 0; // restarts (ARM POST .../restart) accepted

    // A Google Cloud (Compute Engine) VM when set: its project id. It has no subscription or
    // resource group, is not listed by the ARM routes, its metadata server is under
    // /gce/{name}/computeMetadata/v1/, location holds its zone, and a pending or completed
    // eviction reads there as instance/preempted TRUE (docs/SIMULATOR.md).
    QString gcpProject {};

    // An AWS (EC2) instance when set: its 12-digit account id. It has no subscription or
    // resource group and is not listed by the ARM routes; location holds its Region, zone its
    // Availability Zone, vmId its instance id ("i-" and 17 hex digits), name its Name tag (the
    // instance metadata of /aws-imds/{name}/latest/... is addressed by it), size its instance
    // type. awsInterruptionBehavior is the Spot request's interruption behaviour, and
    // evictionPolicy follows it (terminate -> Delete, stop and hibernate -> Deallocate);
    // awsRequestType is the Spot request's type ("one-time" only with terminate).
    QString awsAccount {};
    QString awsInterruptionBehavior {}; // "terminate" | "stop" | "hibernate"
    QString awsRequestType {}; // "one-time" | "persistent"
    QString awsSpotRequestId {}; // "sir-" and 8 lower-case letters and digits
    qint64 rebalanceAtMs = 0; // a rebalance recommendation was issued (0 = none)

    bool isGcp() const { return !gcpProject.isEmpty(); }
    // Of the EC2 Query API (ec2routes.cpp): the launch template it was launched from ("lt-...")
    // and the reason of its last stop or termination (e.g. Server.SpotInstanceShutdown).
    QString awsLaunchTemplate {};
    QString awsStateReason {};
    bool isAws() const { return !awsAccount.isEmpty(); }
    // ARM id, for a Google Cloud VM "projects/{project}/zones/{zone}/instances/{name}", for an
    // AWS instance its ARN "arn:aws:ec2:{region}:{account}:instance/{instance id}".
    QString resourceId() const;
    QString key() const { return resourceId().toLower(); }
};

// A scale set whose instances are SimVms with scaleSet set (Uniform orchestration). Tags and
// the Spot settings live here, as on Azure; instances inherit them.
struct SimScaleSet
{
    QString subscriptionId;
    QString resourceGroup;
    QString name;
    QString location;
    QString size;
    QString orchestrationMode = QStringLiteral("Uniform"); // | Flexible
    QString priority = QStringLiteral("Spot");
    QString evictionPolicy = QStringLiteral("Deallocate");
    QMap<QString, QString> tags;
    bool spotRestore = false; // properties.spotRestorePolicy.enabled (reported, not simulated)
    QString resourceId() const;
};

struct SimOperation
{
    QString id;
    int vm = -1; // -1 for a scale set start: children hold the instances' operations
    QString subscriptionId;
    QString location;
    qint64 startMs = 0;
    qint64 doneAtMs = 0;
    QString status = QStringLiteral("InProgress"); // InProgress | Succeeded | Failed
    QString failCode; // set when it will fail
    QString failMessage;
    QStringList children; // a scale set start: one operation per instance started
};

struct CapacityWindow
{
    QString region; // "" = every region
    QString size; // "" = every size
    qint64 fromMs = 0;
    qint64 untilMs = 0;
    QString code = QStringLiteral("AllocationFailed"); // | SkuNotAvailable | ZonalAllocationFailed
    bool async = true; // AllocationFailed arrives as a Failed async op; false = sync 409
};

struct ActivityEntry
{
    QString resourceId;
    QString operationName; // Microsoft.Compute/virtualMachines/evictSpotVM/action, .../start/action
    QString status; // Succeeded
    qint64 atMs = 0;
    QString operationId;
    QString caller; // who: "Microsoft.Compute" for the platform, or a user's UPN
    qint64 visibleAtMs = 0; // the Activity Log lags: hidden from reads before this (0 = at once)
};

struct StartRecord
{
    qint64 simMs = 0;
    qint64 wallMs = 0;
    QString vmKey;
    Power powerBefore = Power::Deallocated;
    bool onRunning = false; // the VM was running: a start SpotKeeper must never send
    bool whileInFlight = false; // another start of this VM was still in flight
    int httpStatus = 0;
    QString outcome; // "accepted", error code, ...
};

// An accepted restart (ARM POST .../restart) of a running VM.
struct RestartRecord
{
    qint64 simMs = 0;
    qint64 wallMs = 0;
    QString vmKey;
    QString caller;
};

struct ModelCounters
{
    qint64 evictions = 0;
    qint64 evictionsWithoutNotice = 0;
    qint64 startsAccepted = 0;
    qint64 startsOnRunning = 0;
    qint64 doubleStarts = 0;
    qint64 startsRefusedCapacity = 0;
    qint64 startsRefusedPrice = 0;
    qint64 startsRefusedBusy = 0; // 409 while deallocating/deleting
    qint64 startsSucceeded = 0;
    qint64 startsFailed = 0;
    qint64 acks = 0;
    qint64 scaleSetStarts = 0; // POST .../virtualMachineScaleSets/{ss}/start calls
    qint64 scaleSetStartInstances = 0; // instance ids those calls named
    qint64 userDeallocations = 0; // deallocated "as a user" (control route or ARM deallocate)
    qint64 userPowerOffs = 0; // powered off "as a user" (control route or ARM powerOff)
    qint64 ec2Restarts = 0; // AWS: interrupted instances EC2 itself started again
    qint64 restarts = 0; // ARM restarts accepted (a reboot: the VM stays running)
};

// Where the VM-minutes beyond the unavoidable went, summed over finished outages
// (simulated ms). For each outage: capacityFree = when its region/size had capacity again
// after deallocation (the deallocation itself when there was no shortage).
//   detection: capacityFree -> first start POST, when that POST started the VM
//   retries: capacityFree -> the accepted start, when earlier POSTs were refused (capacity
//            backoff overshoot, 409 Conflict while deallocating, ...)
struct LossBreakdown
{
    qint64 outages = 0;
    qint64 outagesWithNotice = 0;
    qint64 outagesWithShortage = 0;
    qint64 detectionMs = 0; // with notice
    qint64 detectionNoNoticeMs = 0; // agent loss: the reconciler finds it
    qint64 retriesMs = 0; // outages that needed more than one POST
    qint64 retriesShortageMs = 0; // ... of which those that met a capacity shortage
    qint64 maxLossMs = 0; // the worst single outage
};

struct StartOutcome
{
    int httpStatus = 202; // 202 accepted (opId set), 404, 409
    QString opId;
    QString errorCode;
    QString errorMessage;
};

} // namespace spotkeeper::sim
