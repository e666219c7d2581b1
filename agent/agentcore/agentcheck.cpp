// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/agentcheck.h"

#include "agentcore/cloudselect.h"
#include "agentcore/noticebuilder.h"
#include "agentcore/noticespool.h"
#include "agentcore/scheduledevents.h"
#include "protocol/messagecodec.h"

#include <QDir>
#include <QTemporaryFile>
#include <QUuid>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

AgentCheck::AgentCheck(const AgentConfig &config, const base::Clock &clock, LineSink sink,
                       QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(clock)
    , m_sink(std::move(sink))
    , m_imds(config.imdsUrl)
    , m_dashboard(config, m_clock)
{ }

void AgentCheck::run(std::function<void(int)> finished)
{
    m_finished = std::move(finished);
    report(true, u"config"_s,
           u"%1 %2, key from %3%4"_s.arg(
               m_config.legacy ? u"legacy webhook"_s : u"dashboard"_s,
               m_dashboard.urlFor(Route::Notice).toString(), m_config.keySource,
               m_config.configFile.isEmpty() ? QString() : u", config "_s + m_config.configFile));
    if (m_config.cloud == AgentConfig::Cloud::Azure)
        checkIdentity();
    else
        checkWithSource();
}

void AgentCheck::checkWithSource()
{
    m_source = createNoticeSource(m_config, 1, m_clock);
    connect(m_source.get(), &NoticeSource::identityResolved, this,
            [this](const protocol::VmIdentity &vm) {
                m_vm = vm;
                m_identityKnown = true;
                report(true, u"identity"_s,
                       u"%1 VM %2, priority %3, resource id %4"_s.arg(
                           vm.cloud == protocol::Cloud::Gcp       ? u"Google Cloud"_s
                               : vm.cloud == protocol::Cloud::Aws ? u"AWS"_s
                                                                  : u"Azure"_s,
                           vm.vmName, vm.priority, vm.resourceId()));
            });
    connect(m_source.get(), &NoticeSource::eventsObserved, this,
            [this](const EventSnapshot &snapshot) {
                if (m_sourceDone)
                    return;
                QStringList described;
                for (const auto &event : snapshot.events)
                    described.append(event.eventTypeText + u' '
                                     + protocol::toString(event.eventStatus));
                m_poll = m_source->lastPoll();
                report(true, u"events"_s,
                       u"%1 event(s) for this VM%2"_s.arg(snapshot.events.size())
                           .arg(described.isEmpty() ? QString()
                                                    : u" ("_s + described.join(u", "_s) + u")"_s));
                finishSourceCheck(false);
            });
    m_sourceDeadline.setSingleShot(true);
    connect(&m_sourceDeadline, &QTimer::timeout, this, [this] { finishSourceCheck(true); });
    m_sourceDeadline.start(m_config.firstPollTimeoutMs);
    m_source->start();
}

void AgentCheck::finishSourceCheck(bool timedOut)
{
    if (m_sourceDone)
        return;
    m_sourceDone = true;
    m_sourceDeadline.stop();
    m_source->stop();
    if (timedOut) {
        if (!m_identityKnown) {
            m_identityError = m_source->identityError();
            report(false, u"identity"_s,
                   u"cannot read the metadata service at %1 (%2)"_s.arg(
                       (m_config.cloud == AgentConfig::Cloud::Gcp       ? m_config.gceMetadataUrl
                            : m_config.cloud == AgentConfig::Cloud::Aws ? m_config.awsImdsUrl
                                                                        : m_config.imdsUrl)
                           .toString(),
                       m_identityError));
        }
        m_poll = m_source->lastPoll();
        report(false, u"events"_s,
               u"no answer about events within %1 ms%2"_s.arg(m_config.firstPollTimeoutMs)
                   .arg(m_poll.error.isEmpty() ? QString() : u" ("_s + m_poll.error + u')'));
    }
    checkSpool();
}

void AgentCheck::report(bool ok, const QString &check, const QString &detail)
{
    ++m_checks;
    if (!ok)
        ++m_failures;
    m_sink((ok ? u"OK   "_s : u"FAIL "_s) + check + u": "_s + detail);
}

void AgentCheck::checkIdentity()
{
    m_imds.getInstance(m_config.pollTimeoutMs, [this](const ImdsReply &reply) {
        QString problem = reply.error;
        if (reply.ok()) {
            QString warning;
            const auto parsed = parseInstanceMetadata(reply.body, &warning);
            if (parsed.value) {
                m_vm = *parsed.value;
                m_identityKnown = true;
                // The resource id is what the agent key must be bound to on the dashboard.
                report(true, u"identity"_s,
                       u"VM %1, resource group %2, subscription %3, priority %4, resource id %5%6"_s
                           .arg(m_vm.vmName, m_vm.resourceGroup, m_vm.subscriptionId, m_vm.priority,
                                m_vm.resourceId(),
                                warning.isEmpty() ? QString() : u" ("_s + warning + u")"_s));
                checkScheduledEvents();
                return;
            }
            problem = parsed.error;
        }
        m_identityError = problem;
        report(false, u"identity"_s,
               u"cannot read IMDS instance metadata at %1 (%2)"_s.arg(m_config.imdsUrl.toString(),
                                                                      problem));
        checkScheduledEvents();
    });
}

void AgentCheck::checkScheduledEvents()
{
    // The first call may enable the service and take up to two minutes.
    m_imds.getScheduledEvents(m_config.firstPollTimeoutMs, [this](const ImdsReply &reply) {
        QString problem = reply.error;
        if (reply.ok()) {
            const auto parsed = parseScheduledEvents(reply.body);
            if (parsed.value) {
                m_poll = {m_clock.nowUtc(), true, {}};
                const auto mine = eventsForVm(parsed.value->events, m_vm.vmName);
                QStringList described;
                for (const auto &event : mine)
                    described.append(event.eventTypeText + u' '
                                     + protocol::toString(event.eventStatus));
                report(true, u"scheduled events"_s,
                       u"incarnation %1, %2 event(s) for this VM%3, %4 for others"_s
                           .arg(parsed.value->incarnation)
                           .arg(mine.size())
                           .arg(described.isEmpty() ? QString()
                                                    : u" ("_s + described.join(u", "_s) + u")"_s)
                           .arg(parsed.value->events.size() - mine.size()));
                const QString unreadable =
                    describeUnreadable(unreadableForVm(parsed.value->unreadable, m_vm.vmName));
                if (!unreadable.isEmpty()) {
                    m_poll = {m_clock.nowUtc(), false, unreadable};
                    report(false, u"scheduled events"_s, unreadable);
                }
                checkSpool();
                return;
            }
            problem = u"unreadable document: "_s + parsed.error;
        }
        m_poll = {m_clock.nowUtc(), false, problem};
        report(false, u"scheduled events"_s, u"poll failed (%1)"_s.arg(problem));
        checkSpool();
    });
}

void AgentCheck::checkSpool()
{
    QDir dir(m_config.spoolDir);
    if (!dir.exists() && !QDir().mkpath(m_config.spoolDir)) {
        report(false, u"spool"_s, u"cannot create %1"_s.arg(m_config.spoolDir));
    } else {
        QTemporaryFile probe(dir.filePath(u".check-XXXXXX"_s));
        NoticeSpool spool(m_config.spoolDir);
        QString error;
        if (!probe.open())
            report(false, u"spool"_s, u"%1 is not writable"_s.arg(m_config.spoolDir));
        else if (!spool.load(&error))
            report(false, u"spool"_s, error);
        else
            report(true, u"spool"_s,
                   u"%1 writable, %2 notice(s) pending"_s.arg(spool.filePath())
                       .arg(spool.pending().size()));
    }
    checkDashboard();
}

void AgentCheck::checkDashboard()
{
    auto finish = [this](const PostResult &result, const QString &what) {
        if (result.delivered()) {
            report(true, u"dashboard"_s,
                   u"%1 accepted by %2 (HTTP %3)"_s
                       .arg(what, m_dashboard.urlFor(Route::Heartbeat).toString())
                       .arg(result.httpStatus));
        } else {
            QString hint;
            if (result.httpStatus == 401 || result.httpStatus == 403)
                hint = u" - check the agent key and that it is bound to this VM"_s;
            else if (result.httpStatus == 404)
                hint = m_config.legacy
                    ? u" - is the legacy webhook enabled on the server ([legacy_webhook] in spotkeeperd.conf)?"_s
                    : u" - check dashboard-url"_s;
            else if (result.httpStatus == 0 && !result.error.startsWith("not sent"_L1))
                hint = u" - is the dashboard reachable from this VM?"_s;
            report(false, u"dashboard"_s,
                   u"%1 to %2 failed: %3%4"_s.arg(
                       what, m_dashboard.urlFor(Route::Heartbeat).toString(), result.error, hint));
        }
        const int failures = m_failures;
        m_sink(failures == 0 ? u"check: all %1 checks passed"_s.arg(m_checks)
                             : u"check: %1 of %2 checks failed"_s.arg(failures).arg(m_checks));
        if (m_finished)
            m_finished(failures);
    };
    if (m_config.legacy) {
        if (!m_identityKnown) {
            finish({0,
                    {},
                    u"not sent: the legacy body needs the VM's identity, which is unknown"_s,
                    false},
                   u"legacy webhook"_s);
            return;
        }
        // Harmless: the server answers the legacy body with a power-state check only.
        m_dashboard.post(
            Route::Heartbeat, legacyWebhookBody(m_vm), {},
            [finish](const PostResult &result) { finish(result, u"legacy webhook"_s); });
        return;
    }
    protocol::Heartbeat heartbeat;
    heartbeat.vm = m_vm;
    heartbeat.identityKnown = m_identityKnown;
    heartbeat.agentVersion = QLatin1StringView(SPOTKEEPER_VERSION);
    heartbeat.lastPoll = m_poll;
    if (!m_identityKnown && heartbeat.lastPoll.error.isEmpty())
        heartbeat.lastPoll.error = u"identity unknown: "_s + m_identityError;
    heartbeat.sentAt = m_clock.nowUtc();
    const QByteArray id = "hb_check_" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    m_dashboard.post(
        Route::Heartbeat, protocol::encodeHeartbeat(heartbeat), id,
        [finish](const PostResult &result) { finish(result, u"signed test heartbeat"_s); });
}

} // namespace spotkeeper::agent
