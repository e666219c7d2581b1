// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/costtypes.h"
#include "fleet/fleettypes.h"
#include "store/fleetreads.h"

#include <QString>
#include <QStringList>

class QObject;

#include <functional>
#include <memory>
#include <optional>

// The durable store: fleet, events, restart jobs, agent keys, operator tokens and the
// append-only audit log. SQLite through Qt Sql by default (WAL, synchronous=FULL), or
// PostgreSQL (QPSQL) for several servers sharing one database; all SQL dialect differences
// live in one adapter (sqldialect.h). A Store owns one connection and must be used from the
// thread that opened it; open another Store on the same path for another thread (e.g. the
// GUI's reads). Every write method returns only after its transaction is committed.
namespace spotkeeper::core {

struct StoreOptions
{
    // Positional like the aggregate it was: StoreOptions {path, readOnly, busyTimeoutMs, clock}.
    explicit StoreOptions(QString path_ = {}, bool readOnly_ = false, int busyTimeoutMs_ = 5000,
                          base::Clock *clock_ = nullptr)
        : path(std::move(path_))
        , readOnly(readOnly_)
        , busyTimeoutMs(busyTimeoutMs_)
        , clock(clock_)
    { }

    // SQLite file (":memory:" for throwaway tests), or a PostgreSQL URL
    // postgresql://USER@HOST:PORT/DATABASE (never with a password in it).
    QString path;
    bool readOnly = false;
    int busyTimeoutMs = 5000;
    base::Clock *clock = nullptr; // defaults to systemClock()
    // PostgreSQL only: a file (mode 0600) holding the password; empty = libpq's own
    // PGPASSFILE / ~/.pgpass. sslMode and sslRootCert go to libpq (sslmode, sslrootcert).
    QString passwordFile;
    QString sslMode;
    QString sslRootCert;
};

struct StoreError
{
    // Conflict: a conditional write found the row changed by someone else (saveJobIfUnchanged).
    enum class Code { None, CannotOpen, NewerSchema, Corrupt, MigrationFailed, Sql, Conflict };
    Code code = Code::None;
    QString message; // for operators: says what to do, never contains a secret
};

// A notice as the listener hands it over after verification.
struct IncomingNotice
{
    QString webhookId;
    QString vmResourceKey; // lower-cased resource id of the VM the (verified) key speaks for
    VmRecord vm; // identity from the notice, to create/update the fleet row
    EventRecord event; // kind Notice, with eventId/eventType/eventStatus/payload
};

// One agent heartbeat (see Store::recordHeartbeat).
struct HeartbeatUpdate
{
    QString vmResourceKey;
    VmRecord identity;
    QDateTime at;
    QString agentVersion;
    QString pollError;
    // The application health probe's report (protocol version 3); None: no probe. A change
    // of state moves app_health_since and is written to the timeline.
    AppHealth appHealth = AppHealth::None;
    QString appProbe {};
    qint64 appLatencyMs = -1;
    QString appHealthDetail {};
};

// A reconciler's claim on a subscription's sweep (Store::claimSweep).
struct SweepClaim
{
    bool granted = false;
    QString holder; // who holds the sweep now, or held it last
    QDateTime heldUntil; // the holder's lease end; invalid = nobody sweeps now
    QDateTime lastFinishedAt; // the last finished sweep by any engine; invalid = never
};

// One notification for one channel in the durable outbox (issue 17, docs/NOTIFICATIONS.md):
// written once per (channel, eventKey), delivered until the receiver answers 2xx.
struct OutboxEntry
{
    enum class State { Pending, Delivered, Failed }; // Failed: given up (config gone, 4xx)
    qint64 id = 0;
    QString channel; // the [notify] channel's name
    QString eventKey; // idempotency key: the receiver's webhook-id; unique per channel
    QString kind; // eviction, restarted, needs_operator, stopped, agent_silent, ...
    qint64 vmId = 0; // 0: several VMs (a grouped storm)
    QDateTime createdAt;
    QString payload; // JSON: the facts the channel's template renders
    State state = State::Pending;
    int attempts = 0;
    QDateTime nextAttemptAt;
    QDateTime deliveredAt;
    QString lastError; // never a secret
};
QString toString(OutboxEntry::State state); // "pending" | "delivered" | "failed"

struct OutboxCount
{
    QString channel;
    OutboxEntry::State state = OutboxEntry::State::Pending;
    qint64 count = 0;
};

struct NoticeOutcome
{
    enum class Status { Inserted, Duplicate, Failed };
    Status status = Status::Failed;
    qint64 vmId = 0;
    qint64 eventId = 0; // the stored event (existing one for a duplicate)
    // Inserted, but an earlier phase of the same event (VM + EventId) was stored before:
    // history, not news for the engine, which acted on the first phase.
    bool laterPhase = false;
};

// An operator API token as listed to operators: never the token or its hash.
struct OperatorTokenRecord
{
    QString tokenId;
    QDateTime createdAt;
    QDateTime expiresAt; // invalid = no expiry
    QDateTime revokedAt; // invalid = active
};

class Store : public FleetReads
{
public:
    ~Store() override = default;

    // Opens (creating if needed) and migrates forward. A database written by a newer
    // SpotKeeper, or a corrupt file, gives an error and nullptr, never a crash.
    static std::unique_ptr<Store> open(const StoreOptions &options, StoreError *error);

    static int currentSchemaVersion();
    virtual int schemaVersion() const = 0;
    virtual QString path() const = 0;
    // The options it was opened with (for a second connection to the same store).
    virtual StoreOptions openOptions() const = 0;
    virtual StoreError lastError() const = 0;
    virtual bool integrityCheck(QString *details) = 0; // PRAGMA integrity_check / equivalent

    // --- fleet (vm(), vms() and the other reads: FleetReads)
    virtual std::optional<VmRecord> vmByKey(const QString &resourceKey) = 0;
    // Inserts or updates by resourceKey; keeps operator choices (autoRestart,
    // desiredState, managedBy unless stronger) of an existing row. Returns the id, 0 on error.
    virtual qint64 upsertVm(const VmRecord &vm) = 0;
    virtual bool setPowerState(qint64 vmId, PowerState state, const QDateTime &at) = 0;
    virtual bool setAutoRestart(qint64 vmId, bool enabled) = 0;
    // Running also clears the stopped-on-purpose columns.
    virtual bool setDesiredState(qint64 vmId, DesiredState state) = 0;
    // Desired state Stopped, with who stopped it on purpose and how (fleet view, operator API).
    virtual bool setStoppedOnPurpose(qint64 vmId, const QString &by, const QString &operation,
                                     const QDateTime &at) = 0;
    virtual bool setManagedBy(qint64 vmId, ManagedBy reason) = 0;
    // The AgentWatch's verdict: since (invalid = clear) into agent_silent_since and event
    // (the alert, or why it cleared; its vmId defaults to vmId) in one transaction.
    virtual bool setAgentSilent(qint64 vmId, const QDateTime &since, const EventRecord &event) = 0;
    // Heartbeat: agent last seen/version/poll error. Appends a Heartbeat event only when
    // the poll outcome changed or the agent is new (not one row per heartbeat).
    virtual bool recordHeartbeat(const QString &vmResourceKey, const VmRecord &identity,
                                 const QDateTime &at, const QString &agentVersion,
                                 const QString &pollError) = 0;
    // The same for many VMs in one transaction (one fsync; the listener's coalesced
    // heartbeat flush). An SQL error rolls back the whole batch and returns false; an
    // update without a VM key fails the call before anything is written.
    virtual bool recordHeartbeats(const QList<HeartbeatUpdate> &batch) = 0;

    // --- notices: one transaction for the whole batch (group commit), durable
    // (synchronous=FULL) when this returns. Dedup per VM, on webhook-id and on
    // (EventId, EventStatus) - one notice per phase of an event - also inside the batch: a
    // duplicate changes nothing (not even the VM row) and is reported Duplicate with the stored
    // event's id. A notice without a VM key is Failed alone; an SQL error fails (and rolls back)
    // the whole batch. The VM row is created or refreshed, and marked managed by Agent unless
    // already stronger (also by heartbeats).
    virtual QList<NoticeOutcome> insertNotices(const QList<IncomingNotice> &batch) = 0;

    // --- events
    virtual qint64 appendEvent(const EventRecord &event) = 0;
    virtual qint64 eventCount(const EventFilter &filter) = 0; // -1 on error
    // Forward-only read for exports: visit(event) for every event matching filter (vmId,
    // kinds, from, to; afterId > 0: id > afterId; beforeId > 0: id < beforeId; limit
    // ignored) in ascending id order, until visit returns false. The record is reused
    // between calls (copy what you keep); its payload is left empty. Memory stays flat
    // however many rows match. False on a store error (lastError()). The default pages
    // through events() by id (keyset).
    virtual bool forEachEvent(const EventFilter &filter,
                              const std::function<bool(const EventRecord &)> &visit);

    // --- restart jobs (at most one non-terminal job per VM; activeJob(s), jobs: FleetReads)
    virtual std::optional<JobRecord> job(qint64 jobId) = 0;
    // Creates a job unless the VM already has a non-terminal one (then returns that
    // one with created=false): work-queue semantics, enforced by a unique index.
    virtual std::optional<JobRecord> createJob(const JobRecord &job, bool *created) = 0;
    // Writes the whole job row and, in the same transaction, an optional event
    // (e.g. the JobTransition or RestartAttempt that goes with it; its vmId defaults to
    // the job's). Fills updatedAt (if invalid) and finishedAt (terminal state, if invalid).
    // Fails when it would make a second non-terminal job for the VM.
    // Bumps the row's version (unconditional: tools, tests, seeding).
    virtual bool saveJob(const JobRecord &job, const EventRecord *withEvent = nullptr) = 0;
    // The engine's write: the same, but only while the stored row still has job.version
    // (nobody else saved it, claimed its lease or released it since it was read). On
    // success job gets the new version (and the filled timestamps); on a changed row it
    // fails with StoreError::Code::Conflict and writes nothing, not even the event.
    virtual bool saveJobIfUnchanged(JobRecord &job, const EventRecord *withEvent = nullptr) = 0;
    // Leases: an engine owns the jobs it works on; expired leases are rescued. Claims
    // (oldest first) non-terminal jobs whose lease is free, expired (clock) or already the
    // owner's (renewal), and sets owner + leaseUntil on them; a change of owner bumps the
    // version (renewal does not). limit <= 0 = all.
    virtual QList<JobRecord> claimJobs(const QString &owner, const QDateTime &leaseUntil,
                                       int limit) = 0;
    // Graceful shutdown: drops the owner's leases on non-terminal jobs so another engine
    // need not wait for them to expire. Returns how many were released, -1 on error.
    virtual int releaseJobs(const QString &owner) = 0;

    // --- reconciler sweeps shared by every engine on the store: one sweep of a subscription
    // at a time, and not again before the last one is old enough. Grants (and leases until
    // leaseUntil) when nobody holds the sweep (free, expired by the clock, or the owner's own)
    // and the last sweep finished at or before finishedNotAfter (or never). Either way the
    // claim says who holds it and when the last sweep finished, so a refused engine knows
    // when to ask again. subscriptionKey: the lower-cased subscription id.
    virtual SweepClaim claimSweep(const QString &subscriptionKey, const QString &owner,
                                  const QDateTime &leaseUntil,
                                  const QDateTime &finishedNotAfter) = 0;
    // The owner's sweep is done: records finishedAt and frees the lease. False when the
    // owner no longer holds it (its lease expired and another engine took it) or on error.
    virtual bool finishSweep(const QString &subscriptionKey, const QString &owner,
                             const QDateTime &finishedAt) = 0;
    // Replicas alive: renews the owner's presence lease (a row of sweep_leases keyed
    // "replica|<hash of the owner>") until leaseUntil and counts the presence leases not yet
    // ended, the owner's own included. -1 on a store error (nothing changed).
    virtual int renewPresence(const QString &owner, const QDateTime &leaseUntil) = 0;
    // A lock on `name` held by this connection until it closes (or the process dies), for
    // engine identities on a shared database server. Held: this connection has it; Busy:
    // another connection does; Unsupported: the store has no such locks (a file store: the
    // caller uses a lock file). Re-taken after a reconnect.
    enum class NamedLock { Held, Busy, Unsupported };
    virtual NamedLock holdNamedLock(const QString &name) = 0;

    // Job rows that changed hands on another connection (another engine claimed, adopted for
    // an operator action, saved or released them): handler(vmId, owner) runs on this Store's
    // thread as soon as the database server says so (PostgreSQL LISTEN/NOTIFY), until context
    // is destroyed. vmId 0 with an empty owner: jobs were released. False when the store
    // cannot tell (SQLite: the engines of one file learn it when they renew their leases).
    virtual bool watchJobOwners(QObject *context,
                                std::function<void(qint64 vmId, const QString &owner)> handler) = 0;

    // Rate-limit buckets several engines share (fleet/sharedratebudgets.h): in one write
    // transaction, reads the stored state of each key (0 = never used), lets change() edit
    // them and, when it returns true, stores them. False on a store error (nothing changed).
    virtual bool updateBudgets(const QStringList &keys,
                               const std::function<bool(QList<qint64> &states)> &change) = 0;

    // --- small settings of the store itself (schema_meta): returns key's value, storing
    // valueIfAbsent first when the key has none (one transaction). Empty on error. Keys
    // up to 64 characters, values up to 255.
    virtual QString metaValueOrInsert(const QString &key, const QString &valueIfAbsent) = 0;

    // --- notification outbox (issue 17). Adds entries - an existing (channel, eventKey) is
    // kept as it is, so an event is never enqueued twice - and sets the store setting
    // cursorKey (schema_meta, as metaValueOrInsert) to cursorValue, in one transaction.
    virtual bool enqueueNotifications(const QList<OutboxEntry> &entries, const QString &cursorKey,
                                      const QString &cursorValue) = 0;
    // Pending entries with nextAttemptAt <= now, oldest first; limit <= 0 = all.
    virtual QList<OutboxEntry> dueNotifications(const QDateTime &now, int limit) = 0;
    // Claims up to limit (> 0) due entries for one delivery each: their nextAttemptAt moves to
    // leaseUntil in the claiming transaction, so no other Notifier on the store sees them due
    // until the lease ends (on PostgreSQL rows another replica is claiming are skipped, never
    // waited for). The entries come back as they were before the claim, oldest first.
    virtual QList<OutboxEntry> claimNotifications(const QDateTime &now, const QDateTime &leaseUntil,
                                                  int limit) = 0;
    // Writes state, attempts, nextAttemptAt, deliveredAt and lastError of the entry's row.
    virtual bool updateNotification(const OutboxEntry &entry) = 0;
    // How many entries each channel has in each state (/metrics).
    virtual QList<OutboxCount> notificationCounts() = 0;

    // --- agent keys
    virtual bool saveAgentKey(const AgentKeyRecord &key) = 0;
    virtual std::optional<AgentKeyRecord> agentKey(const QString &keyId) = 0;
    virtual QList<AgentKeyRecord> agentKeys() = 0;

    // --- operator API tokens: only a SHA-256 hash is stored
    virtual bool saveOperatorToken(const QString &tokenId, const QByteArray &sha256,
                                   const QDateTime &createdAt, const QDateTime &expiresAt) = 0;
    virtual bool revokeOperatorToken(const QString &tokenId, const QDateTime &at) = 0;
    virtual std::optional<QString> operatorTokenIdForHash(const QByteArray &sha256,
                                                          const QDateTime &now) = 0;
    virtual QList<OperatorTokenRecord> operatorTokens() = 0; // by token id

    // --- audit log: append-only (UPDATE and DELETE are refused by triggers)
    virtual qint64 appendAudit(const AuditRecord &record) = 0; // read with audit(): FleetReads

    // --- cost analytics (docs/ANALYTICS.md). Every power state change (setPowerState,
    // upsertVm) also lands in the power history the running hours are summed from.
    // Stores the retail prices (one row per region, size, OS and kind; a newer fetch
    // replaces the row) in one transaction.
    virtual bool savePrices(const QList<PriceRecord> &prices) = 0;
    virtual QList<PriceRecord> prices() = 0; // by region, size, OS, kind
    // Azure's published eviction-rate bands (a newer read replaces a (region, size) row) and
    // Spot price history points (a point read again is updated), each in one transaction.
    virtual bool saveEvictionBands(const QList<EvictionBand> &bands) = 0;
    virtual QList<EvictionBand> evictionBands() = 0; // by region, size
    virtual bool saveSpotPriceHistory(const QList<SpotPricePoint> &points) = 0;
    virtual QList<SpotPricePoint> spotPriceHistory() = 0; // by region, size, OS, date
    // Running hours, spot and pay-as-you-go cost, savings, hours lost to evictions and their
    // pay-as-you-go cost per group over the query's range, and the savings series, summed
    // by the database; with query.risk also the eviction risk per size and region (observed
    // beside the published band). nullopt on a store error or an invalid range.
    virtual std::optional<CostReport> costReport(const CostQuery &query) = 0;

protected:
    Store() = default;
    Q_DISABLE_COPY_MOVE(Store)
};

} // namespace spotkeeper::core
