// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dashboardsession.h"

#include "azure/armcloudprovider.h"
#include "base/clock.h"
#include "engine/agentwatch.h"
#include "engine/reconciler.h"
#include "engine/restartengine.h"
#include "fleet/enginehost.h"
#include "listener/agentkeymanager.h"
#include "listener/webhooklistener.h"
#include "models/localfleetsource.h"
#include "notify/notifier.h"
#include "store/store.h"

#include <QDir>
#include <QPointer>
#include <QStandardPaths>

#include <algorithm>
#include <limits>

namespace spotkeeper::gui {

DashboardSession::DashboardSession(base::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{ }

DashboardSession::~DashboardSession()
{
    shutdown();
    m_host.reset();
}

void DashboardSession::shutdown()
{
    if (m_budgetTimer)
        m_budgetTimer->stop();
    // The source forwards to the engine: drop that link before the engine goes.
    if (m_source) {
        m_source->setKeyManager(nullptr, 0);
        m_source->setOperations(nullptr);
        m_source->setCloudProvider(nullptr);
    }
    if (m_host && !m_host->isStopped()) {
        m_host->stop(); // may drain at once (nothing open)
        if (!m_host->isStopped())
            return; // stopped() follows the host's drained()
    }
    announceStopped();
}

void DashboardSession::announceStopped()
{
    if (m_stoppedAnnounced)
        return;
    m_stoppedAnnounced = true;
    Q_EMIT stopped();
}

bool DashboardSession::isStopped() const
{
    return !m_host || m_host->isStopped();
}

void DashboardSession::setBudgetRefreshMs(int ms)
{
    m_budgetRefreshMs = ms;
    if (m_budgetTimer)
        m_budgetTimer->setInterval(ms);
}

void DashboardSession::refreshBudget()
{
    if (!m_host || !m_host->cloud())
        return;
    const QDateTime now = m_clock.nowUtc();
    const SourceStatus shown = m_source->status();
    const bool expiring =
        shown.tokenExpiresAt.isValid() && shown.tokenExpiresAt.addSecs(-300) < now;
    const bool retry = !shown.credentialsAvailable && m_credentialsCheckedAt.addSecs(300) < now;
    if ((expiring || retry) && m_credentialsCheckedAt.addSecs(30) < now)
        refreshCredentials();
    const int headroom = m_host->armBudgetHeadroom();
    SourceStatus status = m_source->status();
    if (status.armBudgetHeadroom == headroom)
        return;
    status.armBudgetHeadroom = headroom;
    m_source->setStatus(status);
}

QString DashboardSession::defaultStorePath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("spotkeeper.db"));
}

void DashboardSession::applyNotify(const QList<core::NotifyChannel> &channels,
                                   core::SecretStore &secrets)
{
    const quint64 generation = ++m_notifyGeneration;
    QPointer<DashboardSession> self(this);
    loadNotifySecrets(
        secrets, channels,
        [self, generation, channels](const QMap<QString, core::ChannelSecrets> &loaded,
                                     const QString &missing) {
            if (!self || generation != self->m_notifyGeneration || !self->m_host)
                return;
            // A channel that is incomplete (its secret missing) stays off; the others run.
            core::NotifyConfig config;
            QStringList problems;
            if (!missing.isEmpty())
                problems << missing;
            for (const core::NotifyChannel &channel : channels) {
                if (!loaded.contains(channel.name))
                    continue;
                core::ChannelSecrets given = loaded.value(channel.name);
                // The same checks as setNotify's, one channel at a time.
                QString why = core::checkChannelSecrets(channel, &given);
                if (why.isEmpty())
                    config.channels.append(channel);
                else
                    problems << why;
            }
            QString why;
            if (!self->m_host->setNotify(config, loaded, &why))
                problems << why;
            const QString problem = problems.join(QLatin1Char('\n'));
            self->m_notifyProblem = problem;
            if (!problem.isEmpty())
                qWarning("notifications: %s", qUtf8Printable(problem));
            Q_EMIT self->notifyApplied(problem);
        });
}

bool DashboardSession::open(const DashboardSettings &settings, QString *error)
{
    core::StoreOptions options;
    options.path = settings.storePath.isEmpty() ? defaultStorePath() : settings.storePath;
    options.clock = &m_clock;
    core::StoreError storeError;
    m_store = core::Store::open(options, &storeError);
    if (!m_store) {
        if (error)
            *error = storeError.message;
        return false;
    }
    m_source = std::make_unique<LocalFleetSource>(*m_store, nullptr, m_clock);
    m_source->setNotifyStatusProvider([this] {
        core::Notifier *notifier = m_host ? m_host->notifier() : nullptr;
        return notifier ? notifier->channelStatuses() : QList<core::ChannelStatus> {};
    });
    startEngine(settings);
    return true;
}

void DashboardSession::startEngine(const DashboardSettings &settings)
{
    core::EngineHostConfig config;
    config.cloud.clear(); // the environment chooses the cloud, as for the az CLI
    config.subscriptions = settings.subscriptions;
    config.port = quint16(settings.listenPort);
    // The engine's budgets; a hand-edited bad value keeps the engine's defaults (the
    // Settings dialog refuses such values with the same message).
    if (const QString problem = settings.budgetProblem(); problem.isEmpty()) {
        config.budgets() = settings.budgets();
    } else {
        qWarning("Settings -> Budgets ignored, the defaults apply: %s", qUtf8Printable(problem));
    }
    config.evidenceWaitSeconds = std::clamp(settings.evidenceWaitSeconds, 0, 3600);
    config.restartUnprovenDeallocation = settings.restartUnprovenDeallocation;
    config.heartbeatIntervalSeconds = std::clamp(settings.heartbeatIntervalSeconds, 1, 86'400);
    config.agentSilentIntervals = std::clamp(settings.agentSilentIntervals, 0, 1000);
    config.appHealthTimeoutMinutes = std::clamp(settings.appHealthTimeoutMinutes, 0, 1440);
    config.appUnhealthyMinutes = std::clamp(settings.appUnhealthyMinutes, 0, 1440);
    config.appRestart = settings.appRestart;
    config.appRestartsPerHour = std::clamp(settings.appRestartsPerHour, 0, 60);
    QString listenerProblem;
    if (!config.address.setAddress(settings.listenAddress.trimmed())) {
        listenerProblem =
            tr("the listen address %1 is not an IP address").arg(settings.listenAddress);
    }
    if (settings.tls) {
        config.tls.certificateFile = settings.tlsCertificate;
        config.tls.privateKeyFile = settings.tlsKey;
        config.agentCaFile = settings.tlsAgentCa;
    }
    if (m_overlay)
        m_overlay(config);
    if (listenerProblem.isEmpty())
        listenerProblem = config.validate();
    core::EngineHostOptions options;
    options.excludeManagedIdentity = true; // SPOTKEEPER_MANAGED_IDENTITY=on turns it back on
    options.tolerateAzureConfigError = true;
    options.observeOnly = settings.credentialSource == QLatin1StringView("none");
    m_host = std::make_unique<core::EngineHost>(config, *m_store, m_clock, options);
    QString error;
    if (!m_host->prepare(&error)) {
        // Only the certificate or its CA can refuse here: run without the listener.
        listenerProblem = error;
        config.tls = {};
        config.agentCaFile.clear();
        m_host = std::make_unique<core::EngineHost>(config, *m_store, m_clock, options);
        m_host->prepare(&error);
    }
    connect(m_host.get(), &core::EngineHost::drained, this, &DashboardSession::announceStopped);
    if (listenerProblem.isEmpty())
        m_host->listen(&listenerProblem);
    // The keys panel goes through the listener's manager, so its cache sees changes at once.
    if (m_host->listener()) {
        m_source->setKeyManager(&m_host->listener()->keys(),
                                qint64(config.rotationOverlapHours) * 3600);
        // Enrolment snippets carry the listener's private CA, as spotkeeperd's do.
        m_source->setAgentCa(m_host->listener()->options().agentCaPem);
    }
    connect(m_host->listener(), &core::WebhookListener::noticeStored, this, [this](qint64 vmId) {
        m_source->notifyVmChanged(vmId);
        notifyLatestEvent(vmId, core::EventKind::Notice);
    });
    // Silent agents: the row's status and the timeline (and the tray, for the alert).
    connect(m_host->agentWatch(), &core::AgentWatch::agentSilent, this, [this](qint64 vmId) {
        m_source->notifyVmChanged(vmId);
        notifyLatestEvent(vmId, core::EventKind::Alert);
    });
    connect(m_host->agentWatch(), &core::AgentWatch::agentResumed, this, [this](qint64 vmId) {
        m_source->notifyVmChanged(vmId);
        notifyLatestEvent(vmId, core::EventKind::Heartbeat);
    });

    SourceStatus status = m_source->status();
    status.listenerAddress = m_host->listenAddress();
    status.listenerTls = m_host->isTls();
    status.listenerProblem = listenerProblem;
    status.credentialsAvailable = false;
    if (options.observeOnly) {
        m_host->startEngine(); // no engine: the agent watch alone
        status.observeOnly = true;
        status.actionsDisabledReason =
            tr("Azure credentials are turned off in Settings: notices are received and stored, "
               "but no VM can be restarted.");
        m_source->setStatus(status);
        return;
    }
    const QString configError = m_host->azureConfigError();
    status.actionsDisabledReason = configError.isEmpty()
        ? tr("Signing in to Azure…")
        : tr("Azure configuration error: %1").arg(configError);
    m_source->setStatus(status);
    wireEngine();
}

void DashboardSession::wireEngine()
{
    core::RestartEngine *engine = m_host->engine();
    core::ArmCloudProvider *cloud = m_host->cloud();
    m_source->setOperations(engine);
    m_source->setCloudProvider(cloud);
    connect(engine, &core::RestartEngine::jobChanged, this, [this](qint64 vmId) {
        m_source->notifyVmChanged(vmId);
        m_source->notifyJobChanged(vmId);
    });
    connect(engine, &core::RestartEngine::evictionRecorded, this,
            [this](qint64 vmId) { notifyLatestEvent(vmId, core::EventKind::Eviction); });
    connect(engine, &core::RestartEngine::alertRaised, this,
            [this](qint64 vmId) { notifyLatestEvent(vmId, core::EventKind::Alert); });
    // A stop on purpose (the operator's, or one the Activity Log proved) changes the VM's
    // desired state and writes a timeline event; then the cloud answers the deallocation.
    connect(engine, &core::RestartEngine::stoppedOnPurpose, this, [this](qint64 vmId) {
        m_source->notifyVmChanged(vmId);
        m_source->notifyJobChanged(vmId);
        notifyLatestEvent(vmId, core::EventKind::PowerChange);
        m_source->notifyAuditAppended(); // a reconciler decision writes its own audit row
    });
    connect(engine, &core::RestartEngine::deallocateAnswered, this,
            [this](qint64 vmId) { m_source->notifyVmChanged(vmId); });
    connect(m_host->reconciler(), &core::Reconciler::powerStateChanged, this,
            [this](qint64 vmId) { m_source->notifyVmChanged(vmId); });
    m_host->startEngine();
    m_budgetTimer = std::make_unique<QTimer>();
    m_budgetTimer->setInterval(m_budgetRefreshMs);
    connect(m_budgetTimer.get(), &QTimer::timeout, this, &DashboardSession::refreshBudget);
    m_budgetTimer->start();
    // Ask for a token now, so the status bar and the actions know where we stand, and again
    // whenever the shown one nears its expiry (or every few minutes while there is none: an
    // `az login` done after the start is picked up without a restart).
    refreshCredentials();
}

void DashboardSession::refreshCredentials()
{
    core::ArmCloudProvider *cloud = m_host ? m_host->cloud() : nullptr;
    if (!cloud)
        return;
    m_credentialsCheckedAt = m_clock.nowUtc();
    cloud->credential()->requestToken([this, cloud](const core::TokenResult &result) {
        SourceStatus s = m_source->status();
        s.credentialsAvailable = result.ok();
        s.credentialSource = result.ok() ? cloud->credential()->sourceName() : QString();
        s.principal = result.ok() ? cloud->credential()->principal() : QString();
        s.tokenExpiresAt = result.ok() ? result.token.expiresOn : QDateTime();
        s.actionsDisabledReason = result.ok()
            ? QString()
            : tr("No Azure credentials (%1): sign in with az login or configure a service "
                 "principal in Settings.")
                  .arg(result.error);
        m_source->setStatus(s);
    });
}

void DashboardSession::notifyLatestEvent(qint64 vmId, core::EventKind kind)
{
    core::EventFilter filter;
    filter.vmId = vmId;
    filter.kinds = {kind};
    filter.beforeId = std::numeric_limits<qint64>::max();
    filter.limit = 1;
    const QList<core::EventRecord> latest = m_store->events(filter);
    if (!latest.isEmpty())
        m_source->notifyEventAppended(latest.constFirst());
}

FleetSource &DashboardSession::source()
{
    return *m_source;
}

} // namespace spotkeeper::gui
