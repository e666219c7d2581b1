// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/metadatatext.h"

#include <QJsonParseError>

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

std::optional<QJsonDocument> jsonDocument(QByteArrayView body, const QString &item, JsonShape shape,
                                          QString *error)
{
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    const bool parsed = parseError.error == QJsonParseError::NoError;
    const bool object = shape == JsonShape::Object;
    if (parsed && (object ? document.isObject() : document.isArray()))
        return document;
    *error = item + (object ? u": not a JSON object ("_s : u": not a JSON array ("_s)
        + (parsed ? u"other JSON"_s : parseError.errorString()) + u')';
    return std::nullopt;
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
