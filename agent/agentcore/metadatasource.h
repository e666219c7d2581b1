// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/backoff.h"
#include "agentcore/noticesource.h"
#include "base/clock.h"

// What every source that polls its cloud's metadata service keeps the same way (Azure
// IMDS, the Compute Engine metadata server): who the VM is once read, why it is not known
// yet, the outcome of the last poll (time-stamped with the injected clock), and the
// backoff of identity reads, which are retried until they succeed. The subclass reads
// and polls; it reports here what it learned.
namespace spotkeeper::agent {

class MetadataSource : public NoticeSource
{
    Q_OBJECT
public:
    bool identityKnown() const override { return m_identityKnown; }
    protocol::VmIdentity identity() const override { return m_identity; }
    QString identityError() const override { return m_identityError; }
    protocol::PollOutcome lastPoll() const override { return m_lastPoll; }

protected:
    // service names the metadata service in log lines ("IMDS instance metadata").
    MetadataSource(const base::Clock &clock, QString service, int backoffBaseMs,
                   int identityBackoffCapMs, quint32 seed, QObject *parent);

    // The identity is read: kept, logged ("identity: " + description) and announced.
    void identityRead(const protocol::VmIdentity &vm, const QString &description);
    // Reading the identity failed: the problem is kept and logged; returns the delay
    // before the next try (at least minDelayMs).
    int identityFailed(const QString &problem, int minDelayMs);
    // A poll answered; the outcome heartbeats carry.
    void pollSucceeded() { m_lastPoll = {m_clock.nowUtc(), true, {}}; }
    // A poll answered but something in it could not be read: noted, not announced.
    void pollIncomplete(const QString &problem) { m_lastPoll = {m_clock.nowUtc(), false, problem}; }
    // A poll failed: noted and announced (pollFailed).
    void pollFailedWith(const QString &problem);

    const protocol::VmIdentity &knownIdentity() const { return m_identity; }
    // acknowledge() of a cloud with no call that lets an event start early: done(false, why)
    // on the event loop's next turn (never from inside acknowledge()).
    void refuseAcknowledge(std::function<void(bool, const QString &)> done, const QString &why);

private:
    const base::Clock &m_clock;
    QString m_service;
    Backoff m_identityBackoff;
    bool m_identityKnown = false;
    protocol::VmIdentity m_identity;
    QString m_identityError = QStringLiteral("not read yet");
    protocol::PollOutcome m_lastPoll;
};

} // namespace spotkeeper::agent
