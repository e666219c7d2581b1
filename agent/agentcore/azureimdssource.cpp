// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/azureimdssource.h"

#include "agentcore/agentlog.h"
#include "agentcore/scheduledevents.h"

#include <algorithm>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

AzureImdsSource::AzureImdsSource(const QUrl &imdsUrl, const ImdsTiming &timing, quint32 seed,
                                 const base::Clock &clock, QObject *parent)
    : MetadataSource(clock, u"IMDS instance metadata"_s, timing.errorBackoffBaseMs,
                     timing.identityBackoffCapMs, seed, parent)
    , m_client(imdsUrl)
    , m_timing(timing)
    , m_pollBackoff(timing.errorBackoffBaseMs, timing.errorBackoffCapMs, seed ^ 0x9e3779b9U)
{
    m_timer.setSingleShot(true);
    // A coarse timer may fire 5% early: 190 ms gaps would break IMDS's 5 requests/s.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (identityKnown())
            poll();
        else
            fetchIdentity();
    });
}

void AzureImdsSource::start()
{
    if (m_running)
        return;
    m_running = true;
    scheduleNext(0);
}

void AzureImdsSource::stop()
{
    m_running = false;
    m_timer.stop();
}

void AzureImdsSource::scheduleNext(int delayMs)
{
    if (m_running)
        m_timer.start(std::max(0, delayMs));
}

void AzureImdsSource::fetchIdentity()
{
    m_sinceLastStart.start();
    m_client.getInstance(m_timing.identityTimeoutMs,
                         [this](const ImdsReply &reply) { handleIdentity(reply); });
}

void AzureImdsSource::handleIdentity(const ImdsReply &reply)
{
    if (!m_running)
        return;
    QString problem = reply.error;
    if (reply.ok()) {
        QString warning;
        const auto parsed = parseInstanceMetadata(reply.body, &warning);
        if (parsed.value) {
            const protocol::VmIdentity &vm = *parsed.value;
            if (!warning.isEmpty())
                qCWarning(lcAgent).noquote() << u"identity: "_s + warning;
            identityRead(vm,
                         u"VM %1 in resource group %2, subscription %3 (priority %4%5), "
                         "resource id %6"_s.arg(vm.vmName, vm.resourceGroup, vm.subscriptionId,
                                                vm.priority,
                                                vm.evictionPolicy.isEmpty()
                                                    ? QString()
                                                    : u", eviction policy "_s + vm.evictionPolicy,
                                                vm.resourceId()));
            scheduleNext(kMinRequestGapMs);
            return;
        }
        problem = parsed.error;
    }
    scheduleNext(identityFailed(problem, kMinRequestGapMs));
}

void AzureImdsSource::poll()
{
    m_sinceLastStart.start();
    const int timeout = m_answeredOnce ? m_timing.pollTimeoutMs : m_timing.firstPollTimeoutMs;
    m_client.getScheduledEvents(timeout, [this](const ImdsReply &reply) { handlePoll(reply); });
}

void AzureImdsSource::handlePoll(const ImdsReply &reply)
{
    if (!m_running)
        return;
    QString problem = reply.error;
    if (reply.ok()) {
        const auto parsed = parseScheduledEvents(reply.body);
        if (parsed.value) {
            if (!m_answeredOnce)
                qCInfo(lcAgent).noquote() << u"scheduled events: IMDS answered the first poll"_s;
            if (m_pollBackoff.failures() > 0)
                qCInfo(lcAgent).noquote()
                    << u"scheduled events: IMDS reachable again after %1 failed poll(s)"_s.arg(
                           m_pollBackoff.failures());
            m_answeredOnce = true;
            m_pollBackoff.reset();
            pollSucceeded();
            const QString &vmName = knownIdentity().vmName;
            reportUnreadable(unreadableForVm(parsed.value->unreadable, vmName));
            EventSnapshot snapshot;
            snapshot.incarnation = parsed.value->incarnation;
            snapshot.events = eventsForVm(parsed.value->events, vmName);
            snapshot.otherEvents = int(parsed.value->events.size() - snapshot.events.size());
            if (snapshot.incarnation != m_lastIncarnation) {
                qCInfo(lcAgent).noquote()
                    << u"scheduled events: incarnation %1, %2 event(s) for this VM, %3 for "
                       "others"_s.arg(snapshot.incarnation)
                           .arg(snapshot.events.size())
                           .arg(snapshot.otherEvents);
                m_lastIncarnation = snapshot.incarnation;
            }
            emit eventsObserved(snapshot);
            const auto elapsed = static_cast<int>(m_sinceLastStart.elapsed());
            scheduleNext(std::max(kMinRequestGapMs, m_timing.pollIntervalMs - elapsed));
            return;
        }
        problem = u"unreadable document: "_s + parsed.error;
    }
    const int delay = std::max(m_timing.pollIntervalMs, m_pollBackoff.nextDelayMs());
    qCWarning(lcAgent).noquote() << u"scheduled events: poll failed (%1); retry %2 in %3 ms"_s
                                        .arg(problem)
                                        .arg(m_pollBackoff.failures())
                                        .arg(delay);
    pollFailedWith(problem);
    scheduleNext(delay);
}

void AzureImdsSource::reportUnreadable(const QList<UnreadableEvent> &events)
{
    // The poll itself worked: no backoff, and every readable event is delivered. The
    // heartbeat's poll outcome and the log say which event could not be read, so an
    // operator learns of it; the log says it once per change, not once a second.
    const QString report = describeUnreadable(events);
    if (!report.isEmpty())
        pollIncomplete(report);
    if (report == m_lastUnreadableReport)
        return;
    m_lastUnreadableReport = report;
    if (report.isEmpty())
        qCInfo(lcAgent).noquote() << u"scheduled events: every event is readable again"_s;
    else
        qCWarning(lcAgent).noquote() << u"scheduled events: "_s + report;
}

void AzureImdsSource::acknowledge(const QString &eventId,
                                  std::function<void(bool, const QString &)> done)
{
    m_client.postStartRequests({eventId}, m_timing.pollTimeoutMs,
                               [done](const ImdsReply &reply) { done(reply.ok(), reply.error); });
}

} // namespace spotkeeper::agent
