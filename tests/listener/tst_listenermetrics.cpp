// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// /metrics stays cheap however hard it is polled: the store-derived gauges are read at
// most once per TTL (by the injected clock), counted through a Store wrapper that
// forwards to a real SQLite store and counts the reads /metrics makes.
#include "listener/listenermetrics.h"
#include "store/store.h"
#include "support/base/manualclock.h"

#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;
using spotkeeper::testsupport::ManualClock;

namespace {

// Forwards everything to a real store; counts the calls /metrics could make per scrape.
class CountingStore final : public Store
{
public:
    explicit CountingStore(std::unique_ptr<Store> inner)
        : m_inner(std::move(inner))
    { }
    int vmsCalls() const { return m_vmsCalls; }
    int reads() const { return m_vmsCalls + m_activeJobsCalls + m_eventCountCalls; }

    int schemaVersion() const override { return m_inner->schemaVersion(); }
    QString path() const override { return m_inner->path(); }
    StoreOptions openOptions() const override { return m_inner->openOptions(); }
    StoreError lastError() const override { return m_inner->lastError(); }
    bool integrityCheck(QString *details) override { return m_inner->integrityCheck(details); }
    std::optional<VmRecord> vm(qint64 id) override { return m_inner->vm(id); }
    std::optional<VmRecord> vmByKey(const QString &key) override { return m_inner->vmByKey(key); }
    QList<VmRecord> vms() override
    {
        ++m_vmsCalls;
        return m_inner->vms();
    }
    qint64 upsertVm(const VmRecord &vm) override { return m_inner->upsertVm(vm); }
    bool setPowerState(qint64 vmId, PowerState state, const QDateTime &at) override
    {
        return m_inner->setPowerState(vmId, state, at);
    }
    bool setAutoRestart(qint64 vmId, bool enabled) override
    {
        return m_inner->setAutoRestart(vmId, enabled);
    }
    bool setDesiredState(qint64 vmId, DesiredState state) override
    {
        return m_inner->setDesiredState(vmId, state);
    }
    bool setStoppedOnPurpose(qint64 vmId, const QString &by, const QString &operation,
                             const QDateTime &at) override
    {
        return m_inner->setStoppedOnPurpose(vmId, by, operation, at);
    }
    bool setManagedBy(qint64 vmId, ManagedBy reason) override
    {
        return m_inner->setManagedBy(vmId, reason);
    }
    bool setAgentSilent(qint64 vmId, const QDateTime &since, const EventRecord &event) override
    {
        return m_inner->setAgentSilent(vmId, since, event);
    }
    bool enqueueNotifications(const QList<OutboxEntry> &entries, const QString &cursorKey,
                              const QString &cursorValue) override
    {
        return m_inner->enqueueNotifications(entries, cursorKey, cursorValue);
    }
    QList<OutboxEntry> dueNotifications(const QDateTime &now, int limit) override
    {
        return m_inner->dueNotifications(now, limit);
    }
    QList<OutboxEntry> claimNotifications(const QDateTime &now, const QDateTime &leaseUntil,
                                          int limit) override
    {
        return m_inner->claimNotifications(now, leaseUntil, limit);
    }
    bool updateNotification(const OutboxEntry &entry) override
    {
        return m_inner->updateNotification(entry);
    }
    QList<OutboxCount> notificationCounts() override { return m_inner->notificationCounts(); }
    bool recordHeartbeat(const QString &key, const VmRecord &identity, const QDateTime &at,
                         const QString &version, const QString &pollError) override
    {
        return m_inner->recordHeartbeat(key, identity, at, version, pollError);
    }
    bool recordHeartbeats(const QList<HeartbeatUpdate> &batch) override
    {
        return m_inner->recordHeartbeats(batch);
    }
    QList<NoticeOutcome> insertNotices(const QList<IncomingNotice> &batch) override
    {
        return m_inner->insertNotices(batch);
    }
    qint64 appendEvent(const EventRecord &event) override { return m_inner->appendEvent(event); }
    QList<EventRecord> events(const EventFilter &filter) override
    {
        return m_inner->events(filter);
    }
    qint64 eventCount(const EventFilter &filter) override
    {
        ++m_eventCountCalls;
        return m_inner->eventCount(filter);
    }
    bool forEachEvent(const EventFilter &filter,
                      const std::function<bool(const EventRecord &)> &visit) override
    {
        return m_inner->forEachEvent(filter, visit);
    }
    std::optional<JobRecord> activeJob(qint64 vmId) override { return m_inner->activeJob(vmId); }
    std::optional<JobRecord> job(qint64 jobId) override { return m_inner->job(jobId); }
    QList<JobRecord> activeJobs() override
    {
        ++m_activeJobsCalls;
        return m_inner->activeJobs();
    }
    QList<JobRecord> jobs(qint64 vmId, int limit) override { return m_inner->jobs(vmId, limit); }
    std::optional<JobRecord> createJob(const JobRecord &job, bool *created) override
    {
        return m_inner->createJob(job, created);
    }
    bool saveJob(const JobRecord &job, const EventRecord *withEvent) override
    {
        return m_inner->saveJob(job, withEvent);
    }
    QList<JobRecord> claimJobs(const QString &owner, const QDateTime &leaseUntil,
                               int limit) override
    {
        return m_inner->claimJobs(owner, leaseUntil, limit);
    }
    bool saveJobIfUnchanged(JobRecord &job, const EventRecord *withEvent) override
    {
        return m_inner->saveJobIfUnchanged(job, withEvent);
    }
    int releaseJobs(const QString &owner) override { return m_inner->releaseJobs(owner); }
    QString metaValueOrInsert(const QString &key, const QString &valueIfAbsent) override
    {
        return m_inner->metaValueOrInsert(key, valueIfAbsent);
    }
    SweepClaim claimSweep(const QString &subscriptionKey, const QString &owner,
                          const QDateTime &leaseUntil, const QDateTime &finishedNotAfter) override
    {
        return m_inner->claimSweep(subscriptionKey, owner, leaseUntil, finishedNotAfter);
    }
    bool finishSweep(const QString &subscriptionKey, const QString &owner,
                     const QDateTime &finishedAt) override
    {
        return m_inner->finishSweep(subscriptionKey, owner, finishedAt);
    }
    int renewPresence(const QString &owner, const QDateTime &leaseUntil) override
    {
        return m_inner->renewPresence(owner, leaseUntil);
    }
    NamedLock holdNamedLock(const QString &name) override { return m_inner->holdNamedLock(name); }
    bool updateBudgets(const QStringList &keys,
                       const std::function<bool(QList<qint64> &states)> &change) override
    {
        return m_inner->updateBudgets(keys, change);
    }
    bool watchJobOwners(QObject *context,
                        std::function<void(qint64 vmId, const QString &owner)> handler) override
    {
        return m_inner->watchJobOwners(context, std::move(handler));
    }
    bool saveAgentKey(const AgentKeyRecord &key) override { return m_inner->saveAgentKey(key); }
    std::optional<AgentKeyRecord> agentKey(const QString &keyId) override
    {
        return m_inner->agentKey(keyId);
    }
    QList<AgentKeyRecord> agentKeys() override { return m_inner->agentKeys(); }
    bool saveOperatorToken(const QString &tokenId, const QByteArray &sha256,
                           const QDateTime &createdAt, const QDateTime &expiresAt) override
    {
        return m_inner->saveOperatorToken(tokenId, sha256, createdAt, expiresAt);
    }
    bool revokeOperatorToken(const QString &tokenId, const QDateTime &at) override
    {
        return m_inner->revokeOperatorToken(tokenId, at);
    }
    std::optional<QString> operatorTokenIdForHash(const QByteArray &sha256,
                                                  const QDateTime &now) override
    {
        return m_inner->operatorTokenIdForHash(sha256, now);
    }
    QList<OperatorTokenRecord> operatorTokens() override { return m_inner->operatorTokens(); }
    qint64 appendAudit(const AuditRecord &record) override { return m_inner->appendAudit(record); }
    QList<AuditRecord> audit(const QDateTime &from, const QDateTime &to, int limit) override
    {
        return m_inner->audit(from, to, limit);
    }
    bool savePrices(const QList<PriceRecord> &prices) override
    {
        return m_inner->savePrices(prices);
    }
    QList<PriceRecord> prices() override { return m_inner->prices(); }
    bool saveEvictionBands(const QList<EvictionBand> &bands) override
    {
        return m_inner->saveEvictionBands(bands);
    }
    QList<EvictionBand> evictionBands() override { return m_inner->evictionBands(); }
    bool saveSpotPriceHistory(const QList<SpotPricePoint> &points) override
    {
        return m_inner->saveSpotPriceHistory(points);
    }
    QList<SpotPricePoint> spotPriceHistory() override { return m_inner->spotPriceHistory(); }
    std::optional<CostReport> costReport(const CostQuery &query) override
    {
        return m_inner->costReport(query);
    }

private:
    std::unique_ptr<Store> m_inner;
    int m_vmsCalls = 0;
    int m_activeJobsCalls = 0;
    int m_eventCountCalls = 0;
};

std::optional<double> sample(const QByteArray &metrics, const QByteArray &series)
{
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    }
    return std::nullopt;
}

} // namespace

class TestListenerMetrics : public QObject
{
    Q_OBJECT
private:
    ManualClock m_clock;
    std::unique_ptr<CountingStore> m_store;

    qint64 addVm(int n)
    {
        VmRecord vm;
        vm.name = u"vm-"_s + QString::number(n);
        vm.resourceId = u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/"
                        "virtualMachines/"_s
            + vm.name;
        vm.resourceKey = vm.resourceId.toLower();
        vm.resourceGroup = u"rg"_s;
        return m_store->upsertVm(vm);
    }

private slots:
    void init()
    {
        StoreError error;
        auto inner = Store::open(StoreOptions {u":memory:"_s, false, 5000, &m_clock}, &error);
        QVERIFY2(inner, qPrintable(error.message));
        m_store = std::make_unique<CountingStore>(std::move(inner));
        for (int i = 0; i < 3; ++i)
            QVERIFY(addVm(i) > 0);
        JobRecord job;
        job.vmId = addVm(3);
        job.trigger = u"notice"_s;
        job.createdAt = m_clock.nowUtc().addSecs(-60);
        bool created = false;
        QVERIFY(m_store->createJob(job, &created) && created);
    }
    void cleanup() { m_store.reset(); }

    void repeatedScrapesReadTheStoreOncePerTtl()
    {
        ListenerMetrics metrics;
        const QByteArray first = metrics.render(*m_store, m_clock, {});
        const int readsPerScrape = m_store->reads();
        QVERIFY(readsPerScrape > 0);
        QCOMPARE(sample(first, "spotkeeper_vms"), 4.0);
        QCOMPARE(sample(first, "spotkeeper_jobs{state=\"waiting_for_deallocation\"}"), 1.0);
        QCOMPARE(sample(first, "spotkeeper_oldest_waiting_job_age_seconds"), 60.0);

        // A scraper polling hard within the TTL costs no store read at all ...
        for (int i = 0; i < 100; ++i)
            metrics.render(*m_store, m_clock, {});
        QCOMPARE(m_store->vmsCalls(), 1);
        QCOMPARE(m_store->reads(), readsPerScrape);

        // ... the gauges are the last read's (a new VM shows up later), but the oldest
        // waiting job keeps ageing with the clock and the age of the read is exposed.
        QVERIFY(addVm(10) > 0);
        m_clock.advanceMSecs(ListenerMetrics::kDefaultStoreGaugeTtlMs - 1000);
        QByteArray text = metrics.render(*m_store, m_clock, {});
        QCOMPARE(m_store->reads(), readsPerScrape);
        QCOMPARE(sample(text, "spotkeeper_vms"), 4.0);
        QCOMPARE(sample(text, "spotkeeper_oldest_waiting_job_age_seconds"),
                 60.0 + double(ListenerMetrics::kDefaultStoreGaugeTtlMs - 1000) / 1000.0);
        QCOMPARE(sample(text, "spotkeeper_store_gauges_age_seconds"),
                 double(ListenerMetrics::kDefaultStoreGaugeTtlMs - 1000) / 1000.0);

        // Once the TTL has passed, one scrape reads again and sees the new VM.
        m_clock.advanceMSecs(1000);
        text = metrics.render(*m_store, m_clock, {});
        QCOMPARE(m_store->vmsCalls(), 2);
        QCOMPARE(m_store->reads(), 2 * readsPerScrape);
        QCOMPARE(sample(text, "spotkeeper_vms"), 5.0);
        QCOMPARE(sample(text, "spotkeeper_store_gauges_age_seconds"), 0.0);
        QCOMPARE(metrics.storeGaugeReads(), 2);
    }

    // Issue 17: /metrics counts running VMs whose agent is silent, not deallocated ones.
    void silentAgentsAreCounted()
    {
        EventRecord alert;
        alert.kind = EventKind::Alert;
        alert.eventType = u"agent_silent"_s;
        const QList<VmRecord> vms = m_store->vms();
        QVERIFY(vms.size() >= 2);
        for (int i = 0; i < 2; ++i) {
            QVERIFY(m_store->setPowerState(vms.at(i).id, PowerState::Running, m_clock.nowUtc()));
            QVERIFY(m_store->setAgentSilent(vms.at(i).id, m_clock.nowUtc(), alert));
        }
        QVERIFY(m_store->setPowerState(vms.at(1).id, PowerState::Deallocated, m_clock.nowUtc()));
        ListenerMetrics metrics;
        const QByteArray text = metrics.render(*m_store, m_clock, {});
        QCOMPARE(sample(text, "spotkeeper_agents_silent"), 1.0);
    }

    void zeroTtlReadsOnEveryScrape()
    {
        ListenerMetrics metrics;
        metrics.setStoreGaugeTtlMs(0);
        for (int i = 0; i < 3; ++i)
            metrics.render(*m_store, m_clock, {});
        QCOMPARE(m_store->vmsCalls(), 3);
        QCOMPARE(metrics.storeGaugeReads(), 3);
    }

    void clockGoingBackReadsAgain()
    {
        ListenerMetrics metrics;
        metrics.render(*m_store, m_clock, {});
        m_clock.advanceMSecs(-3'600'000); // a wall clock step back must not freeze the gauges
        metrics.render(*m_store, m_clock, {});
        QCOMPARE(m_store->vmsCalls(), 2);
    }
};

QTEST_GUILESS_MAIN(TestListenerMetrics)
#include "tst_listenermetrics.moc"
