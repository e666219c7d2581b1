// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/messages.h"

#include <QByteArrayView>
#include <QJsonDocument>
#include <QString>
#include <QUuid>

#include <optional>

// What the metadata parsers of the clouds without an event document share (Google Cloud's
// gcemetadata.h, AWS's ec2metadata.h): how an untrusted value is quoted in an error, how a
// JSON answer is read, the name-based event id, and the frame of an event the platform raised
// for one VM. Pure.
namespace spotkeeper::agent {

// At most 40 characters in double quotes, "..." after a longer value, anything unprintable
// (outside ASCII 0x20-0x7e) as '?': safe to put into a log line.
QString excerpt(QStringView value);
QString excerpt(QByteArrayView value); // byte by byte

// The JSON shape a metadata item must have.
enum class JsonShape { Object, Array };

// The body as a JSON document of that shape, or nullopt and *error, which names the item:
// "<item>: not a JSON object (<parser's reason>)", "... (other JSON)" for valid JSON of
// another shape.
std::optional<QJsonDocument> jsonDocument(QByteArrayView body, const QString &item, JsonShape shape,
                                          QString *error);

// A name-based UUID (version 5) in upper case, like every Azure EventId (the protocol checks
// GUIDs): the same name gives the same id, so a notice seen again after a restart repeats
// its webhook-id.
QString nameBasedEventId(const QUuid &nameSpace, const QString &name);

// EventSource Platform, DurationInSeconds -1 (unknown), ResourceType VirtualMachine,
// Resources [resource]; the caller fills in id, type, status and times.
protocol::ScheduledEvent platformEvent(const QString &resource);

} // namespace spotkeeper::agent
