// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/listener/listenertestkit.h"

#include "protocol/messagecodec.h"

#include <algorithm>

namespace spotkeeper::listenertest {

using namespace Qt::StringLiterals;

QString vmResourceId(const QString &name)
{
    return u"/subscriptions/"_s + kSubscription + u"/resourceGroups/"_s + kGroup
        + u"/providers/Microsoft.Compute/virtualMachines/"_s + name;
}

QString newEventId(int n)
{
    return u"A1B2C3D4-0000-4000-8000-"_s
        + QString::number(n, 16).toUpper().rightJustified(12, u'0');
}

static protocol::VmIdentity identity(const QString &vmName)
{
    protocol::VmIdentity vm;
    vm.subscriptionId = kSubscription;
    vm.resourceGroup = kGroup;
    vm.vmName = vmName;
    vm.vmId = u"5c2a3f1e-7b4d-4e8a-9c0b-1d2e3f4a5b6c"_s;
    vm.location = u"westeurope"_s;
    vm.priority = u"Spot"_s;
    vm.evictionPolicy = u"Deallocate"_s;
    return vm;
}

protocol::Notice makeNotice(const QString &vmName, const QString &eventId, const QDateTime &sentAt)
{
    protocol::Notice notice;
    notice.vm = identity(vmName);
    notice.event.eventId = eventId;
    notice.event.eventType = protocol::EventType::Preempt;
    notice.event.eventTypeText = u"Preempt"_s;
    notice.event.eventStatus = protocol::EventStatus::Scheduled;
    notice.event.notBefore = sentAt.addSecs(30);
    notice.event.description = u""_s;
    notice.event.eventSource = u"Platform"_s;
    notice.event.durationInSeconds = -1;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {vmName};
    notice.documentIncarnation = 1;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = sentAt;
    return notice;
}

protocol::Heartbeat makeHeartbeat(const QString &vmName, const QDateTime &sentAt)
{
    protocol::Heartbeat heartbeat;
    heartbeat.vm = identity(vmName);
    heartbeat.agentVersion = u"0.1.0"_s;
    heartbeat.uptimeSeconds = 42;
    heartbeat.lastPoll.at = sentAt;
    heartbeat.lastPoll.ok = true;
    heartbeat.sentAt = sentAt;
    return heartbeat;
}

SignedRequest sign(const QByteArray &body, const QString &keyId,
                   const QList<protocol::WebhookSecret> &secrets, const QString &webhookId,
                   qint64 timestamp)
{
    const protocol::SignedHeaders h = protocol::sign(secrets, webhookId.toUtf8(), timestamp, body);
    return SignedRequest {body,
                          {{protocol::kHeaderId, h.id},
                           {protocol::kHeaderTimestamp, h.timestamp},
                           {protocol::kHeaderSignature, h.signature},
                           {protocol::kHeaderKeyId, keyId.toUtf8()}}};
}

QByteArray rawRequest(const QByteArray &method, const QByteArray &path,
                      const http::HeaderList &headers, const QByteArray &body)
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!body.isEmpty() || method == "POST")
        out += "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    return out + "\r\n" + body;
}

int RecordingOperations::count(const QString &what) const
{
    return int(
        std::count_if(calls.cbegin(), calls.cend(), [&](const Call &c) { return c.what == what; }));
}

void RecordingOperations::handleNoticeStored(qint64 vmId, const core::EventRecord &notice)
{
    calls.append(Call {u"notice"_s, vmId, QString(), notice.id});
}

void RecordingOperations::handleUnconfirmedNotice(qint64 vmId)
{
    calls.append(Call {u"unconfirmed"_s, vmId, QString(), 0});
}

core::OperationResult RecordingOperations::record(const QString &what, qint64 vmId,
                                                  const QString &actor)
{
    calls.append(Call {what, vmId, actor, 0});
    return core::OperationResult {answer, what + u" recorded"_s};
}

core::OperationResult RecordingOperations::forceRestart(qint64 vmId, const QString &actor)
{
    return record(u"restart"_s, vmId, actor);
}
core::OperationResult RecordingOperations::pauseAutoRestart(qint64 vmId, const QString &actor)
{
    return record(u"pause"_s, vmId, actor);
}
core::OperationResult RecordingOperations::resumeAutoRestart(qint64 vmId, const QString &actor)
{
    return record(u"resume"_s, vmId, actor);
}
core::OperationResult RecordingOperations::cancelJob(qint64 vmId, const QString &actor)
{
    return record(u"cancel"_s, vmId, actor);
}
core::OperationResult RecordingOperations::stopOnPurpose(qint64 vmId, const QString &actor)
{
    return record(u"stop"_s, vmId, actor);
}
core::OperationResult RecordingOperations::startVm(qint64 vmId, const QString &actor)
{
    return record(u"start"_s, vmId, actor);
}
core::OperationResult RecordingOperations::addVm(const QString &, const QString &actor)
{
    return record(u"add"_s, 0, actor);
}

} // namespace spotkeeper::listenertest
