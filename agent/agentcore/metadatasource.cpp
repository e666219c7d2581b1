// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/metadatasource.h"

#include "agentcore/agentlog.h"

#include <QTimer>

#include <algorithm>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

MetadataSource::MetadataSource(const base::Clock &clock, QString service, int backoffBaseMs,
                               int identityBackoffCapMs, quint32 seed, QObject *parent)
    : NoticeSource(parent)
    , m_clock(clock)
    , m_service(std::move(service))
    , m_identityBackoff(backoffBaseMs, identityBackoffCapMs, seed)
{ }

void MetadataSource::identityRead(const protocol::VmIdentity &vm, const QString &description)
{
    m_identity = vm;
    m_identityKnown = true;
    m_identityError.clear();
    m_identityBackoff.reset();
    qCInfo(lcAgent).noquote() << u"identity: "_s + description;
    emit identityResolved(m_identity);
}

int MetadataSource::identityFailed(const QString &problem, int minDelayMs)
{
    m_identityError = problem;
    const int delay = std::max(minDelayMs, m_identityBackoff.nextDelayMs());
    qCWarning(lcAgent).noquote()
        << u"identity: cannot read %1 (%2); retry %3 in %4 ms, no events are watched until "
           "then"_s.arg(m_service, problem)
               .arg(m_identityBackoff.failures())
               .arg(delay);
    return delay;
}

void MetadataSource::pollFailedWith(const QString &problem)
{
    m_lastPoll = {m_clock.nowUtc(), false, problem};
    emit pollFailed(problem);
}

void MetadataSource::refuseAcknowledge(std::function<void(bool, const QString &)> done,
                                       const QString &why)
{
    QTimer::singleShot(0, this, [done = std::move(done), why] { done(false, why); });
}

} // namespace spotkeeper::agent
