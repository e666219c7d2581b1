// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: Google's OAuth token endpoint for service accounts (/gcp/token) and the Compute
// Engine API of the simulated Google Cloud VMs under /compute/v1/ (docs/GCP-PROTOCOL.md §5-6,
// docs/SIMULATOR.md): instances.get, instances.start with its zone operation,
// zoneOperations.get, instances.aggregatedList (label filter, pageToken). A preempted VM
// reads TERMINATED; a start without capacity ends DONE with ZONE_RESOURCE_POOL_EXHAUSTED.
// Cloud Logging's entries.list (/logging/v2/entries:list) answers from the same record the
// Activity Log of the Azure VMs reads: a preemption is a compute.instances.preempted system
// event, a stop "as a user" a v1.compute.instances.stop by that principal (docs/SIMULATOR.md).
#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Google's JSON error envelope.
http::Response googleError(int status, const QString &reason, const QString &message)
{
    const QJsonObject error {
        {u"code"_s, status},
        {u"message"_s, message},
        {u"errors"_s,
         QJsonArray {QJsonObject {
             {u"message"_s, message}, {u"domain"_s, u"global"_s}, {u"reason"_s, reason}}}},
    };
    return http::Response::json(status, compact(QJsonObject {{u"error"_s, error}}));
}

QString statusOf(Power power)
{
    switch (power) {
    case Power::Running:
        return u"RUNNING"_s;
    case Power::Starting:
        return u"STAGING"_s;
    case Power::Deallocating:
    case Power::Stopping:
        return u"STOPPING"_s;
    case Power::Stopped:
        return u"SUSPENDED"_s;
    case Power::Deallocated:
    case Power::Deleting:
    case Power::Deleted:
        break;
    }
    return u"TERMINATED"_s;
}

// Azure-style capacity codes of the model -> Compute's.
QString computeCode(const QString &failCode)
{
    if (failCode == "AllocationFailed"_L1 || failCode == "ZonalAllocationFailed"_L1
        || failCode == "SkuNotAvailable"_L1 || failCode.startsWith("Overconstrained"_L1))
        return u"ZONE_RESOURCE_POOL_EXHAUSTED"_s;
    if (failCode == "OperationNotAllowed"_L1)
        return u"QUOTA_EXCEEDED"_s;
    return failCode.isEmpty() ? u"INTERNAL_ERROR"_s : failCode;
}

} // namespace

QJsonObject SimServer::computeInstance(const http::Request &request, const SimVm &vm) const
{
    const QString base = hostBase(request) + u"/compute/v1/projects/"_s + vm.gcpProject;
    const QString zone = base + u"/zones/"_s + vm.location;
    const bool spot = vm.priority.compare("Spot"_L1, Qt::CaseInsensitive) == 0;
    QJsonObject scheduling {{u"automaticRestart"_s, !spot},
                            {u"onHostMaintenance"_s, spot ? u"TERMINATE"_s : u"MIGRATE"_s},
                            {u"preemptible"_s, spot},
                            {u"provisioningModel"_s, spot ? u"SPOT"_s : u"STANDARD"_s}};
    if (spot)
        scheduling.insert(u"instanceTerminationAction"_s,
                          vm.evictionPolicy == "Delete"_L1 ? u"DELETE"_s : u"STOP"_s);
    QJsonObject labels;
    for (auto it = vm.tags.cbegin(); it != vm.tags.cend(); ++it) // label keys allow no ':'
        labels.insert(QString(it.key()).replace(u':', u'-').toLower(), it.value().toLower());
    return QJsonObject {
        {u"kind"_s, u"compute#instance"_s},
        {u"id"_s, vm.vmId},
        {u"name"_s, vm.name},
        {u"zone"_s, zone},
        {u"machineType"_s, QString(zone + u"/machineTypes/"_s + vm.size)},
        {u"status"_s, statusOf(vm.power)},
        {u"scheduling"_s, scheduling},
        {u"labels"_s, labels},
        {u"selfLink"_s, QString(zone + u"/instances/"_s + vm.name)},
    };
}

QJsonObject SimServer::computeOperation(const http::Request &request, const SimVm &vm,
                                        const SimOperation *op, const QString &opId) const
{
    const QString zone =
        hostBase(request) + u"/compute/v1/projects/%1/zones/%2"_s.arg(vm.gcpProject, vm.location);
    QJsonObject object {
        {u"kind"_s, u"compute#operation"_s},
        {u"name"_s, opId},
        {u"zone"_s, zone},
        {u"operationType"_s, u"start"_s},
        {u"targetLink"_s, QString(zone + u"/instances/"_s + vm.name)},
        {u"selfLink"_s, QString(zone + u"/operations/"_s + opId)},
        {u"status"_s, !op || op->status != "InProgress"_L1 ? u"DONE"_s : u"RUNNING"_s},
    };
    if (op && op->status == "Failed"_L1) {
        const QString code = computeCode(op->failCode);
        object.insert(u"error"_s,
                      QJsonObject {{u"errors"_s,
                                    QJsonArray {QJsonObject {
                                        {u"code"_s, code},
                                        {u"message"_s, op->failMessage},
                                    }}}});
        object.insert(u"httpErrorStatusCode"_s,
                      code == "ZONE_RESOURCE_POOL_EXHAUSTED"_L1 ? 503 : 403);
    }
    return object;
}

void SimServer::handleGcpToken(const http::Request &request, const ResponderPtr &responder)
{
    const auto answer = [&](int status, const QJsonObject &body) {
        reply(request, responder, http::Response::json(status, compact(body)), u"token"_s);
    };
    if (request.method != "POST")
        return answer(405, {{u"error"_s, u"invalid_request"_s}});
    QByteArray body = request.body;
    body.replace('+', "%20");
    const QUrlQuery form(QString::fromLatin1(body));
    if (form.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded)
        != "urn:ietf:params:oauth:grant-type:jwt-bearer"_L1)
        return answer(400, {{u"error"_s, u"unsupported_grant_type"_s}});
    // The assertion's shape and claims; the simulator holds no public key to verify the
    // signature with (tst_gcpcredentials verifies real grants).
    const QList<QByteArray> parts =
        form.queryItemValue(u"assertion"_s, QUrl::FullyDecoded).toLatin1().split('.');
    const QJsonObject claims = parts.size() == 3
        ? QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
              .object()
        : QJsonObject();
    if (claims.value("iss"_L1).toString().isEmpty()
        || !claims.value("scope"_L1).toString().contains("auth/compute"_L1) || parts[2].isEmpty())
        return answer(400,
                      {{u"error"_s, u"invalid_grant"_s},
                       {u"error_description"_s, u"Invalid JWT Signature."_s}});
    const QByteArray token = "simgcp-" + QByteArray::number(m_rng.generate64(), 16)
        + QByteArray::number(m_rng.generate64(), 16);
    m_tokens.insert(token, m_wall.nowMSecs() + qint64(m_options.tokenLifetimeSeconds) * 1000);
    ++m_tokensIssued;
    answer(200,
           {{u"access_token"_s, QString::fromLatin1(token)},
            {u"expires_in"_s, m_options.tokenLifetimeSeconds},
            {u"token_type"_s, u"Bearer"_s}});
}

bool SimServer::gcpAuthorized(const http::Request &request) const
{
    const QByteArray auth = request.header("Authorization");
    const auto token = m_tokens.constFind(auth.mid(7).trimmed());
    return auth.startsWith("Bearer ") && token != m_tokens.constEnd() && *token > m_wall.nowMSecs();
}

void SimServer::handleLogging(const http::Request &request, const ResponderPtr &responder)
{
    const auto send = [&](const http::Response &response) {
        reply(request, responder, response, u"logging"_s);
    };
    if (!gcpAuthorized(request))
        return send(googleError(401, u"authError"_s, u"Invalid Credentials"_s));
    if (request.method != "POST")
        return send(googleError(405, u"methodNotAllowed"_s, u"entries.list is a POST"_s));
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString project =
        body.value("resourceNames"_L1).toArray().first().toString().section(u'/', 1, 1);
    const QString filter = body.value("filter"_L1).toString();
    if (project.isEmpty() || filter.isEmpty())
        return send(googleError(400, u"badRequest"_s, u"resourceNames and filter are required"_s));
    ++m_armReads.activityPages;
    // The clauses the engine sends: protoPayload.resourceName="…" (optional), timestamp>="…",
    // and the methods, each quoted; an entry must match the ones present.
    const auto quotedAfter = [&](const QString &prefix) {
        const qsizetype at = filter.indexOf(prefix);
        if (at < 0)
            return QString();
        const qsizetype from = at + prefix.size();
        return filter.mid(from, filter.indexOf(u'"', from) - from);
    };
    const QString resource = quotedAfter(u"protoPayload.resourceName=\""_s).toLower();
    const QDateTime since =
        QDateTime::fromString(quotedAfter(u"timestamp>=\""_s), Qt::ISODateWithMs);
    const QString systemLog = u"projects/"_s + project + u"/logs/cloudaudit.googleapis.com%2F"_s;
    QList<QJsonObject> entries;
    const QList<ActivityEntry> records =
        m_model.activity({}, since.isValid() ? since.toMSecsSinceEpoch() : 0);
    for (auto it = records.crbegin(); it != records.crend(); ++it) { // newest first
        const ActivityEntry &record = *it;
        if (!record.resourceId.startsWith(u"projects/"_s + project + u'/')
            || (!resource.isEmpty() && record.resourceId.toLower() != resource))
            continue;
        const bool preempted = record.operationName.endsWith("evictSpotVM/action"_L1);
        const bool stopped = record.operationName.endsWith("deallocate/action"_L1)
            || record.operationName.endsWith("powerOff/action"_L1);
        const QString method = preempted ? u"compute.instances.preempted"_s
            : stopped                    ? u"v1.compute.instances.stop"_s
                                         : u"v1.compute.instances.start"_s;
        if (!filter.contains(u'"' + method + u'"'))
            continue;
        const QString principal = preempted ? u"system@google.com"_s : record.caller;
        entries.append(QJsonObject {
            {u"protoPayload"_s,
             QJsonObject {
                 {u"@type"_s, u"type.googleapis.com/google.cloud.audit.AuditLog"_s},
                 {u"authenticationInfo"_s, QJsonObject {{u"principalEmail"_s, principal}}},
                 {u"serviceName"_s, u"compute.googleapis.com"_s},
                 {u"methodName"_s, method},
                 {u"resourceName"_s, record.resourceId},
             }},
            {u"insertId"_s, record.operationId.left(12)},
            {u"resource"_s,
             QJsonObject {{u"type"_s, u"gce_instance"_s},
                          {u"labels"_s, QJsonObject {{u"project_id"_s, project}}}}},
            {u"timestamp"_s,
             QDateTime::fromMSecsSinceEpoch(record.atMs, Qt::UTC).toString(Qt::ISODateWithMs)},
            {u"severity"_s, preempted ? u"INFO"_s : u"NOTICE"_s},
            {u"logName"_s, QString(systemLog + (preempted ? u"system_event"_s : u"activity"_s))},
            {u"operation"_s,
             QJsonObject {{u"id"_s, record.operationId},
                          {u"producer"_s, preempted ? method : u"compute.googleapis.com"_s},
                          {u"first"_s, true},
                          {u"last"_s, true}}},
        });
    }
    // pageToken: the offset of the next entry, as text.
    bool ok = false;
    const int offset = std::max(0, body.value("pageToken"_L1).toString().toInt(&ok));
    const int pageSize = std::clamp(body.value("pageSize"_L1).toInt(50), 1, 1000);
    QJsonArray pageEntries;
    for (qsizetype i = ok ? offset : 0; i < entries.size() && pageEntries.size() < pageSize; ++i)
        pageEntries.append(entries.at(i));
    QJsonObject answer;
    if (!pageEntries.isEmpty())
        answer.insert(u"entries"_s, pageEntries);
    const qsizetype next = (ok ? offset : 0) + pageEntries.size();
    if (next < entries.size())
        answer.insert(u"nextPageToken"_s, QString::number(next));
    send(http::Response::json(200, compact(answer)));
}

void SimServer::handleCompute(const http::Request &request, const ResponderPtr &responder)
{
    const auto send = [&](const http::Response &response) {
        reply(request, responder, response, u"compute"_s);
    };
    if (!gcpAuthorized(request))
        return send(googleError(401, u"authError"_s, u"Invalid Credentials"_s));
    // /compute/v1/projects/{p}/zones/{z}/instances/{n}[/start]
    // /compute/v1/projects/{p}/zones/{z}/operations/{op}
    // /compute/v1/projects/{p}/aggregated/instances
    const QStringList parts = QString::fromUtf8(request.path).split(u'/', Qt::SkipEmptyParts);
    const QString project = parts.value(3);
    if (parts.size() < 4 || parts.value(2) != "projects"_L1)
        return send(googleError(404, u"notFound"_s, u"no such Compute route"_s));
    if (parts.size() == 6 && parts.at(4) == "aggregated"_L1 && parts.at(5) == "instances"_L1
        && request.method == "GET") {
        ++m_armReads.listPages;
        return send(computeList(request, project));
    }
    if (parts.size() < 8 || parts.at(4) != "zones"_L1)
        return send(googleError(404, u"notFound"_s, u"no such Compute route"_s));
    const QString zone = parts.at(5);
    int index = -1;
    if (parts.at(6) == "instances"_L1) {
        index = m_model.findByName(parts.at(7));
    } else if (parts.at(6) == "operations"_L1 && parts.size() == 8 && request.method == "GET") {
        ++m_armReads.operationPolls;
        const SimOperation *op = m_model.operation(parts.at(7));
        if (!op || op->vm < 0)
            return send(
                googleError(404, u"notFound"_s,
                            u"The resource 'operations/%1' was not found"_s.arg(parts.at(7))));
        return send(http::Response::json(
            200, compact(computeOperation(request, m_model.vm(op->vm), op, parts.at(7)))));
    }
    const QString resource = u"projects/%1/zones/%2/instances/%3"_s.arg(project, zone, parts.at(7));
    if (index < 0 || !m_model.vm(index).isGcp() || m_model.vm(index).gcpProject != project
        || m_model.vm(index).location != zone || m_model.vm(index).power == Power::Deleted)
        return send(
            googleError(404, u"notFound"_s, u"The resource '%1' was not found"_s.arg(resource)));
    const SimVm &vm = m_model.vm(index);
    if (parts.size() == 8 && request.method == "GET") {
        ++m_armReads.vmGets;
        return send(http::Response::json(200, compact(computeInstance(request, vm))));
    }
    if (parts.size() == 9 && parts.at(8) == "start"_L1 && request.method == "POST") {
        ++m_armWrites;
        if (vm.power == Power::Running || vm.power == Power::Starting) {
            // Starting a running instance succeeds at once and changes nothing.
            return send(http::Response::json(
                200,
                compact(computeOperation(request, vm, nullptr, u"operation-noop-"_s + vm.vmId))));
        }
        const StartOutcome out = m_model.start(index, m_wall.nowMSecs());
        if (out.httpStatus == 404)
            return send(googleError(404, u"notFound"_s, out.errorMessage));
        if (out.httpStatus != 202) // still stopping: Compute's "not ready"
            return send(googleError(400, u"resourceNotReady"_s, out.errorMessage));
        return send(http::Response::json(
            200, compact(computeOperation(request, vm, m_model.operation(out.opId), out.opId))));
    }
    return send(googleError(405, u"methodNotAllowed"_s,
                            u"only instances.get, instances.start, zoneOperations.get and "
                            "instances.aggregatedList are simulated"_s));
}

http::Response SimServer::computeList(const http::Request &request, const QString &project)
{
    // filter: the one form the engine sends, labels.<key>=<value>; anything else lists all.
    QString labelKey;
    QString labelValue;
    const QString filter = request.queryItem(u"filter"_s).trimmed();
    if (filter.startsWith("labels."_L1) && filter.contains(u'=')) {
        labelKey = filter.mid(7, filter.indexOf(u'=') - 7).trimmed();
        labelValue = filter.mid(filter.indexOf(u'=') + 1).trimmed().remove(u'"');
    }
    QHash<QString, QJsonArray> byZone;
    QStringList zones;
    int total = 0;
    QList<int> matching;
    for (int i = 0; i < m_model.vmCount(); ++i) {
        const SimVm &vm = m_model.vm(i);
        if (!vm.isGcp() || vm.gcpProject != project || vm.power == Power::Deleted)
            continue;
        if (!labelKey.isEmpty()) {
            const QJsonObject labels = computeInstance(request, vm).value("labels"_L1).toObject();
            if (labels.value(labelKey).toString() != labelValue)
                continue;
        }
        matching.append(i);
    }
    bool ok = false;
    const int offset = std::max(0, request.queryItem(u"pageToken"_s).toInt(&ok));
    const int pageSize = std::clamp(request.queryItem(u"maxResults"_s).toInt(), 1, 500);
    for (int n = ok ? offset : 0; n < matching.size() && total < pageSize; ++n, ++total) {
        const SimVm &vm = m_model.vm(matching.at(n));
        const QString scope = u"zones/"_s + vm.location;
        if (!byZone.contains(scope))
            zones.append(scope);
        byZone[scope].append(computeInstance(request, vm));
    }
    QJsonObject items;
    for (const QString &scope : std::as_const(zones))
        items.insert(scope, QJsonObject {{u"instances"_s, byZone.value(scope)}});
    QJsonObject body {{u"kind"_s, u"compute#instanceAggregatedList"_s},
                      {u"id"_s, u"projects/%1/aggregated/instances"_s.arg(project)},
                      {u"items"_s, items}};
    const int next = (ok ? offset : 0) + total;
    if (next < matching.size())
        body.insert(u"nextPageToken"_s, QString::number(next));
    return http::Response::json(200, compact(body));
}

} // namespace spotkeeper::sim
