// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/messages.h"

#include <QList>
#include <QObject>

#include <functional>

// The cloud-agnostic seam between "where maintenance notices come from" (Azure IMDS
// today; AWS instance-action or GCP preempted tomorrow) and delivery. A source finds
// out who the VM is, then reports, after every successful poll, the events that
// concern this VM. It never gives up and never invents an identity.
namespace spotkeeper::agent {

struct EventSnapshot
{
    qint64 incarnation = 0; // changes whenever the document changes
    QList<protocol::ScheduledEvent> events; // only this VM's events
    int otherEvents = 0; // events in the document for other VMs
};

class NoticeSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void start() = 0;
    virtual void stop() = 0;
    virtual bool identityKnown() const = 0;
    virtual protocol::VmIdentity identity() const = 0; // empty until identityKnown()
    virtual QString identityError() const = 0; // why it is not known yet
    virtual protocol::PollOutcome lastPoll() const = 0;

    // Lets the platform proceed with an event now instead of at NotBefore. Calls
    // done(ok, error) once; a source without such a call reports an error.
    virtual void acknowledge(const QString &eventId,
                             std::function<void(bool ok, const QString &error)> done) = 0;

signals:
    void identityResolved(const spotkeeper::protocol::VmIdentity &vm);
    void eventsObserved(const spotkeeper::agent::EventSnapshot &snapshot);
    void pollFailed(const QString &reason);
};

} // namespace spotkeeper::agent
