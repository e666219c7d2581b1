// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/demosimulator.h"

#include "base/privatefile.h"
#include "sim/gcpdemokey.h"
#include "sim/simawskeys.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

DemoSimulator::DemoSimulator(QObject *parent)
    : QObject(parent)
{ }

DemoSimulator::~DemoSimulator()
{
    if (m_process) {
        m_process->terminate();
        if (!m_process->waitForFinished(3000))
            m_process->kill();
        m_process->waitForFinished(3000);
    }
    if (!m_secretFile.isEmpty())
        QFile::remove(m_secretFile);
    removeKeyFiles();
}

void DemoSimulator::removeKeyFiles()
{
    if (!m_gcp.credentialsFile.isEmpty())
        QFile::remove(m_gcp.credentialsFile);
    m_gcp.credentialsFile.clear();
}

QString DemoSimulator::findExecutable()
{
    const QString dir = QCoreApplication::applicationDirPath();
    const QStringList candidates {dir + u"/spotkeeper-sim"_s, dir + u"/sim/spotkeeper-sim"_s,
                                  dir + u"/../sim/spotkeeper-sim"_s,
                                  dir + u"/../app/sim/spotkeeper-sim"_s};
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStandardPaths::findExecutable(u"spotkeeper-sim"_s);
}

bool DemoSimulator::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 DemoSimulator::processId() const
{
    return isRunning() ? m_process->processId() : 0;
}

bool DemoSimulator::start(const QString &storePath, quint16 dashboardPort, QString *error,
                          const QStringList &extraArgs, int timeoutMs)
{
    const QString program = m_program.isEmpty() ? findExecutable() : m_program;
    if (program.isEmpty()) {
        *error = u"spotkeeper-sim was not found next to the dashboard or on PATH"_s;
        return false;
    }
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    QDir().mkpath(runtime.isEmpty() ? QDir::tempPath() : runtime);
    const QString folder = runtime.isEmpty() ? QDir::tempPath() : runtime;
    m_secretFile = folder + u"/spotkeeper-sim-secret-%1"_s.arg(QCoreApplication::applicationPid());
    // The demo's Google service-account key (owner-only, as the secret).
    const QString gcpKeyFile =
        folder + u"/spotkeeper-sim-gcp-key-%1.json"_s.arg(QCoreApplication::applicationPid());
    // The simulator's stdin is a pipe whose write end only we hold: if we are killed it
    // reads EOF and exits (plus the parent-death signal; see app/sim/parentwatch.h).
    QStringList args {u"--print-endpoints"_s, u"--client-secret-out"_s,
                      m_secretFile,           u"--exit-with-parent"_s,
                      u"--parent-pid"_s,      QString::number(QCoreApplication::applicationPid())};
    if (!extraArgs.contains(u"--scenario"_s))
        args << u"--demo"_s;
    if (!storePath.isEmpty())
        args << u"--provision-store"_s << storePath;
    if (dashboardPort != 0)
        args << u"--dashboard-url"_s << u"http://127.0.0.1:%1"_s.arg(dashboardPort);
    args << extraArgs;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->start(program, args);
    QByteArray out;
    QDeadlineTimer deadline(timeoutMs);
    while (!out.contains("SPOTKEEPER_SIM_READY=1") && !deadline.hasExpired()
           && m_process->state() != QProcess::NotRunning) {
        m_process->waitForReadyRead(200);
        out += m_process->readAllStandardOutput();
    }
    if (!out.contains("SPOTKEEPER_SIM_READY=1")) {
        *error = u"spotkeeper-sim did not come up (exit code %1)"_s.arg(m_process->exitCode());
        return false;
    }
    for (const QByteArray &line : out.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        const QString key = QString::fromLatin1(line.left(eq));
        const QString value = QString::fromLatin1(line.mid(eq + 1)).trimmed();
        if (key == "SPOTKEEPER_SIM_URL"_L1)
            m_url = value;
        else if (key == "SPOTKEEPER_SIM_SUBSCRIPTIONS"_L1)
            m_subscriptions = value.split(u',', Qt::SkipEmptyParts);
        else if (key.startsWith("AZURE_"_L1) || key == "SPOTKEEPER_ARM_URL"_L1
                 || key == "SPOTKEEPER_PRICES_URL"_L1)
            m_env.insert(key, value);
    }
    QFile secret(m_secretFile);
    if (!secret.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the simulator's client secret file"_s;
        return false;
    }
    m_env.insert(u"AZURE_CLIENT_SECRET"_s, QString::fromUtf8(secret.readAll()));
    secret.close();
    QFile::remove(m_secretFile); // read once; nothing is left behind if we are killed later
    if (extraArgs.contains(u"--scenario"_s))
        return true;
    // The built-in demo's AWS instances: [aws] for the simulator and its static fake keys,
    // handed over in the environment only (they open nothing but the simulator).
    m_env.insert(u"AWS_ACCESS_KEY_ID"_s, QString::fromLatin1(kSimAwsAccessKeyId));
    m_env.insert(u"AWS_SECRET_ACCESS_KEY"_s, QString::fromLatin1(kSimAwsSecretAccessKey));
    m_aws = DemoAws {m_url + u"/aws/"_s, QString::fromLatin1(kDemoAwsAccount), {u"eu-central-1"_s}};
    // The built-in demo's Google Cloud VMs: [gcp] for the simulator, with a key of its own.
    return startGoogleCloud(gcpKeyFile, error);
}

bool DemoSimulator::startGoogleCloud(const QString &keyFile, QString *error)
{
    DemoGoogleCloud gcp;
    gcp.projects = {QString::fromLatin1(kDemoGcpProject)};
    gcp.tokenUri = m_url + u"/gcp/token"_s;
    gcp.computeEndpoint = m_url + u"/compute/v1/"_s;
    gcp.loggingEndpoint = m_url + u"/logging/v2/"_s;
    const QByteArray key = makeGcpDemoKeyFile(gcp.projects.constFirst(), gcp.tokenUri, error);
    if (key.isEmpty() || !base::writePrivateFile(keyFile, key, error))
        return false;
    gcp.credentialsFile = keyFile;
    m_gcp = gcp;
    return true;
}

} // namespace spotkeeper::sim
