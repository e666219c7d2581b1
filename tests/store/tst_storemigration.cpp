// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Forward migrations: a database of every earlier schema version, with data, opens
// with the current code at the current version and with its data intact.
#include "store/schema.h"
#include "store/sqldialect.h"
#include "support/store/storetestutil.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;

namespace {

constexpr qint64 kT0 = 1'767'225'600'000; // ms

QStringList fixtureStatements()
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA "/store/schema-v1.sql"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList out;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString &line : lines) {
        if (line.isEmpty() || line.startsWith(u"--"_s))
            continue;
        out << line.chopped(1); // the trailing ';'
    }
    return out;
}

// Data as a build of `version` would have written it, with raw SQL of that version.
QStringList seedStatements(int version)
{
    QStringList s {
        u"INSERT INTO vms (id, resource_key, resource_id, name, location, size, priority, "
        "eviction_policy, tags, power_state, power_state_at, desired_state, auto_restart, "
        "managed_by, agent_last_seen, agent_version, created_at, updated_at) VALUES (1, '%1', "
        "'%1', 'vm-1', 'westeurope', 'Standard_D2s_v5', 'Spot', 'Deallocate', "
        "'{\"env\":\"prod\"}', 'deallocated', %2, 'running', 0, 'operator', %2, '1.0.0', %2, %2)"_s
            .arg(vmKey(1))
            .arg(kT0),
        u"INSERT INTO events (vm_id, kind, occurred_at, source, event_type, event_id, "
        "event_status, webhook_id, payload) VALUES (1, 'notice', %1, 'agent', 'Preempt', "
        "'ev-1', 'Scheduled', 'wh-1', X'7B7D')"_s.arg(kT0),
        u"INSERT INTO events (vm_id, kind, occurred_at, source, http_status, arm_error_code, "
        "correlation_id) VALUES (1, 'restart_attempt', %1, 'engine', 409, "
        "'OperationNotAllowed', 'corr-1')"_s.arg(kT0 + 1000),
        u"INSERT INTO jobs (vm_id, state, trigger_source, attempt, created_at, updated_at, "
        "lease_owner, lease_expires_at) VALUES (1, 'backing_off', 'notice', 2, %1, %1, "
        "'engine-old', %1)"_s.arg(kT0),
        u"INSERT INTO agent_keys (key_id, vm_resource_key, created_at) VALUES ('key-1', '%1', %2)"_s
            .arg(vmKey(1))
            .arg(kT0),
        u"INSERT INTO agent_key_secrets (key_id, secret, created_at) VALUES ('key-1', "
        "X'0102030405060708090A0B0C0D0E0F101112131415161718', %1)"_s.arg(kT0),
        u"INSERT INTO audit_log (occurred_at, actor, action, target) VALUES (%1, 'cli', "
        "'pause', '%2')"_s.arg(kT0)
            .arg(vmKey(1)),
    };
    if (version >= 2) {
        s << u"INSERT INTO operator_tokens (token_id, sha256, created_at) VALUES ('tok-1', X'%1', "
             "%2)"_s
                 .arg(QString::fromLatin1(
                     QCryptographicHash::hash("tok", QCryptographicHash::Sha256).toHex()))
                 .arg(kT0);
    }
    return s;
}

} // namespace

class TestStoreMigration : public QObject
{
    Q_OBJECT

private:
    void verifyUpgraded(const QString &path, int fromVersion)
    {
        StoreError error;
        auto store = Store::open(options(path), &error);
        QVERIFY2(store, qPrintable(error.message));
        QCOMPARE(store->schemaVersion(), Store::currentSchemaVersion());
        QString details;
        QVERIFY2(store->integrityCheck(&details), qPrintable(details));

        const QList<VmRecord> vms = store->vms();
        QCOMPARE(vms.size(), 1);
        QCOMPARE(vms[0].resourceKey, vmKey(1));
        QCOMPARE(vms[0].size, u"Standard_D2s_v5"_s);
        QCOMPARE(vms[0].tags.value(u"env"_s), u"prod"_s);
        QCOMPARE(toString(vms[0].powerState), u"deallocated"_s);
        QCOMPARE(vms[0].autoRestart, false);
        QCOMPARE(toString(vms[0].managedBy), u"operator"_s);
        QCOMPARE(vms[0].agentLastSeen.toMSecsSinceEpoch(), kT0);
        QCOMPARE(toString(vms[0].appHealth), QString()); // before v12: no probe reported yet
        QVERIFY(!vms[0].appHealthSince.isValid());

        const QList<EventRecord> events = store->events({});
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].webhookId, u"wh-1"_s);
        QCOMPARE(events[0].payload, QByteArray("{}"));
        QCOMPARE(events[1].httpStatus, 409);
        QCOMPARE(events[1].correlationId, u"corr-1"_s);

        const auto job = store->activeJob(1);
        QVERIFY(job);
        QCOMPARE(toString(job->state), u"backing_off"_s);
        QCOMPARE(job->attempt, 2);
        QCOMPARE(job->leaseOwner, u"engine-old"_s);
        // v4: the upgraded row has a version, and the engine's conditional save works on it.
        QCOMPARE(job->version, 0);
        JobRecord mine = *job;
        QVERIFY2(store->saveJobIfUnchanged(mine), qPrintable(store->lastError().message));
        QCOMPARE(mine.version, 1);
        JobRecord stale = *job;
        QVERIFY(!store->saveJobIfUnchanged(stale));
        QVERIFY(store->lastError().code == StoreError::Code::Conflict);
        QCOMPARE(store->metaValueOrInsert(u"engine_id:host"_s, u"engine:a"_s), u"engine:a"_s);
        QCOMPARE(store->metaValueOrInsert(u"engine_id:host"_s, u"engine:b"_s), u"engine:a"_s);

        const auto key = store->agentKey(u"key-1"_s);
        QVERIFY(key);
        QCOMPARE(key->secrets.size(), 1);
        QCOMPARE(key->secrets[0].secret.size(), 24);
        QCOMPARE(store->audit({}, {}, 0).size(), 1);

        const QByteArray tokHash = QCryptographicHash::hash("tok", QCryptographicHash::Sha256);
        QCOMPARE(store->operatorTokenIdForHash(tokHash, QDateTime::currentDateTimeUtc())
                     .value_or(QString()),
                 fromVersion >= 2 ? u"tok-1"_s : QString());

        // The old rows still obey the rules: dedup, one active job, append-only audit.
        const auto dup = store->insertNotices(
            {notice(1, u"wh-1"_s, u"ev-new"_s), notice(1, u"wh-new"_s, u"ev-1"_s)});
        QCOMPARE(dup[0].status, NoticeOutcome::Status::Duplicate);
        QCOMPARE(dup[1].status, NoticeOutcome::Status::Duplicate);
        bool created = true;
        JobRecord another;
        another.vmId = 1;
        QCOMPARE(store->createJob(another, &created)->id, job->id);
        QVERIFY(!created);
        // New features work on the upgraded file.
        QVERIFY(store->saveOperatorToken(u"tok-new"_s, QByteArray(32, '\x07'), {}, {}));
        QCOMPARE(store->eventCount(byVm(1)), 2);
        // v4: an old VM row is not stopped on purpose; the columns take a stop and a start.
        QVERIFY(store->vm(1)->stoppedBy.isEmpty());
        QVERIFY(store->setStoppedOnPurpose(1, u"alice@contoso.com"_s,
                                           u"Microsoft.Compute/virtualMachines/deallocate/action"_s,
                                           QDateTime::fromMSecsSinceEpoch(kT0, Qt::UTC)));
        QCOMPARE(store->vm(1)->stoppedBy, u"alice@contoso.com"_s);
        QCOMPARE(toString(store->vm(1)->desiredState), u"stopped"_s);
        QCOMPARE(store->vm(1)->stoppedAt.toMSecsSinceEpoch(), kT0);
        QVERIFY(store->setDesiredState(1, DesiredState::Running));
        QVERIFY(store->vm(1)->stoppedBy.isEmpty());
        QVERIFY(!store->vm(1)->stoppedAt.isValid());
        // v6: the next phase of an old notice is stored, and the old webhook-id only
        // dedups within its own VM. Ids go on from where the old file left them.
        const qint64 lastOldId = events[1].id;
        IncomingNotice started = notice(1, u"wh-started"_s, u"ev-1"_s);
        started.event.eventStatus = u"Started"_s;
        const auto v6 = store->insertNotices({started, notice(2, u"wh-1"_s, u"ev-1"_s)});
        QCOMPARE(v6[0].status, NoticeOutcome::Status::Inserted);
        QCOMPARE(v6[1].status, NoticeOutcome::Status::Inserted);
        QVERIFY(v6[0].eventId > lastOldId);
        QCOMPARE(store->eventCount(byVm(1)), 3);
        store.reset();

        RawDb raw(path);
        QVERIFY(raw.exec(u"DELETE FROM audit_log"_s).contains(u"append-only"_s));
        // The rebuilt events table kept no global webhook_id rule and has its indexes.
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name = 'events' AND sql IS NOT NULL"_s)
                     .toInt(),
                 5);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM sqlite_master WHERE name LIKE "
                            "'sqlite_autoindex_events%'"_s)
                     .toInt(),
                 0);
        QCOMPARE(
            raw.scalar(u"SELECT count(*) FROM sqlite_sequence WHERE name LIKE 'events%'"_s).toInt(),
            1);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), Store::currentSchemaVersion());
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void migrationListIsConsistent()
    {
        const auto dialect = SqlDialect::sqlite();
        QCOMPARE(schema::currentVersion(), Store::currentSchemaVersion());
        QVERIFY(Store::currentSchemaVersion() >= 2);
        for (int v = 1; v <= schema::currentVersion(); ++v)
            QVERIFY(!schema::migrationStatements(*dialect, v).isEmpty());
        QVERIFY(schema::migrationStatements(*dialect, 0).isEmpty());
        QVERIFY(schema::migrationStatements(*dialect, schema::currentVersion() + 1).isEmpty());
    }

    // Shipped steps are never edited: step 1 must still be exactly the frozen v1 DDL.
    void versionOneIsFrozen()
    {
        QStringList fixture = fixtureStatements();
        QVERIFY(fixture.size() > 10);
        fixture.removeLast(); // PRAGMA user_version = 1
        fixture.removeLast(); // UPDATE schema_meta ... '1'
        QCOMPARE(fixture, schema::migrationStatements(*SqlDialect::sqlite(), 1));
    }

    void fromFrozenVersionOneFixture()
    {
        const QString path = m_dir->filePath(u"v1-fixture.db"_s);
        {
            RawDb raw(path);
            for (const QString &statement : fixtureStatements())
                QCOMPARE(raw.exec(statement), QString());
            for (const QString &statement : seedStatements(1))
                QCOMPARE(raw.exec(statement), QString());
        }
        verifyUpgraded(path, 1);
    }

    void fromEveryEarlierVersion_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 1; v < Store::currentSchemaVersion(); ++v)
            QTest::addRow("v%d", v) << v;
    }

    void fromEveryEarlierVersion()
    {
        QFETCH(int, version);
        const QString path = m_dir->filePath(u"v%1.db"_s.arg(version));
        {
            RawDb raw(path);
            QString error;
            QVERIFY2(schema::migrate(raw.db(), *SqlDialect::sqlite(), version, &error),
                     qPrintable(error));
            QCOMPARE(schema::readVersion(raw.db(), &error), version);
            for (const QString &statement : seedStatements(version))
                QCOMPARE(raw.exec(statement), QString());
        }
        verifyUpgraded(path, version);
    }

    void reopeningDoesNotMigrateAgain()
    {
        const QString path = m_dir->filePath(u"again.db"_s);
        QVERIFY(Store::open(options(path), nullptr));
        {
            RawDb raw(path);
            QCOMPARE(raw.exec(u"INSERT INTO audit_log (occurred_at, actor, action) VALUES (1, "
                              "'cli', 'x')"_s),
                     QString());
        }
        auto store = Store::open(options(path), nullptr);
        QVERIFY(store);
        QCOMPARE(store->audit({}, {}, 0).size(), 1);
    }

    // A failing step rolls back as a whole: the file stays at the last good version.
    void failedStepLeavesPreviousVersion()
    {
        const QString path = m_dir->filePath(u"blocked.db"_s);
        {
            RawDb raw(path);
            QString error;
            QVERIFY(schema::migrate(raw.db(), *SqlDialect::sqlite(), 1, &error));
            // Something in the way of step 2.
            QCOMPARE(raw.exec(u"CREATE TABLE operator_tokens (x INTEGER)"_s), QString());
        }
        StoreError error;
        QVERIFY(!Store::open(options(path), &error));
        QCOMPARE(error.code, StoreError::Code::MigrationFailed);
        QVERIFY2(error.message.contains(
                     u"cannot upgrade database %1 from schema 1 to %2"_s.arg(path).arg(
                         Store::currentSchemaVersion())),
                 qPrintable(error.message));
        QVERIFY2(error.message.contains(u"left at schema 1"_s), qPrintable(error.message));
        RawDb raw(path);
        QString readError;
        QCOMPARE(schema::readVersion(raw.db(), &readError), 1);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), 1);
    }

    void readOnlyOpenOfOldSchemaIsRefused()
    {
        const QString path = m_dir->filePath(u"old-ro.db"_s);
        {
            RawDb raw(path);
            QString error;
            QVERIFY(schema::migrate(raw.db(), *SqlDialect::sqlite(), 1, &error));
        }
        StoreError error;
        QVERIFY(!Store::open(options(path, true), &error));
        QCOMPARE(error.code, StoreError::Code::MigrationFailed);
        QVERIFY(error.message.contains(u"read-write"_s));
    }
};

QTEST_GUILESS_MAIN(TestStoreMigration)
#include "tst_storemigration.moc"
