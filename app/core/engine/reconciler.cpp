// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/reconciler.h"

#include "base/clock.h"
#include "engine/duetimer.h"
#include "engine/restartengine.h"
#include "fleet/cloud.h"
#include "store/store.h"

#include <QLoggingCategory>
#include <QSet>

#include <algorithm>
#include <limits>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcReconciler, "spotkeeper.reconciler")

bool wasUp(PowerState state)
{
    return state == PowerState::Running || state == PowerState::Starting;
}

// Deallocated (an eviction or a person) or powered off (a person: an eviction never leaves a
// VM stopped and allocated); either way the Activity Log decides.
bool isDown(PowerState state)
{
    return state == PowerState::Deallocating || state == PowerState::Deallocated
        || state == PowerState::Stopping || state == PowerState::Stopped;
}

QString keyOf(const VmRecord &vm)
{
    return vm.resourceKey.isEmpty() ? vm.resourceId.toLower() : vm.resourceKey;
}

} // namespace

Reconciler::Reconciler(Store &store, CloudProvider &cloud, RestartEngine &engine,
                       base::Clock &clock, ReconcilerConfig config, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_cloud(cloud)
    , m_engine(engine)
    , m_clock(clock)
    , m_config(std::move(config))
    , m_alive(std::make_shared<bool>(true))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { processDue(); });
    connect(&m_engine, &RestartEngine::jobChanged, this, [this] { tighten(); });
}

Reconciler::~Reconciler()
{
    *m_alive = false;
}

QStringList Reconciler::subscriptions() const
{
    if (!m_config.subscriptions.isEmpty())
        return m_config.subscriptions;
    QStringList found;
    QSet<QString> seen;
    const QList<VmRecord> vms = m_store.vms();
    for (const VmRecord &vm : vms) {
        if (!vm.subscriptionId.isEmpty() && !seen.contains(vm.subscriptionId.toLower())) {
            seen.insert(vm.subscriptionId.toLower());
            found.append(vm.subscriptionId);
        }
    }
    return found;
}

void Reconciler::start()
{
    const QDateTime now = m_clock.nowUtc();
    const QStringList subs = subscriptions();
    for (const QString &sub : subs)
        m_subs[sub.toLower()].nextAt = now;
    reschedule();
}

void Reconciler::sweepNow()
{
    const QStringList subs = subscriptions();
    for (const QString &sub : subs) {
        Subscription &state = m_subs[sub.toLower()];
        if (!state.inFlight && claimTurn(sub, state, true))
            sweep(sub);
    }
    reschedule();
}

int Reconciler::processDue()
{
    const QDateTime now = m_clock.nowUtc();
    int started = 0;
    const QStringList subs = subscriptions();
    for (const QString &sub : subs) {
        Subscription &state = m_subs[sub.toLower()];
        if (!state.nextAt.isValid())
            state.nextAt = now; // a subscription that appeared since start()
        if (!state.inFlight && state.nextAt <= now && claimTurn(sub, state)) {
            sweep(sub);
            ++started;
        }
    }
    reschedule();
    return started;
}

QDateTime Reconciler::nextDueAt() const
{
    QDateTime next;
    for (const Subscription &s : m_subs) {
        if (!s.inFlight && s.nextAt.isValid() && (!next.isValid() || s.nextAt < next))
            next = s.nextAt;
    }
    return next;
}

bool Reconciler::sweeping() const
{
    return std::any_of(m_subs.cbegin(), m_subs.cend(),
                       [](const Subscription &s) { return s.inFlight; });
}

void Reconciler::tighten()
{
    if (!m_engine.hasWaitingJobs())
        return;
    const QDateTime soon = m_clock.nowUtc().addMSecs(m_config.fastIntervalMs);
    bool changed = false;
    for (Subscription &s : m_subs) {
        if (!s.inFlight && s.nextAt.isValid() && s.nextAt > soon) {
            s.nextAt = soon;
            changed = true;
        }
    }
    if (changed)
        reschedule();
}

void Reconciler::reschedule()
{
    if (!m_config.driveWithTimer)
        return;
    armForDue(m_timer, m_clock.nowUtc(), nextDueAt());
}

bool Reconciler::taggedForRestart(const VmRecord &vm) const
{
    for (auto it = vm.tags.cbegin(); it != vm.tags.cend(); ++it) {
        if (it.key().compare(m_config.autoRestartTag, Qt::CaseInsensitive) == 0
            || it.key().compare(m_config.autoRestartLabel, Qt::CaseInsensitive) == 0)
            return it.value().trimmed().compare(u"true"_s, Qt::CaseInsensitive) == 0;
    }
    return false;
}

qint64 Reconciler::currentIntervalMs() const
{
    return m_engine.hasWaitingJobs() ? m_config.fastIntervalMs : m_config.intervalMs;
}

bool Reconciler::claimTurn(const QString &subscriptionId, Subscription &state, bool evenIfRecent)
{
    if (m_config.owner.isEmpty())
        return true;
    const QDateTime now = m_clock.nowUtc();
    const qint64 interval = currentIntervalMs();
    // sweepNow(): however recent the last sweep, but never beside another engine's sweep.
    const SweepClaim claim = m_store.claimSweep(subscriptionId.toLower(), m_config.owner,
                                                now.addMSecs(m_config.sweepLeaseMs),
                                                evenIfRecent ? now : now.addMSecs(-interval));
    if (claim.granted)
        return true;
    // Another engine sweeps it now (ask again when it should be done, or when its lease ends
    // if it died) or swept it less than an interval ago (ask again an interval after that).
    QDateTime retry = now.addMSecs(interval);
    if (claim.heldUntil.isValid() && claim.heldUntil > now && claim.holder != m_config.owner)
        retry = std::min(retry, claim.heldUntil);
    else if (claim.lastFinishedAt.isValid())
        retry = claim.lastFinishedAt.addMSecs(interval);
    state.nextAt = std::max(retry, now.addMSecs(1'000));
    return false;
}

void Reconciler::sweep(const QString &subscriptionId)
{
    Subscription &state = m_subs[subscriptionId.toLower()];
    state.inFlight = true;
    const QDateTime now = m_clock.nowUtc();
    const bool full = m_config.fullListIntervalMs > 0
        && (!state.lastFullAt.isValid()
            || state.lastFullAt.msecsTo(now) >= m_config.fullListIntervalMs);
    auto stats = std::make_shared<SweepStats>();
    stats->subscriptionId = subscriptionId;
    auto status = [alive = m_alive, this, subscriptionId, stats](const ListResult &result) {
        if (!*alive)
            return;
        applyStatus(subscriptionId, result, *stats);
        finish(subscriptionId, *stats);
    };
    if (!full) {
        m_cloud.listVms(subscriptionId, true, status);
        return;
    }
    state.lastFullAt = now;
    m_cloud.listVms(
        subscriptionId, false,
        [alive = m_alive, this, subscriptionId, stats, status](const ListResult &result) {
            if (!*alive)
                return;
            applyFull(subscriptionId, result, *stats);
            m_cloud.listVms(subscriptionId, true, status);
        });
}

void Reconciler::applyFull(const QString &subscriptionId, const ListResult &result,
                           SweepStats &stats)
{
    stats.armCalls += result.pages;
    if (!result.call.ok())
        return; // the statusOnly list that follows still runs
    QHash<QString, VmRecord> known;
    const QList<VmRecord> stored = m_store.vms();
    for (const VmRecord &vm : stored) {
        if (vm.subscriptionId.compare(subscriptionId, Qt::CaseInsensitive) == 0)
            known.insert(vm.resourceKey, vm);
    }
    for (const VmRecord &listed : result.vms) {
        const QString key = keyOf(listed);
        const bool tagged = taggedForRestart(listed);
        const auto it = known.constFind(key);
        if (it == known.cend()) {
            VmRecord record = listed;
            record.resourceKey = key;
            record.managedBy = tagged ? ManagedBy::Tag : ManagedBy::None;
            record.powerState = PowerState::Unknown;
            if (m_store.upsertVm(record) > 0)
                ++stats.newVms;
            continue;
        }
        VmRecord merged = *it;
        const bool changed = merged.size != listed.size || merged.priority != listed.priority
            || merged.evictionPolicy != listed.evictionPolicy || merged.tags != listed.tags
            || merged.location != listed.location || merged.zone != listed.zone
            || (merged.vmId != listed.vmId && !listed.vmId.isEmpty());
        if (changed) {
            merged.size = listed.size;
            merged.priority = listed.priority;
            merged.evictionPolicy = listed.evictionPolicy;
            merged.tags = listed.tags;
            merged.location = listed.location;
            merged.zone = listed.zone;
            if (!listed.vmId.isEmpty())
                merged.vmId = listed.vmId;
            m_store.upsertVm(merged);
        }
        if (tagged && it->managedBy == ManagedBy::None)
            m_store.setManagedBy(it->id, ManagedBy::Tag);
        else if (!tagged && it->managedBy == ManagedBy::Tag)
            m_store.setManagedBy(it->id, ManagedBy::None); // the operator removed the opt-in
    }
}

void Reconciler::applyStatus(const QString &subscriptionId, const ListResult &result,
                             SweepStats &stats)
{
    stats.armCalls += result.pages;
    if (!result.call.ok()) {
        stats.error = toString(result.call.failure) + u' ' + result.call.errorCode + u": "_s
            + result.call.errorMessage;
        return;
    }
    stats.ok = true;
    stats.vms = int(result.vms.size());
    const QDateTime now = m_clock.nowUtc();
    QHash<QString, VmRecord> known;
    const QList<VmRecord> stored = m_store.vms();
    for (const VmRecord &vm : stored) {
        if (vm.subscriptionId.compare(subscriptionId, Qt::CaseInsensitive) == 0)
            known.insert(vm.resourceKey, vm);
    }
    QSet<QString> seen;
    seen.reserve(result.vms.size());
    for (const VmRecord &listed : result.vms) {
        const QString key = keyOf(listed);
        seen.insert(key);
        const auto it = known.constFind(key);
        if (it == known.cend()) {
            VmRecord record = listed;
            record.resourceKey = key;
            record.managedBy = ManagedBy::None; // observed until an agent, tag or operator says so
            record.powerStateAt = now;
            if (m_store.upsertVm(record) > 0)
                ++stats.newVms;
            continue;
        }
        const PowerState to = listed.powerState;
        if (to == PowerState::Unknown)
            continue; // ARM may omit the power state now and then: not a change
        applyPowerState(*it, to, now, stats);
    }
    // A VM the complete list no longer has was deleted (Delete eviction policy or a person).
    // A partial list (ListResult::complete false) proves nothing about the VMs it lacks.
    for (auto it = known.cbegin(); result.complete && it != known.cend(); ++it) {
        if (seen.contains(it.key()) || it->powerState == PowerState::Deleted)
            continue;
        ++stats.powerChanges;
        m_store.setPowerState(it->id, PowerState::Deleted, now);
        EventRecord event;
        event.vmId = it->id;
        event.kind = EventKind::PowerChange;
        event.at = now;
        event.source = u"reconciler"_s;
        event.message = toString(it->powerState) + u" -> deleted (no longer listed)"_s;
        m_store.appendEvent(event);
        Q_EMIT powerStateChanged(it->id, it->powerState, PowerState::Deleted);
    }
}

// One VM's power state in a status list: a change is recorded and, from up to down, the engine
// looks for the reason; no change may still hide an eviction nobody answered.
void Reconciler::applyPowerState(const VmRecord &vm, PowerState to, const QDateTime &now,
                                 SweepStats &stats)
{
    if (to != vm.powerState) {
        ++stats.powerChanges;
        m_store.setPowerState(vm.id, to, now);
        EventRecord event;
        event.vmId = vm.id;
        event.kind = EventKind::PowerChange;
        event.at = now;
        event.source = u"reconciler"_s;
        event.message = toString(vm.powerState) + u" -> "_s + toString(to);
        m_store.appendEvent(event);
        Q_EMIT powerStateChanged(vm.id, vm.powerState, to);
        // Eviction or somebody's decision? The engine reads the Activity Log first, from
        // about the last sweep that saw the VM up (powerStateAt is when it came up: an
        // old deallocate before that must not decide).
        const QDateTime lastSweep = now.addMSecs(-m_config.intervalMs);
        const QDateTime lastSeenUp =
            vm.powerStateAt.isValid() && vm.powerStateAt > lastSweep ? vm.powerStateAt : lastSweep;
        // An AWS instance EC2 terminated (a one-time Spot Instance) is looked at the same
        // way: its provider may replace it (docs/AWS-PROTOCOL.md §9).
        const bool awsTerminated =
            to == PowerState::Deleted && cloudOfResourceId(vm.resourceKey) == Cloud::Aws;
        if (wasUp(vm.powerState) && (isDown(to) || awsTerminated)
            && m_engine.handleUnreportedDeallocation(vm.id, to, lastSeenUp)) {
            ++stats.evictionsCaught;
            Q_EMIT unreportedEvictionFound(vm.id);
        }
    } else if (isDown(to) && resumeUnanswered(vm, to, now)) {
        ++stats.evictionsCaught; // an eviction whose engine died before answering it
        Q_EMIT unreportedEvictionFound(vm.id);
    }
    m_engine.observePowerState(vm.id, to);
}

// A VM found down as the store already has it (no change to see), with no active job: its last
// eviction signal - an agent's Preempt notice, or a sweep's running -> down - may have gone
// unanswered, because the engine that stored or saw it (a replica, a crashed single server) died
// before it created the job or concluded its Activity Log watch, and nothing in the database
// says anyone is on it. A signal at least unansweredGraceMs old with no decision after it (an
// Eviction event, a job, the engine's own power_change "left down") is handed to the engine
// again: a notice as if just stored, a sweep's change as a new watch.
bool Reconciler::resumeUnanswered(const VmRecord &vm, PowerState to, const QDateTime &now)
{
    // Only what the engine may restart is worth the reads (it checks again).
    if (vm.managedBy == ManagedBy::None || vm.desiredState != DesiredState::Running
        || !vm.autoRestart || m_engine.trackedJob(vm.id) || m_engine.awaitingEvidence(vm.id)
        || m_store.activeJob(vm.id))
        return false;
    const std::optional<EventRecord> signal = unansweredSignal(vm.id);
    if (!signal || signal->at.addMSecs(m_config.unansweredGraceMs) > now)
        return false; // nothing unanswered, or the engine that has it may still be on it
    if (signal->kind == EventKind::Notice) {
        qCInfo(lcReconciler).noquote()
            << "VM" << vm.name << "had a Preempt notice at"
            << signal->at.toString(Qt::ISODateWithMs) << "that nobody answered; taking it up";
        m_engine.handleNoticeStored(vm.id, *signal);
        return m_engine.trackedJob(vm.id).has_value();
    }
    qCInfo(lcReconciler).noquote()
        << "VM" << vm.name << "went down at" << signal->at.toString(Qt::ISODateWithMs)
        << "and nobody looked for the reason; looking now";
    return m_engine.handleUnreportedDeallocation(vm.id, to,
                                                 signal->at.addMSecs(-m_config.intervalMs));
}

// The VM's newest eviction signal with no decision after it, if any.
std::optional<EventRecord> Reconciler::unansweredSignal(qint64 vmId)
{
    QDateTime decided; // its newest job
    if (const QList<JobRecord> last = m_store.jobs(vmId, 1); !last.isEmpty())
        decided = last.constFirst().createdAt;
    EventFilter filter;
    filter.vmId = vmId;
    filter.kinds = {EventKind::Notice, EventKind::PowerChange, EventKind::Eviction};
    filter.beforeId = std::numeric_limits<qint64>::max(); // newest first
    filter.limit = 50;
    for (const EventRecord &event : m_store.events(filter)) {
        const bool decision = event.kind == EventKind::Eviction
            || (event.kind == EventKind::PowerChange && event.source != u"reconciler"_s);
        if (decision || (decided.isValid() && event.at <= decided))
            return std::nullopt; // answered: what is older was too
        if (event.kind == EventKind::PowerChange
            || event.eventType.compare(u"Preempt"_s, Qt::CaseInsensitive) == 0)
            return event;
    }
    return std::nullopt;
}

void Reconciler::finish(const QString &subscriptionId, const SweepStats &stats)
{
    Subscription &state = m_subs[subscriptionId.toLower()];
    state.inFlight = false;
    if (!m_config.owner.isEmpty())
        m_store.finishSweep(subscriptionId.toLower(), m_config.owner, m_clock.nowUtc());
    state.nextAt = m_clock.nowUtc().addMSecs(currentIntervalMs());
    Q_EMIT sweepFinished(stats);
    reschedule();
}

} // namespace spotkeeper::core
