// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "headless/serverconfig.h"

#include <QObject>

#include <memory>

// spotkeeperd's running server: opens the store and runs a core::EngineHost over it (the
// listener on its HttpServer, the restart engine over ArmCloudProvider and the
// reconciler, wired as the dashboard wires them), logging to the journal.
// start() refuses (false + a message saying what to fix) on an unreadable secret or
// certificate, a busy port or a store it cannot open (e.g. written by a newer version).
// stop() drains (see EngineHost::stop), then finished() is emitted.
namespace spotkeeper::core {
class EngineHost;
class Store;
} // namespace spotkeeper::core

namespace spotkeeper::headless {

class ServerDaemon final : public QObject
{
    Q_OBJECT
public:
    explicit ServerDaemon(ServerConfig config, QObject *parent = nullptr);
    ~ServerDaemon() override;
    Q_DISABLE_COPY_MOVE(ServerDaemon)

    bool start(QString *error);
    void stop();
    // SIGHUP: loads the TLS certificate and key again (a bad file keeps the old ones, logged).
    void reloadTls();

signals:
    void finished();

private:
    ServerConfig m_config;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<core::EngineHost> m_host;
    bool m_stopping = false;
};

} // namespace spotkeeper::headless
