// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "engine/capacityfallback.h"
#include "engine/engineconfig.h"
#include "fleet/cloudprovider.h"
#include "fleet/fleetoperations.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <optional>

// The restart engine: one job per evicted VM, retried until the VM runs. Every job
// transition is saved to the store (with its event, one transaction) before it is
// acted on, so a new engine on the same store resumes exactly where a killed one
// stopped: a start whose async operation URL was persisted is followed, never POSTed
// again. Single-threaded; lives in the thread that owns the Store. Production wakes
// with a QTimer at the next due time; tests with a ManualClock call processDue().
namespace spotkeeper::core {

class Store;

class RestartEngine final : public QObject, public FleetOperations
{
    Q_OBJECT
public:
    RestartEngine(Store &store, CloudProvider &cloud, base::Clock &clock, EngineConfig config = {},
                  QObject *parent = nullptr);
    ~RestartEngine() override;
    Q_DISABLE_COPY_MOVE(RestartEngine)

    const EngineConfig &config() const { return m_config; }
    // Claims (leases) the store's unfinished jobs, rescuing expired leases, and resumes them.
    void start();
    // Acts on everything due at clock.nowUtc(); returns how many jobs it acted on.
    int processDue();
    // Earliest time something is due; invalid when nothing is scheduled.
    QDateTime nextDueAt() const;
    // Jobs this engine works on (non-terminal), for views and tests.
    QList<JobRecord> trackedJobs() const;
    std::optional<JobRecord> trackedJob(qint64 vmId) const;
    bool hasWaitingJobs() const; // a job waits on a power state (the reconciler sweeps faster)

    // From the reconciler: a power state seen in a list sweep (fresh observation).
    void observePowerState(qint64 vmId, PowerState state);
    // From the reconciler: a managed VM went running -> deallocated with no job and no
    // notice. Reads the Activity Log from lastSeenUp (minus evidenceLookBackMs) until it
    // shows an eviction (job), a deliberate stop (desired state stopped, audited) or
    // evidenceWaitMs pass (restartUnproven decides). False if a job exists already, the VM
    // must not be restarted, or it is being looked at.
    bool handleUnreportedDeallocation(qint64 vmId, PowerState observed,
                                      const QDateTime &lastSeenUp);
    bool awaitingEvidence(qint64 vmId) const { return m_watches.contains(vmId); }
    // Creates a job (trigger "reconciler") for an eviction found without a notice; false if
    // one existed or the VM must not be restarted.
    bool handleUnreportedEviction(qint64 vmId, PowerState observed);
    // Appends the Eviction event for an eviction the reconciler found (with Activity Log
    // evidence when there is some) and emits evictionRecorded.
    void recordEvictionEvidence(qint64 vmId, const QString &source, const QString &message,
                                const QString &evidence);

    // The application health watch's remedy (apphealthwatch.h): a restart through the cloud of
    // a running VM that has no restart job, within the start and write budgets - it waits
    // for no token: without one it answers Conflict and the watch tries again at its next
    // look. Audited (actor "engine", action "app_restart") and in the timeline (a
    // RestartAttempt event of type "app_restart", then the cloud's answer).
    OperationResult restartForAppHealth(qint64 vmId, const QString &why);

    // Reverts one capacity fallback change (the audit row auditId of a resize or a max price
    // change) by applying its before value to the deallocated VM; itself one audit row
    // ("fallback_undo", written when the cloud answered) and one timeline event.
    OperationResult undoFallback(qint64 auditId, const QString &actor) override;

    // FleetOperations
    void handleNoticeStored(qint64 vmId, const EventRecord &notice) override;
    void handleUnconfirmedNotice(qint64 vmId) override;
    OperationResult forceRestart(qint64 vmId, const QString &actor) override;
    OperationResult pauseAutoRestart(qint64 vmId, const QString &actor) override;
    OperationResult resumeAutoRestart(qint64 vmId, const QString &actor) override;
    OperationResult cancelJob(qint64 vmId, const QString &actor) override;
    OperationResult addVm(const QString &resourceId, const QString &actor) override;
    OperationResult stopOnPurpose(qint64 vmId, const QString &actor) override;
    OperationResult startVm(qint64 vmId, const QString &actor) override;

Q_SIGNALS:
    void jobChanged(qint64 vmId, spotkeeper::core::JobState state);
    void evictionRecorded(qint64 vmId, const QString &source);
    void restartAttempted(qint64 vmId, int attempt, spotkeeper::core::FailureClass failure);
    void restartSucceeded(qint64 vmId, qint64 downtimeMs);
    void needsOperator(qint64 vmId, const QString &reason);
    void vmStillDown(qint64 vmId, int minutes);
    void alertRaised(qint64 vmId, const QString &message);
    // A restarted VM runs, but its application did not report healthy within the timeout.
    void applicationUnhealthy(qint64 vmId, const QString &detail);
    void storeFailed(const QString &message);
    // A managed VM's deallocation was someone's decision (Activity Log caller or operator).
    void stoppedOnPurpose(qint64 vmId, const QString &by, const QString &operation);
    // The cloud answered a Stop on purpose's deallocate request (ok: accepted).
    void deallocateAnswered(qint64 vmId, bool ok, const QString &message);
    // The capacity fallback changed (or, in a dry run, would change) a VM, or undid a change.
    void fallbackRecorded(qint64 vmId, const QString &action, const QString &message);

private:
    struct Tracked
    {
        JobRecord job;
        QString resourceKey; // budget keys, cached: budget checks must not hit the store
        QString subscriptionKey; // lower-cased subscription id
        QString capacityKey; // subscription|location|size, lower case: one capacity pool
        bool capacityWait = false; // backing off after a capacity error
        QDateTime dueAt; // invalid = waiting on a callback or on an operator
        bool inFlight = false;
        bool reserved = false; // start tokens already taken for the next start
        bool sawNotRunning = false;
        PowerState observed = PowerState::Unknown;
        QDateTime observedAt;
        bool alerted = false;
        quint64 generation = 0; // bumped by operator actions: stale callbacks are ignored
        bool awaitingList = false; // storm: the next power list of the subscription answers
        bool listMissed = false; // the list did not have the VM: one GET instead
        QDateTime acceptedAt; // a start accepted and not followed: a power list confirms it
        QDateTime appWaitSince; // WaitingForApplication: since when the VM runs
        QDateTime capacitySince; // the first capacity refusal of this job (the fallback's clock)
        QSet<QString> fallbackNotes; // fallback events already written for this job
        bool fallbackDryRun = false; // a dry run's resize is recorded once per job

        // The VM was seen in `state` at `at` (by a GET or a list); any state but running,
        // starting or unknown is remembered as the VM having been down.
        void observe(PowerState state, const QDateTime &at);
    };
    struct PowerList // storm: one statusOnly list per subscription serves every job in it
    {
        bool wanted = false;
        bool inFlight = false;
        QDateTime nextAt; // not before (interval, read budget)
    };
    struct Probe // handleUnconfirmedNotice: a bounded power watch not tied to a job
    {
        QDateTime dueAt;
        bool inFlight = false;
        QDateTime until; // unconfirmedWatchMs after the notice: stop watching
    };
    struct EvidenceWatch // handleUnreportedDeallocation: Activity Log reads until it decides
    {
        QDateTime since; // read the Activity Log from here
        QDateTime deadline; // then restartUnproven decides
        QDateTime dueAt;
        PowerState observed = PowerState::Unknown;
        bool inFlight = false;
        int reads = 0;
        QString subscriptionId; // watches of one subscription share one Activity Log listing
        bool alone = false; // a shared listing hit its page bound without this VM: own reads
    };

    // restartengine.cpp: the job state machine
    void adopt(const JobRecord &job);
    void loseJob(qint64 vmId, const QString &why); // our save met a newer row: not ours now
    // Store::watchJobOwners: vmId's job is owner's now (0 + "": jobs were released).
    void handleJobOwnerChanged(qint64 vmId, const QString &owner);
    void adoptStoredJob(qint64 vmId); // adopt(vmId's active stored job) unless tracked already
    void actOn(qint64 vmId);
    void poll(qint64 vmId);
    void handlePowerResult(qint64 vmId, quint64 generation, const PowerStateResult &result);
    void tryStart(qint64 vmId);
    void issueStart(qint64 vmId);
    void handleStartProgress(qint64 vmId, quint64 generation, const QString &url);
    void handleStartDone(qint64 vmId, quint64 generation, const StartResult &result);
    bool handleStartAccepted(qint64 vmId, const StartResult &result, EventRecord event);
    // restartenginestorm.cpp: power states and start confirmation from paged lists
    bool inStorm(const Tracked &t);
    void wantPowerList(const QString &subscriptionKey);
    void processPowerLists();
    void startPowerList(const QString &subscriptionKey);
    void handlePowerList(const QString &subscriptionKey, const ListResult &result);
    void checkAlert(qint64 vmId);
    void wakeCapacityWaiters(const QString &capacityKey);
    // A start refused for capacity: the first refusal of the pool starts its shortage; one
    // that lasts capacityAlertAfterMs raises one alert (a success in the pool ends it).
    void noteCapacityError(qint64 vmId, const CallResult &call);
    void renewLeases();
    bool transition(qint64 vmId, JobState to, const QString &message,
                    const EventRecord *event = nullptr);
    void toNeedsOperator(qint64 vmId, const CallResult &call, const QString &what);
    void finishRunning(qint64 vmId, const QString &why, const EventRecord *event = nullptr);
    // restartengineapphealth.cpp: recovered only once the application reports healthy
    bool waitsForApplication(const VmRecord &vm) const;
    void checkApplication(qint64 vmId);
    void endWaitForApplication(qint64 vmId, const VmRecord &vm);
    void reschedule();
    EventRecord jobEvent(const JobRecord &job, EventKind kind, const QString &message) const;
    EventRecord vmEvent(qint64 vmId, EventKind kind, const QString &source,
                        const QString &message) const;
    QDateTime now() const;
    // A notice's job whose VM still runs within the eviction grace: the eviction is to come.
    bool evictionPending(const Tracked &t, const QDateTime &at) const;
    // A call costs a token of both the VM's and its subscription's budget: takes one of each
    // and returns an invalid time, or takes none and returns when both will have one.
    QDateTime takeTokens(RateBudget &vm, RateBudget &subscription);
    RateBudget &budget(QHash<QString, RateBudget> &map, const QString &key,
                       const BudgetConfig &config);
    std::optional<JobRecord> createJob(const VmRecord &vm, JobState state, const QString &trigger,
                                       const QDateTime &notBefore, const QDateTime &evictedAt);

    // restartenginefallback.cpp: the capacity fallback (capacityfallback.h decides)
    // After a capacity refusal (the job backs off): resize to the next approved size once the
    // refusals lasted FallbackConfig::afterMs. True when a fallback step started.
    bool fallBackFromCapacity(qint64 vmId);
    // A start refused for the max price: raise it to the cap (or park the job with the reason).
    // False when the VM has no price cap, and the refusal takes its usual course.
    bool raiseMaxPriceAfterRefusal(qint64 vmId, const CallResult &call, const EventRecord &attempt);
    struct FallbackStep // one change under way: whose, and why
    {
        qint64 vmId = 0;
        quint64 generation = 0; // the job's when it began: an operator action ends the step
        VmRecord vm;
        QString reason; // for the audit row
    };
    std::optional<FallbackPolicy> fallbackPolicyOf(const VmRecord &vm); // a bad tag is noted
    bool fallbackAllowed(const VmRecord &vm); // the cloud can, the daily limit allows
    void resizeWithin(const FallbackStep &step, const QStringList &approved,
                      const VmSizesResult &sizes);
    void raiseWithin(const FallbackStep &step, double cap, const QString &refusal,
                     const VmSettingsResult &settings);
    // Changes the VM, writes the audit row and the event, then starts the job again (a size
    // change refused: its backoff; a max price refused: an operator).
    void applyFallback(const FallbackStep &step, const QString &action,
                       const FallbackChange &change, const VmSettingsChange &settings);
    void resumeAfterFallback(qint64 vmId, bool startNow);
    void parkForOperator(qint64 vmId, const QString &reason);
    void fallbackNote(qint64 vmId, const QString &message);
    bool fallbackLimitReached(const VmRecord &vm, QString *why);
    // FallbackConfig::returnToPreferred: a VM stopped on purpose after a fallback resize gets
    // its preferred size back once it is deallocated.
    void noteDeliberateStop(const VmRecord &vm);
    void returnToPreferredSize(qint64 vmId);
    void recordFallback(const VmRecord &vm, const QString &action, const FallbackChange &change,
                        const QString &actor);

    // restartengineoperations.cpp: ingest and operator actions
    void processProbe(qint64 vmId);
    void handleProbeResult(qint64 vmId, const PowerStateResult &result);
    bool mayRestart(const VmRecord &vm, QString *why) const;
    OperationResult restartNow(const VmRecord &vm, const QString &actor);
    OperationResult resumeOrStart(qint64 vmId, const QString &actor, const QString &action);
    void parkIfNotRestartable(const VmRecord &vm);

    // restartengineevidence.cpp: what the Activity Log says about a deallocation
    void processWatches(const QList<qint64> &due);
    std::optional<VmRecord> watchedVm(qint64 vmId); // nullopt: the watch is over or concluded
    void readEvidenceAlone(const VmRecord &vm);
    void readEvidenceTogether(const QString &subscriptionId, const QList<VmRecord> &vms);
    void handleWatchResult(qint64 vmId, const EvidenceResult &result);
    void concludeUnproven(qint64 vmId);
    void markStoppedOnPurpose(const VmRecord &vm, const QString &by, const QString &operation,
                              const QString &source, const QString &evidence);
    void recordEviction(const VmRecord &vm, const QString &source, const EventRecord *notice,
                        const QString &message);
    OperationResult audited(const QString &actor, const QString &action, const QString &target,
                            OperationResult result);
    // Looks the VM up and writes one audit row for the action: op runs only for a VM that
    // exists ("no such VM" otherwise), and its result is what the row records.
    OperationResult auditedOnVm(qint64 vmId, const QString &actor, const QString &action,
                                const std::function<OperationResult(const VmRecord &)> &op);

    Store &m_store;
    CloudProvider &m_cloud;
    base::Clock &m_clock;
    EngineConfig m_config;
    BackoffPolicy m_backoff;
    QHash<qint64, Tracked> m_jobs; // by vm id
    QHash<qint64, Probe> m_probes;
    QHash<QString, PowerList> m_powerLists; // by subscription key
    QHash<QString, int> m_jobsBySubscription; // storm detection, rebuilt when dirty
    bool m_jobsBySubscriptionDirty = true;
    QHash<qint64, EvidenceWatch> m_watches;
    QHash<qint64, QString> m_sizeReturns; // vm id -> preferred size, resized at deallocation
    struct CapacityShortage
    {
        QDateTime since; // the first capacity error since the pool's last success
        bool alerted = false;
    };
    QHash<QString, CapacityShortage> m_capacityShortages; // by capacity key
    QHash<QString, RateBudget> m_vmStart; // by resource key
    QHash<QString, RateBudget> m_vmRead; // by resource key
    QHash<QString, RateBudget> m_subWrite; // by subscription id (lower case)
    QHash<QString, RateBudget> m_subRead;
    QDateTime m_leaseRenewAt; // every leaseMs/3 once started: renew ours, rescue expired ones
    QDateTime m_leaseRescueAt; // earliest expiry of another owner's lease (invalid = none)
    QTimer m_timer;
    bool m_processing = false;
    std::shared_ptr<bool> m_alive; // callbacks check it: a destroyed engine ignores late replies
};

} // namespace spotkeeper::core
