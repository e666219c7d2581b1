// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dashboardsettings.h"
#include "fleettypes.h"

#include <QObject>

#include <memory>

namespace spotkeeper::core {
class ArmCloudProvider;
class Clock;
class RestartEngine;
class Store;
} // namespace spotkeeper::core

namespace spotkeeper::gui {

class FleetSource;
class LocalFleetSource;

// Everything the in-process dashboard runs besides the window: the store, the Azure
// provider (DefaultAzureCredential order: environment, Azure CLI, managed identity), the
// restart engine, and the LocalFleetSource the views read, with the engine's signals turned
// into the source's change signals. main.cpp only creates one of these and a MainWindow over
// source(). (The webhook listener is not started in-process yet: agents report to
// spotkeeperd, which shares the store.)
class DashboardSession final : public QObject
{
    Q_OBJECT
public:
    explicit DashboardSession(core::Clock &clock, QObject *parent = nullptr);
    ~DashboardSession() override;
    Q_DISABLE_COPY_MOVE(DashboardSession)

    // Opens the store at settings.storePath (default: AppDataLocation/spotkeeper.db).
    bool open(const DashboardSettings &settings, QString *error);
    FleetSource &source();
    core::Store *store() const { return m_store.get(); }
    static QString defaultStorePath();

private:
    core::Clock &m_clock;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<LocalFleetSource> m_source;
    core::ArmCloudProvider *m_cloud = nullptr; // child of this
    std::unique_ptr<core::RestartEngine> m_engine;

    void startEngine();
    void notifyLatestEvent(qint64 vmId, core::EventKind kind);
};

} // namespace spotkeeper::gui
