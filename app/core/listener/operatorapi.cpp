// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/operatorapi.h"

#include "base/clock.h"
#include "fleet/fleetoperations.h"
#include "listener/agentkeymanager.h"
#include "listener/listenerjson.h"
#include "listener/operatortokens.h"
#include "listener/vmresourceid.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

http::Response ok(int status, const QJsonObject &body)
{
    return http::Response::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

http::Response methodNotAllowed(const http::Request &request, QByteArrayView allowed)
{
    http::Response response = http::Response::error(
        405, u"method_not_allowed"_s,
        u"use "_s + QString::fromLatin1(allowed) + u" for "_s + QString::fromUtf8(request.path));
    response.headers.append({QByteArrayLiteral("Allow"), allowed.toByteArray()});
    return response;
}

http::Response notFound(const http::Request &request)
{
    return http::Response::error(404, u"not_found"_s,
                                 u"no such path: "_s + QString::fromUtf8(request.path));
}

// An empty body is an empty object; anything else must be a JSON object.
std::optional<QJsonObject> bodyObject(const http::Request &request, http::Response *error)
{
    if (request.body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = http::Response::error(400, u"invalid_json"_s,
                                       u"body is not valid JSON at offset "_s
                                           + QString::number(parseError.offset) + u": "_s
                                           + parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = http::Response::error(400, u"invalid_json"_s, u"body must be a JSON object"_s);
        return std::nullopt;
    }
    return doc.object();
}

http::Response fromOperation(const OperationResult &result, const QString &action)
{
    switch (result.status) {
    case OperationResult::Status::Ok:
        return ok(200, {{u"ok"_s, true}, {u"action"_s, action}, {u"message"_s, result.message}});
    case OperationResult::Status::NotFound:
        return http::Response::error(404, u"not_found"_s, result.message);
    case OperationResult::Status::Conflict:
        return http::Response::error(409, u"conflict"_s, result.message);
    case OperationResult::Status::Invalid:
        return http::Response::error(400, u"invalid"_s, result.message);
    case OperationResult::Status::Failed:
        break;
    }
    return http::Response::error(500, u"failed"_s, result.message);
}

http::Response fromKeyError(KeyError code, const QString &message)
{
    switch (code) {
    case KeyError::NotFound:
        return http::Response::error(404, u"not_found"_s, message);
    case KeyError::Invalid:
        return http::Response::error(400, u"invalid"_s, message);
    case KeyError::Conflict:
        return http::Response::error(409, u"conflict"_s, message);
    case KeyError::None:
    case KeyError::Failed:
        break;
    }
    return http::Response::error(500, u"failed"_s, message);
}

QJsonObject issuedJson(const IssuedKey &key, const QByteArray &agentCa)
{
    QJsonObject object {
        {u"keyId"_s, key.keyId},
        {u"vm"_s, key.vmResourceKey},
        {u"secret"_s, key.secret.toString()},
        {u"credentialFile"_s, QString::fromUtf8(key.credentialFile)},
    };
    if (!agentCa.isEmpty())
        object.insert(u"caCertificate"_s, QString::fromLatin1(agentCa));
    if (key.previousSecretsExpireAt.isValid())
        object.insert(u"previousSecretsExpireAt"_s,
                      key.previousSecretsExpireAt.toString(Qt::ISODateWithMs));
    return object;
}

} // namespace

OperatorApi::OperatorApi(Store &store, FleetOperations &operations, base::Clock &clock,
                         AgentKeyManager &keys, OperatorTokens &tokens,
                         qint64 defaultOverlapSeconds)
    : m_store(store)
    , m_operations(operations)
    , m_clock(clock)
    , m_keys(keys)
    , m_tokens(tokens)
    , m_defaultOverlap(defaultOverlapSeconds)
{ }

http::Response OperatorApi::handle(const http::Request &request, const QString &actor)
{
    // "/api/v1/<a>/<b>..." -> ["a", "b", ...]
    const QList<QByteArray> segments = request.path.mid(8).split('/');
    const QByteArray &head = segments.constFirst();
    if (head == "vms")
        return vms(request, segments, actor);
    if (head == "audit" && segments.size() == 3 && segments[2] == "undo")
        return undoFallback(request, segments, actor);
    if (head == "keys")
        return keys(request, segments, actor);
    if (head == "tokens")
        return tokens(request, segments, actor);
    // The read-only collections: GET only.
    using Reader = http::Response (OperatorApi::*)(const http::Request &);
    struct Route
    {
        const char *path;
        Reader read;
    };
    static constexpr auto kReaders = std::to_array<Route>({
        {"events", &OperatorApi::listEvents},
        {"jobs", &OperatorApi::listJobs},
        {"audit", &OperatorApi::listAudit},
        {"cost", &OperatorApi::costReport},
        {"risk", &OperatorApi::riskReport},
        {"notify/status", &OperatorApi::notifyStatus},
    });
    const QByteArray path = segments.join('/');
    for (const Route &route : kReaders) {
        if (path == route.path)
            return request.method == "GET" ? (this->*route.read)(request)
                                           : methodNotAllowed(request, "GET");
    }
    return notFound(request);
}

http::Response OperatorApi::undoFallback(const http::Request &request,
                                         const QList<QByteArray> &segments, const QString &actor)
{
    // A capacity fallback change undone by its audit row's id (docs/ENGINE.md).
    if (request.method != "POST")
        return methodNotAllowed(request, "POST");
    bool numeric = false;
    const qint64 auditId = segments[1].toLongLong(&numeric);
    if (!numeric || auditId <= 0)
        return http::Response::error(400, u"invalid"_s,
                                     u"the audit row's id is a positive number"_s);
    return fromOperation(m_operations.undoFallback(auditId, actor), u"undo"_s);
}

http::Response OperatorApi::vms(const http::Request &request, const QList<QByteArray> &segments,
                                const QString &actor)
{
    if (segments.size() == 1) {
        if (request.method == "POST")
            return addVm(request, actor);
        return request.method == "GET" ? listVms() : methodNotAllowed(request, "GET, POST");
    }
    if (segments.size() == 5) {
        return request.method == "POST" ? vmAction(segments, actor)
                                        : methodNotAllowed(request, "POST");
    }
    return notFound(request);
}

http::Response OperatorApi::notifyStatus([[maybe_unused]] const http::Request &request)
{
    QJsonArray array;
    if (m_notifyStatus)
        for (const ChannelStatus &status : m_notifyStatus())
            array.append(toJson(status));
    return ok(200, {{u"channels"_s, array}});
}

http::Response OperatorApi::listVms()
{
    QJsonArray array;
    const QList<VmRecord> vms = m_store.vms();
    for (const VmRecord &vm : vms)
        array.append(toJson(vm, m_store.activeJob(vm.id)));
    if (m_store.lastError().code != StoreError::Code::None)
        return http::Response::error(503, u"store_unavailable"_s, m_store.lastError().message);
    return ok(200, {{u"vms"_s, array}});
}

bool OperatorApi::readEventKinds(const http::Request &request, QList<EventKind> *kinds,
                                 http::Response *error)
{
    const QString type = request.queryItem(u"type"_s);
    if (type.isEmpty())
        return true;
    for (const QString &name : type.split(u',')) {
        const EventKind kind = eventKindFromString(name);
        if (toString(kind).compare(name, Qt::CaseInsensitive) != 0) {
            *error = http::Response::error(
                400, u"invalid_query"_s,
                u"type: unknown event type '"_s + name
                    + u"' (notice, heartbeat, eviction, restart_attempt, power_change, "
                      u"job_transition, alert)"_s);
            return false;
        }
        kinds->append(kind);
    }
    return true;
}

bool OperatorApi::readEventPage(const http::Request &request, EventFilter *filter,
                                http::Response *error)
{
    bool okNumber = true;
    const QString cursor = request.queryItem(u"cursor"_s);
    const QString after = request.queryItem(u"after"_s);
    if (!after.isEmpty() && cursor.isEmpty()) {
        // Incremental reads (the remote dashboard): oldest first from id > after.
        filter->afterId = after.toLongLong(&okNumber);
        if (okNumber && filter->afterId >= 0)
            return true;
        *error = http::Response::error(400, u"invalid_query"_s,
                                       u"after: the id of the last event already read"_s);
        return false;
    }
    if (cursor.isEmpty()) {
        filter->beforeId = std::numeric_limits<qint64>::max(); // newest first
        return true;
    }
    filter->beforeId = cursor.toLongLong(&okNumber);
    if (okNumber && filter->beforeId > 0)
        return true;
    *error = http::Response::error(400, u"invalid_query"_s,
                                   u"cursor: use the nextCursor of the previous page"_s);
    return false;
}

http::Response OperatorApi::listEvents(const http::Request &request)
{
    EventFilter filter;
    const QString vm = request.queryItem(u"vm"_s);
    if (!vm.isEmpty()) {
        bool numeric = false;
        const qint64 id = vm.toLongLong(&numeric);
        std::optional<VmRecord> record = numeric ? m_store.vm(id) : m_store.vmByKey(vm.toLower());
        if (!record)
            return http::Response::error(404, u"not_found"_s,
                                         u"no VM "_s + vm + u" in the fleet"_s);
        filter.vmId = record->id;
    }
    http::Response error;
    if (!readEventKinds(request, &filter.kinds, &error)
        || !readTimeRange(request, &filter.from, &filter.to, &error)
        || !readLimit(request, 100, 1000, &filter.limit, &error)
        || !readEventPage(request, &filter, &error))
        return error;
    const QList<EventRecord> events = m_store.events(filter);
    if (m_store.lastError().code != StoreError::Code::None)
        return http::Response::error(503, u"store_unavailable"_s, m_store.lastError().message);
    QJsonArray array;
    for (const EventRecord &event : events)
        array.append(toJson(event));
    const bool more = events.size() == filter.limit;
    const QJsonValue next =
        more ? QJsonValue(QString::number(events.constLast().id)) : QJsonValue();
    if (filter.beforeId == 0) // ascending: the next page is after=<nextAfter>
        return ok(200, {{u"events"_s, array}, {u"nextAfter"_s, next}});
    return ok(200, {{u"events"_s, array}, {u"nextCursor"_s, next}});
}

http::Response OperatorApi::vmAction(const QList<QByteArray> &segments, const QString &actor)
{
    QString error;
    const auto id =
        VmResourceId::fromParts(QString::fromUtf8(segments[1]), QString::fromUtf8(segments[2]),
                                QString::fromUtf8(segments[3]), &error);
    if (!id)
        return http::Response::error(400, u"invalid_vm"_s, error);
    const QByteArray &action = segments[4];
    if (action != "restart" && action != "pause" && action != "resume" && action != "cancel"
        && action != "stop" && action != "start")
        return http::Response::error(
            404, u"not_found"_s,
            u"unknown action; use restart, pause, resume, cancel, stop or start"_s);
    const std::optional<VmRecord> vm = m_store.vmByKey(id->resourceKey());
    if (!vm)
        return http::Response::error(404, u"not_found"_s,
                                     u"no VM "_s + id->resourceId() + u" in the fleet"_s);
    OperationResult result;
    if (action == "restart")
        result = m_operations.forceRestart(vm->id, actor);
    else if (action == "pause")
        result = m_operations.pauseAutoRestart(vm->id, actor);
    else if (action == "resume")
        result = m_operations.resumeAutoRestart(vm->id, actor);
    else if (action == "stop")
        result = m_operations.stopOnPurpose(vm->id, actor);
    else if (action == "start")
        result = m_operations.startVm(vm->id, actor);
    else
        result = m_operations.cancelJob(vm->id, actor);
    return fromOperation(result, QString::fromLatin1(action));
}

http::Response OperatorApi::addVm(const http::Request &request, const QString &actor)
{
    http::Response error;
    const auto body = bodyObject(request, &error);
    if (!body)
        return error;
    const QJsonValue resourceId = body->value(u"resourceId"_s);
    if (!resourceId.isString())
        return http::Response::error(
            400, u"invalid"_s, u"body needs {\"resourceId\": \"<the VM's ARM resource id>\"}"_s);
    const OperationResult result = m_operations.addVm(resourceId.toString(), actor);
    if (!result.ok())
        return fromOperation(result, u"add"_s);
    const std::optional<VmRecord> vm = m_store.vmByKey(resourceId.toString().trimmed().toLower());
    return ok(200,
              {{u"ok"_s, true},
               {u"message"_s, result.message},
               {u"vm"_s, vm ? QJsonValue(toJson(*vm, m_store.activeJob(vm->id))) : QJsonValue()}});
}

http::Response OperatorApi::keys(const http::Request &request, const QList<QByteArray> &segments,
                                 const QString &actor)
{
    if (segments.size() == 1 && request.method == "GET") {
        QJsonArray array;
        const QDateTime now = m_clock.nowUtc();
        const QList<AgentKeyRecord> keys = m_keys.list();
        for (const AgentKeyRecord &key : keys)
            array.append(toJson(key, now));
        return ok(200, {{u"keys"_s, array}});
    }
    if (segments.size() == 1) {
        return request.method == "POST" ? issueKey(request, actor)
                                        : methodNotAllowed(request, "GET, POST");
    }
    if (segments.size() != 3 || (segments[2] != "rotate" && segments[2] != "revoke"))
        return notFound(request);
    if (request.method != "POST")
        return methodNotAllowed(request, "POST");
    const QString keyId = QString::fromUtf8(segments[1]);
    if (segments[2] == "rotate")
        return rotateKey(request, keyId, actor);
    QString message;
    const KeyError code = m_keys.revoke(keyId, actor, &message);
    return code == KeyError::None ? ok(200, {{u"keyId"_s, keyId}, {u"revoked"_s, true}})
                                  : fromKeyError(code, message);
}

http::Response OperatorApi::issueKey(const http::Request &request, const QString &actor)
{
    http::Response error;
    const auto body = bodyObject(request, &error);
    if (!body)
        return error;
    if (!body->value(u"vm"_s).isString())
        return http::Response::error(400, u"invalid"_s,
                                     u"body needs \"vm\": the VM's resource id"_s);
    KeyError code = KeyError::None;
    QString message;
    const auto issued = m_keys.generate(body->value(u"vm"_s).toString(), actor, &code, &message);
    return issued ? ok(201, issuedJson(*issued, m_agentCa)) : fromKeyError(code, message);
}

http::Response OperatorApi::rotateKey(const http::Request &request, const QString &keyId,
                                      const QString &actor)
{
    http::Response error;
    const auto body = bodyObject(request, &error);
    if (!body)
        return error;
    const QJsonValue overlap = body->value(u"overlapSeconds"_s);
    // Range-checked as a double first: casting 1e300 to an integer is undefined.
    const double seconds = overlap.toDouble(-1);
    if (!overlap.isUndefined()
        && (!overlap.isDouble() || !(seconds >= 0)
            || seconds > double(AgentKeyManager::kMaxOverlapSeconds)))
        return http::Response::error(
            400, u"invalid"_s,
            u"overlapSeconds must be a number from 0 to %1 (90 days)"_s.arg(
                AgentKeyManager::kMaxOverlapSeconds));
    KeyError code = KeyError::None;
    QString message;
    const auto issued = m_keys.rotate(
        keyId, overlap.isDouble() ? qint64(seconds) : m_defaultOverlap, actor, &code, &message);
    return issued ? ok(200, issuedJson(*issued, m_agentCa)) : fromKeyError(code, message);
}

http::Response OperatorApi::tokens(const http::Request &request, const QList<QByteArray> &segments,
                                   const QString &actor)
{
    if (segments.size() == 1 && request.method == "GET")
        return listTokens();
    if (segments.size() == 1) {
        return request.method == "POST" ? createToken(request, actor)
                                        : methodNotAllowed(request, "GET, POST");
    }
    if (segments.size() != 3 || segments[2] != "revoke")
        return notFound(request);
    if (request.method != "POST")
        return methodNotAllowed(request, "POST");
    const QString tokenId = QString::fromUtf8(segments[1]);
    QString message;
    if (!m_tokens.revoke(tokenId, actor, &message))
        return http::Response::error(404, u"not_found"_s, message);
    return ok(200, {{u"tokenId"_s, tokenId}, {u"revoked"_s, true}});
}

http::Response OperatorApi::listTokens()
{
    const auto isoOrNull = [](const QDateTime &time) {
        return time.isValid() ? QJsonValue(time.toString(Qt::ISODate)) : QJsonValue();
    };
    QJsonArray array;
    const QList<OperatorTokenRecord> all = m_store.operatorTokens();
    for (const OperatorTokenRecord &t : all) {
        array.append(QJsonObject {
            {u"tokenId"_s, t.tokenId},
            {u"createdAt"_s, t.createdAt.toString(Qt::ISODate)},
            {u"expiresAt"_s, isoOrNull(t.expiresAt)},
            {u"revokedAt"_s, isoOrNull(t.revokedAt)},
        });
    }
    return ok(200, {{u"tokens"_s, array}});
}

http::Response OperatorApi::createToken(const http::Request &request, const QString &actor)
{
    http::Response error;
    const auto body = bodyObject(request, &error);
    if (!body)
        return error;
    const QJsonValue valid = body->value(u"validSeconds"_s);
    if (!valid.isUndefined() && !valid.isDouble())
        return http::Response::error(400, u"invalid"_s, u"validSeconds must be a number"_s);
    QString message;
    const auto created = m_tokens.create(actor, qint64(valid.toDouble(0)), &message);
    if (!created)
        return http::Response::error(400, u"invalid"_s, message);
    return ok(201,
              {{u"tokenId"_s, created->tokenId},
               {u"token"_s, created->token},
               {u"expiresAt"_s,
                created->expiresAt.isValid() ? QJsonValue(created->expiresAt.toString(Qt::ISODate))
                                             : QJsonValue()}});
}

} // namespace spotkeeper::core
