// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/engineidentity.h"

#include "store/store.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QLockFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSysInfo>

Q_LOGGING_CATEGORY(lcIdentity, "spotkeeper.engine.identity")

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QString randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(raw.toHex());
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
    QString stable = configured.trimmed();
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
    const QByteArray digest =
        QCryptographicHash::hash(stable.toUtf8(), QCryptographicHash::Sha256).toHex().left(12);
    auto lock = std::make_unique<QLockFile>(store.path() + u".engine-"_s
                                            + QString::fromLatin1(digest) + u".lock"_s);
    lock->setStaleLockTime(0); // stale only when its process is gone, never by age
    if (lock->tryLock(0)) {
        identity->m_owner = stable;
        identity->m_stable = true;
        identity->m_lock = std::move(lock);
        return identity;
    }
    qint64 pid = 0;
    QString otherHost, app;
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
