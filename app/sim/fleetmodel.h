// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "sim/simtypes.h"

#include <QHash>
#include <QRandomGenerator>

#include <deque>
#include <functional>
#include <optional>

// The simulated fleet, pure and deterministic: no network, no timers. Time comes from the
// injected (simulated) clock and every call first applies the transitions that are due
// (advance()), so tests drive it with a ManualClock. Evictions follow Azure: a Preempt
// scheduled event with NotBefore = now + notice, then deallocation (or deletion for the
// Delete policy) and an Activity Log entry; starts go deallocated -> starting -> running
// through an async operation, or fail on capacity windows and max price; every start is
// recorded with what would make it wrong (VM running, another start in flight).
namespace spotkeeper::sim {

class FleetModel
{
public:
    explicit FleetModel(const base::Clock &clock, quint32 seed = 1, Timings timings = {});

    const base::Clock &clock() const { return m_clock; }
    qint64 nowMs() const;
    const Timings &timings() const { return m_timings; }
    void setTimings(const Timings &timings) { m_timings = timings; }
    // Maps a simulated epoch ms to the clients' (real) clock, for timestamps clients act on
    // (NotBefore): at --speed 24 an eviction 30 simulated seconds ahead is 1.25 real seconds
    // ahead. Identity until set.
    void setToWall(std::function<qint64(qint64 simMs)> toWall) { m_toWall = std::move(toWall); }
    qint64 toWallMs(qint64 simMs) const { return m_toWall ? m_toWall(simMs) : simMs; }

    // Adds a running VM; fills vmId if empty. Returns its index, or -1 (and *error) when the
    // name is taken (IMDS paths address VMs by name) or a field is missing.
    int addVm(SimVm vm, QString *error = nullptr);
    int vmCount() const { return int(m_vms.size()); }
    const SimVm &vm(int index) const { return m_vms.at(index); }
    int findByName(const QString &name) const; // case-insensitive, -1 if none
    // Scale sets (Uniform or Flexible); their instances are added with addVm (scaleSet and
    // instanceId set). -1 (and *error) when the name is taken or a field is missing.
    int addScaleSet(SimScaleSet set, QString *error = nullptr);
    const QList<SimScaleSet> &scaleSets() const { return m_scaleSets; }
    const SimScaleSet *scaleSet(const QString &subscriptionId, const QString &resourceGroup,
                                const QString &name) const;
    int findInstance(const QString &subscriptionId, const QString &resourceGroup,
                     const QString &scaleSet, const QString &instanceId) const;
    int find(const QString &subscriptionId, const QString &resourceGroup,
             const QString &name) const;

    void advance(); // applies every transition due at clock.nowUtc(), in time order
    // AWS: an instance of a persistent Spot request that EC2 stopped or hibernated; only EC2
    // starts it again, once capacity is back (Timings::awsRestartMs after).
    static bool ec2RestartsIt(const SimVm &vm);

    // Schedules an eviction of a running VM. notice=false evicts at once without any
    // Preempt document (the "agent loss" case). False when the VM is not running or an
    // eviction is already pending.
    bool evict(int index, bool notice = true);
    // A running AWS instance gets a rebalance recommendation (its IMDS shows it from now).
    bool recommendRebalance(int index);
    // Evicts up to count running VMs (seeded random pick), optionally in one region.
    QList<int> evictRandom(int count, const QString &region = {}, bool notice = true);
    QList<int> evictRegion(const QString &region, bool notice = true);
    // A person or pipeline deallocates a running VM through ARM: no Scheduled Event, an
    // Activity Log deallocate/action entry with that caller, visible logDelayMs later (the
    // log lags). Not an outage. False when the VM is not running or an eviction is pending.
    bool deallocate(int index, const QString &caller, qint64 logDelayMs = 0);
    // The same with powerOff: the VM stops but stays allocated (PowerState/stopped); an
    // Activity Log powerOff/action entry. start() boots it again (no capacity needed).
    bool powerOff(int index, const QString &caller, qint64 logDelayMs = 0);
    // A restart (ARM POST .../restart) of a running VM: a reboot, so the VM stays running; an
    // application a restart fixes (setAppHealthy's fixedByRestart) is healthy again. Recorded
    // with the caller. False when the VM is not running or an eviction is pending.
    bool restart(int index, const QString &caller, qint64 wallMs);
    const QList<RestartRecord> &restarts() const { return m_restarts; }
    // The application on the VM turns healthy or unhealthy (fixedByRestart: unhealthy until
    // the next restart). False for an unknown index.
    bool setAppHealthy(int index, bool healthy, bool fixedByRestart = false);
    // What the VM's application health endpoint answers: healthy only while the VM runs.
    bool appAnswersHealthy(int index);
    // POST StartRequests from the VM's IMDS: approved Preempts evict now.
    void acknowledge(int index, const QStringList &eventIds);

    StartOutcome start(int index, qint64 wallMs);
    // POST .../virtualMachineScaleSets/{ss}/start {"instanceIds"}: every instance is started as
    // by start(); one operation covers them (Succeeded once all did, Failed if one failed or
    // was refused). All refused: the first refusal is the answer.
    StartOutcome startInstances(const QList<int> &indices, qint64 wallMs);
    const SimOperation *operation(const QString &id) const;

    void addCapacityWindow(CapacityWindow window); // fromMs 0 = now
    const QList<CapacityWindow> &capacityWindows() const { return m_windows; }
    // End of the capacity shortage for this VM at time t (t itself when none).
    qint64 capacityFreeAt(const SimVm &vm, qint64 atMs) const;
    void setSpotPrice(const QString &size, double usd) { m_prices.insert(size.toLower(), usd); }
    double spotPrice(const QString &size) const;

    // The sizes a VM in `region` can be resized to (GET {vm}/vmSizes): what
    // setAvailableSizes(region) set, else every size of the fleet's VMs and of the price list.
    void setAvailableSizes(const QString &region, const QStringList &sizes);
    QStringList availableSizes(const QString &region) const;
    // PATCH of a VM (hardwareProfile.vmSize, billingProfile.maxPrice; empty / nullopt = keep):
    // as Azure, only while the VM is deallocated or stopped (the max price: deallocated), to a
    // size its region offers. Nullopt when applied, else the refusal ARM would send.
    struct Refusal
    {
        int status = 0;
        QString code;
        QString message;
    };
    std::optional<Refusal> update(int index, const QString &size, std::optional<double> maxPrice);
    // A price eviction: sets the size's Spot price and evicts (with a Preempt notice) every
    // running Spot VM of that size whose max price is now below it. Returns their indices.
    QList<int> raiseSpotPrice(const QString &size, double usd);

    QList<ActivityEntry> activity(const QString &resourceKey, qint64 sinceMs) const;
    const QList<StartRecord> &starts() const { return m_starts; }
    const ModelCounters &counters() const { return m_counters; }
    // Sum over the VMs that still exist of running time and of the best achievable
    // running time since the model was created (a VM can at best start once it is
    // deallocated and its region/size has capacity); open outages count up to now.
    struct Availability
    {
        double runningVmMs = 0;
        double bestVmMs = 0;
        double ratio() const { return bestVmMs > 0 ? runningVmMs / bestVmMs : 1.0; }
    };
    Availability availability() const;
    const LossBreakdown &losses() const { return m_losses; }
    qint64 runningCount() const;

private:
    bool stopAsUser(int index, const QString &caller, qint64 logDelayMs, bool deallocate);
    SimVm *runningVm(int index); // advance()d; null unless running with no eviction pending
    void setPower(SimVm &vm, Power power, qint64 atMs);
    void stepVm(int index, qint64 nowMs);
    void completeEviction(int index, qint64 atMs);
    void finishOperation(SimOperation &op, qint64 atMs);
    void settleBatches();
    void recordLoss(const SimVm &vm, qint64 acceptedAtMs);
    QString newGuid();
    // An AWS instance's fields checked and completed (instance id, zone, Spot request, the
    // eviction policy its interruption behaviour means); the problem, empty when fine.
    QString checkAwsInstance(SimVm *vm);
    // A scale set instance's fields from its scale set, or why it has none.
    QString checkScaleSetInstance(SimVm *vm) const;
    QString checkCloud(SimVm *vm); // the fields of the VM's cloud checked and completed
    QString randomText(QLatin1StringView alphabet, int length); // from the seeded generator
    // A due transition of vm (vm.nextAtMs has come): false when none applies.
    bool stepTransition(SimVm &vm);
    bool stepEc2Restart(SimVm &vm); // AWS: EC2 restarts an interrupted instance itself
    struct StartRefusal
    {
        int status = 0;
        QString code;
        QString message;
    };
    // The start of a deallocated VM: refused for price or capacity, else op timed (a failing
    // one for an asynchronous capacity shortage) and the VM starting.
    std::optional<StartRefusal> startDeallocated(SimVm &vm, SimOperation *op, qint64 now,
                                                 bool inOutage);
    void bumpIncarnation(SimVm &vm) { vm.incarnation += 1 + (m_rng.bounded(4) == 0 ? 1 : 0); }
    std::optional<CapacityWindow> shortage(const SimVm &vm, qint64 atMs) const;

    const base::Clock &m_clock;
    std::function<qint64(qint64)> m_toWall;
    QRandomGenerator m_rng;
    Timings m_timings;
    qint64 m_epochMs;
    std::deque<SimVm> m_vms;
    QHash<QString, int> m_byName;
    QHash<QString, SimOperation> m_ops;
    QStringList m_batchOps; // scale set starts still InProgress
    QList<SimScaleSet> m_scaleSets;
    QList<CapacityWindow> m_windows;
    QHash<QString, double> m_prices;
    QHash<QString, QStringList> m_availableSizes; // by lower-cased region
    QList<ActivityEntry> m_activity;
    QList<StartRecord> m_starts;
    QList<RestartRecord> m_restarts;
    ModelCounters m_counters;
    LossBreakdown m_losses;
};

} // namespace spotkeeper::sim
