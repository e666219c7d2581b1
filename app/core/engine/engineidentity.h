// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <memory>

class QLockFile;

// The lease owner an engine works under (docs/ENGINE.md "Leases and identity"). A stable
// identity per store and host, so an engine restarted after a crash reclaims its own
// leases at once instead of waiting up to the lease time for them to expire: a random id
// persisted in the store (schema_meta, keyed by host name), or the one configured
// ([engine] id). A lock held while the engine runs keeps two processes from working under
// one identity. On a file store it is a lock file beside the store: a second engine on the
// same host gets an identity of its own for this run, and a lock left by a killed process
// is stale (its pid is gone) and taken over. On a database server (PostgreSQL) it is a
// lock of the engine's own connection (Store::holdNamedLock), which the server frees when
// the process dies: several replicas on one host take numbered slots of the host's
// identity ("<id>#2", ...), each stable across restarts.
namespace spotkeeper::core {

class Store;

class EngineIdentity
{
public:
    // configured: an explicit identity; empty = the store's for this host.
    static std::unique_ptr<EngineIdentity> acquire(Store &store, const QString &configured);
    ~EngineIdentity();
    Q_DISABLE_COPY_MOVE(EngineIdentity)

    QString owner() const { return m_owner; }
    bool isStable() const { return m_stable; } // false: a per-run identity (lock held elsewhere)
    QString lockPath() const;

private:
    EngineIdentity() = default;
    static std::unique_ptr<EngineIdentity> lockBesideFile(std::unique_ptr<EngineIdentity> identity,
                                                          const QString &stable,
                                                          const QString &perRun,
                                                          const QString &storePath);

    QString m_owner;
    bool m_stable = false;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace spotkeeper::core
