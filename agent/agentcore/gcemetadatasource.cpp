// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/gcemetadatasource.h"

#include "agentcore/agentlog.h"
#include "agentcore/gcemetadata.h"

#include <QSysInfo>
#include <QUuid>

#include <algorithm>
#include <array>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

struct IdentityKey
{
    const char *key;
    bool json; // ?recursive=true&alt=json
};
constexpr std::array<IdentityKey, 5> kIdentityKeys = {{
    {"project/project-id", false},
    {"instance/id", false},
    {"instance/name", false},
    {"instance/zone", false},
    {"instance/scheduling/", true},
}};
constexpr int kIdentitySteps = int(std::size(kIdentityKeys));

} // namespace

// One watched key: its last value and ETag, and its own timer and backoff.
struct GceMetadataSource::Watch
{
    Watch(QString k, int baseMs, int capMs, quint32 seed)
        : key(std::move(k))
        , backoff(baseMs, capMs, seed)
    {
        timer.setSingleShot(true);
        timer.setTimerType(Qt::PreciseTimer);
    }

    QString key;
    QByteArray etag;
    QString value; // parsed: "TRUE"/"FALSE" or the maintenance value
    bool known = false;
    bool longPoll = false;
    Backoff backoff;
    QTimer timer;
    QElapsedTimer sinceStart;
};

GceMetadataSource::GceMetadataSource(const QUrl &metadataUrl, const GceTiming &timing, quint32 seed,
                                     const base::Clock &clock, QString bootId, QObject *parent)
    : MetadataSource(clock, u"the metadata server"_s, timing.errorBackoffBaseMs,
                     timing.identityBackoffCapMs, seed, parent)
    , m_client(metadataUrl)
    , m_timing(timing)
    , m_bootId(std::move(bootId))
    , m_preempted(std::make_unique<Watch>(u"instance/preempted"_s, timing.errorBackoffBaseMs,
                                          timing.errorBackoffCapMs, seed ^ 0x9e3779b9U))
    , m_maintenance(std::make_unique<Watch>(u"instance/maintenance-event"_s,
                                            timing.errorBackoffBaseMs, timing.errorBackoffCapMs,
                                            seed ^ 0x85ebca6bU))
{
    if (m_bootId.isEmpty())
        m_bootId = QString::fromLatin1(QSysInfo::bootUniqueId());
    if (m_bootId.isEmpty()) // no boot id on this system: a restarted agent may repeat a notice
        m_bootId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_identityTimer.setSingleShot(true);
    connect(&m_identityTimer, &QTimer::timeout, this, &GceMetadataSource::readIdentity);
    for (Watch *watch : {m_preempted.get(), m_maintenance.get()})
        connect(&watch->timer, &QTimer::timeout, this, [this, watch] { request(*watch); });
}

GceMetadataSource::~GceMetadataSource() = default;

void GceMetadataSource::start()
{
    if (m_running)
        return;
    m_running = true;
    if (identityKnown()) {
        startWatch(*m_preempted);
        startWatch(*m_maintenance);
        return;
    }
    m_identityStep = 0;
    m_identityAnswers.clear();
    m_identityTimer.start(0);
}

void GceMetadataSource::stop()
{
    m_running = false;
    ++m_generation;
    m_identityTimer.stop();
    m_preempted->timer.stop();
    m_maintenance->timer.stop();
}

bool GceMetadataSource::longPolling(const QString &key) const
{
    for (const Watch *watch : {m_preempted.get(), m_maintenance.get()}) {
        if (watch->key == key)
            return watch->longPoll;
    }
    return false;
}

void GceMetadataSource::readIdentity()
{
    if (!m_running)
        return;
    const IdentityKey &step = kIdentityKeys.at(m_identityStep);
    QUrlQuery query;
    if (step.json) {
        query.addQueryItem(u"recursive"_s, u"true"_s);
        query.addQueryItem(u"alt"_s, u"json"_s);
    }
    const quint64 generation = m_generation;
    m_client.get(QLatin1StringView(step.key), query, m_timing.requestTimeoutMs,
                 [this, generation](const GceReply &reply) {
                     if (generation == m_generation)
                         handleIdentityStep(reply);
                 });
}

void GceMetadataSource::handleIdentityStep(const GceReply &reply)
{
    if (!m_running)
        return;
    const QLatin1StringView key(kIdentityKeys.at(m_identityStep).key);
    if (!reply.ok()) {
        restartIdentity(key + u": "_s + reply.error);
        return;
    }
    m_identityAnswers.append(reply.body);
    if (++m_identityStep < kIdentitySteps) {
        m_identityTimer.start(0);
        return;
    }
    const auto parsed = parseGceIdentity({m_identityAnswers.value(0), m_identityAnswers.value(1),
                                          m_identityAnswers.value(2), m_identityAnswers.value(3),
                                          m_identityAnswers.value(4)});
    if (!parsed.value) {
        restartIdentity(parsed.error);
        return;
    }
    const protocol::VmIdentity &vm = *parsed.value;
    identityRead(vm,
                 u"Compute Engine instance %1 (id %2) in project %3, zone %4, provisioning "
                 "model %5%6"_s.arg(vm.vmName, vm.vmId, vm.projectId, vm.zone, vm.priority,
                                    vm.evictionPolicy.isEmpty()
                                        ? QString()
                                        : u", termination action "_s + vm.evictionPolicy));
    startWatch(*m_preempted);
    startWatch(*m_maintenance);
}

void GceMetadataSource::restartIdentity(const QString &problem)
{
    m_identityStep = 0;
    m_identityAnswers.clear();
    m_identityTimer.start(identityFailed(problem, kMinRequestGapMs));
}

void GceMetadataSource::startWatch(Watch &watch)
{
    watch.longPoll = false; // the first read fetches the value and its ETag
    watch.timer.start(0);
}

void GceMetadataSource::request(Watch &watch)
{
    if (!m_running)
        return;
    watch.sinceStart.start();
    QUrlQuery query;
    int timeoutMs = m_timing.requestTimeoutMs;
    if (watch.longPoll) {
        query.addQueryItem(u"wait_for_change"_s, u"true"_s);
        query.addQueryItem(u"last_etag"_s, QString::fromLatin1(watch.etag));
        query.addQueryItem(u"timeout_sec"_s, QString::number(m_timing.waitTimeoutSec));
        timeoutMs = m_timing.waitTimeoutSec * 1000 + 5'000;
    }
    const quint64 generation = m_generation;
    m_client.get(watch.key, query, timeoutMs, [this, generation, &watch](const GceReply &reply) {
        if (generation == m_generation)
            handleWatch(watch, reply);
    });
}

void GceMetadataSource::handleWatch(Watch &watch, const GceReply &reply)
{
    if (!m_running)
        return;
    QString problem = reply.error;
    if (reply.ok()) {
        QString value;
        if (&watch == m_preempted.get()) {
            const auto parsed = parsePreempted(reply.body);
            problem = parsed.error;
            if (parsed.value)
                value = *parsed.value ? u"TRUE"_s : u"FALSE"_s;
        } else {
            const auto parsed = parseMaintenanceEvent(reply.body);
            problem = parsed.error;
            value = parsed.value.value_or(QString());
        }
        if (problem.isEmpty()) {
            if (watch.backoff.failures() > 0)
                qCInfo(lcAgent).noquote()
                    << u"%1: the metadata server answers again after %2 failed read(s)"_s
                           .arg(watch.key)
                           .arg(watch.backoff.failures());
            watch.backoff.reset();
            watch.value = value;
            watch.known = true;
            watch.etag = reply.etag;
            // Without an ETag a long poll could miss a change between two requests.
            watch.longPoll = !watch.etag.isEmpty();
            pollSucceeded();
            publish();
            const int elapsed = int(watch.sinceStart.elapsed());
            const int gap = watch.longPoll ? kMinRequestGapMs : m_timing.pollIntervalMs;
            watch.timer.start(std::max(0, gap - elapsed));
            return;
        }
    }
    watch.longPoll = false;
    const int delay = std::max(m_timing.pollIntervalMs, watch.backoff.nextDelayMs());
    qCWarning(lcAgent).noquote()
        << u"%1: read failed (%2); polling instead of waiting for changes, retry %3 in %4 ms"_s
               .arg(watch.key, problem)
               .arg(watch.backoff.failures())
               .arg(delay);
    pollFailedWith(watch.key + u": "_s + problem);
    watch.timer.start(delay);
}

void GceMetadataSource::publish()
{
    const bool preempted = m_preempted->known && m_preempted->value == "TRUE"_L1;
    const QString maintenance = m_maintenance->known ? m_maintenance->value : u"NONE"_s;
    if (maintenance != m_lastMaintenance && maintenance != "NONE"_L1)
        ++m_maintenanceOrdinal; // a new notice: its own event id
    m_lastMaintenance = maintenance;
    const QString state = (preempted ? u"TRUE|"_s : u"FALSE|"_s) + maintenance;
    if (state != m_lastState) {
        ++m_incarnation;
        qCInfo(lcAgent).noquote() << u"metadata: preempted %1, maintenance-event %2 (state %3)"_s
                                         .arg(preempted ? u"TRUE"_s : u"FALSE"_s, maintenance)
                                         .arg(m_incarnation);
        m_lastState = state;
    }
    EventSnapshot snapshot;
    snapshot.incarnation = m_incarnation;
    if (preempted)
        snapshot.events.append(preemptionEvent(knownIdentity(), m_bootId));
    if (maintenance != "NONE"_L1)
        snapshot.events.append(
            maintenanceEvent(knownIdentity(), maintenance, m_maintenanceOrdinal, m_bootId));
    emit eventsObserved(snapshot);
}

void GceMetadataSource::acknowledge(const QString &eventId,
                                    std::function<void(bool, const QString &)> done)
{
    Q_UNUSED(eventId);
    refuseAcknowledge(std::move(done),
                      u"Compute Engine has no call that lets a preemption or a host "
                      "maintenance start early"_s);
}

} // namespace spotkeeper::agent
