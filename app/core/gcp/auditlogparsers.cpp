// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/auditlogparsers.h"

#include "gcp/computeparsers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace spotkeeper::gcp::auditlog {

using namespace Qt::StringLiterals;
using core::EvidenceKind;

namespace {

const QString kPreempted = u"compute.instances.preempted"_s;
const QString kHostError = u"compute.instances.hostError"_s;
const QString kGuestTerminate = u"compute.instances.guestTerminate"_s;

// RFC 3339 with up to nine fraction digits ("2026-12-07T10:15:30.123456789Z"): the fraction
// is cut to milliseconds before Qt reads it.
QDateTime parseTimestamp(const QString &text)
{
    static const QRegularExpression shape(
        u"^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d{1,9}))?(Z|[+-]\\d\\d:\\d\\d)$"_s);
    const QRegularExpressionMatch match = shape.match(text);
    if (!match.hasMatch())
        return {};
    const QString millis = QString(match.captured(2) + u"000"_s).left(3);
    const QDateTime at = QDateTime::fromString(
        match.captured(1) + u'.' + millis + match.captured(3), Qt::ISODateWithMs);
    return at.isValid() ? at.toUTC() : QDateTime();
}

// "v1.compute.instances.stop", "beta.compute.instances.suspend", ...: a person's (or a
// pipeline's) request through the API.
bool isRequestedStop(const QString &method)
{
    static const QRegularExpression shape(
        u"^(v1|beta|alpha)\\.compute\\.instances\\.(stop|suspend|delete)$"_s);
    return shape.match(method).hasMatch();
}

QString quoted(const QString &value)
{
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return u'"' + escaped + u'"';
}

} // namespace

std::optional<Page> parseEntriesJson(QByteArrayView json, QString *error)
{
    const auto parsed = compute::jsonObjectOf(json, error);
    if (!parsed)
        return std::nullopt;
    const QJsonObject &root = *parsed;
    const QJsonValue entries = root.value("entries"_L1);
    if (!entries.isUndefined() && !entries.isArray()) {
        *error = u"\"entries\" is not an array"_s;
        return std::nullopt;
    }
    const QJsonValue token = root.value("nextPageToken"_L1);
    if (!token.isUndefined() && !token.isString()) {
        *error = u"\"nextPageToken\" is not a string"_s;
        return std::nullopt;
    }
    Page page;
    page.nextPageToken = token.toString();
    for (const QJsonValue &value : entries.toArray()) {
        const QJsonObject object = value.toObject();
        const QJsonObject payload = object.value("protoPayload"_L1).toObject();
        Entry entry;
        entry.methodName = payload.value("methodName"_L1).toString();
        entry.timestamp = parseTimestamp(object.value("timestamp"_L1).toString());
        if (entry.methodName.isEmpty() || !entry.timestamp.isValid()) {
            ++page.skipped; // not an audit record we can place in time
            continue;
        }
        entry.principal = payload.value("authenticationInfo"_L1)
                              .toObject()
                              .value("principalEmail"_L1)
                              .toString()
                              .left(256);
        entry.resourceName = payload.value("resourceName"_L1).toString();
        entry.logName = object.value("logName"_L1).toString();
        entry.operationId = object.value("operation"_L1).toObject().value("id"_L1).toString();
        const QJsonObject status = payload.value("status"_L1).toObject();
        entry.statusCode = status.value("code"_L1).toInt(0);
        entry.statusMessage = status.value("message"_L1).toString().left(500);
        page.entries.append(entry);
    }
    return page;
}

EvidenceKind classify(const Entry &entry)
{
    if (entry.statusCode != 0)
        return EvidenceKind::None; // the call failed: it stopped nothing
    if (entry.methodName == kPreempted || entry.methodName == kHostError)
        return EvidenceKind::Eviction;
    if (entry.methodName == kGuestTerminate || isRequestedStop(entry.methodName))
        return EvidenceKind::Deliberate;
    return EvidenceKind::None;
}

core::EvidenceResult decide(const QList<Entry> &entries, const QDateTime &since)
{
    const Entry *newest = nullptr;
    for (const Entry &entry : entries) {
        if ((since.isValid() && entry.timestamp < since) || classify(entry) == EvidenceKind::None)
            continue;
        if (!newest || entry.timestamp > newest->timestamp)
            newest = &entry;
    }
    core::EvidenceResult result;
    if (!newest)
        return result;
    result.kind = classify(*newest);
    result.operation = newest->methodName;
    result.at = newest->timestamp;
    result.caller = newest->principal;
    if (result.caller.isEmpty() && newest->methodName == kGuestTerminate)
        result.caller = u"the guest OS"_s;
    result.evidence = newest->methodName
        + (newest->principal.isEmpty() ? QString() : u" by "_s + newest->principal) + u" at "_s
        + newest->timestamp.toString(Qt::ISODateWithMs)
        + (newest->operationId.isEmpty() ? QString()
                                         : u" (operation "_s + newest->operationId + u')');
    return result;
}

QStringList decisiveMethods()
{
    QStringList methods {kPreempted, kHostError, kGuestTerminate};
    for (const char *version : {"v1", "beta"}) {
        for (const char *verb : {"stop", "suspend", "delete"})
            methods.append(u"%1.compute.instances.%2"_s.arg(QLatin1StringView(version),
                                                            QLatin1StringView(verb)));
    }
    return methods;
}

QString filter(const QString &project, const QString &instancePath, const QDateTime &since)
{
    QStringList methods;
    for (const QString &method : decisiveMethods())
        methods.append(quoted(method));
    const QString logs = u"projects/"_s + project + u"/logs/cloudaudit.googleapis.com%2F"_s;
    QStringList clauses {
        u"logName=("_s + quoted(logs + u"activity"_s) + u" OR "_s + quoted(logs + u"system_event"_s)
            + u')',
        u"resource.type=\"gce_instance\""_s,
        u"protoPayload.methodName=("_s + methods.join(u" OR "_s) + u')',
    };
    if (!instancePath.isEmpty())
        clauses.append(u"protoPayload.resourceName="_s + quoted(instancePath));
    if (since.isValid())
        clauses.append(u"timestamp>="_s + quoted(since.toUTC().toString(Qt::ISODateWithMs)));
    return clauses.join(u'\n'); // one clause a line: Logging ANDs them
}

QByteArray listRequestBody(const QString &project, const QString &filter, int pageSize,
                           const QString &pageToken)
{
    QJsonObject body {
        {u"resourceNames"_s, QJsonArray {QString(u"projects/"_s + project)}},
        {u"filter"_s, filter},
        {u"orderBy"_s, u"timestamp desc"_s},
        {u"pageSize"_s, pageSize},
    };
    if (!pageToken.isEmpty())
        body.insert(u"pageToken"_s, pageToken);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace spotkeeper::gcp::auditlog
