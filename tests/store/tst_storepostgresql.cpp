// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The store on PostgreSQL with several servers (replicas) on one database: migrations run
// once when they start together, a notice one replica committed is a duplicate on another,
// two replicas never claim one job, and the connection settings (URL, password file, TLS
// options) reach libpq or fail clearly. The common cases run on both backends in
// tst_store_postgresql / tst_storerecords_postgresql; this binary needs PostgreSQL.
#include "store/storecopy.h"
#include "support/base/manualclock.h"
#include "support/store/storetestutil.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <barrier>
#include <functional>
#include <thread>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;
using spotkeeper::testsupport::ManualClock;
using spotkeeper::testsupport::PgCluster;

class TestStorePostgresql : public QObject
{
    Q_OBJECT

private:
    // Runs work(0..count-1) on `count` threads (each its own connection, like separate
    // servers) released at the same moment.
    static void together(int count, const std::function<void(int)> &work)
    {
        std::barrier start(count);
        std::vector<std::thread> threads;
        for (int i = 0; i < count; ++i) {
            threads.emplace_back([&, i] {
                start.arrive_and_wait();
                work(i);
            });
        }
        for (std::thread &t : threads)
            t.join();
    }

    StoreOptions optionsFor(const QString &database)
    {
        QString error;
        if (!m_pg.createDatabase(database, &error))
            qWarning() << "create database:" << error;
        StoreOptions o;
        o.path = m_pg.url(database);
        o.passwordFile = m_pg.passwordFile();
        o.clock = &m_clock;
        return o;
    }

    // Opens `count` stores on `database` at the same moment, each on its own thread (its
    // own connection, like separate servers); returns how many opened.
    int openTogether(const QString &database, int count, QStringList *errors)
    {
        const StoreOptions options = optionsFor(database);
        std::atomic<int> opened {0};
        std::vector<QString> messages(static_cast<size_t>(count));
        together(count, [&](int i) {
            StoreError error;
            auto store = Store::open(options, &error);
            if (store && store->schemaVersion() == Store::currentSchemaVersion())
                ++opened;
            else
                messages[size_t(i)] = error.message;
        });
        for (const QString &m : messages) {
            if (!m.isEmpty())
                *errors << m;
        }
        return opened;
    }

    // Every row the Store API shows, field by field, ids included.
    static QStringList dump(Store &store)
    {
        QStringList out;
        auto t = [](const QDateTime &at) {
            return at.isValid() ? at.toString(Qt::ISODateWithMs) : u"-"_s;
        };
        for (const VmRecord &v : store.vms()) {
            QStringList tags;
            for (auto it = v.tags.cbegin(); it != v.tags.cend(); ++it)
                tags << it.key() + u'=' + it.value();
            out << QStringList {u"vm"_s,
                                QString::number(v.id),
                                v.resourceKey,
                                v.resourceId,
                                v.subscriptionId,
                                v.resourceGroup,
                                v.name,
                                v.vmId,
                                v.location,
                                v.zone,
                                v.size,
                                v.priority,
                                v.evictionPolicy,
                                tags.join(u','),
                                toString(v.powerState),
                                t(v.powerStateAt),
                                toString(v.desiredState),
                                v.stoppedBy,
                                v.stoppedOperation,
                                t(v.stoppedAt),
                                QString::number(v.autoRestart),
                                toString(v.managedBy),
                                t(v.agentLastSeen),
                                v.agentVersion,
                                v.agentLastPollError,
                                t(v.createdAt),
                                t(v.updatedAt)}
                       .join(u'|');
            for (const JobRecord &j : store.jobs(v.id, 0)) {
                out << QStringList {u"job"_s,
                                    QString::number(j.id),
                                    QString::number(j.vmId),
                                    toString(j.state),
                                    j.trigger,
                                    QString::number(j.attempt),
                                    t(j.nextAttemptAt),
                                    t(j.notBefore),
                                    t(j.evictedAt),
                                    t(j.createdAt),
                                    t(j.updatedAt),
                                    t(j.finishedAt),
                                    j.reason,
                                    j.lastErrorCode,
                                    j.lastErrorMessage,
                                    j.asyncOperationUrl,
                                    j.leaseOwner,
                                    t(j.leaseExpiresAt),
                                    QString::number(j.version)}
                           .join(u'|');
            }
        }
        EventFilter all;
        all.limit = 0;
        for (const EventRecord &e : store.events(all)) {
            out << QStringList {u"event"_s,
                                QString::number(e.id),
                                QString::number(e.vmId),
                                toString(e.kind),
                                t(e.at),
                                e.source,
                                e.eventType,
                                e.eventId,
                                e.eventStatus,
                                e.webhookId,
                                QString::number(e.httpStatus),
                                e.armErrorCode,
                                e.correlationId,
                                e.message,
                                e.evidence,
                                QString::fromLatin1(e.payload.toHex())}
                       .join(u'|');
        }
        for (const AgentKeyRecord &k : store.agentKeys()) {
            out << QStringList {u"key"_s, k.keyId, k.vmResourceKey, t(k.createdAt), t(k.revokedAt)}
                       .join(u'|');
            for (const AgentKeySecret &secret : k.secrets)
                out << u"secret|%1|%2|%3"_s.arg(QString::fromLatin1(secret.secret.toHex()),
                                                t(secret.createdAt), t(secret.expiresAt));
        }
        for (const OperatorTokenRecord &o : store.operatorTokens())
            out << QStringList {u"token"_s, o.tokenId, t(o.createdAt), t(o.expiresAt),
                                t(o.revokedAt)}
                       .join(u'|');
        for (const AuditRecord &a : store.audit({}, {}, 0))
            out << QStringList {u"audit"_s, QString::number(a.id),
                                t(a.at),    a.actor,
                                a.action,   a.target,
                                a.detail}
                       .join(u'|');
        return out;
    }

    PgCluster m_pg;
    ManualClock m_clock;
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        SPOTKEEPER_PG_CLUSTER_START(m_pg);
        m_clock.set(QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
    }

    void replicasStartingTogetherMigrateOnce()
    {
        for (int round = 0; round < 3; ++round) {
            const QString database = u"migrate_%1"_s.arg(round);
            QStringList errors;
            QCOMPARE(openTogether(database, 4, &errors), 4);
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"; "_s)));
            RawDb raw(m_pg.url(database), m_pg.passwordFile());
            QCOMPARE(raw.scalar(u"SELECT count(*) FROM schema_meta"_s).toInt(), 1);
            QCOMPARE(raw.scalar(u"SELECT meta_value FROM schema_meta"_s).toInt(),
                     Store::currentSchemaVersion());
        }
    }

    void noticeCommittedOnOneReplicaIsDuplicateOnAnother()
    {
        const StoreOptions options = optionsFor(u"dedup"_s);
        auto a = Store::open(options, nullptr);
        auto b = Store::open(options, nullptr);
        QVERIFY(a && b);
        const QList<NoticeOutcome> first = a->insertNotices({notice(1, u"wh-1"_s, u"ev-1"_s)});
        QCOMPARE(first.size(), 1);
        QCOMPARE(first[0].status, NoticeOutcome::Status::Inserted);
        // The agent retries the same notice on replica B (A answered, the answer was lost).
        const QList<NoticeOutcome> retried = b->insertNotices({notice(1, u"wh-1"_s, u"ev-1"_s)});
        QCOMPARE(retried[0].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(retried[0].eventId, first[0].eventId);
        // Same event, other webhook id (a second agent process): still one per phase.
        const QList<NoticeOutcome> phase = b->insertNotices({notice(1, u"wh-2"_s, u"ev-1"_s)});
        QCOMPARE(phase[0].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(a->eventCount(byKinds({EventKind::Notice})), 1);
    }

    void reconnectsAfterTheServerRestarts()
    {
        const StoreOptions options = optionsFor(u"reconnect"_s);
        auto store = Store::open(options, nullptr);
        QVERIFY(store);
        QCOMPARE(store->insertNotices({notice(1, u"wh-1"_s, u"ev-1"_s)})[0].status,
                 NoticeOutcome::Status::Inserted);

        QVERIFY(m_pg.stopServer()); // the database server restarts (or fails over)
        // Meanwhile nothing is committed, so nothing may be acknowledged: every write fails
        // (the listener answers 503 with Retry-After) and says why.
        for (int i = 0; i < 3; ++i) {
            const QList<NoticeOutcome> down =
                store->insertNotices({notice(2, u"wh-2"_s, u"ev-2"_s)});
            QCOMPARE(down.size(), 1);
            QCOMPARE(down[0].status, NoticeOutcome::Status::Failed);
            QVERIFY(store->lastError().code != StoreError::Code::None);
        }
        QVERIFY2(store->lastError().message.contains(u"connection"_s),
                 qPrintable(store->lastError().message));

        QString error;
        QVERIFY2(m_pg.startServer(&error), qPrintable(error));
        // The same store reconnects by itself (after its backoff) and the retried notice is
        // stored; what was acknowledged before the outage is still there, once.
        NoticeOutcome::Status status = NoticeOutcome::Status::Failed;
        QVERIFY(QTest::qWaitFor(
            [&] {
                status = store->insertNotices({notice(2, u"wh-2"_s, u"ev-2"_s)})[0].status;
                return status != NoticeOutcome::Status::Failed;
            },
            20'000));
        QCOMPARE(status, NoticeOutcome::Status::Inserted);
        QCOMPARE(store->insertNotices({notice(1, u"wh-1"_s, u"ev-1"_s)})[0].status,
                 NoticeOutcome::Status::Duplicate);
        QCOMPARE(store->eventCount(byKinds({EventKind::Notice})), 2);
        // Statements prepared before the outage were prepared again on the new connection.
        QVERIFY(store->vmByKey(vmKey(1)));
    }

    void sameNoticeOnTwoReplicasAtOnceIsStoredOnce()
    {
        // Each replica's batch: 50 notices for 50 VMs, the same on both, sent at once.
        const StoreOptions options = optionsFor(u"race"_s);
        QList<IncomingNotice> batch;
        for (int i = 0; i < 50; ++i)
            batch << notice(i, u"wh-%1"_s.arg(i), u"ev-%1"_s.arg(i));
        for (int round = 0; round < 5; ++round) {
            for (IncomingNotice &n : batch)
                n.webhookId = n.webhookId.section(u'#', 0, 0) + u'#' + QString::number(round);
            std::vector<std::unique_ptr<Store>> replicas;
            for (int r = 0; r < 2; ++r)
                replicas.push_back(Store::open(options, nullptr));
            QVERIFY(replicas[0] && replicas[1]);
            std::vector<QList<NoticeOutcome>> outcomes(2);
            together(
                2, [&](int r) { outcomes[size_t(r)] = replicas[size_t(r)]->insertNotices(batch); });
            int inserted = 0;
            for (const QList<NoticeOutcome> &replica : outcomes) {
                QCOMPARE(replica.size(), batch.size());
                for (const NoticeOutcome &o : replica) {
                    QVERIFY(o.status != NoticeOutcome::Status::Failed);
                    inserted += o.status == NoticeOutcome::Status::Inserted ? 1 : 0;
                }
            }
            QCOMPARE(inserted, round == 0 ? 50 : 0); // later rounds: same events, new ids
        }
        auto store = Store::open(options, nullptr);
        QCOMPARE(store->eventCount(byKinds({EventKind::Notice})), 50);
        QCOMPARE(store->vms().size(), 50);
    }

    void noticeBatchesOfReplicasRunSideBySide()
    {
        // Another replica is in the middle of a notice batch: it holds the store's write
        // lock shared ("SpKeStor", postgresqldialect.cpp). A notice batch here goes on
        // meanwhile; any other write (a heartbeat batch) waits for it, as for every writer.
        const StoreOptions options = optionsFor(u"sidebyside"_s);
        auto store = Store::open(options, nullptr);
        QVERIFY(store);
        RawDb other(options.path, options.passwordFile);
        RawDb observer(options.path, options.passwordFile);
        const auto advisoryWaiters = [&observer] {
            return observer
                .scalar(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND NOT granted"_s)
                .toInt();
        };
        QCOMPARE(other.exec(u"BEGIN"_s), QString());
        QCOMPARE(other.exec(u"SELECT pg_advisory_xact_lock_shared(6012388401103531890)"_s),
                 QString());
        // 6012388401103531890 = 0x53704b6553746f72

        std::atomic<bool> noticeDone {false};
        QList<NoticeOutcome> outcomes;
        std::thread notices([&] {
            auto mine = Store::open(options, nullptr);
            outcomes = mine->insertNotices(
                {notice(1, u"wh-1"_s, u"ev-1"_s), notice(2, u"wh-2"_s, u"ev-2"_s)});
            noticeDone = true;
        });
        // Either the batch is done or it waits for a lock: whichever comes first.
        QTRY_VERIFY_WITH_TIMEOUT(noticeDone || advisoryWaiters() > 0, 60'000);
        if (!noticeDone) {
            other.exec(u"ROLLBACK"_s);
            notices.join();
            QFAIL("a notice batch waited for another replica's notice batch");
        }
        notices.join();
        QCOMPARE(outcomes.size(), 2);
        QCOMPARE(outcomes[0].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(outcomes[1].status, NoticeOutcome::Status::Inserted);

        std::atomic<bool> heartbeatDone {false};
        bool heartbeatOk = false;
        std::thread heartbeats([&] {
            auto mine = Store::open(options, nullptr);
            heartbeatOk = mine->recordHeartbeats(
                {HeartbeatUpdate {vmKey(1), vmRecord(1), m_clock.nowUtc(), u"1.0"_s, {}}});
            heartbeatDone = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(heartbeatDone || advisoryWaiters() > 0, 60'000);
        const bool waited = !heartbeatDone;
        QCOMPARE(other.exec(u"COMMIT"_s), QString());
        heartbeats.join();
        QVERIFY2(waited, "a heartbeat write ran beside another replica's notice batch");
        QVERIFY(heartbeatOk);
        QCOMPARE(store->eventCount(byKinds({EventKind::Notice})), 2);
    }

    void replicasNoticeBatchesInAnyOrderStoreEachNoticeOnce()
    {
        // Four replicas send overlapping batches at once, each listing the VMs in its own
        // order (the per-VM locks are taken in one fixed order, so none waits in a circle):
        // every notice is stored once, every other copy is a duplicate, none fails.
        const StoreOptions options = optionsFor(u"overlap"_s);
        constexpr int kReplicas = 4;
        constexpr int kVms = 30;
        QSet<QString> allSent;
        QSet<int> vmsSent;
        for (int round = 0; round < 4; ++round) {
            std::vector<std::unique_ptr<Store>> replicas;
            for (int r = 0; r < kReplicas; ++r)
                replicas.push_back(Store::open(options, nullptr));
            std::vector<QList<IncomingNotice>> batches(kReplicas);
            for (int r = 0; r < kReplicas; ++r) {
                for (int i = 0; i < kVms; ++i) {
                    // Replica r starts at VM (r * 7 + round) and goes round backwards for
                    // odd replicas; half the VMs of each batch are in every other batch.
                    const int step = (r % 2) ? kVms - 1 : 1;
                    const int vm = (r * 7 + round + i * step) % kVms;
                    if (i % 2 == 1 && vm % kReplicas != r)
                        continue;
                    const QString id = u"r%1-vm%2"_s.arg(round).arg(vm);
                    vmsSent.insert(vm);
                    batches[size_t(r)].append(notice(vm, u"wh-"_s + id, u"ev-"_s + id));
                }
            }
            std::vector<QList<NoticeOutcome>> outcomes(kReplicas);
            together(kReplicas, [&](int r) {
                outcomes[size_t(r)] = replicas[size_t(r)]->insertNotices(batches[size_t(r)]);
            });
            QHash<QString, int> inserted;
            QSet<QString> sent;
            for (int r = 0; r < kReplicas; ++r) {
                QCOMPARE(outcomes[size_t(r)].size(), batches[size_t(r)].size());
                for (qsizetype i = 0; i < batches[size_t(r)].size(); ++i) {
                    const NoticeOutcome &o = outcomes[size_t(r)].at(i);
                    const QString id = batches[size_t(r)].at(i).webhookId;
                    sent.insert(id);
                    QVERIFY2(o.status != NoticeOutcome::Status::Failed, qPrintable(id));
                    if (o.status == NoticeOutcome::Status::Inserted)
                        ++inserted[id];
                }
            }
            QCOMPARE(inserted.size(), sent.size());
            for (auto it = inserted.cbegin(); it != inserted.cend(); ++it)
                QVERIFY2(it.value() == 1, qPrintable(it.key()));
            allSent.unite(sent);
        }
        auto store = Store::open(options, nullptr);
        QCOMPARE(store->vms().size(), vmsSent.size());
        QCOMPARE(store->eventCount(byKinds({EventKind::Notice})), allSent.size());
    }

    void twoReplicasNeverClaimOneJob()
    {
        const StoreOptions options = optionsFor(u"claims"_s);
        {
            auto seed = Store::open(options, nullptr);
            QVERIFY(seed);
            for (int i = 0; i < 40; ++i) {
                JobRecord job;
                job.vmId = seed->upsertVm(vmRecord(i));
                job.trigger = u"notice"_s;
                bool created = false;
                QVERIFY(seed->createJob(job, &created) && created);
            }
        }
        const QDateTime leaseEnd = m_clock.nowUtc().addSecs(30);
        std::vector<std::unique_ptr<Store>> replicas;
        for (int r = 0; r < 2; ++r)
            replicas.push_back(Store::open(options, nullptr));
        QVERIFY(replicas[0] && replicas[1]);
        std::vector<QList<JobRecord>> claimed(2);
        together(2, [&](int r) {
            claimed[size_t(r)] =
                replicas[size_t(r)]->claimJobs(u"replica-%1"_s.arg(r), leaseEnd, 20);
        });
        QSet<qint64> a;
        QSet<qint64> b;
        QCOMPARE(claimed[0].size(), 20);
        QCOMPARE(claimed[1].size(), 20);
        for (const JobRecord &job : claimed[0])
            a.insert(job.id);
        for (const JobRecord &job : claimed[1])
            b.insert(job.id);
        QVERIFY2(!a.intersects(b), "one job claimed by two replicas");
        QCOMPARE(a.size() + b.size(), 40);
        auto store = Store::open(options, nullptr);
        for (const JobRecord &job : store->activeJobs()) {
            QCOMPARE(job.leaseOwner, a.contains(job.id) ? u"replica-0"_s : u"replica-1"_s);
        }
        // A replica dies: once its lease ends the other one takes its jobs over, and the
        // dead one's next save is refused (the version moved on).
        JobRecord stale = claimed[0].constFirst();
        m_clock.advanceMSecs(31000);
        const QList<JobRecord> takenOver =
            store->claimJobs(u"replica-1"_s, m_clock.nowUtc().addSecs(30), 0);
        QCOMPARE(takenOver.size(), 40);
        stale.attempt = 9;
        QVERIFY(!store->saveJobIfUnchanged(stale));
        QCOMPARE(store->lastError().code, StoreError::Code::Conflict);
    }

    void connectionSettings()
    {
        StoreOptions o = optionsFor(u"settings"_s);
        StoreError error;
        QVERIFY(Store::open(o, &error));

        // The password file must be the owner's only.
        const QString loose = m_dir.filePath(u"loose-password"_s);
        QFile::copy(o.passwordFile, loose);
        QFile::setPermissions(loose, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        StoreOptions looseOptions = o;
        looseOptions.passwordFile = loose;
        QVERIFY(!Store::open(looseOptions, &error));
        QCOMPARE(error.code, StoreError::Code::CannotOpen);
        QVERIFY2(error.message.contains(u"chmod 600"_s), qPrintable(error.message));

        // A wrong password: refused by the server, and the password is not in the message.
        const QString wrong = m_dir.filePath(u"wrong-password"_s);
        {
            QFile file(wrong);
            QVERIFY(file.open(QIODevice::WriteOnly, QFile::ReadOwner | QFile::WriteOwner));
            file.write("not-the-password-8c1f\n");
        }
        StoreOptions wrongOptions = o;
        wrongOptions.passwordFile = wrong;
        QVERIFY(!Store::open(wrongOptions, &error));
        QCOMPARE(error.code, StoreError::Code::CannotOpen);
        QVERIFY2(error.message.contains(u"password authentication failed"_s),
                 qPrintable(error.message));
        QVERIFY(!error.message.contains(u"not-the-password-8c1f"_s));

        // A password in the URL is refused before connecting (it would end up in logs).
        StoreOptions inUrl = o;
        inUrl.path.replace(u"spotkeeper@"_s, u"spotkeeper:secret@"_s);
        QVERIFY(!Store::open(inUrl, &error));
        QVERIFY2(error.message.contains(u"password_file"_s), qPrintable(error.message));
        QVERIFY(!error.message.contains(u"secret"_s));

        // TLS options reach libpq: this test server has no TLS, so sslmode=require fails.
        StoreOptions tls = o;
        tls.sslMode = u"require"_s;
        QVERIFY(!Store::open(tls, &error));
        QVERIFY2(error.message.contains(u"SSL"_s), qPrintable(error.message));
        StoreOptions tlsInUrl = o;
        tlsInUrl.path += u"?sslmode=disable"_s;
        QVERIFY2(Store::open(tlsInUrl, &error), qPrintable(error.message));
        StoreOptions unknown = o;
        unknown.path += u"?options=-c%20x"_s;
        QVERIFY(!Store::open(unknown, &error));
        QVERIFY2(error.message.contains(u"unknown option options"_s), qPrintable(error.message));
    }

    void migrateStoreCopiesEverything()
    {
        StoreOptions sqlite(m_dir.filePath(u"source.db"_s));
        sqlite.clock = &m_clock;
        {
            auto source = Store::open(sqlite, nullptr);
            QVERIFY(source);
            VmRecord tagged = vmRecord(1);
            tagged.tags = {{u"env"_s, u"prod"_s}, {u"spotkeeper:auto-restart"_s, u"true"_s}};
            tagged.powerState = PowerState::Running;
            QVERIFY(source->upsertVm(tagged) > 0);
            QList<IncomingNotice> notices;
            for (int i = 0; i < 6; ++i)
                notices << notice(i % 3, u"wh-%1"_s.arg(i), u"ev-%1"_s.arg(i / 2));
            source->insertNotices(notices);
            QVERIFY(source->recordHeartbeat(vmKey(1), {}, m_clock.nowUtc(), u"1.2.3"_s,
                                            u"imds: timeout"_s));
            const qint64 vm2 = source->vmByKey(vmKey(2))->id;
            QVERIFY(source->setStoppedOnPurpose(vm2, u"alice@example.com"_s, u"deallocate"_s, {}));
            JobRecord job;
            job.vmId = source->vmByKey(vmKey(0))->id;
            job.trigger = u"notice"_s;
            bool created = false;
            auto stored = source->createJob(job, &created);
            QVERIFY(stored && created);
            QCOMPARE(source->claimJobs(u"engine:a"_s, m_clock.nowUtc().addSecs(120), 0).size(), 1);
            AgentKeyRecord key;
            key.keyId = u"key-1"_s;
            key.vmResourceKey = vmKey(1);
            key.secrets << AgentKeySecret {QByteArray(32, '\x01'), m_clock.nowUtc(), {}}
                        << AgentKeySecret {QByteArray(32, '\xfe'), m_clock.nowUtc(),
                                           m_clock.nowUtc().addDays(1)};
            QVERIFY(source->saveAgentKey(key));
            QVERIFY(source->saveOperatorToken(u"tok-1"_s, QByteArray(32, '\x7f'), {}, {}));
            QVERIFY(source->revokeOperatorToken(u"tok-1"_s, {}));
            AuditRecord audit;
            audit.actor = u"cli"_s;
            audit.action = u"key_generate"_s;
            audit.target = u"key-1"_s;
            QVERIFY(source->appendAudit(audit) > 0);
            QCOMPARE(source->metaValueOrInsert(u"engine_id"_s, u"engine:a"_s), u"engine:a"_s);
        }
        const StoreOptions pg = optionsFor(u"copy"_s);
        const StoreCopyResult result = copyStore(sqlite, pg, false);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QHash<QString, qint64> counts;
        for (const auto &[table, rows] : result.rowsPerTable)
            counts.insert(table, rows);
        QCOMPARE(counts.value(u"vms"_s), 3);
        QCOMPARE(counts.value(u"jobs"_s), 1);
        QCOMPARE(counts.value(u"agent_key_secrets"_s), 2);
        QCOMPARE(counts.value(u"audit_log"_s), 1);

        auto source = Store::open(sqlite, nullptr);
        auto target = Store::open(pg, nullptr);
        QVERIFY(source && target);
        const QStringList before = dump(*source);
        QCOMPARE(dump(*target), before);
        QCOMPARE(target->metaValueOrInsert(u"engine_id"_s, u"other"_s), u"engine:a"_s);
        // The target's ids continue after the copied ones.
        const qint64 next = target->appendEvent(eventOf(EventKind::Alert, 0, u"after"_s));
        QCOMPARE(next, source->appendEvent(eventOf(EventKind::Alert, 0, u"after"_s)));

        // A second copy is refused; told to add anyway, the taken ids fail it as a whole.
        const StoreCopyResult again = copyStore(sqlite, pg, false);
        QVERIFY2(again.error.contains(u"not empty"_s), qPrintable(again.error));
        const QStringList filled = dump(*target);
        const StoreCopyResult forced = copyStore(sqlite, pg, true);
        QVERIFY2(forced.error.contains(u"left as it was"_s), qPrintable(forced.error));
        QCOMPARE(dump(*target), filled);
    }

    void migrateStoreCommand()
    {
        const QString daemon = QStringLiteral(SPOTKEEPER_BINARY_DIR "/app/headless/spotkeeperd");
        if (!QFile::exists(daemon))
            QSKIP("spotkeeperd is not built");
        const QString sqlite = m_dir.filePath(u"cli.db"_s);
        {
            auto source = Store::open(StoreOptions(sqlite), nullptr);
            QVERIFY(source);
            QVERIFY(source->upsertVm(vmRecord(1)) > 0);
            QVERIFY(source->upsertVm(vmRecord(2)) > 0);
        }
        QString error;
        QVERIFY2(m_pg.createDatabase(u"cli"_s, &error), qPrintable(error));
        const QString config = m_dir.filePath(u"spotkeeperd.conf"_s);
        {
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(u"[store]\nurl = %1\npassword_file = %2\n"_s
                           .arg(m_pg.url(u"cli"_s), m_pg.passwordFile())
                           .toUtf8());
        }
        auto run = [&](const QStringList &extra, QString *output) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(daemon,
                    QStringList {u"--config"_s, config, u"migrate-store"_s, u"--from"_s,
                                 u"sqlite:"_s + sqlite}
                        + extra);
            p.waitForFinished(60'000);
            *output = QString::fromUtf8(p.readAll());
            return p.exitCode();
        };
        QString output;
        QCOMPARE(run({}, &output), 0);
        QVERIFY2(output.contains(u"vms: 2 rows"_s), qPrintable(output));
        auto target = Store::open(optionsFor(u"cli"_s), nullptr);
        QVERIFY(target);
        QCOMPARE(target->vms().size(), 2);
        QCOMPARE(run({}, &output), 1); // refused: not empty
        QVERIFY2(output.contains(u"--into-non-empty"_s), qPrintable(output));
        QFile password(m_pg.passwordFile());
        QVERIFY(password.open(QIODevice::ReadOnly));
        QVERIFY(!output.contains(QString::fromUtf8(password.readAll().trimmed())));
        QCOMPARE(target->vms().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestStorePostgresql)
#include "tst_storepostgresql.moc"
