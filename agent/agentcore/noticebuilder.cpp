// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/noticebuilder.h"

#include "protocol/messagecodec.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

QString noticeWebhookId(const protocol::VmIdentity &vm, const protocol::ScheduledEvent &event)
{
    const QByteArray key = vm.resourceKey().toUtf8() + '\n' + event.eventId.toUpper().toUtf8()
        + '\n' + protocol::toString(event.eventStatus).toUtf8();
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
    return u"ntc_"_s + QString::fromLatin1(digest.left(16).toHex());
}

QByteArray legacyWebhookBody(const protocol::VmIdentity &vm)
{
    return QJsonDocument(
               QJsonObject {{u"resourceGroup"_s, vm.resourceGroup}, {u"vmName"_s, vm.vmName}})
        .toJson(QJsonDocument::Compact);
}

bool isEviction(const protocol::ScheduledEvent &event)
{
    return event.eventType == protocol::EventType::Preempt
        || event.eventType == protocol::EventType::Terminate;
}

SpoolEntry buildNoticeEntry(const protocol::VmIdentity &vm, const protocol::ScheduledEvent &event,
                            qint64 incarnation, const QDateTime &nowUtc, bool legacy)
{
    SpoolEntry entry;
    entry.webhookId = noticeWebhookId(vm, event);
    entry.eventId = event.eventId;
    entry.eventStatus = protocol::toString(event.eventStatus);
    entry.eventType =
        event.eventTypeText.isEmpty() ? protocol::toString(event.eventType) : event.eventTypeText;
    entry.createdMs = nowUtc.toMSecsSinceEpoch();
    if (legacy) {
        entry.body = legacyWebhookBody(vm);
    } else {
        protocol::Notice notice;
        notice.vm = vm;
        notice.event = event;
        notice.documentIncarnation = incarnation;
        notice.agentVersion = QLatin1StringView(SPOTKEEPER_VERSION);
        notice.sentAt = nowUtc;
        entry.body = protocol::encodeNotice(notice);
    }
    return entry;
}

} // namespace spotkeeper::agent
