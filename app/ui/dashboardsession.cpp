// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboardsession.h"

#include "armcloudprovider.h"
#include "clock.h"
#include "engine/restartengine.h"
#include "localfleetsource.h"
#include "store/store.h"

#include <QDir>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <limits>

namespace spotkeeper::gui {

DashboardSession::DashboardSession(core::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{ }

DashboardSession::~DashboardSession()
{
    // The source forwards to the engine: drop that link before the engine goes.
    if (m_source)
        m_source->setOperations(nullptr);
}

QString DashboardSession::defaultStorePath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("spotkeeper.db"));
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
    if (settings.credentialSource == QLatin1StringView("none")) {
        SourceStatus status = m_source->status();
        status.actionsDisabledReason = tr("Azure credentials are turned off in Settings: the "
                                          "dashboard only observes.");
        m_source->setStatus(status);
        return true;
    }
    startEngine();
    return true;
}

void DashboardSession::startEngine()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    core::AzureConfig azure;
    // A workstation is no Azure VM: probing the metadata endpoint for a managed identity
    // would only time out. SPOTKEEPER_MANAGED_IDENTITY=on turns it back on.
    azure.credentials.excludeManagedIdentity = true;
    const QString configError = core::azureConfigFromEnvironment(env, &azure);
    m_cloud = core::ArmCloudProvider::create(azure, env, m_clock, this);
    m_engine = std::make_unique<core::RestartEngine>(*m_store, *m_cloud, m_clock);
    m_source->setOperations(m_engine.get());
    m_source->setCloudProvider(m_cloud);
    connect(m_engine.get(), &core::RestartEngine::jobChanged, this, [this](qint64 vmId) {
        m_source->notifyVmChanged(vmId);
        m_source->notifyJobChanged(vmId);
    });
    connect(m_engine.get(), &core::RestartEngine::evictionRecorded, this,
            [this](qint64 vmId) { notifyLatestEvent(vmId, core::EventKind::Eviction); });
    connect(m_engine.get(), &core::RestartEngine::alertRaised, this,
            [this](qint64 vmId) { notifyLatestEvent(vmId, core::EventKind::Alert); });
    m_engine->start();

    SourceStatus status = m_source->status();
    status.credentialsAvailable = false;
    status.actionsDisabledReason = configError.isEmpty()
        ? tr("Signing in to Azure…")
        : tr("Azure configuration error: %1").arg(configError);
    m_source->setStatus(status);
    // Ask for a token once now, so the status bar and the actions know where we stand.
    m_cloud->credential()->requestToken([this](const core::TokenResult &result) {
        SourceStatus s = m_source->status();
        s.credentialsAvailable = result.ok();
        s.credentialSource = result.ok() ? m_cloud->credential()->sourceName() : QString();
        s.principal = result.ok() ? m_cloud->credential()->principal() : QString();
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
