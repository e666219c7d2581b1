// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboardsession.h"

#include "clock.h"
#include "localfleetsource.h"
#include "store/store.h"

#include <QDir>
#include <QStandardPaths>

namespace spotkeeper::gui {

DashboardSession::DashboardSession(core::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{ }

DashboardSession::~DashboardSession() = default;

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
    SourceStatus status = m_source->status();
    status.actionsDisabledReason =
        tr("The restart engine is not running in this dashboard yet: actions are unavailable.");
    m_source->setStatus(status);
    return true;
}

FleetSource &DashboardSession::source()
{
    return *m_source;
}

} // namespace spotkeeper::gui
