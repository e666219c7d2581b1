// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/computeparsers.h"

#include "listener/vmresourceid.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <array>

namespace spotkeeper::gcp::compute {

using namespace Qt::StringLiterals;
using core::FailureClass;

namespace {

// The last path segment of a Compute URL or partial URL ("…/zones/us-central1-a").
QString lastSegment(const QString &url)
{
    const qsizetype slash = url.lastIndexOf(u'/');
    return slash < 0 ? url : url.mid(slash + 1);
}

// The segment after "projects/" in a Compute URL, or empty.
QString projectOf(const QString &url)
{
    const QList<QStringView> parts = QStringView(url).split(u'/');
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        if (parts[i] == u"projects"_s)
            return parts[i + 1].toString();
    }
    return {};
}

// A string field; Compute sends ids as strings, but a number is read too.
QString text(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

bool isOneOf(QStringView code, std::initializer_list<QLatin1StringView> codes)
{
    for (const QLatin1StringView c : codes) {
        if (code.compare(c, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// Codes of operation errors (and reasons of API errors) by class. Capacity codes from
// "Troubleshoot resource availability errors"; the rest from Compute's error catalogue and
// the rate-quota page (docs/GCP-PROTOCOL.md §5).
std::optional<FailureClass> classOfCode(QStringView code)
{
    if (isOneOf(code,
                {"ZONE_RESOURCE_POOL_EXHAUSTED"_L1, "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS"_L1,
                 "RESOURCE_POOL_EXHAUSTED"_L1, "REGION_RESOURCE_POOL_EXHAUSTED"_L1, "STOCKOUT"_L1,
                 "RESOURCE_AVAILABILITY"_L1, "resourceExhausted"_L1}))
        return FailureClass::Capacity;
    if (isOneOf(code, {"QUOTA_EXCEEDED"_L1, "quotaExceeded"_L1, "QUOTA_LIMIT"_L1}))
        return FailureClass::Quota;
    if (isOneOf(code,
                {"rateLimitExceeded"_L1, "userRateLimitExceeded"_L1, "RATE_LIMIT_EXCEEDED"_L1,
                 "RESOURCE_OPERATION_RATE_EXCEEDED"_L1}))
        return FailureClass::Throttled;
    if (isOneOf(code,
                {"PERMISSIONS_ERROR"_L1, "PERMISSION_DENIED"_L1, "forbidden"_L1,
                 "insufficientPermissions"_L1, "accessNotConfigured"_L1,
                 "SERVICE_ACCOUNT_ACCESS_DENIED"_L1, "UNAUTHENTICATED"_L1, "authError"_L1}))
        return FailureClass::Authorization;
    if (isOneOf(code,
                {"RESOURCE_NOT_FOUND"_L1, "notFound"_L1, "NOT_FOUND"_L1, "PROJECT_NOT_FOUND"_L1}))
        return FailureClass::NotFound;
    if (isOneOf(code,
                {"INTERNAL_ERROR"_L1, "backendError"_L1, "internalError"_L1,
                 "RESOURCE_NOT_READY"_L1, "resourceNotReady"_L1, "SERVICE_UNAVAILABLE"_L1,
                 "UNAVAILABLE"_L1, "resourceInUseByAnotherResource"_L1,
                 "RESOURCE_IN_USE_BY_ANOTHER_RESOURCE"_L1, "DEADLINE_EXCEEDED"_L1, "ABORTED"_L1}))
        return FailureClass::Transient;
    return std::nullopt;
}

} // namespace

std::optional<QJsonObject> jsonObjectOf(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"not JSON: "_s + parseError.errorString();
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = u"not a JSON object"_s;
        return std::nullopt;
    }
    return doc.object();
}

bool Instance::inManagedGroup() const
{
    return createdBy.contains("/instanceGroupManagers/"_L1);
}

QString Instance::resourceId() const
{
    return u"projects/"_s + project + u"/zones/"_s + zone + u"/instances/"_s + name;
}

core::PowerState powerStateOf(QStringView status)
{
    using core::PowerState;
    if (isOneOf(status, {"PROVISIONING"_L1, "STAGING"_L1}))
        return PowerState::Starting;
    if (isOneOf(status, {"RUNNING"_L1}))
        return PowerState::Running;
    if (isOneOf(status, {"STOPPING"_L1, "SUSPENDING"_L1}))
        return PowerState::Stopping;
    if (isOneOf(status, {"TERMINATED"_L1}))
        return PowerState::Deallocated;
    if (isOneOf(status, {"SUSPENDED"_L1}))
        return PowerState::Stopped;
    return PowerState::Unknown;
}

std::optional<Instance> parseInstance(const QJsonObject &object, QString *error)
{
    Instance instance;
    instance.name = text(object, "name"_L1);
    const QString zoneUrl = text(object, "zone"_L1);
    instance.zone = lastSegment(zoneUrl);
    instance.project = projectOf(zoneUrl);
    if (instance.project.isEmpty())
        instance.project = projectOf(text(object, "selfLink"_L1));
    instance.id = text(object, "id"_L1);
    instance.status = text(object, "status"_L1);
    instance.machineType = lastSegment(text(object, "machineType"_L1));
    const QJsonObject scheduling = object.value("scheduling"_L1).toObject();
    instance.provisioningModel = text(scheduling, "provisioningModel"_L1);
    if (instance.provisioningModel.isEmpty() && scheduling.value("preemptible"_L1).toBool(false))
        instance.provisioningModel = u"PREEMPTIBLE"_s;
    instance.terminationAction = text(scheduling, "instanceTerminationAction"_L1);
    const QJsonObject labels = object.value("labels"_L1).toObject();
    for (auto it = labels.constBegin(); it != labels.constEnd(); ++it)
        instance.labels.insert(it.key(), it.value().toString());
    for (const QJsonValue &item :
         object.value("metadata"_L1).toObject().value("items"_L1).toArray()) {
        if (item.toObject().value("key"_L1).toString() == "created-by"_L1)
            instance.createdBy = item.toObject().value("value"_L1).toString().left(300);
    }
    // The id must be one the rest of SpotKeeper accepts (and a status must be there).
    QString problem;
    if (!core::VmResourceId::parse(instance.resourceId(), &problem)) {
        *error = u"instance: "_s + problem;
        return std::nullopt;
    }
    if (instance.status.isEmpty()) {
        *error = u"instance "_s + instance.name + u": no status"_s;
        return std::nullopt;
    }
    return instance;
}

std::optional<Instance> parseInstanceJson(QByteArrayView json, QString *error)
{
    const auto object = jsonObjectOf(json, error);
    if (!object)
        return std::nullopt;
    return parseInstance(*object, error);
}

core::VmRecord toVmRecord(const Instance &instance)
{
    core::VmRecord vm;
    QString ignored;
    if (const auto id = core::VmResourceId::parse(instance.resourceId(), &ignored))
        id->fillRecord(&vm);
    vm.vmId = instance.id;
    vm.location = instance.zone;
    vm.size = instance.machineType;
    vm.priority = instance.provisioningModel;
    vm.evictionPolicy = instance.terminationAction;
    vm.tags = instance.labels;
    if (instance.inManagedGroup())
        vm.tags.insert(QLatin1StringView(kManagedGroupTag), instance.createdBy);
    vm.powerState = powerStateOf(instance.status);
    return vm;
}

std::optional<Operation> parseOperationJson(QByteArrayView json, QString *error)
{
    const auto object = jsonObjectOf(json, error);
    if (!object)
        return std::nullopt;
    Operation operation;
    operation.name = text(*object, "name"_L1);
    operation.zone = lastSegment(text(*object, "zone"_L1));
    operation.status = text(*object, "status"_L1);
    operation.operationType = text(*object, "operationType"_L1);
    operation.targetLink = text(*object, "targetLink"_L1);
    operation.selfLink = text(*object, "selfLink"_L1);
    operation.httpErrorStatusCode = object->value("httpErrorStatusCode"_L1).toInt();
    operation.httpErrorMessage = text(*object, "httpErrorMessage"_L1);
    const QJsonArray errors = object->value("error"_L1).toObject().value("errors"_L1).toArray();
    for (const QJsonValue &value : errors) {
        const QJsonObject entry = value.toObject();
        OperationError e {text(entry, "code"_L1), text(entry, "message"_L1), {}};
        for (const QJsonValue &detail : entry.value("errorDetails"_L1).toArray()) {
            e.reason = text(detail.toObject().value("errorInfo"_L1).toObject(), "reason"_L1);
            if (!e.reason.isEmpty())
                break;
        }
        if (e.code.isEmpty())
            e.code = u"UNKNOWN"_s;
        operation.errors.append(e);
    }
    if (operation.name.isEmpty() || operation.status.isEmpty()) {
        *error = u"not an operation: no name or status"_s;
        return std::nullopt;
    }
    if (!isOneOf(operation.status, {"PENDING"_L1, "RUNNING"_L1, "DONE"_L1})) {
        *error = u"operation status '%1' is none of PENDING, RUNNING, DONE"_s.arg(
            operation.status.left(40));
        return std::nullopt;
    }
    return operation;
}

std::optional<AggregatedPage> parseAggregatedListJson(QByteArrayView json, QString *error)
{
    const auto object = jsonObjectOf(json, error);
    if (!object)
        return std::nullopt;
    AggregatedPage page;
    page.nextPageToken = text(*object, "nextPageToken"_L1);
    for (const QJsonValue &scope : object->value("unreachables"_L1).toArray())
        page.unreachable.append(scope.toString());
    const QJsonValue items = object->value("items"_L1);
    if (!items.isUndefined() && !items.isObject()) {
        *error = u"items is not an object of scopes"_s;
        return std::nullopt;
    }
    const QJsonObject scopes = items.toObject();
    for (auto it = scopes.constBegin(); it != scopes.constEnd(); ++it) {
        const QJsonArray instances = it.value().toObject().value("instances"_L1).toArray();
        for (const QJsonValue &value : instances) {
            QString ignored;
            if (auto instance = parseInstance(value.toObject(), &ignored))
                page.instances.append(*instance);
            else
                ++page.skipped;
        }
    }
    return page;
}

ApiError parseApiError(QByteArrayView body)
{
    ApiError result;
    QString ignored;
    const auto object = jsonObjectOf(body, &ignored);
    if (!object)
        return result;
    const QJsonObject error = object->value("error"_L1).toObject();
    result.code = error.value("code"_L1).toInt();
    result.status = text(error, "status"_L1);
    result.message = text(error, "message"_L1);
    for (const QJsonValue &entry : error.value("errors"_L1).toArray()) {
        if (const QString reason = text(entry.toObject(), "reason"_L1); !reason.isEmpty())
            result.reasons.append(reason);
    }
    for (const QJsonValue &entry : error.value("details"_L1).toArray()) {
        if (const QString reason = text(entry.toObject(), "reason"_L1); !reason.isEmpty())
            result.reasons.append(reason);
    }
    return result;
}

FailureClass classifyHttp(int httpStatus, const ApiError &error)
{
    if (httpStatus == 429)
        return FailureClass::Throttled;
    QStringList codes = error.reasons;
    if (!error.status.isEmpty())
        codes.append(error.status);
    // A rate, quota or capacity reason decides over the status (a 403 rateLimitExceeded is
    // sent with PERMISSION_DENIED); so does "not ready" (400 while the VM is still stopping).
    for (const QString &code : std::as_const(codes)) {
        const auto c = classOfCode(code);
        if (c == FailureClass::Throttled || c == FailureClass::Quota || c == FailureClass::Capacity
            || (c == FailureClass::Transient && httpStatus == 400))
            return *c;
    }
    if (httpStatus == 401 || httpStatus == 403)
        return FailureClass::Authorization;
    if (httpStatus == 404)
        return FailureClass::NotFound;
    if (httpStatus == 408 || httpStatus == 409 || httpStatus >= 500)
        return FailureClass::Transient;
    return FailureClass::Fatal;
}

FailureClass classifyOperation(const Operation &operation, QString *code, QString *message)
{
    if (!operation.failed()) {
        code->clear();
        message->clear();
        return FailureClass::None;
    }
    for (const OperationError &e : operation.errors) {
        for (const QString &candidate : {e.code, e.reason}) {
            if (const auto c = classOfCode(candidate)) {
                *code = candidate;
                *message = e.message;
                return *c;
            }
        }
    }
    *code = operation.errors.constFirst().code;
    *message = operation.errors.constFirst().message;
    // An unknown code: Google's HTTP status of the failed operation still says something.
    if (operation.httpErrorStatusCode >= 500)
        return FailureClass::Transient;
    return FailureClass::Fatal;
}

} // namespace spotkeeper::gcp::compute
