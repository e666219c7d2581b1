// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: the ARM half (AZURE-PROTOCOL.md §4-6).
#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simjson.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <optional>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

bool is(const QStringList &parts, int i, QLatin1StringView word)
{
    return i < parts.size() && parts.at(i).compare(word, Qt::CaseInsensitive) == 0;
}

QByteArray guidHeader(QRandomGenerator &rng)
{
    return QByteArray::number(rng.generate64(), 16).rightJustified(16, '0').insert(8, '-')
        + "-4000-8000-"
        + QByteArray::number(rng.generate64() & 0xffffffffffffULL, 16).rightJustified(12, '0');
}

QByteArray compact(const QJsonObject &obj)
{
    return QJsonDocument(obj).toJson(QJsonDocument::Compact);
}

} // namespace

http::Response SimServer::armError(int status, const QString &code, const QString &message) const
{
    return http::Response::error(status, code, message);
}

void SimServer::handleArm(const http::Request &request, const ResponderPtr &responder)
{
    // Faults first: they model the network and ARM's front door, before any bookkeeping.
    if (m_options.dropRate > 0 && m_rng.generateDouble() < m_options.dropRate) {
        ++m_dropped; // never answered: the client times out as after a lost connection
        m_requests.push_back(RequestRecord {m_wall.nowMSecs(), request.method,
                                            QString::fromUtf8(request.path), 0, u"arm"_s});
        return;
    }
    if (m_options.resetRate > 0 && m_rng.generateDouble() < m_options.resetRate) {
        ++m_resets; // a real TCP RST: the client sees "connection reset by peer"
        m_requests.push_back(RequestRecord {m_wall.nowMSecs(), request.method,
                                            QString::fromUtf8(request.path), 0, u"arm"_s});
        responder->reset();
        return;
    }
    if (m_options.delayMs > 0) {
        QTimer::singleShot(m_options.delayMs, this, [this, request, responder] {
            if (responder->isOpen())
                routeArm(request, responder);
        });
        return;
    }
    routeArm(request, responder);
}

void SimServer::routeArm(const http::Request &request, const ResponderPtr &responder)
{
    m_model.advance();
    const auto send = [&](http::Response response) {
        response.headers.append({"x-ms-request-id", guidHeader(m_rng)});
        response.headers.append({"x-ms-correlation-request-id", guidHeader(m_rng)});
        reply(request, responder, std::move(response), u"arm"_s);
    };
    if (m_options.error5xxRate > 0 && m_rng.generateDouble() < m_options.error5xxRate) {
        ++m_injected5xx;
        const bool five03 = m_rng.bounded(2) == 0;
        return send(armError(five03 ? 503 : 500,
                             five03 ? u"ServiceUnavailable"_s : u"InternalServerError"_s,
                             u"An internal execution error occurred. Please retry later."_s));
    }
    // Authentication: a bearer token this simulator issued and that has not expired.
    const QByteArray auth = request.header("Authorization");
    if (!auth.startsWith("Bearer "))
        return send(armError(401, u"AuthenticationFailed"_s,
                             u"Authentication failed. The 'Authorization' header is missing."_s));
    const auto token = m_tokens.constFind(auth.mid(7).trimmed());
    if (token == m_tokens.constEnd())
        return send(
            armError(401, u"InvalidAuthenticationToken"_s, u"The access token is invalid."_s));
    if (*token <= m_wall.nowMSecs())
        return send(armError(401, u"ExpiredAuthenticationToken"_s,
                             u"The access token expiry UTC time is earlier than current UTC "
                             "time."_s));

    const QStringList parts = QString::fromUtf8(request.path).split(u'/', Qt::SkipEmptyParts);
    const QString sub = parts.value(1);
    ArmLimits::Kind kind = ArmLimits::Kind::Read;
    QString vmKey;
    enum class Route {
        None,
        ListAll,
        ListLocation,
        ListRg,
        Vm,
        VmAction,
        Operation,
        Activity,
        ListScaleSets,
        ListInstances,
        ScaleSetStart,
    };
    Route route = Route::None;
    int vm = -1;
    // .../virtualMachineScaleSets/{ss}[/start | /virtualMachines[/{id}[/{action}]]]
    const bool scaleSetPath = parts.size() >= 9 && is(parts, 2, "resourceGroups"_L1)
        && is(parts, 4, "providers"_L1) && is(parts, 5, "Microsoft.Compute"_L1)
        && is(parts, 6, "virtualMachineScaleSets"_L1);
    if (parts.size() == 5 && is(parts, 2, "providers"_L1) && is(parts, 3, "Microsoft.Compute"_L1)
        && is(parts, 4, "virtualMachines"_L1)) {
        route = Route::ListAll;
    } else if (parts.size() == 5 && is(parts, 2, "providers"_L1)
               && is(parts, 3, "Microsoft.Compute"_L1)
               && is(parts, 4, "virtualMachineScaleSets"_L1)) {
        route = Route::ListScaleSets;
    } else if (scaleSetPath && parts.size() == 9 && is(parts, 8, "start"_L1)) {
        route = Route::ScaleSetStart;
        vmKey = u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/"
                "virtualMachineScaleSets/%3"_s.arg(sub, parts.at(3), parts.at(7))
                    .toLower();
    } else if (scaleSetPath && parts.size() == 9 && is(parts, 8, "virtualMachines"_L1)) {
        route = Route::ListInstances;
    } else if (scaleSetPath && (parts.size() == 10 || parts.size() == 11)
               && is(parts, 8, "virtualMachines"_L1)) {
        route = parts.size() == 10 ? Route::Vm : Route::VmAction;
        vm = m_model.findInstance(sub, parts.at(3), parts.at(7), parts.at(9));
        vmKey = u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/"
                "virtualMachineScaleSets/%3/virtualMachines/%4"_s
                    .arg(sub, parts.at(3), parts.at(7), parts.at(9))
                    .toLower();
    } else if (parts.size() == 7 && is(parts, 3, "Microsoft.Compute"_L1)
               && is(parts, 4, "locations"_L1) && is(parts, 6, "virtualMachines"_L1)) {
        route = Route::ListLocation;
    } else if (parts.size() == 8 && is(parts, 3, "Microsoft.Compute"_L1)
               && is(parts, 4, "locations"_L1) && is(parts, 6, "operations"_L1)) {
        route = Route::Operation;
    } else if (parts.size() == 7 && is(parts, 3, "Microsoft.Insights"_L1)
               && is(parts, 4, "eventtypes"_L1)) {
        route = Route::Activity;
    } else if (parts.size() >= 7 && is(parts, 2, "resourceGroups"_L1)
               && is(parts, 4, "providers"_L1) && is(parts, 5, "Microsoft.Compute"_L1)
               && is(parts, 6, "virtualMachines"_L1)) {
        if (parts.size() == 7)
            route = Route::ListRg;
        else if (parts.size() == 8 || parts.size() == 9) {
            route = parts.size() == 8 ? Route::Vm : Route::VmAction;
            vm = m_model.find(sub, parts.at(3), parts.at(7));
            vmKey = u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/"
                    "virtualMachines/%3"_s.arg(sub, parts.at(3), parts.at(7))
                        .toLower();
        }
    }
    if (route == Route::None)
        return send(armError(404, u"InvalidResourceType"_s,
                             u"The resource type could not be found in the namespace for api "
                             "version."_s));
    if (request.queryItem(u"api-version"_s).isEmpty())
        return send(armError(400, u"MissingApiVersionParameter"_s,
                             u"The api-version query parameter (?api-version=) is required for "
                             "all requests."_s));
    const QString action = route == Route::VmAction ? parts.last().toLower() : QString();
    if (route == Route::ListAll || route == Route::ListLocation || route == Route::ListRg
        || route == Route::ListScaleSets || route == Route::ListInstances)
        kind = ArmLimits::Kind::List;
    else if (route == Route::Operation)
        kind = ArmLimits::Kind::OperationStatus;
    else if ((route == Route::VmAction && request.method == "POST")
             || (route == Route::Vm && request.method == "PATCH")) // Compute's "Update VM"
        kind = ArmLimits::Kind::Start;
    else if (route == Route::ScaleSetStart) // no documented per-scale-set policy: a write
        kind = ArmLimits::Kind::Write;

    // What a client spends of ARM's buckets, by kind of call (bench_e2e: reads per VM).
    if (request.method == "GET") {
        ++m_armReads.total;
        if (kind == ArmLimits::Kind::List)
            ++m_armReads.listPages;
        else if (kind == ArmLimits::Kind::OperationStatus)
            ++m_armReads.operationPolls;
        else if (route == Route::Vm || route == Route::VmAction)
            ++m_armReads.vmGets;
        else if (route == Route::Activity)
            ++m_armReads.activityPages;
    } else {
        ++m_armWrites;
    }
    const ArmLimits::Decision decision = m_limits.check(kind, sub, vmKey, m_wall.nowMSecs());
    if (!decision.allowed) {
        http::Response throttled;
        const bool compute =
            decision.policy.startsWith("UpdateVM"_L1) || decision.policy.startsWith("HighCost"_L1);
        if (compute) { // CRP's body (AZURE-PROTOCOL.md §6)
            throttled = http::Response::json(
                429,
                compact(QJsonObject {{u"code"_s, u"OperationNotAllowed"_s},
                                     {u"message"_s,
                                      u"The server rejected the request because too many "
                                      "requests have been received for this subscription."_s},
                                     {u"details"_s,
                                      QJsonArray {QJsonObject {{u"code"_s, u"TooManyRequests"_s},
                                                               {u"target"_s, decision.policy}}}}}));
        } else {
            throttled = armError(429, u"SubscriptionRequestsThrottled"_s,
                                 u"Number of requests for subscription '%1' exceeded the limit "
                                 "(%2). Please try again after '%3' seconds."_s.arg(sub)
                                     .arg(decision.policy)
                                     .arg(decision.retryAfterSeconds));
        }
        throttled.headers.append({"Retry-After", QByteArray::number(decision.retryAfterSeconds)});
        return send(std::move(throttled));
    }
    http::Response response;
    switch (route) {
    case Route::ListAll:
        response = listVms(request, sub, {}, {});
        break;
    case Route::ListLocation:
        response = listVms(request, sub, {}, parts.at(5));
        break;
    case Route::ListRg:
        response = listVms(request, sub, parts.at(3), {});
        break;
    case Route::ListScaleSets:
        response = listScaleSets(request, sub);
        break;
    case Route::ListInstances:
        response = listInstances(request, sub, parts.at(3), parts.at(7));
        break;
    case Route::ScaleSetStart:
        response = startScaleSet(request, sub, parts.at(3), parts.at(7));
        break;
    case Route::Operation:
        response = operationStatus(request, parts.at(7));
        break;
    case Route::Activity:
        response = activityLog(request, sub);
        break;
    case Route::Vm:
    case Route::VmAction:
        if (vm < 0 || m_model.vm(vm).power == Power::Deleted) {
            response = vm < 0
                ? armError(
                    404, u"ResourceNotFound"_s,
                    u"The Resource 'Microsoft.Compute/virtualMachines/%1' "
                    "under resource group '%2' was not found. For more "
                    "details please go to "
                    "https://aka.ms/ARMResourceNotFoundFix"_s.arg(
                        parts.size() >= 10 ? parts.mid(7, 3).join(u'/') : parts.at(7), parts.at(3)))
                : armError(404, u"NotFound"_s,
                           u"The entity was not found in this Azure location."_s);
        } else if (route == Route::Vm && request.method == "PATCH") {
            response = patchVm(request, vm);
        } else if (route == Route::Vm) {
            response = request.method != "GET"
                ? armError(405, u"MethodNotAllowed"_s, u"only GET and PATCH are simulated"_s)
                : http::Response::json(
                    200,
                    compact(
                        m_model.vm(vm).scaleSet.isEmpty()
                            ? simjson::vmBody(m_model.vm(vm),
                                              request.queryItem(u"$expand"_s) == "instanceView"_L1,
                                              m_model.nowMs())
                            : simjson::instanceBody(m_model.vm(vm),
                                                    request.queryItem(u"$expand"_s)
                                                        == "instanceView"_L1,
                                                    m_model.nowMs())));
        } else {
            response = vmAction(request, vm, action);
        }
        break;
    case Route::None:
        break;
    }
    response.headers.append(decision.headers);
    send(std::move(response));
}

http::Response SimServer::patchVm(const http::Request &request, int vm)
{
    // Update VM (PATCH): hardwareProfile.vmSize and billingProfile.maxPrice are simulated.
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    const QJsonObject properties = doc.object().value("properties"_L1).toObject();
    if (!doc.isObject())
        return armError(400, u"InvalidRequestContent"_s, u"The request content was invalid."_s);
    if (!m_model.vm(vm).scaleSet.isEmpty())
        return armError(409, u"OperationNotAllowed"_s,
                        u"A uniform scale set instance takes its size from the scale set model."_s);
    const QString size =
        properties.value("hardwareProfile"_L1).toObject().value("vmSize"_L1).toString();
    const QJsonValue price = properties.value("billingProfile"_L1).toObject().value("maxPrice"_L1);
    const std::optional<double> maxPrice =
        price.isDouble() ? std::optional<double>(price.toDouble()) : std::nullopt;
    if (const auto refusal = m_model.update(vm, size, maxPrice))
        return armError(refusal->status, refusal->code, refusal->message);
    return http::Response::json(200,
                                compact(simjson::vmBody(m_model.vm(vm), false, m_model.nowMs())));
}

http::Response SimServer::vmAction(const http::Request &request, int vm, const QString &action)
{
    if (action == "vmsizes"_L1 && request.method == "GET") { // List Available Sizes
        QJsonArray sizes;
        for (const QString &name : m_model.availableSizes(m_model.vm(vm).location))
            sizes.append(QJsonObject {{u"name"_s, name}});
        return http::Response::json(200, compact(QJsonObject {{u"value"_s, sizes}}));
    }
    if (action == "instanceview"_L1 && request.method == "GET")
        return http::Response::json(
            200, compact(simjson::instanceView(m_model.vm(vm), m_model.nowMs())));
    if (action == "simulateeviction"_L1 && request.method == "POST") {
        if (m_model.vm(vm).priority != "Spot"_L1)
            return armError(409, u"OperationNotAllowed"_s,
                            u"Operation 'simulateEviction' is allowed only for Spot Virtual "
                            "Machines"_s);
        evict(0, {m_model.vm(vm).name}, {}, true);
        return http::Response {204, {}, {}};
    }
    if (action == "deallocate"_L1 && request.method == "POST") {
        const SimVm &v = m_model.vm(vm);
        if (v.power == Power::Deallocated || v.power == Power::Deallocating)
            return http::Response {200, {}, {}}; // already what was asked
        if (!m_model.deallocate(vm, m_options.clientId))
            return armError(
                409, u"OperationNotAllowed"_s,
                u"The VM cannot be deallocated while it is %1."_s.arg(powerCode(v.power)));
        return http::Response {202, {}, {}}; // accepted; the power change shows in reads
    }
    if (action == "poweroff"_L1 && request.method == "POST") {
        const SimVm &v = m_model.vm(vm);
        if (v.power == Power::Stopped || v.power == Power::Stopping)
            return http::Response {200, {}, {}}; // already what was asked
        if (!m_model.powerOff(vm, m_options.clientId))
            return armError(
                409, u"OperationNotAllowed"_s,
                u"The VM cannot be powered off while it is %1."_s.arg(powerCode(v.power)));
        return http::Response {202, {}, {}};
    }
    if (action == "restart"_L1 && request.method == "POST") {
        if (!m_model.restart(vm, m_options.clientId, m_wall.nowMSecs()))
            return armError(
                409, u"OperationNotAllowed"_s,
                u"Operation 'restart' is not allowed on VM '%1' since the VM is %2."_s.arg(
                    m_model.vm(vm).name, powerCode(m_model.vm(vm).power)));
        return http::Response {202, {}, {}}; // accepted; the VM reboots and stays running
    }
    if (action != "start"_L1 || request.method != "POST")
        return armError(405, u"MethodNotAllowed"_s,
                        u"only GET instanceView, POST start, restart, deallocate, powerOff and "
                        "simulateEviction are simulated"_s);
    const StartOutcome out = m_model.start(vm, m_wall.nowMSecs());
    if (out.httpStatus != 202)
        return armError(out.httpStatus, out.errorCode, out.errorMessage);
    const SimVm &v = m_model.vm(vm);
    return startAccepted(request, v.subscriptionId, v.location, out.opId);
}

http::Response SimServer::startAccepted(const http::Request &request, const QString &subscriptionId,
                                        const QString &location, const QString &opId) const
{
    const QString opBase = hostBase(request)
        + u"/subscriptions/%1/providers/Microsoft.Compute/locations/%2/operations/%3"_s.arg(
            subscriptionId, location, opId);
    const QString apiVersion = request.queryItem(u"api-version"_s);
    http::Response accepted {202, {}, {}};
    accepted.headers.append({"Azure-AsyncOperation",
                             (opBase + u"?p=%1&api-version=%2"_s.arg(opId, apiVersion)).toUtf8()});
    accepted.headers.append(
        {"Location",
         (opBase + u"?p=%1&monitor=true&api-version=%2"_s.arg(opId, apiVersion)).toUtf8()});
    accepted.headers.append({"Retry-After", QByteArray::number(m_options.startRetryAfterSeconds)});
    return accepted;
}

http::Response SimServer::operationStatus(const http::Request &request, const QString &opId)
{
    const SimOperation *op = m_model.operation(opId);
    if (!op)
        return armError(404, u"NotFound"_s, u"The operation was not found."_s);
    const bool monitor = request.queryItem(u"monitor"_s) == "true"_L1;
    http::Response response;
    if (op->status == "InProgress"_L1) {
        response = monitor ? http::Response {202, {}, {}}
                           : http::Response::json(200, compact(simjson::operationStatus(*op)));
        response.headers.append(
            {"Retry-After", QByteArray::number(m_options.pollRetryAfterSeconds)});
        return response;
    }
    if (monitor && op->status == "Succeeded"_L1)
        return http::Response {200, {}, {}}; // the recorded empty 200
    return http::Response::json(200, compact(simjson::operationStatus(*op)));
}

http::Response SimServer::listVms(const http::Request &request, const QString &subscription,
                                  const QString &resourceGroup, const QString &location)
{
    const bool statusOnly = request.queryItem(u"statusOnly"_s) == "true"_L1;
    bool knownSubscription = false;
    QList<int> matching;
    for (int i = 0; i < m_model.vmCount(); ++i) {
        const SimVm &vm = m_model.vm(i);
        if (vm.subscriptionId.compare(subscription, Qt::CaseInsensitive) != 0)
            continue;
        knownSubscription = true;
        if (vm.power == Power::Deleted || !vm.scaleSet.isEmpty())
            continue; // uniform scale set instances are listed under their scale set only
        if (!resourceGroup.isEmpty()
            && vm.resourceGroup.compare(resourceGroup, Qt::CaseInsensitive) != 0)
            continue;
        if (!location.isEmpty() && vm.location.compare(location, Qt::CaseInsensitive) != 0)
            continue;
        matching.append(i);
    }
    if (!knownSubscription)
        return armError(404, u"SubscriptionNotFound"_s,
                        u"The subscription '%1' could not be found."_s.arg(subscription));
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, request.queryItem(u"api-version"_s));
    if (statusOnly)
        query.addQueryItem(u"statusOnly"_s, u"true"_s);
    return http::Response::json(200,
                                compact(page(request, matching.size(), query, [&](qsizetype i) {
                                    const SimVm &vm = m_model.vm(matching.at(i));
                                    return statusOnly ? simjson::vmStatusOnly(vm, m_model.nowMs())
                                                      : simjson::vmBody(vm, false, m_model.nowMs());
                                })));
}

QJsonObject SimServer::page(const http::Request &request, qsizetype total, QUrlQuery query,
                            const std::function<QJsonObject(qsizetype)> &item, int size) const
{
    bool ok = false;
    const qsizetype skip = request.queryItem(u"$skiptoken"_s).toLongLong(&ok);
    const qsizetype from = ok && skip > 0 ? skip : 0;
    const qsizetype pageSize = std::max(1, size > 0 ? size : m_options.pageSize);
    QJsonArray value;
    for (qsizetype i = from; i < total && i < from + pageSize; ++i)
        value.append(item(i));
    QJsonObject body {{u"value"_s, value}};
    if (from + pageSize < total) {
        query.addQueryItem(u"$skiptoken"_s, QString::number(from + pageSize));
        body.insert(u"nextLink"_s,
                    QString(hostBase(request) + QString::fromUtf8(request.path) + u'?'
                            + query.toString(QUrl::FullyEncoded)));
    }
    return body;
}

namespace {

// The Activity Log's $filter, as Azure documents it (AZURE-PROTOCOL.md §7): clauses joined by
// "and", eventTimestamp ge (required) and le, and at most one of resourceUri,
// resourceGroupName, resourceProvider or correlationId eq. Anything else is refused.
struct ActivityFilter
{
    QDateTime since;
    QDateTime until; // invalid = no upper end
    QString field; // "", "resourceuri", "resourcegroupname", "resourceprovider", "correlationid"
    QString value; // lower-case
};

std::optional<ActivityFilter> parseActivityFilter(const QString &filter, QString *error)
{
    static const QRegularExpression clause(u"^\\s*(\\w+)\\s+(ge|le|eq)\\s+'([^']*)'\\s*$"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression conjunction(u"\\s+and\\s+"_s,
                                                QRegularExpression::CaseInsensitiveOption);
    ActivityFilter out;
    for (const QString &part : filter.split(conjunction)) {
        const auto match = clause.match(part);
        if (!match.hasMatch()) {
            *error = u"The $filter clause '%1' is not supported."_s.arg(part.trimmed());
            return std::nullopt;
        }
        const QString field = match.captured(1).toLower();
        const QString op = match.captured(2).toLower();
        const QString value = match.captured(3);
        if (field == "eventtimestamp"_L1 && op != "eq"_L1) {
            const QDateTime at = QDateTime::fromString(value, Qt::ISODateWithMs);
            if (!at.isValid()) {
                *error = u"eventTimestamp '%1' is not an ISO 8601 time."_s.arg(value);
                return std::nullopt;
            }
            (op == "ge"_L1 ? out.since : out.until) = at;
        } else if (op == "eq"_L1 && out.field.isEmpty()
                   && (field == "resourceuri"_L1 || field == "resourcegroupname"_L1
                       || field == "resourceprovider"_L1 || field == "correlationid"_L1)) {
            out.field = field;
            out.value = value.toLower();
        } else {
            *error = u"The $filter clause '%1' is not supported."_s.arg(part.trimmed());
            return std::nullopt;
        }
    }
    if (!out.since.isValid()) {
        *error = u"The $filter must contain eventTimestamp ge '<time>'."_s;
        return std::nullopt;
    }
    return out;
}

bool matches(const ActivityFilter &filter, const ActivityEntry &entry)
{
    if (filter.until.isValid() && entry.atMs > filter.until.toMSecsSinceEpoch())
        return false;
    const QString id = entry.resourceId.toLower();
    const QStringList parts = id.split(u'/', Qt::SkipEmptyParts);
    if (filter.field == "resourceuri"_L1)
        return id == filter.value;
    if (filter.field == "resourcegroupname"_L1)
        return parts.value(2) == "resourcegroups"_L1 && parts.value(3) == filter.value;
    if (filter.field == "resourceprovider"_L1)
        return parts.value(4) == "providers"_L1 && parts.value(5) == filter.value;
    if (filter.field == "correlationid"_L1)
        return entry.operationId.toLower() == filter.value;
    return true;
}

} // namespace

http::Response SimServer::activityLog(const http::Request &request, const QString &subscription)
{
    QString text = request.queryItem(u"$filter"_s);
    if (text.contains("%27"_L1)) // a client that encoded the filter twice
        text = QUrl::fromPercentEncoding(text.toLatin1());
    QString error;
    const auto filter = parseActivityFilter(text, &error);
    if (!filter)
        return armError(400, u"BadRequest"_s, error);
    QList<ActivityEntry> entries;
    for (const ActivityEntry &entry : m_model.activity({}, filter->since.toMSecsSinceEpoch())) {
        if (matches(*filter, entry))
            entries.append(entry);
    }
    // $select: a comma-separated list of top-level properties to return (all when absent).
    const QString selectText = request.queryItem(u"$select"_s);
    QStringList select;
    for (const QString &name : selectText.split(u',', Qt::SkipEmptyParts))
        select.append(name.trimmed());
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, request.queryItem(u"api-version"_s));
    query.addQueryItem(u"$filter"_s, QString::fromLatin1(QUrl::toPercentEncoding(text)));
    if (!selectText.isEmpty())
        query.addQueryItem(u"$select"_s, QString::fromLatin1(QUrl::toPercentEncoding(selectText)));
    return http::Response::json(200,
                                compact(page(
                                    request, entries.size(), query,
                                    [&](qsizetype i) {
                                        const QJsonObject full =
                                            simjson::activityEntry(entries.at(i), subscription);
                                        if (select.isEmpty())
                                            return full;
                                        QJsonObject picked;
                                        for (const QString &name : std::as_const(select)) {
                                            if (full.contains(name))
                                                picked.insert(name, full.value(name));
                                        }
                                        return picked;
                                    },
                                    m_options.activityPageSize)));
}

} // namespace spotkeeper::sim
