// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/sqlitestore.h"

#include "base/clock.h"
#include "store/schema.h"
#include "store/storerows.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <atomic>
#include <utility>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

namespace {

// Each store opens its own named connection: "spotkeeper-store-<n>".
quint64 nextConnectionNumber()
{
    static std::atomic<quint64> counter {0};
    return ++counter;
}

// resource_key .. updated_at, i.e. vmWriteColumns().
void bindVm(QSqlQuery &q, const VmRecord &vm)
{
    q.addBindValue(vm.resourceKey);
    q.addBindValue(optText(vm.resourceId));
    q.addBindValue(optText(vm.subscriptionId));
    q.addBindValue(optText(vm.resourceGroup));
    q.addBindValue(optText(vm.name));
    q.addBindValue(optText(vm.vmId));
    q.addBindValue(optText(vm.location));
    q.addBindValue(optText(vm.zone));
    q.addBindValue(optText(vm.size));
    q.addBindValue(optText(vm.priority));
    q.addBindValue(optText(vm.evictionPolicy));
    q.addBindValue(tagsToJson(vm.tags));
    q.addBindValue(toString(vm.powerState));
    q.addBindValue(millis(vm.powerStateAt));
    q.addBindValue(toString(vm.desiredState));
    q.addBindValue(vm.autoRestart ? 1 : 0);
    q.addBindValue(toString(vm.managedBy));
    q.addBindValue(millis(vm.agentLastSeen));
    q.addBindValue(optText(vm.agentVersion));
    q.addBindValue(optText(vm.agentLastPollError));
    q.addBindValue(millis(vm.createdAt));
    q.addBindValue(millis(vm.updatedAt));
}

} // namespace

std::unique_ptr<Store> Store::open(const StoreOptions &options, StoreError *error)
{
    auto store = std::make_unique<SqliteStore>(options, SqlDialect::forLocation(options.path));
    StoreError local;
    if (!store->openDatabase(&local)) {
        if (error != nullptr)
            *error = local;
        return nullptr;
    }
    if (error != nullptr)
        *error = {};
    return store;
}

int Store::currentSchemaVersion()
{
    return schema::currentVersion();
}

SqliteStore::SqliteStore(StoreOptions options, std::unique_ptr<SqlDialect> dialect)
    : m_options(std::move(options))
    , m_dialect(std::move(dialect))
    , m_connectionName(u"spotkeeper-store-%1"_s.arg(nextConnectionNumber()))
{
    m_db = QSqlDatabase::addDatabase(m_dialect->driverName(), m_connectionName);
}

SqliteStore::~SqliteStore()
{
    m_statements.clear(); // statements before the connection
    m_db.close();
    m_db = QSqlDatabase(); // no handle may outlive removeDatabase()
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool SqliteStore::openDatabase(StoreError *error)
{
    const QString &path = m_options.path;
    auto failWith = [&](StoreError::Code code, const QString &message) {
        error->code = code;
        error->message = message;
        m_error = *error;
        return false;
    };
    if (!m_db.isValid()) {
        return failWith(StoreError::Code::CannotOpen,
                        u"the Qt %1 driver is not available; install it (Debian: %2)"_s.arg(
                            m_dialect->driverName(), m_dialect->driverPackage()));
    }
    if (path.isEmpty())
        return failWith(StoreError::Code::CannotOpen, u"no store path given (--store)"_s);
    if (m_options.clock == nullptr)
        m_options.clock = &base::systemClock();

    QString problem;
    if (!m_dialect->configure(m_db, m_options, &problem))
        return failWith(StoreError::Code::CannotOpen, problem);
    if (!m_db.open()) {
        return failWith(StoreError::Code::CannotOpen,
                        u"cannot open database %1: %2"_s.arg(path, errorText(m_db.lastError())));
    }
    auto sqlFailure = [&](const QSqlError &sqlError, const QString &stage) {
        if (m_dialect->isCorruption(sqlError)) {
            return failWith(
                StoreError::Code::Corrupt,
                u"database %1 is not a SpotKeeper database or is damaged (%2); "
                "restore it from a backup or use another --store"_s.arg(path, errorText(sqlError)));
        }
        return failWith(
            StoreError::Code::CannotOpen,
            u"cannot open database %1 (%2): %3"_s.arg(path, stage, errorText(sqlError)));
    };
    QSqlError sqlError;
    if (!m_dialect->initSession(m_db, m_options, &sqlError))
        return sqlFailure(sqlError, u"session setup"_s);

    QString detail;
    const int version = schema::readVersion(m_db, &detail);
    const int current = schema::currentVersion();
    if (version < 0) {
        return failWith(StoreError::Code::Corrupt,
                        u"database %1 is not a SpotKeeper database or is damaged (%2); "
                        "restore it from a backup or use another --store"_s.arg(path, detail));
    }
    if (version > current) {
        return failWith(StoreError::Code::NewerSchema,
                        u"database %1 was written by a newer SpotKeeper (schema %2, this build "
                        "knows %3); upgrade SpotKeeper or use another --store"_s.arg(path)
                            .arg(version)
                            .arg(current));
    }
    if (m_options.readOnly && version < current) {
        return failWith(StoreError::Code::MigrationFailed,
                        u"database %1 has schema %2 but this build needs %3 and it is opened "
                        "read-only; open it once read-write to upgrade it"_s.arg(path)
                            .arg(version)
                            .arg(current));
    }
    if (!m_dialect->initDurability(m_db, m_options, &sqlError))
        return sqlFailure(sqlError, u"journal setup"_s);
    if (version < current && !schema::migrate(m_db, *m_dialect, current, &detail)) {
        QString ignored;
        const int reached = schema::readVersion(m_db, &ignored);
        return failWith(StoreError::Code::MigrationFailed,
                        u"cannot upgrade database %1 from schema %2 to %3: %4 (it is left at "
                        "schema %5)"_s.arg(path)
                            .arg(version)
                            .arg(current)
                            .arg(detail)
                            .arg(reached));
    }
    m_version = current;
    m_error = {};
    return true;
}

// --- infrastructure

SqliteStore::WriteTransaction::WriteTransaction(SqliteStore &store)
    : m_store(store)
{
    begin(m_store.m_dialect->beginWriteSql());
}

SqliteStore::WriteTransaction::WriteTransaction(SqliteStore &store, const QStringList &vmKeys)
    : m_store(store)
{
    begin(m_store.m_dialect->beginVmWriteSql(vmKeys));
}

void SqliteStore::WriteTransaction::begin(const QStringList &statements)
{
    ++m_store.m_busy;
    // Transaction control is run unprepared: not every driver can prepare it (QPSQL
    // prepares with SQL PREPARE, which takes no BEGIN).
    for (qsizetype i = 0; i < statements.size(); ++i) {
        QSqlQuery q = m_store.query();
        if (!m_store.execOrFail(q, statements.at(i))) {
            if (i > 0) {
                QSqlQuery rollback = m_store.query();
                rollback.exec(u"ROLLBACK"_s);
            }
            return;
        }
    }
    m_active = true;
}

SqliteStore::WriteTransaction::~WriteTransaction()
{
    if (m_active) {
        QSqlQuery rollback = m_store.query();
        rollback.exec(u"ROLLBACK"_s);
    }
    --m_store.m_busy;
}

bool SqliteStore::WriteTransaction::commit()
{
    if (!m_active)
        return false;
    QSqlQuery commit = m_store.query();
    if (!m_store.execOrFail(commit, u"COMMIT"_s))
        return false; // the destructor rolls back
    m_active = false;
    return true;
}

SqliteStore::CachedStatement::CachedStatement(SqliteStore &store, const QString &sql)
    : m_store(store)
{
    ++m_store.m_busy;
    auto it = store.m_statements.find(sql);
    if (it == store.m_statements.end()) {
        auto prepared = std::make_shared<QSqlQuery>(store.m_db);
        prepared->setForwardOnly(true);
        if (!store.prepareOrFail(*prepared, sql))
            return;
        it = store.m_statements.insert(sql, prepared);
    }
    m_query = it->get();
}

SqliteStore::CachedStatement::~CachedStatement()
{
    if (m_query != nullptr)
        m_query->finish();
    --m_store.m_busy;
}

QDateTime SqliteStore::now() const
{
    return m_options.clock->nowUtc();
}

QSqlQuery SqliteStore::query()
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    return q;
}

void SqliteStore::clearError()
{
    m_error = {};
    reconnectIfDue();
}

void SqliteStore::noteFailure(const QSqlError &error)
{
    if (m_lost || !m_dialect->isConnectionLoss(error))
        return;
    m_lost = true;
    m_reconnectDelayMs = 250;
    m_reconnectAt = QDeadlineTimer(m_reconnectDelayMs);
    qWarning("store: the connection to %s is lost (%s); reconnecting", qPrintable(path()),
             qPrintable(errorText(error)));
}

void SqliteStore::reconnectIfDue()
{
    if (!m_lost || m_busy > 0 || !m_reconnectAt.hasExpired())
        return;
    QString problem;
    m_lost = false; // the new session's own statements run
    if (reopenSession(&problem) && !m_lost) {
        qInfo("store: reconnected to %s", qPrintable(path()));
        return;
    }
    m_lost = true;
    m_reconnectDelayMs = std::min(m_reconnectDelayMs * 2, 5'000);
    m_reconnectAt = QDeadlineTimer(m_reconnectDelayMs);
    fail(u"the connection to the database is lost; reconnecting"_s, problem,
         StoreError::Code::CannotOpen);
}

bool SqliteStore::reopenSession(QString *problem)
{
    // Statements prepared on the old connection die with it; the settings of configure()
    // (host, port, password, TLS options) stay on the connection object.
    m_statements.clear();
    m_db.close();
    QSqlError error;
    if (!m_db.open()) {
        *problem = errorText(m_db.lastError());
        return false;
    }
    if (!m_dialect->initSession(m_db, m_options, &error)
        || !m_dialect->initDurability(m_db, m_options, &error)) {
        *problem = errorText(error);
        m_db.close();
        return false;
    }
    // So did its LISTEN: notifications from now on (missed ones are caught by lease renewal).
    if (m_watchingJobs) {
        QSqlDriver *driver = m_db.driver();
        const QString channel = u"spotkeeper_jobs"_s;
        if (driver->subscribedToNotifications().contains(channel))
            driver->unsubscribeFromNotification(channel);
        if (!driver->subscribeToNotification(channel))
            qWarning("store: after reconnecting, cannot listen for job changes again");
    }
    // Locks of the old session went with it: take them again (a replica that lost its
    // identity to another meanwhile says so; its leases stay conditional on versions).
    const QStringList locks = std::exchange(m_namedLocks, {});
    for (const QString &name : locks) {
        if (holdNamedLock(name) != NamedLock::Held)
            qWarning("store: after reconnecting, the lock %s is held by another connection",
                     qPrintable(name));
    }
    return true;
}

bool SqliteStore::execOrFail(QSqlQuery &q, const QString &sql)
{
    if (m_lost) {
        return fail(u"the connection to the database is lost; reconnecting"_s, QString(),
                    StoreError::Code::CannotOpen);
    }
    const bool ok = sql.isEmpty() ? q.exec() : q.exec(sql);
    if (ok)
        return true;
    const QSqlError error = q.lastError();
    noteFailure(error);
    // Bound values are never part of the message: they may be secrets.
    return fail(u"store query failed"_s, errorText(error),
                m_dialect->isCorruption(error) ? StoreError::Code::Corrupt : StoreError::Code::Sql);
}

bool SqliteStore::prepareOrFail(QSqlQuery &q, const QString &sql)
{
    if (m_lost) {
        return fail(u"the connection to the database is lost; reconnecting"_s, QString(),
                    StoreError::Code::CannotOpen);
    }
    if (q.prepare(sql))
        return true;
    noteFailure(q.lastError());
    return fail(u"store query failed"_s, errorText(q.lastError()), StoreError::Code::Sql);
}

bool SqliteStore::runOrFail(QSqlQuery &q, const QString &sql, const QVariantList &binds)
{
    if (!prepareOrFail(q, sql))
        return false;
    for (const QVariant &value : binds)
        q.addBindValue(value);
    return execOrFail(q);
}

bool SqliteStore::forEachRow(const QString &sql, const QVariantList &binds,
                             const std::function<void(const QSqlQuery &)> &onRow)
{
    QSqlQuery q = query();
    q.setForwardOnly(true);
    if (!runOrFail(q, sql, binds))
        return false;
    while (q.next())
        onRow(q);
    return true;
}

bool SqliteStore::fail(const QString &what, const QString &detail, StoreError::Code code)
{
    m_error.code = code;
    m_error.message = detail.isEmpty() ? what : u"%1: %2"_s.arg(what, detail);
    return false;
}

bool SqliteStore::invalid(const QString &what)
{
    return fail(what, QString(), StoreError::Code::Sql);
}

bool SqliteStore::integrityCheck(QString *details)
{
    clearError();
    return m_dialect->integrityCheck(m_db, details);
}

// --- fleet

std::optional<VmRecord> SqliteStore::vmWhere(const QString &column, const QVariant &value)
{
    clearError();
    CachedStatement statement(*this, u"SELECT %1 FROM vms WHERE %2 = ?"_s.arg(vmColumns(), column));
    if (!statement.ok())
        return std::nullopt;
    QSqlQuery &q = statement.query();
    q.addBindValue(value);
    if (!execOrFail(q) || !q.next())
        return std::nullopt;
    return readVm(q);
}

std::optional<VmRecord> SqliteStore::vm(qint64 id)
{
    return vmWhere(u"id"_s, id);
}

std::optional<VmRecord> SqliteStore::vmByKey(const QString &resourceKey)
{
    return vmWhere(u"resource_key"_s, resourceKey.toLower());
}

QList<VmRecord> SqliteStore::vms()
{
    clearError();
    QList<VmRecord> out;
    QSqlQuery q = query();
    if (!execOrFail(q, u"SELECT %1 FROM vms ORDER BY id"_s.arg(vmColumns())))
        return out;
    while (q.next())
        out << readVm(q);
    return out;
}

qint64 SqliteStore::insertVmLocked(const VmRecord &vm, const QString &key, ManagedBy managedFloor,
                                   const QDateTime &at)
{
    VmRecord row = vm;
    row.resourceKey = key;
    if (row.name.isEmpty()) // known only by its id (an AWS instance's agent): named by it
        row.name = row.vmId.isEmpty() ? row.resourceId.section(u'/', -1) : row.vmId;
    row.managedBy = stronger(vm.managedBy, managedFloor);
    if (row.powerState != PowerState::Unknown && !row.powerStateAt.isValid())
        row.powerStateAt = at;
    if (!row.createdAt.isValid())
        row.createdAt = at;
    row.updatedAt = at;
    CachedStatement statement(
        *this,
        u"INSERT INTO vms (%1) VALUES (%2)"_s.arg(vmWriteColumns(), u"?, "_s.repeated(21) + u'?')
            + m_dialect->returningId());
    if (!statement.ok())
        return 0;
    QSqlQuery &q = statement.query();
    bindVm(q, row);
    const qint64 id = execOrFail(q) ? m_dialect->insertedId(q) : 0;
    return id > 0 && recordPowerLocked(id, row.powerState, row.powerStateAt) ? id : 0;
}

qint64 SqliteStore::upsertVmLocked(const VmRecord &vm, ManagedBy managedFloor,
                                   const std::optional<VmRecord> *known)
{
    const QString key = (vm.resourceKey.isEmpty() ? vm.resourceId : vm.resourceKey).toLower();
    if (key.isEmpty()) {
        invalid(u"a VM needs a resource key"_s);
        return 0;
    }
    const QDateTime at = now();
    const std::optional<VmRecord> existing = known != nullptr ? *known : vmByKey(key);
    if (m_error.code != StoreError::Code::None)
        return 0;
    if (!existing)
        return insertVmLocked(vm, key, managedFloor, at);
    const VmRecord row = mergedVm(*existing, vm, managedFloor, at);
    if (sameVm(row, *existing))
        return row.id; // nothing new: no write, updatedAt keeps meaning "last change"
    if (sameIdentity(row, *existing)) {
        // The common refresh (a notice or heartbeat: agent columns only) binds 6 values
        // instead of 23.
        CachedStatement statement(*this,
                                  u"UPDATE vms SET managed_by = ?, agent_last_seen = ?, "
                                  "agent_version = ?, agent_last_poll_error = ?, updated_at = ? "
                                  "WHERE id = ?"_s);
        if (!statement.ok())
            return 0;
        QSqlQuery &q = statement.query();
        q.addBindValue(toString(row.managedBy));
        q.addBindValue(millis(row.agentLastSeen));
        q.addBindValue(optText(row.agentVersion));
        q.addBindValue(optText(row.agentLastPollError));
        q.addBindValue(millis(row.updatedAt));
        q.addBindValue(row.id);
        return execOrFail(q) ? row.id : 0;
    }
    CachedStatement statement(*this,
                              u"UPDATE vms SET resource_key = ?, resource_id = ?, "
                              "subscription_id = ?, resource_group = ?, name = ?, vm_id = ?, "
                              "location = ?, zone = ?, size = ?, priority = ?, "
                              "eviction_policy = ?, tags = ?, power_state = ?, "
                              "power_state_at = ?, desired_state = ?, auto_restart = ?, "
                              "managed_by = ?, agent_last_seen = ?, agent_version = ?, "
                              "agent_last_poll_error = ?, created_at = ?, updated_at = ? "
                              "WHERE id = ?"_s);
    if (!statement.ok())
        return 0;
    QSqlQuery &q = statement.query();
    bindVm(q, row);
    q.addBindValue(row.id);
    if (!execOrFail(q))
        return 0;
    if (row.powerState != existing->powerState
        && !recordPowerLocked(row.id, row.powerState, row.powerStateAt))
        return 0;
    return row.id;
}

qint64 SqliteStore::upsertVm(const VmRecord &vm)
{
    clearError();
    WriteTransaction tx(*this);
    if (!tx.ok())
        return 0;
    const qint64 id = upsertVmLocked(vm, ManagedBy::None);
    return id > 0 && tx.commit() ? id : 0;
}

bool SqliteStore::updateVmColumns(qint64 vmId, const QString &assignments,
                                  const QVariantList &values)
{
    clearError();
    WriteTransaction tx(*this); // one statement, but writers take turns (see WriteTransaction)
    return tx.ok() && updateVmColumnsLocked(vmId, assignments, values) && tx.commit();
}

bool SqliteStore::updateVmColumnsLocked(qint64 vmId, const QString &assignments,
                                        QVariantList values)
{
    values << now().toMSecsSinceEpoch() << vmId;
    QSqlQuery q = query();
    if (!runOrFail(q, u"UPDATE vms SET %1, updated_at = ? WHERE id = ?"_s.arg(assignments), values))
        return false;
    return q.numRowsAffected() != 0 || invalid(u"no VM with id %1"_s.arg(vmId));
}

bool SqliteStore::setPowerState(qint64 vmId, PowerState state, const QDateTime &at)
{
    clearError();
    const QDateTime since = at.isValid() ? at : now();
    WriteTransaction tx(*this);
    return tx.ok()
        && updateVmColumnsLocked(vmId, u"power_state = ?, power_state_at = ?"_s,
                                 {toString(state), millis(since)})
        && recordPowerLocked(vmId, state, since) && tx.commit();
}

bool SqliteStore::recordPowerLocked(qint64 vmId, PowerState state, const QDateTime &at)
{
    if (state == PowerState::Unknown)
        return true; // not a state: the span of the last known one goes on
    qint64 atMs = (at.isValid() ? at : now()).toMSecsSinceEpoch();
    QSqlQuery q = query();
    if (!runOrFail(q,
                   u"SELECT state, started_at FROM power_history WHERE vm_id = ? AND "
                   "ended_at IS NULL ORDER BY id DESC"_s,
                   {vmId}))
        return false;
    if (q.next()) {
        if (q.value(0).toString() == toString(state))
            return true; // the same state again: its span goes on
        // A change reported out of order never makes a span end before it began.
        atMs = std::max(atMs, q.value(1).toLongLong());
    }
    q.finish();
    return runOrFail(q,
                     u"UPDATE power_history SET ended_at = ? WHERE vm_id = ? AND "
                     "ended_at IS NULL"_s,
                     {atMs, vmId})
        && runOrFail(q, u"INSERT INTO power_history (vm_id, state, started_at) VALUES (?, ?, ?)"_s,
                     {vmId, toString(state), atMs});
}

bool SqliteStore::setAutoRestart(qint64 vmId, bool enabled)
{
    return updateVmColumns(vmId, u"auto_restart = ?"_s, {enabled ? 1 : 0});
}

bool SqliteStore::setDesiredState(qint64 vmId, DesiredState state)
{
    // Whoever stopped it on purpose no longer explains a VM that should run.
    if (state == DesiredState::Running)
        return updateVmColumns(vmId,
                               u"desired_state = ?, stopped_by = NULL, stopped_operation = NULL, "
                               "stopped_at = NULL"_s,
                               {toString(state)});
    return updateVmColumns(vmId, u"desired_state = ?"_s, {toString(state)});
}

bool SqliteStore::setStoppedOnPurpose(qint64 vmId, const QString &by, const QString &operation,
                                      const QDateTime &at)
{
    return updateVmColumns(vmId,
                           u"desired_state = ?, stopped_by = ?, stopped_operation = ?, "
                           "stopped_at = ?"_s,
                           {toString(DesiredState::Stopped), by.left(256), operation.left(128),
                            millis(at.isValid() ? at : now())});
}

bool SqliteStore::setManagedBy(qint64 vmId, ManagedBy reason)
{
    return updateVmColumns(vmId, u"managed_by = ?"_s, {toString(reason)});
}

bool SqliteStore::setAgentSilent(qint64 vmId, const QDateTime &since, const EventRecord &event)
{
    clearError();
    WriteTransaction tx(*this);
    if (!tx.ok() || !updateVmColumnsLocked(vmId, u"agent_silent_since = ?"_s, {millis(since)}))
        return false;
    EventRecord withVm = event;
    if (withVm.vmId <= 0)
        withVm.vmId = vmId;
    return insertEventLocked(withVm) > 0 && tx.commit();
}

} // namespace spotkeeper::core
