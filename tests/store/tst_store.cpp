// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Store: opening and its errors, the fleet, heartbeats, notices (dedup) and events.
// Jobs, keys, tokens and the audit log are in tst_storerecords. Runs on SQLite (tst_store)
// and on PostgreSQL (tst_store_postgresql); file-level cases are SQLite's alone.
#include "support/base/manualclock.h"
#include "support/store/storetestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;
using spotkeeper::testsupport::ManualClock;

class TestStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Store> openStore(const QString &name = u"store.db"_s)
    {
        return testutil::openStore(backendOptions(m_dir->path(), name), m_clock);
    }
    StoreError openError(const QString &path, bool readOnly = false)
    {
        StoreOptions options;
        options.path = path;
        options.readOnly = readOnly;
        options.passwordFile = spotkeeper::testsupport::StoreBackend::passwordFile();
        StoreError error;
        auto store = Store::open(options, &error);
        if (store)
            error.message = u"unexpectedly opened"_s;
        return error;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;

private slots:
    void initTestCase() { SPOTKEEPER_STORE_BACKEND_INIT(); }
    void cleanupTestCase() { spotkeeper::testsupport::StoreBackend::cleanup(); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock.set(QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
    }

    void openCreatesCurrentSchema()
    {
        const QStringList before = QSqlDatabase::connectionNames();
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), Store::currentSchemaVersion());
        QVERIFY(Store::currentSchemaVersion() >= 2);
        QCOMPARE(store->path(),
                 spotkeeper::testsupport::StoreBackend::location(m_dir->path(), u"store.db"_s));
        QString details;
        QVERIFY(store->integrityCheck(&details));
        QCOMPARE(details, u"ok"_s);
        if (spotkeeper::testsupport::StoreBackend::postgres()) {
            RawDb raw(store->path());
            QCOMPARE(raw.scalar(u"SELECT meta_value FROM schema_meta"_s).toInt(),
                     Store::currentSchemaVersion());
            return; // the rest are SQLite's session settings
        }
        // The session settings of the store's own connection.
        QStringList added = QSqlDatabase::connectionNames();
        for (const QString &name : before)
            added.removeOne(name);
        QCOMPARE(added.size(), 1);
        QSqlQuery pragma(QSqlDatabase::database(added.front(), false));
        auto value = [&pragma](const QString &sql) {
            return pragma.exec(sql) && pragma.next() ? pragma.value(0).toInt() : -1;
        };
        QCOMPARE(value(u"PRAGMA synchronous"_s), 2); // FULL
        QCOMPARE(value(u"PRAGMA foreign_keys"_s), 1);
        QCOMPARE(value(u"PRAGMA busy_timeout"_s), 5000);
        pragma = QSqlQuery();
        RawDb raw(store->path());
        QCOMPARE(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), Store::currentSchemaVersion());
        QCOMPARE(raw.scalar(u"SELECT meta_value FROM schema_meta"_s).toInt(),
                 Store::currentSchemaVersion());
    }

    void inMemoryStore()
    {
        SPOTKEEPER_SQLITE_ONLY("an SQLite in-memory database");
        auto store = Store::open(options(u":memory:"_s), nullptr);
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), Store::currentSchemaVersion());
        QVERIFY(store->upsertVm(vmRecord(1)) > 0);
        QCOMPARE(store->vms().size(), 1);
        auto other = Store::open(options(u":memory:"_s), nullptr); // its own, empty database
        QVERIFY(other->vms().isEmpty());
    }

    void eachStoreHasItsOwnConnection()
    {
        const qsizetype before = QSqlDatabase::connectionNames().size();
        {
            auto a = openStore();
            auto b = openStore();
            QVERIFY(a && b);
            QCOMPARE(QSqlDatabase::connectionNames().size(), before + 2);
            QVERIFY(a->upsertVm(vmRecord(1)) > 0);
            QCOMPARE(b->vms().size(), 1); // same file, other connection
        }
        QCOMPARE(QSqlDatabase::connectionNames().size(), before);
    }

    void newerSchemaIsRefused()
    {
        const QString path =
            spotkeeper::testsupport::StoreBackend::location(m_dir->path(), u"newer.db"_s);
        {
            QVERIFY(Store::open(backendOptions(m_dir->path(), u"newer.db"_s), nullptr));
        }
        const int newer = Store::currentSchemaVersion() + 7;
        {
            RawDb raw(path);
            QCOMPARE(raw.exec(u"UPDATE schema_meta SET meta_value = '%1'"_s.arg(newer)), QString());
        }
        const StoreError error = openError(path);
        QCOMPARE(error.code, StoreError::Code::NewerSchema);
        QCOMPARE(error.message,
                 u"database %1 was written by a newer SpotKeeper (schema %2, this build knows "
                 "%3); upgrade SpotKeeper or use another --store"_s.arg(path)
                     .arg(newer)
                     .arg(Store::currentSchemaVersion()));
        RawDb raw(path); // refused without touching it
        QCOMPARE(raw.scalar(u"SELECT meta_value FROM schema_meta"_s).toInt(), newer);
    }

    void corruptFileIsRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("text") << QByteArray("this is not a database\n").repeated(200);
        QByteArray header("SQLite format 3");
        header.append('\0');
        QTest::newRow("header then garbage") << header + QByteArray(8192, '\xA5');
        QByteArray noise;
        for (int i = 0; i < 65536; ++i)
            noise.append(char((i * 7919 + 13) & 0xff));
        QTest::newRow("noise") << noise;
    }

    void corruptFileIsRefused()
    {
        SPOTKEEPER_SQLITE_ONLY("damaged SQLite files");
        QFETCH(QByteArray, content);
        const QString path = m_dir->filePath(u"corrupt.db"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        const StoreError error = openError(path);
        QCOMPARE(error.code, StoreError::Code::Corrupt);
        QVERIFY2(error.message.startsWith(u"database %1 is not a SpotKeeper database or is "
                                          "damaged"_s.arg(path)),
                 qPrintable(error.message));
        QVERIFY(error.message.endsWith(u"restore it from a backup or use another --store"_s));
    }

    void foreignSqliteDatabaseIsRefused()
    {
        SPOTKEEPER_SQLITE_ONLY("another application's SQLite file");
        const QString path = m_dir->filePath(u"foreign.db"_s);
        {
            RawDb raw(path);
            QCOMPARE(raw.exec(u"CREATE TABLE photos (id INTEGER PRIMARY KEY)"_s), QString());
        }
        const StoreError error = openError(path);
        QCOMPARE(error.code, StoreError::Code::Corrupt);
        QVERIFY2(error.message.contains(u"no schema_meta"_s), qPrintable(error.message));
    }

    void damagedPagesFailIntegrityCheck()
    {
        SPOTKEEPER_SQLITE_ONLY("SQLite file pages overwritten");
        const QString path = m_dir->filePath(u"damaged.db"_s);
        {
            auto store = openStore(u"damaged.db"_s);
            QVERIFY(store);
            QList<IncomingNotice> batch;
            for (int i = 0; i < 400; ++i)
                batch << notice(i % 5, u"wh-%1"_s.arg(i), u"ev-%1"_s.arg(i));
            QCOMPARE(store->insertNotices(batch).size(), 400);
        } // closing checkpoints the WAL into the main file
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() > qint64(8) * 4096);
        file.seek(qint64(3) * 4096); // two whole b-tree pages, page headers included
        file.write(QByteArray(qsizetype(2) * 4096, '\x5A'));
        file.close();
        StoreError error;
        auto store = Store::open(options(path), &error);
        if (!store) { // also acceptable: detected at open, with a clear code
            QCOMPARE(error.code, StoreError::Code::Corrupt);
            return;
        }
        QString details;
        QVERIFY(!store->integrityCheck(&details));
        QVERIFY(!details.isEmpty() && details != u"ok"_s);
    }

    void openErrors()
    {
        SPOTKEEPER_SQLITE_ONLY("SQLite file paths");
        QCOMPARE(openError(QString()).code, StoreError::Code::CannotOpen);
        const QString missing = m_dir->filePath(u"missing.db"_s);
        const StoreError ro = openError(missing, true);
        QCOMPARE(ro.code, StoreError::Code::CannotOpen);
        QVERIFY(ro.message.contains(missing));
        QVERIFY(!QFile::exists(missing));
        const StoreError dir = openError(m_dir->path());
        QCOMPARE(dir.code, StoreError::Code::CannotOpen);
    }

    void readOnlyStoreReadsButCannotWrite()
    {
        {
            auto store = openStore();
            QVERIFY(store->upsertVm(vmRecord(1)) > 0);
        }
        auto store = Store::open(backendOptions(m_dir->path(), u"store.db"_s, true), nullptr);
        QVERIFY(store);
        QCOMPARE(store->vms().size(), 1);
        QCOMPARE(store->upsertVm(vmRecord(2)), 0);
        QCOMPARE(store->lastError().code, StoreError::Code::Sql);
        QVERIFY(!store->lastError().message.isEmpty());
    }

    void upsertVmKeepsOperatorChoices()
    {
        auto store = openStore();
        VmRecord vm;
        vm.resourceKey = vmKey(1).toUpper(); // keys are case-insensitive
        vm.resourceId = vmKey(1);
        vm.name = u"vm-1"_s;
        vm.size = u"Standard_D2s_v5"_s;
        vm.priority = u"Spot"_s;
        vm.evictionPolicy = u"Deallocate"_s;
        vm.tags = {{u"spotkeeper:auto-restart"_s, u"true"_s}, {u"env"_s, u"prod"_s}};
        vm.powerState = PowerState::Running;
        vm.managedBy = ManagedBy::Tag;
        const qint64 id = store->upsertVm(vm);
        QVERIFY(id > 0);

        QVERIFY(store->setAutoRestart(id, false));
        QVERIFY(store->setDesiredState(id, DesiredState::Stopped));
        m_clock.advanceMSecs(5000);

        VmRecord update;
        update.resourceKey = vmKey(1);
        update.location = u"westeurope"_s; // new knowledge
        update.autoRestart = true; // must not override the operator
        update.desiredState = DesiredState::Running;
        update.managedBy = ManagedBy::Agent; // weaker than Tag: kept
        QCOMPARE(store->upsertVm(update), id);

        const auto stored = store->vmByKey(vmKey(1).toUpper());
        QVERIFY(stored);
        QCOMPARE(stored->resourceKey, vmKey(1));
        QCOMPARE(stored->name, u"vm-1"_s); // not wiped by an empty field
        QCOMPARE(stored->size, u"Standard_D2s_v5"_s);
        QCOMPARE(stored->location, u"westeurope"_s);
        QCOMPARE(stored->tags, vm.tags);
        QCOMPARE(stored->autoRestart, false);
        QCOMPARE(toString(stored->desiredState), toString(DesiredState::Stopped));
        QCOMPARE(toString(stored->managedBy), toString(ManagedBy::Tag));
        QCOMPARE(toString(stored->powerState), toString(PowerState::Running));
        QCOMPARE(stored->createdAt, QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
        QCOMPARE(stored->updatedAt, m_clock.nowUtc());

        update.managedBy = ManagedBy::Operator; // stronger: taken
        QCOMPARE(store->upsertVm(update), id);
        QCOMPARE(toString(store->vm(id)->managedBy), toString(ManagedBy::Operator));
        QCOMPARE(store->vms().size(), 1);

        QCOMPARE(store->upsertVm(VmRecord {}), 0);
        QCOMPARE(store->lastError().code, StoreError::Code::Sql);
    }

    void upsertWithoutNewsWritesNothing()
    {
        auto store = openStore();
        VmRecord vm = vmRecord(1);
        vm.name = u"vm-1"_s;
        vm.powerState = PowerState::Running;
        const qint64 id = store->upsertVm(vm);
        const VmRecord first = *store->vm(id);
        m_clock.advanceMSecs(60'000);
        QCOMPARE(store->upsertVm(vm), id); // a periodic sweep reporting the same state
        const VmRecord second = *store->vm(id);
        QCOMPARE(second.updatedAt, first.updatedAt);
        QCOMPARE(second.powerStateAt, first.powerStateAt); // "running since", not "seen at"
        vm.powerState = PowerState::Deallocated;
        QCOMPARE(store->upsertVm(vm), id);
        const VmRecord third = *store->vm(id);
        QCOMPARE(third.powerStateAt, m_clock.nowUtc());
        QCOMPARE(third.updatedAt, m_clock.nowUtc());
    }

    void setters()
    {
        auto store = openStore();
        const qint64 id = store->upsertVm(vmRecord(1));
        const QDateTime at = m_clock.nowUtc().addSecs(-30);
        QVERIFY(store->setPowerState(id, PowerState::Deallocated, at));
        QVERIFY(store->setManagedBy(id, ManagedBy::None));
        auto vm = store->vm(id);
        QCOMPARE(toString(vm->powerState), toString(PowerState::Deallocated));
        QCOMPARE(vm->powerStateAt, at);
        QCOMPARE(toString(vm->managedBy), toString(ManagedBy::None));
        QVERIFY(!store->setPowerState(id + 100, PowerState::Running, at));
        QVERIFY(store->lastError().message.contains(u"no VM with id"_s));
        QVERIFY(!store->setAutoRestart(id + 100, true));
        QVERIFY(!store->vm(id + 100));
        QCOMPARE(store->lastError().code, StoreError::Code::None); // not found is no error
    }

    void heartbeatEventsOnlyOnChange()
    {
        auto store = openStore();
        const QString key = vmKey(3);
        VmRecord identity = vmRecord(3);
        identity.name = u"vm-3"_s;
        const EventFilter heartbeats = byKinds({EventKind::Heartbeat});
        auto beat = [&](const QString &error) {
            m_clock.advanceMSecs(60'000);
            return store->recordHeartbeat(key, identity, m_clock.nowUtc(), u"1.2.0"_s, error);
        };
        QVERIFY(beat({}));
        QCOMPARE(store->eventCount(heartbeats), 1); // new agent
        QVERIFY(beat({}));
        QVERIFY(beat({}));
        QCOMPARE(store->eventCount(heartbeats), 1);
        QVERIFY(beat(u"IMDS timeout"_s));
        QVERIFY(beat(u"IMDS timeout"_s));
        QCOMPARE(store->eventCount(heartbeats), 2);
        QVERIFY(beat({}));
        QCOMPARE(store->eventCount(heartbeats), 3);

        const auto vm = store->vmByKey(key);
        QCOMPARE(vm->agentLastSeen, m_clock.nowUtc());
        QCOMPARE(vm->agentVersion, u"1.2.0"_s);
        QCOMPARE(vm->agentLastPollError, QString());
        QCOMPARE(toString(vm->managedBy), toString(ManagedBy::Agent));
        const auto events = store->events(heartbeats);
        QCOMPARE(events.size(), 3);
        QVERIFY(events[0].message.contains(u"first seen"_s));
        QCOMPARE(events[1].message, u"IMDS poll failing: IMDS timeout"_s);
        QCOMPARE(events[2].message, u"IMDS poll recovered"_s);
        QCOMPARE(events[2].vmId, vm->id);

        // A late heartbeat older than the last one changes nothing.
        QVERIFY(store->recordHeartbeat(key, identity, m_clock.nowUtc().addSecs(-600), u"1.1.0"_s,
                                       u"old error"_s));
        QCOMPARE(store->vmByKey(key)->agentVersion, u"1.2.0"_s);
        QCOMPARE(store->eventCount(heartbeats), 3);
        QVERIFY(!store->recordHeartbeat(QString(), identity, m_clock.nowUtc(), u"1"_s, {}));
    }

    void noticesInsertAndDeduplicate()
    {
        auto store = openStore();
        const QList<NoticeOutcome> first = store->insertNotices({
            notice(1, u"wh-1"_s, u"ev-A"_s),
            notice(2, u"wh-2"_s, u"ev-A"_s), // same EventId, other VM: not a duplicate
            notice(1, u"wh-1"_s, u"ev-B"_s), // same webhook-id inside the batch
            notice(1, u"wh-3"_s, u"ev-A"_s), // same (vm, EventId) inside the batch
        });
        QCOMPARE(first.size(), 4);
        QCOMPARE(first[0].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(first[1].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(first[2].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(first[2].eventId, first[0].eventId);
        QCOMPARE(first[3].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(first[3].eventId, first[0].eventId);
        QCOMPARE(first[3].vmId, first[0].vmId);
        QVERIFY(first[0].vmId != first[1].vmId);
        QCOMPARE(store->eventCount({}), 2);

        const VmRecord before = *store->vm(first[0].vmId);
        m_clock.advanceMSecs(1000);
        IncomingNotice again = notice(1, u"wh-9"_s, u"ev-A"_s);
        again.vm.location = u"changed"_s; // a duplicate changes nothing, not even the VM
        const QList<NoticeOutcome> second =
            store->insertNotices({again, notice(1, u"wh-1"_s, u"ev-Z"_s)});
        QCOMPARE(second[0].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(second[0].eventId, first[0].eventId);
        QCOMPARE(second[1].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(second[1].eventId, first[0].eventId);
        const VmRecord after = *store->vm(first[0].vmId);
        QCOMPARE(after.location, before.location);
        QCOMPARE(after.updatedAt, before.updatedAt);
        QCOMPARE(store->eventCount({}), 2);

        const auto stored = store->events(byVm(first[0].vmId));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored[0].webhookId, u"wh-1"_s);
        QCOMPARE(stored[0].eventId, u"ev-A"_s);
        QCOMPARE(stored[0].eventType, u"Preempt"_s);
        QCOMPARE(stored[0].eventStatus, u"Scheduled"_s);
        QCOMPARE(stored[0].source, u"agent"_s);
        QCOMPARE(stored[0].payload, QByteArray(R"({"EventId":"ev-A"})"));
        QCOMPARE(stored[0].at, QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
        QCOMPARE(toString(store->vm(first[0].vmId)->managedBy), toString(ManagedBy::Agent));
    }

    // Issue 13: one notice per phase, and a webhook-id only dedups within its VM.
    void noticePhasesAndWebhookIdsArePerVm()
    {
        auto store = openStore();
        IncomingNotice started = notice(1, u"wh-started"_s, u"ev-A"_s);
        started.event.eventStatus = u"Started"_s;
        const QList<NoticeOutcome> first = store->insertNotices({
            notice(1, u"wh-scheduled"_s, u"ev-A"_s),
            started, // the next phase of the same event: new evidence
            notice(2, u"wh-scheduled"_s, u"ev-B"_s), // VM 1's webhook-id, VM 2's notice
        });
        QCOMPARE(first[0].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(first[1].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(first[2].status, NoticeOutcome::Status::Inserted);
        QVERIFY(first[1].eventId != first[0].eventId);
        QVERIFY(!first[0].laterPhase);
        QVERIFY(first[1].laterPhase); // stored, but the engine already heard of ev-A
        QVERIFY(!first[2].laterPhase);
        QCOMPARE(store->eventCount(byVm(first[0].vmId)), 2);

        // A VM whose key posted first under another VM's id cannot silence that VM.
        const QList<NoticeOutcome> squat = store->insertNotices({notice(3, u"wh-b"_s, u"ev-X"_s)});
        QCOMPARE(squat[0].status, NoticeOutcome::Status::Inserted);
        const QList<NoticeOutcome> real = store->insertNotices({notice(4, u"wh-b"_s, u"ev-P"_s)});
        QCOMPARE(real[0].status, NoticeOutcome::Status::Inserted);

        // Each phase once; a repeated phase under a new id is still a duplicate.
        IncomingNotice startedAgain = started;
        startedAgain.webhookId = u"wh-other"_s;
        const QList<NoticeOutcome> again =
            store->insertNotices({startedAgain, notice(2, u"wh-scheduled"_s, u"ev-C"_s)});
        QCOMPARE(again[0].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(again[0].eventId, first[1].eventId);
        QCOMPARE(again[1].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(again[1].eventId, first[2].eventId);
        QCOMPARE(store->eventCount({}), 5);
    }

    // A batch is written set-based (a few statements whatever its size): each notice still
    // sees the ones before it, each VM row ends as its last notice left it, every stored
    // notice gets its own id.
    void largeNoticeBatchActsAsNoticesOneAfterTheOther()
    {
        auto store = openStore();
        const qint64 known = store->upsertVm(vmRecord(1));
        QVERIFY(known > 0);
        QList<IncomingNotice> batch;
        for (int i = 0; i < 37; ++i) {
            IncomingNotice n = notice(1 + i % 5, u"wh-%1"_s.arg(i), u"ev-%1"_s.arg(i));
            n.vm.agentLastSeen = m_clock.nowUtc().addMSecs(i);
            n.vm.agentVersion = u"2.%1"_s.arg(i);
            batch.append(n);
        }
        // wh-3 is VM 4's (i = 3) and wh-7 VM 3's (i = 7): other VMs may use them too.
        batch.append(notice(2, u"wh-3"_s, u"ev-other"_s));
        batch.append(notice(4, u"wh-7"_s, u"ev-x"_s));
        IncomingNotice moved = notice(3, u"wh-moved"_s, u"ev-moved"_s);
        moved.vm.location = u"northeurope"_s; // says something new about the VM itself
        batch.append(moved);
        const QList<NoticeOutcome> out = store->insertNotices(batch);
        QCOMPARE(out.size(), batch.size());
        QSet<qint64> ids;
        for (qsizetype i = 0; i < 37; ++i) {
            QCOMPARE(out[i].status, NoticeOutcome::Status::Inserted);
            ids.insert(out[i].eventId);
        }
        QCOMPARE(ids.size(), 37);
        QCOMPARE(out[1].vmId, store->vmByKey(vmKey(2))->id);
        QCOMPARE(out[0].vmId, known);
        QCOMPARE(out[37].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(out[38].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(out[39].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(store->eventCount({}), 40);
        for (qsizetype i = 0; i < 37; ++i) {
            EventFilter one = byVm(out[i].vmId);
            one.afterId = out[i].eventId - 1;
            one.limit = 1;
            const EventRecord stored = store->events(one).value(0);
            QCOMPARE(stored.id, out[i].eventId);
            QCOMPARE(stored.webhookId, batch[i].webhookId);
            QCOMPARE(stored.eventId, batch[i].event.eventId);
            QCOMPARE(stored.payload, batch[i].event.payload);
        }
        // Each VM's agent columns are its last notice's; VM 3 moved.
        QCOMPARE(store->vmByKey(vmKey(1))->agentVersion, u"2.35"_s);
        QCOMPARE(store->vmByKey(vmKey(5))->agentVersion, u"2.34"_s);
        QCOMPARE(store->vmByKey(vmKey(1))->agentLastSeen, m_clock.nowUtc().addMSecs(35));
        QCOMPARE(store->vmByKey(vmKey(3))->location, u"northeurope"_s);
        QCOMPARE(toString(store->vmByKey(vmKey(1))->managedBy), toString(ManagedBy::Agent));

        // The same batch again: every notice a duplicate of its stored self, nothing written.
        const VmRecord before = *store->vmByKey(vmKey(1));
        m_clock.advanceMSecs(1000);
        const QList<NoticeOutcome> again = store->insertNotices(batch);
        for (qsizetype i = 0; i < batch.size(); ++i) {
            QCOMPARE(again[i].status, NoticeOutcome::Status::Duplicate);
            QCOMPARE(again[i].eventId, out[i].eventId);
            QCOMPARE(again[i].vmId, out[i].vmId);
        }
        QCOMPARE(store->eventCount({}), 40);
        QCOMPARE(store->vmByKey(vmKey(1))->updatedAt, before.updatedAt);
    }

    void noticeWithoutVmKeyFailsAlone()
    {
        auto store = openStore();
        IncomingNotice bad = notice(1, u"wh-bad"_s, u"ev-bad"_s);
        bad.vmResourceKey.clear();
        bad.vm.resourceKey.clear();
        const auto outcome = store->insertNotices({bad, notice(2, u"wh-ok"_s, u"ev-ok"_s)});
        QCOMPARE(outcome[0].status, NoticeOutcome::Status::Failed);
        QCOMPARE(outcome[1].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(store->eventCount({}), 1);
        QVERIFY(store->insertNotices({}).isEmpty());
    }

    void noticesWithoutEventIdDedupOnWebhookOnly()
    {
        auto store = openStore();
        const auto outcome = store->insertNotices(
            {notice(1, u"wh-1"_s, QString()), notice(1, u"wh-2"_s, QString())});
        QCOMPARE(outcome[0].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(outcome[1].status, NoticeOutcome::Status::Inserted);
    }

    void eventsFilterAndPaging()
    {
        auto store = openStore();
        const qint64 vmA = store->upsertVm(vmRecord(1));
        const qint64 vmB = store->upsertVm(vmRecord(2));
        const QDateTime t0 = m_clock.nowUtc();
        QList<qint64> ids;
        for (int i = 0; i < 30; ++i) {
            EventRecord e;
            e.vmId = i % 2 != 0 ? vmB : vmA;
            e.kind = i % 3 == 0 ? EventKind::RestartAttempt : EventKind::PowerChange;
            e.at = t0.addSecs(qint64(i) * 10);
            e.httpStatus = i % 3 == 0 ? 409 : 0;
            e.armErrorCode = i % 3 == 0 ? u"OperationNotAllowed"_s : QString();
            e.correlationId = u"corr-%1"_s.arg(i);
            e.message = u"event %1"_s.arg(i);
            const qint64 id = store->appendEvent(e);
            QVERIFY(id > 0);
            ids << id;
        }
        QCOMPARE(store->eventCount({}), 30);
        QCOMPARE(store->eventCount(byVm(vmA)), 15);
        QCOMPARE(store->eventCount(byKinds({EventKind::RestartAttempt})), 10);
        QCOMPARE(store->eventCount(byKinds({EventKind::RestartAttempt, EventKind::PowerChange})),
                 30);
        QCOMPARE(store->eventCount(byKinds({EventKind::Alert})), 0);
        // [t0+50s, t0+100s): events 5..9
        const EventFilter range = byTime(t0.addSecs(50), t0.addSecs(100));
        QCOMPARE(store->eventCount(range), 5);
        QCOMPARE(store->events(range).front().message, u"event 5"_s);

        const auto attempt = store->events(byKinds({EventKind::RestartAttempt}, 1));
        QCOMPARE(attempt.size(), 1);
        QCOMPARE(attempt[0].httpStatus, 409);
        QCOMPARE(attempt[0].armErrorCode, u"OperationNotAllowed"_s);
        QCOMPARE(attempt[0].correlationId, u"corr-0"_s);
        QCOMPARE(attempt[0].vmId, vmA);

        // Ascending pages by afterId cover everything once, in order.
        QList<qint64> seen;
        EventFilter page;
        page.limit = 7;
        for (;;) {
            const auto rows = store->events(page);
            if (rows.isEmpty())
                break;
            for (const auto &row : rows)
                seen << row.id;
            page.afterId = rows.back().id;
        }
        QCOMPARE(seen, ids);
        // Descending pages by beforeId, newest first.
        QList<qint64> newest;
        EventFilter back;
        back.beforeId = std::numeric_limits<qint64>::max();
        back.limit = 8;
        for (;;) {
            const auto rows = store->events(back);
            if (rows.isEmpty())
                break;
            for (const auto &row : rows)
                newest << row.id;
            back.beforeId = rows.back().id;
        }
        std::reverse(newest.begin(), newest.end());
        QCOMPARE(newest, ids);
        QCOMPARE(store->eventCount(byVm(vmB, ids[10])), 10); // odd i in 11..29
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
