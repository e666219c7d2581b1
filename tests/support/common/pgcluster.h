// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QSet>
#include <QString>
#include <QTemporaryDir>

#include <memory>

// A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder, one `postgres`
// listening on 127.0.0.1 (a free port) and on a socket inside that folder only, stopped and
// removed by the destructor. No system service is used or touched. initdb and postgres
// refuse to run as root: as root (CI) they run as the unprivileged `postgres` user (from the
// Debian package) through setpriv, in a folder that user owns; as anyone else, as that user.
// The server dies with the test process (parent-death signal), so a crashed test leaves none.
// Start one per test binary (initTestCase), not one per test case.
namespace spotkeeper::testsupport {

class PgCluster
{
public:
    PgCluster() = default;
    ~PgCluster();
    Q_DISABLE_COPY_MOVE(PgCluster)

    // Why a PostgreSQL test cannot run here ("" = it can): no initdb/postgres (Debian:
    // postgresql), no Qt QPSQL driver (libqt6sql6-psql), or root without a postgres user.
    static QString unavailableReason();
    // True where a missing PostgreSQL must fail a test instead of skipping it (CI=true).
    static bool required();

    // A postgres setting (-c key=value) over the test defaults (fsync off, ...); before start().
    void setServerSetting(const QString &key, const QString &value)
    {
        m_settings << key + QLatin1Char('=') + value;
    }
    bool start(QString *error);
    void stop();
    bool isRunning() const;
    // An outage or a restart of the database server: stopServer() shuts the server down
    // (fast: its clients are disconnected) and keeps the data; startServer() brings it back
    // on the same port. False when there was nothing to stop / it cannot start.
    bool stopServer();
    bool startServer(QString *error);

    quint16 port() const { return m_port; }
    QString superUser() const { return QStringLiteral("spotkeeper"); }
    // A 0600 file with the superuser's password, owned by the test's own user.
    QString passwordFile() const;
    // Writes a libpq password file (0600) for this cluster and points PGPASSFILE in this
    // process's environment at it, so every child process (spotkeeperd, the simulator) finds
    // the password the standard way.
    bool usePgPassFile(QString *error);
    // postgresql://spotkeeper@127.0.0.1:PORT/<database>
    QString url(const QString &database) const;
    // CREATE DATABASE (once per name); false + error on failure.
    bool createDatabase(const QString &database, QString *error);
    // Runs one statement on <database> as the superuser; "" on success, else the error.
    QString exec(const QString &database, const QString &sql);

private:
    bool startOnce(QString *error);
    bool launch(QString *error); // starts postgres on m_port over m_dir, waits until ready
    QStringList runAs(const QString &program, const QStringList &arguments) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_binDir;
    QProcess m_server;
    quint16 m_port = 0;
    QString m_password;
    QSet<QString> m_databases;
    QStringList m_settings; // setServerSetting()
};

// A store test run against SQLite (default) or PostgreSQL (SPOTKEEPER_TEST_STORE=postgresql:
// CTest runs every store test binary a second time that way). One cluster per process; each
// test case gets its own databases.
class StoreBackend
{
public:
    static bool postgres();
    // initTestCase: starts the cluster when needed. False + reason when it cannot (use
    // SPOTKEEPER_STORE_BACKEND_INIT, which fails in CI and skips elsewhere).
    static bool init(QString *reason);
    static void cleanup();
    // The store location for `name` in this test case: sqliteDir/name on SQLite, a database
    // of its own (created on first use) on PostgreSQL.
    static QString location(const QString &sqliteDir, const QString &name);
    // Extra options a PostgreSQL store needs (the password file); nothing on SQLite.
    static QString passwordFile();
    static PgCluster *cluster();
};

} // namespace spotkeeper::testsupport

// In initTestCase(): start the backend, or fail (CI) / skip (elsewhere) with the reason.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): QFAIL/QSKIP must return from the test function
#define SPOTKEEPER_STORE_BACKEND_INIT()                                                            \
    do {                                                                                           \
        QString backendReason_;                                                                    \
        if (!spotkeeper::testsupport::StoreBackend::init(&backendReason_)) {                       \
            if (spotkeeper::testsupport::PgCluster::required())                                    \
                QFAIL(qPrintable(u"PostgreSQL tests cannot run (CI=true): "_s + backendReason_));  \
            QSKIP(qPrintable(u"PostgreSQL tests skipped: "_s + backendReason_));                   \
        }                                                                                          \
    } while (false)

// In initTestCase() of a test that needs PostgreSQL: start `cluster` (a PgCluster), or fail
// (CI=true) / skip (elsewhere) with the reason.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): QFAIL/QSKIP must return from the test function
#define SPOTKEEPER_PG_CLUSTER_START(cluster)                                                       \
    do {                                                                                           \
        QString pgReason_ = spotkeeper::testsupport::PgCluster::unavailableReason();               \
        if (pgReason_.isEmpty() && !(cluster).start(&pgReason_))                                   \
            QFAIL(qPrintable(u"cannot start PostgreSQL: "_s + pgReason_));                         \
        if (!pgReason_.isEmpty()) {                                                                \
            if (spotkeeper::testsupport::PgCluster::required())                                    \
                QFAIL(qPrintable(u"PostgreSQL tests cannot run (CI=true): "_s + pgReason_));       \
            QSKIP(qPrintable(u"PostgreSQL tests skipped: "_s + pgReason_));                        \
        }                                                                                          \
    } while (false)

// In a SQLite-only test case: skip it on the PostgreSQL run, saying why.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): QFAIL/QSKIP must return from the test function
#define SPOTKEEPER_SQLITE_ONLY(why)                                                                \
    do {                                                                                           \
        if (spotkeeper::testsupport::StoreBackend::postgres())                                     \
            QSKIP(why);                                                                            \
    } while (false)
