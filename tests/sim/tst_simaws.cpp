// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's AWS instances and their IMDSv2 (/aws-imds/{name}/latest/...): the session
// token rule (401 without, with an expired one or another instance's; 400 without a TTL; 403
// when forwarded), the agent's own Ec2MetadataSource reading identity and seeing the
// interruption with its request's behaviour and a rebalance recommendation, the model's
// checks of an instance, and AWS instances kept out of Azure's routes. The simulated EC2 Query
// API under /aws/ as SpotKeeper's own Ec2Client sees it: the tag filter with NextToken pages,
// the Name tag, StartInstances refused on an instance only EC2 restarts, RunInstances from a
// launch template (idempotent by ClientToken, the Name passed on), and RequestLimitExceeded
// with the count of requests sent before the client's backoff ended.
#include "agentcore/ec2metadatasource.h"
#include "aws/awscredentials.h"
#include "aws/ec2client.h"
#include "aws/ec2parsers.h"
#include "sim/fleetmodel.h"
#include "sim/scenario.h"
#include "sim/simserver.h"
#include "support/base/manualclock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
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

// The simulator's AWS account as SpotKeeper's EC2 client reaches it (keys of ServerOptions).
struct Ec2Rig
{
    testsupport::ManualClock simClock;
    testsupport::ManualClock wallClock; // the simulator's buckets and backoff gates
    FleetModel model {simClock, 7};
    SimServer server;
    QTemporaryDir home;
    core::aws::AwsCredentialChain credentials;
    std::unique_ptr<core::aws::Ec2Client> client;

    static ServerOptions serverOptions(const core::BudgetConfig &describe)
    {
        ServerOptions options;
        options.awsDescribeBudget = describe;
        return options;
    }
    static core::aws::CredentialChainOptions chainOptions(const QString &home)
    {
        core::aws::CredentialChainOptions options;
        options.env = QProcessEnvironment();
        options.env.insert(u"AWS_ACCESS_KEY_ID"_s, ServerOptions().awsAccessKeyId);
        options.env.insert(u"AWS_SECRET_ACCESS_KEY"_s, ServerOptions().awsSecretAccessKey);
        options.homeDir = home;
        options.excludeInstanceRole = true;
        return options;
    }
    core::aws::Ec2Options clientOptions() const
    {
        core::aws::Ec2Options options;
        options.env = QProcessEnvironment();
        options.ec2Endpoint = server.baseUrl() + u"/aws/"_s;
        options.cloudTrailEndpoint = options.ec2Endpoint;
        options.budgets.enabled = false; // the simulator's buckets are under test
        return options;
    }

    explicit Ec2Rig(const core::BudgetConfig &describe = {100, 20, 1'000})
        : server(model, wallClock, serverOptions(describe))
        , credentials(chainOptions(home.path()), wallClock)
    {
        QString error;
        if (!server.listen(0, &error))
            qFatal("listen: %s", qPrintable(error));
        client = std::make_unique<core::aws::Ec2Client>(&credentials, clientOptions(), wallClock);
    }
    // One EC2 call through the client, answered.
    core::aws::Ec2Reply call(core::aws::Ec2Client::Kind kind,
                             const core::aws::Ec2Query &query) const
    {
        return callWith(*client, kind, query);
    }
    static core::aws::Ec2Reply callWith(core::aws::Ec2Client &sender,
                                        core::aws::Ec2Client::Kind kind,
                                        const core::aws::Ec2Query &query)
    {
        std::optional<core::aws::Ec2Reply> answer;
        sender.sendQuery(kind, u"eu-west-1"_s, query,
                         [&answer](core::aws::Ec2Reply reply) { answer = std::move(reply); });
        if (!QTest::qWaitFor([&] { return answer.has_value(); }, kWaitMs))
            return {};
        return *answer;
    }
    // An instance of account 123456789012 in eu-west-1.
    int add(const QString &name, const QString &behaviour, bool tagged,
            const QString &launchTemplate = {})
    {
        SimVm vm = awsVm(name, behaviour);
        if (tagged)
            vm.tags.insert(u"spotkeeper:auto-restart"_s, u"true"_s);
        vm.awsLaunchTemplate = launchTemplate;
        QString error;
        const int index = model.addVm(vm, &error);
        if (index < 0)
            qFatal("addVm: %s", qPrintable(error));
        return index;
    }
    // Simulated time passes until every transition due has happened.
    void pass(qint64 ms)
    {
        simClock.advanceMSecs(ms);
        model.advance();
    }
};

core::aws::Ec2Query describePage(const QByteArray &nextToken)
{
    QString error;
    return core::aws::describeAutoRestartInstances(nextToken, 5, &error);
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
    void ec2ListsTaggedInstancesByPage();
    void ec2RestartsWhatOnlyItMayStart();
    void runInstancesFromALaunchTemplate();
    void requestLimitExceededWantsABackoff();
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
    // Simulated agents may watch AWS instances (the demo's): they send what the AWS agent sends.
    const auto withAgents = Scenario::parse(
        R"({"name":"aws","fleet":[{"count":1,"account":"123456789012","location":"us-east-1",
            "interruptionBehavior":"stop","agents":true}]})",
        &error);
    QVERIFY2(withAgents, qPrintable(error));
    QVERIFY(withAgents->vms.first().agent);
    // The built-in demo has AWS instances of each behaviour, all with agents.
    const Scenario demo = Scenario::demo();
    QSet<QString> behaviours;
    for (const SimVm &vm : demo.vms) {
        if (vm.isAws()) {
            QVERIFY(vm.agent);
            QCOMPARE(vm.tags.value(u"spotkeeper:auto-restart"_s), u"true"_s);
            behaviours.insert(vm.awsInterruptionBehavior);
        }
    }
    QCOMPARE(behaviours, (QSet<QString> {u"stop"_s, u"hibernate"_s, u"terminate"_s}));
}

void TestSimAws::ec2ListsTaggedInstancesByPage()
{
    Ec2Rig rig;
    for (int i = 1; i <= 6; ++i)
        rig.add(u"web-"_s + QString::number(i), u"stop"_s, true);
    rig.add(u"untagged"_s, u"terminate"_s, false);
    SimVm unnamed = awsVm({}, u"terminate"_s); // no Name tag: EC2 shows the instance id
    unnamed.tags.insert(u"spotkeeper:auto-restart"_s, u"true"_s);
    const int unnamedIndex = rig.model.addVm(unnamed);
    QVERIFY(unnamedIndex >= 0);
    QCOMPARE(rig.model.vm(unnamedIndex).name, rig.model.vm(unnamedIndex).vmId);

    QList<core::aws::Ec2Instance> listed;
    QByteArray token;
    int pages = 0;
    do {
        const core::aws::Ec2Reply reply =
            rig.call(core::aws::Ec2Client::Kind::Describe, describePage(token));
        QVERIFY2(reply.call.ok(), qPrintable(reply.call.errorCode + reply.call.errorMessage));
        const core::aws::DescribeInstancesPage page = core::aws::parseDescribeInstances(reply.body);
        QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
        listed += page.instances;
        token = page.nextToken.toLatin1();
        ++pages;
    } while (!token.isEmpty() && pages < 10);
    QCOMPARE(pages, 2); // 7 tagged instances, 5 a page
    QCOMPARE(listed.size(), 7);
    for (const core::aws::Ec2Instance &instance : std::as_const(listed)) {
        const int index = rig.model.findByName(
            instance.tag(u"Name"_s).isEmpty() ? instance.instanceId : instance.tag(u"Name"_s));
        QVERIFY2(index >= 0, qPrintable(instance.instanceId));
        QCOMPARE(instance.instanceId, rig.model.vm(index).vmId);
        QCOMPARE(instance.ownerId, u"123456789012"_s);
        QCOMPARE(instance.availabilityZone, u"eu-west-1a"_s);
        QVERIFY(instance.isSpot());
        QVERIFY(instance.state == core::aws::Ec2InstanceState::Running);
    }
    QVERIFY(listed.last().tag(u"Name"_s).isEmpty());
    QCOMPARE(rig.server.awsJson().value("describes"_L1).toInt(), 2);
}

void TestSimAws::ec2RestartsWhatOnlyItMayStart()
{
    Ec2Rig rig;
    const int stop = rig.add(u"stopper"_s, u"stop"_s, true);
    const int user = rig.add(u"user"_s, u"stop"_s, true);
    QVERIFY(rig.model.evict(stop));
    QVERIFY(rig.model.deallocate(user, u"arn:aws:iam::123456789012:user/alice"_s));
    rig.pass(61'000);
    QCOMPARE(rig.model.vm(stop).power, Power::Deallocated);
    QCOMPARE(rig.model.vm(stop).awsStateReason, u"Server.SpotInstanceShutdown"_s);
    QString error;
    const QByteArray stopId = rig.model.vm(stop).vmId.toLatin1();
    const core::aws::Ec2Reply refused =
        rig.call(core::aws::Ec2Client::Kind::Mutate, core::aws::startInstances({stopId}, &error));
    QCOMPARE(refused.call.errorCode, u"UnsupportedOperation"_s);
    // A user's stop is the owner's to undo: StartInstances works.
    const core::aws::Ec2Reply started =
        rig.call(core::aws::Ec2Client::Kind::Mutate,
                 core::aws::startInstances({rig.model.vm(user).vmId.toLatin1()}, &error));
    QVERIFY2(started.call.ok(), qPrintable(started.call.errorCode));
    QCOMPARE(rig.model.vm(user).power, Power::Starting);
    // EC2 itself brings the interrupted one back (Timings::awsRestartMs, then starting).
    rig.pass(rig.model.timings().awsRestartMs + rig.model.timings().startingMs);
    QCOMPARE(rig.model.vm(stop).power, Power::Running);
    QCOMPARE(rig.model.counters().ec2Restarts, 1);
    const QJsonObject aws = rig.server.awsJson();
    QCOMPARE(aws.value("starts"_L1).toInt(), 1);
    QCOMPARE(aws.value("startsRefused"_L1).toInt(), 1);
}

void TestSimAws::runInstancesFromALaunchTemplate()
{
    Ec2Rig rig;
    const int old = rig.add(u"batch"_s, u"terminate"_s, true, u"lt-0abc1"_s);
    QVERIFY(rig.model.evict(old));
    rig.pass(61'000);
    QCOMPARE(rig.model.vm(old).power, Power::Deleted);
    core::aws::LaunchFromTemplate launch;
    launch.launchTemplateId = "lt-0abc1";
    launch.tags = {{"Name", "batch"}, {"spotkeeper:auto-restart", "true"}};
    launch.clientToken = "replace-batch-1";
    QString error;
    const core::aws::Ec2Query run = core::aws::runInstanceFromTemplate(launch, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const core::aws::Ec2Reply first = rig.call(core::aws::Ec2Client::Kind::Run, run);
    QVERIFY2(first.call.ok(), qPrintable(first.call.errorCode + first.call.errorMessage));
    const core::aws::RunInstancesAnswer answer = core::aws::parseRunInstances(first.body);
    QCOMPARE(answer.instances.size(), 1);
    const QString newId = answer.instances.first().instanceId;
    QVERIFY(newId != rig.model.vm(old).vmId);
    // The replacement takes the Name (and the IMDS path) of the terminated instance.
    const int replacement = rig.model.findByName(u"batch"_s);
    QVERIFY(replacement != old);
    QCOMPARE(rig.model.vm(replacement).vmId, newId);
    QCOMPARE(rig.model.vm(replacement).power, Power::Running);
    QCOMPARE(rig.model.vm(replacement).awsLaunchTemplate, u"lt-0abc1"_s);
    // The same ClientToken launches nothing more.
    const core::aws::Ec2Reply again = rig.call(core::aws::Ec2Client::Kind::Run, run);
    QCOMPARE(core::aws::parseRunInstances(again.body).instances.first().instanceId, newId);
    QCOMPARE(rig.server.awsJson().value("runs"_L1).toInt(), 1);
    // An unknown template, and a capacity shortage, refuse.
    const auto refusal = [&](const QByteArray &templateId, const QByteArray &token) {
        launch.launchTemplateId = templateId;
        launch.clientToken = token;
        return rig
            .call(core::aws::Ec2Client::Kind::Run,
                  core::aws::runInstanceFromTemplate(launch, &error))
            .call.errorCode;
    };
    QCOMPARE(refusal("lt-0ffff", "other"), u"InvalidLaunchTemplateId.NotFound"_s);
    rig.model.addCapacityWindow(CapacityWindow {u"eu-west-1"_s, u"m5.large"_s, 0,
                                                rig.model.nowMs() + 600'000,
                                                u"ZonalAllocationFailed"_s, false});
    QCOMPARE(refusal("lt-0abc1", "third"), u"InsufficientInstanceCapacity"_s);
}

void TestSimAws::requestLimitExceededWantsABackoff()
{
    Ec2Rig rig({1, 1, 60'000}); // one describe a minute
    rig.add(u"web"_s, u"stop"_s, true);
    QVERIFY(rig.call(core::aws::Ec2Client::Kind::Describe, describePage({})).call.ok());
    const core::aws::Ec2Reply throttled =
        rig.call(core::aws::Ec2Client::Kind::Describe, describePage({}));
    QCOMPARE(throttled.call.errorCode, u"RequestLimitExceeded"_s);
    QVERIFY(throttled.call.failure == core::FailureClass::Throttled);
    // The client holds the next request until its backoff (1 s) has passed...
    std::optional<core::aws::Ec2Reply> held;
    rig.client->sendQuery(core::aws::Ec2Client::Kind::Describe, u"eu-west-1"_s, describePage({}),
                          [&held](core::aws::Ec2Reply reply) { held = std::move(reply); });
    QCOMPARE(rig.client->pending(), 1);
    rig.wallClock.advanceMSecs(999);
    rig.client->processQueue();
    QCOMPARE(rig.client->pending(), 1);
    rig.wallClock.advanceMSecs(1);
    rig.client->processQueue();
    QVERIFY(QTest::qWaitFor([&] { return held.has_value(); }, kWaitMs));
    QCOMPARE(held->call.errorCode, u"RequestLimitExceeded"_s); // the bucket is still empty
    QCOMPARE(rig.server.awsJson().value("requestsBeforeBackoff"_L1).toInt(), 0);
    QCOMPARE(rig.server.awsJson().value("throttled"_L1).toInt(), 2);
    // ... a client without that gate is counted when it asks again too soon (the count can fail).
    core::aws::Ec2Client eager(&rig.credentials, rig.clientOptions(), rig.wallClock);
    rig.wallClock.advanceMSecs(300);
    QCOMPARE(Ec2Rig::callWith(eager, core::aws::Ec2Client::Kind::Describe, describePage({}))
                 .call.errorCode,
             u"RequestLimitExceeded"_s);
    QCOMPARE(rig.server.awsJson().value("requestsBeforeBackoff"_L1).toInt(), 1);
}

QTEST_MAIN(TestSimAws)
#include "tst_simaws.moc"
