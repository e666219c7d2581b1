// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/enginehost.h"

#include "aws/awscredentials.h"
#include "aws/ec2cloudprovider.h"
#include "azure/armclient.h"
#include "azure/armcloudprovider.h"
#include "azure/armrequestqueue.h"
#include "azure/pricerefresher.h"
#include "azure/spotriskrefresher.h"
#include "base/clock.h"
#include "engine/agentwatch.h"
#include "engine/apphealthwatch.h"
#include "engine/engineidentity.h"
#include "engine/reconciler.h"
#include "engine/restartengine.h"
#include "fleet/cloudrouter.h"
#include "fleet/sharedratebudgets.h"
#include "gcp/computecloudprovider.h"
#include "gcp/gcpcredentials.h"
#include "gcp/googlecredentialchain.h"
#include "http/certificatereloader.h"
#include "http/httpserver.h"
#include "http/tlsloader.h"
#include "listener/enginemetrics.h"
#include "listener/listenermetrics.h"
#include "listener/operatorapi.h"
#include "listener/operatortokens.h"
#include "listener/webhooklistener.h"
#include "notify/notifier.h"

#include <QDeadlineTimer>
#include <QDebug>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcessEnvironment>
#include <QSslCertificate>

#include <algorithm>
#include <limits>

namespace spotkeeper::core {

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
    return {};
}

} // namespace

ArmBudgets armBudgets(const EngineHostConfig &c)
{
    ArmBudgets budgets;
    budgets.vmStarts = {c.vmStartBurst, c.vmStartsPerMinute, 60'000};
    budgets.subscriptionWrites = {c.subscriptionWriteBurst, c.subscriptionWritesPerSecond, 1'000};
    budgets.subscriptionReads = {c.subscriptionReadBurst, c.subscriptionReadsPerSecond, 1'000};
    return budgets;
}

namespace {

EngineConfig engineConfig(const EngineHostConfig &c)
{
    EngineConfig config;
    config.budgets = armBudgets(c);
    config.backoff.baseMs = qint64(c.backoffBaseSeconds) * 1000;
    config.backoff.capMs = qint64(c.backoffCapSeconds) * 1000;
    config.alertAfterMs = qint64(c.alertAfterMinutes) * 60'000;
    config.capacityAlertAfterMs = qint64(c.capacityAlertMinutes) * 60'000;
    config.listPowerThreshold = c.listPowerThreshold;
    config.evidenceWaitMs = qint64(c.evidenceWaitSeconds) * 1000;
    config.restartUnproven = c.restartUnprovenDeallocation;
    config.leaseMs = qint64(c.leaseSeconds) * 1000;
    config.appHealthTimeoutMs = c.appHealthTimeoutSeconds >= 0
        ? qint64(c.appHealthTimeoutSeconds) * 1000
        : qint64(c.appHealthTimeoutMinutes) * 60'000;
    config.fallback = c.fallback;
    return config;
}

AppHealthWatchConfig appHealthWatchConfig(const EngineHostConfig &c)
{
    AppHealthWatchConfig config;
    config.unhealthyAfterMs = c.appUnhealthySeconds >= 0 ? qint64(c.appUnhealthySeconds) * 1000
                                                         : qint64(c.appUnhealthyMinutes) * 60'000;
    // Look a few times within the unhealthy time (every 30 s at most, every second at least).
    config.checkIntervalMs = std::clamp<qint64>(config.unhealthyAfterMs / 4, 1000, 30'000);
    config.restart = c.appRestart == "all"_L1 ? AppHealthWatchConfig::Restart::All
        : c.appRestart == "off"_L1            ? AppHealthWatchConfig::Restart::Off
                                              : AppHealthWatchConfig::Restart::Tagged;
    config.restartTag = c.appRestartTag;
    config.restartsPerHour = c.appRestartsPerHour;
    return config;
}

AgentWatchConfig agentWatchConfig(const EngineHostConfig &c)
{
    AgentWatchConfig config;
    config.heartbeatIntervalMs = qint64(c.heartbeatIntervalSeconds) * 1000;
    config.silentIntervals = c.agentSilentIntervals;
    // Often enough that an alert comes within a quarter interval of the threshold.
    config.checkIntervalMs = std::clamp<qint64>(config.heartbeatIntervalMs / 4, 1000, 60'000);
    return config;
}

// What the listener calls when the host only observes: notices are stored (by the
// listener) and nothing more; operator actions say why they cannot run.
class ObserveOnlyOperations final : public FleetOperations
{
public:
    void handleNoticeStored(qint64 /*vmId*/, const EventRecord & /*notice*/) override { }
    void handleUnconfirmedNotice(qint64 /*vmId*/) override { }
    OperationResult forceRestart(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return refused();
    }
    OperationResult pauseAutoRestart(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return refused();
    }
    OperationResult resumeAutoRestart(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return refused();
    }
    OperationResult cancelJob(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return refused();
    }
    OperationResult addVm(const QString & /*resourceId*/, const QString & /*actor*/) override
    {
        return refused();
    }
    OperationResult stopOnPurpose(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return refused();
    }
    OperationResult startVm(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return refused();
    }

private:
    static OperationResult refused()
    {
        return {OperationResult::Status::Failed,
                u"Azure credentials are off: this host only stores notices and cannot act"_s};
    }
};

} // namespace

EngineHost::EngineHost(EngineHostConfig config, Store &store, base::Clock &clock,
                       EngineHostOptions options, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_store(store)
    , m_clock(clock)
    , m_options(options)
{
    m_drainTimer.setInterval(50);
    connect(&m_drainTimer, &QTimer::timeout, this, &EngineHost::checkDrained);
}

EngineHost::~EngineHost()
{
    // The listener may still hand a committed notice to the engine: it goes first.
    m_tlsReloader.reset(); // it holds the server
    m_server.reset();
    m_listener.reset();
    m_observer.reset();
    m_prices.reset();
    m_spotRisk.reset();
    m_notifier.reset();
    m_appHealthWatch.reset();
    m_agentWatch.reset();
    m_reconciler.reset();
    m_engine.reset();
    m_identity.reset();
    m_presenceTimer.stop();
    if (m_cloud != nullptr)
        m_cloud->client()->queue()->setSharedBudgets(nullptr);
    m_sharedBudgets.reset();
}

bool EngineHost::startCloud(QString *error)
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
    AzureConfig azure;
    azure.credentials.excludeManagedIdentity = m_options.excludeManagedIdentity;
    if (const QString problem = azureConfigFromEnvironment(env, &azure); !problem.isEmpty()) {
        if (!m_options.tolerateAzureConfigError) {
            *error = u"Azure settings: "_s + problem;
            return false;
        }
        m_azureConfigError = problem;
    }
    // One budget: the ARM request queue paces the wire with the numbers the engine plans by.
    azure.arm.budgets = armBudgets(m_config);
    m_cloud = ArmCloudProvider::create(azure, env, m_clock, this);
    m_router = new CloudRouter(this);
    m_router->setProvider(Cloud::Azure, m_cloud);
    return startGoogleCloud(env, error) && startAws(env, error);
}

bool EngineHost::startGoogleCloud(const QProcessEnvironment &env, QString *error)
{
    // Google's Application Default Credentials order (gcp/googlecredentialchain.h). None:
    // no Google Cloud provider, and the router answers NoCloudProvider for Google Cloud VMs.
    auto *network = new QNetworkAccessManager(this);
    gcp::GoogleCredentialSetup setup;
    setup.configuredFile = m_config.gcpCredentialsFile;
    setup.tokenUri = m_config.gcpTokenUri;
    setup.wanted = !m_config.gcpProjects.isEmpty();
    setup.scopes = {QString::fromLatin1(gcp::kComputeScope),
                    QString::fromLatin1(gcp::kLoggingReadScope)};
#ifdef Q_OS_WIN
    setup.windows = true;
#endif
    const auto choice = gcp::chooseGoogleCredential(setup, env, network, m_clock, error);
    if (!choice)
        return false;
    if (!choice->warning.isEmpty())
        qWarning().noquote() << "Google Cloud off:" << choice->warning;
    if (choice->credential == nullptr)
        return true;
    std::unique_ptr<AccessTokenSource> credential(choice->credential);
    gcp::ComputeOptions options;
    if (!m_config.gcpComputeEndpoint.isEmpty())
        options.computeUrl = QUrl(m_config.gcpComputeEndpoint);
    if (!options.computeUrl.isValid() || options.computeUrl.host().isEmpty()) {
        *error = u"[gcp] compute_endpoint is not a URL: "_s + m_config.gcpComputeEndpoint;
        return false;
    }
    if (!m_config.gcpLoggingEndpoint.isEmpty())
        options.loggingUrl = QUrl(m_config.gcpLoggingEndpoint);
    if (!options.loggingUrl.isValid() || options.loggingUrl.host().isEmpty()) {
        *error = u"[gcp] logging_endpoint is not a URL: "_s + m_config.gcpLoggingEndpoint;
        return false;
    }
    options.listFilter = m_config.gcpListFilter;
    qInfo().noquote() << "Google Cloud credentials from" << choice->from;
    m_gcp = new gcp::ComputeCloudProvider(credential.release(), options, m_clock, this);
    m_router->setProvider(Cloud::Gcp, m_gcp);
    return true;
}

bool EngineHost::startAws(const QProcessEnvironment &env, QString *error)
{
    // [aws] regions turns AWS on; the keys come from the SDKs' chain (docs/AWS.md), resolved at
    // the first call, so a missing credential is a needs-operator result, not a refusal to start.
    if (m_config.awsRegions.isEmpty())
        return true;
    aws::CredentialChainOptions chain;
    chain.env = env;
    if (!m_config.awsProfile.isEmpty())
        chain.env.insert(u"AWS_PROFILE"_s, m_config.awsProfile);
    if (!m_config.awsStsEndpoint.isEmpty())
        chain.env.insert(u"AWS_ENDPOINT_URL_STS"_s, m_config.awsStsEndpoint);
    chain.region = m_config.awsRegions.constFirst();
    chain.excludeInstanceRole = !m_config.awsInstanceRole || m_options.excludeManagedIdentity;
    if (!m_config.awsImdsEndpoint.isEmpty())
        chain.imdsUrl = QUrl(m_config.awsImdsEndpoint);
    aws::Ec2ProviderOptions options;
    options.client.env = chain.env;
    options.client.ec2Endpoint = m_config.awsEc2Endpoint;
    options.client.cloudTrailEndpoint = m_config.awsCloudTrailEndpoint;
    const EngineHostConfig &c = m_config;
    options.client.budgets.describe = {c.awsDescribeBurst, c.awsDescribesPerSecond, 1'000};
    options.client.budgets.mutate = {c.awsMutateBurst, c.awsMutatesPerSecond, 1'000};
    options.client.budgets.run = {c.awsRunBurst, c.awsRunsPerSecond, 1'000};
    options.client.budgets.cloudTrail = {c.awsCloudTrailBurst, c.awsCloudTrailPerSecond, 1'000};
    for (const QString &region : std::as_const(m_config.awsRegions)) {
        for (const QString &service : {u"ec2"_s, u"cloudtrail"_s}) {
            QString problem;
            const QString configured =
                service == "ec2"_L1 ? m_config.awsEc2Endpoint : m_config.awsCloudTrailEndpoint;
            if (!aws::serviceEndpoint(chain.env, configured, service.toUpper(), service, region,
                                      &problem)
                     .isValid()) {
                *error = u"[aws] "_s + problem;
                return false;
            }
        }
    }
    options.restartWatchMs = qint64(m_config.awsRestartWatchMinutes) * 60'000;
    options.replaceTerminated = m_config.awsReplaceTerminated;
    options.alternateInstanceTypes = m_config.awsAlternateInstanceTypes;
    options.alternateZones = m_config.awsAlternateZones;
    options.partition = m_config.awsPartition;
    auto *credentials = new aws::AwsCredentialChain(chain, m_clock);
    m_aws = new aws::Ec2CloudProvider(credentials, options, m_clock, this);
    m_router->setProvider(Cloud::Aws, m_aws);
    // Every replacement (launched or failed) is in the audit log, filed under the old instance.
    connect(m_aws, &aws::Ec2CloudProvider::replacementLaunched, this,
            [this](const QString &oldArn, const QString &newInstanceId, const QString &message) {
                const AuditRecord record {0,
                                          m_clock.nowUtc(),
                                          u"engine"_s,
                                          newInstanceId.isEmpty() ? u"aws_replace_failed"_s
                                                                  : u"aws_replace"_s,
                                          oldArn.toLower(),
                                          message};
                if (m_store.appendAudit(record) <= 0)
                    qWarning().noquote() << "cannot write the audit row of" << message;
            });
    return true;
}

bool EngineHost::prepare(QString *error)
{
    if (m_prepared)
        return true;
    // Cheap refusals first, so a bad setting never leaves a half-built engine.
    ListenerOptions options;
    options.failedAuthPerMinute = m_config.failedAuthPerMinute;
    options.rotationOverlapSeconds = qint64(m_config.rotationOverlapHours) * 3600;
    if (m_config.seedEnabled) {
        QByteArray key;
        if (QString problem = readSecretFile(m_config.seedKeyFile, u"legacy webhook key"_s, &key);
            !problem.isEmpty()) {
            *error = problem;
            return false;
        }
        options.seedEnabled = true;
        options.seedSubscriptionId = m_config.seedSubscription;
        options.seedKeySha256 = OperatorTokens::hashToken(key);
    }

    auto server = std::make_unique<http::HttpServer>();
    http::Limits limits;
    limits.maxConnections = m_config.maxConnections;
    limits.readDeadlineMs = m_config.readDeadlineSeconds * 1000;
    server->setLimits(limits);
    std::unique_ptr<http::CertificateReloader> reloader;
    if (!m_config.tls.certificateFile.isEmpty()) {
        QString problem;
        if (!server->setTls(m_config.tls, &problem)) {
            *error = u"TLS: "_s + problem;
            return false;
        }
        reloader = std::make_unique<http::CertificateReloader>(*server, m_config.tls);
    }
    if (!m_config.agentCaFile.isEmpty()) {
        QString problem;
        const auto cas = http::loadCertificateFile(m_config.agentCaFile, u"agent CA"_s, &problem);
        if (!cas) {
            *error = u"TLS: "_s + problem;
            return false;
        }
        for (const QSslCertificate &ca : *cas)
            options.agentCaPem += ca.toPem();
    }
    std::unique_ptr<Notifier> notifier;
    if (m_config.notify.enabled()) {
        QString problem;
        notifier = Notifier::create(m_config.notify, m_store, m_clock, &problem);
        if (!notifier) {
            *error = problem;
            return false;
        }
    }
    m_notifier = std::move(notifier);
    m_agentWatch = std::make_unique<AgentWatch>(m_store, m_clock, agentWatchConfig(m_config));
    // An observing host alerts on unhealthy applications but cannot restart them.
    m_appHealthWatch = std::make_unique<AppHealthWatch>(
        m_store, m_clock, appHealthWatchConfig(m_config),
        m_options.observeOnly
            ? AppHealthWatch::Restarter()
            : [this](qint64 vmId, const QString &why) {
                  if (!m_engine)
                      return OperationResult {OperationResult::Status::Failed, u"no engine"_s};
                  return m_engine->restartForAppHealth(vmId, why);
              });
    if (m_options.observeOnly) {
        m_server = std::move(server);
        m_tlsReloader = std::move(reloader);
        m_observer = std::make_unique<ObserveOnlyOperations>();
        m_listener = std::make_unique<WebhookListener>(m_store, *m_observer, m_clock, options);
        return attachListener();
    }
    if (!startCloud(error))
        return false;
    m_server = std::move(server);
    m_tlsReloader = std::move(reloader);

    // Replicas on a database server share ARM's allowance through it; a single server on an
    // SQLite file keeps its buckets in memory (no write per ARM request).
    if (m_store.path().startsWith(u"postgresql://"_s, Qt::CaseInsensitive)
        || m_store.path().startsWith(u"postgres://"_s, Qt::CaseInsensitive)) {
        m_sharedBudgets = std::make_unique<StoreRateBudgets>(m_store);
        m_sharedBudgets->setFallbackFloor(m_config.budgetFallbackReplicas);
        m_cloud->client()->queue()->setSharedBudgets(m_sharedBudgets.get());
    }

    // A stable identity: a restarted engine reclaims its own leases at once.
    m_identity = EngineIdentity::acquire(m_store, m_config.engineId);
    EngineConfig engine = engineConfig(m_config);
    engine.owner = m_identity->owner();
    if (m_sharedBudgets) {
        // Who is alive, for the share a replica cut off from the buckets falls back to.
        const auto renew = [this, owner = engine.owner, leaseMs = engine.leaseMs] {
            m_sharedBudgets->renewPresence(owner, m_clock.nowUtc().addMSecs(leaseMs));
        };
        renew();
        m_presenceTimer.setInterval(int(std::max<qint64>(1'000, engine.leaseMs / 3)));
        connect(&m_presenceTimer, &QTimer::timeout, this, renew);
        m_presenceTimer.start();
    }
    m_engine = std::make_unique<RestartEngine>(m_store, *m_router, m_clock, engine);
    ReconcilerConfig reconcile;
    // Configured scopes: the subscriptions, and the Google Cloud projects beside them; with
    // neither, every scope the fleet table holds.
    reconcile.subscriptions = m_config.subscriptions + m_config.gcpProjects + m_config.awsScopes();
    reconcile.intervalMs = qint64(m_config.reconcileSeconds) * 1000;
    // Replicas on one store take turns sweeping; a dead one's turn ends with its job leases.
    reconcile.owner = engine.owner;
    reconcile.sweepLeaseMs = engine.leaseMs;
    // An engine that died with an eviction unanswered had it for no longer than its lease.
    reconcile.unansweredGraceMs = engine.leaseMs;
    m_reconciler = std::make_unique<Reconciler>(m_store, *m_router, *m_engine, m_clock, reconcile);
    m_engineMetrics = std::make_unique<EngineMetrics>();
    m_engineMetrics->watch(*m_engine);
    m_engineMetrics->watch(*m_reconciler);
    m_engineMetrics->watch(*m_cloud->client()->queue());
    m_engineMetrics->watch(*m_agentWatch);

    m_listener = std::make_unique<WebhookListener>(m_store, *m_engine, m_clock, options);
    return attachListener();
}

// The listener's status and metrics providers and its routes on the server: prepare() is done.
bool EngineHost::attachListener()
{
    m_listener->setCredentialStatusProvider(
        [this] { return m_options.observeOnly ? u"off (observe only)"_s : credentialStatus(); });
    // -> QByteArray: with QT_USE_QSTRINGBUILDER a deduced return type could be a
    // QStringBuilder referring to temporaries, read after they are destroyed.
    m_listener->setExtraMetricsProvider([this]() -> QByteArray { return extraMetrics(); });
    m_listener->attach(*m_server);
    serveNotifyStatus();
    m_prepared = true;
    return true;
}

// The engine's own metrics (none in observe-only mode: no engine, no cloud), then TLS and
// notifications.
QByteArray EngineHost::extraMetrics() const
{
    QByteArray out = m_engineMetrics ? m_engineMetrics->render() : QByteArray();
    out += rateLimitMetrics();
    out += tlsMetrics();
    if (m_notifier)
        out += m_notifier->renderMetrics();
    return out;
}

void EngineHost::serveNotifyStatus()
{
    m_listener->operatorApi().setNotifyStatusProvider(
        [this] { return m_notifier ? m_notifier->channelStatuses() : QList<ChannelStatus> {}; });
}

bool EngineHost::setNotify(const NotifyConfig &config, const QMap<QString, ChannelSecrets> &secrets,
                           QString *error)
{
    std::unique_ptr<Notifier> notifier;
    if (config.enabled()) {
        notifier = Notifier::create(config, secrets, m_store, m_clock, error);
        if (!notifier)
            return false;
    }
    m_config.notify = config;
    m_notifier = std::move(notifier);
    if (m_notifier && m_engineStarted && !m_stopping)
        m_notifier->start();
    return true;
}

bool EngineHost::listen(QString *error)
{
    if (!prepare(error))
        return false;
    QString problem;
    if (!m_server->listen(m_config.address, m_config.port, &problem)) {
        *error = u"cannot listen on "_s + m_config.address.toString() + u':'
            + QString::number(m_config.port) + u": "_s + problem;
        return false;
    }
    m_listening = true;
    if (m_tlsReloader)
        m_tlsReloader->watch();
    return true;
}

void EngineHost::startEngine()
{
    if (!m_prepared || m_stopping)
        return;
    m_agentWatch->start(); // observing hosts watch agents too
    m_appHealthWatch->start();
    m_engineStarted = true;
    if (m_notifier)
        m_notifier->start();
    startPrices();
    if (!m_engine)
        return;
    m_engine->start();
    m_reconciler->start();
}

void EngineHost::startPrices()
{
    // The public price list needs no credential; observing hosts show costs too. The
    // endpoint: [prices] url, else SPOTKEEPER_PRICES_URL (the simulator's), else Azure's.
    if (!m_config.pricesEnabled || m_prices)
        return;
    RetailPriceClientOptions client;
    QString endpoint = m_config.pricesEndpoint;
    if (endpoint.isEmpty())
        endpoint = qEnvironmentVariable("SPOTKEEPER_PRICES_URL");
    if (!endpoint.isEmpty())
        client.endpoint = QUrl(endpoint);
    PriceRefresherOptions options;
    options.maxAgeHours = m_config.priceMaxAgeHours;
    m_prices = std::make_unique<PriceRefresher>(m_store, m_clock, client, options);
    connect(m_prices.get(), &PriceRefresher::refreshFailed, this,
            [](const QString &why) { qWarning().noquote() << "retail prices:" << why; });
    m_prices->start();
    // What Azure publishes about Spot risk comes from Resource Graph: the operator's ARM
    // credential, the ARM queue's read budget, background priority (docs/ANALYTICS.md).
    if (m_cloud != nullptr && m_cloud->client() != nullptr) {
        ArmClient *arm = m_cloud->client();
        m_spotRisk = std::make_unique<SpotRiskRefresher>(m_store, m_clock, *arm->queue(),
                                                         arm->options().armUrl);
        connect(m_spotRisk.get(), &SpotRiskRefresher::refreshFailed, this,
                [](const QString &why) { qWarning().noquote() << "published Spot risk:" << why; });
        m_spotRisk->start();
    }
}

bool EngineHost::start(QString *error)
{
    if (!prepare(error) || !listen(error))
        return false;
    startEngine();
    return true;
}

bool EngineHost::isListening() const
{
    return m_listening;
}

bool EngineHost::isTls() const
{
    return m_server && m_server->isTls();
}

bool EngineHost::reloadTls(QString *error)
{
    if (!m_tlsReloader) {
        *error = u"TLS is off ([tls] certificate and private_key are not set)"_s;
        return false;
    }
    return m_tlsReloader->reload(error);
}

QByteArray EngineHost::tlsMetrics() const
{
    QByteArray out;
    if (!m_tlsReloader || !m_server)
        return out;
    const QSslCertificate certificate = m_server->certificate();
    if (!certificate.isNull()) {
        // Alert on it: time() > spotkeeper_tls_certificate_expiry_timestamp_seconds - 14 * 86400
        const QByteArrayView name = "spotkeeper_tls_certificate_expiry_timestamp_seconds";
        ListenerMetrics::appendHeader(
            out, name, "gauge",
            "When the certificate the listener serves expires (Unix time, seconds).");
        ListenerMetrics::appendSample(out, name, {},
                                      double(certificate.expiryDate().toSecsSinceEpoch()));
    }
    const QByteArrayView reloads = "spotkeeper_tls_certificate_reloads_total";
    ListenerMetrics::appendHeader(out, reloads, "counter",
                                  "Certificate reloads (SIGHUP or a changed file) by result.");
    ListenerMetrics::appendSample(out, reloads, {{u"result"_s, u"ok"_s}},
                                  double(m_tlsReloader->reloadCount()));
    ListenerMetrics::appendSample(out, reloads, {{u"result"_s, u"failed"_s}},
                                  double(m_tlsReloader->failureCount()));
    return out;
}

QString EngineHost::listenAddress() const
{
    if (!isListening())
        return {};
    return m_server->serverAddress().toString() + u':' + QString::number(m_server->serverPort());
}

int EngineHost::armBudgetHeadroom() const
{
    if (m_cloud == nullptr)
        return -1;
    const QMap<QString, qint64> counters = m_cloud->client()->queue()->lastRateLimits().counters;
    qint64 lowest = -1;
    for (const qint64 value : counters)
        lowest = lowest < 0 ? value : std::min(lowest, value);
    return int(std::min<qint64>(lowest, std::numeric_limits<int>::max()));
}

QByteArray EngineHost::rateLimitMetrics() const
{
    QByteArray out;
    if (m_cloud == nullptr)
        return out;
    const QMap<QString, qint64> counters = m_cloud->client()->queue()->lastRateLimits().counters;
    if (counters.isEmpty())
        return out;
    // A dashboard attached to this server shows the lowest one as "ARM budget".
    const QByteArrayView name = "spotkeeper_arm_ratelimit_remaining";
    ListenerMetrics::appendHeader(out, name, "gauge",
                                  "x-ms-ratelimit-remaining-* of the last ARM answer.");
    for (auto it = counters.cbegin(); it != counters.cend(); ++it)
        ListenerMetrics::appendSample(out, name, {{u"counter"_s, it.key()}}, double(it.value()));
    return out;
}

QString EngineHost::credentialStatus() const
{
    QString status = m_cloud != nullptr ? m_cloud->credentialStatus() : QString();
    if (m_gcp != nullptr)
        status += (status.isEmpty() ? u""_s : u"; "_s) + u"gcp: "_s + m_gcp->credentialStatus();
    if (m_aws != nullptr)
        status += (status.isEmpty() ? u""_s : u"; "_s) + u"aws: "_s + m_aws->credentialStatus();
    return status;
}

void EngineHost::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (!m_server) {
        finishStop();
        emit drained(0);
        return;
    }
    m_server->close();
    m_listening = false;
    m_listener->flushNow();
    m_drainDeadlineMs = QDeadlineTimer(qint64(m_config.readDeadlineSeconds) * 1000).deadline();
    m_drainTimer.start();
    checkDrained();
}

void EngineHost::checkDrained()
{
    m_listener->flushNow();
    const bool timedOut = QDeadlineTimer::current().deadline() >= m_drainDeadlineMs;
    if (m_server->openConnections() > 0 && !timedOut)
        return;
    m_drainTimer.stop();
    const int leftOpen = m_server->openConnections();
    finishStop();
    emit drained(leftOpen);
}

void EngineHost::finishStop()
{
    // The listener calls the engine: it goes first. Destroying them stops every timer
    // (group commit, heartbeats, retries, sweeps, lease renewal).
    if (m_server)
        m_server->close();
    m_listener.reset();
    m_observer.reset();
    m_prices.reset();
    m_spotRisk.reset();
    m_notifier.reset();
    m_appHealthWatch.reset();
    m_agentWatch.reset();
    m_reconciler.reset();
    if (m_engine) {
        // Another engine (a restarted dashboard or spotkeeperd) takes the jobs over at once
        // instead of waiting for the leases to expire.
        m_store.releaseJobs(m_engine->config().owner);
        m_engine.reset();
    }
    m_identity.reset(); // the lock file goes with it
    m_stopped = true;
}

} // namespace spotkeeper::core
