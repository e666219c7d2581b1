// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverdaemon.h"

#include "azure/armcloudprovider.h"
#include "azure/armrequestqueue.h"
#include "clock.h"
#include "daemonlog.h"
#include "engine/reconciler.h"
#include "engine/restartengine.h"
#include "enginemetrics.h"
#include "httpserver.h"
#include "operatortokens.h"
#include "store/store.h"
#include "webhooklistener.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>

namespace spotkeeper::headless {

using namespace Qt::StringLiterals;

namespace {

QString readSecretFile(const QString &path, const QString &what, QByteArray *out)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return u"cannot read the "_s + what + u" file "_s + path + u": "_s + file.errorString();
    *out = file.readAll().trimmed();
    if (out->isEmpty())
        return u"the "_s + what + u" file "_s + path + u" is empty"_s;
    return QString();
}

core::EngineConfig engineConfig(const core::ServerConfig &c)
{
    core::EngineConfig config;
    config.vmStartBudget = {c.vmStartBurst, c.vmStartsPerMinute, 60'000};
    config.subscriptionWriteBudget = {c.subscriptionWriteBurst, c.subscriptionWritesPerSecond,
                                      1'000};
    config.subscriptionReadBudget = {c.subscriptionReadBurst, c.subscriptionReadsPerSecond, 1'000};
    config.backoff.baseMs = qint64(c.backoffBaseSeconds) * 1000;
    config.backoff.capMs = qint64(c.backoffCapSeconds) * 1000;
    config.alertAfterMs = qint64(c.alertAfterMinutes) * 60'000;
    return config;
}

} // namespace

ServerDaemon::ServerDaemon(core::ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_drainTimer.setInterval(50);
    connect(&m_drainTimer, &QTimer::timeout, this, &ServerDaemon::checkDrained);
}

ServerDaemon::~ServerDaemon()
{
    // The listener may still hand a committed notice to the engine: it goes first.
    m_server.reset();
    m_listener.reset();
    m_reconciler.reset();
    m_engine.reset();
}

bool ServerDaemon::startCloud(QString *error)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const auto set = [&env](const char *name, const QString &value) {
        if (!value.isEmpty())
            env.insert(QString::fromLatin1(name), value);
    };
    if (m_config.cloud != "Custom"_L1)
        set("SPOTKEEPER_AZURE_CLOUD", m_config.cloud);
    set("SPOTKEEPER_ARM_URL", m_config.armEndpoint);
    set("AZURE_AUTHORITY_HOST", m_config.authorityHost);
    set("SPOTKEEPER_IMDS_URL", m_config.imdsEndpoint);
    set("SPOTKEEPER_AZ_PROGRAM", m_config.azProgram);
    set("SPOTKEEPER_MANAGED_IDENTITY_CLIENT_ID", m_config.managedIdentityClientId);
    set("AZURE_TENANT_ID", m_config.tenantId);
    set("AZURE_CLIENT_ID", m_config.clientId);
    if (!m_config.clientSecretFile.isEmpty()) {
        QByteArray secret;
        if (QString problem =
                readSecretFile(m_config.clientSecretFile, u"client secret"_s, &secret);
            !problem.isEmpty()) {
            *error = problem;
            return false;
        }
        // Only in this process's copy of the environment handed to the credential.
        env.insert(u"AZURE_CLIENT_SECRET"_s, QString::fromUtf8(secret));
    }
    core::AzureConfig azure;
    if (const QString problem = core::azureConfigFromEnvironment(env, &azure); !problem.isEmpty()) {
        *error = u"Azure settings: "_s + problem;
        return false;
    }
    m_cloud = core::ArmCloudProvider::create(azure, env, core::systemClock(), this);
    return true;
}

bool ServerDaemon::start(QString *error)
{
    // Cheap refusals first, so a bad setting never leaves a half-started server.
    core::ListenerOptions options;
    options.failedAuthPerMinute = m_config.failedAuthPerMinute;
    options.rotationOverlapSeconds = qint64(m_config.rotationOverlapHours) * 3600;
    if (m_config.seedEnabled) {
        QByteArray key;
        if (QString problem = readSecretFile(m_config.seedKeyFile, u"seed key"_s, &key);
            !problem.isEmpty()) {
            *error = problem;
            return false;
        }
        options.seedEnabled = true;
        options.seedSubscriptionId = m_config.seedSubscription;
        options.seedKeySha256 = core::OperatorTokens::hashToken(key);
    }

    m_server = std::make_unique<http::HttpServer>();
    http::Limits limits;
    limits.maxConnections = m_config.maxConnections;
    limits.readDeadlineMs = m_config.readDeadlineSeconds * 1000;
    m_server->setLimits(limits);
    if (!m_config.tls.certificateFile.isEmpty()) {
        QString problem;
        if (!m_server->setTls(m_config.tls, &problem)) {
            *error = u"TLS: "_s + problem;
            return false;
        }
    }

    QDir().mkpath(QFileInfo(m_config.storePath).absolutePath());
    core::StoreError storeError;
    m_store = core::Store::open(core::StoreOptions {m_config.storePath, false, 5000, nullptr},
                                &storeError);
    if (!m_store) {
        *error = u"cannot open the store "_s + m_config.storePath + u": "_s + storeError.message;
        return false;
    }
    if (!startCloud(error))
        return false;

    m_engine = std::make_unique<core::RestartEngine>(*m_store, *m_cloud, core::systemClock(),
                                                     engineConfig(m_config));
    core::ReconcilerConfig reconcile;
    reconcile.subscriptions = m_config.subscriptions;
    reconcile.intervalMs = qint64(m_config.reconcileSeconds) * 1000;
    m_reconciler = std::make_unique<core::Reconciler>(*m_store, *m_cloud, *m_engine,
                                                      core::systemClock(), reconcile);
    m_engineMetrics = std::make_unique<core::EngineMetrics>();
    m_engineMetrics->watch(*m_engine);
    m_engineMetrics->watch(*m_reconciler);
    m_engineMetrics->watch(*m_cloud->client()->queue());

    m_listener =
        std::make_unique<core::WebhookListener>(*m_store, *m_engine, core::systemClock(), options);
    m_listener->setCredentialStatusProvider([this] { return m_cloud->credentialStatus(); });
    m_listener->setExtraMetricsProvider([this] { return m_engineMetrics->render(); });
    m_listener->attach(*m_server);

    QString problem;
    if (!m_server->listen(m_config.address, m_config.port, &problem)) {
        *error = u"cannot listen on "_s + m_config.address.toString() + u':'
            + QString::number(m_config.port) + u": "_s + problem;
        return false;
    }
    const bool tls = m_server->isTls();
    if (!m_config.isLoopback() && !tls) {
        qCWarning(lcDaemon).noquote()
            << "listening on a non-loopback address WITHOUT TLS (--insecure-listen): agent "
               "notices and operator tokens cross the network in clear text";
    }
    qCInfo(lcDaemon).noquote() << u"listening on %1:%2 (%3)"_s.arg(
        m_server->serverAddress().toString(), QString::number(m_server->serverPort()),
        !tls ? u"http"_s
             : (m_config.tls.clientCaFile.isEmpty() ? u"https"_s
                                                    : u"https, client certificates required"_s));
    qCInfo(lcDaemon).noquote() << "store" << m_store->path() << "schema"
                               << m_store->schemaVersion();
    qCInfo(lcDaemon).noquote() << "Azure credential:" << m_cloud->credentialStatus();

    m_engine->start();
    m_reconciler->start();
    return true;
}

void ServerDaemon::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (!m_server) {
        emit finished();
        return;
    }
    qCInfo(lcDaemon) << "stopping: no new connections; draining" << m_server->openConnections()
                     << "open connection(s)";
    m_server->close();
    m_listener->flushNow();
    m_drainDeadlineMs = QDeadlineTimer(qint64(m_config.readDeadlineSeconds) * 1000).deadline();
    m_drainTimer.start();
    checkDrained();
}

void ServerDaemon::checkDrained()
{
    m_listener->flushNow();
    const bool timedOut = QDeadlineTimer::current().deadline() >= m_drainDeadlineMs;
    if (m_server->openConnections() > 0 && !timedOut)
        return;
    m_drainTimer.stop();
    if (timedOut && m_server->openConnections() > 0)
        qCWarning(lcDaemon) << "drain deadline reached with" << m_server->openConnections()
                            << "connection(s) still open; closing them";
    qCInfo(lcDaemon) << "stopped";
    emit finished();
}

} // namespace spotkeeper::headless
