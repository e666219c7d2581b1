// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's AWS instances and their IMDSv2 (/aws-imds/{name}/latest/...): the session
// token rule (401 without, with an expired one or another instance's; 400 without a TTL; 403
// when forwarded), the agent's own Ec2MetadataSource reading identity and seeing the
// interruption with its request's behaviour and a rebalance recommendation, the model's
// checks of an instance, and AWS instances kept out of Azure's routes.
#include "agentcore/ec2metadatasource.h"
#include "sim/fleetmodel.h"
#include "sim/scenario.h"
#include "sim/simserver.h"
#include "support/base/manualclock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 15'000;

SimVm awsVm(const QString &name, const QString &behaviour)
{
    SimVm vm;
    vm.awsAccount = u"123456789012"_s;
    vm.name = name;
    vm.location = u"eu-west-1"_s;
    vm.size = u"m5.large"_s;
    vm.awsInterruptionBehavior = behaviour;
    return vm;
}

struct Rig
{
    testsupport::ManualClock simClock;
    testsupport::ManualClock wallClock; // token lifetimes
    FleetModel model {simClock, 5};
    SimServer server {model, wallClock};
    QNetworkAccessManager network;

    Rig()
    {
        QString error;
        for (const QString &behaviour : {u"terminate"_s, u"stop"_s, u"hibernate"_s}) {
            if (model.addVm(awsVm(u"ec2-"_s + behaviour, behaviour), &error) < 0)
                qFatal("addVm: %s", qPrintable(error));
        }
        SimVm az;
        az.subscriptionId = u"00000000-0000-4000-8000-000000000001"_s;
        az.resourceGroup = u"rg"_s;
        az.name = u"azure-1"_s;
        az.location = u"eastus"_s;
        az.size = u"Standard_D2s_v5"_s;
        model.addVm(az);
        network.setProxy(QNetworkProxy::NoProxy);
        if (!server.listen(0, &error))
            qFatal("listen: %s", qPrintable(error));
    }
    QUrl url(const QString &vm, const QString &path = {}) const
    {
        return QUrl(server.baseUrl() + u"/aws-imds/"_s + vm + path);
    }
    // status and body of one request
    std::pair<int, QByteArray> send(const QByteArray &verb, const QUrl &url,
                                    const QList<std::pair<QByteArray, QByteArray>> &headers)
    {
        QNetworkRequest request(url);
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply *reply = network.sendCustomRequest(request, verb);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(kWaitMs))
            return {-1, {}};
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return {status, body};
    }
    QByteArray token(const QString &vm, int ttl = 60)
    {
        const auto [status, body] =
            send("PUT", url(vm, u"/latest/api/token"_s),
                 {{"X-aws-ec2-metadata-token-ttl-seconds", QByteArray::number(ttl)}});
        return status == 200 ? body : QByteArray();
    }
};

agent::Ec2Timing timing()
{
    agent::Ec2Timing t;
    t.pollIntervalMs = 100;
    t.requestTimeoutMs = 2'000;
    t.errorBackoffBaseMs = 50;
    t.errorBackoffCapMs = 200;
    t.identityBackoffCapMs = 200;
    return t;
}

} // namespace

class TestSimAws final : public QObject
{
    Q_OBJECT
private slots:
    void tokenRules();
    void agentSourceSeesEachBehaviour_data();
    void agentSourceSeesEachBehaviour();
    void rebalanceRecommendation();
    void modelChecksAnInstance();
    void scenarioGroupWithAccount();
};

void TestSimAws::tokenRules()
{
    Rig rig;
    const QUrl document = rig.url(u"ec2-stop"_s, u"/latest/dynamic/instance-identity/document"_s);
    QCOMPARE(rig.send("GET", document, {}).first, 401); // IMDSv2 only
    QCOMPARE(rig.send("PUT", rig.url(u"ec2-stop"_s, u"/latest/api/token"_s), {}).first, 400);
    QCOMPARE(rig.send("PUT", rig.url(u"ec2-stop"_s, u"/latest/api/token"_s),
                      {{"X-aws-ec2-metadata-token-ttl-seconds", "21601"}})
                 .first,
             400);
    QCOMPARE(
        rig.send("PUT", rig.url(u"ec2-stop"_s, u"/latest/api/token"_s),
                 {{"X-aws-ec2-metadata-token-ttl-seconds", "60"}, {"X-Forwarded-For", "10.0.0.1"}})
            .first,
        403);
    const QByteArray token = rig.token(u"ec2-stop"_s);
    QVERIFY(!token.isEmpty());
    const auto [status, body] = rig.send("GET", document, {{"X-aws-ec2-metadata-token", token}});
    QCOMPARE(status, 200);
    const QJsonObject identity = QJsonDocument::fromJson(body).object();
    QCOMPARE(identity.value("accountId"_L1).toString(), u"123456789012"_s);
    QCOMPARE(identity.value("region"_L1).toString(), u"eu-west-1"_s);
    QCOMPARE(identity.value("availabilityZone"_L1).toString(), u"eu-west-1a"_s);
    // Another instance's token is no good here, and an expired one nowhere.
    QCOMPARE(rig.send("GET", rig.url(u"ec2-terminate"_s, u"/latest/meta-data/instance-id"_s),
                      {{"X-aws-ec2-metadata-token", token}})
                 .first,
             401);
    rig.wallClock.advanceMSecs(61'000);
    QCOMPARE(rig.send("GET", document, {{"X-aws-ec2-metadata-token", token}}).first, 401);
    // No interruption yet: 404; Azure's VM has no IMDSv2 here.
    const QByteArray fresh = rig.token(u"ec2-stop"_s);
    QCOMPARE(rig.send("GET", rig.url(u"ec2-stop"_s, u"/latest/meta-data/spot/instance-action"_s),
                      {{"X-aws-ec2-metadata-token", fresh}})
                 .first,
             404);
    QCOMPARE(rig.token(u"azure-1"_s), QByteArray());
}

void TestSimAws::agentSourceSeesEachBehaviour_data()
{
    QTest::addColumn<QString>("behaviour");
    QTest::addColumn<QString>("status");
    QTest::newRow("terminate") << u"terminate"_s << u"Scheduled"_s;
    QTest::newRow("stop") << u"stop"_s << u"Scheduled"_s;
    QTest::newRow("hibernate") << u"hibernate"_s << u"Started"_s;
}

void TestSimAws::agentSourceSeesEachBehaviour()
{
    QFETCH(QString, behaviour);
    QFETCH(QString, status);
    Rig rig;
    const QString name = u"ec2-"_s + behaviour;
    const int index = rig.model.findByName(name);
    agent::Ec2MetadataSource source(rig.url(name), timing(), 3, base::systemClock());
    QList<agent::EventSnapshot> snapshots;
    connect(&source, &agent::NoticeSource::eventsObserved, this,
            [&](const agent::EventSnapshot &s) { snapshots.append(s); });
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.identityKnown(), kWaitMs);
    const protocol::VmIdentity vm = source.identity();
    QVERIFY(vm.cloud == protocol::Cloud::Aws);
    QCOMPARE(vm.vmId, rig.model.vm(index).vmId);
    QCOMPARE(vm.resourceId(), rig.model.vm(index).resourceId());
    QCOMPARE(vm.priority, u"spot"_s);
    QCOMPARE(vm.instanceType, u"m5.large"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty(), kWaitMs);
    QVERIFY(snapshots.last().events.isEmpty());

    QVERIFY(rig.model.evict(index));
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.last().events.isEmpty(), kWaitMs);
    const protocol::ScheduledEvent event = snapshots.last().events.first();
    QVERIFY(event.eventType == protocol::EventType::Preempt);
    QCOMPARE(event.description, u"EC2 Spot interruption: "_s + behaviour);
    QCOMPARE(protocol::toString(event.eventStatus), status);
    QCOMPARE(source.client().tokensFetched(), 1);
    source.stop();
}

void TestSimAws::rebalanceRecommendation()
{
    Rig rig;
    const int index = rig.model.findByName(u"ec2-stop"_s);
    agent::Ec2MetadataSource source(rig.url(u"ec2-stop"_s), timing(), 3, base::systemClock());
    QList<agent::EventSnapshot> snapshots;
    connect(&source, &agent::NoticeSource::eventsObserved, this,
            [&](const agent::EventSnapshot &s) { snapshots.append(s); });
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty(), kWaitMs);
    QVERIFY(rig.model.recommendRebalance(index));
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.last().events.isEmpty(), kWaitMs);
    QCOMPARE(snapshots.last().events.first().eventTypeText, u"RebalanceRecommendation"_s);
    QVERIFY(!rig.model.recommendRebalance(rig.model.findByName(u"azure-1"_s))); // AWS only
    source.stop();
}

void TestSimAws::modelChecksAnInstance()
{
    testsupport::ManualClock clock;
    FleetModel model(clock, 1);
    QString error;
    SimVm bad = awsVm(u"x"_s, u"stop"_s);
    bad.awsRequestType = u"one-time"_s;
    QCOMPARE(model.addVm(bad, &error), -1);
    QVERIFY2(error.contains("one-time Spot request can only terminate"_L1), qPrintable(error));
    bad = awsVm(u"x"_s, u"reboot"_s);
    QCOMPARE(model.addVm(bad, &error), -1);
    QVERIFY2(error.contains("interruptionBehavior"_L1), qPrintable(error));
    bad = awsVm(u"x"_s, u"stop"_s);
    bad.awsAccount = u"12345"_s;
    QCOMPARE(model.addVm(bad, &error), -1);
    const int stop = model.addVm(awsVm(u"ok"_s, u"stop"_s), &error);
    QVERIFY2(stop >= 0, qPrintable(error));
    const SimVm &vm = model.vm(stop);
    QCOMPARE(vm.awsRequestType, u"persistent"_s);
    QCOMPARE(vm.evictionPolicy, u"Deallocate"_s);
    QCOMPARE(vm.zone, u"eu-west-1a"_s);
    QVERIFY(vm.vmId.startsWith("i-"_L1) && vm.vmId.size() == 19);
    QVERIFY(vm.awsSpotRequestId.startsWith("sir-"_L1));
    QCOMPARE(vm.resourceId(), u"arn:aws:ec2:eu-west-1:123456789012:instance/"_s + vm.vmId);
    const int terminate = model.addVm(awsVm(u"t"_s, u"terminate"_s), &error);
    QCOMPARE(model.vm(terminate).evictionPolicy, u"Delete"_s);
    QCOMPARE(model.vm(terminate).awsRequestType, u"one-time"_s);
}

void TestSimAws::scenarioGroupWithAccount()
{
    QString error;
    const auto scenario = Scenario::parse(
        R"({"name":"aws","fleet":[{"count":2,"namePrefix":"ec2-","account":"123456789012",
            "location":"us-east-1","interruptionBehavior":"hibernate"}]})",
        &error);
    QVERIFY2(scenario, qPrintable(error));
    QCOMPARE(scenario->vms.size(), 2);
    QVERIFY(scenario->vms.first().isAws());
    QCOMPARE(scenario->vms.first().awsInterruptionBehavior, u"hibernate"_s);
    QCOMPARE(scenario->vms.first().size, u"m5.large"_s);
    QVERIFY(!Scenario::parse(R"({"name":"x","fleet":[{"count":1,"account":"123456789012",
            "location":"us-east-1","subscription":"s","resourceGroup":"r"}]})",
                             &error));
    QVERIFY2(error.contains("AWS group"_L1), qPrintable(error));
}

QTEST_MAIN(TestSimAws)
#include "tst_simaws.moc"
