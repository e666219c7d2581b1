// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/ec2metadatasource.h"

#include "agentcore/agentlog.h"
#include "protocol/timeformat.h"

#include <QStringList>

#include <algorithm>
#include <array>
#include <memory>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

constexpr std::array<QLatin1StringView, 3> kPaths = {
    "/latest/meta-data/spot/instance-action"_L1,
    "/latest/meta-data/events/recommendations/rebalance"_L1,
    "/latest/meta-data/events/maintenance/scheduled"_L1,
};

// A maintenance event SpotKeeper reports: active (or without a state); completed and
// canceled ones stay in the list for a while but concern nothing any more.
bool isActive(const Ec2MaintenanceEvent &event)
{
    return event.state.isEmpty() || event.state == "active"_L1;
}

// An item that is there only while it applies: absent (404) clears *target, a readable body
// replaces it, an unreadable one leaves it. "" or why the body could not be read.
template<typename T, typename Parse>
QString readOptional(std::optional<T> *target, const Ec2Reply &reply, Parse parse)
{
    if (reply.notFound()) {
        target->reset();
        return {};
    }
    const Parsed<T> parsed = parse(QByteArrayView(reply.body));
    if (parsed.value)
        *target = parsed.value;
    return parsed.error;
}

} // namespace

Ec2MetadataSource::Ec2MetadataSource(const QUrl &imdsUrl, const Ec2Timing &timing, quint32 seed,
                                     const base::Clock &clock, QObject *parent)
    : MetadataSource(clock, u"the EC2 instance metadata service"_s, timing.errorBackoffBaseMs,
                     timing.identityBackoffCapMs, seed, parent)
    , m_client(imdsUrl, clock, timing.tokenTtlSeconds)
    , m_timing(timing)
    , m_pollBackoff(timing.errorBackoffBaseMs, timing.errorBackoffCapMs, seed ^ 0x5bd1e995U)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
}

Ec2MetadataSource::~Ec2MetadataSource() = default;

void Ec2MetadataSource::start()
{
    if (m_running)
        return;
    m_running = true;
    m_timer.disconnect();
    if (identityKnown()) {
        connect(&m_timer, &QTimer::timeout, this, &Ec2MetadataSource::poll);
        m_timer.start(0);
        return;
    }
    connect(&m_timer, &QTimer::timeout, this, &Ec2MetadataSource::readIdentity);
    m_timer.start(0);
}

void Ec2MetadataSource::stop()
{
    m_running = false;
    ++m_generation;
    m_timer.stop();
}

void Ec2MetadataSource::readIdentity()
{
    if (!m_running)
        return;
    const quint64 generation = m_generation;
    // The document first, then the lifecycle (a Spot Instance says "spot").
    m_client.get(u"/latest/dynamic/instance-identity/document"_s, m_timing.requestTimeoutMs,
                 [this, generation](const Ec2Reply &document) {
                     if (generation != m_generation || !m_running)
                         return;
                     if (!document.ok()) {
                         handleIdentity(document, {});
                         return;
                     }
                     m_client.get(u"/latest/meta-data/instance-life-cycle"_s,
                                  m_timing.requestTimeoutMs,
                                  [this, generation, document](const Ec2Reply &lifecycle) {
                                      if (generation == m_generation && m_running)
                                          handleIdentity(document, lifecycle);
                                  });
                 });
}

void Ec2MetadataSource::handleIdentity(const Ec2Reply &document, const Ec2Reply &lifecycle)
{
    QString problem;
    if (!document.ok())
        problem = u"instance-identity/document: "_s + document.error;
    else if (!lifecycle.ok() && !lifecycle.notFound())
        problem = u"instance-life-cycle: "_s + lifecycle.error;
    if (problem.isEmpty()) {
        const auto parsed =
            parseEc2Identity(document.body, lifecycle.ok() ? lifecycle.body : QByteArray());
        if (parsed.value) {
            const protocol::VmIdentity &vm = *parsed.value;
            identityRead(vm,
                         u"EC2 instance %1 (%2) in account %3, %4 (%5), lifecycle %6, "
                         "resource id %7"_s.arg(
                             vm.vmId, vm.instanceType, vm.accountId, vm.location, vm.zone,
                             vm.priority.isEmpty() ? u"unknown"_s : vm.priority, vm.resourceId()));
            m_timer.disconnect();
            connect(&m_timer, &QTimer::timeout, this, &Ec2MetadataSource::poll);
            m_timer.start(0);
            return;
        }
        problem = parsed.error;
    }
    m_timer.start(identityFailed(problem, kMinRequestGapMs));
}

void Ec2MetadataSource::poll()
{
    if (!m_running)
        return;
    m_sinceLastStart.start();
    const quint64 generation = m_generation;
    for (int i = 0; i < kItems; ++i) {
        m_reads.at(i) = Read {};
        m_client.get(kPaths.at(i), m_timing.requestTimeoutMs,
                     [this, generation, i](const Ec2Reply &reply) {
                         if (generation != m_generation || !m_running)
                             return;
                         m_reads.at(i) = Read {true, reply};
                         if (std::all_of(std::begin(m_reads), std::end(m_reads),
                                         [](const Read &r) { return r.done; }))
                             handlePoll();
                     });
    }
}

QString Ec2MetadataSource::applyItem(Item item, const Ec2Reply &reply)
{
    const bool absent = reply.notFound();
    if (!reply.ok() && !absent)
        return QString(kPaths.at(item)).mid(18) + u": "_s // without "/latest/meta-data/"
            + reply.error;
    switch (item) {
    case Action:
        return readOptional(&m_action, reply, parseInstanceAction);
    case Rebalance:
        return readOptional(&m_rebalance, reply, parseRebalanceRecommendation);
    case Maintenance: {
        const auto parsed = parseScheduledMaintenance(absent ? QByteArray() : reply.body);
        if (parsed.value)
            m_maintenance = *parsed.value;
        return parsed.error;
    }
    case kItems:
        break;
    }
    return {};
}

void Ec2MetadataSource::handlePoll()
{
    QStringList problems;
    int failedReads = 0; // no answer, or an HTTP error other than 404
    for (int i = 0; i < kItems; ++i) {
        const Ec2Reply &reply = m_reads.at(i).reply;
        const QString problem = applyItem(Item(i), reply);
        if (!problem.isEmpty())
            problems.append(problem);
        if (!reply.ok() && !reply.notFound())
            ++failedReads;
    }
    const QString problem = problems.join(u"; "_s);
    if (failedReads == kItems) {
        const int delay = std::max(m_timing.pollIntervalMs, m_pollBackoff.nextDelayMs());
        qCWarning(lcAgent).noquote()
            << u"instance metadata: poll failed (%1); retry %2 in %3 ms"_s.arg(problem)
                   .arg(m_pollBackoff.failures())
                   .arg(delay);
        pollFailedWith(problem);
        scheduleNext(delay);
        return;
    }
    if (m_pollBackoff.failures() > 0) {
        qCInfo(lcAgent).noquote() << u"instance metadata: reachable again after %1 failed "
                                     "poll(s)"_s.arg(m_pollBackoff.failures());
        m_pollBackoff.reset();
    }
    if (problem != m_lastProblem && !problem.isEmpty())
        qCWarning(lcAgent).noquote()
            << u"instance metadata: %1 (the last value read is kept)"_s.arg(problem);
    m_lastProblem = problem;
    if (problem.isEmpty())
        pollSucceeded();
    else
        pollIncomplete(problem);
    publish();
    scheduleNext(m_timing.pollIntervalMs);
}

void Ec2MetadataSource::publish()
{
    const protocol::VmIdentity &vm = knownIdentity();
    EventSnapshot snapshot;
    QStringList state;
    if (m_action) {
        snapshot.events.append(interruptionEvent(vm, *m_action));
        state.append(u"instance-action "_s + m_action->action + u' '
                     + protocol::formatIso8601Utc(m_action->time));
    }
    if (m_rebalance) {
        snapshot.events.append(rebalanceEvent(vm, *m_rebalance));
        state.append(u"rebalance "_s + protocol::formatIso8601Utc(*m_rebalance));
    }
    for (const Ec2MaintenanceEvent &event : std::as_const(m_maintenance)) {
        if (!isActive(event))
            continue;
        snapshot.events.append(maintenanceEvent(vm, event));
        state.append(u"scheduled "_s + event.code + u' ' + event.eventId);
    }
    const QString now = state.isEmpty() ? u"nothing scheduled"_s : state.join(u", "_s);
    if (now != m_lastState) {
        ++m_incarnation;
        qCInfo(lcAgent).noquote() << u"instance metadata: %1 (state %2)"_s.arg(now).arg(
            m_incarnation);
        m_lastState = now;
    }
    snapshot.incarnation = m_incarnation;
    emit eventsObserved(snapshot);
}

void Ec2MetadataSource::scheduleNext(int delayMs)
{
    if (!m_running)
        return;
    const int elapsed = int(m_sinceLastStart.isValid() ? m_sinceLastStart.elapsed() : 0);
    // Start to start, and never two polls closer than kMinRequestGapMs.
    m_timer.start(std::max({0, delayMs - elapsed, kMinRequestGapMs - elapsed}));
}

void Ec2MetadataSource::acknowledge(const QString &eventId,
                                    std::function<void(bool, const QString &)> done)
{
    Q_UNUSED(eventId);
    refuseAcknowledge(std::move(done),
                      u"EC2 has no call that lets an interruption or a scheduled event start "
                      "early"_s);
}

} // namespace spotkeeper::agent
