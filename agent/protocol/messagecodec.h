// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "messages.h"

#include <QByteArray>
#include <QList>

#include <optional>

// JSON encoding and strict decoding of the wire messages. Decoding validates every
// field against Azure's naming rules (azurenames.h); each rejection names the field
// and the rule it broke, e.g. {"vm.resourceGroup", "must not end with '.'"}.
namespace spotkeeper::protocol {

struct ValidationError
{
    QString field; // JSON path, e.g. "event.EventId" or "vm.subscriptionId"
    QString rule; // what was expected, in plain words
    QString message() const; // "<field>: <rule>"
    friend bool operator==(const ValidationError &, const ValidationError &) = default;
};

template<typename T>
struct Decoded
{
    std::optional<T> value;
    QList<ValidationError> errors; // empty iff value is set
    bool ok() const { return value.has_value(); }
};

QByteArray encodeNotice(const Notice &notice);
QByteArray encodeHeartbeat(const Heartbeat &heartbeat);

// Both refuse a message of the other type, an unknown major version, malformed JSON
// (the error names the byte offset), and any field that breaks its rule.
Decoded<Notice> decodeNotice(QByteArrayView json);
Decoded<Heartbeat> decodeHeartbeat(QByteArrayView json);

} // namespace spotkeeper::protocol
