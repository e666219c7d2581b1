// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/sqldialect.h"
#include "store/store.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QSqlDatabase>

#include <functional>
#include <memory>
#include <utility>

class QSqlQuery;

// The Store over Qt Sql. Portable SQL here; everything engine-specific goes through
// m_dialect (SQLite today). One uniquely named connection per instance, removed in
// the destructor; use an instance only from the thread that opened it.
namespace spotkeeper::core {

class SqliteStore final : public Store
{
public:
    // Use Store::open(); public only for std::make_unique.
    SqliteStore(StoreOptions options, std::unique_ptr<SqlDialect> dialect);
    ~SqliteStore() override;

    bool openDatabase(StoreError *error);
    // For a store copy (storecopy.cpp): the connection and its dialect.
    const QSqlDatabase &database() const { return m_db; }
    const SqlDialect &dialect() const { return *m_dialect; }

    int schemaVersion() const override { return m_version; }
    QString path() const override { return m_options.path; }
    StoreOptions openOptions() const override { return m_options; }
    StoreError lastError() const override { return m_error; }
    bool integrityCheck(QString *details) override;

    std::optional<VmRecord> vm(qint64 id) override;
    std::optional<VmRecord> vmByKey(const QString &resourceKey) override;
    QList<VmRecord> vms() override;
    qint64 upsertVm(const VmRecord &vm) override;
    bool setPowerState(qint64 vmId, PowerState state, const QDateTime &at) override;
    bool setAutoRestart(qint64 vmId, bool enabled) override;
    bool setDesiredState(qint64 vmId, DesiredState state) override;
    bool setStoppedOnPurpose(qint64 vmId, const QString &by, const QString &operation,
                             const QDateTime &at) override;
    bool setManagedBy(qint64 vmId, ManagedBy reason) override;
    bool setAgentSilent(qint64 vmId, const QDateTime &since, const EventRecord &event) override;
    bool enqueueNotifications(const QList<OutboxEntry> &entries, const QString &cursorKey,
                              const QString &cursorValue) override;
    QList<OutboxEntry> dueNotifications(const QDateTime &now, int limit) override;
    QList<OutboxEntry> claimNotifications(const QDateTime &now, const QDateTime &leaseUntil,
                                          int limit) override;
    bool updateNotification(const OutboxEntry &entry) override;
    QList<OutboxCount> notificationCounts() override;
    bool recordHeartbeat(const QString &vmResourceKey, const VmRecord &identity,
                         const QDateTime &at, const QString &agentVersion,
                         const QString &pollError) override;
    bool recordHeartbeats(const QList<HeartbeatUpdate> &batch) override;

    QList<NoticeOutcome> insertNotices(const QList<IncomingNotice> &batch) override;

    qint64 appendEvent(const EventRecord &event) override;
    QList<EventRecord> events(const EventFilter &filter) override;
    qint64 eventCount(const EventFilter &filter) override;
    bool forEachEvent(const EventFilter &filter,
                      const std::function<bool(const EventRecord &)> &visit) override;

    std::optional<JobRecord> activeJob(qint64 vmId) override;
    std::optional<JobRecord> job(qint64 jobId) override;
    QList<JobRecord> activeJobs() override;
    QList<JobRecord> jobs(qint64 vmId, int limit) override;
    std::optional<JobRecord> createJob(const JobRecord &job, bool *created) override;
    bool saveJob(const JobRecord &job, const EventRecord *withEvent) override;
    bool saveJobIfUnchanged(JobRecord &job, const EventRecord *withEvent) override;
    QList<JobRecord> claimJobs(const QString &owner, const QDateTime &leaseUntil,
                               int limit) override;
    int releaseJobs(const QString &owner) override;
    QString metaValueOrInsert(const QString &key, const QString &valueIfAbsent) override;
    SweepClaim claimSweep(const QString &subscriptionKey, const QString &owner,
                          const QDateTime &leaseUntil, const QDateTime &finishedNotAfter) override;
    bool finishSweep(const QString &subscriptionKey, const QString &owner,
                     const QDateTime &finishedAt) override;
    int renewPresence(const QString &owner, const QDateTime &leaseUntil) override;
    NamedLock holdNamedLock(const QString &name) override;
    bool updateBudgets(const QStringList &keys,
                       const std::function<bool(QList<qint64> &states)> &change) override;
    bool watchJobOwners(QObject *context,
                        std::function<void(qint64 vmId, const QString &owner)> handler) override;

    bool saveAgentKey(const AgentKeyRecord &key) override;
    std::optional<AgentKeyRecord> agentKey(const QString &keyId) override;
    QList<AgentKeyRecord> agentKeys() override;

    bool saveOperatorToken(const QString &tokenId, const QByteArray &sha256,
                           const QDateTime &createdAt, const QDateTime &expiresAt) override;
    bool revokeOperatorToken(const QString &tokenId, const QDateTime &at) override;
    std::optional<QString> operatorTokenIdForHash(const QByteArray &sha256,
                                                  const QDateTime &now) override;
    QList<OperatorTokenRecord> operatorTokens() override;

    qint64 appendAudit(const AuditRecord &record) override;
    QList<AuditRecord> audit(const QDateTime &from, const QDateTime &to, int limit) override;

    bool savePrices(const QList<PriceRecord> &prices) override;
    QList<PriceRecord> prices() override;
    bool saveEvictionBands(const QList<EvictionBand> &bands) override;
    QList<EvictionBand> evictionBands() override;
    bool saveSpotPriceHistory(const QList<SpotPricePoint> &points) override;
    QList<SpotPricePoint> spotPriceHistory() override;
    std::optional<CostReport> costReport(const CostQuery &query) override;

private:
    // Holds the write lock from BEGIN; rolls back unless commit() succeeded.
    class WriteTransaction
    {
    public:
        explicit WriteTransaction(SqliteStore &store);
        // A transaction that touches only the VMs vmKeys (SqlDialect::beginVmWriteSql).
        WriteTransaction(SqliteStore &store, const QStringList &vmKeys);
        ~WriteTransaction();
        bool ok() const { return m_active; }
        bool commit();

    private:
        void begin(const QStringList &statements);
        SqliteStore &m_store;
        bool m_active = false;
        Q_DISABLE_COPY_MOVE(WriteTransaction)
    };

    // A statement prepared once per connection and reused on the hot paths (notice
    // ingest, VM lookups); the guard resets it so no read snapshot outlives the call.
    class CachedStatement
    {
    public:
        CachedStatement(SqliteStore &store, const QString &sql);
        ~CachedStatement();
        bool ok() const { return m_query != nullptr; }
        QSqlQuery &query() { return *m_query; }

    private:
        SqliteStore &m_store;
        QSqlQuery *m_query = nullptr;
        Q_DISABLE_COPY_MOVE(CachedStatement)
    };

    QDateTime now() const;
    QSqlQuery query();
    bool prepareOrFail(QSqlQuery &query, const QString &sql);
    bool execOrFail(QSqlQuery &query, const QString &sql = QString()); // empty: the prepared one
    // Prepares sql, binds `binds` in order and runs it.
    bool runOrFail(QSqlQuery &query, const QString &sql, const QVariantList &binds);
    // A read: runs sql with `binds` and hands each row to onRow; false on a failure.
    bool forEachRow(const QString &sql, const QVariantList &binds,
                    const std::function<void(const QSqlQuery &)> &onRow);
    bool fail(const QString &what, const QString &detail, StoreError::Code code);
    // Every public call starts here: clears the last error and, after a lost connection,
    // reconnects once the backoff allows.
    void clearError();
    // A failed statement: a lost connection (dialect) is closed and reopened later.
    void noteFailure(const QSqlError &error);
    void reconnectIfDue();
    bool reopenSession(QString *problem);
    bool invalid(const QString &what); // a caller error (bad argument), not an SQL one
    // In one write transaction: prepares sql and runs it once per row i < count after
    // bindRow(query, i) bound its values; bindRow answers a problem with row i (nothing is
    // written then: invalid()).
    bool writeEach(const QString &sql, qsizetype count,
                   const std::function<QString(QSqlQuery &, qsizetype)> &bindRow);
    // costReport's eviction risk per size and region over [from, end) (sqlitestorecost.cpp).
    bool addRiskRows(CostReport &report, qint64 from, qint64 end);
    bool writeJob(JobRecord &job, const EventRecord *withEvent, bool conditional);
    // Inside a write transaction: tells the other connections (watchJobOwners) that vmId's
    // job is owner's now, when the transaction commits. True where the dialect cannot.
    bool announceJobOwner(qint64 vmId, const QString &owner);

    std::optional<VmRecord> vmWhere(const QString &column, const QVariant &value);
    // Inside a transaction. managedFloor raises managedBy to at least that value.
    // known: the row as already read in this transaction (saves a query).
    // The INSERT of a VM not in the store yet (upsertVmLocked), its power history opened.
    qint64 insertVmLocked(const VmRecord &vm, const QString &key, ManagedBy managedFloor,
                          const QDateTime &at);
    qint64 upsertVmLocked(const VmRecord &vm, ManagedBy managedFloor,
                          const std::optional<VmRecord> *known = nullptr);
    qint64 insertEventLocked(const EventRecord &event);
    bool updateVmColumns(qint64 vmId, const QString &assignments, const QVariantList &values);
    // Inside a write transaction: SET assignments (with values bound in order) and updated_at
    // of the VM; invalid() when there is no such VM.
    bool updateVmColumnsLocked(qint64 vmId, const QString &assignments, QVariantList values);
    // Inside a write transaction: the VM is in `state` since `at` (power_history): closes the
    // open span of another state and opens one for this state; the same state changes nothing.
    bool recordPowerLocked(qint64 vmId, PowerState state, const QDateTime &at);
    QString eventWhere(const EventFilter &filter, QVariantList *binds) const;
    QList<JobRecord> jobsWhere(const QString &whereAndOrder, const QVariantList &binds);
    QList<OutboxEntry> outboxWhere(const QString &clause, const QVariantList &values);
    // A notice batch, set-based (sqlitestorenotices.cpp): a stored notice's phase, or one
    // this batch inserts (eventId 0, pending its index in the batch).
    struct StoredNoticePhase
    {
        qint64 eventId = 0;
        qsizetype pending = -1;
        QString status;
    };
    using VmText = std::pair<qint64, QString>; // a VM's id and a webhook-id or EventId
    struct NoticeBatch;
    bool insertNoticesLocked(const QList<IncomingNotice> &batch, const QStringList &vmKeys,
                             QList<NoticeOutcome> *out);
    // True (and *outcome says of what) when the notice repeats a stored one or an earlier
    // one of the batch; sets outcome->laterPhase for a new phase of a known event.
    static bool isDuplicateNotice(NoticeBatch &b, qint64 vmId, const IncomingNotice &notice,
                                  qsizetype index, NoticeOutcome *outcome);
    // The notice's VM row as it leaves it: created (now), rewritten (now, on an identity
    // change) or its agent columns changed in b (written by writeNoticeBatch).
    bool applyNoticeToVm(NoticeBatch &b, const QString &key, const VmRecord &vm,
                         const QDateTime &at);
    bool writeNoticeBatch(NoticeBatch &b, QList<NoticeOutcome> *out);
    bool readBatchVms(const QStringList &keys, QHash<QString, VmRecord> *vms);
    // The stored notices that the probed (VM id, notice) pairs would repeat: by webhook-id,
    // and by EventId with every stored phase.
    bool readBatchDuplicates(const QList<std::pair<qint64, const IncomingNotice *>> &probes,
                             QHash<VmText, qint64> *byWebhookId,
                             QHash<VmText, QList<StoredNoticePhase>> *byEventId);
    bool updateBatchVmAgents(const QList<VmRecord> &vms); // agent columns and managed_by
    // Inserts events (their vmId set) and answers their ids in the same order.
    bool insertBatchEvents(const QList<EventRecord> &events, QList<qint64> *ids);
    bool recordHeartbeatLocked(const HeartbeatUpdate &update);
    bool recordAppHealthLocked(qint64 vmId, const HeartbeatUpdate &update, const VmRecord &before,
                               const QDateTime &seen);
    QList<AgentKeyRecord> agentKeysWhere(const QString &where, const QVariantList &binds);

    StoreOptions m_options;
    std::unique_ptr<SqlDialect> m_dialect;
    QString m_connectionName;
    QSqlDatabase m_db;
    StoreError m_error;
    int m_version = 0;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    QStringList m_namedLocks; // held by this connection (holdNamedLock)
    // The database server went away (PostgreSQL): calls fail at once until the next attempt
    // to reconnect, 250 ms after the loss, doubling up to 5 s. Never under an open
    // transaction or cached statement (m_busy).
    bool m_watchingJobs = false; // subscribed to job-owner notifications (again after a reconnect)
    bool m_lost = false;
    int m_reconnectDelayMs = 0;
    QDeadlineTimer m_reconnectAt;
    int m_busy = 0;

    Q_DISABLE_COPY_MOVE(SqliteStore)
};

} // namespace spotkeeper::core
