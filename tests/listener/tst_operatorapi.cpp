// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/restartengine.h"
#include "export/csvexport.h"
#include "fleet/cloudprovider.h"
#include "http/httpserver.h"
#include "listener/operatorapi.h"
#include "listener/webhooklistener.h"
#include "operatorapi/operatorapijson.h"
#include "protocol/messagecodec.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/http/rawhttpclient.h"
#include "support/listener/listenertestkit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::listenertest;
using namespace Qt::StringLiterals;

namespace {

// A cloud that never answers: the operator API is under test, not the restart path.
class SilentCloud final : public core::CloudProvider
{
public:
    QString name() const override { return u"silent"_s; }
    void powerState(const core::VmRecord & /*vm*/,
                    std::function<void(core::PowerStateResult)> /*done*/) override
    { }
    void start(const core::VmRecord & /*vm*/, std::function<void(const QString &)> /*progress*/,
               std::function<void(core::StartResult)> /*done*/) override
    { }
    void resumeStart(const core::VmRecord & /*vm*/, const QString & /*asyncUrl*/,
                     std::function<void(core::StartResult)> /*done*/) override
    { }
    void listVms(const QString & /*subscriptionId*/, bool /*statusOnly*/,
                 std::function<void(core::ListResult)> /*done*/) override
    { }
    void evictionEvidence(const core::VmRecord & /*vm*/, const QDateTime & /*since*/,
                          std::function<void(core::EvidenceResult)> /*done*/) override
    { }
    void deallocate(const core::VmRecord & /*vm*/,
                    std::function<void(core::CallResult)> /*done*/) override
    { }
};

} // namespace

// The operator API on the listener, with the real RestartEngine behind it so every
// action's audit row is the one operators will see.
class TestOperatorApi : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void tokenIsRequired();
    void fleetAndEventsArePaged();
    void vmActionsAreAudited_data();
    void vmActionsAreAudited();
    void vmActionErrors();
    void agentKeyLifecycle();
    void operatorTokenLifecycle();
    void remoteDashboardReads();
    void addVmIsAudited();
    void costReportAsJsonAndCsv();
    void riskAsJsonAndCsv();
    void undoOfAFallbackChangeIsAudited();
    void notifyStatusPerChannel();

private:
    testsupport::RawResponse call(const QByteArray &method, const QByteArray &path,
                                  const QByteArray &body = {}, const QString &token = {});
    int postNotice(const QString &keyId, const QList<protocol::WebhookSecret> &secrets,
                   const QString &vmName, int eventNumber);
    static QJsonObject json(const testsupport::RawResponse &r)
    {
        return QJsonDocument::fromJson(r.body).object();
    }
    QList<core::AuditRecord> audit() { return m_store->audit({}, {}, 0); }
    // A Spot Standard_D2s_v3 in westeurope, running since `since`; its store id.
    qint64 addRunningSpotVm(const QString &name, const QDateTime &since);

    std::unique_ptr<testsupport::ManualClock> m_clock;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<SilentCloud> m_cloud;
    std::unique_ptr<core::RestartEngine> m_engine;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<core::WebhookListener> m_listener;
    QString m_token;
    QString m_tokenId;
    int m_webhookCounter = 0;
};

void TestOperatorApi::init()
{
    m_clock = std::make_unique<testsupport::ManualClock>();
    core::StoreError error;
    m_store =
        core::Store::open(core::StoreOptions {u":memory:"_s, false, 5000, m_clock.get()}, &error);
    QVERIFY2(m_store, qPrintable(error.message));
    m_cloud = std::make_unique<SilentCloud>();
    core::EngineConfig config;
    config.driveWithTimer = false;
    config.seed = 7;
    m_engine = std::make_unique<core::RestartEngine>(*m_store, *m_cloud, *m_clock, config);
    m_server = std::make_unique<http::HttpServer>();
    m_listener = std::make_unique<core::WebhookListener>(*m_store, *m_engine, *m_clock);
    m_listener->attach(*m_server);
    QString message;
    QVERIFY2(m_server->listen(QHostAddress(QHostAddress::LocalHost), 0, &message),
             qPrintable(message));
    const auto token = m_listener->tokens().create(u"test"_s, 0, &message);
    QVERIFY2(token, qPrintable(message));
    m_token = token->token;
    m_tokenId = token->tokenId;
}

void TestOperatorApi::cleanup()
{
    m_listener.reset();
    m_server.reset();
    m_engine.reset();
    m_store.reset();
}

testsupport::RawResponse TestOperatorApi::call(const QByteArray &method, const QByteArray &path,
                                               const QByteArray &body, const QString &token)
{
    http::HeaderList headers;
    const QString bearer = token.isNull() ? m_token : token;
    if (!bearer.isEmpty())
        headers.append({"Authorization", "Bearer " + bearer.toUtf8()});
    testsupport::RawHttpClient client;
    if (!client.connectTo(m_server->serverPort()))
        return {};
    client.send(rawRequest(method, path, headers, body));
    return client.readResponse(10'000);
}

int TestOperatorApi::postNotice(const QString &keyId, const QList<protocol::WebhookSecret> &secrets,
                                const QString &vmName, int eventNumber)
{
    const QByteArray body =
        protocol::encodeNotice(makeNotice(vmName, newEventId(eventNumber), m_clock->nowUtc()));
    const SignedRequest request =
        sign(body, keyId, secrets, u"msg_"_s + QString::number(++m_webhookCounter),
             m_clock->nowUtc().toSecsSinceEpoch());
    testsupport::RawHttpClient client;
    if (!client.connectTo(m_server->serverPort()))
        return 0;
    client.send(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
    return client.readResponse(10'000).status;
}

void TestOperatorApi::tokenIsRequired()
{
    const auto none = call("GET", "/api/v1/vms", {}, u""_s);
    QCOMPARE(none.status, 401);
    QVERIFY(none.header("WWW-Authenticate").startsWith("Bearer"));
    QCOMPARE(json(none).value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"unauthorized"_s);
    QCOMPARE(call("GET", "/api/v1/vms", {}, u"skop_not-a-token"_s).status, 401);
    QCOMPARE(call("GET", "/api/v1/vms", {}, m_token + u"x"_s).status, 401);
    QCOMPARE(call("GET", "/api/v1/vms").status, 200);
    // Once authenticated, an unknown operator path is 404.
    QCOMPARE(call("GET", "/api/v1/nothing").status, 404);

    QString error;
    const auto shortLived = m_listener->tokens().create(u"test"_s, 60, &error);
    QVERIFY(shortLived);
    QCOMPARE(call("GET", "/api/v1/vms", {}, shortLived->token).status, 200);
    m_clock->advanceMSecs(61'000);
    QCOMPARE(call("GET", "/api/v1/vms", {}, shortLived->token).status, 401);
}

void TestOperatorApi::fleetAndEventsArePaged()
{
    QString error;
    core::KeyError code = core::KeyError::None;
    const auto key = m_listener->keys().generate(vmResourceId(u"vm-a"_s), u"test"_s, &code, &error);
    QVERIFY(key);
    QCOMPARE(postNotice(key->keyId, {key->secret}, u"vm-a"_s, 1), 200);

    const auto vms = call("GET", "/api/v1/vms");
    QCOMPARE(vms.status, 200);
    const QJsonArray fleet = json(vms).value(u"vms"_s).toArray();
    QCOMPARE(fleet.size(), 1);
    const QJsonObject vm = fleet.at(0).toObject();
    QCOMPARE(vm.value(u"name"_s).toString(), u"vm-a"_s);
    QCOMPARE(vm.value(u"resourceId"_s).toString(), vmResourceId(u"vm-a"_s));
    // The Preempt notice made the engine open a job: state, attempts, next retry, error.
    const QJsonObject job = vm.value(u"job"_s).toObject();
    QVERIFY(!job.isEmpty());
    QVERIFY(!job.value(u"state"_s).toString().isEmpty());
    QVERIFY(job.contains(u"attempts"_s));
    QVERIFY(job.contains(u"nextRetryAt"_s));
    QVERIFY(job.contains(u"lastError"_s));

    const qint64 vmId = qint64(vm.value(u"id"_s).toDouble());
    for (int i = 0; i < 5; ++i) {
        core::EventRecord event;
        event.vmId = vmId;
        event.kind = core::EventKind::Alert;
        event.at = m_clock->nowUtc().addSecs(i);
        event.source = u"test"_s;
        event.message = u"alert "_s + QString::number(i);
        QVERIFY(m_store->appendEvent(event) > 0);
    }
    core::EventFilter all;
    all.vmId = vmId;
    all.limit = 0;
    const qint64 total = m_store->eventCount(all);
    QVERIFY(total >= 6);

    // Page through everything for this VM, two at a time, newest first.
    QList<qint64> seen;
    QByteArray path =
        "/api/v1/events?limit=2&vm=" + QUrl::toPercentEncoding(vmResourceId(u"vm-a"_s));
    for (int page = 0; page < 20; ++page) {
        const auto r = call("GET", path);
        QCOMPARE(r.status, 200);
        const QJsonArray events = json(r).value(u"events"_s).toArray();
        for (const auto &e : events)
            seen.append(qint64(e.toObject().value(u"id"_s).toDouble()));
        const QJsonValue cursor = json(r).value(u"nextCursor"_s);
        if (cursor.isNull())
            break;
        path = "/api/v1/events?limit=2&vm=" + QUrl::toPercentEncoding(vmResourceId(u"vm-a"_s))
            + "&cursor=" + cursor.toString().toUtf8();
    }
    QCOMPARE(seen.size(), total);
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY(seen.at(i) < seen.at(i - 1));

    const auto alerts = call("GET", "/api/v1/events?type=alert&limit=100");
    QCOMPARE(json(alerts).value(u"events"_s).toArray().size(), 5);
    const auto notices = call("GET", "/api/v1/events?type=notice");
    QCOMPARE(json(notices).value(u"events"_s).toArray().size(), 1);
    const auto future = call("GET", "/api/v1/events?from=2099-01-01T00:00:00Z");
    QCOMPARE(json(future).value(u"events"_s).toArray().size(), 0);

    const auto badType = call("GET", "/api/v1/events?type=bogus");
    QCOMPARE(badType.status, 400);
    QVERIFY(json(badType)
                .value(u"error"_s)
                .toObject()
                .value(u"message"_s)
                .toString()
                .contains(u"bogus"_s));
    QCOMPARE(call("GET", "/api/v1/events?from=yesterday").status, 400);
    QCOMPARE(call("GET", "/api/v1/events?limit=0").status, 400);
    QCOMPARE(call("GET", "/api/v1/events?vm=/subscriptions/x").status, 404);
    QCOMPARE(call("POST", "/api/v1/events", "{}").status, 405);
}

void TestOperatorApi::vmActionsAreAudited_data()
{
    QTest::addColumn<QByteArray>("action");
    QTest::addColumn<QString>("audited");
    QTest::newRow("restart") << QByteArray("restart") << u"force_restart"_s;
    QTest::newRow("pause") << QByteArray("pause") << u"pause"_s;
    QTest::newRow("resume") << QByteArray("resume") << u"resume"_s;
    QTest::newRow("cancel") << QByteArray("cancel") << u"cancel"_s;
    QTest::newRow("stop") << QByteArray("stop") << u"stop_on_purpose"_s;
    QTest::newRow("start") << QByteArray("start") << u"start"_s;
}

void TestOperatorApi::vmActionsAreAudited()
{
    QFETCH(QByteArray, action);
    QFETCH(QString, audited);
    QString error;
    core::KeyError code = core::KeyError::None;
    const auto key = m_listener->keys().generate(vmResourceId(u"vm-a"_s), u"test"_s, &code, &error);
    QVERIFY(key);
    QCOMPARE(postNotice(key->keyId, {key->secret}, u"vm-a"_s, 1), 200);

    const qsizetype before = audit().size();
    const QByteArray path =
        "/api/v1/vms/" + kSubscription.toUtf8() + '/' + kGroup.toUtf8() + "/vm-a/" + action;
    const auto response = call("POST", path);
    QVERIFY2(response.status == 200 || response.status == 409, response.body.constData());
    const QList<core::AuditRecord> rows = audit();
    QCOMPARE(rows.size(), before + 1);
    QCOMPARE(rows.constLast().actor, u"api:"_s + m_tokenId);
    QVERIFY2(rows.constLast().action.contains(audited), qPrintable(rows.constLast().action));
    if (action == "stop") {
        // The fleet shows who stopped it on purpose.
        const auto fleet = json(call("GET", "/api/v1/vms"));
        const QJsonObject vm = fleet.value(u"vms"_s).toArray().at(0).toObject();
        QCOMPARE(vm.value(u"desiredState"_s).toString(), u"stopped"_s);
        QCOMPARE(vm.value(u"stoppedOnPurpose"_s).toString(),
                 u"Stopped on purpose by api:"_s + m_tokenId);
    }
}

void TestOperatorApi::vmActionErrors()
{
    const qsizetype before = audit().size();
    const QByteArray base = "/api/v1/vms/" + kSubscription.toUtf8() + '/' + kGroup.toUtf8();
    QCOMPARE(call("POST", base + "/vm-unknown/restart").status, 404);
    QCOMPARE(call("POST", base + "/vm-a/explode").status, 404);
    QCOMPARE(call("GET", base + "/vm-a/restart").status, 405);
    // Neither a subscription GUID nor a Google Cloud project id ("not-a-guid" would be one).
    QCOMPARE(call("POST", "/api/v1/vms/Not_A_Guid/rg/vm-a/restart").status, 400);
    // A Google Cloud VM's path (project/zone/name) the fleet does not hold.
    QCOMPARE(call("POST", "/api/v1/vms/spot-fleet-1/europe-west1-b/worker-7/restart").status, 404);
    QCOMPARE(call("POST", base + "/vm-a./restart").status, 400);
    QCOMPARE(audit().size(), before);
}

void TestOperatorApi::agentKeyLifecycle()
{
    const qsizetype auditBefore = audit().size();
    const QByteArray vmBody =
        QJsonDocument(QJsonObject {{u"vm"_s, vmResourceId(u"vm-a"_s)}}).toJson();
    QCOMPARE(call("POST", "/api/v1/keys", R"({"vm":"vm-a"})").status, 400);
    QCOMPARE(call("POST", "/api/v1/keys", "{oops").status, 400);
    const auto generated = call("POST", "/api/v1/keys", vmBody);
    QCOMPARE(generated.status, 201);
    const QString keyId = json(generated).value(u"keyId"_s).toString();
    const QString secretText = json(generated).value(u"secret"_s).toString();
    QVERIFY(secretText.startsWith(u"whsec_"_s));
    QString parseError;
    const auto credential = protocol::AgentCredential::parse(
        json(generated).value(u"credentialFile"_s).toString().toUtf8(), &parseError);
    QVERIFY2(credential, qPrintable(parseError));
    QCOMPARE(credential->keyId, keyId);
    const protocol::WebhookSecret oldSecret = *protocol::WebhookSecret::fromString(secretText);
    QCOMPARE(credential->secrets, QList<protocol::WebhookSecret> {oldSecret});
    QCOMPARE(postNotice(keyId, {oldSecret}, u"vm-a"_s, 1), 200);

    // Listing never shows a secret.
    const auto listed = call("GET", "/api/v1/keys");
    QCOMPARE(listed.status, 200);
    QVERIFY(listed.body.contains(keyId.toUtf8()));
    QVERIFY(!listed.body.contains(secretText.mid(6, 20).toUtf8()));

    // The overlap is bounded (a rotation must end the old secret) and checked as a
    // number before any cast.
    for (const QByteArray &body :
         {QByteArray(R"({"overlapSeconds":1e300})"), QByteArray(R"({"overlapSeconds":7776001})"),
          QByteArray(R"({"overlapSeconds":-1})")}) {
        const auto refused = call("POST", "/api/v1/keys/" + keyId.toUtf8() + "/rotate", body);
        QCOMPARE(refused.status, 400);
    }

    // Rotate with a one-hour overlap: both secrets work, then only the new one.
    const auto rotated =
        call("POST", "/api/v1/keys/" + keyId.toUtf8() + "/rotate", R"({"overlapSeconds":3600})");
    QCOMPARE(rotated.status, 200);
    const protocol::WebhookSecret newSecret =
        *protocol::WebhookSecret::fromString(json(rotated).value(u"secret"_s).toString());
    QVERIFY(!(newSecret == oldSecret));
    QCOMPARE(postNotice(keyId, {oldSecret}, u"vm-a"_s, 2), 200);
    QCOMPARE(postNotice(keyId, {newSecret}, u"vm-a"_s, 3), 200);
    m_clock->advanceMSecs(3601'000);
    QCOMPARE(postNotice(keyId, {oldSecret}, u"vm-a"_s, 4), 401);
    QCOMPARE(postNotice(keyId, {newSecret}, u"vm-a"_s, 5), 200);
    QVERIFY(!call("GET", "/api/v1/keys")
                 .body.contains(json(rotated).value(u"secret"_s).toString().mid(6, 20).toUtf8()));

    QCOMPARE(call("POST", "/api/v1/keys/key_unknown/rotate").status, 404);
    QCOMPARE(call("POST", "/api/v1/keys/" + keyId.toUtf8() + "/revoke").status, 200);
    QCOMPARE(postNotice(keyId, {newSecret}, u"vm-a"_s, 6), 401);
    QCOMPARE(call("POST", "/api/v1/keys/" + keyId.toUtf8() + "/revoke").status, 409);
    QCOMPARE(call("POST", "/api/v1/keys/" + keyId.toUtf8() + "/rotate").status, 409);

    QStringList actions;
    const QList<core::AuditRecord> rows = audit();
    for (qsizetype i = auditBefore; i < rows.size(); ++i) {
        if (rows.at(i).actor == u"api:"_s + m_tokenId)
            actions.append(rows.at(i).action);
        QVERIFY(!rows.at(i).detail.contains(secretText.mid(6)));
    }
    QCOMPARE(actions, (QStringList {u"key_generate"_s, u"key_rotate"_s, u"key_revoke"_s}));
}

void TestOperatorApi::operatorTokenLifecycle()
{
    const auto created = call("POST", "/api/v1/tokens", R"({"validSeconds":3600})");
    QCOMPARE(created.status, 201);
    const QString token = json(created).value(u"token"_s).toString();
    const QString tokenId = json(created).value(u"tokenId"_s).toString();
    QCOMPARE(call("GET", "/api/v1/vms", {}, token).status, 200);
    const auto listed = call("GET", "/api/v1/tokens");
    QVERIFY(listed.body.contains(tokenId.toUtf8()));
    QVERIFY(!listed.body.contains(token.toUtf8()));
    QCOMPARE(call("POST", "/api/v1/tokens/" + tokenId.toUtf8() + "/revoke").status, 200);
    QCOMPARE(call("GET", "/api/v1/vms", {}, token).status, 401);
    QCOMPARE(call("POST", "/api/v1/tokens", R"({"validSeconds":"soon"})").status, 400);

    const QList<core::AuditRecord> rows = audit();
    QStringList actions;
    for (const core::AuditRecord &row : rows) {
        if (row.actor == u"api:"_s + m_tokenId)
            actions.append(row.action + u' ' + row.target);
    }
    QCOMPARE(actions, (QStringList {u"token_create "_s + tokenId, u"token_revoke "_s + tokenId}));
}

// What a remote dashboard (RemoteFleetSource) reads: events after a cursor (oldest first),
// one VM's jobs, the audit log after a row; each with its bad-query answers.
void TestOperatorApi::remoteDashboardReads()
{
    QString error;
    core::KeyError code = core::KeyError::None;
    const auto key = m_listener->keys().generate(vmResourceId(u"vm-a"_s), u"test"_s, &code, &error);
    QVERIFY(key);
    QCOMPARE(postNotice(key->keyId, {key->secret}, u"vm-a"_s, 1), 200);
    const QJsonObject vm =
        json(call("GET", "/api/v1/vms")).value(u"vms"_s).toArray().at(0).toObject();
    const qint64 vmId = qint64(vm.value(u"id"_s).toDouble());
    QVERIFY(vm.contains(u"zone"_s)); // the fields the fleet table shows
    QVERIFY(vm.contains(u"size"_s));
    QVERIFY(vm.value(u"job"_s).toObject().contains(u"evictedAt"_s));
    for (int i = 0; i < 4; ++i) {
        core::EventRecord event;
        event.vmId = vmId;
        event.kind = core::EventKind::Alert;
        event.at = m_clock->nowUtc().addSecs(i);
        event.message = u"alert "_s + QString::number(i);
        QVERIFY(m_store->appendEvent(event) > 0);
    }
    // after=0 pages from the oldest; nextAfter continues until everything is read.
    QList<qint64> seen;
    QByteArray path = "/api/v1/events?limit=2&after=0";
    for (int page = 0; page < 20; ++page) {
        const auto r = call("GET", path);
        QCOMPARE(r.status, 200);
        for (const auto &e : json(r).value(u"events"_s).toArray())
            seen.append(qint64(e.toObject().value(u"id"_s).toDouble()));
        const QJsonValue next = json(r).value(u"nextAfter"_s);
        if (next.isNull())
            break;
        path = "/api/v1/events?limit=2&after=" + next.toString().toUtf8();
    }
    core::EventFilter all;
    all.limit = 0;
    QCOMPARE(seen.size(), m_store->eventCount(all));
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY(seen.at(i) > seen.at(i - 1));
    const auto tail = call("GET", "/api/v1/events?after=" + QByteArray::number(seen.at(1)));
    QCOMPARE(json(tail).value(u"events"_s).toArray().size(), seen.size() - 2);
    QCOMPARE(call("GET", "/api/v1/events?after=-1").status, 400);
    QCOMPARE(call("GET", "/api/v1/events?after=x").status, 400);

    const auto jobs = call("GET", "/api/v1/jobs?vm=" + QByteArray::number(vmId));
    QCOMPARE(jobs.status, 200);
    const QJsonArray jobList = json(jobs).value(u"jobs"_s).toArray();
    QCOMPARE(jobList.size(), m_store->jobs(vmId, 50).size());
    QVERIFY(!jobList.isEmpty());
    QCOMPARE(qint64(jobList.at(0).toObject().value(u"vmId"_s).toDouble()), vmId);
    QCOMPARE(
        call("GET", "/api/v1/jobs?vm=" + QUrl::toPercentEncoding(vmResourceId(u"vm-a"_s))).status,
        200);
    QCOMPARE(call("GET", "/api/v1/jobs").status, 400);
    QCOMPARE(call("GET", "/api/v1/jobs?vm=999999").status, 404);
    QCOMPARE(call("GET", "/api/v1/jobs?vm=1&limit=0").status, 400);
    QCOMPARE(call("POST", "/api/v1/jobs").status, 405);

    const QByteArray action =
        "/api/v1/vms/" + kSubscription.toUtf8() + '/' + kGroup.toUtf8() + "/vm-a/pause";
    QCOMPARE(call("POST", action).status, 200);
    const QList<core::AuditRecord> rows = audit();
    QVERIFY(rows.size() >= 2);
    const auto auditAll = call("GET", "/api/v1/audit");
    QCOMPARE(auditAll.status, 200);
    const QJsonArray auditRows = json(auditAll).value(u"audit"_s).toArray();
    QCOMPARE(auditRows.size(), rows.size());
    QCOMPARE(auditRows.last().toObject().value(u"action"_s).toString(), rows.constLast().action);
    QCOMPARE(auditRows.last().toObject().value(u"actor"_s).toString(), u"api:"_s + m_tokenId);
    const auto newer =
        call("GET", "/api/v1/audit?after=" + QByteArray::number(rows.at(rows.size() - 2).id));
    QCOMPARE(json(newer).value(u"audit"_s).toArray().size(), 1);
    QCOMPARE(json(call("GET", "/api/v1/audit?from=2099-01-01T00:00:00Z"))
                 .value(u"audit"_s)
                 .toArray()
                 .size(),
             0);
    QCOMPARE(call("GET", "/api/v1/audit?from=yesterday").status, 400);
    QCOMPARE(call("GET", "/api/v1/audit?limit=99999").status, 400);
    QCOMPARE(call("GET", "/api/v1/audit?after=-3").status, 400);
    QCOMPARE(call("DELETE", "/api/v1/audit").status, 405);
}

void TestOperatorApi::addVmIsAudited()
{
    const qsizetype before = audit().size();
    const QString id = vmResourceId(u"vm-new"_s);
    const auto added =
        call("POST", "/api/v1/vms", QJsonDocument(QJsonObject {{u"resourceId"_s, id}}).toJson());
    QVERIFY2(added.status == 200, added.body.constData());
    QCOMPARE(json(added).value(u"vm"_s).toObject().value(u"name"_s).toString(), u"vm-new"_s);
    QVERIFY(m_store->vmByKey(id.toLower()));
    QCOMPARE(audit().size(), before + 1);
    QCOMPARE(audit().constLast().actor, u"api:"_s + m_tokenId);
    QCOMPARE(call("POST", "/api/v1/vms", "{oops").status, 400);
    QCOMPARE(call("POST", "/api/v1/vms", R"({"resourceId": 5})").status, 400);
    QCOMPARE(call("PUT", "/api/v1/vms").status, 405);
    QCOMPARE(audit().size(), before + 1); // a malformed request never reaches the engine
    // A well-formed request for something that is no VM is the engine's to refuse (and audit).
    const auto refused = call("POST", "/api/v1/vms", R"({"resourceId": "/not/a/vm"})");
    QCOMPARE(refused.status, 400);
    QVERIFY(!json(refused).value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
}

qint64 TestOperatorApi::addRunningSpotVm(const QString &name, const QDateTime &since)
{
    core::VmRecord vm;
    vm.resourceId = vmResourceId(name);
    vm.name = name;
    vm.location = u"westeurope"_s;
    vm.size = u"Standard_D2s_v3"_s;
    vm.priority = u"Spot"_s;
    vm.powerState = core::PowerState::Running;
    vm.powerStateAt = since;
    return m_store->upsertVm(vm);
}

// GET /api/v1/cost: the store's cost report as JSON (decoded by the dashboard's codec) and
// as CSV with the export's columns; bad queries are 400s.
void TestOperatorApi::costReportAsJsonAndCsv()
{
    // One Spot D2s_v3 in westeurope running since the clock's start (T0), prices per hour
    // 0.02 Spot and 0.10 pay-as-you-go; the clock at T0 + 10 h: 10 running hours,
    // spot 0.20, payg 1.00, savings 0.80.
    const QDateTime t0 = m_clock->nowUtc();
    QVERIFY(addRunningSpotVm(u"vm-cost"_s, t0) > 0);
    core::PriceRecord spot;
    spot.region = u"westeurope"_s;
    spot.size = u"standard_d2s_v3"_s;
    spot.kind = core::PriceKind::Spot;
    spot.perHour = 0.02;
    core::PriceRecord payg = spot;
    payg.kind = core::PriceKind::PayAsYouGo;
    payg.perHour = 0.10;
    QVERIFY(m_store->savePrices({spot, payg}));
    m_clock->advanceMSecs(10 * 3'600'000LL);
    const QByteArray range = "from=" + QUrl::toPercentEncoding(t0.toString(Qt::ISODateWithMs))
        + "&to=" + QUrl::toPercentEncoding(t0.addDays(1).toString(Qt::ISODateWithMs));

    const auto answer = call("GET", "/api/v1/cost?" + range + "&groupBy=vm&bucketSeconds=3600");
    QCOMPARE(answer.status, 200);
    const std::optional<core::CostReport> report = core::costReportFromJson(json(answer));
    QVERIFY(report);
    QCOMPARE(report->rows.size(), 1);
    QCOMPARE(report->rows.at(0).label, u"vm-cost"_s);
    QVERIFY(std::abs(report->rows.at(0).runningHours - 10.0) < 1e-9);
    QVERIFY(std::abs(report->rows.at(0).savings() - 0.80) < 1e-9);
    QCOMPARE(report->series.size(), 24);
    QVERIFY(std::abs(report->series.at(9).runningHours - 1.0) < 1e-9);
    QVERIFY(std::abs(report->series.at(10).runningHours) < 1e-9); // after now
    QVERIFY(report->query.groupBy == core::CostGroup::Vm);
    QVERIFY(json(answer).value(u"assumptions"_s).toArray().size() >= 3);

    const auto csv = call("GET", "/api/v1/cost?" + range + "&format=csv&bucketSeconds=0");
    QCOMPARE(csv.status, 200);
    QVERIFY(csv.header("Content-Type").startsWith("text/csv"));
    const QList<QByteArray> lines = csv.body.split('\n');
    QCOMPARE(QString::fromUtf8(lines.at(0)).trimmed(), core::costCsvColumns().join(u','));
    QVERIFY(lines.at(1).startsWith("size,standard_d2s_v3,Standard_D2s_v3,1,10,0.2,1,0.8,"));

    QCOMPARE(call("GET", "/api/v1/cost?groupBy=planet").status, 400);
    QCOMPARE(call("GET", "/api/v1/cost?bucketSeconds=1").status, 400); // 2.6 million points
    QCOMPARE(call("GET", "/api/v1/cost?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z").status,
             400);
    QCOMPARE(call("GET", "/api/v1/cost?format=xml").status, 400);
    QCOMPARE(call("POST", "/api/v1/cost").status, 405);
    QCOMPARE(call("GET", "/api/v1/cost", {}, u""_s).status, 401); // the token is required
}

void TestOperatorApi::riskAsJsonAndCsv()
{
    // One Spot D2s_v3 in westeurope running since T0, evicted at T0 + 4 h and back 2 h later
    // (a notice job), the clock at T0 + 10 h: 8 running hours, 1 eviction = 3 per VM-day,
    // recovered in 2 h; the published band "0-5" read at T0.
    const QDateTime t0 = m_clock->nowUtc();
    const qint64 id = addRunningSpotVm(u"vm-risk"_s, t0);
    QVERIFY(id > 0);
    QVERIFY(m_store->setPowerState(id, core::PowerState::Deallocated, t0.addSecs(4LL * 3600)));
    QVERIFY(m_store->setPowerState(id, core::PowerState::Running, t0.addSecs(6LL * 3600)));
    core::JobRecord job;
    job.vmId = id;
    job.trigger = u"notice"_s;
    job.evictedAt = t0.addSecs(4LL * 3600);
    job.createdAt = job.evictedAt;
    job.state = core::JobState::Running;
    job.finishedAt = t0.addSecs(6LL * 3600);
    bool created = false;
    QVERIFY(m_store->createJob(job, &created) && created);
    QVERIFY(m_store->saveEvictionBands(
        {core::EvictionBand {u"westeurope"_s, u"standard_d2s_v3"_s, u"0-5"_s, 0, 0, t0}}));
    m_clock->advanceMSecs(10 * 3'600'000LL);
    const QByteArray range = "from=" + QUrl::toPercentEncoding(t0.toString(Qt::ISODateWithMs))
        + "&to=" + QUrl::toPercentEncoding(t0.addDays(1).toString(Qt::ISODateWithMs));

    const auto answer = call("GET", "/api/v1/risk?" + range);
    QCOMPARE(answer.status, 200);
    const QJsonArray rows = json(answer).value(u"rows"_s).toArray();
    QCOMPARE(rows.size(), 1);
    const core::RiskRow row = core::riskRowFromJson(rows.at(0).toObject());
    QCOMPARE(row.size, u"standard_d2s_v3"_s);
    QCOMPARE(row.region, u"westeurope"_s);
    QCOMPARE(row.evictions, 1);
    QVERIFY(std::abs(row.runningHours - 8.0) < 1e-9);
    QVERIFY(std::abs(rows.at(0).toObject().value(u"evictionsPerVmDay"_s).toDouble() - 3.0) < 1e-9);
    QVERIFY(std::abs(row.medianRecoveryHours - 2.0) < 1e-9);
    QCOMPARE(row.band, u"0-5"_s);
    QCOMPARE(row.bandFetchedAt, t0);
    QVERIFY(!row.flagged); // one eviction: below the rule's minimum
    QVERIFY(json(answer).value(u"rule"_s).toString().contains(u"upper bound"_s));

    // The cost report carries the same rows with risk=true, and round-trips through the codec.
    const auto cost = call("GET", "/api/v1/cost?" + range + "&risk=true");
    QCOMPARE(cost.status, 200);
    const std::optional<core::CostReport> report = core::costReportFromJson(json(cost));
    QVERIFY(report);
    QVERIFY(report->query.risk);
    QCOMPARE(report->risk.size(), 1);
    QCOMPARE(report->risk.at(0).band, u"0-5"_s);
    QCOMPARE(report->risk.at(0).bandHighPercent, 5.0);
    QVERIFY(!json(call("GET", "/api/v1/cost?" + range)).contains(u"risk"_s));

    const auto csv = call("GET", "/api/v1/risk?" + range + "&format=csv");
    QCOMPARE(csv.status, 200);
    QVERIFY(csv.header("Content-Disposition").contains("risk.csv"));
    const QList<QByteArray> lines = csv.body.split('\n');
    QCOMPARE(QString::fromUtf8(lines.at(0)).trimmed(), core::riskCsvColumns().join(u','));
    QVERIFY2(lines.at(1).startsWith("Standard_D2s_v3,westeurope,1,8,1,3,12.5,1,2,0-5,"),
             lines.at(1).constData());
    QVERIFY(lines.at(1).contains(",no,"));

    QCOMPARE(call("GET", "/api/v1/cost?risk=maybe").status, 400);
    QCOMPARE(call("POST", "/api/v1/risk").status, 405);
    QCOMPARE(call("GET", "/api/v1/risk", {}, u""_s).status, 401);
}

QTEST_GUILESS_MAIN(TestOperatorApi)
void TestOperatorApi::undoOfAFallbackChangeIsAudited()
{
    core::VmRecord vm;
    vm.resourceId = vmResourceId(u"vm-b"_s);
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = kSubscription;
    vm.resourceGroup = kGroup;
    vm.name = u"vm-b"_s;
    vm.size = u"Standard_D4s_v5"_s;
    vm.powerState = core::PowerState::Deallocated;
    QVERIFY(m_store->upsertVm(vm) > 0);
    core::AuditRecord change;
    change.at = m_clock->nowUtc();
    change.actor = u"engine"_s;
    change.action = QLatin1StringView(core::kAuditFallbackResize);
    change.target = vm.resourceKey;
    change.detail = core::encodeFallbackChange(
        {u"size"_s, u"Standard_D2s_v5"_s, u"Standard_D4s_v5"_s, false, u"capacity"_s});
    const qint64 id = m_store->appendAudit(change);
    QVERIFY(id > 0);

    QCOMPARE(call("GET", "/api/v1/audit/" + QByteArray::number(id) + "/undo").status, 405);
    QCOMPARE(call("POST", "/api/v1/audit/x/undo").status, 400);
    QCOMPARE(call("POST", "/api/v1/audit/999999/undo").status, 404);
    const auto response = call("POST", "/api/v1/audit/" + QByteArray::number(id) + "/undo");
    QVERIFY2(response.status == 200, response.body.constData());
    // The silent cloud cannot resize: the undo's row says so, with the token as actor.
    const QList<core::AuditRecord> rows = audit();
    QCOMPARE(rows.constLast().action, QLatin1StringView(core::kAuditFallbackUndo));
    QCOMPARE(rows.constLast().actor, u"api:"_s + m_tokenId);
    const auto undo = core::decodeFallbackChange(rows.constLast().detail);
    QVERIFY(undo);
    QCOMPARE(undo->undoes, id);
    QCOMPARE(undo->after, u"Standard_D2s_v5"_s);
    QVERIFY2(undo->error.contains(u"SettingsChangeNotSupported"_s), qPrintable(undo->error));
}

void TestOperatorApi::notifyStatusPerChannel()
{
    // Without a notifier: no channels (the dashboard shows none), not an error.
    auto empty = call("GET", "/api/v1/notify/status");
    QCOMPARE(empty.status, 200);
    QVERIFY(json(empty).value(u"channels"_s).toArray().isEmpty());

    core::ChannelStatus ops;
    ops.name = u"ops"_s;
    ops.type = core::ChannelType::Slack;
    ops.pending = 2;
    ops.delivered = 40;
    ops.failed = 1;
    ops.lastSuccess = m_clock->nowUtc().addSecs(-90);
    ops.lastError = u"HTTP 503"_s;
    core::ChannelStatus mail;
    mail.name = u"mail"_s;
    mail.type = core::ChannelType::Smtp;
    int asked = 0;
    m_listener->operatorApi().setNotifyStatusProvider([&] {
        ++asked;
        return QList<core::ChannelStatus> {ops, mail};
    });
    QCOMPARE(call("GET", "/api/v1/notify/status", {}, u""_s).status, 401);
    QCOMPARE(asked, 0);
    QCOMPARE(call("POST", "/api/v1/notify/status").status, 405);
    const auto reply = call("GET", "/api/v1/notify/status");
    QCOMPARE(reply.status, 200);
    QCOMPARE(asked, 1);
    const QJsonArray channels = json(reply).value(u"channels"_s).toArray();
    QCOMPARE(channels.size(), 2);
    const QJsonObject first = channels.at(0).toObject();
    QCOMPARE(first.value(u"name"_s).toString(), u"ops"_s);
    QCOMPARE(first.value(u"type"_s).toString(), u"slack"_s);
    QCOMPARE(first.value(u"pending"_s).toInt(), 2);
    QCOMPARE(first.value(u"failed"_s).toInt(), 1);
    QCOMPARE(first.value(u"lastError"_s).toString(), u"HTTP 503"_s);
    // What the remote dashboard decodes is what the server had.
    const auto decoded = core::channelStatusFromJson(first);
    QVERIFY(decoded);
    QCOMPARE(decoded->name, ops.name);
    QVERIFY(decoded->type == ops.type);
    QCOMPARE(decoded->pending, ops.pending);
    QCOMPARE(decoded->delivered, ops.delivered);
    QCOMPARE(decoded->failed, ops.failed);
    QCOMPARE(decoded->lastSuccess, ops.lastSuccess);
    QCOMPARE(decoded->lastError, ops.lastError);
    const auto second = core::channelStatusFromJson(channels.at(1).toObject());
    QVERIFY(second);
    QVERIFY(second->type == core::ChannelType::Smtp);
    QVERIFY(!second->lastSuccess.isValid());
    QVERIFY(second->lastError.isEmpty());
    QVERIFY(!core::channelStatusFromJson(QJsonObject {{u"type"_s, u"slack"_s}}));
}

#include "tst_operatorapi.moc"
