// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/webhooklistener.h"

#include "base/clock.h"
#include "fleet/fleetoperations.h"
#include "listener/listenerjson.h"
#include "listener/operatorapi.h"
#include "listener/vmresourceid.h"
#include "protocol/awsnames.h"
#include "protocol/azurenames.h"
#include "protocol/messagecodec.h"
#include "protocol/webhooksignature.h"
#include "store/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcListener, "spotkeeper.listener")

bool constantTimeEqual(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// resourceId: as the agent spells it, or the key when that is all there is.
VmRecord recordForId(const QString &resourceId, const QString &vmResourceKey)
{
    VmRecord vm;
    QString ignored;
    if (const auto parsed = VmResourceId::parse(resourceId, &ignored)) {
        parsed->fillRecord(&vm);
        if (parsed->cloud == Cloud::Aws) {
            // An agent knows its instance id, not the Name tag the EC2 listing names it by:
            // no name from this path (a new row is named by its id; docs/AWS.md "Names").
            vm.vmId = vm.name;
            vm.name.clear();
        }
    }
    vm.resourceKey = vmResourceKey;
    vm.managedBy = ManagedBy::Agent;
    return vm;
}

VmRecord recordForKey(const QString &vmResourceKey)
{
    // Only the binding is known (heartbeat sent before the metadata service answered): file
    // it under the key's VM without inventing names the agent did not report.
    return recordForId(vmResourceKey, vmResourceKey);
}

VmRecord recordFor(const protocol::VmIdentity &identity)
{
    // The identity parts (the scope: subscription or Google Cloud project) come from the
    // id's own parser; what the agent reported besides is the same for every cloud
    // (location: an Azure region, a Google Cloud zone or an AWS Region).
    VmRecord vm = recordForId(identity.resourceId(), identity.resourceKey());
    vm.resourceId = identity.resourceId();
    vm.name = identity.vmName;
    vm.vmId = identity.vmId;
    vm.location = identity.location;
    vm.priority = identity.priority;
    vm.evictionPolicy = identity.evictionPolicy;
    if (identity.cloud == protocol::Cloud::Aws) {
        vm.name.clear(); // the instance id (vmId): the listing's Name tag is the name
        vm.size = identity.instanceType; // others report no size
        vm.priority = protocol::awsFleetPriority(identity.priority); // as the EC2 listing has it
    }
    return vm;
}

QString missingHeader(const http::Request &request)
{
    for (const char *name : {protocol::kHeaderId, protocol::kHeaderTimestamp,
                             protocol::kHeaderSignature, protocol::kHeaderKeyId}) {
        if (request.header(QByteArrayView(name)).isEmpty())
            return QString::fromLatin1(name);
    }
    return {};
}

} // namespace

WebhookListener::WebhookListener(Store &store, FleetOperations &operations, base::Clock &clock,
                                 ListenerOptions options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_operations(operations)
    , m_clock(clock)
    , m_options(std::move(options))
    , m_keys(store, clock, m_options.keyCacheTtlSeconds)
    , m_tokens(store, clock)
    , m_rateLimiter(clock, m_options.failedAuthPerMinute)
    , m_batcher(store, m_options.maxBatch, m_options.commitWindowMs)
    , m_api(std::make_unique<OperatorApi>(store, operations, clock, m_keys, m_tokens,
                                          m_options.rotationOverlapSeconds))
{
    m_api->setAgentCa(m_options.agentCaPem);
    if (m_options.commitThread) {
        QString error;
        if (!m_batcher.useWriterThread(store.openOptions(), &clock, &error))
            qCDebug(lcListener).noquote() << "notices commit on the event loop:" << error;
    }
    m_heartbeatTimer.setSingleShot(true);
    m_heartbeatTimer.setInterval(m_options.heartbeatFlushMs);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, [this] { flushHeartbeats(); });
    connect(&m_batcher, &NoticeBatcher::batchCommitted, this, [this](int size, int, int, int) {
        m_metrics.countBatch(size, m_batcher.commitMicroseconds());
    });
}

WebhookListener::~WebhookListener()
{
    flushNow();
}

void WebhookListener::attach(http::HttpServer &server)
{
    server.setHandler(
        [this](const http::Request &request, const std::shared_ptr<http::Responder> &responder) {
            handle(request, responder);
        });
    connect(&server, &http::HttpServer::requestRejected, this,
            [this](int status, const QByteArray &reason) {
                m_metrics.countRejection(QString::fromLatin1(reason));
                m_metrics.countResponse(status);
            });
}

void WebhookListener::setCredentialStatusProvider(std::function<QString()> provider)
{
    m_credentialStatus = std::move(provider);
}

void WebhookListener::setExtraMetricsProvider(std::function<QByteArray()> provider)
{
    m_extraMetrics = std::move(provider);
}

void WebhookListener::send(const std::shared_ptr<http::Responder> &responder,
                           const http::Response &response)
{
    m_metrics.countResponse(response.status);
    responder->send(response);
}

void WebhookListener::reject(const std::shared_ptr<http::Responder> &responder, int status,
                             const QString &reason, const QString &message)
{
    m_metrics.countRejection(reason);
    send(responder, http::Response::error(status, reason, message));
}

bool WebhookListener::checkMethod(const http::Request &request,
                                  const std::shared_ptr<http::Responder> &responder,
                                  QByteArrayView method)
{
    if (request.method == method)
        return true;
    http::Response response = http::Response::error(
        405, u"method_not_allowed"_s,
        u"use "_s + QString::fromLatin1(method) + u" for "_s + QString::fromUtf8(request.path));
    response.headers.append({QByteArrayLiteral("Allow"), method.toByteArray()});
    m_metrics.countRejection(u"method_not_allowed"_s);
    send(responder, response);
    return false;
}

bool WebhookListener::checkRateLimit(const http::Request &request,
                                     const std::shared_ptr<http::Responder> &responder)
{
    if (!m_rateLimiter.isBlocked(request.peer))
        return true;
    http::Response response =
        http::Response::error(429, u"too_many_auth_failures"_s,
                              u"too many failed authentications from this address; retry later"_s);
    response.headers.append({QByteArrayLiteral("Retry-After"),
                             QByteArray::number(m_rateLimiter.retryAfterSeconds(request.peer))});
    m_metrics.countRejection(u"rate_limited"_s);
    send(responder, response);
    return false;
}

void WebhookListener::handle(const http::Request &request,
                             const std::shared_ptr<http::Responder> &responder)
{
    const QByteArray &path = request.path;
    // Signed routes are not gated on the address: a request whose signature verifies is
    // always served, whatever other clients behind the same address got wrong
    // (verifySigned limits failures per address and key id).
    if (path == "/api/v1/notices") {
        if (checkMethod(request, responder, "POST"))
            handleNotice(request, responder);
    } else if (path == "/api/v1/heartbeats") {
        if (checkMethod(request, responder, "POST"))
            handleHeartbeat(request, responder);
    } else if (path == "/healthz") {
        if (checkMethod(request, responder, "GET"))
            handleHealth(responder);
    } else if (path == "/metrics") {
        if (checkMethod(request, responder, "GET"))
            handleMetrics(responder);
    } else if (path == "/webhook" && m_options.seedEnabled) {
        if (checkMethod(request, responder, "POST") && checkRateLimit(request, responder))
            handleSeedWebhook(request, responder);
    } else if (path.startsWith("/api/v1/")) {
        if (!checkRateLimit(request, responder))
            return;
        const std::optional<QString> tokenId =
            m_tokens.authenticate(request.header("Authorization"));
        if (!tokenId) {
            m_rateLimiter.recordFailure(request.peer);
            http::Response response = http::Response::error(
                401, u"unauthorized"_s,
                u"a valid operator token is required (Authorization: Bearer)"_s);
            response.headers.append({QByteArrayLiteral("WWW-Authenticate"),
                                     QByteArrayLiteral("Bearer realm=\"spotkeeper\"")});
            m_metrics.countRejection(u"operator_unauthorized"_s);
            send(responder, response);
            return;
        }
        send(responder, m_api->handle(request, u"api:"_s + *tokenId));
    } else {
        m_metrics.countRejection(u"not_found"_s);
        send(responder,
             http::Response::error(404, u"not_found"_s,
                                   u"no such path: "_s + QString::fromUtf8(path)));
    }
}

std::optional<WebhookListener::Verified>
WebhookListener::verifySigned(const http::Request &request,
                              const std::shared_ptr<http::Responder> &responder)
{
    protocol::VerifyRequest verifyRequest;
    verifyRequest.id = request.header(protocol::kHeaderId);
    verifyRequest.timestamp = request.header(protocol::kHeaderTimestamp);
    verifyRequest.signature = request.header(protocol::kHeaderSignature);
    verifyRequest.keyId = request.header(protocol::kHeaderKeyId);
    verifyRequest.body = request.body;

    std::optional<AgentKeyManager::ActiveKey> key;
    bool storeFailed = false;
    const protocol::KeyLookup lookup = [&](QByteArrayView keyId) {
        key = m_keys.lookup(keyId, &storeFailed);
        return key ? key->secrets : QList<protocol::WebhookSecret>();
    };
    const protocol::VerifyError result =
        protocol::verify(verifyRequest, m_clock.nowUtc().toSecsSinceEpoch(), lookup);
    if (result == protocol::VerifyError::None && key)
        return Verified {key->vmResourceKey, verifyRequest.keyId};
    if (storeFailed) {
        // The key could not be read: the agent is not at fault and must retry, and
        // this is no failed authentication to count against it.
        http::Response response = http::Response::error(
            503, u"store_unavailable"_s, u"the agent key could not be read; retry"_s);
        response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5")});
        m_metrics.countRejection(u"store_unavailable"_s);
        send(responder, response);
        return std::nullopt;
    }

    const QString reason = protocol::toString(result);
    if (result == protocol::VerifyError::BodyTooLarge) {
        reject(responder, 413, reason, u"body larger than 64 KiB"_s);
        return std::nullopt;
    }
    QString message;
    switch (result) {
    case protocol::VerifyError::MissingHeader:
        message = u"missing header "_s + missingHeader(request);
        break;
    case protocol::VerifyError::BadTimestamp:
        message = u"webhook-timestamp is not an integer number of seconds"_s;
        break;
    case protocol::VerifyError::TimestampTooOld:
    case protocol::VerifyError::TimestampTooNew:
        message = u"webhook-timestamp is more than 300 s away from the server's clock"_s;
        break;
    case protocol::VerifyError::UnknownKey:
        message = u"unknown, revoked or expired spotkeeper-key-id"_s;
        break;
    default:
        message = u"signature does not verify"_s;
        break;
    }
    // Counted per (address, key id): agents behind one NAT address do not share a count.
    const bool blocked = m_rateLimiter.isBlocked(request.peer, verifyRequest.keyId);
    m_rateLimiter.recordFailure(request.peer, verifyRequest.keyId);
    if (blocked) {
        http::Response response = http::Response::error(
            429, u"too_many_auth_failures"_s,
            u"too many failed authentications for this key from this address: "_s + message);
        response.headers.append({QByteArrayLiteral("Retry-After"),
                                 QByteArray::number(m_rateLimiter.retryAfterSeconds(
                                     request.peer, verifyRequest.keyId))});
        m_metrics.countRejection(u"rate_limited"_s);
        send(responder, response);
        return std::nullopt;
    }
    reject(responder, 401, reason.isEmpty() ? u"bad_signature"_s : reason, message);
    return std::nullopt;
}

void WebhookListener::handleNotice(const http::Request &request,
                                   const std::shared_ptr<http::Responder> &responder)
{
    const std::optional<Verified> verified = verifySigned(request, responder);
    if (!verified)
        return;
    const protocol::Decoded<protocol::Notice> decoded = protocol::decodeNotice(request.body);
    if (!decoded.ok()) {
        reject(responder, 400, u"invalid_notice"_s, validationMessage(decoded.errors));
        return;
    }
    const protocol::Notice &notice = *decoded.value;
    if (notice.vm.resourceKey() != verified->vmResourceKey) {
        reject(responder, 403, u"vm_mismatch"_s,
               u"key "_s + QString::fromUtf8(verified->keyId)
                   + u" is bound to another VM than the notice names"_s);
        return;
    }
    IncomingNotice incoming;
    incoming.webhookId = QString::fromUtf8(request.header(protocol::kHeaderId));
    incoming.vmResourceKey = verified->vmResourceKey;
    incoming.vm = recordFor(notice.vm);
    incoming.vm.agentLastSeen = m_clock.nowUtc();
    incoming.vm.agentVersion = notice.agentVersion;
    incoming.event = noticeEvent(notice, incoming.webhookId, m_clock.nowUtc(), request.body);

    m_batcher.enqueue(
        std::move(incoming),
        [this, responder](const NoticeOutcome &outcome, const IncomingNotice &stored) {
            QJsonObject body;
            switch (outcome.status) {
            case NoticeOutcome::Status::Failed: {
                m_metrics.countNotice(u"failed"_s);
                http::Response response = http::Response::error(
                    503, u"store_unavailable"_s, u"the notice could not be stored; retry"_s);
                response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5")});
                send(responder, response);
                return;
            }
            case NoticeOutcome::Status::Duplicate:
                m_metrics.countNotice(u"duplicate"_s);
                body = {{u"stored"_s, true},
                        {u"duplicate"_s, true},
                        {u"eventId"_s, double(outcome.eventId)}};
                send(responder,
                     http::Response::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact)));
                return;
            case NoticeOutcome::Status::Inserted:
                m_metrics.countNotice(u"stored"_s);
                body = {{u"stored"_s, true},
                        {u"duplicate"_s, false},
                        {u"eventId"_s, double(outcome.eventId)}};
                send(responder,
                     http::Response::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact)));
                EventRecord event = stored.event;
                event.id = outcome.eventId;
                event.vmId = outcome.vmId;
                emit noticeStored(outcome.vmId, outcome.eventId);
                // The engine hears each event once, at its first phase (as before schema
                // v6 kept later phases): a Started after a Scheduled is history only.
                if (!outcome.laterPhase)
                    m_operations.handleNoticeStored(outcome.vmId, event);
                return;
            }
        });
}

void WebhookListener::handleHeartbeat(const http::Request &request,
                                      const std::shared_ptr<http::Responder> &responder)
{
    const std::optional<Verified> verified = verifySigned(request, responder);
    if (!verified)
        return;
    const protocol::Decoded<protocol::Heartbeat> decoded = protocol::decodeHeartbeat(request.body);
    if (!decoded.ok()) {
        reject(responder, 400, u"invalid_heartbeat"_s, validationMessage(decoded.errors));
        return;
    }
    const protocol::Heartbeat &heartbeat = *decoded.value;
    VmRecord identity;
    if (heartbeat.identityKnown) {
        if (heartbeat.vm.resourceKey() != verified->vmResourceKey) {
            reject(responder, 403, u"vm_mismatch"_s,
                   u"key "_s + QString::fromUtf8(verified->keyId)
                       + u" is bound to another VM than the heartbeat names"_s);
            return;
        }
        identity = recordFor(heartbeat.vm);
    } else {
        identity = recordForKey(verified->vmResourceKey);
    }
    // Heartbeats are liveness, not evidence: answered at once and written coalesced
    // (the latest per VM) a moment later, so they never queue behind fsyncs.
    PendingHeartbeat &pending = m_heartbeats[verified->vmResourceKey];
    pending.identity = identity;
    pending.at = m_clock.nowUtc();
    pending.agentVersion = heartbeat.agentVersion;
    pending.pollError = heartbeat.lastPoll.ok ? QString() : heartbeat.lastPoll.error;
    pending.appHealth = AppHealth::None;
    pending.appProbe.clear();
    pending.appLatencyMs = -1;
    pending.appHealthDetail.clear();
    if (heartbeat.app) {
        switch (heartbeat.app->state) {
        case protocol::AppHealthState::Pending:
            pending.appHealth = AppHealth::Pending;
            break;
        case protocol::AppHealthState::Healthy:
            pending.appHealth = AppHealth::Healthy;
            break;
        case protocol::AppHealthState::Unhealthy:
            pending.appHealth = AppHealth::Unhealthy;
            break;
        }
        pending.appProbe = protocol::toString(heartbeat.app->probe);
        pending.appLatencyMs = heartbeat.app->latencyMs;
        pending.appHealthDetail = heartbeat.app->detail;
    }
    if (!m_heartbeatTimer.isActive())
        m_heartbeatTimer.start(m_options.heartbeatFlushMs);
    m_metrics.countHeartbeat(u"accepted"_s);
    send(responder, http::Response::json(200, QByteArrayLiteral("{\"ok\":true}")));
}

void WebhookListener::flushHeartbeats()
{
    const qint64 nowMs = m_clock.nowMSecs();
    const qint64 persistMs = qint64(m_options.heartbeatPersistSeconds) * 1000;
    QList<HeartbeatUpdate> due;
    for (auto it = m_heartbeats.cbegin(); it != m_heartbeats.cend(); ++it) {
        const auto persisted = m_persistedHeartbeats.constFind(it.key());
        const bool changed = persisted == m_persistedHeartbeats.constEnd()
            || persisted->agentVersion != it->agentVersion || persisted->pollError != it->pollError
            || persisted->appHealth != it->appHealth; // a restart job may wait for it
        if (changed || nowMs - persisted->atMs >= persistMs)
            due.append(HeartbeatUpdate {it.key(), it->identity, it->at, it->agentVersion,
                                        it->pollError, it->appHealth, it->appProbe,
                                        it->appLatencyMs, it->appHealthDetail});
    }
    m_heartbeats.clear(); // what is not due has nothing new worth a transaction
    if (due.isEmpty())
        return;
    if (!m_store.recordHeartbeats(due)) {
        for (qsizetype i = 0; i < due.size(); ++i)
            m_metrics.countHeartbeat(u"store_failed"_s);
        return;
    }
    m_metrics.countHeartbeatBatch(int(due.size()));
    for (const HeartbeatUpdate &update : std::as_const(due))
        m_persistedHeartbeats.insert(
            update.vmResourceKey,
            PersistedHeartbeat {nowMs, update.agentVersion, update.pollError, update.appHealth});
}

void WebhookListener::flushNow()
{
    m_batcher.flush();
    m_heartbeatTimer.stop();
    flushHeartbeats();
}

void WebhookListener::handleSeedWebhook(const http::Request &request,
                                        const std::shared_ptr<http::Responder> &responder)
{
    const QByteArray key = bearerValue(request.header("Authorization"));
    if (key.isEmpty() || m_options.seedKeySha256.isEmpty()
        || !constantTimeEqual(OperatorTokens::hashToken(key), m_options.seedKeySha256)) {
        m_rateLimiter.recordFailure(request.peer);
        reject(responder, 401, u"bad_legacy_key"_s,
               u"Authorization: Bearer <key> with the server's legacy webhook key is required"_s);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        reject(responder, 400, u"invalid_json"_s,
               parseError.error != QJsonParseError::NoError ? u"body is not valid JSON at offset "_s
                       + QString::number(parseError.offset) + u": "_s + parseError.errorString()
                                                            : u"body must be a JSON object"_s);
        return;
    }
    const QJsonObject object = doc.object();
    const QJsonValue group = object.value(u"resourceGroup"_s);
    const QJsonValue name = object.value(u"vmName"_s);
    if (!group.isString() || !name.isString()) {
        reject(responder, 400, u"invalid_legacy_notice"_s,
               u"body must have string fields \"resourceGroup\" and \"vmName\""_s);
        return;
    }
    QString error;
    const auto vmId = VmResourceId::fromParts(m_options.seedSubscriptionId, group.toString(),
                                              name.toString(), &error);
    if (!vmId) {
        reject(responder, 400, u"invalid_legacy_notice"_s, error);
        return;
    }
    const std::optional<VmRecord> vm = m_store.vmByKey(vmId->resourceKey());
    if (!vm) {
        reject(
            responder, 403, u"unknown_vm"_s,
            u"the legacy webhook key may only speak for VMs already in the fleet; add the VM first"_s);
        return;
    }
    m_operations.handleUnconfirmedNotice(vm->id);
    send(responder,
         http::Response::json(202, QByteArrayLiteral("{\"accepted\":true,\"confirmed\":false}")));
}

void WebhookListener::handleHealth(const std::shared_ptr<http::Responder> &responder)
{
    m_store.vm(-1); // a cheap indexed read: proves the database still answers
    const StoreError error = m_store.lastError();
    const bool storeOk = error.code == StoreError::Code::None;
    QJsonObject body {
        {u"status"_s, storeOk ? u"ok"_s : u"degraded"_s},
        {u"store"_s, storeOk ? u"ok"_s : u"error: "_s + error.message},
        {u"credential"_s, m_credentialStatus ? m_credentialStatus() : u"not configured"_s},
        {u"pendingNotices"_s, m_batcher.pending()},
        {u"version"_s, QStringLiteral(SPOTKEEPER_VERSION)},
    };
    send(responder,
         http::Response::json(storeOk ? 200 : 503,
                              QJsonDocument(body).toJson(QJsonDocument::Compact)));
}

void WebhookListener::handleMetrics(const std::shared_ptr<http::Responder> &responder)
{
    http::Response response =
        http::Response::text(200, m_metrics.render(m_store, m_clock, m_extraMetrics));
    response.headers = {{QByteArrayLiteral("Content-Type"),
                         QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8")}};
    send(responder, response);
}

} // namespace spotkeeper::core
