// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/messages.h"

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
//
// Wire shape (keys are written sorted; see tests/data/protocol/ for golden samples):
//   {"type", "version", "vm": {subscriptionId, resourceGroup, vmName, vmId, location,
//    vmScaleSetName, priority, evictionPolicy[, resourceId]}, ...}
//   resourceId (IMDS compute.resourceId) is optional and written only when known; when
//   present it must be a VM resource id that agrees with the other vm fields
//   (checkArmResourceId in messages.h), and it is then what resourceId() returns.
//   notice:    "event": {EventId, EventType, EventStatus, NotBefore, Description,
//              EventSource, DurationInSeconds, ResourceType, Resources[]},
//              "documentIncarnation", "agentVersion", "sentAt"
//   heartbeat: "agentVersion", "uptimeSeconds", "identityKnown",
//              "lastPoll": {at, ok, error}, "sentAt"
// Times: NotBefore in RFC 1123 as Azure writes it ("" when invalid); sentAt and
// lastPoll.at in ISO 8601 UTC with milliseconds ("" for lastPoll.at when never polled).
//
// Version 2 (kCloudVersion) adds "vm.cloud": "azure" (then the vm fields are those above)
// or "gcp", whose vm is {cloud, projectId, zone, vmName, vmId, priority, evictionPolicy}
// checked against Google's naming rules (gcpnames.h), and whose event Resources are
// instance names; or "aws", whose vm is {cloud, accountId, region, zone, instanceId,
// instanceType, priority, evictionPolicy} checked against AWS's rules (awsnames.h; the
// instance id is also vmName) and whose event Resources are instance ids. A version 1
// message is Azure. encode* write version 1 for Azure, so a
// dashboard that predates version 2 still reads them, and version 2 for Google Cloud and AWS.
//
// Decoding rules worth knowing:
// - Every listed field must be present with its JSON type; unknown extra fields are
//   ignored, so a minor addition does not need a new major version.
// - Errors: field "$" for the document itself, dotted paths otherwise
//   ("event.Resources[1]"). A wrong type or version stops decoding (one error);
//   otherwise every broken field is reported.
// - EventType is kept verbatim (eventTypeText) when it is not a known type; EventStatus
//   must be Scheduled or Started. On encode, eventTypeText wins when it is set.
// - vmScaleSetName, priority and evictionPolicy may be empty (standalone VM, IMDS "").
// - A heartbeat with identityKnown=false may leave every vm field empty (the agent could
//   not read IMDS yet; the dashboard files it by the signing key id), but a non-empty
//   field must still be valid. A notice always needs the full identity.
// - lastPoll.ok=true needs lastPoll.at set and lastPoll.error empty.
// - A duplicated JSON key keeps its last value (QJsonDocument); signatures cover the
//   raw bytes, so this cannot be used to slip past verification.
Decoded<Notice> decodeNotice(QByteArrayView json);
Decoded<Heartbeat> decodeHeartbeat(QByteArrayView json);

} // namespace spotkeeper::protocol
