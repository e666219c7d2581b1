// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/common/pgcluster.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace spotkeeper::testsupport {

namespace {

// The unprivileged account initdb and postgres run as when the test runs as root.
constexpr const char *kServiceUser = "postgres";

// The newest installed server binaries: $SPOTKEEPER_PG_BINDIR, Debian's
// /usr/lib/postgresql/<major>/bin, or initdb on PATH.
QString findBinDir()
{
    const QString fromEnv = qEnvironmentVariable("SPOTKEEPER_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return QFileInfo::exists(fromEnv + u"/initdb"_s) ? fromEnv : QString();
    QDir debian(u"/usr/lib/postgresql"_s);
    QStringList majors = debian.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(majors.begin(), majors.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &major : std::as_const(majors)) {
        const QString bin = debian.filePath(major + u"/bin"_s);
        if (QFileInfo::exists(bin + u"/initdb"_s) && QFileInfo::exists(bin + u"/postgres"_s))
            return bin;
    }
    const QString initdb = QStandardPaths::findExecutable(u"initdb"_s);
    return initdb.isEmpty() ? QString() : QFileInfo(initdb).absolutePath();
}

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool writePrivate(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate,
                   QFile::ReadOwner | QFile::WriteOwner))
        return false;
    return file.write(content) == content.size();
}

std::atomic<int> g_connection {0};

} // namespace

PgCluster::~PgCluster()
{
    stop();
}

QString PgCluster::unavailableReason()
{
    if (findBinDir().isEmpty())
        return u"no PostgreSQL server binaries (initdb, postgres) found; install them "
               "(Debian: apt-get install postgresql) or set SPOTKEEPER_PG_BINDIR"_s;
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
        return u"the Qt QPSQL driver is missing (Debian: apt-get install libqt6sql6-psql)"_s;
    if (runningAsRoot() && !::getpwnam(kServiceUser))
        return u"running as root, and initdb refuses root: a '%1' user is needed to run it "
               "(Debian's postgresql package creates it)"_s.arg(QLatin1StringView(kServiceUser));
    if (QStandardPaths::findExecutable(u"setpriv"_s).isEmpty())
        return u"setpriv (util-linux) is needed to run PostgreSQL for the tests"_s;
    return {};
}

bool PgCluster::required()
{
    return qEnvironmentVariable("CI") == u"true"_s;
}

QStringList PgCluster::runAs(const QString &program, const QStringList &arguments) const
{
    // [setpriv ...] program arguments; the parent-death signal (SIGINT: a fast shutdown)
    // stops the server when the test process dies, however it dies.
    QStringList command {QStandardPaths::findExecutable(u"setpriv"_s)};
    if (runningAsRoot()) {
        command << u"--reuid=%1"_s.arg(QLatin1StringView(kServiceUser))
                << u"--regid=%1"_s.arg(QLatin1StringView(kServiceUser)) << u"--init-groups"_s;
    }
    command << u"--pdeathsig=INT"_s << m_binDir + u'/' + program << arguments;
    return command;
}

bool PgCluster::start(QString *error)
{
    const QString reason = unavailableReason();
    if (!reason.isEmpty()) {
        *error = reason;
        return false;
    }
    m_binDir = findBinDir();
    // A free port is found by binding 127.0.0.1:0 and letting it go: another process may
    // take it meanwhile, so a failed start is retried on a new port.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (startOnce(error))
            return true;
        stop();
    }
    return false;
}

bool PgCluster::startOnce(QString *error)
{
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/spotkeeper-pg-XXXXXX"_s);
    if (!m_dir->isValid()) {
        *error = u"cannot create a temporary folder for the cluster"_s;
        return false;
    }
    const QString root = m_dir->path();
    if (runningAsRoot()) {
        const passwd *user = ::getpwnam(kServiceUser);
        if (!user
            || ::chown(QFile::encodeName(root).constData(), user->pw_uid, user->pw_gid) != 0) {
            *error = u"cannot hand %1 to the %2 user"_s.arg(root, QLatin1StringView(kServiceUser));
            return false;
        }
    }
    m_password = QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::number(QRandomGenerator::system()->generate64()),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(32));
    // The client's copy, owned by whoever runs the test, in a folder of its own.
    const QString clientDir = root + u"/client"_s;
    if (!QDir().mkdir(clientDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)
        || !writePrivate(clientDir + u"/password"_s, m_password.toLatin1())) {
        *error = u"cannot write the cluster's password file"_s;
        return false;
    }
    // initdb reads its copy as the service user: a file that user owns, removed after.
    const QString initPassword = root + u"/initdb-password"_s;
    if (!writePrivate(initPassword, m_password.toLatin1())) {
        *error = u"cannot write the initdb password file"_s;
        return false;
    }
    if (runningAsRoot()) {
        const passwd *user = ::getpwnam(kServiceUser);
        if (::chown(QFile::encodeName(initPassword).constData(), user->pw_uid, user->pw_gid) != 0) {
            *error = u"cannot hand the initdb password file to %1"_s.arg(
                QLatin1StringView(kServiceUser));
            return false;
        }
    }

    QStringList initdb =
        runAs(u"initdb"_s,
              {u"-D"_s, root + u"/data"_s, u"-U"_s, superUser(), u"--pwfile="_s + initPassword,
               u"--auth-local=trust"_s, u"--auth-host=scram-sha-256"_s, u"--no-sync"_s,
               u"--locale=C"_s, u"-E"_s, u"UTF8"_s});
    QProcess init;
    init.setWorkingDirectory(root);
    init.setProcessChannelMode(QProcess::MergedChannels);
    init.start(initdb.takeFirst(), initdb);
    if (!init.waitForFinished(120000) || init.exitStatus() != QProcess::NormalExit
        || init.exitCode() != 0) {
        *error = u"initdb failed: "_s + QString::fromLocal8Bit(init.readAll()).right(2000);
        return false;
    }
    QFile::remove(initPassword);

    m_port = freePort();
    if (m_port == 0) {
        *error = u"no free port on 127.0.0.1"_s;
        return false;
    }
    return launch(error);
}

bool PgCluster::launch(QString *error)
{
    const QString root = m_dir->path();
    // fsync off: a test cluster need not survive a power cut, and the tests run faster.
    QStringList server = runAs(
        u"postgres"_s,
        {u"-D"_s, root + u"/data"_s, u"-p"_s, QString::number(m_port), u"-c"_s,
         u"listen_addresses=127.0.0.1"_s, u"-c"_s, u"unix_socket_directories="_s + root, u"-c"_s,
         u"fsync=off"_s, u"-c"_s, u"full_page_writes=off"_s, u"-c"_s, u"shared_buffers=16MB"_s,
         u"-c"_s, u"max_connections=100"_s, u"-c"_s, u"log_min_messages=warning"_s});
    for (const QString &setting : std::as_const(m_settings))
        server << u"-c"_s << setting; // later settings win
    m_server.setWorkingDirectory(root);
    m_server.setStandardOutputFile(root + u"/client/server.log"_s, QIODevice::Append);
    m_server.setProcessChannelMode(QProcess::MergedChannels);
    m_server.start(server.takeFirst(), server);
    if (!m_server.waitForStarted(10000)) {
        *error = u"cannot start postgres: "_s + m_server.errorString();
        return false;
    }
    // Ready when line 8 of postmaster.pid says so (PostgreSQL >= 10).
    const QString pidFile = root + u"/data/postmaster.pid"_s;
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (m_server.state() != QProcess::Running)
            break;
        QFile pid(pidFile);
        if (pid.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> lines = pid.readAll().split('\n');
            if (lines.size() > 7 && lines.at(7).trimmed() == "ready")
                return true;
        }
        QThread::msleep(20);
    }
    QFile log(root + u"/client/server.log"_s);
    log.open(QIODevice::ReadOnly);
    *error = u"postgres did not become ready on port %1: %2"_s.arg(m_port).arg(
        QString::fromLocal8Bit(log.readAll()).right(2000));
    return false;
}

void PgCluster::stop()
{
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(u"pgcluster-"_s))
            QSqlDatabase::removeDatabase(name);
    }
    stopServer();
    m_databases.clear();
    m_dir.reset();
}

bool PgCluster::stopServer()
{
    if (m_server.state() == QProcess::NotRunning)
        return false;
    ::kill(pid_t(m_server.processId()), SIGINT); // fast shutdown: clients are disconnected
    if (!m_server.waitForFinished(30000)) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
    return true;
}

bool PgCluster::startServer(QString *error)
{
    if (!m_dir || m_port == 0) {
        *error = u"the cluster was never started"_s;
        return false;
    }
    if (isRunning())
        return true;
    return launch(error);
}

bool PgCluster::isRunning() const
{
    return m_server.state() == QProcess::Running;
}

QString PgCluster::passwordFile() const
{
    return m_dir ? m_dir->path() + u"/client/password"_s : QString();
}

bool PgCluster::usePgPassFile(QString *error)
{
    if (!m_dir) {
        *error = u"the cluster is not started"_s;
        return false;
    }
    const QString path = m_dir->path() + u"/client/pgpass"_s;
    if (!writePrivate(path,
                      "127.0.0.1:" + QByteArray::number(m_port) + ":*:" + superUser().toUtf8() + ':'
                          + m_password.toLatin1() + '\n')) {
        *error = u"cannot write "_s + path;
        return false;
    }
    qputenv("PGPASSFILE", QFile::encodeName(path));
    return true;
}

QString PgCluster::url(const QString &database) const
{
    return u"postgresql://%1@127.0.0.1:%2/%3"_s.arg(superUser()).arg(m_port).arg(database);
}

QString PgCluster::exec(const QString &database, const QString &sql)
{
    const QString name = u"pgcluster-%1"_s.arg(++g_connection);
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(u"127.0.0.1"_s);
        db.setPort(m_port);
        db.setDatabaseName(database);
        db.setUserName(superUser());
        db.setPassword(m_password);
        if (!db.open()) {
            result = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(sql))
                result = q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

bool PgCluster::createDatabase(const QString &database, QString *error)
{
    if (m_databases.contains(database))
        return true;
    const QString problem = exec(u"postgres"_s, u"CREATE DATABASE \"%1\""_s.arg(database));
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    m_databases.insert(database);
    return true;
}

// --- StoreBackend

namespace {

std::unique_ptr<PgCluster> &sharedCluster()
{
    static std::unique_ptr<PgCluster> cluster;
    return cluster;
}

} // namespace

bool StoreBackend::postgres()
{
    return qEnvironmentVariable("SPOTKEEPER_TEST_STORE") == u"postgresql"_s;
}

bool StoreBackend::init(QString *reason)
{
    if (!postgres() || sharedCluster())
        return true;
    auto cluster = std::make_unique<PgCluster>();
    if (!cluster->start(reason))
        return false;
    sharedCluster() = std::move(cluster);
    return true;
}

void StoreBackend::cleanup()
{
    sharedCluster().reset();
}

PgCluster *StoreBackend::cluster()
{
    return sharedCluster().get();
}

QString StoreBackend::location(const QString &sqliteDir, const QString &name)
{
    if (!postgres())
        return QDir(sqliteDir).filePath(name);
    PgCluster *pg = cluster();
    if (!pg)
        return {};
    // One database per (test case, data row, name); identifiers stay under 63 bytes.
    const QByteArray key = QByteArray(QTest::currentTestFunction()) + '/'
        + (QTest::currentDataTag() ? QTest::currentDataTag() : "") + '/' + name.toUtf8();
    const QString database =
        u"t_"_s
        + QString::fromLatin1(
            QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(24));
    QString error;
    if (!pg->createDatabase(database, &error))
        qWarning("cannot create test database %s: %s", qPrintable(database), qPrintable(error));
    return pg->url(database);
}

QString StoreBackend::passwordFile()
{
    return postgres() && cluster() ? cluster()->passwordFile() : QString();
}

} // namespace spotkeeper::testsupport
