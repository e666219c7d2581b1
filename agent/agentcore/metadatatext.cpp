// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/metadatatext.h"

#include <algorithm>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

QString excerpt(QStringView value)
{
    QString text;
    for (const QChar c : value.first(std::min<qsizetype>(value.size(), 40)))
        text += (c.unicode() >= 0x20 && c.unicode() < 0x7f) ? c : u'?';
    if (value.size() > 40)
        text += u"..."_s;
    return u'"' + text + u'"';
}

QString excerpt(QByteArrayView value)
{
    // 41 bytes are enough to show 40 and say that more followed.
    return excerpt(QString::fromLatin1(value.first(std::min<qsizetype>(value.size(), 41))));
}

QString nameBasedEventId(const QUuid &nameSpace, const QString &name)
{
    return QUuid::createUuidV5(nameSpace, name).toString(QUuid::WithoutBraces).toUpper();
}

protocol::ScheduledEvent platformEvent(const QString &resource)
{
    protocol::ScheduledEvent event;
    event.eventSource = u"Platform"_s;
    event.durationInSeconds = -1;
    event.resourceType = u"VirtualMachine"_s;
    event.resources = {resource};
    return event;
}

} // namespace spotkeeper::agent
