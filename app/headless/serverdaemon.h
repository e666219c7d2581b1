// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "serverconfig.h"

#include <QObject>
#include <QTimer>

#include <memory>

// spotkeeperd's running server: the store, the listener on its HttpServer, the restart
// engine over ArmCloudProvider and the reconciler, wired as the dashboard wires them.
// start() refuses (false + a message saying what to fix) on an unreadable secret or
// certificate, a busy port or a store it cannot open (e.g. written by a newer version).
// stop() drains: no new connections, queued notices committed and answered, open
// requests finished (bounded by the read deadline), then finished() is emitted.
namespace spotkeeper::core {
class ArmCloudProvider;
class EngineMetrics;
class Reconciler;
class RestartEngine;
class Store;
class WebhookListener;
} // namespace spotkeeper::core
namespace spotkeeper::http {
class HttpServer;
}

namespace spotkeeper::headless {

class ServerDaemon final : public QObject
{
    Q_OBJECT
public:
    explicit ServerDaemon(core::ServerConfig config, QObject *parent = nullptr);
    ~ServerDaemon() override;
    Q_DISABLE_COPY_MOVE(ServerDaemon)

    bool start(QString *error);
    void stop();

signals:
    void finished();

private:
    bool startCloud(QString *error);
    void checkDrained();

    core::ServerConfig m_config;
    std::unique_ptr<core::Store> m_store;
    core::ArmCloudProvider *m_cloud = nullptr; // QObject child
    std::unique_ptr<core::RestartEngine> m_engine;
    std::unique_ptr<core::Reconciler> m_reconciler;
    std::unique_ptr<core::EngineMetrics> m_engineMetrics;
    std::unique_ptr<core::WebhookListener> m_listener;
    std::unique_ptr<http::HttpServer> m_server;
    QTimer m_drainTimer;
    qint64 m_drainDeadlineMs = 0;
    bool m_stopping = false;
};

} // namespace spotkeeper::headless
