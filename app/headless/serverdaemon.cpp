// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/serverdaemon.h"

#include "base/clock.h"
#include "fleet/enginehost.h"
#include "headless/daemonlog.h"
#include "http/httpserver.h"
#include "store/store.h"

#include <QDir>
#include <QFileInfo>

namespace spotkeeper::headless {

using namespace Qt::StringLiterals;

ServerDaemon::ServerDaemon(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{ }

ServerDaemon::~ServerDaemon()
{
    // The host's engine and listener hold the store: they go first.
    m_host.reset();
    m_store.reset();
}

bool ServerDaemon::start(QString *error)
{
    // The store creates a missing SQLite folder itself (owner-only).
    core::StoreError storeError;
    const core::StoreOptions storeOptions = m_config.storeOptions();
    m_store = core::Store::open(storeOptions, &storeError);
    if (!m_store) {
        *error = u"cannot open the store "_s + storeOptions.path + u": "_s + storeError.message;
        return false;
    }
    m_host = std::make_unique<core::EngineHost>(m_config, *m_store, base::systemClock());
    connect(m_host.get(), &core::EngineHost::drained, this, [this](int leftOpen) {
        if (leftOpen > 0)
            qCWarning(lcDaemon) << "drain deadline reached with" << leftOpen
                                << "connection(s) still open; closing them";
        qCInfo(lcDaemon) << "stopped";
        emit finished();
    });
    if (!m_host->prepare(error) || !m_host->listen(error))
        return false;

    const bool tls = m_host->isTls();
    if (!m_config.isLoopback() && !tls) {
        qCWarning(lcDaemon).noquote()
            << "listening on a non-loopback address WITHOUT TLS (--insecure-listen): agent "
               "notices and operator tokens cross the network in clear text";
    }
    qCInfo(lcDaemon).noquote() << u"listening on %1 (%2)"_s.arg(
        m_host->listenAddress(),
        !tls ? u"http"_s
             : (m_config.tls.clientCaFile.isEmpty() ? u"https"_s
                                                    : u"https, client certificates required"_s));
    qCInfo(lcDaemon).noquote() << "store" << m_store->path() << "schema"
                               << m_store->schemaVersion();
    qCInfo(lcDaemon).noquote() << "Azure credential:" << m_host->credentialStatus();

    m_host->startEngine();
    return true;
}

void ServerDaemon::reloadTls()
{
    if (!m_host || m_stopping)
        return;
    QString error;
    // The reloader logs the outcome (spotkeeper.tls); only "nothing to reload" is said here.
    if (!m_host->isTls())
        qCInfo(lcDaemon) << "SIGHUP: TLS is off, nothing to reload";
    else
        m_host->reloadTls(&error);
}

void ServerDaemon::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (!m_host || !m_host->server()) {
        emit finished();
        return;
    }
    qCInfo(lcDaemon) << "stopping: no new connections; draining"
                     << m_host->server()->openConnections() << "open connection(s)";
    m_host->stop();
}

} // namespace spotkeeper::headless
