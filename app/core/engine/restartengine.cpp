// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/restartengine.h"

#include "base/clock.h"
#include "engine/duetimer.h"
#include "fleet/cloud.h"
#include "fleet/eventtypes.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSet>

#include <algorithm>

Q_LOGGING_CATEGORY(lcEngine, "spotkeeper.engine")

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

bool startable(PowerState state)
{
    return state == PowerState::Deallocated || state == PowerState::Stopped;
}

// An AWS instance EC2 terminated is handed to its provider too: it replaces a one-time Spot
// Instance that opted in (RunInstances from its launch template, docs/AWS-PROTOCOL.md §9) or
// answers that it is gone. Other clouds' deleted VMs need an operator at once.
bool startableOn(const QString &resourceKey, PowerState state)
{
    return startable(state)
        || (state == PowerState::Deleted && cloudOfResourceId(resourceKey) == Cloud::Aws);
}

} // namespace

RestartEngine::RestartEngine(Store &store, CloudProvider &cloud, base::Clock &clock,
                             EngineConfig config, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_cloud(cloud)
    , m_clock(clock)
    , m_config(std::move(config))
    , m_backoff(m_config.backoff,
                m_config.random          ? m_config.random
                    : m_config.seed != 0 ? BackoffPolicy::seededRandom(m_config.seed)
                                         : BackoffPolicy::Random())
    , m_alive(std::make_shared<bool>(true))
{
    if (m_config.owner.isEmpty())
        m_config.owner = u"engine:"_s + QString::number(QCoreApplication::applicationPid());
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { processDue(); });
}

RestartEngine::~RestartEngine()
{
    *m_alive = false;
}

QDateTime RestartEngine::now() const
{
    return m_clock.nowUtc();
}

void RestartEngine::start()
{
    m_leaseRenewAt = now();
    renewLeases();
    // Replicas on PostgreSQL hear at once when a job changes hands elsewhere (LISTEN/NOTIFY);
    // on SQLite the next renewal finds out.
    m_store.watchJobOwners(
        this, [this](qint64 vmId, const QString &owner) { handleJobOwnerChanged(vmId, owner); });
    reschedule();
}

void RestartEngine::Tracked::observe(PowerState state, const QDateTime &at)
{
    observed = state;
    observedAt = at;
    if (state != PowerState::Running && state != PowerState::Starting
        && state != PowerState::Unknown)
        sawNotRunning = true;
}

bool RestartEngine::evictionPending(const Tracked &t, const QDateTime &at) const
{
    return t.job.state == JobState::WaitingForDeallocation && !t.sawNotRunning
        && t.job.trigger == u"notice"_s
        && (!t.job.notBefore.isValid() || at < t.job.notBefore.addMSecs(m_config.evictionGraceMs));
}

QDateTime RestartEngine::takeTokens(RateBudget &vm, RateBudget &subscription)
{
    const qint64 nowMs = m_clock.nowMSecs();
    const qint64 earliest = std::max(vm.earliestMs(nowMs), subscription.earliestMs(nowMs));
    if (earliest > nowMs)
        return QDateTime::fromMSecsSinceEpoch(earliest, Qt::UTC);
    vm.tryTake(nowMs);
    subscription.tryTake(nowMs);
    return {};
}

void RestartEngine::handleJobOwnerChanged(qint64 vmId, const QString &owner)
{
    if (owner.isEmpty()) {
        // Another engine released its jobs (it stopped): claim them now, not at the next
        // renewal.
        m_leaseRenewAt = now();
        reschedule();
        return;
    }
    // An operator action through another replica (or a rescue) made the job someone else's:
    // let it go now instead of at the next renewal. Its next save would fail anyway.
    if (owner != m_config.owner && m_jobs.contains(vmId))
        loseJob(vmId, u"taken over by "_s + owner);
}

RateBudget &RestartEngine::budget(QHash<QString, RateBudget> &map, const QString &key,
                                  const BudgetConfig &config)
{
    auto it = map.find(key);
    // No refill lag here: the engine only orders its jobs; the ARM request queue, which
    // paces the wire with the same numbers, adds the lag where requests meet ARM.
    if (it == map.end())
        it = map.insert(key, RateBudget(m_config.budgets.enabled ? config : BudgetConfig {}));
    return it.value();
}

void RestartEngine::renewLeases()
{
    const QDateTime at = now();
    if (m_leaseRenewAt.isValid() && at < m_leaseRenewAt
        && (!m_leaseRescueAt.isValid() || at < m_leaseRescueAt))
        return;
    const QList<JobRecord> claimed =
        m_store.claimJobs(m_config.owner, at.addMSecs(m_config.leaseMs), 100'000);
    const bool claimOk = m_store.lastError().code == StoreError::Code::None;
    QSet<qint64> ours;
    for (const JobRecord &job : claimed) {
        ours.insert(job.vmId);
        auto it = m_jobs.find(job.vmId);
        if (it == m_jobs.end()) {
            adopt(job);
        } else if (it->job.id == job.id && it->job.version == job.version) {
            it->job.leaseOwner = job.leaseOwner;
            it->job.leaseExpiresAt = job.leaseExpiresAt;
        } else { // changed under us (an operator elsewhere): start again from the row
            m_jobs.erase(it);
            m_jobsBySubscriptionDirty = true;
            adopt(job);
        }
    }
    // A tracked job the claim did not return is someone else's now (its lease was taken
    // over after ours lapsed, or an operator acted on it through another engine).
    if (claimOk) {
        const QList<qint64> tracked = m_jobs.keys();
        for (qint64 vmId : tracked) {
            if (!ours.contains(vmId))
                loseJob(vmId, u"the lease is no longer ours"_s);
        }
    }
    // Renewal doubles as the rescue sweep: a killed engine's leases are claimed here even
    // when nothing of our own is due, so this wakes the engine on its own (nextDueAt()).
    m_leaseRenewAt = at.addMSecs(std::max<qint64>(1'000, m_config.leaseMs / 3));
    m_leaseRescueAt = QDateTime(); // and at the earliest expiry of another owner's lease
    for (const JobRecord &job : m_store.activeJobs()) {
        if (job.leaseOwner != m_config.owner && job.leaseExpiresAt.isValid()
            && job.leaseExpiresAt > at
            && (!m_leaseRescueAt.isValid() || job.leaseExpiresAt < m_leaseRescueAt))
            m_leaseRescueAt = job.leaseExpiresAt;
    }
}

void RestartEngine::loseJob(qint64 vmId, const QString &why)
{
    // Nothing is written: the row belongs to whoever changed it. Late replies to our calls
    // find no tracked job and are dropped.
    m_jobsBySubscriptionDirty = true;
    if (m_jobs.remove(vmId) > 0)
        qCInfo(lcEngine).noquote() << "job of VM" << vmId << "left to its new owner:" << why;
}

void RestartEngine::adopt(const JobRecord &job)
{
    if (isTerminal(job.state))
        return;
    Tracked t;
    t.job = job;
    if (const std::optional<VmRecord> vm = m_store.vm(job.vmId)) {
        t.resourceKey = vm->resourceKey;
        t.subscriptionKey = vm->subscriptionId.toLower();
        if (!vm->location.isEmpty() && !vm->size.isEmpty())
            t.capacityKey = (vm->subscriptionId + u'|' + vm->location + u'|' + vm->size).toLower();
    }
    const QDateTime at = now();
    switch (job.state) {
    case JobState::WaitingForDeallocation:
        t.dueAt = std::max({at, job.notBefore.isValid() ? job.notBefore : at,
                            job.nextAttemptAt.isValid() ? job.nextAttemptAt : at});
        break;
    case JobState::BackingOff:
        t.dueAt = std::max(at, job.nextAttemptAt.isValid() ? job.nextAttemptAt : at);
        break;
    case JobState::Starting:
        t.dueAt = at; // resume the async operation, or re-check the power state
        break;
    case JobState::WaitingForApplication:
        t.appWaitSince = job.updatedAt.isValid() ? job.updatedAt : at;
        t.dueAt = at;
        break;
    default:
        break; // NeedsOperator, Paused: wait for an operator
    }
    EventFilter alerts;
    alerts.vmId = job.vmId;
    alerts.kinds = {EventKind::Alert};
    alerts.from = job.createdAt;
    // The job's still-down alert; a capacity shortage's alert on the VM is not it.
    const QList<EventRecord> raised = m_store.events(alerts);
    t.alerted = std::any_of(raised.cbegin(), raised.cend(), [](const EventRecord &e) {
        return e.eventType != eventtype::kCapacity;
    });
    m_jobs.insert(job.vmId, t);
    m_jobsBySubscriptionDirty = true;
}

std::optional<JobRecord> RestartEngine::createJob(const VmRecord &vm, JobState state,
                                                  const QString &trigger,
                                                  const QDateTime &notBefore,
                                                  const QDateTime &evictedAt)
{
    const QDateTime at = now();
    JobRecord job;
    job.vmId = vm.id;
    job.state = state;
    job.trigger = trigger;
    job.notBefore = notBefore;
    job.evictedAt = evictedAt.isValid() ? evictedAt : at;
    job.nextAttemptAt = state == JobState::BackingOff ? at : QDateTime();
    job.createdAt = at;
    job.updatedAt = at;
    job.leaseOwner = m_config.owner;
    job.leaseExpiresAt = at.addMSecs(m_config.leaseMs);
    bool created = false;
    const std::optional<JobRecord> stored = m_store.createJob(job, &created);
    if (!stored) {
        Q_EMIT storeFailed(u"cannot create a restart job: "_s + m_store.lastError().message);
        return std::nullopt;
    }
    if (!created) {
        // A job of ours from before is adopted; another engine's is left to it (or rescued
        // by renewLeases() once its lease expires): two engines never work on one job.
        if (!m_jobs.contains(vm.id) && stored->leaseOwner == m_config.owner)
            adopt(*stored);
        return std::nullopt;
    }
    const EventRecord event = jobEvent(*stored, EventKind::JobTransition,
                                       u"job created ("_s + trigger + u"): "_s + toString(state));
    m_store.appendEvent(event);
    adopt(*stored);
    Q_EMIT jobChanged(vm.id, state);
    return stored;
}

EventRecord RestartEngine::jobEvent(const JobRecord &job, EventKind kind,
                                    const QString &message) const
{
    EventRecord event;
    event.vmId = job.vmId;
    event.kind = kind;
    event.at = now();
    event.source = u"engine"_s;
    event.message = message;
    return event;
}

bool RestartEngine::transition(qint64 vmId, JobState to, const QString &message,
                               const EventRecord *event)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return false;
    const JobRecord before = it->job;
    JobRecord &job = it->job;
    job.state = to;
    job.updatedAt = now();
    if (isTerminal(to))
        job.finishedAt = job.updatedAt;
    if (to != JobState::Starting)
        job.asyncOperationUrl.clear();
    EventRecord record = event
        ? *event
        : jobEvent(job, EventKind::JobTransition,
                   toString(before.state) + u" -> "_s + toString(to)
                       + (message.isEmpty() ? QString() : u": "_s + message));
    // What the transition means for operators, explicit for the Notifier (fleet/eventtypes.h).
    if (to == JobState::Running)
        record.eventType = eventtype::kRestarted.toString();
    else if (to == JobState::NeedsOperator)
        record.eventType = eventtype::kNeedsOperator.toString();
    if (!m_store.saveJobIfUnchanged(job, &record)) {
        if (m_store.lastError().code == StoreError::Code::Conflict) {
            loseJob(vmId, m_store.lastError().message); // another engine or an operator
            return false;
        }
        job = before; // not saved, so not acted on
        it->dueAt = now().addMSecs(5'000);
        Q_EMIT storeFailed(u"cannot save restart job: "_s + m_store.lastError().message);
        return false;
    }
    if (isTerminal(to)) {
        m_jobs.erase(it);
        m_jobsBySubscriptionDirty = true;
    }
    Q_EMIT jobChanged(vmId, to);
    return true;
}

int RestartEngine::processDue()
{
    if (m_processing)
        return 0;
    m_processing = true;
    renewLeases();
    int acted = 0;
    for (int pass = 0; pass < 8; ++pass) {
        const QDateTime at = now();
        QList<qint64> due;
        for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
            if (!it->inFlight && it->dueAt.isValid() && it->dueAt <= at)
                due.append(it.key());
        }
        QList<qint64> probes;
        for (auto it = m_probes.cbegin(); it != m_probes.cend(); ++it) {
            if (!it->inFlight && it->dueAt <= at)
                probes.append(it.key());
        }
        const bool listDue =
            std::any_of(m_powerLists.cbegin(), m_powerLists.cend(), [&at](const PowerList &l) {
                return l.wanted && !l.inFlight && (!l.nextAt.isValid() || l.nextAt <= at);
            });
        QList<qint64> watches;
        for (auto it = m_watches.cbegin(); it != m_watches.cend(); ++it) {
            if (!it->inFlight && it->dueAt <= at)
                watches.append(it.key());
        }
        if (due.isEmpty() && probes.isEmpty() && !listDue && watches.isEmpty())
            break;
        // Oldest due first, so a shared budget is handed out in order.
        std::sort(due.begin(), due.end(), [this](qint64 a, qint64 b) {
            const Tracked &ta = m_jobs[a];
            const Tracked &tb = m_jobs[b];
            return ta.dueAt != tb.dueAt ? ta.dueAt < tb.dueAt : ta.job.id < tb.job.id;
        });
        for (qint64 vmId : std::as_const(due)) {
            actOn(vmId);
            ++acted;
        }
        for (qint64 vmId : std::as_const(probes))
            processProbe(vmId);
        processPowerLists(); // after the jobs: the ones that just asked are served together
        processWatches(watches);
    }
    const QList<qint64> ids = m_jobs.keys();
    for (qint64 vmId : ids)
        checkAlert(vmId);
    m_processing = false;
    reschedule();
    return acted;
}

QDateTime RestartEngine::nextDueAt() const
{
    QDateTime next;
    auto consider = [&next](const QDateTime &at) {
        if (at.isValid() && (!next.isValid() || at < next))
            next = at;
    };
    for (const Tracked &t : m_jobs) {
        if (!t.inFlight)
            consider(t.dueAt);
        if (!t.alerted && m_config.alertAfterMs > 0 && t.job.state != JobState::Paused
            && t.job.state != JobState::WaitingForApplication) {
            const QDateTime since = t.job.evictedAt.isValid() ? t.job.evictedAt : t.job.createdAt;
            consider(since.addMSecs(m_config.alertAfterMs));
        }
    }
    for (const Probe &p : m_probes) {
        if (!p.inFlight)
            consider(p.dueAt);
    }
    for (const PowerList &l : m_powerLists) {
        if (l.wanted && !l.inFlight)
            consider(l.nextAt);
    }
    for (const EvidenceWatch &w : m_watches) {
        if (!w.inFlight)
            consider(w.dueAt);
    }
    consider(m_leaseRenewAt); // also with no jobs of our own: rescue expired leases
    consider(m_leaseRescueAt);
    return next;
}

void RestartEngine::reschedule()
{
    if (!m_config.driveWithTimer)
        return;
    armForDue(m_timer, now(), nextDueAt());
}

QList<JobRecord> RestartEngine::trackedJobs() const
{
    QList<JobRecord> jobs;
    for (const Tracked &t : m_jobs)
        jobs.append(t.job);
    std::sort(jobs.begin(), jobs.end(),
              [](const JobRecord &a, const JobRecord &b) { return a.id < b.id; });
    return jobs;
}

std::optional<JobRecord> RestartEngine::trackedJob(qint64 vmId) const
{
    const auto it = m_jobs.constFind(vmId);
    if (it == m_jobs.cend())
        return std::nullopt;
    return it->job;
}

bool RestartEngine::hasWaitingJobs() const
{
    return std::any_of(m_jobs.cbegin(), m_jobs.cend(), [](const Tracked &t) {
        return t.job.state == JobState::WaitingForDeallocation || t.job.state == JobState::Starting
            || t.job.state == JobState::BackingOff;
    });
}

void RestartEngine::actOn(qint64 vmId)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->inFlight)
        return;
    it->dueAt = QDateTime();
    switch (it->job.state) {
    case JobState::WaitingForDeallocation:
        // Once seen deallocated, take the start tokens first, then re-check if stale:
        // under a shared budget a VM must not lose its turn to a re-poll.
        if (startableOn(it->resourceKey, it->observed))
            tryStart(vmId);
        else
            poll(vmId);
        break;
    case JobState::BackingOff:
        tryStart(vmId);
        break;
    case JobState::Starting:
        if (!it->job.asyncOperationUrl.isEmpty()) {
            const std::optional<VmRecord> vm = m_store.vm(vmId);
            if (!vm) {
                toNeedsOperator(
                    vmId, CallResult {FailureClass::NotFound, 0, {}, u"VM row missing"_s, {}, {}},
                    u"VM no longer in the fleet"_s);
                return;
            }
            it->inFlight = true;
            const quint64 generation = it->generation;
            m_cloud.resumeStart(*vm, it->job.asyncOperationUrl,
                                [alive = m_alive, this, vmId, generation](StartResult result) {
                                    if (*alive)
                                        handleStartDone(vmId, generation, result);
                                });
        } else if (startableOn(it->resourceKey, it->observed) && it->observedAt.isValid()
                   && it->observedAt.msecsTo(now()) <= m_config.freshObservationMs) {
            tryStart(vmId); // just seen down after an accepted start that did not take
        } else {
            poll(vmId); // the POST may or may not have reached Azure: look before starting again
        }
        break;
    case JobState::WaitingForApplication:
        checkApplication(vmId);
        break;
    default:
        break;
    }
}

void RestartEngine::poll(qint64 vmId)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return;
    if (!it->listMissed && inStorm(*it)) {
        // One list of the subscription answers for every waiting job; a watchdog due time
        // falls back to asking again should no list come.
        it->awaitingList = true;
        it->dueAt = now().addMSecs(4 * std::max<qint64>(1'000, m_config.listPowerIntervalMs));
        wantPowerList(it->subscriptionKey);
        return;
    }
    if (const QDateTime wait =
            takeTokens(budget(m_vmRead, it->resourceKey, m_config.budgets.vmReads),
                       budget(m_subRead, it->subscriptionKey, m_config.budgets.subscriptionReads));
        wait.isValid()) {
        it->dueAt = wait;
        return;
    }
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm) {
        toNeedsOperator(vmId,
                        CallResult {FailureClass::NotFound, 0, {}, u"VM row missing"_s, {}, {}},
                        u"VM no longer in the fleet"_s);
        return;
    }
    it->listMissed = false;
    it->awaitingList = false;
    it->inFlight = true;
    const quint64 generation = it->generation;
    m_cloud.powerState(*vm, [alive = m_alive, this, vmId, generation](PowerStateResult result) {
        if (*alive)
            handlePowerResult(vmId, generation, result);
    });
}

void RestartEngine::handlePowerResult(qint64 vmId, quint64 generation,
                                      const PowerStateResult &result)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->generation != generation)
        return;
    it->inFlight = false;
    const QDateTime at = now();
    const CallResult &call = result.call;
    if (!call.ok()
        || (result.state == PowerState::Deleted && !startableOn(it->resourceKey, result.state))) {
        switch (call.failure) {
        case FailureClass::Throttled:
        case FailureClass::Transient:
        case FailureClass::Capacity: {
            QDateTime due = at.addMSecs(m_config.deallocationPollMs);
            if (call.retryAfter.isValid() && call.retryAfter > due)
                due = call.retryAfter;
            if (call.failure == FailureClass::Throttled) {
                if (const auto vm = m_store.vm(vmId))
                    budget(m_subRead, vm->subscriptionId.toLower(),
                           m_config.budgets.subscriptionReads)
                        .blockUntil(due.toMSecsSinceEpoch());
            }
            it->dueAt = due;
            break;
        }
        default: {
            CallResult failed = call;
            if (failed.ok())
                failed.failure = FailureClass::NotFound;
            toNeedsOperator(vmId, failed, u"reading the power state"_s);
            break;
        }
        }
        reschedule();
        return;
    }

    const PowerState state = result.state;
    if (state != it->observed)
        m_store.setPowerState(vmId, state, at);
    it->observe(state, at);

    const JobState jobState = it->job.state;
    if (state == PowerState::Running) {
        if (evictionPending(*it, at)) {
            it->dueAt = at.addMSecs(m_config.deallocationPollMs); // not evicted yet
        } else {
            finishRunning(vmId, u"VM is running"_s);
        }
    } else if (startableOn(it->resourceKey, state)) {
        tryStart(vmId);
    } else if (state == PowerState::Deallocating || state == PowerState::Stopping) {
        if (jobState != JobState::WaitingForDeallocation)
            transition(vmId, JobState::WaitingForDeallocation, u"VM is "_s + toString(state));
        if (auto again = m_jobs.find(vmId); again != m_jobs.end())
            again->dueAt = at.addMSecs(m_config.deallocationPollMs);
    } else { // Starting (someone else's start, or ours whose URL we lost) or Unknown
        it->dueAt = at.addMSecs(jobState == JobState::Starting ? m_config.startingPollMs
                                                               : m_config.deallocationPollMs);
    }
    reschedule();
}

void RestartEngine::tryStart(qint64 vmId)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return;
    if (!it->reserved) {
        if (const QDateTime wait = takeTokens(
                budget(m_vmStart, it->resourceKey, m_config.budgets.vmStarts),
                budget(m_subWrite, it->subscriptionKey, m_config.budgets.subscriptionWrites));
            wait.isValid()) {
            it->dueAt = wait;
            return;
        }
        it->reserved = true;
    }
    const bool fresh =
        it->observedAt.isValid() && it->observedAt.msecsTo(now()) <= m_config.freshObservationMs;
    if (!fresh || !startableOn(it->resourceKey, it->observed)) {
        poll(vmId); // never start a VM we have not just seen deallocated or stopped
        return;
    }
    issueStart(vmId);
}

void RestartEngine::issueStart(qint64 vmId)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return;
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return;
    it->reserved = false;
    it->job.attempt += 1;
    it->job.nextAttemptAt = QDateTime();
    it->job.asyncOperationUrl.clear();
    const int attempt = it->job.attempt;
    if (!transition(vmId, JobState::Starting, u"start attempt "_s + QString::number(attempt))) {
        if (auto again = m_jobs.find(vmId); again != m_jobs.end())
            again->job.attempt -= 1;
        return;
    }
    it = m_jobs.find(vmId);
    it->inFlight = true;
    it->observedAt = QDateTime(); // whatever we saw no longer holds once a start is sent
    it->acceptedAt = QDateTime();
    const quint64 generation = it->generation;
    if (inStorm(*it)) { // the power list confirms it, not an operation poll per VM
        m_cloud.startWithoutFollowing(
            *vm, [alive = m_alive, this, vmId, generation](StartResult result) {
                if (*alive)
                    handleStartDone(vmId, generation, result);
            });
        return;
    }
    m_cloud.start(
        *vm,
        [alive = m_alive, this, vmId, generation](const QString &url) {
            if (*alive)
                handleStartProgress(vmId, generation, url);
        },
        [alive = m_alive, this, vmId, generation](StartResult result) {
            if (*alive)
                handleStartDone(vmId, generation, result);
        });
}

} // namespace spotkeeper::core
