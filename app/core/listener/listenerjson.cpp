// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/listenerjson.h"

#include <QStringList>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

QString validationMessage(const QList<protocol::ValidationError> &errors)
{
    QStringList parts;
    for (const protocol::ValidationError &error : errors)
        parts.append(error.message());
    return parts.isEmpty() ? u"invalid message"_s : parts.join(u"; "_s);
}

EventRecord noticeEvent(const protocol::Notice &notice, const QString &webhookId,
                        const QDateTime &receivedAt, const QByteArray &rawBody)
{
    EventRecord event;
    event.kind = EventKind::Notice;
    event.at = receivedAt;
    event.source = u"agent"_s;
    event.eventType = notice.event.eventTypeText.isEmpty()
        ? protocol::toString(notice.event.eventType)
        : notice.event.eventTypeText;
    event.eventId = notice.event.eventId;
    event.eventStatus = protocol::toString(notice.event.eventStatus);
    event.webhookId = webhookId;
    event.message = event.eventType + u' ' + event.eventStatus
        + (notice.event.notBefore.isValid()
               ? u", NotBefore "_s + notice.event.notBefore.toUTC().toString(Qt::ISODate)
               : QString());
    event.payload = rawBody;
    return event;
}

} // namespace spotkeeper::core
