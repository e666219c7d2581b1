// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// The engine's seam to a cloud. Azure (ArmCloudProvider) first; the engine knows
// nothing of ARM URLs, tokens or error envelopes, only these classified results.
namespace spotkeeper::core {

// How the engine should react to a failed call.
enum class FailureClass {
    None, // success
    Transient, // 5xx, timeout, reset, 409 still deallocating/another operation: retry with backoff
    Throttled, // 429: retry no sooner than retryAfter
    Capacity, // AllocationFailed, ZonalAllocationFailed, Overconstrained*, SkuNotAvailable: retry,
              // long backoff
    Price, // SpotPriceGreaterThanProvidedMaxPrice: needs operator
    Quota, // OperationNotAllowed quota: needs operator
    Authorization, // AuthorizationFailed, 401 after refresh, credential errors: needs operator
    NotFound, // 404: VM deleted (Delete eviction policy): needs operator
    Fatal, // anything else that retrying cannot fix: needs operator
};
QString toString(FailureClass failure);
bool isRetryable(FailureClass failure);

struct CallResult
{
    FailureClass failure = FailureClass::None;
    int httpStatus = 0;
    QString errorCode; // the most specific ARM code (details[] searched)
    QString errorMessage; // ARM's message; never contains a token or secret
    QString correlationId;
    QDateTime retryAfter; // absolute UTC time before which no retry may be sent; invalid = none
    bool ok() const { return failure == FailureClass::None; }
};

struct PowerStateResult
{
    CallResult call;
    PowerState state = PowerState::Unknown;
};

struct StartResult
{
    CallResult call;
    QString asyncOperationUrl; // set when ARM answered 202; persist it to resume after a crash
    bool finished = false; // the async operation reached Succeeded/Failed/Canceled
};

struct ListResult
{
    CallResult call;
    QList<VmRecord> vms; // statusOnly: identity + powerState; full: also size, priority, tags, ...
    int pages = 0; // ARM calls made (nextLink pages)
    // false: the listing covers only part of the scope (Google Cloud: filtered by the opt-in
    // label, or zones that did not answer), so a VM it lacks is not known to be gone.
    bool complete = true;
};

// What the cloud's own records say about why a VM went down (Azure: the Activity Log).
enum class EvidenceKind {
    None, // nothing recorded (yet: the Activity Log lags by minutes)
    Eviction, // the platform evicted the VM (evictSpotVM, simulateEviction)
    Deliberate, // someone deallocated, powered off or deleted it (caller + operation)
};
QString toString(EvidenceKind kind); // "none", "eviction", "deliberate"

struct EvidenceResult
{
    CallResult call;
    // Human-readable record: "<operation> <status> at <time> (operationId <id>)"; empty = none.
    QString evidence;
    EvidenceKind kind = EvidenceKind::None;
    QString caller; // who did it (Deliberate; for an eviction whatever the cloud records)
    QString operation; // e.g. Microsoft.Compute/virtualMachines/deallocate/action
    QDateTime at; // when the operation was recorded
};

// The Activity Log of many VMs of one subscription, read at once (evictionEvidenceForVms).
struct FleetEvidenceResult
{
    CallResult call;
    // resourceKey -> the latest decisive entry since `since`; a VM without one is absent.
    QHash<QString, EvidenceResult> byVm;
    int pages = 0; // reads made
    bool complete = true; // false: the page bound stopped the listing before its end
};

// A VM's settings the capacity fallback reads and changes (docs/ENGINE.md "Capacity fallback").
struct VmSettingsResult
{
    CallResult call;
    QString size; // Azure: hardwareProfile.vmSize
    std::optional<double> maxPrice; // Azure: billingProfile.maxPrice (-1 = pay-as-you-go); none
                                    // for a VM without one (not Spot)
};

// What to change: an empty size and no maxPrice change nothing.
struct VmSettingsChange
{
    QString size;
    std::optional<double> maxPrice;
};

struct VmSizesResult
{
    CallResult call;
    QStringList sizes; // the sizes the VM can be resized to where it is
};

class CloudProvider : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~CloudProvider() override = default;

    virtual QString name() const = 0; // "azure"
    virtual void powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done) = 0;
    // POST start; follows the async operation to a terminal state before calling done.
    // progress(url) is called as soon as the async operation URL is known, so the
    // engine can persist it before waiting on it.
    virtual void start(const VmRecord &vm, std::function<void(const QString &asyncUrl)> progress,
                       std::function<void(StartResult)> done) = 0;
    // POST start without following its async operation: done() gets the POST's own answer
    // (on a 202: call ok, finished false, asyncOperationUrl set when Azure sent one). For
    // storms, where one paged power-state list confirms many starts at once instead of one
    // operation poll per VM. The default follows, as start() does.
    virtual void startWithoutFollowing(const VmRecord &vm, std::function<void(StartResult)> done);
    // Resumes following a start whose async operation URL was persisted.
    virtual void resumeStart(const VmRecord &vm, const QString &asyncUrl,
                             std::function<void(StartResult)> done) = 0;
    // All VMs of a subscription, every nextLink page followed.
    virtual void listVms(const QString &subscriptionId, bool statusOnly,
                         std::function<void(ListResult)> done) = 0;
    // Classifies the most recent power operation recorded on the VM since `since`: an
    // eviction, a deliberate stop (deallocate, power off, delete, with its caller), or none.
    virtual void evictionEvidence(const VmRecord &vm, const QDateTime &since,
                                  std::function<void(EvidenceResult)> done) = 0;
    // The same for many VMs of one subscription: one paged listing of the subscription's
    // records since `since` answers all of them (Azure: the Activity Log of
    // Microsoft.Compute, not one query per VM). The default asks evictionEvidence per VM.
    virtual void evictionEvidenceForVms(const QString &subscriptionId, const QList<VmRecord> &vms,
                                        const QDateTime &since,
                                        std::function<void(FleetEvidenceResult)> done);
    // Why this cloud will not let SpotKeeper bring the VM back after an eviction, for the
    // fleet view and the job ("" = it can be started). The default: a Spot VM with the Delete
    // eviction policy (Azure deletes it on eviction). Google Cloud adds its own reasons
    // (termination action DELETE, a managed instance group that recreates its VMs).
    virtual QString cannotRestart(const VmRecord &vm) const;
    // Deallocates the VM (an operator's "Stop on purpose"). Done when the cloud accepted the
    // request; the power change itself is observed like any other.
    virtual void deallocate(const VmRecord &vm, std::function<void(CallResult)> done) = 0;
    // Restarts (reboots) a running VM: the application health watch's remedy for an
    // application unhealthy for too long (docs/ENGINE.md "Application health"). Done when the
    // cloud accepted the request. The default answers Fatal "RestartNotSupported".
    virtual void restart(const VmRecord &vm, std::function<void(CallResult)> done);

    // The capacity fallback's calls. A cloud that cannot resize a VM or change its max price
    // says so: the defaults answer Fatal "SettingsChangeNotSupported" (and canChangeSettings
    // is false), and the engine leaves such a VM to its retries and its operator.
    virtual bool canChangeSettings(const VmRecord &vm) const;
    // The VM's size and max price as the cloud has them now (Azure: GET of the VM).
    virtual void vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done);
    // The sizes the (deallocated) VM can take where it is (Azure: GET {vm}/vmSizes).
    virtual void availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done);
    // Changes the deallocated VM's size and/or max price (Azure: PATCH of hardwareProfile.vmSize
    // and billingProfile.maxPrice); done when the cloud has applied it.
    virtual void changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                                std::function<void(CallResult)> done);
    // What the defaults answer.
    static CallResult settingsNotSupported();
};

} // namespace spotkeeper::core
