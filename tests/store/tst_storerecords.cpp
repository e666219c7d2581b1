// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Store: restart jobs (one active per VM, leases), agent keys, operator tokens, audit log.
// Runs on SQLite (tst_storerecords) and on PostgreSQL (tst_storerecords_postgresql).
#include "support/base/manualclock.h"
#include "support/store/storetestutil.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;
using spotkeeper::testsupport::ManualClock;

class TestStoreRecords : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Store> openStore()
    {
        return testutil::openStore(backendOptions(m_dir->path(), u"store.db"_s), m_clock);
    }
    JobRecord newJob(qint64 vmId) const
    {
        JobRecord job;
        job.vmId = vmId;
        job.trigger = u"notice"_s;
        job.notBefore = m_clock.nowUtc().addSecs(30);
        job.evictedAt = m_clock.nowUtc();
        return job;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;

private slots:
    void initTestCase() { SPOTKEEPER_STORE_BACKEND_INIT(); }
    void cleanupTestCase() { spotkeeper::testsupport::StoreBackend::cleanup(); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_clock.set(QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
    }

    void oneActiveJobPerVm()
    {
        auto store = openStore();
        const qint64 vm = store->upsertVm(vmRecord(1));
        const qint64 other = store->upsertVm(vmRecord(2));
        bool created = false;
        const auto job = store->createJob(newJob(vm), &created);
        QVERIFY(job && created);
        QVERIFY(job->id > 0);
        QCOMPARE(job->createdAt, m_clock.nowUtc());
        QCOMPARE(job->notBefore, m_clock.nowUtc().addSecs(30));

        const auto again = store->createJob(newJob(vm), &created); // queued already: no-op
        QVERIFY(again);
        QVERIFY(!created);
        QCOMPARE(again->id, job->id);
        QCOMPARE(store->jobs(vm, 0).size(), 1);

        const auto otherJob = store->createJob(newJob(other), &created);
        QVERIFY(otherJob && created);
        QCOMPARE(store->activeJobs().size(), 2);

        // Finishing the job frees the slot; the finished one stays in history.
        JobRecord done = *job;
        done.state = JobState::Running;
        done.attempt = 3;
        EventRecord transition = eventOf(EventKind::JobTransition, 0, u"recovered"_s);
        QVERIFY(store->saveJob(done, &transition));
        QVERIFY(!store->activeJob(vm));
        const auto saved = store->job(job->id);
        QCOMPARE(toString(saved->state), toString(JobState::Running));
        QCOMPARE(saved->attempt, 3);
        QCOMPARE(saved->finishedAt, m_clock.nowUtc()); // filled for terminal states
        const auto events = store->events(byKinds({EventKind::JobTransition}));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].vmId, vm); // defaulted from the job

        m_clock.advanceMSecs(1000);
        const auto second = store->createJob(newJob(vm), &created);
        QVERIFY(second && created);
        QVERIFY(second->id != job->id);
        const auto history = store->jobs(vm, 10);
        QCOMPARE(history.size(), 2);
        QCOMPARE(history[0].id, second->id); // newest first
        QCOMPARE(store->jobs(vm, 1).size(), 1);
        QCOMPARE(store->activeJob(vm)->id, second->id);

        // Re-opening the finished job while another is active breaks the rule: refused.
        JobRecord reopen = *saved;
        reopen.state = JobState::BackingOff;
        QVERIFY(!store->saveJob(reopen));
        QCOMPARE(store->lastError().code, StoreError::Code::Sql);
        QCOMPARE(toString(store->job(job->id)->state), toString(JobState::Running));
        QCOMPARE(store->activeJobs().size(), 2);

        // Paused and NeedsOperator are not terminal: they still hold the slot.
        JobRecord paused = *second;
        paused.state = JobState::Paused;
        QVERIFY(store->saveJob(paused));
        const auto stillPaused = store->createJob(newJob(vm), &created);
        QVERIFY(stillPaused);
        QVERIFY(!created);
        QCOMPARE(stillPaused->id, second->id);
        QCOMPARE(toString(stillPaused->state), toString(JobState::Paused));
    }

    void jobFailurePaths()
    {
        auto store = openStore();
        bool created = true;
        QVERIFY(!store->createJob(newJob(0), &created));
        QVERIFY(!created);
        JobRecord ghost = newJob(1);
        ghost.id = 999;
        QVERIFY(!store->saveJob(ghost));
        QVERIFY(store->lastError().message.contains(u"999"_s));
        QVERIFY(!store->job(999));
        // A job for a VM that does not exist violates the foreign key.
        QVERIFY(!store->createJob(newJob(12345), &created));
        QCOMPARE(store->lastError().code, StoreError::Code::Sql);
    }

    void saveJobRollsBackWithItsEvent()
    {
        auto store = openStore();
        const qint64 vm = store->upsertVm(vmRecord(1));
        auto job = store->createJob(newJob(vm), nullptr);
        QVERIFY(job);
        JobRecord next = *job;
        next.state = JobState::Starting;
        EventRecord bad = eventOf(EventKind::RestartAttempt, 424242); // unknown VM
        QVERIFY(!store->saveJob(next, &bad));
        QCOMPARE(toString(store->job(job->id)->state),
                 toString(JobState::WaitingForDeallocation)); // all or nothing
        QCOMPARE(store->eventCount({}), 0);
    }

    void leasesAreClaimedAndRescued()
    {
        auto store = openStore();
        QList<qint64> jobIds;
        for (int i = 1; i <= 3; ++i) {
            const qint64 vm = store->upsertVm(vmRecord(i));
            jobIds << store->createJob(newJob(vm), nullptr)->id;
        }
        const QDateTime lease = m_clock.nowUtc().addSecs(60);
        const auto a = store->claimJobs(u"engine-a"_s, lease, 2);
        QCOMPARE(a.size(), 2);
        QCOMPARE(a[0].id, jobIds[0]);
        QCOMPARE(a[0].leaseOwner, u"engine-a"_s);
        QCOMPARE(a[0].leaseExpiresAt, lease);
        QCOMPARE(store->job(jobIds[0])->leaseOwner, u"engine-a"_s);

        const auto b = store->claimJobs(u"engine-b"_s, lease, 10);
        QCOMPARE(b.size(), 1); // only the free one
        QCOMPARE(b[0].id, jobIds[2]);
        QVERIFY(store->claimJobs(u"engine-b"_s, lease, 10).size() == 1); // renews its own

        // A terminal job is never claimed.
        JobRecord done = *store->job(jobIds[2]);
        done.state = JobState::Cancelled;
        QVERIFY(store->saveJob(done));

        // engine-a crashed: after its lease expires, engine-b rescues its jobs.
        QVERIFY(store->claimJobs(u"engine-b"_s, lease, 10).isEmpty());
        m_clock.advanceMSecs(60'000);
        const auto rescued = store->claimJobs(u"engine-b"_s, m_clock.nowUtc().addSecs(60), 10);
        QCOMPARE(rescued.size(), 2);
        QCOMPARE(rescued[0].leaseOwner, u"engine-b"_s);
        // Graceful shutdown hands the jobs over at once.
        QCOMPARE(store->releaseJobs(u"engine-b"_s), 2);
        QCOMPARE(store->job(rescued[0].id)->leaseOwner, QString());
        QVERIFY(!store->job(rescued[0].id)->leaseExpiresAt.isValid());
        QCOMPARE(store->claimJobs(u"engine-c"_s, m_clock.nowUtc().addSecs(60), 10).size(), 2);
        QCOMPARE(store->releaseJobs(u"nobody"_s), 0);
        QVERIFY(store->claimJobs(QString(), lease, 1).isEmpty());
        QVERIFY(!store->lastError().message.isEmpty());
    }

    void sweepLeasesTakeTurns()
    {
        auto store = openStore();
        const QString sub = u"11111111-2222-3333-4444-555555555555"_s;
        const QDateTime t0 = m_clock.nowUtc();
        const QDateTime lease = t0.addSecs(30);
        const SweepClaim a = store->claimSweep(sub, u"engine-a"_s, lease, t0.addSecs(-60));
        QVERIFY(a.granted);
        QCOMPARE(a.holder, u"engine-a"_s);
        QCOMPARE(a.heldUntil, lease);
        // engine-b is refused while engine-a sweeps, and told who holds it until when.
        const SweepClaim b = store->claimSweep(sub, u"engine-b"_s, lease, t0.addSecs(-60));
        QVERIFY(!b.granted);
        QCOMPARE(b.holder, u"engine-a"_s);
        QCOMPARE(b.heldUntil, lease);
        QVERIFY(!b.lastFinishedAt.isValid());
        // Another subscription is free.
        QVERIFY(store->claimSweep(u"other"_s, u"engine-b"_s, lease, t0.addSecs(-60)).granted);
        QVERIFY(!store->finishSweep(sub, u"engine-b"_s, t0)); // not engine-b's sweep

        m_clock.advanceMSecs(5'000);
        QVERIFY(store->finishSweep(sub, u"engine-a"_s, m_clock.nowUtc()));
        const QDateTime finished = m_clock.nowUtc();
        // Free now, but swept 0 s ago: not before an interval has passed.
        const SweepClaim early =
            store->claimSweep(sub, u"engine-b"_s, finished.addSecs(30), finished.addSecs(-60));
        QVERIFY(!early.granted);
        QVERIFY(!early.heldUntil.isValid());
        QCOMPARE(early.lastFinishedAt, finished);
        m_clock.advanceMSecs(60'000);
        QVERIFY(store
                    ->claimSweep(sub, u"engine-b"_s, m_clock.nowUtc().addSecs(30),
                                 m_clock.nowUtc().addSecs(-60))
                    .granted);
        // engine-b died mid-sweep: its lease ends and engine-a takes the next turn.
        QVERIFY(
            !store->claimSweep(sub, u"engine-a"_s, m_clock.nowUtc().addSecs(30), m_clock.nowUtc())
                 .granted);
        m_clock.advanceMSecs(30'000);
        const SweepClaim takeover = store->claimSweep(
            sub, u"engine-a"_s, m_clock.nowUtc().addSecs(30), m_clock.nowUtc().addSecs(-60));
        QVERIFY(takeover.granted);
        QCOMPARE(takeover.lastFinishedAt, finished);
        QVERIFY(!store->finishSweep(sub, u"engine-b"_s, m_clock.nowUtc())); // too late
        QVERIFY(!store->claimSweep(QString(), u"engine-a"_s, lease, t0).granted);
        QVERIFY(!store->lastError().message.isEmpty());
    }

    void saveIsConditionalOnTheVersion()
    {
        // Issue 12: an engine that lost its lease, or whose job an operator changed, cannot
        // overwrite the row; renewing one's own lease does not disturb one's own saves.
        auto store = openStore();
        const qint64 vm = store->upsertVm(vmRecord(1));
        const QDateTime lease = m_clock.nowUtc().addSecs(60);
        JobRecord a = store->claimJobs(u"engine-a"_s, lease, 0).value(0);
        QVERIFY(store->claimJobs(u"engine-a"_s, lease, 0).isEmpty()); // nothing yet
        a = *store->createJob(newJob(vm), nullptr);
        QCOMPARE(a.version, 0);
        a = store->claimJobs(u"engine-a"_s, lease, 0).value(0);
        QCOMPARE(a.version, 1); // free -> engine-a
        QCOMPARE(store->claimJobs(u"engine-a"_s, lease, 0).value(0).version, 1); // renewal
        a.state = JobState::Starting;
        QVERIFY2(store->saveJobIfUnchanged(a), qPrintable(store->lastError().message));
        QCOMPARE(a.version, 2);
        QCOMPARE(store->job(a.id)->version, 2);

        // engine-a stalls past its lease; engine-b rescues the job.
        m_clock.advanceMSecs(61'000);
        JobRecord b = store->claimJobs(u"engine-b"_s, m_clock.nowUtc().addSecs(60), 0).value(0);
        QCOMPARE(b.version, 3);
        JobRecord late = a;
        late.state = JobState::Running;
        EventRecord event;
        event.kind = EventKind::JobTransition;
        event.at = m_clock.nowUtc();
        event.message = u"late"_s;
        QVERIFY(!store->saveJobIfUnchanged(late, &event));
        QVERIFY(store->lastError().code == StoreError::Code::Conflict);
        QCOMPARE(toString(store->job(a.id)->state), toString(JobState::Starting));
        QCOMPARE(store->eventCount({}), 0); // nor its event
        QCOMPARE(late.version, 2); // the caller's copy is left as it was

        // An operator's unconditional save (pause) wins over engine-b's next write too.
        JobRecord paused = *store->job(a.id);
        paused.state = JobState::Paused;
        QVERIFY(store->saveJob(paused));
        b.state = JobState::BackingOff;
        QVERIFY(!store->saveJobIfUnchanged(b));
        QCOMPARE(toString(store->job(a.id)->state), toString(JobState::Paused));
        JobRecord ghost = b;
        ghost.id = 999;
        QVERIFY(!store->saveJobIfUnchanged(ghost));
        QVERIFY(store->lastError().code != StoreError::Code::Conflict);
    }

    void agentKeysRotateAndRevoke()
    {
        auto store = openStore();
        AgentKeyRecord key;
        key.keyId = u"key-1"_s;
        key.vmResourceKey = vmKey(1).toUpper();
        key.secrets << AgentKeySecret {QByteArray(32, '\x01'), m_clock.nowUtc(), {}};
        QVERIFY(store->saveAgentKey(key));
        auto stored = store->agentKey(u"key-1"_s);
        QVERIFY(stored);
        QCOMPARE(stored->vmResourceKey, vmKey(1));
        QCOMPARE(stored->createdAt, m_clock.nowUtc());
        QCOMPARE(stored->secrets.size(), 1);
        QCOMPARE(stored->secrets[0].secret, QByteArray(32, '\x01'));
        QVERIFY(!stored->secrets[0].expiresAt.isValid());

        // Rotation: new secret first, old one valid for an overlap.
        AgentKeyRecord rotated = *stored;
        rotated.secrets[0].expiresAt = m_clock.nowUtc().addSecs(3600);
        rotated.secrets.prepend(AgentKeySecret {QByteArray(32, '\x02'), m_clock.nowUtc(), {}});
        QVERIFY(store->saveAgentKey(rotated));
        stored = store->agentKey(u"key-1"_s);
        QCOMPARE(stored->secrets.size(), 2);
        QCOMPARE(stored->secrets[0].secret, QByteArray(32, '\x02'));
        QCOMPARE(stored->secrets[1].expiresAt, m_clock.nowUtc().addSecs(3600));

        AgentKeyRecord second;
        second.keyId = u"key-2"_s;
        second.vmResourceKey = vmKey(2);
        second.secrets << AgentKeySecret {QByteArray(24, '\x03'), {}, {}};
        QVERIFY(store->saveAgentKey(second));
        QCOMPARE(store->agentKeys().size(), 2);
        QCOMPARE(store->agentKeys()[1].secrets.size(), 1);

        rotated.revokedAt = m_clock.nowUtc();
        QVERIFY(store->saveAgentKey(rotated));
        QCOMPARE(store->agentKey(u"key-1"_s)->revokedAt, m_clock.nowUtc());
        QVERIFY(!store->agentKey(u"nope"_s));

        AgentKeyRecord noVm;
        noVm.keyId = u"x"_s;
        QVERIFY(!store->saveAgentKey(noVm));
        AgentKeyRecord empty;
        empty.keyId = u"key-3"_s;
        empty.vmResourceKey = vmKey(3);
        empty.secrets << AgentKeySecret {};
        QVERIFY(!store->saveAgentKey(empty));
        QVERIFY(!store->agentKey(u"key-3"_s)); // rolled back as a whole
    }

    void operatorTokensStoreOnlyHashes()
    {
        auto store = openStore();
        const QByteArray token = QByteArrayLiteral("skop_secret-token-value");
        const QByteArray hash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
        QVERIFY(store->saveOperatorToken(u"tok-1"_s, hash, {}, m_clock.nowUtc().addSecs(3600)));
        QCOMPARE(store->operatorTokenIdForHash(hash, m_clock.nowUtc()), u"tok-1"_s);
        QVERIFY(!store->operatorTokenIdForHash(hash, m_clock.nowUtc().addSecs(3600))); // expired
        QVERIFY(!store->operatorTokenIdForHash(QByteArray(32, '\0'), m_clock.nowUtc()));
        QVERIFY(!store->saveOperatorToken(u"tok-1"_s, hash, {}, {})); // duplicate id
        QVERIFY(!store->saveOperatorToken(u"tok-2"_s, token, {}, {})); // not a SHA-256
        QVERIFY(!store->lastError().message.contains(QString::fromUtf8(token)));

        const QByteArray hash2 = QCryptographicHash::hash("other", QCryptographicHash::Sha256);
        QVERIFY(store->saveOperatorToken(u"tok-2"_s, hash2, {}, {}));
        QCOMPARE(store->operatorTokenIdForHash(hash2, m_clock.nowUtc().addYears(5)), u"tok-2"_s);
        QVERIFY(store->revokeOperatorToken(u"tok-2"_s, m_clock.nowUtc()));
        QVERIFY(store->revokeOperatorToken(u"tok-2"_s, m_clock.nowUtc())); // idempotent
        QVERIFY(!store->operatorTokenIdForHash(hash2, m_clock.nowUtc()));
        QVERIFY(!store->revokeOperatorToken(u"tok-404"_s, m_clock.nowUtc()));

        const auto listed = store->operatorTokens();
        QCOMPARE(listed.size(), 2);
        QCOMPARE(listed[0].tokenId, u"tok-1"_s);
        QCOMPARE(listed[0].expiresAt, m_clock.nowUtc().addSecs(3600));
        QVERIFY(!listed[0].revokedAt.isValid());
        QCOMPARE(listed[1].revokedAt, m_clock.nowUtc());

        RawDb raw(store->path()); // the token itself is nowhere in the file
        QCOMPARE(
            raw.scalar(u"SELECT count(*) FROM operator_tokens WHERE sha256 = ?"_s, {hash}).toInt(),
            1);
    }

    // Issue 17: the AgentWatch's verdict and its event go together; a heartbeat after the
    // flag shows the agent alive before the watch clears it; a cleared flag reads back empty.
    void agentSilentFlagAndEventInOneTransaction()
    {
        auto store = openStore();
        VmRecord record = vmRecord(1);
        record.powerState = PowerState::Running;
        const qint64 vm = store->upsertVm(record);
        QVERIFY(store->recordHeartbeat(record.resourceKey, {}, m_clock.nowUtc(), u"1.0"_s, {}));
        m_clock.advanceMSecs(180'000);
        EventRecord alert;
        alert.kind = EventKind::Alert;
        alert.eventType = u"agent_silent"_s;
        alert.message = u"agent silent"_s;
        QVERIFY(store->setAgentSilent(vm, m_clock.nowUtc(), alert));
        QCOMPARE(store->vm(vm)->agentSilentSince, m_clock.nowUtc());
        QVERIFY(isAgentSilent(*store->vm(vm)));
        EventFilter alerts;
        alerts.kinds = {EventKind::Alert};
        const QList<EventRecord> events = store->events(alerts);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.constFirst().vmId, vm);
        QCOMPARE(events.constFirst().eventType, u"agent_silent"_s);

        m_clock.advanceMSecs(1000);
        QVERIFY(store->recordHeartbeat(record.resourceKey, {}, m_clock.nowUtc(), u"1.0"_s, {}));
        QVERIFY(!isAgentSilent(*store->vm(vm))); // alive again, flag not yet cleared
        QVERIFY(store->vm(vm)->agentSilentSince.isValid());
        EventRecord resumed;
        resumed.kind = EventKind::Heartbeat;
        resumed.eventType = u"agent_resumed"_s;
        QVERIFY(store->setAgentSilent(vm, QDateTime(), resumed));
        QVERIFY(!store->vm(vm)->agentSilentSince.isValid());
        QVERIFY(!store->setAgentSilent(vm + 100, m_clock.nowUtc(), alert)); // no such VM
        QCOMPARE(store->eventCount(alerts), 1); // ... and nothing written
    }

    // Issue 17: the notification outbox. An event key is enqueued once per channel however
    // often it is offered, together with the cursor; delivered entries are no longer due.
    void outboxEnqueuesOnceAndTracksDelivery()
    {
        auto store = openStore();
        const auto entry = [this](const QString &channel, const QString &key) {
            OutboxEntry e;
            e.channel = channel;
            e.eventKey = key;
            e.kind = u"eviction"_s;
            e.payload = u"{\"n\":1}"_s;
            e.nextAttemptAt = m_clock.nowUtc();
            return e;
        };
        QVERIFY(store->enqueueNotifications(
            {entry(u"ops"_s, u"evt_1"_s), entry(u"slack"_s, u"evt_1"_s)}, u"notify_cursor"_s,
            u"1"_s));
        QVERIFY(
            store->enqueueNotifications({entry(u"ops"_s, u"evt_1"_s), entry(u"ops"_s, u"evt_2"_s)},
                                        u"notify_cursor"_s, u"2"_s));
        QCOMPARE(store->metaValueOrInsert(u"notify_cursor"_s, u"0"_s), u"2"_s);
        QList<OutboxEntry> due = store->dueNotifications(m_clock.nowUtc(), 0);
        QCOMPARE(due.size(), 3);
        QCOMPARE(due.at(0).channel, u"ops"_s);
        QCOMPARE(due.at(0).eventKey, u"evt_1"_s);
        QCOMPARE(due.at(0).payload, u"{\"n\":1}"_s);
        QCOMPARE(due.at(2).eventKey, u"evt_2"_s);
        QCOMPARE(store->dueNotifications(m_clock.nowUtc(), 1).size(), 1);

        OutboxEntry delivered = due.at(0);
        delivered.state = OutboxEntry::State::Delivered;
        delivered.attempts = 1;
        delivered.deliveredAt = m_clock.nowUtc();
        QVERIFY(store->updateNotification(delivered));
        OutboxEntry later = due.at(1);
        later.attempts = 1;
        later.lastError = u"HTTP 503"_s;
        later.nextAttemptAt = m_clock.nowUtc().addSecs(10);
        QVERIFY(store->updateNotification(later));
        due = store->dueNotifications(m_clock.nowUtc(), 0);
        QCOMPARE(due.size(), 1);
        QCOMPARE(due.at(0).eventKey, u"evt_2"_s);
        m_clock.advanceMSecs(10'000);
        due = store->dueNotifications(m_clock.nowUtc(), 0);
        QCOMPARE(due.size(), 2);
        QCOMPARE(due.at(0).lastError, u"HTTP 503"_s);
        QCOMPARE(due.at(0).attempts, 1);

        const QList<OutboxCount> counts = store->notificationCounts();
        QCOMPARE(counts.size(), 3);
        QCOMPARE(counts.at(0).channel, u"ops"_s);
        QVERIFY(counts.at(0).state == OutboxEntry::State::Delivered);
        QCOMPARE(counts.at(0).count, 1);
        QVERIFY(counts.at(1).state == OutboxEntry::State::Pending);
        QCOMPARE(counts.at(1).count, 1);

        // A bad entry fails the call before anything is written, the cursor included.
        QVERIFY(!store->enqueueNotifications(
            {entry(u"ops"_s, u"evt_3"_s), entry(QString(), u"x"_s)}, u"notify_cursor"_s, u"3"_s));
        QCOMPARE(store->metaValueOrInsert(u"notify_cursor"_s, u"0"_s), u"2"_s);
        QCOMPARE(store->dueNotifications(m_clock.nowUtc(), 0).size(), 2);
    }

    void auditLogIsAppendOnly()
    {
        auto store = openStore();
        const QDateTime t0 = m_clock.nowUtc();
        for (int i = 0; i < 5; ++i) {
            AuditRecord record;
            record.at = t0.addSecs(i);
            record.actor = u"gui:alice"_s;
            record.action = u"force_restart"_s;
            record.target = vmKey(i);
            record.detail = u"{\"n\":%1}"_s.arg(i);
            QVERIFY(store->appendAudit(record) > 0);
        }
        AuditRecord noAction;
        noAction.actor = u"cli"_s;
        QVERIFY(store->appendAudit(noAction) == 0);
        QCOMPARE(store->audit({}, {}, 0).size(), 5);
        const auto range = store->audit(t0.addSecs(1), t0.addSecs(3), 0);
        QCOMPARE(range.size(), 2);
        QCOMPARE(range[0].target, vmKey(1));
        QCOMPARE(range[0].actor, u"gui:alice"_s);
        QCOMPARE(range[0].action, u"force_restart"_s);
        QCOMPARE(range[0].detail, u"{\"n\":1}"_s);
        QCOMPARE(store->audit({}, {}, 3).size(), 3);

        RawDb raw(store->path());
        const QString update = raw.exec(u"UPDATE audit_log SET actor = 'mallory'"_s);
        QVERIFY2(update.contains(u"append-only"_s), qPrintable(update));
        const QString remove = raw.exec(u"DELETE FROM audit_log WHERE id = 1"_s);
        QVERIFY2(remove.contains(u"append-only"_s), qPrintable(remove));
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM audit_log WHERE actor = 'gui:alice'"_s).toInt(),
                 5);
        QVERIFY(raw.exec(u"INSERT INTO audit_log (occurred_at, actor, action) "
                         "VALUES (1, 'cli', 'x')"_s)
                    .isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStoreRecords)
#include "tst_storerecords.moc"
