// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/agent.h"

#include "agentcore/agentlog.h"
#include "agentcore/cloudselect.h"
#include "agentcore/noticebuilder.h"
#include "protocol/messagecodec.h"

#include <QFile>
#include <QPointer>
#include <QUuid>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

// "IMDS http://169.254.169.254" (Azure), "Google metadata server http://...", "EC2 IMDSv2
// http://..." or all three for auto.
QString metadataDescription(const AgentConfig &config)
{
    switch (config.cloud) {
    case AgentConfig::Cloud::Gcp:
        return u"Google metadata server "_s + config.gceMetadataUrl.toString();
    case AgentConfig::Cloud::Aws:
        return u"EC2 IMDSv2 "_s + config.awsImdsUrl.toString();
    case AgentConfig::Cloud::Auto:
        return u"cloud auto (Google metadata server %1, else EC2 IMDSv2 %2, else IMDS %3)"_s.arg(
            config.gceMetadataUrl.toString(), config.awsImdsUrl.toString(),
            config.imdsUrl.toString());
    case AgentConfig::Cloud::Azure:
        break;
    }
    return u"IMDS "_s + config.imdsUrl.toString();
}

} // namespace

Agent::Agent(const AgentConfig &config, std::unique_ptr<NoticeSource> source,
             const base::Clock &clock, quint32 seed, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(clock)
    , m_seed(seed)
    , m_source(source ? std::move(source) : createNoticeSource(config, seed, m_clock))
    , m_spool(config.spoolDir)
    , m_client(config, m_clock)
{
    m_heartbeatTimer.setInterval(config.heartbeatIntervalMs);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &Agent::sendHeartbeat);
    connect(m_source.get(), &NoticeSource::eventsObserved, this, &Agent::handleSnapshot);
    connect(m_source.get(), &NoticeSource::identityResolved, this, [this] {
        if (!m_client.isLegacy())
            sendHeartbeat(); // tell the dashboard at once that this VM is watched
    });
    if (config.health.enabled()) {
        m_health = std::make_unique<HealthProbe>(config.health, m_clock);
        // A change is news for the dashboard (a restart job waits for "healthy"): at once,
        // not at the next interval. Changes come at most once per probe interval.
        connect(m_health.get(), &HealthProbe::stateChanged, this, [this] {
            if (!m_client.isLegacy() && m_source->identityKnown())
                sendHeartbeat();
        });
    }
}

Agent::~Agent()
{
    shutdown();
}

void Agent::setDeliveryTiming(const DeliveryTiming &timing)
{
    m_deliveryTiming = timing;
}

bool Agent::start(QString *error)
{
    QString loadError;
    if (!m_spool.load(&loadError)) {
        // Starting blind is better than not watching at all: notice ids are derived from
        // the event, so a notice sent again is a duplicate the dashboard recognises. The
        // bad file is kept for a post-mortem; QSaveFile means a crash cannot cause this.
        const QString aside = m_spool.filePath() + u".corrupt-"_s
            + QString::number(m_clock.nowUtc().toSecsSinceEpoch());
        if (!QFile::rename(m_spool.filePath(), aside)) {
            *error = loadError + u"; and it cannot be moved aside"_s;
            return false;
        }
        qCWarning(lcAgent).noquote()
            << u"start: %1; moved it to %2 and starting with an empty spool"_s.arg(loadError,
                                                                                   aside);
    }
    m_uptime.start();
    m_delivery =
        std::make_unique<NoticeDelivery>(m_client, m_spool, m_deliveryTiming, m_seed ^ 0x27d4eb2dU);
    connect(m_delivery.get(), &NoticeDelivery::noticeDelivered, this, &Agent::handleDelivered);
    const auto pending = m_spool.pending();
    qCInfo(lcAgent).noquote()
        << u"start: spotkeeper-agent %1, IMDS %2, %3 %4, poll every %5 ms, spool %6 (%7 "
           "pending, %8 delivered)"_s
               .arg(QLatin1StringView(SPOTKEEPER_VERSION), metadataDescription(m_config),
                    m_client.isLegacy() ? u"legacy webhook"_s : u"dashboard"_s,
                    m_client.urlFor(Route::Notice).toString())
               .arg(m_config.pollIntervalMs)
               .arg(m_spool.filePath())
               .arg(pending.size())
               .arg(m_spool.entries().size() - pending.size());
    if (!m_config.keySource.isEmpty())
        qCInfo(lcAgent).noquote() << u"start: agent key from "_s + m_config.keySource;
    if (m_health)
        qCInfo(lcAgent).noquote() << u"start: health probe %1, every %2 ms, limit %3 ms"_s
                                         .arg(m_config.health.describe())
                                         .arg(m_config.health.intervalMs)
                                         .arg(m_config.health.timeoutMs);
    for (const QString &warning : m_config.warnings)
        qCWarning(lcAgent).noquote() << u"config: "_s + warning;
    // Notices spooled before a restart go out at once; their events are checked
    // against IMDS (and pruned if gone) at the first successful poll.
    m_delivery->kick();
    m_source->start();
    if (!m_client.isLegacy())
        m_heartbeatTimer.start();
    if (m_health && !m_client.isLegacy())
        m_health->start();
    return true;
}

void Agent::shutdown()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_source->stop();
    m_heartbeatTimer.stop();
    if (m_health)
        m_health->stop();
    if (m_delivery)
        m_delivery->stop();
    if (!m_uptime.isValid())
        return; // never started: nothing to flush
    QString error;
    if (!m_spool.save(&error))
        qCWarning(lcAgent).noquote() << u"stop: "_s + error;
    else
        qCInfo(lcAgent).noquote() << u"stop: spool flushed, %1 notice(s) pending"_s.arg(
            m_spool.pending().size());
}

void Agent::handleSnapshot(const EventSnapshot &snapshot)
{
    if (m_stopped)
        return;
    // IMDS bumps DocumentIncarnation whenever the document changes (possibly by more
    // than one): an equal number means nothing new to look at.
    if (m_processedOnce && snapshot.incarnation == m_lastIncarnation)
        return;
    m_processedOnce = true;
    m_lastIncarnation = snapshot.incarnation;
    m_currentEvents = snapshot.events;

    const protocol::VmIdentity vm = m_source->identity();
    QSet<QString> live;
    for (const protocol::ScheduledEvent &event : snapshot.events) {
        live.insert(event.eventId);
        SpoolEntry entry = buildNoticeEntry(vm, event, snapshot.incarnation, m_clock.nowUtc(),
                                            m_client.isLegacy());
        if (m_spool.contains(entry.webhookId))
            continue;
        const QString notBefore =
            event.notBefore.isValid() ? event.notBefore.toString(Qt::ISODate) : u"now (started)"_s;
        if (m_client.isLegacy() && !isEviction(event)) {
            entry.delivered = true; // the legacy webhook has no way to say it
            qCInfo(lcAgent).noquote()
                << u"event: %1 %2 %3, not before %4 - not reported in legacy mode"_s.arg(
                       entry.eventType, entry.eventId, entry.eventStatus, notBefore);
        } else {
            qCInfo(lcAgent).noquote() << u"event: %1 %2 %3, not before %4 - notice %5 queued"_s.arg(
                entry.eventType, entry.eventId, entry.eventStatus, notBefore, entry.webhookId);
        }
        QString error;
        if (!m_spool.add(entry, &error))
            qCWarning(lcAgent).noquote()
                << u"spool: %1 (the notice is kept in memory and still delivered)"_s.arg(error);
        if (!entry.delivered)
            emit noticeQueued(entry);
    }
    QString error;
    const QList<SpoolEntry> removed = m_spool.prune(live, &error);
    for (const SpoolEntry &entry : removed) {
        qCInfo(lcAgent).noquote() << u"event: %1 %2 is gone from IMDS; %3 %4"_s.arg(
            entry.eventType, entry.eventId,
            entry.delivered ? u"forgetting delivered notice"_s : u"dropping undelivered notice"_s,
            entry.webhookId);
    }
    if (!error.isEmpty())
        qCWarning(lcAgent).noquote() << u"spool: "_s + error;
    m_delivery->kick();
}

void Agent::handleDelivered(const SpoolEntry &entry, bool duplicate)
{
    emit noticeDelivered(entry, duplicate);
    if (!m_config.acknowledgeEvents || m_client.isLegacy())
        return;
    const bool eviction = entry.eventType.compare("Preempt"_L1, Qt::CaseInsensitive) == 0
        || entry.eventType.compare("Terminate"_L1, Qt::CaseInsensitive) == 0;
    const QString id = entry.eventId.toUpper();
    if (!eviction || m_spool.isAcknowledged(id) || m_ackAttempted.contains(id))
        return;
    m_ackAttempted.insert(id);
    m_ackQueue.append(id);
    acknowledgeNext();
}

void Agent::acknowledgeNext()
{
    if (m_ackBusy || m_ackQueue.isEmpty() || m_stopped)
        return;
    const QString id = m_ackQueue.takeFirst();
    protocol::ScheduledEvent event;
    for (const auto &current : std::as_const(m_currentEvents)) {
        if (current.eventId.compare(id, Qt::CaseInsensitive) == 0)
            event = current;
    }
    if (event.eventId.isEmpty()) {
        qCInfo(lcAgent).noquote() << u"acknowledge: %1 is gone from IMDS; nothing to approve"_s.arg(
            id);
        acknowledgeNext();
        return;
    }
    m_ackBusy = true;
    QPointer<Agent> self(this);
    auto approve = [self, id](const QString &hookOutcome) {
        if (!self || self->m_stopped)
            return;
        self->m_source->acknowledge(id, [self, id, hookOutcome](bool ok, const QString &error) {
            if (!self)
                return;
            self->m_ackBusy = false;
            if (ok) {
                QString spoolError;
                self->m_spool.markAcknowledged(id, &spoolError);
                qCInfo(lcAgent).noquote()
                    << u"acknowledge: approved %1 (StartRequests)%2"_s.arg(id, hookOutcome);
            } else {
                qCWarning(lcAgent).noquote()
                    << u"acknowledge: approving %1 failed (%2); the platform proceeds at "
                       "NotBefore anyway"_s.arg(id, error);
            }
            emit self->eventAcknowledged(id, ok);
            self->acknowledgeNext();
        });
    };
    if (m_config.drainHook.isEmpty()) {
        approve(QString());
        return;
    }
    qCInfo(lcAgent).noquote() << u"acknowledge: running drain hook for %1 %2 (limit %3 ms)"_s
                                     .arg(event.eventTypeText, id)
                                     .arg(m_config.drainTimeoutMs);
    m_drainHook.run(m_config.drainHook, m_config.drainTimeoutMs, event,
                    [approve](bool ok, const QString &outcome) {
                        qCInfo(lcAgent).noquote() << u"acknowledge: drain hook %1%2"_s.arg(
                            outcome, ok ? QString() : u"; approving anyway"_s);
                        approve(u" after drain hook "_s + outcome);
                    });
}

void Agent::sendHeartbeat()
{
    if (m_stopped || m_client.isLegacy())
        return;
    protocol::Heartbeat heartbeat;
    heartbeat.identityKnown = m_source->identityKnown();
    heartbeat.vm = m_source->identity();
    heartbeat.agentVersion = QLatin1StringView(SPOTKEEPER_VERSION);
    heartbeat.uptimeSeconds = m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0;
    heartbeat.lastPoll = m_source->lastPoll();
    if (!heartbeat.identityKnown && heartbeat.lastPoll.error.isEmpty())
        heartbeat.lastPoll.error = u"identity unknown: "_s + m_source->identityError();
    heartbeat.sentAt = m_clock.nowUtc();
    if (m_health)
        heartbeat.app = m_health->current();
    const QByteArray body = protocol::encodeHeartbeat(heartbeat);
    const QByteArray id = "hb_" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    QPointer<Agent> self(this);
    m_client.post(Route::Heartbeat, body, id, [self](const PostResult &result) {
        if (!self)
            return;
        if (result.delivered())
            qCDebug(lcAgent).noquote() << u"heartbeat: sent"_s;
        else
            qCWarning(lcAgent).noquote()
                << u"heartbeat: failed (%1)%2; next in the regular interval"_s.arg(
                       result.error,
                       result.configurationError() ? u" - a configuration error (key or URL)"_s
                                                   : QString());
        emit self->heartbeatSent(result.httpStatus);
    });
}

} // namespace spotkeeper::agent
