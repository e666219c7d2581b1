// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <vector>

// Real processes for the end-to-end tests: spotkeeper-sim (with simulated agents),
// spotkeeperd against it, and real spotkeeper-agent processes polling the simulator's
// per-VM IMDS. Everything on 127.0.0.1, in a temporary directory, torn down (SIGKILL)
// by the destructor. Checks read the simulator's /control routes and the store.
namespace spotkeeper::testsupport {
class PgCluster;
} // namespace spotkeeper::testsupport

namespace spotkeeper::e2e {

class E2eRig
{
public:
    E2eRig();
    ~E2eRig();
    Q_DISABLE_COPY_MOVE(E2eRig)

    // Empty when the three executables are built; else what is missing (tests QSKIP).
    static QString missingBinaries();

    // spotkeeper-sim --fleet N --agents M --speed S ... with keys provisioned in the
    // daemon's store and agents aimed at the daemon's (pre-chosen) port.
    bool startSim(int fleet, int simAgents, double speed, const QStringList &extra, QString *error);
    bool startDaemon(QString *error, int reconcileSeconds = 10);
    // The daemons get a [gcp] section: the test service-account key (tests/data/gcp), the
    // simulator's token endpoint and Compute API, and this project to reconcile.
    void enableGcp(const QString &project) { m_gcpProject = project; }
    // The daemons get an [aws] section: the simulator's /aws/ as the EC2 and CloudTrail
    // endpoints, this account and region, and extra "key = value" lines (replace_terminated,
    // ...); their environment carries the simulator's AWS keys (nothing else of the user's:
    // HOME is the rig's folder, IMDS is off).
    void enableAws(const QString &account, const QString &region, const QString &lines = {})
    {
        m_awsAccount = account;
        m_awsRegion = region;
        m_awsLines = lines;
    }
    // Extra "key = value" lines for the daemons' [engine] section (benchmarks).
    void setEngineOptions(const QString &lines) { m_engineOptions = lines; }
    // Extra sections for the daemons' configuration, appended as written ([notify], ...).
    void setExtraConfig(const QString &sections) { m_extraConfig = sections; }
    void killDaemon(); // SIGKILL, then wait for the process to be gone
    // A second spotkeeperd on the same store (its own port and log, no agents aimed at it).
    bool startSecondDaemon(QString *error, int reconcileSeconds = 10);
    QString secondDaemonLog() const;
    // Replicas on one store (PostgreSQL): set the count before startSim; the simulated agents
    // then send to every replica in turn (a round-robin client). Each replica keeps its port
    // across restarts; its log is replica<index>.log.
    void setReplicaCount(int count);
    bool startReplica(int index, QString *error, int reconcileSeconds = 10);
    void killReplica(int index); // SIGKILL, then wait for the process to be gone
    QString replicaLog(int index) const;
    // Keeps the rig's folder (logs, configs, spools) after the test and returns its path:
    // for a failed run, to be read afterwards.
    QString keepFiles();
    // resourceId: the VM's ARM id when it is not sim-rg's virtualMachines/{vmName} (a scale set
    // instance: .../virtualMachineScaleSets/{ss}/virtualMachines/{id}, vmName "{ss}_{id}").
    // extraArgs: more agent options (appProbeArgs).
    bool startRealAgent(const QString &vmName, QString *error, const QString &resourceId = {},
                        const QStringList &extraArgs = {});
    // Agent options for a health probe of the simulator's application of vmName
    // (GET /app/{vmName}/health) every 2 seconds.
    QStringList appProbeArgs(const QString &vmName) const;
    // A real `spotkeeper-agent --cloud gcp` for the simulator's Google Cloud VM vmName (a
    // scenario group with "project"), watching its metadata server under /gce/{vmName}; its
    // key is bound to projects/{project}/zones/{zone}/instances/{vmName}.
    bool startRealGcpAgent(const QString &vmName, const QString &project, const QString &zone,
                           QString *error);
    // A real `spotkeeper-agent --cloud aws` for the simulator's AWS instance vmName (a
    // scenario group with "account"), watching its IMDSv2 under /aws-imds/{vmName}; its key is
    // bound to the instance's ARN as the simulator reports it (arnOf).
    bool startRealAwsAgent(const QString &vmName, QString *error);
    // The ARN of the simulator's AWS instance vmName (its state's resourceId); empty if none.
    QString arnOf(const QString &vmName);
    void stopAgents(); // SIGKILL every real agent started so far
    // A scenario file for startSim's --scenario: one Azure VM "az-001" (so the daemon has a
    // subscription) and gcpVms Google Cloud Spot VMs "gce-001"... in project and zone.
    QString writeGcpScenario(int gcpVms, const QString &project, const QString &zone);
    // One Azure VM "az-001" and, per interruption behaviour given, one AWS Spot instance
    // (awsName(1), awsName(2), ... in that order; a persistent request for stop and
    // hibernate, one-time for terminate) in account and region.
    QString writeAwsScenario(const QStringList &behaviours, const QString &account,
                             const QString &region);
    static QString awsName(int n); // "ec2-001"
    // One Azure VM "az-001" and the AWS groups given (JSON objects of the simulator's scenario
    // "fleet", each with "account", comma-separated), with short AWS timings.
    QString writeAwsScenario(const QString &awsGroups);
    // spotkeeperd --config <the daemon's config> args...: exit code, stdout+stderr in *output.
    int runCli(const QStringList &args, QString *output);
    QString resourceIdOf(const QString &vmName) const;

    QJsonObject control(const QByteArray &route, const QByteArray &body = {});
    QJsonObject state() { return control("state"); }
    QJsonObject records() { return control("records"); }
    std::unique_ptr<core::Store> openStore() const;

    // Processes events until cond() or timeoutMs; cond is checked every 250 ms.
    static bool waitFor(const std::function<bool()> &cond, int timeoutMs);

    QString simUrl() const { return m_simUrl; }
    // The store every process uses: an SQLite file in the rig's folder, or the location set
    // (a postgresql:// URL; its password through PGPASSFILE in the environment).
    QString storePath() const
    {
        return m_storeLocation.isEmpty() ? m_dir.filePath(QStringLiteral("spotkeeper.db"))
                                         : m_storeLocation;
    }
    void setStoreLocation(const QString &location) { m_storeLocation = location; }
    // Replicas on one PostgreSQL database: creates `database` in cluster and makes it every
    // process's store, with 10 s job leases (a dead replica's jobs are soon taken over).
    bool useReplicaDatabase(testsupport::PgCluster &cluster, const QString &database,
                            QString *error);
    QString subscription() const { return m_subscription; }
    quint16 daemonPort() const { return m_daemonPort; }
    QString daemonLog() const;
    int daemonStarts() const { return m_daemonStarts; }

private:
    bool launchAgent(const QString &vmName, const QString &resourceId, const QStringList &args,
                     QString *error);
    QString writeConfig(int reconcileSeconds, quint16 port, const QString &name);
    bool launchDaemon(std::unique_ptr<QProcess> &process, quint16 port, const QString &name,
                      int reconcileSeconds, QString *error);
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_sim;
    std::unique_ptr<QProcess> m_daemon;
    std::unique_ptr<QProcess> m_daemon2;
    std::vector<std::unique_ptr<QProcess>> m_agents;
    std::vector<std::unique_ptr<QProcess>> m_replicas;
    QList<quint16> m_replicaPorts;
    QString m_simUrl;
    QString m_tenant;
    QString m_clientId;
    QString m_subscription;
    quint16 m_daemonPort = 0;
    int m_daemonStarts = 0;
    QString m_engineOptions;
    QString m_extraConfig;
    QString m_storeLocation;
    QString m_gcpProject;
    QString m_awsAccount;
    QString m_awsRegion;
    QString m_awsLines;
};

} // namespace spotkeeper::e2e
