// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/messages.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

// Pure parsers for the two IMDS documents the agent reads (AZURE-PROTOCOL.md §1-2):
// Scheduled Events (api-version 2020-07-01) and instance metadata (2021-02-01).
// No I/O here, so every real payload in tests/data/azure-fixtures/imds is a unit test.
namespace spotkeeper::agent {

// An event the parser could not read. What could be read of it is kept so the agent
// can tell whether it may concern its VM and name it in its report.
struct UnreadableEvent
{
    qsizetype index = 0; // position in Events[]
    QString eventId; // "" when EventId itself is unreadable
    QStringList resources; // empty when Resources is unreadable
    QString error; // "Events[1].NotBefore: ..."
};

struct ScheduledEventsDocument
{
    qint64 incarnation = 0;
    QList<protocol::ScheduledEvent> events; // every readable event, in document order
    QList<UnreadableEvent> unreadable; // the others: never a reason to drop the readable
};

template<typename T>
struct Parsed
{
    std::optional<T> value;
    QString error; // names the problem when value is empty
};

// A parse that failed, for `return failure<T>(why);` in the metadata parsers.
template<typename T>
Parsed<T> failure(const QString &error)
{
    return Parsed<T> {std::nullopt, error};
}

// Reads every event. A missing optional field (DurationInSeconds before 2020-07-01,
// Description, EventSource) takes its documented default. An event with a missing
// EventId, EventType, EventStatus or Resources, a NotBefore that is neither "" nor a
// date parseNotBefore() reads, or a DurationInSeconds that is not an integer goes to
// `unreadable` and every other event is still returned. Only a document that is not
// JSON, has no integer DocumentIncarnation or no Events array is an error.
Parsed<ScheduledEventsDocument> parseScheduledEvents(QByteArrayView json);

// "Tue, 09 Aug 2022 17:07:32 GMT" -> UTC QDateTime; "" or anything else -> invalid.
QDateTime parseRfc1123(QStringView text);

// NotBefore as IMDS writes it (RFC 1123) or as ISO 8601 with a zone
// ("2025-01-01T12:00:00Z", "2025-01-01T14:00:00+02:00", a fraction allowed), which
// Microsoft's own Scheduled Events mock server writes. No zone, or anything else ->
// invalid: a local time of unknown zone is never guessed.
QDateTime parseNotBefore(QStringView text);

// The unreadable events that may concern vmName: those naming it, and those whose
// Resources could not be read at all.
QList<UnreadableEvent> unreadableForVm(const QList<UnreadableEvent> &events, QStringView vmName);
// "1 event(s) unreadable, the others were read: EventId X: Events[1].NotBefore: ..."; ""
// for none.
QString describeUnreadable(const QList<UnreadableEvent> &events);

// The events whose Resources name this VM (Azure names compare case-insensitively).
QList<protocol::ScheduledEvent> eventsForVm(const QList<protocol::ScheduledEvent> &events,
                                            QStringView vmName);

// Accepts the full /metadata/instance document (reads "compute") or the compute node
// alone. All values are strings; "" priority means Regular. subscriptionId,
// resourceGroupName and name are required: a VM is never given an invented identity.
// compute.resourceId becomes VmIdentity::armResourceId, the id the dashboard files the
// VM under (the only right one for a uniform scale set instance); when it is absent
// (api-versions before 2019-03-11) the id is composed, and when it does not fit the other
// fields it is ignored and *warning says so.
Parsed<protocol::VmIdentity> parseInstanceMetadata(QByteArrayView json, QString *warning = nullptr);

// Body of POST /metadata/scheduledevents that approves events: {"StartRequests":[...]}.
QByteArray startRequestsBody(const QStringList &eventIds);

} // namespace spotkeeper::agent
