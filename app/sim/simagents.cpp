// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simagents.h"

#include "base/clock.h"
#include "base/urlpath.h"
#include "protocol/messagecodec.h"
#include "sim/fleetmodel.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

protocol::VmIdentity identityOf(const SimVm &vm)
{
    protocol::VmIdentity id;
    if (vm.isGcp()) { // what the Google Cloud agent reads from the metadata server
        id.cloud = protocol::Cloud::Gcp;
        id.projectId = vm.gcpProject;
        id.zone = vm.location;
        id.location = vm.location;
        id.vmName = vm.name;
        id.vmId = vm.vmId;
        id.priority =
            vm.priority.compare("Spot"_L1, Qt::CaseInsensitive) == 0 ? u"SPOT"_s : u"STANDARD"_s;
        id.evictionPolicy = vm.evictionPolicy == "Delete"_L1 ? u"DELETE"_s : u"STOP"_s;
        return id;
    }
    if (vm.isAws()) { // what the AWS agent reads from the instance identity document
        id.cloud = protocol::Cloud::Aws;
        id.accountId = vm.awsAccount;
        id.location = vm.location;
        id.zone = vm.zone;
        id.vmId = vm.vmId;
        id.vmName = vm.vmId;
        id.instanceType = vm.size;
        id.priority = u"spot"_s;
        return id;
    }
    id.subscriptionId = vm.subscriptionId;
    id.resourceGroup = vm.resourceGroup;
    id.vmName = vm.name;
    id.vmId = vm.vmId;
    id.location = vm.location;
    id.priority = vm.priority;
    id.evictionPolicy = vm.evictionPolicy;
    if (!vm.scaleSet.isEmpty()) { // IMDS compute.resourceId: the only way to name an instance
        id.vmScaleSetName = vm.scaleSet;
        id.armResourceId = vm.resourceId();
    }
    return id;
}

} // namespace

SimAgents::SimAgents(FleetModel &model, const base::Clock &wallClock, QList<QUrl> dashboardUrls,
                     QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_wall(wallClock)
    , m_dashboards(std::move(dashboardUrls))
{
    m_network.setProxy(QNetworkProxy::NoProxy);
    connect(&m_timer, &QTimer::timeout, this, &SimAgents::poll);
}

void SimAgents::addAgent(int vmIndex, const protocol::AgentCredential &credential)
{
    Agent agent;
    agent.vm = vmIndex;
    agent.credential = credential;
    m_agents.push_back(std::move(agent));
}

void SimAgents::start(int pollIntervalMs, int heartbeatIntervalMs)
{
    m_heartbeatIntervalMs = heartbeatIntervalMs;
    const qint64 now = m_wall.nowMSecs();
    // Spread the first heartbeats over one interval, as agents booted at different times.
    for (size_t i = 0; i < m_agents.size(); ++i) {
        m_agents[i].startedMs = now;
        m_agents[i].nextHeartbeatMs =
            now + qint64(i) * heartbeatIntervalMs / qint64(std::max<size_t>(1, m_agents.size()));
    }
    m_timer.start(pollIntervalMs);
    poll();
}

void SimAgents::poll()
{
    m_model.advance();
    const qint64 now = m_wall.nowMSecs();
    for (Agent &agent : m_agents) {
        const SimVm &vm = m_model.vm(agent.vm);
        for (const SimEvent &event : vm.events) {
            if (!agent.delivered.contains(event.eventId) && !agent.inFlight.contains(event.eventId))
                sendNotice(agent, event.eventId);
        }
        const QStringList spooled = agent.pending.keys();
        for (const QString &eventId : spooled) {
            if (!agent.inFlight.contains(eventId))
                sendNotice(agent, eventId);
        }
        if (now >= agent.nextHeartbeatMs && vm.power == Power::Running) {
            agent.nextHeartbeatMs = now + m_heartbeatIntervalMs;
            sendHeartbeat(agent);
        }
    }
}

void SimAgents::sendNotice(Agent &agent, const QString &eventId)
{
    const SimVm &vm = m_model.vm(agent.vm);
    QByteArray body = agent.pending.value(eventId);
    const SimEvent *found = nullptr;
    for (const SimEvent &e : vm.events)
        if (e.eventId == eventId)
            found = &e;
    if (body.isEmpty() && found == nullptr)
        return;
    if (body.isEmpty()) {
        protocol::Notice notice;
        notice.vm = identityOf(vm);
        notice.event.eventId = found->eventId;
        notice.event.eventType = protocol::EventType::Preempt;
        notice.event.eventStatus = found->status == "Started"_L1 ? protocol::EventStatus::Started
                                                                 : protocol::EventStatus::Scheduled;
        if (found->notBeforeMs > 0)
            notice.event.notBefore =
                QDateTime::fromMSecsSinceEpoch(m_model.toWallMs(found->notBeforeMs), Qt::UTC);
        notice.event.eventSource = u"Platform"_s;
        notice.event.durationInSeconds = -1;
        notice.event.resourceType = u"VirtualMachine"_s;
        notice.event.resources = QStringList {vm.name};
        if (vm.isAws()) { // as spotkeeper-agent --cloud aws words an instance-action
            notice.event.resources = QStringList {vm.vmId};
            notice.event.description = u"EC2 Spot interruption: "_s + vm.awsInterruptionBehavior;
            if (vm.awsInterruptionBehavior == "hibernate"_L1) { // no two-minute lead
                notice.event.eventStatus = protocol::EventStatus::Started;
                notice.event.notBefore = QDateTime();
            }
        }
        notice.documentIncarnation = vm.incarnation;
        notice.agentVersion = u"sim-agent/"_s + QLatin1StringView(SPOTKEEPER_VERSION);
        notice.sentAt = m_wall.nowUtc();
        body = protocol::encodeNotice(notice);
        agent.pending.insert(eventId, body);
    }
    // Stable across retries, so the dashboard's dedupe sees one delivery.
    const QByteArray webhookId = "msg_sim_" + eventId.toLatin1();
    agent.inFlight.insert(eventId);
    ++m_sent;
    const int index = int(&agent - m_agents.data());
    const QString vmKey = vm.key();
    post(u"/api/v1/notices"_s, agent.credential, body, webhookId,
         [this, index, eventId, vmKey](bool delivered) {
             Agent &a = m_agents[size_t(index)];
             a.inFlight.remove(eventId);
             if (!delivered) {
                 ++m_failures;
                 return; // the next poll sends it again
             }
             a.pending.remove(eventId);
             if (!a.delivered.contains(eventId)) {
                 a.delivered.insert(eventId);
                 m_acked.append(AckedNotice {vmKey, eventId, m_wall.nowMSecs()});
             }
         });
}

void SimAgents::sendHeartbeat(Agent &agent)
{
    const SimVm &vm = m_model.vm(agent.vm);
    protocol::Heartbeat hb;
    hb.vm = identityOf(vm);
    hb.agentVersion = u"sim-agent/"_s + QLatin1StringView(SPOTKEEPER_VERSION);
    hb.uptimeSeconds = (m_wall.nowMSecs() - agent.startedMs) / 1000;
    hb.lastPoll.at = m_wall.nowUtc();
    hb.lastPoll.ok = true;
    hb.sentAt = m_wall.nowUtc();
    const QByteArray id =
        "msg_simhb_" + QByteArray::number(m_wall.nowMSecs()) + "_" + QByteArray::number(agent.vm);
    post(u"/api/v1/heartbeats"_s, agent.credential, protocol::encodeHeartbeat(hb), id,
         [this](bool delivered) {
             if (delivered)
                 ++m_heartbeats;
         });
}

void SimAgents::post(const QString &route, const protocol::AgentCredential &credential,
                     const QByteArray &body, const QByteArray &webhookId,
                     std::function<void(bool)> done)
{
    const QUrl &dashboard = m_dashboards.at(m_nextDashboard);
    m_nextDashboard = (m_nextDashboard + 1) % m_dashboards.size();
    QNetworkRequest request(base::appendPath(dashboard, route));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(30'000);
    const auto headers =
        protocol::sign(credential.secrets, webhookId, m_wall.nowMSecs() / 1000, body);
    request.setRawHeader(protocol::kHeaderId, headers.id);
    request.setRawHeader(protocol::kHeaderTimestamp, headers.timestamp);
    request.setRawHeader(protocol::kHeaderSignature, headers.signature);
    request.setRawHeader(protocol::kHeaderKeyId, credential.keyId.toUtf8());
    QNetworkReply *reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        done(status >= 200 && status < 300);
    });
}

} // namespace spotkeeper::sim
