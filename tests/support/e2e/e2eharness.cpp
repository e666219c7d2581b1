// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/e2e/e2eharness.h"

#include "support/common/fixtures.h"
#include "support/common/pgcluster.h"
#include "support/http/testhttpclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTcpServer>
#include <QThread>

#include <csignal>

using namespace Qt::StringLiterals;

namespace spotkeeper::e2e {

namespace {

const char *const kSim = "app/sim/spotkeeper-sim";
const char *const kDaemon = "app/headless/spotkeeperd";
const char *const kAgent = "agent/spotkeeper-agent";

QString bin(const char *relative)
{
    // Benchmarks compare daemons: SPOTKEEPER_E2E_DAEMON names another spotkeeperd (e.g. one
    // built from an older commit) to run against this build's simulator.
    if (relative == kDaemon && qEnvironmentVariableIsSet("SPOTKEEPER_E2E_DAEMON"))
        return qEnvironmentVariable("SPOTKEEPER_E2E_DAEMON");
    return QStringLiteral(SPOTKEEPER_BINARY_DIR) + u'/' + QLatin1StringView(relative);
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

E2eRig::E2eRig() = default;

bool E2eRig::useReplicaDatabase(testsupport::PgCluster &cluster, const QString &database,
                                QString *error)
{
    if (!cluster.createDatabase(database, error))
        return false;
    setStoreLocation(cluster.url(database));
    setEngineOptions(QStringLiteral("lease_seconds = 10"));
    return true;
}

E2eRig::~E2eRig()
{
    // A child that died before teardown (a sanitizer report, a crash) explains a failure:
    // show the end of its log, which lives in the temporary directory about to go.
    const auto report = [this](const std::unique_ptr<QProcess> &p, const QString &log) {
        if (!p || p->state() == QProcess::Running)
            return;
        QFile file(m_dir.filePath(log));
        if (file.open(QIODevice::ReadOnly)) {
            const QByteArray text = file.readAll().right(4000);
            if (p->exitStatus() == QProcess::CrashExit || p->exitCode() != 0)
                qWarning().noquote() << log << "(exit" << p->exitCode() << "):\n"
                                     << QString::fromUtf8(text);
        }
    };
    report(m_sim, u"sim.log"_s);
    report(m_daemon, u"daemon.log"_s);
    for (auto &agent : m_agents)
        agent->kill();
    for (auto &replica : m_replicas) {
        if (replica) {
            replica->kill();
            replica->waitForFinished(5000);
        }
    }
    if (m_daemon)
        m_daemon->kill();
    if (m_daemon2)
        m_daemon2->kill();
    if (m_sim)
        m_sim->kill();
    for (auto &agent : m_agents)
        agent->waitForFinished(5000);
    if (m_daemon)
        m_daemon->waitForFinished(5000);
    if (m_daemon2)
        m_daemon2->waitForFinished(5000);
    if (m_sim)
        m_sim->waitForFinished(5000);
}

QString E2eRig::missingBinaries()
{
    QStringList missing;
    for (const char *b : {kSim, kDaemon, kAgent})
        if (!QFileInfo::exists(bin(b)))
            missing << QLatin1StringView(b);
    return missing.isEmpty() ? QString()
                             : u"not built: "_s + missing.join(u", "_s)
            + u" (build targets spotkeeper-sim spotkeeperd spotkeeper-agent)"_s;
}

bool E2eRig::startSim(int fleet, int simAgents, double speed, const QStringList &extra,
                      QString *error)
{
    m_daemonPort = freePort();
    m_sim = std::make_unique<QProcess>();
    m_sim->setProcessChannelMode(QProcess::SeparateChannels);
    m_sim->setStandardErrorFile(m_dir.filePath(u"sim.log"_s));
    QStringList args {u"--fleet"_s,
                      QString::number(fleet),
                      u"--agents"_s,
                      QString::number(simAgents),
                      u"--speed"_s,
                      QString::number(speed),
                      u"--print-endpoints"_s,
                      u"--provision-store"_s,
                      storePath(),
                      u"--dashboard-url"_s,
                      u"http://127.0.0.1:%1"_s.arg(m_daemonPort),
                      u"--client-secret-out"_s,
                      m_dir.filePath(u"client-secret"_s),
                      u"--start-retry-after"_s,
                      u"2"_s,
                      u"--poll-retry-after"_s,
                      u"1"_s,
                      u"--exit-with-parent"_s}; // a crashed test leaves no simulator behind
    if (!m_replicaPorts.isEmpty()) {
        // A round-robin client: every simulated agent sends to each replica in turn.
        const qsizetype at = args.indexOf(u"--dashboard-url"_s);
        args.remove(at, 2);
        for (quint16 port : std::as_const(m_replicaPorts))
            args << u"--dashboard-url"_s << u"http://127.0.0.1:%1"_s.arg(port);
    }
    args << extra;
    m_sim->start(bin(kSim), args);
    if (!m_sim->waitForStarted(10'000)) {
        *error = u"spotkeeper-sim did not start: "_s + m_sim->errorString();
        return false;
    }
    QByteArray out;
    QDeadlineTimer deadline(60'000);
    while (!out.contains("SPOTKEEPER_SIM_READY=1") && !deadline.hasExpired()) {
        if (!m_sim->waitForReadyRead(500) && m_sim->state() != QProcess::Running)
            break;
        out += m_sim->readAllStandardOutput();
    }
    if (!out.contains("SPOTKEEPER_SIM_READY=1")) {
        QFile log(m_dir.filePath(u"sim.log"_s));
        log.open(QIODevice::ReadOnly);
        *error = u"spotkeeper-sim not ready: "_s + QString::fromUtf8(log.readAll().left(2000));
        return false;
    }
    for (const QByteArray &line : out.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        const QString key = QString::fromLatin1(line.left(eq));
        const QString value = QString::fromLatin1(line.mid(eq + 1)).trimmed();
        if (key == "SPOTKEEPER_SIM_URL"_L1)
            m_simUrl = value;
        else if (key == "AZURE_TENANT_ID"_L1)
            m_tenant = value;
        else if (key == "AZURE_CLIENT_ID"_L1)
            m_clientId = value;
        else if (key == "SPOTKEEPER_SIM_SUBSCRIPTIONS"_L1)
            m_subscription = value;
    }
    return !m_simUrl.isEmpty();
}

QString E2eRig::writeConfig(int reconcileSeconds, quint16 port, const QString &name)
{
    QString path = m_dir.filePath(name + u".conf"_s);
    QFile file(path);
    file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    const QString text =
        u"[listen]\naddress = 127.0.0.1\nport = %1\n[store]\npath = %2\n[azure]\n"
        "cloud = AzureCloud\narm_endpoint = %3/\nauthority_host = %3/\nimds_endpoint = "
        "%3/imds/no-managed-identity\naz_program = /nonexistent/az\nsubscriptions = %4\n"
        "tenant_id = %5\nclient_id = %6\nclient_secret_file = %7\n[engine]\n"
        "reconcile_seconds = %8\nbackoff_base_seconds = 2\nbackoff_cap_seconds = 20\n%9"
        "[log]\nlevel = info\n"_s.arg(
            QString::number(port), storePath(), m_simUrl, m_subscription, m_tenant, m_clientId,
            m_dir.filePath(u"client-secret"_s), QString::number(reconcileSeconds),
            m_engineOptions.isEmpty() ? QString() : m_engineOptions + u'\n');
    file.write(text.toUtf8());
    if (!m_gcpProject.isEmpty())
        file.write(
            u"[gcp]\ncredentials_file = %1\ntoken_uri = %2/gcp/token\n"
            "compute_endpoint = %2/compute/v1/\nlogging_endpoint = %2/logging/v2/\nprojects = %3\n"_s
                .arg(testsupport::testDataPath(u"gcp/test-service-account.json"_s), m_simUrl,
                     m_gcpProject)
                .toUtf8());
    file.write(m_extraConfig.toUtf8());
    if (!m_awsAccount.isEmpty())
        file.write(
            u"[aws]\nregions = %1\naccount_id = %2\nec2_endpoint = %3/aws/\n"
            "cloudtrail_endpoint = %3/aws/\nsts_endpoint = %3/aws/\ninstance_role = false\n%4"_s
                .arg(m_awsRegion, m_awsAccount, m_simUrl,
                     m_awsLines.isEmpty() ? QString() : m_awsLines + u'\n')
                .toUtf8());
    return path;
}

bool E2eRig::startDaemon(QString *error, int reconcileSeconds)
{
    if (!launchDaemon(m_daemon, m_daemonPort, u"daemon"_s, reconcileSeconds, error))
        return false;
    ++m_daemonStarts;
    return true;
}

bool E2eRig::startSecondDaemon(QString *error, int reconcileSeconds)
{
    return launchDaemon(m_daemon2, freePort(), u"daemon2"_s, reconcileSeconds, error);
}

bool E2eRig::launchDaemon(std::unique_ptr<QProcess> &process, quint16 port, const QString &name,
                          int reconcileSeconds, QString *error)
{
    const QString config = writeConfig(reconcileSeconds, port, name);
    const QString log = m_dir.filePath(name + u".log"_s);
    process = std::make_unique<QProcess>();
    process->setStandardOutputFile(log, QIODevice::Append);
    process->setStandardErrorFile(log, QIODevice::Append);
    if (!m_awsAccount.isEmpty()) {
        // The simulator's keys (ServerOptions), and nothing of the user's AWS setup.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QStringList variables = env.keys();
        for (const QString &variable : variables) {
            if (variable.startsWith(u"AWS_"_s))
                env.remove(variable);
        }
        env.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIASIMULATOR0000001"_s);
        env.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"sim-aws-secret-access-key"_s);
        env.insert(u"AWS_EC2_METADATA_DISABLED"_s, u"true"_s);
        env.insert(u"HOME"_s, m_dir.path());
        process->setProcessEnvironment(env);
    }
    process->start(bin(kDaemon), {u"--config"_s, config, u"run"_s});
    if (!process->waitForStarted(10'000)) {
        *error = u"spotkeeperd did not start: "_s + process->errorString();
        return false;
    }
    testsupport::TestHttpClient http(2000);
    const QUrl health(u"http://127.0.0.1:%1/healthz"_s.arg(port));
    QProcess *p = process.get();
    const bool up = waitFor(
        [&] { return p->state() == QProcess::Running && http.get(health).status == 200; }, 30'000);
    if (!up) {
        QFile file(log);
        file.open(QIODevice::ReadOnly);
        *error = u"spotkeeperd not healthy: "_s + QString::fromUtf8(file.readAll().right(2000));
    }
    return up;
}

void E2eRig::setReplicaCount(int count)
{
    m_replicaPorts.clear();
    m_replicas.clear();
    for (int i = 0; i < count; ++i)
        m_replicaPorts << freePort();
    m_replicas.resize(size_t(count));
}

bool E2eRig::startReplica(int index, QString *error, int reconcileSeconds)
{
    if (index < 0 || index >= m_replicaPorts.size()) {
        *error = u"no replica %1 (setReplicaCount first)"_s.arg(index);
        return false;
    }
    return launchDaemon(m_replicas[size_t(index)], m_replicaPorts.at(index),
                        u"replica%1"_s.arg(index), reconcileSeconds, error);
}

void E2eRig::killReplica(int index)
{
    QProcess *p =
        index >= 0 && size_t(index) < m_replicas.size() ? m_replicas[size_t(index)].get() : nullptr;
    if (p == nullptr || p->state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(p->processId()), SIGKILL);
    p->waitForFinished(10'000);
}

QString E2eRig::replicaLog(int index) const
{
    QFile file(m_dir.filePath(u"replica%1.log"_s.arg(index)));
    file.open(QIODevice::ReadOnly);
    return QString::fromUtf8(file.readAll());
}

QString E2eRig::keepFiles()
{
    m_dir.setAutoRemove(false);
    return m_dir.path();
}

void E2eRig::killDaemon()
{
    if (!m_daemon)
        return;
    ::kill(pid_t(m_daemon->processId()), SIGKILL);
    m_daemon->waitForFinished(10'000);
}

int E2eRig::runCli(const QStringList &args, QString *output)
{
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    cli.start(bin(kDaemon), QStringList {u"--config"_s, m_dir.filePath(u"daemon.conf"_s)} + args);
    const bool done = cli.waitForFinished(150'000);
    *output = QString::fromUtf8(cli.readAll());
    return done && cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
}

QString E2eRig::resourceIdOf(const QString &vmName) const
{
    return u"/subscriptions/%1/resourceGroups/sim-rg/providers/Microsoft.Compute/virtualMachines/%2"_s
        .arg(m_subscription, vmName);
}

bool E2eRig::startRealAgent(const QString &vmName, QString *error, const QString &vmResourceId,
                            const QStringList &extraArgs)
{
    const QString resourceId = !vmResourceId.isEmpty()
        ? vmResourceId
        : u"/subscriptions/%1/resourceGroups/sim-rg/providers/Microsoft.Compute/"
          "virtualMachines/%2"_s.arg(m_subscription, vmName);
    return launchAgent(vmName, resourceId,
                       QStringList {u"--imds-url"_s, m_simUrl + u"/imds/"_s + vmName,
                                    u"--poll-interval"_s, u"1s"_s, u"--first-poll-timeout"_s,
                                    u"10s"_s}
                           + extraArgs,
                       error);
}

QStringList E2eRig::appProbeArgs(const QString &vmName) const
{
    return {u"--health-url"_s,      m_simUrl + u"/app/"_s + vmName + u"/health"_s,
            u"--health-interval"_s, u"2s"_s,
            u"--health-timeout"_s,  u"1500ms"_s};
}

bool E2eRig::startRealGcpAgent(const QString &vmName, const QString &project, const QString &zone,
                               QString *error)
{
    return launchAgent(vmName, u"projects/%1/zones/%2/instances/%3"_s.arg(project, zone, vmName),
                       {u"--cloud"_s, u"gcp"_s, u"--imds-url"_s, m_simUrl + u"/gce/"_s + vmName},
                       error);
}

QString E2eRig::arnOf(const QString &vmName)
{
    const QJsonArray vms = state().value("vms"_L1).toArray();
    for (const QJsonValue vm : vms) {
        if (vm.toObject().value("name"_L1).toString() == vmName)
            return vm.toObject().value("resourceId"_L1).toString();
    }
    return {};
}

bool E2eRig::startRealAwsAgent(const QString &vmName, QString *error)
{
    const QString arn = arnOf(vmName);
    if (!arn.startsWith("arn:"_L1)) {
        *error = u"the simulator has no AWS instance "_s + vmName;
        return false;
    }
    return launchAgent(
        vmName, arn, {u"--cloud"_s, u"aws"_s, u"--imds-url"_s, m_simUrl + u"/aws-imds/"_s + vmName},
        error);
}

void E2eRig::stopAgents()
{
    for (auto &agent : m_agents)
        agent->kill();
    for (auto &agent : m_agents)
        agent->waitForFinished(5000);
    m_agents.clear();
}

QString E2eRig::writeGcpScenario(int gcpVms, const QString &project, const QString &zone)
{
    QString path = m_dir.filePath(u"gcp-scenario.json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(uR"({"name":"gcp","speed":1,"fleet":[
        {"count":1,"namePrefix":"az-","subscription":"6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
         "resourceGroup":"sim-rg","location":"westeurope"},
        {"count":%1,"namePrefix":"gce-","project":"%2","location":"%3",
         "tags":{"spotkeeper:auto-restart":"true"}}]})"_s
                   .arg(QString::number(gcpVms), project, zone)
                   .toUtf8());
    return path;
}

QString E2eRig::awsName(int n)
{
    return u"ec2-"_s + QString::number(n).rightJustified(3, u'0');
}

QString E2eRig::writeAwsScenario(const QStringList &behaviours, const QString &account,
                                 const QString &region)
{
    QStringList groups;
    for (qsizetype i = 0; i < behaviours.size(); ++i)
        groups += uR"({"count":1,"name":"%1","account":"%2","location":"%3","size":"m5.large",
         "interruptionBehavior":"%4"})"_s.arg(awsName(int(i + 1)), account, region,
                                              behaviours.at(i));
    return writeAwsScenario(groups.join(u','));
}

QString E2eRig::writeAwsScenario(const QString &awsGroups)
{
    QString path = m_dir.filePath(u"aws-scenario.json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    // Short AWS timings: an interrupted instance is stopped in 10 s and EC2 restarts it 40 s
    // after capacity returned (long enough for two reconciler sweeps to see it down).
    file.write(uR"({"name":"aws","speed":1,
        "timings":{"deallocating":"10s","deleting":"10s","starting":"10s","awsRestart":"40s"},
        "fleet":[
        {"count":1,"namePrefix":"az-","subscription":"6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
         "resourceGroup":"sim-rg","location":"westeurope"},%1]})"_s.arg(awsGroups)
                   .toUtf8());
    return path;
}

bool E2eRig::launchAgent(const QString &vmName, const QString &resourceId, const QStringList &args,
                         QString *error)
{
    const QString keyFile = m_dir.filePath(vmName + u".key"_s);
    QProcess keys;
    keys.start(bin(kDaemon),
               {u"--store"_s, storePath(), u"keys"_s, u"generate"_s, u"--vm"_s, resourceId,
                u"--out"_s, keyFile});
    if (!keys.waitForFinished(30'000) || keys.exitCode() != 0) {
        *error = u"keys generate failed: "_s + QString::fromUtf8(keys.readAllStandardError());
        return false;
    }
    auto agent = std::make_unique<QProcess>();
    agent->setStandardOutputFile(m_dir.filePath(vmName + u".log"_s));
    agent->setStandardErrorFile(m_dir.filePath(vmName + u".log"_s));
    agent->start(bin(kAgent),
                 QStringList {u"--dashboard-url"_s, u"http://127.0.0.1:%1"_s.arg(m_daemonPort),
                              u"--key-file"_s, keyFile, u"--heartbeat-interval"_s, u"30s"_s,
                              u"--spool-dir"_s, m_dir.filePath(vmName + u"-spool"_s)}
                     + args);
    if (!agent->waitForStarted(10'000)) {
        *error = u"spotkeeper-agent did not start: "_s + agent->errorString();
        return false;
    }
    m_agents.push_back(std::move(agent));
    return true;
}

QJsonObject E2eRig::control(const QByteArray &route, const QByteArray &body)
{
    testsupport::TestHttpClient http(20'000);
    const QUrl url(m_simUrl + u"/control/"_s + QString::fromLatin1(route));
    const auto reply = body.isEmpty() && (route == "state" || route == "records")
        ? http.get(url)
        : http.post(url, body.isEmpty() ? QByteArrayLiteral("{}") : body);
    return reply.json().object();
}

std::unique_ptr<core::Store> E2eRig::openStore() const
{
    core::StoreError error;
    return core::Store::open(core::StoreOptions {storePath(), false, 10'000, nullptr}, &error);
}

bool E2eRig::waitFor(const std::function<bool()> &cond, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (cond())
            return true;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(250);
    }
    return cond();
}

QString E2eRig::secondDaemonLog() const
{
    QFile file(m_dir.filePath(u"daemon2.log"_s));
    file.open(QIODevice::ReadOnly);
    return QString::fromUtf8(file.readAll());
}

QString E2eRig::daemonLog() const
{
    QFile file(m_dir.filePath(u"daemon.log"_s));
    file.open(QIODevice::ReadOnly);
    return QString::fromUtf8(file.readAll());
}

} // namespace spotkeeper::e2e
