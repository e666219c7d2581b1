// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/engineidentity.h"

#include "base/randombytes.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSysInfo>

Q_LOGGING_CATEGORY(lcIdentity, "spotkeeper.engine.identity")

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

// Replicas of one store on one host (tests, a small deployment) each get a stable identity.
constexpr int kHostSlots = 8;

QString randomHex(int bytes)
{
    return QString::fromLatin1(base::randomBytes(bytes).toHex());
}

QString hostName()
{
    QString host = QSysInfo::machineHostName().left(40);
    if (host.isEmpty())
        host = u"localhost"_s;
    return host;
}

bool isFileStore(const QString &path)
{
    return !path.isEmpty() && path != ":memory:"_L1;
}

} // namespace

EngineIdentity::~EngineIdentity() = default;

QString EngineIdentity::lockPath() const
{
    return m_lock ? m_lock->fileName() : QString();
}

std::unique_ptr<EngineIdentity> EngineIdentity::acquire(Store &store, const QString &configured)
{
    std::unique_ptr<EngineIdentity> identity(new EngineIdentity);
    const QString host = hostName();
    const QString perRun = u"engine:"_s + host + u':'
        + QString::number(QCoreApplication::applicationPid()) + u'-' + randomHex(3);
    const QString wanted = configured.trimmed();
    QString stable = wanted;
    if (stable.isEmpty() && isFileStore(store.path()))
        stable = store.metaValueOrInsert(u"engine_id:"_s + host,
                                         u"engine:"_s + host + u':' + randomHex(6));
    if (stable.isEmpty() || !isFileStore(store.path())) {
        // No file to lock beside (an in-memory store) or the store could not say: this run
        // only. A restart then waits for the old leases to expire, as before.
        identity->m_owner = stable.isEmpty() ? perRun : stable;
        identity->m_stable = !stable.isEmpty();
        return identity;
    }
    // A database server shared by replicas: the identity is a lock of this engine's own
    // connection, freed by the server when the process dies, so a restarted replica gets
    // its identity (and its leases) back at once. Several replicas on one host take the
    // host's identity in turn: slot 2, 3, ... (a configured identity has no slots).
    const int slotCount = wanted.isEmpty() ? kHostSlots : 1;
    for (int slot = 1; slot <= slotCount; ++slot) {
        const QString candidate = slot == 1 ? stable : stable + u'#' + QString::number(slot);
        const Store::NamedLock lock = store.holdNamedLock(u"engine-identity:"_s + candidate);
        if (lock == Store::NamedLock::Unsupported)
            return lockBesideFile(std::move(identity), stable, perRun, store.path());
        if (lock == Store::NamedLock::Held) {
            identity->m_owner = candidate;
            identity->m_stable = true;
            return identity;
        }
    }
    qCWarning(lcIdentity).noquote() << "engine identity" << stable << "is in use by" << slotCount
                                    << "other engines on this store; this engine runs as" << perRun
                                    << "(its jobs are not reclaimed on restart)";
    identity->m_owner = perRun;
    identity->m_stable = false;
    return identity;
}

std::unique_ptr<EngineIdentity>
EngineIdentity::lockBesideFile(std::unique_ptr<EngineIdentity> identity, const QString &stable,
                               const QString &perRun, const QString &storePath)
{
    const QByteArray digest =
        QCryptographicHash::hash(stable.toUtf8(), QCryptographicHash::Sha256).toHex().left(12);
    auto lock = std::make_unique<QLockFile>(storePath + u".engine-"_s + QString::fromLatin1(digest)
                                            + u".lock"_s);
    lock->setStaleLockTime(0); // stale only when its process is gone, never by age
    if (lock->tryLock(0)) {
        identity->m_owner = stable;
        identity->m_stable = true;
        identity->m_lock = std::move(lock);
        return identity;
    }
    qint64 pid = 0;
    QString otherHost;
    QString app;
    lock->getLockInfo(&pid, &otherHost, &app);
    qCWarning(lcIdentity).noquote()
        << "engine identity" << stable << "is in use by process" << pid
        << "on this host; this engine runs as" << perRun << "(its jobs are not reclaimed on"
        << "restart)";
    identity->m_owner = perRun;
    identity->m_stable = false;
    return identity;
}

} // namespace spotkeeper::core
