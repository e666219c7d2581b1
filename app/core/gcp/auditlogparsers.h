// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Cloud Audit Logs of Compute Engine, read through the Cloud Logging API's entries.list
// (docs/GCP-PROTOCOL.md §7): the request body with its filter, a page of log entries, and the
// decision the engine needs — a preemption (a system event, `compute.instances.preempted`) or
// a stop somebody asked for (`v1.compute.instances.stop` and its kin, with the principal).
// Fuzzed by tests/fuzz/fuzz_compute_parsers.cpp (mode 4).
namespace spotkeeper::gcp::auditlog {

// One audit log entry, the fields the decision reads.
struct Entry
{
    QString methodName; // protoPayload.methodName
    QString principal; // protoPayload.authenticationInfo.principalEmail (may be empty)
    QString resourceName; // protoPayload.resourceName: projects/P/zones/Z/instances/NAME
    QDateTime timestamp; // UTC
    QString logName; // projects/P/logs/cloudaudit.googleapis.com%2Factivity or %2Fsystem_event
    QString operationId; // operation.id (the first and the last entry of one operation share it)
    int statusCode = 0; // protoPayload.status.code: 0 (or absent) = the call succeeded
    QString statusMessage;
};

struct Page
{
    QList<Entry> entries;
    QString nextPageToken; // empty on the last page
    int skipped = 0; // entries that were no Compute audit record (no methodName)
};

// {"entries": [LogEntry...], "nextPageToken"}; an empty object is an empty page.
std::optional<Page> parseEntriesJson(QByteArrayView json, QString *error);

// What one entry says about why its instance went down: Eviction for a preemption
// (compute.instances.preempted) or a host error (compute.instances.hostError: a Spot VM is
// not restarted by Google after one either); Deliberate for instances.stop / suspend / delete
// through any API version (v1., beta., alpha.) and for a shutdown from inside the guest
// (compute.instances.guestTerminate); None for anything else and for a call that failed.
core::EvidenceKind classify(const Entry &entry);

// The EvidenceResult of the newest decisive entry among `entries` at or after `since`
// (kind None when there is none). caller: the principal, for a guest shutdown "the guest OS"
// when no principal is recorded; evidence: "<method> by <principal> at <time> (operation
// <id>)".
core::EvidenceResult decide(const QList<Entry> &entries, const QDateTime &since);

// The methods classify() decides on, for the filter.
QStringList decisiveMethods();

// The Logging filter: the project's Admin Activity and System Event audit logs, resource type
// gce_instance, one of decisiveMethods(), since `since`; for one instance when instancePath
// (projects/P/zones/Z/instances/NAME) is given, else for every instance of the project.
QString filter(const QString &project, const QString &instancePath, const QDateTime &since);

// The POST body of entries.list: {"resourceNames": ["projects/P"], "filter", "orderBy":
// "timestamp desc", "pageSize", "pageToken"?}.
QByteArray listRequestBody(const QString &project, const QString &filter, int pageSize,
                           const QString &pageToken);

} // namespace spotkeeper::gcp::auditlog
