// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <memory>

// What the dashboard needs to run its demo: starts `spotkeeper-sim --demo` (found next to
// the running executable, in the build tree, or on PATH), with agent keys provisioned in
// the dashboard's store and simulated agents aimed at its listener, and hands back the
// environment that points the Azure client at it (SPOTKEEPER_ARM_URL, AZURE_AUTHORITY_HOST,
// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET) and, when the fleet has Google
// Cloud VMs, the engine's [gcp] settings for it (googleCloud()), and for its AWS instances
// [aws] (amazonWebServices()) with the simulator's keys in the environment. The process ends with
// this object, and with this process even when it is killed (the simulator runs
// --exit-with-parent).
namespace spotkeeper::sim {

// The Google Cloud project of the built-in demo's Google Cloud VMs (Scenario::demo(),
// packaging/sim/demo.json).
inline constexpr auto kDemoGcpProject = "spotkeeper-demo";

// spotkeeperd.conf's [gcp] for the simulated Google Cloud: a throwaway service-account key
// made at start (gcpdemokey.h; an owner-only file in the runtime folder, removed by
// removeKeyFiles() once the engine has read it, or with the DemoSimulator), the token URI
// and the Compute and Logging base URLs of the simulator, the project to reconcile.
// Empty (isEmpty()) with a scenario of the caller's (extraArgs --scenario).
struct DemoGoogleCloud
{
    QString credentialsFile;
    QString tokenUri;
    QString computeEndpoint;
    QString loggingEndpoint;
    QStringList projects;
    bool isEmpty() const { return projects.isEmpty() || credentialsFile.isEmpty(); }
};

// The AWS account and Regions of the built-in demo's EC2 instances.
inline constexpr auto kDemoAwsAccount = "210987654321";

// spotkeeperd.conf's [aws] for the simulated AWS account: its EC2 Query API and CloudTrail
// under the simulator's /aws/, the demo's Regions and account, no instance role. The
// simulator's static keys (fake, accepted only by the simulator on 127.0.0.1) come with
// environment() as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, never through settings.
// Empty (isEmpty()) with a scenario of the caller's (extraArgs --scenario).
struct DemoAws
{
    QString endpoint; // the EC2, CloudTrail and STS endpoint
    QString accountId;
    QStringList regions;
    bool isEmpty() const { return regions.isEmpty() || endpoint.isEmpty(); }
};

class DemoSimulator final : public QObject
{
    Q_OBJECT
public:
    explicit DemoSimulator(QObject *parent = nullptr);
    ~DemoSimulator() override;
    Q_DISABLE_COPY_MOVE(DemoSimulator)

    static QString findExecutable();
    // Overrides findExecutable() (tests).
    void setProgram(const QString &program) { m_program = program; }

    // Blocks up to timeoutMs for the simulator's endpoints. extraArgs e.g. {"--scenario", f}.
    bool start(const QString &storePath, quint16 dashboardPort, QString *error,
               const QStringList &extraArgs = {}, int timeoutMs = 20'000);
    QProcessEnvironment environment() const { return m_env; }
    QStringList subscriptions() const { return m_subscriptions; }
    DemoGoogleCloud googleCloud() const { return m_gcp; }
    DemoAws amazonWebServices() const { return m_aws; }
    // The key files are read by the engine when it starts; after that they go (the key
    // stays in the engine's memory only).
    void removeKeyFiles();
    QString url() const { return m_url; }
    bool isRunning() const;
    qint64 processId() const; // 0 when not running

private:
    bool startGoogleCloud(const QString &keyFile, QString *error);

    std::unique_ptr<QProcess> m_process;
    QProcessEnvironment m_env;
    QStringList m_subscriptions;
    QString m_url;
    QString m_secretFile;
    DemoGoogleCloud m_gcp;
    DemoAws m_aws;
    QString m_program;
};

} // namespace spotkeeper::sim
