// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// The Compute Engine API's answers, parsed without network (docs/GCP-PROTOCOL.md §5): an
// instance, an Operation (with the errors inside it once DONE), a page of
// instances.aggregatedList, and Google's error envelope; and the classification of every
// failure into the engine's FailureClass. Fuzzed by tests/fuzz/fuzz_compute_parsers.cpp.
namespace spotkeeper::gcp::compute {

// The JSON object of an answer body, or nullopt and *error ("not JSON: ...", "not a JSON
// object"); shared by the Compute and the audit log parsers.
std::optional<QJsonObject> jsonObjectOf(QByteArrayView json, QString *error);

struct Instance
{
    QString project; // from the zone or selfLink URL
    QString zone; // last segment of "zone" (a URL)
    QString name;
    QString id; // numeric, kept as text (it exceeds 2^53)
    QString status; // PROVISIONING, STAGING, RUNNING, STOPPING, SUSPENDING, SUSPENDED, ...
    QString machineType; // last segment of machineType
    QString provisioningModel; // SPOT, STANDARD; a legacy preemptible VM: PREEMPTIBLE
    QString terminationAction; // STOP, DELETE, "" (scheduling.instanceTerminationAction)
    QMap<QString, QString> labels;
    // The metadata item "created-by" Compute sets on a managed instance group's VMs:
    // projects/{number}/zones/{zone}/instanceGroupManagers/{name} (or regions/...); "" = none.
    QString createdBy;
    bool inManagedGroup() const;
    // projects/{project}/zones/{zone}/instances/{name}
    QString resourceId() const;
};

// Compute's instance status -> the engine's power state: PROVISIONING/STAGING -> starting,
// RUNNING -> running, STOPPING/SUSPENDING -> stopping, TERMINATED (stopped, its resources
// released: what a preempted Spot VM with termination action STOP ends in) -> deallocated,
// SUSPENDED -> stopped, REPAIRING and anything else -> unknown.
core::PowerState powerStateOf(QStringView status);

std::optional<Instance> parseInstance(const QJsonObject &object, QString *error);
std::optional<Instance> parseInstanceJson(QByteArrayView json, QString *error);
// The engine's record of an instance: the id and scope (project) of listener/vmresourceid.h,
// location = zone, size = machine type, priority = provisioning model, evictionPolicy =
// termination action, tags = labels (plus kManagedGroupTag for a managed instance group's VM;
// a label key cannot hold ':', so it never clashes), power state from the status.
core::VmRecord toVmRecord(const Instance &instance);
inline constexpr auto kManagedGroupTag = "gcp:created-by";

struct OperationError
{
    QString code; // ZONE_RESOURCE_POOL_EXHAUSTED, QUOTA_EXCEEDED, ...
    QString message;
    QString reason; // errorDetails[].errorInfo.reason, when sent
};

struct Operation
{
    QString name;
    QString zone; // last segment
    QString status; // PENDING, RUNNING, DONE
    QString operationType; // "start", "stop", ...
    QString targetLink;
    QString selfLink;
    QList<OperationError> errors; // error.errors[] (DONE with errors = failed)
    int httpErrorStatusCode = 0;
    QString httpErrorMessage;
    bool done() const { return status == QLatin1StringView("DONE"); }
    bool failed() const { return done() && !errors.isEmpty(); }
};

std::optional<Operation> parseOperationJson(QByteArrayView json, QString *error);

struct AggregatedPage
{
    QList<Instance> instances;
    QString nextPageToken; // empty on the last page
    QStringList unreachable; // scopes Google could not answer for (partial result)
    int skipped = 0; // entries that were no instance Google describes (kept out)
};

// GET projects/{p}/aggregated/instances: {"items": {"zones/{z}": {"instances": [...]} or
// {"warning": {...NO_RESULTS_ON_PAGE...}}}, "nextPageToken", "unreachables"}.
std::optional<AggregatedPage> parseAggregatedListJson(QByteArrayView json, QString *error);

// Google's error envelope {"error": {"code", "message", "status", "errors": [{"reason",
// "domain", "message"}], "details": [{"reason"}]}}; a body that is no envelope gives an empty
// error (the HTTP status alone then classifies).
struct ApiError
{
    int code = 0;
    QString status; // PERMISSION_DENIED, RESOURCE_EXHAUSTED, NOT_FOUND, ...
    QString message;
    QStringList reasons; // errors[].reason and details[].reason, in order
    QString reason() const { return reasons.value(0); } // the most specific we show
};
ApiError parseApiError(QByteArrayView body);

// An HTTP answer (status >= 300) -> the engine's class: 429 and any rateLimitExceeded /
// userRateLimitExceeded / RATE_LIMIT_EXCEEDED reason (Google sends it with 403) -> Throttled;
// quotaExceeded / QUOTA_EXCEEDED -> Quota; a capacity reason -> Capacity; 400 resourceNotReady
// -> Transient; other 401/403 -> Authorization; 404 -> NotFound; 409 (another operation on
// the resource), 408, 5xx -> Transient; anything else -> Fatal.
core::FailureClass classifyHttp(int httpStatus, const ApiError &error);
// An operation that ended DONE with errors: capacity (ZONE_RESOURCE_POOL_EXHAUSTED[_WITH_DETAILS],
// RESOURCE_POOL_EXHAUSTED, STOCKOUT, ...) -> Capacity; QUOTA_EXCEEDED -> Quota; permission
// errors -> Authorization; RESOURCE_NOT_FOUND -> NotFound; rate limits -> Throttled; transient
// server errors (INTERNAL_ERROR, RESOURCE_NOT_READY, SERVICE_UNAVAILABLE...) -> Transient;
// else Fatal. *code is the code that decided (the first known one, else the first).
core::FailureClass classifyOperation(const Operation &operation, QString *code, QString *message);

} // namespace spotkeeper::gcp::compute
