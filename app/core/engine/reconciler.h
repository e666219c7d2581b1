// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/cloudprovider.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

// Sweeps each subscription with a paged statusOnly list (plus, now and then, a full
// list for tags, size and priority), records power-state changes, and catches evictions
// no agent reported: a managed VM that was running and is now deallocated, with desired
// state running, auto-restart on and no job, gets a job (trigger "reconciler") and the
// Activity Log evidence when the provider finds some. Unmanaged VMs are only observed,
// since a person may have deallocated them. It also confirms restarts (running VMs).
namespace spotkeeper::core {

class Store;
class RestartEngine;

struct ReconcilerConfig
{
    QStringList subscriptions; // empty = every subscription in the fleet table
    qint64 intervalMs = 60'000; // sweep cadence
    qint64 fastIntervalMs = 15'000; // cadence while the engine has jobs waiting
    qint64 fullListIntervalMs = 600'000; // full listing (tags, ...); 0 = never
    QString autoRestartTag = QStringLiteral("spotkeeper:auto-restart"); // "true" opts a VM in
    // The same opt-in as a Google Cloud label (label keys allow no ':').
    QString autoRestartLabel = QStringLiteral("spotkeeper-auto-restart");
    bool driveWithTimer = true;
    // Engines sharing one store (replicas on PostgreSQL) take turns through the store's
    // sweep leases: one sweep of a subscription at a time and per interval, taken over by
    // another engine when the holder dies (its lease of sweepLeaseMs ends). Empty owner = this
    // reconciler sweeps on its own schedule without asking (a single engine, tests).
    QString owner;
    qint64 sweepLeaseMs = 120'000;
    // A VM found down, as the store already had it, whose last eviction signal is at least
    // this old and unanswered is taken up again (Reconciler::resumeUnanswered).
    qint64 unansweredGraceMs = 120'000;
};

struct SweepStats
{
    QString subscriptionId;
    bool ok = false;
    QString error; // when !ok
    int armCalls = 0; // pages of every list call of the sweep
    int vms = 0;
    int powerChanges = 0;
    int newVms = 0;
    int evictionsCaught = 0;
};

class Reconciler final : public QObject
{
    Q_OBJECT
public:
    Reconciler(Store &store, CloudProvider &cloud, RestartEngine &engine, base::Clock &clock,
               ReconcilerConfig config = {}, QObject *parent = nullptr);
    ~Reconciler() override;
    Q_DISABLE_COPY_MOVE(Reconciler)

    const ReconcilerConfig &config() const { return m_config; }
    void start(); // first sweep due now
    int processDue(); // starts the sweeps that are due; returns how many
    void sweepNow(); // every subscription, now
    QDateTime nextDueAt() const;
    bool sweeping() const; // a sweep is in flight

Q_SIGNALS:
    void sweepFinished(const spotkeeper::core::SweepStats &stats);
    void powerStateChanged(qint64 vmId, spotkeeper::core::PowerState from,
                           spotkeeper::core::PowerState to);
    void unreportedEvictionFound(qint64 vmId);

private:
    struct Subscription
    {
        QDateTime nextAt;
        QDateTime lastFullAt;
        bool inFlight = false;
    };

    QStringList subscriptions() const;
    // True when this engine may sweep now; otherwise state.nextAt says when to ask again.
    // evenIfRecent: sweepNow() (not beside another engine's sweep, but whatever the interval).
    bool claimTurn(const QString &subscriptionId, Subscription &state, bool evenIfRecent = false);
    qint64 currentIntervalMs() const; // shorter while the engine has jobs waiting
    void sweep(const QString &subscriptionId);
    void applyFull(const QString &subscriptionId, const ListResult &result, SweepStats &stats);
    void applyStatus(const QString &subscriptionId, const ListResult &result, SweepStats &stats);
    void applyPowerState(const VmRecord &vm, PowerState to, const QDateTime &now,
                         SweepStats &stats);
    bool resumeUnanswered(const VmRecord &vm, PowerState to, const QDateTime &now);
    std::optional<EventRecord> unansweredSignal(qint64 vmId);
    void finish(const QString &subscriptionId, const SweepStats &stats);
    void tighten(); // the engine got a waiting job: sweep sooner
    void reschedule();
    bool taggedForRestart(const VmRecord &vm) const;

    Store &m_store;
    CloudProvider &m_cloud;
    RestartEngine &m_engine;
    base::Clock &m_clock;
    ReconcilerConfig m_config;
    QHash<QString, Subscription> m_subs; // by lower-cased subscription id
    QTimer m_timer;
    std::shared_ptr<bool> m_alive;
};

} // namespace spotkeeper::core
