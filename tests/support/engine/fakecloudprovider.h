// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"
#include "support/base/manualclock.h"

#include <QHash>
#include <QMap>

#include <functional>
#include <optional>

// An in-process cloud for engine tests and benchmarks, in simulated time. Nothing is
// answered inside a call: replies are queued with a latency and delivered by
// deliverDue() once the ManualClock reaches them, so tests control every interleaving.
// Each VM has a power-state timeline; starts follow a per-VM script (then succeed);
// every call is recorded with its time; ARM's write bucket and Compute's per-VM start
// pace can be enforced (429s and violations are counted).
namespace spotkeeper::core::test {
using testsupport::ManualClock;

class FakeCloudProvider final : public CloudProvider
{
    Q_OBJECT
public:
    // Evidence: one VM's Activity Log; EvidenceListing: a subscription's, for many VMs.
    enum class Kind {
        PowerState,
        Start,
        ResumeStart,
        List,
        Evidence,
        EvidenceListing,
        Deallocate,
        Restart,
        Settings, // vmSettings
        Sizes, // availableSizes
        ChangeSettings
    };
    struct Call
    {
        Kind kind = Kind::PowerState;
        QString vm; // resource key (lists: the lower-cased subscription id)
        QDateTime at;
        bool statusOnly = false;
        int pages = 0;
        FailureClass answered = FailureClass::None;
    };
    struct StartScript
    {
        FailureClass failure = FailureClass::None;
        QString errorCode;
        int httpStatus = 0; // 0 = a typical status for the class
        qint64 retryAfterMs = 0; // Throttled: Retry-After
        bool failAsync = false; // 202 first, then the async operation ends Failed
        qint64 operationMs = 20'000; // how long the async operation runs
        // 202 Accepted without an async-operation URL; the VM does not start (Azure lost it)
        bool acceptedWithoutUrl = false;
    };

    explicit FakeCloudProvider(testsupport::ManualClock &clock, QObject *parent = nullptr);
    ~FakeCloudProvider() override;
    Q_DISABLE_COPY_MOVE(FakeCloudProvider)

    // --- the simulated cloud
    void addVm(const VmRecord &vm, PowerState state);
    void setPowerAt(const QString &key, const QDateTime &at, PowerState state);
    void setPower(const QString &key, PowerState state)
    {
        setPowerAt(key, m_clock.nowUtc(), state);
    }
    PowerState powerAt(const QString &key, const QDateTime &at) const;
    PowerState power(const QString &key) const { return powerAt(key, m_clock.nowUtc()); }
    void setTags(const QString &key, const QMap<QString, QString> &tags);
    void scriptStarts(const QString &key, const QList<StartScript> &script);
    // Decides a start's outcome when the VM has no script left; nullopt = success.
    std::function<std::optional<StartScript>(const QString &key)> startRule;
    // Scripted failures of power-state reads, consumed in order.
    void scriptPowerFailures(const QString &key, const QList<CallResult> &failures);
    // An eviction record (evictSpotVM) in the VM's Activity Log.
    void setEvidence(const QString &key, const QString &evidence)
    {
        EvidenceResult result;
        result.kind = EvidenceKind::Eviction;
        result.evidence = evidence;
        result.operation = QStringLiteral("Microsoft.Compute/virtualMachines/evictSpotVM/action");
        m_evidence.insert(key, result);
    }
    // What the VM's Activity Log says from now on (a deliberate stop, an eviction, nothing).
    void setEvidenceResult(const QString &key, const EvidenceResult &result)
    {
        m_evidence.insert(key, result);
    }
    // deallocate() answers with this (and then the VM deallocates); ok by default.
    CallResult deallocateAnswer;
    // restart() answers with this; ok by default (the VM stays running).
    CallResult restartAnswer;

    // --- budgets (off until enabled)
    void enforceWriteBucket(int burst, int perSecond);
    void enforceVmStartPace(int burst, int perMinute);
    int throttledStarts() const { return m_throttled; }
    int paceViolations() const { return m_paceViolations; }

    // --- delivery
    qint64 latencyMs = 100;
    int listPageSize = 1'000;
    bool listsComplete = true; // false: listings say they cover part of the scope (a label filter)
    int evidencePageSize = 200; // records per Activity Log page of a subscription listing
    int maxEvidencePages = 50; // a listing stops there (complete = false)
    int deliverDue();
    QDateTime nextReplyAt() const;
    int pendingReplies() const { return int(m_pending.size()); }
    void dropPendingReplies(); // the engine process died: its outstanding replies are lost

    // --- what happened
    QList<Call> calls;
    int count(Kind kind, const QString &vm = {}) const;
    QList<QDateTime> times(Kind kind, const QString &vm = {}) const;
    int startsWhileRunning = 0;

    // CloudProvider
    QString name() const override { return QStringLiteral("fake"); }
    void powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done) override;
    void start(const VmRecord &vm, std::function<void(const QString &asyncUrl)> progress,
               std::function<void(StartResult)> done) override;
    void startWithoutFollowing(const VmRecord &vm, std::function<void(StartResult)> done) override;
    void resumeStart(const VmRecord &vm, const QString &asyncUrl,
                     std::function<void(StartResult)> done) override;
    int startsNotFollowed = 0;
    void listVms(const QString &subscriptionId, bool statusOnly,
                 std::function<void(ListResult)> done) override;
    void evictionEvidence(const VmRecord &vm, const QDateTime &since,
                          std::function<void(EvidenceResult)> done) override;
    void evictionEvidenceForVms(const QString &subscriptionId, const QList<VmRecord> &vms,
                                const QDateTime &since,
                                std::function<void(FleetEvidenceResult)> done) override;
    void deallocate(const VmRecord &vm, std::function<void(CallResult)> done) override;
    // The cloud's reason not to start a VM (set by a test; else the base class decides).
    void setCannotRestart(const QString &key, const QString &reason)
    {
        m_cannotRestart.insert(key, reason);
    }
    QString cannotRestart(const VmRecord &vm) const override
    {
        return m_cannotRestart.contains(vm.resourceKey) ? m_cannotRestart.value(vm.resourceKey)
                                                        : CloudProvider::cannotRestart(vm);
    }
    void restart(const VmRecord &vm, std::function<void(CallResult)> done) override;

    // --- the capacity fallback's calls (unsupported, as the base class, until enabled)
    bool settingsSupported = false;
    QStringList sizesOffered; // what availableSizes() answers
    CallResult changeSettingsAnswer; // ok by default; a failure changes nothing
    QString size(const QString &key) const { return m_vms.value(key).record.size; }
    std::optional<double> maxPrice(const QString &key) const { return m_vms.value(key).maxPrice; }
    void setMaxPrice(const QString &key, std::optional<double> price)
    {
        m_vms[key].maxPrice = price;
    }
    bool canChangeSettings(const VmRecord &vm) const override;
    void vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done) override;
    void availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done) override;
    void changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                        std::function<void(CallResult)> done) override;

private:
    struct Vm
    {
        VmRecord record;
        QMap<qint64, PowerState> timeline; // ms -> state from then on
        QList<StartScript> script;
        QList<CallResult> powerFailures;
        std::optional<double> maxPrice; // billingProfile.maxPrice (Spot VMs)
        qint64 paceTokensMilli = 0; // Compute per-VM start bucket, in milli-tokens
        qint64 paceAtMs = 0;
    };
    struct Operation
    {
        QString vm;
        qint64 finishMs = 0;
        StartResult result;
    };

    void post(qint64 atMs, std::function<void()> reply);
    CallResult failureFor(const StartScript &script) const;

    testsupport::ManualClock &m_clock;
    QHash<QString, Vm> m_vms;
    QHash<QString, QString> m_cannotRestart;
    QHash<QString, Operation> m_ops; // by async URL
    QHash<QString, EvidenceResult> m_evidence;
    QMap<QPair<qint64, quint64>, std::function<void()>> m_pending;
    quint64 m_seq = 0;
    int m_opCounter = 0;
    // ARM write bucket in milli-tokens: exact integer refill, no floating point.
    int m_writeBurst = 0;
    int m_writePerSecond = 0;
    qint64 m_writeTokensMilli = 0;
    qint64 m_writeAtMs = 0;
    int m_paceBurst = 0;
    int m_pacePerMinute = 0;
    int m_throttled = 0;
    int m_paceViolations = 0;
};

} // namespace spotkeeper::core::test
