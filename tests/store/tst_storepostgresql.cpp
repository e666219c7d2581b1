// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The store on PostgreSQL with several servers (replicas) on one database: migrations run
// once when they start together, a notice one replica committed is a duplicate on another,
// two replicas never claim one job, and the connection settings (URL, password file, TLS
// options) reach libpq or fail clearly. The common cases run on both backends in
// tst_store_postgresql / tst_storerecords_postgresql; this binary needs PostgreSQL.
#include "clock.h"
#include "storetestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <barrier>
#include <functional>
#include <thread>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;
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

    PgCluster m_pg;
    ManualClock m_clock;
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QString why = PgCluster::unavailableReason();
        if (why.isEmpty() && !m_pg.start(&why))
            QVERIFY2(false, qPrintable(why));
        if (!why.isEmpty()) {
            if (PgCluster::required())
                QFAIL(qPrintable(u"PostgreSQL tests cannot run (CI=true): "_s + why));
            QSKIP(qPrintable(u"PostgreSQL tests skipped: "_s + why));
        }
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
};

QTEST_GUILESS_MAIN(TestStorePostgresql)
#include "tst_storepostgresql.moc"
