// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/ec2parsers.h"
#include "aws/instancearn.h"
#include "fleet/cloud.h"
#include "protocol/messagecodec.h"
#include "support/listener/listenertestbase.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace spotkeeper;
using namespace spotkeeper::listenertest;
using namespace Qt::StringLiterals;

// The agent-facing routes: verification order, durability of a 2xx, duplicates,
// binding of keys to VMs, the failed-auth rate limit, the legacy webhook, health and
// metrics. Transport limits and TLS: tst_listenerlimits.
class TestWebhookListener : public ListenerTestBase
{
    Q_OBJECT

private slots:
    void init() { setUpStore(); }
    void cleanup() { tearDown(); }

    void acceptsSignedNotice();
    void acceptsSignedGoogleCloudNotice();
    void acceptsSignedAwsNotice();
    void awsInstanceHasOneRowNamedByItsNameTag();
    void badRequests_data();
    void badRequests();
    void replayedNoticeIsStoredOnce();
    void sameEventUnderNewWebhookIdIsDuplicate();
    void otherVmIsForbidden();
    void failedAuthIsRateLimitedPerAddress();
    void heartbeatsAreRecorded();
    void heartbeatsOfManyVmsShareOneTransaction();
    void applicationHealthIsStoredAndOldHeartbeatsStillCount();
    void concurrentNoticesCommitOnTheWriterThread();
    void legacyWebhookIsOffByDefault();
    void legacyWebhookIsAnUnconfirmedNotice();
    void healthAndMetrics();
};

void TestWebhookListener::acceptsSignedNotice()
{
    startServer();
    const SignedRequest request = signedNotice(u"vm-a"_s, 1, u"msg_1"_s);
    const auto response =
        exchange(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
    QCOMPARE(response.status, 200);
    QCOMPARE(json(response).value(u"duplicate"_s).toBool(true), false);
    // A 2xx means committed: the row is there the moment the answer is.
    core::EventFilter notices;
    notices.kinds = {core::EventKind::Notice};
    QCOMPARE(m_store->eventCount(notices), 1);
    const auto vm = m_store->vmByKey(vmResourceId(u"vm-a"_s).toLower());
    QVERIFY(vm);
    QCOMPARE(vm->name, u"vm-a"_s);
    QCOMPARE(m_ops->count(u"notice"_s), 1);
    QCOMPARE(m_ops->calls.constFirst().vmId, vm->id);
    QVERIFY(m_ops->calls.constFirst().eventId > 0);
}

// Issue 15: a key bound to a Google Cloud instance (projects/P/zones/Z/instances/N) is issued,
// its agent's version 2 notice is stored under that id with the project as its scope, and its
// heartbeats before the metadata server answered file under the same VM; the key speaks for
// no other instance.
void TestWebhookListener::acceptsSignedGoogleCloudNotice()
{
    startServer();
    const QString id = u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s;
    core::KeyError code = core::KeyError::None;
    QString error;
    const auto key = m_listener->keys().generate(id, u"test"_s, &code, &error);
    QVERIFY2(key, qPrintable(error));
    QCOMPARE(key->vmResourceKey, id);

    protocol::Notice notice = makeNotice(u"worker-7"_s, newEventId(7), m_clock->nowUtc());
    notice.vm = protocol::VmIdentity {};
    notice.vm.cloud = protocol::Cloud::Gcp;
    notice.vm.projectId = u"spot-fleet-1"_s;
    notice.vm.zone = u"europe-west1-b"_s;
    notice.vm.location = notice.vm.zone;
    notice.vm.vmName = u"worker-7"_s;
    notice.vm.vmId = u"8230498714093811747"_s;
    notice.vm.priority = u"SPOT"_s;
    notice.vm.evictionPolicy = u"STOP"_s;
    notice.event.eventStatus = protocol::EventStatus::Started;
    notice.event.notBefore = QDateTime();
    const QList<protocol::WebhookSecret> secrets {key->secret};
    const auto post = [&](const QByteArray &path, const QByteArray &body,
                          const QString &webhookId) {
        const SignedRequest request =
            sign(body, key->keyId, secrets, webhookId, m_clock->nowUtc().toSecsSinceEpoch());
        return exchange(rawRequest("POST", path, request.headers, request.body));
    };
    const auto response = post("/api/v1/notices", protocol::encodeNotice(notice), u"msg_g1"_s);
    QCOMPARE(response.status, 200);
    const auto vm = m_store->vmByKey(id);
    QVERIFY(vm);
    QVERIFY(cloudOf(*vm) == core::Cloud::Gcp);
    QCOMPARE(vm->resourceId, id);
    QCOMPARE(vm->subscriptionId, u"spot-fleet-1"_s); // the project: the listing scope
    QCOMPARE(vm->resourceGroup, QString());
    QCOMPARE(vm->name, u"worker-7"_s);
    QCOMPARE(vm->location, u"europe-west1-b"_s);
    QCOMPARE(vm->vmId, u"8230498714093811747"_s);
    QCOMPARE(vm->priority, u"SPOT"_s);
    QCOMPARE(vm->evictionPolicy, u"STOP"_s);
    QVERIFY(vm->managedBy == core::ManagedBy::Agent);
    QCOMPARE(m_ops->count(u"notice"_s), 1);
    QCOMPARE(m_ops->calls.constFirst().vmId, vm->id);

    // The same key naming another instance (or an Azure VM) is refused.
    protocol::Notice other = notice;
    other.vm.vmName = u"worker-8"_s;
    other.event.resources = {u"worker-8"_s};
    QCOMPARE(post("/api/v1/notices", protocol::encodeNotice(other), u"msg_g2"_s).status, 403);
    QCOMPARE(
        post("/api/v1/notices",
             protocol::encodeNotice(makeNotice(u"worker-7"_s, newEventId(8), m_clock->nowUtc())),
             u"msg_g3"_s)
            .status,
        403);

    // A heartbeat before the metadata server answered files under the key's instance.
    const QString idleId = u"projects/spot-fleet-1/zones/us-central1-a/instances/idle-1"_s;
    const auto idleKey = m_listener->keys().generate(idleId, u"test"_s, &code, &error);
    QVERIFY2(idleKey, qPrintable(error));
    protocol::Heartbeat heartbeat = makeHeartbeat(u"idle-1"_s, m_clock->nowUtc());
    heartbeat.identityKnown = false;
    heartbeat.vm = protocol::VmIdentity {};
    const SignedRequest beat =
        sign(protocol::encodeHeartbeat(heartbeat), idleKey->keyId, {idleKey->secret}, u"hb_g1"_s,
             m_clock->nowUtc().toSecsSinceEpoch());
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/heartbeats", beat.headers, beat.body)).status,
             200);
    m_listener->flushNow();
    const auto idle = m_store->vmByKey(idleId);
    QVERIFY(idle);
    QVERIFY(cloudOf(*idle) == core::Cloud::Gcp);
    QCOMPARE(idle->subscriptionId, u"spot-fleet-1"_s);
    QCOMPARE(idle->name, u"idle-1"_s);
}

// Issue 16: a key bound to an EC2 instance's ARN is issued, its agent's version 2 notice
// ("aws") is stored under the ARN with the account's Region as its scope and its location,
// and the instance type as its size; the key speaks for no other instance.
void TestWebhookListener::acceptsSignedAwsNotice()
{
    startServer();
    const QString id = u"arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234def567890"_s;
    core::KeyError code = core::KeyError::None;
    QString error;
    const auto key = m_listener->keys().generate(id, u"test"_s, &code, &error);
    QVERIFY2(key, qPrintable(error));
    QCOMPARE(key->vmResourceKey, id);

    protocol::Notice notice =
        makeNotice(u"i-0abc1234def567890"_s, newEventId(9), m_clock->nowUtc());
    notice.vm = protocol::VmIdentity {};
    notice.vm.cloud = protocol::Cloud::Aws;
    notice.vm.accountId = u"123456789012"_s;
    notice.vm.location = u"us-east-1"_s;
    notice.vm.zone = u"us-east-1a"_s;
    notice.vm.vmId = u"i-0abc1234def567890"_s;
    notice.vm.vmName = notice.vm.vmId;
    notice.vm.instanceType = u"m5.large"_s;
    notice.vm.priority = u"spot"_s;
    const QList<protocol::WebhookSecret> secrets {key->secret};
    const auto post = [&](const QByteArray &body, const QString &webhookId) {
        const SignedRequest request =
            sign(body, key->keyId, secrets, webhookId, m_clock->nowUtc().toSecsSinceEpoch());
        return exchange(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
    };
    QCOMPARE(post(protocol::encodeNotice(notice), u"msg_a1"_s).status, 200);
    const auto vm = m_store->vmByKey(id);
    QVERIFY(vm);
    QVERIFY(cloudOf(*vm) == core::Cloud::Aws);
    QCOMPARE(vm->resourceId, id);
    QCOMPARE(vm->subscriptionId, u"arn:aws:ec2:us-east-1:123456789012"_s); // the listing scope
    QCOMPARE(vm->resourceGroup, QString());
    QCOMPARE(vm->name, u"i-0abc1234def567890"_s);
    QCOMPARE(vm->location, u"us-east-1"_s);
    QCOMPARE(vm->size, u"m5.large"_s);
    QCOMPARE(vm->priority, u"Spot"_s);
    QVERIFY(vm->managedBy == core::ManagedBy::Agent);
    QCOMPARE(m_ops->count(u"notice"_s), 1);
    QCOMPARE(m_ops->calls.constFirst().vmId, vm->id);

    // The same key naming another instance is refused.
    protocol::Notice other = notice;
    other.vm.vmId = u"i-0abc1234def567891"_s;
    other.vm.vmName = other.vm.vmId;
    other.event.resources = {other.vm.vmId};
    QCOMPARE(post(protocol::encodeNotice(other), u"msg_a2"_s).status, 403);
}

// Issue 16: the notice path knows an AWS instance by its ARN and id, the EC2 listing by its Name
// tag. Whichever sees it first, there is one row, named by the Name tag once the listing gave
// it (else by the instance id), and a later notice or heartbeat does not rename it.
void TestWebhookListener::awsInstanceHasOneRowNamedByItsNameTag()
{
    startServer();
    const auto listing = [](const QString &instanceId, const QString &name) {
        core::aws::Ec2Instance instance;
        instance.instanceId = instanceId;
        instance.ownerId = u"123456789012"_s;
        instance.instanceType = u"m5.large"_s;
        instance.availabilityZone = u"us-east-1a"_s;
        instance.state = core::aws::Ec2InstanceState::Running;
        instance.instanceLifecycle = u"spot"_s;
        instance.tags = {{u"Name"_s, name}, {u"spotkeeper:auto-restart"_s, u"true"_s}};
        return core::aws::toVmRecord(instance, u"us-east-1"_s, u"aws"_s);
    };
    int sent = 0;
    QHash<QString, core::IssuedKey> keys;
    const auto notify = [&](const QString &instanceId) {
        const QString arn = u"arn:aws:ec2:us-east-1:123456789012:instance/"_s + instanceId;
        core::KeyError code = core::KeyError::None;
        QString error;
        if (!keys.contains(arn))
            keys.insert(arn, *m_listener->keys().generate(arn, u"test"_s, &code, &error));
        const core::IssuedKey &key = keys[arn];
        protocol::Notice notice =
            makeNotice(instanceId, newEventId(40 + ++sent), m_clock->nowUtc());
        notice.vm = protocol::VmIdentity {};
        notice.vm.cloud = protocol::Cloud::Aws;
        notice.vm.accountId = u"123456789012"_s;
        notice.vm.location = u"us-east-1"_s;
        notice.vm.zone = u"us-east-1a"_s;
        notice.vm.vmId = instanceId;
        notice.vm.vmName = instanceId;
        notice.vm.instanceType = u"m5.large"_s;
        notice.vm.priority = u"spot"_s;
        const SignedRequest request =
            sign(protocol::encodeNotice(notice), key.keyId, {key.secret}, u"msg_n%1"_s.arg(sent),
                 m_clock->nowUtc().toSecsSinceEpoch());
        return exchange(rawRequest("POST", "/api/v1/notices", request.headers, request.body))
            .status;
    };
    const auto row = [&](const QString &instanceId) {
        return m_store->vmByKey(u"arn:aws:ec2:us-east-1:123456789012:instance/"_s.toLower()
                                + instanceId);
    };

    // A notice first: named by the instance id until the listing names it.
    const QString first = u"i-0aaaaaaaaaaaaaaa1"_s;
    QCOMPARE(notify(first), 200);
    QCOMPARE(row(first)->name, first);
    QVERIFY(m_store->upsertVm(listing(first, u"web-1"_s)) == row(first)->id);
    QCOMPARE(row(first)->name, u"web-1"_s);
    QCOMPARE(notify(first), 200);
    QCOMPARE(row(first)->name, u"web-1"_s);

    // The listing first: the notice files under the same row and keeps its name.
    const QString second = u"i-0aaaaaaaaaaaaaaa2"_s;
    const qint64 listed = m_store->upsertVm(listing(second, u"web-2"_s));
    QVERIFY(listed > 0);
    QCOMPARE(notify(second), 200);
    QCOMPARE(row(second)->id, listed);
    QCOMPARE(row(second)->name, u"web-2"_s);
    QCOMPARE(row(second)->vmId, second);
    QVERIFY(row(second)->managedBy == core::ManagedBy::Agent);
    QCOMPARE(m_store->vms().size(), 2);
}

using Mutator = std::function<void(QByteArray &method, QByteArray &path, http::HeaderList &headers,
                                   QByteArray &body)>;
Q_DECLARE_METATYPE(Mutator)

static void setHeader(http::HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first == name) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

static void dropHeader(http::HeaderList &headers, const QByteArray &name)
{
    headers.removeIf([&](const auto &h) { return h.first == name; });
}

void TestWebhookListener::badRequests_data()
{
    QTest::addColumn<Mutator>("mutate");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    QTest::newRow("wrong method") << Mutator([](auto &m, auto &, auto &, auto &b) {
        m = "GET";
        b.clear();
    }) << 405 << u"method_not_allowed"_s;
    QTest::newRow("unknown path") << Mutator([](auto &, auto &p, auto &, auto &) {
        p = "/api/v2/notices";
    }) << 404 << u"not_found"_s;
    QTest::newRow("no signature header")
        << Mutator([](auto &, auto &, auto &h, auto &) { dropHeader(h, "webhook-signature"); })
        << 401 << u"missing_header"_s;
    QTest::newRow("no key id") << Mutator([](auto &, auto &, auto &h, auto &) {
        dropHeader(h, "spotkeeper-key-id");
    }) << 401 << u"missing_header"_s;
    QTest::newRow("tampered body")
        << Mutator([](auto &, auto &, auto &, auto &b) { b.replace("Preempt", "Terminat"); }) << 401
        << u"bad_signature"_s;
    QTest::newRow("garbage signature") << Mutator([](auto &, auto &, auto &h, auto &) {
        setHeader(h, "webhook-signature", "v1,dawfeoifkpqwoekfpqoekf");
    }) << 401 << u"bad_signature"_s;
    QTest::newRow("unknown key") << Mutator([](auto &, auto &, auto &h, auto &) {
        setHeader(h, "spotkeeper-key-id", "key_0000000000000000");
    }) << 401 << u"unknown_key"_s;
    QTest::newRow("timestamp not a number") << Mutator([](auto &, auto &, auto &h, auto &) {
        setHeader(h, "webhook-timestamp", "hello");
    }) << 401 << u"bad_timestamp"_s;
    QTest::newRow("operator route without token")
        << Mutator([](auto &, auto &p, auto &, auto &) { p = "/api/v1/vms"; }) << 401
        << u"unauthorized"_s;
    QTest::newRow("oversized headers") << Mutator([](auto &, auto &, auto &h, auto &) {
        h.append({"x-filler", QByteArray(qsizetype(17) * 1024, 'x')});
    }) << 431 << QString();
    QTest::newRow("body over 64 KiB")
        << Mutator([](auto &, auto &, auto &, auto &b) { b = QByteArray(64 * 1024 + 1, ' '); })
        << 413 << QString();
}

void TestWebhookListener::badRequests()
{
    QFETCH(Mutator, mutate);
    QFETCH(int, status);
    QFETCH(QString, code);
    startServer();
    SignedRequest request = signedNotice(u"vm-a"_s, 1, u"msg_bad"_s);
    QByteArray method = "POST";
    QByteArray path = "/api/v1/notices";
    mutate(method, path, request.headers, request.body);
    const auto response = exchange(rawRequest(method, path, request.headers, request.body));
    QCOMPARE(response.status, status);
    if (!code.isEmpty())
        QCOMPARE(json(response).value(u"error"_s).toObject().value(u"code"_s).toString(), code);
    QVERIFY(!json(response).value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty()
            || code.isEmpty());
    QCOMPARE(storedEvents(), 0);
    QCOMPARE(m_store->vms().size(), 0);
    QCOMPARE(m_ops->calls.size(), 0);
}

// Failures that need a valid signature over a body that is wrong after verification,
// and the stale/future timestamps that need the clock moved.
void TestWebhookListener::otherVmIsForbidden()
{
    startServer();
    const SignedRequest request = signedNotice(u"vm-b"_s, 1, u"msg_other"_s);
    const auto response =
        exchange(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
    QCOMPARE(response.status, 403);
    QCOMPARE(json(response).value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"vm_mismatch"_s);
    QCOMPARE(storedEvents(), 0);
    QCOMPARE(m_store->vms().size(), 0);
    QCOMPARE(m_ops->calls.size(), 0);
    QCOMPARE(m_listener->metrics().rejections(u"vm_mismatch"_s), 1);

    // Same for heartbeats, and for stale, future and malformed signed bodies.
    const QByteArray hb = protocol::encodeHeartbeat(makeHeartbeat(u"vm-b"_s, m_clock->nowUtc()));
    const SignedRequest hbRequest =
        sign(hb, m_keyId, m_secrets, u"msg_hb"_s, m_clock->nowUtc().toSecsSinceEpoch());
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/heartbeats", hbRequest.headers, hbRequest.body))
                 .status,
             403);

    const QByteArray notJson = R"({"type": "spotkeeper.notice", oops)";
    const SignedRequest bad =
        sign(notJson, m_keyId, m_secrets, u"msg_json"_s, m_clock->nowUtc().toSecsSinceEpoch());
    const auto badResponse = exchange(rawRequest("POST", "/api/v1/notices", bad.headers, bad.body));
    QCOMPARE(badResponse.status, 400);
    QVERIFY(
        !json(badResponse).value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());

    const SignedRequest wrongType =
        sign(hb, m_keyId, m_secrets, u"msg_type"_s, m_clock->nowUtc().toSecsSinceEpoch());
    QCOMPARE(
        exchange(rawRequest("POST", "/api/v1/notices", wrongType.headers, wrongType.body)).status,
        400);

    for (const qint64 offset : {-301, 301}) {
        const QByteArray body =
            protocol::encodeNotice(makeNotice(u"vm-a"_s, newEventId(9), m_clock->nowUtc()));
        const SignedRequest stale = sign(body, m_keyId, m_secrets, u"msg_stale"_s,
                                         m_clock->nowUtc().toSecsSinceEpoch() + offset);
        const auto r = exchange(rawRequest("POST", "/api/v1/notices", stale.headers, stale.body));
        QCOMPARE(r.status, 401);
        QVERIFY(json(r)
                    .value(u"error"_s)
                    .toObject()
                    .value(u"code"_s)
                    .toString()
                    .startsWith(u"timestamp_too_"_s));
    }
    QCOMPARE(storedEvents(), 0);
    QCOMPARE(m_store->vms().size(), 0);
}

void TestWebhookListener::replayedNoticeIsStoredOnce()
{
    startServer();
    const SignedRequest request = signedNotice(u"vm-a"_s, 7, u"msg_replay"_s);
    const QByteArray bytes = rawRequest("POST", "/api/v1/notices", request.headers, request.body);
    // 10 keep-alive connections x 100 rounds: replays arrive in the same group commit
    // as well as in later ones.
    constexpr int kConnections = 10;
    std::vector<std::unique_ptr<testsupport::RawHttpClient>> clients;
    for (int i = 0; i < kConnections; ++i) {
        clients.push_back(std::make_unique<testsupport::RawHttpClient>());
        QVERIFY(clients.back()->connectTo(m_server->serverPort()));
    }
    int fresh = 0;
    int duplicates = 0;
    for (int round = 0; round < 1000 / kConnections; ++round) {
        for (auto &client : clients)
            client->send(bytes);
        for (auto &client : clients) {
            const auto response = client->readResponse(10'000);
            QCOMPARE(response.status, 200);
            (json(response).value(u"duplicate"_s).toBool() ? duplicates : fresh)++;
        }
    }
    QCOMPARE(fresh, 1);
    QCOMPARE(duplicates, 999);
    QCOMPARE(storedEvents(), 1);
    QCOMPARE(m_ops->count(u"notice"_s), 1);
    QCOMPARE(m_listener->metrics().notices(u"duplicate"_s), 999);
}

void TestWebhookListener::sameEventUnderNewWebhookIdIsDuplicate()
{
    startServer();
    const SignedRequest first = signedNotice(u"vm-a"_s, 3, u"msg_first"_s);
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/notices", first.headers, first.body)).status,
             200);
    // The agent restarted and lost its spool: same EventId, new webhook-id.
    const SignedRequest again = signedNotice(u"vm-a"_s, 3, u"msg_second"_s);
    const auto response =
        exchange(rawRequest("POST", "/api/v1/notices", again.headers, again.body));
    QCOMPARE(response.status, 200);
    QCOMPARE(json(response).value(u"duplicate"_s).toBool(), true);
    const SignedRequest other = signedNotice(u"vm-a"_s, 4, u"msg_third"_s);
    const auto third = exchange(rawRequest("POST", "/api/v1/notices", other.headers, other.body));
    QCOMPARE(json(third).value(u"duplicate"_s).toBool(true), false);
    QCOMPARE(storedEvents(), 2);
    QCOMPARE(m_ops->count(u"notice"_s), 2);
}

void TestWebhookListener::failedAuthIsRateLimitedPerAddress()
{
    core::ListenerOptions options;
    options.failedAuthPerMinute = 5;
    startServer(options);
    SignedRequest bad = signedNotice(u"vm-a"_s, 1, u"msg_x"_s);
    setHeader(bad.headers, "webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    for (int i = 0; i < 5; ++i)
        QCOMPARE(exchange(rawRequest("POST", "/api/v1/notices", bad.headers, bad.body)).status,
                 401);
    // Further failures from this address for this key wait for the window to pass...
    const auto limited = exchange(rawRequest("POST", "/api/v1/notices", bad.headers, bad.body));
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.header("Retry-After").toInt() > 0);
    QCOMPARE(storedEvents(), 0);
    // ...but a request that verifies is never refused (tst_listenertrust has the NAT case).
    const SignedRequest good = signedNotice(u"vm-a"_s, 1, u"msg_good"_s);
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/notices", good.headers, good.body)).status, 200);
    QCOMPARE(storedEvents(), 1);
    m_clock->advanceMSecs(61'000);
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/notices", bad.headers, bad.body)).status, 401);
}

void TestWebhookListener::heartbeatsAreRecorded()
{
    core::ListenerOptions options;
    options.heartbeatFlushMs = 10;
    startServer(options);
    const QString key = vmResourceId(u"vm-a"_s).toLower();
    int n = 0;
    const auto beat = [&](bool ok) {
        protocol::Heartbeat heartbeat = makeHeartbeat(u"vm-a"_s, m_clock->nowUtc());
        heartbeat.lastPoll.ok = ok;
        heartbeat.lastPoll.error = ok ? QString() : u"IMDS answered 500"_s;
        const SignedRequest request =
            sign(protocol::encodeHeartbeat(heartbeat), m_keyId, m_secrets,
                 u"hb_"_s + QString::number(++n), m_clock->nowUtc().toSecsSinceEpoch());
        return exchange(rawRequest("POST", "/api/v1/heartbeats", request.headers, request.body))
            .status;
    };
    QCOMPARE(beat(true), 200);
    QTRY_VERIFY(m_store->vmByKey(key).has_value());
    const QDateTime first = m_clock->nowUtc();
    QCOMPARE(m_store->vmByKey(key)->agentVersion, u"0.1.0"_s);
    QCOMPARE(m_store->vmByKey(key)->agentLastSeen, first);

    // Same news 10 s later: answered, but not worth a transaction yet.
    m_clock->advanceMSecs(10'000);
    QCOMPARE(beat(true), 200);
    m_listener->flushNow();
    QCOMPARE(m_store->vmByKey(key)->agentLastSeen, first);
    // A changed poll outcome is written at once.
    QCOMPARE(beat(false), 200);
    QTRY_COMPARE(m_store->vmByKey(key)->agentLastPollError, u"IMDS answered 500"_s);
    // And the same news again after the persist interval refreshes agentLastSeen.
    m_clock->advanceMSecs(31'000);
    QCOMPARE(beat(false), 200);
    QTRY_COMPARE(m_store->vmByKey(key)->agentLastSeen, m_clock->nowUtc());
    QCOMPARE(m_ops->calls.size(), 0); // a heartbeat never triggers the engine
    QVERIFY(storedEvents() >= 1); // the store notes a first-seen agent
}

void TestWebhookListener::applicationHealthIsStoredAndOldHeartbeatsStillCount()
{
    core::ListenerOptions options;
    options.heartbeatFlushMs = 10;
    startServer(options);
    const QString key = vmResourceId(u"vm-a"_s).toLower();
    int n = 0;
    const auto send = [&](const QByteArray &body) {
        const SignedRequest request =
            sign(body, m_keyId, m_secrets, u"hb_"_s + QString::number(++n),
                 m_clock->nowUtc().toSecsSinceEpoch());
        return exchange(rawRequest("POST", "/api/v1/heartbeats", request.headers, request.body))
            .status;
    };
    const auto beat = [&](std::optional<protocol::AppHealthState> state) {
        protocol::Heartbeat heartbeat = makeHeartbeat(u"vm-a"_s, m_clock->nowUtc());
        if (state)
            heartbeat.app = protocol::AppHealth {
                protocol::ProbeKind::Tcp, *state, m_clock->nowUtc(), 4,
                *state == protocol::AppHealthState::Healthy ? u"connected to 127.0.0.1:5432"_s
                                                            : u"Connection refused"_s};
        return send(protocol::encodeHeartbeat(heartbeat));
    };
    // An agent without a probe (version 1, as every agent before version 3 wrote it).
    QCOMPARE(beat(std::nullopt), 200);
    QTRY_VERIFY(m_store->vmByKey(key).has_value());
    QCOMPARE(core::toString(m_store->vmByKey(key)->appHealth), QString());

    // With a probe (version 3): stored at once, and a change of state at once again.
    m_clock->advanceMSecs(1'000);
    const QDateTime healthyAt = m_clock->nowUtc();
    QCOMPARE(beat(protocol::AppHealthState::Healthy), 200);
    QTRY_COMPARE(core::toString(m_store->vmByKey(key)->appHealth), u"healthy"_s);
    auto vm = m_store->vmByKey(key);
    QCOMPARE(vm->appProbe, u"tcp"_s);
    QCOMPARE(vm->appLatencyMs, qint64(4));
    QCOMPARE(vm->appHealthSince, healthyAt);
    m_clock->advanceMSecs(1'000);
    const QDateTime downAt = m_clock->nowUtc();
    QCOMPARE(beat(protocol::AppHealthState::Unhealthy), 200);
    QTRY_COMPARE(core::toString(m_store->vmByKey(key)->appHealth), u"unhealthy"_s);
    vm = m_store->vmByKey(key);
    QCOMPARE(vm->appHealthSince, downAt);
    QCOMPARE(vm->appHealthDetail, u"Connection refused"_s);
    // The same state again keeps its start time.
    m_clock->advanceMSecs(31'000);
    QCOMPARE(beat(protocol::AppHealthState::Unhealthy), 200);
    QTRY_COMPARE(m_store->vmByKey(key)->agentLastSeen, m_clock->nowUtc());
    QCOMPARE(m_store->vmByKey(key)->appHealthSince, downAt);

    // The golden heartbeat of an agent that predates version 3 is still accepted.
    QFile golden(QStringLiteral(SPOTKEEPER_TEST_DATA "/protocol/heartbeat-healthy.json"));
    QVERIFY(golden.open(QIODevice::ReadOnly));
    QJsonObject old = QJsonDocument::fromJson(golden.readAll()).object();
    QCOMPARE(old.value(u"version"_s).toInt(), 1);
    protocol::Heartbeat mine = makeHeartbeat(u"vm-a"_s, m_clock->nowUtc());
    old.insert(u"vm"_s,
               QJsonDocument::fromJson(protocol::encodeHeartbeat(mine)).object().value(u"vm"_s));
    old.insert(u"sentAt"_s, mine.sentAt.toString(Qt::ISODateWithMs));
    m_clock->advanceMSecs(1'000);
    QCOMPARE(send(QJsonDocument(old).toJson(QJsonDocument::Compact)), 200);
    // No probe reported any more: the application columns are cleared.
    QTRY_COMPARE(core::toString(m_store->vmByKey(key)->appHealth), QString());
    QCOMPARE(m_ops->calls.size(), 0);
}

void TestWebhookListener::heartbeatsOfManyVmsShareOneTransaction()
{
    core::ListenerOptions options;
    options.heartbeatFlushMs = 60'000; // only flushNow() writes: the test decides when
    startServer(options);
    constexpr int kVms = 12;
    for (int i = 0; i < kVms; ++i) {
        const QString name = u"vm-hb-"_s + QString::number(i);
        core::KeyError code = core::KeyError::None;
        QString error;
        const auto key = m_listener->keys().generate(vmResourceId(name), u"test"_s, &code, &error);
        QVERIFY2(key, qPrintable(error));
        const SignedRequest request =
            sign(protocol::encodeHeartbeat(makeHeartbeat(name, m_clock->nowUtc())), key->keyId,
                 {key->secret}, u"hb_many_"_s + QString::number(i),
                 m_clock->nowUtc().toSecsSinceEpoch());
        // Answered before anything is written.
        QCOMPARE(exchange(rawRequest("POST", "/api/v1/heartbeats", request.headers, request.body))
                     .status,
                 200);
        QVERIFY(!m_store->vmByKey(vmResourceId(name)).has_value());
    }
    QCOMPARE(m_listener->metrics().heartbeatBatches(), 0);
    m_listener->flushNow();
    QCOMPARE(m_listener->metrics().heartbeatBatches(), 1);
    QCOMPARE(m_listener->metrics().heartbeatsWritten(), kVms);
    for (int i = 0; i < kVms; ++i) {
        const auto vm = m_store->vmByKey(vmResourceId(u"vm-hb-"_s + QString::number(i)));
        QVERIFY(vm.has_value());
        QCOMPARE(vm->agentLastSeen, m_clock->nowUtc());
    }
    // Nothing new: the next flush writes nothing at all.
    m_listener->flushNow();
    QCOMPARE(m_listener->metrics().heartbeatBatches(), 1);
}

void TestWebhookListener::concurrentNoticesCommitOnTheWriterThread()
{
    // A file-backed store: group commits run on the NoticeWriter thread.
    tearDown();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    setUpStore(dir.filePath(u"listener.db"_s));
    startServer();
    QVERIFY(m_listener->batcher().hasWriterThread());

    constexpr int kNotices = 40;
    constexpr int kReplays = 8;
    std::vector<std::unique_ptr<testsupport::RawHttpClient>> clients;
    for (int i = 0; i < kNotices + kReplays; ++i) {
        // Replays repeat notice 0 (same webhook-id): in its batch or a later one.
        const int n = i < kNotices ? i : 0;
        const SignedRequest request = signedNotice(u"vm-a"_s, n, u"msg_w"_s + QString::number(n));
        clients.push_back(std::make_unique<testsupport::RawHttpClient>());
        QVERIFY(clients.back()->connectTo(m_server->serverPort()));
        clients.back()->send(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
    }
    int duplicates = 0;
    QSet<qint64> eventIds;
    for (const auto &client : clients) {
        const testsupport::RawResponse response = client->readResponse(20'000);
        QCOMPARE(response.status, 200);
        const QJsonObject body = json(response);
        duplicates += body.value(u"duplicate"_s).toBool() ? 1 : 0;
        eventIds.insert(qint64(body.value(u"eventId"_s).toDouble()));
    }
    QCOMPARE(duplicates, kReplays);
    QCOMPARE(eventIds.size(), kNotices);
    QCOMPARE(storedEvents(), kNotices); // read on the main connection: committed before 2xx
    QCOMPARE(m_ops->calls.size(), kNotices); // the engine hears of each stored notice once
    QVERIFY(m_listener->batcher().batches() >= 1);
    QCOMPARE(m_listener->pendingNotices(), 0);
    // The writer's connection takes "now" from the listener's (injected) clock.
    QCOMPARE(m_store->vmByKey(vmResourceId(u"vm-a"_s))->createdAt, m_clock->nowUtc());
    tearDown(); // before the directory goes
}

void TestWebhookListener::legacyWebhookIsOffByDefault()
{
    startServer();
    const auto response =
        exchange(rawRequest("POST", "/webhook", {{"Authorization", "Bearer legacy"}},
                            R"({"resourceGroup":"rg-spot","vmName":"vm-a"})"));
    QCOMPARE(response.status, 404);
    QCOMPARE(m_ops->calls.size(), 0);
}

void TestWebhookListener::legacyWebhookIsAnUnconfirmedNotice()
{
    core::ListenerOptions options;
    options.seedEnabled = true;
    options.seedSubscriptionId = kSubscription;
    options.seedKeySha256 = core::OperatorTokens::hashToken("legacy-key");
    startServer(options);
    const QByteArray body = R"({"resourceGroup":"rg-spot","vmName":"vm-a"})";
    const http::HeaderList auth {{"Authorization", "Bearer legacy-key"}};

    // Codes and messages speak of the legacy webhook an operator configured.
    const auto errorOf = [this](const testsupport::RawResponse &response) {
        return json(response).value(u"error"_s).toObject();
    };
    const auto wrongKey =
        exchange(rawRequest("POST", "/webhook", {{"Authorization", "Bearer wrong"}}, body));
    QCOMPARE(wrongKey.status, 401);
    QCOMPARE(errorOf(wrongKey).value(u"code"_s).toString(), u"bad_legacy_key"_s);
    QVERIFY(errorOf(wrongKey).value(u"message"_s).toString().contains("legacy webhook key"_L1));
    const auto unknownVm = exchange(rawRequest("POST", "/webhook", auth, body));
    QCOMPARE(unknownVm.status, 403); // not in the fleet
    QVERIFY(errorOf(unknownVm).value(u"message"_s).toString().contains("legacy webhook key"_L1));
    const auto noGroup = exchange(rawRequest("POST", "/webhook", auth, R"({"vmName":"vm-a"})"));
    QCOMPARE(noGroup.status, 400);
    QCOMPARE(errorOf(noGroup).value(u"code"_s).toString(), u"invalid_legacy_notice"_s);
    for (const auto &response : {wrongKey, unknownVm, noGroup})
        QVERIFY(!response.body.contains("seed"));
    QCOMPARE(
        exchange(rawRequest("POST", "/webhook", auth, R"({"resourceGroup":"rg.","vmName":"vm-a"})"))
            .status,
        400);
    QCOMPARE(m_ops->calls.size(), 0);

    core::VmRecord vm;
    vm.resourceKey = vmResourceId(u"vm-a"_s).toLower();
    vm.resourceId = vmResourceId(u"vm-a"_s);
    vm.subscriptionId = kSubscription;
    vm.resourceGroup = kGroup;
    vm.name = u"vm-a"_s;
    const qint64 id = m_store->upsertVm(vm);
    QVERIFY(id > 0);
    QCOMPARE(exchange(rawRequest("POST", "/webhook", auth,
                                 R"({"resourceGroup":"RG-SPOT","vmName":"VM-A"})"))
                 .status,
             202);
    QCOMPARE(m_ops->count(u"unconfirmed"_s), 1);
    QCOMPARE(m_ops->calls.constFirst().vmId, id);
    QCOMPARE(m_ops->count(u"notice"_s), 0); // never the confirmed path
    QCOMPARE(storedEvents(), 0);
}

void TestWebhookListener::healthAndMetrics()
{
    startServer();
    m_listener->setCredentialStatusProvider([] { return u"ok (client secret)"_s; });
    const auto health = exchange(rawRequest("GET", "/healthz", {}, {}));
    QCOMPARE(health.status, 200);
    QCOMPARE(json(health).value(u"store"_s).toString(), u"ok"_s);
    QCOMPARE(json(health).value(u"credential"_s).toString(), u"ok (client secret)"_s);
    QCOMPARE(exchange(rawRequest("POST", "/healthz", {}, "{}")).status, 405);

    const SignedRequest other = signedNotice(u"vm-b"_s, 1, u"msg_m"_s);
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/notices", other.headers, other.body)).status,
             403);
    const SignedRequest good = signedNotice(u"vm-a"_s, 1, u"msg_g"_s);
    QCOMPARE(exchange(rawRequest("POST", "/api/v1/notices", good.headers, good.body)).status, 200);

    const auto metrics = exchange(rawRequest("GET", "/metrics", {}, {}));
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.header("Content-Type").startsWith("text/plain"));
    QVERIFY(
        metrics.body.contains("spotkeeper_listener_rejections_total{reason=\"vm_mismatch\"} 1\n"));
    QVERIFY(metrics.body.contains("spotkeeper_listener_notices_total{result=\"stored\"} 1\n"));
    QVERIFY(metrics.body.contains("spotkeeper_notices_stored_total 1\n"));
    QVERIFY(metrics.body.contains("spotkeeper_jobs{state=\"waiting_for_deallocation\"} 0\n"));
    QVERIFY(!metrics.body.contains(m_secrets.constFirst().toString().toUtf8()));
}

QTEST_GUILESS_MAIN(TestWebhookListener)
#include "tst_webhooklistener.moc"
