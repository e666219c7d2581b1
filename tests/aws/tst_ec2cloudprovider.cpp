// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/awscredentials.h"
#include "aws/cloudtrail.h"
#include "aws/ec2cloudprovider.h"
#include "aws/ec2query.h"
#include "aws/instancearn.h"
#include "support/base/manualclock.h"
#include "support/http/fakehttpserver.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <deque>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace spotkeeper::core::aws;
using namespace Qt::StringLiterals;
using testsupport::FakeHttpServer;

namespace {

const QString kRegion = u"eu-west-1"_s;
const QString kAccount = u"123456789012"_s;
const QString kInstance = u"i-0123456789abcdef0"_s;
const QString kArn = u"arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0"_s;
const QString kScope = u"arn:aws:ec2:eu-west-1:123456789012"_s;
const QString kKeyId = u"AKIDEXAMPLE"_s;
const QString kSecret = u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s;

struct InstanceSpec
{
    QString id = kInstance;
    QString state = u"running"_s;
    QString reasonCode;
    bool spot = true;
    QString requestId = u"sir-0a1b2c3d"_s;
    QList<QPair<QString, QString>> tags {{u"spotkeeper:auto-restart"_s, u"true"_s},
                                         {u"Name"_s, u"worker-1"_s}};
};

QByteArray instanceItem(const InstanceSpec &spec)
{
    static const QHash<QString, int> codes {{u"pending"_s, 0},        {u"running"_s, 16},
                                            {u"shutting-down"_s, 32}, {u"terminated"_s, 48},
                                            {u"stopping"_s, 64},      {u"stopped"_s, 80}};
    QByteArray xml = "<item><instanceId>" + spec.id.toLatin1()
        + "</instanceId><instanceType>m5.large</instanceType><instanceState><code>"
        + QByteArray::number(codes.value(spec.state)) + "</code><name>" + spec.state.toLatin1()
        + "</name></instanceState><placement><availabilityZone>eu-west-1b</availabilityZone>"
          "</placement>";
    if (!spec.reasonCode.isEmpty())
        xml += "<stateReason><code>" + spec.reasonCode.toLatin1() + "</code><message>"
            + spec.reasonCode.toLatin1() + ": example</message></stateReason>";
    if (spec.spot)
        xml += "<instanceLifecycle>spot</instanceLifecycle><spotInstanceRequestId>"
            + spec.requestId.toLatin1() + "</spotInstanceRequestId>";
    xml += "<tagSet>";
    for (const auto &[key, value] : spec.tags)
        xml += "<item><key>" + key.toUtf8() + "</key><value>" + value.toUtf8() + "</value></item>";
    xml += "</tagSet></item>";
    return xml;
}

QByteArray describeInstances(const QList<InstanceSpec> &instances, const QByteArray &next = {})
{
    QByteArray xml =
        "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
        "<requestId>req-1</requestId><reservationSet><item><reservationId>r-1"
        "</reservationId><ownerId>"
        + kAccount.toLatin1() + "</ownerId><instancesSet>";
    for (const InstanceSpec &spec : instances)
        xml += instanceItem(spec);
    xml += "</instancesSet></item></reservationSet>";
    if (!next.isEmpty())
        xml += "<nextToken>" + next + "</nextToken>";
    return xml + "</DescribeInstancesResponse>";
}

QByteArray spotRequests(const QString &type, const QString &state, const QString &status,
                        const QString &behaviour)
{
    return "<DescribeSpotInstanceRequestsResponse><requestId>req-2</requestId>"
           "<spotInstanceRequestSet><item><spotInstanceRequestId>sir-0a1b2c3d"
           "</spotInstanceRequestId><type>"
        + type.toLatin1() + "</type><state>" + state.toLatin1() + "</state><status><code>"
        + status.toLatin1() + "</code></status><instanceInterruptionBehavior>"
        + behaviour.toLatin1() + "</instanceInterruptionBehavior><instanceId>"
        + kInstance.toLatin1()
        + "</instanceId></item></spotInstanceRequestSet></DescribeSpotInstanceRequestsResponse>";
}

QByteArray ec2Error(const QByteArray &code)
{
    return "<Response><Errors><Error><Code>" + code + "</Code><Message>" + code
        + " (example)</Message></Error></Errors><RequestID>err-1</RequestID></Response>";
}

http::Response xml(int status, const QByteArray &body)
{
    http::Response response = http::Response::text(status, body);
    return response;
}

// EC2's Query API and CloudTrail on one FakeHttpServer: answers scripted per action, every
// request's SigV4 signature checked with the test keys (a wrong one is answered as AWS does).
class FakeAws
{
public:
    FakeAws()
    {
        server.route("POST", "/").respondWith([this](const testsupport::RecordedRequest &r) {
            return answer(r);
        });
    }
    bool start() { return server.start(); }

    void enqueue(const QByteArray &action, const http::Response &response)
    {
        m_queued[action].push_back(response);
    }
    void respond(const QByteArray &action, const http::Response &response)
    {
        m_fixed.insert(action, response);
    }
    int count(const QByteArray &action) const { return int(actions.count(action)); }

    FakeHttpServer server;
    QList<QByteArray> actions; // in order
    QList<BytePairList> forms; // the EC2 forms, in order
    QList<QJsonObject> trailBodies;
    int badSignatures = 0;
    QString lastScopeRegion;
    QString lastService;

private:
    http::Response answer(const testsupport::RecordedRequest &request)
    {
        SigV4Request received;
        received.method = request.method;
        received.path = request.path;
        received.headers = request.headers;
        received.body = request.body;
        const SigV4Check check = verifySignature(received, [](const QString &key) {
            return key == kKeyId ? std::optional(AwsCredentials {kKeyId, kSecret, {}})
                                 : std::nullopt;
        });
        if (!check.ok()) {
            ++badSignatures;
            return xml(401, ec2Error("AuthFailure"));
        }
        lastScopeRegion = check.region;
        lastService = check.service;
        QByteArray action;
        const QByteArray target = request.header("X-Amz-Target");
        if (!target.isEmpty()) {
            action = target.mid(target.lastIndexOf('.') + 1);
            trailBodies.append(request.json().object());
        } else {
            const BytePairList form = parseFormBody(request.body);
            forms.append(form);
            for (const auto &[name, value] : form) {
                if (name == "Action")
                    action = value;
            }
        }
        actions.append(action);
        auto queued = m_queued.find(action);
        if (queued != m_queued.end() && !queued->empty()) {
            http::Response response = queued->front();
            queued->pop_front();
            return response;
        }
        if (m_fixed.contains(action))
            return m_fixed.value(action);
        return xml(400, ec2Error("InvalidAction"));
    }

    QHash<QByteArray, std::deque<http::Response>> m_queued;
    QHash<QByteArray, http::Response> m_fixed;
};

QByteArray formValue(const BytePairList &form, const QByteArray &name)
{
    for (const auto &[key, value] : form) {
        if (key == name)
            return value;
    }
    return {};
}

VmRecord awsVm()
{
    VmRecord vm;
    vm.resourceId = kArn;
    vm.resourceKey = kArn.toLower();
    vm.subscriptionId = kScope;
    return vm;
}

QByteArray trailEvent(const QString &name, const QString &identityType, const QString &arn,
                      qint64 epochSeconds, const QString &invokedBy = {})
{
    QJsonObject identity {{u"type"_s, identityType}};
    if (!arn.isEmpty())
        identity.insert(u"arn"_s, arn);
    if (!invokedBy.isEmpty())
        identity.insert(u"invokedBy"_s, invokedBy);
    const QJsonObject record {
        {u"eventName"_s, name},
        {u"eventType"_s, identityType == "AWSService"_L1 ? u"AwsServiceEvent"_s : u"AwsApiCall"_s},
        {u"userIdentity"_s, identity}};
    QJsonObject event;
    event.insert(u"EventId"_s, QString(u"ev-"_s + name));
    event.insert(u"EventName"_s, name);
    event.insert(u"EventTime"_s, double(epochSeconds));
    event.insert(u"Username"_s, u"someone"_s);
    event.insert(u"CloudTrailEvent"_s,
                 QString::fromUtf8(QJsonDocument(record).toJson(QJsonDocument::Compact)));
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

http::Response trailAnswer(const QList<QByteArray> &events, const QString &next = {})
{
    QByteArray body = "{\"Events\":[";
    for (qsizetype i = 0; i < events.size(); ++i)
        body += (i ? "," : "") + events.at(i);
    body += "]";
    if (!next.isEmpty())
        body += ",\"NextToken\":\"" + next.toUtf8() + '"';
    return http::Response::json(200, body + '}');
}

} // namespace

// Ec2CloudProvider against a fake EC2 and CloudTrail on 127.0.0.1 that checks every SigV4
// signature: the decision table of docs/AWS-PROTOCOL.md §9 row by row (start what the owner may
// start, watch what EC2 restarts and alert when it is overdue, replace a terminated one-time
// instance only when opted in, leave fleets alone), the error classes, the throttle gate with
// backoff, paging, CloudTrail evidence, and the endpoint override.
class TestEc2CloudProvider : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void arnsAndRecords();
    void powerStatesAndSignatures();
    void startsWhatTheOwnerMayStart();
    void startErrorsAreClassified_data();
    void startErrorsAreClassified();
    void watchesWhatEc2RestartsAndAlertsWhenOverdue();
    void closedRequestNeedsAnOperator();
    void terminatedOneTimeIsReplacedOnlyWhenOptedIn();
    void replacementTriesAlternatesOnCapacity();
    void fleetMembersAreLeftToTheirFleet();
    void throttlingGatesTheRegionWithBackoff();
    void budgetsPaceDescribes();
    void listFollowsEveryPage();
    void evidenceFromStateReasonAndCloudTrail();
    void cloudTrailPagesAndFailures();
    void expiredKeysAreResolvedAgainOnce();
    void stopIsStopInstances();
    void restartIsRebootInstances(); // the application health watch's restart

private:
    std::unique_ptr<Ec2CloudProvider> makeProvider(Ec2ProviderOptions options);
    Ec2ProviderOptions fastOptions() const;
    StartResult startAndWait(Ec2CloudProvider &provider);

    std::unique_ptr<FakeAws> m_aws;
    std::unique_ptr<testsupport::ManualClock> m_clock;
    QProcessEnvironment m_env;
};

void TestEc2CloudProvider::init()
{
    m_aws = std::make_unique<FakeAws>();
    QVERIFY(m_aws->start());
    m_clock = std::make_unique<testsupport::ManualClock>(QDateTime::currentDateTimeUtc());
    m_env = QProcessEnvironment();
    m_env.insert(u"AWS_ACCESS_KEY_ID"_s, kKeyId);
    m_env.insert(u"AWS_SECRET_ACCESS_KEY"_s, kSecret);
    m_env.insert(u"AWS_ENDPOINT_URL"_s, m_aws->server.baseUrl().toString());
}

void TestEc2CloudProvider::cleanup()
{
    m_aws.reset();
}

Ec2ProviderOptions TestEc2CloudProvider::fastOptions() const
{
    Ec2ProviderOptions options;
    options.client.env = m_env;
    options.client.budgets.enabled = false;
    options.client.requestTimeoutMs = 5'000;
    return options;
}

std::unique_ptr<Ec2CloudProvider> TestEc2CloudProvider::makeProvider(Ec2ProviderOptions options)
{
    CredentialChainOptions chain;
    chain.env = options.client.env;
    chain.excludeInstanceRole = true;
    chain.homeDir = u"/nonexistent"_s;
    auto *credentials = new AwsCredentialChain(chain, *m_clock);
    return std::make_unique<Ec2CloudProvider>(credentials, std::move(options), *m_clock);
}

StartResult TestEc2CloudProvider::startAndWait(Ec2CloudProvider &provider)
{
    std::optional<StartResult> result;
    provider.start(awsVm(), {}, [&](const StartResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 10'000)) {
        StartResult none;
        none.call.failure = FailureClass::Fatal;
        none.call.errorCode = u"NoAnswer"_s;
        return none;
    }
    return *result;
}

void TestEc2CloudProvider::arnsAndRecords()
{
    QString error;
    const auto arn = InstanceArn::parse(kArn, &error);
    QVERIFY2(arn, qPrintable(error));
    QCOMPARE(arn->region, kRegion);
    QCOMPARE(arn->accountId, kAccount);
    QCOMPARE(arn->instanceId, kInstance);
    QCOMPARE(arn->arn(), kArn);
    QCOMPARE(arn->scope(), kScope);
    QVERIFY(InstanceArn::parse(u"arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc1234"_s,
                               &error));
    for (const QString &bad :
         {u"arn:aws:ec2:eu-west-1:12345:instance/i-0123456789abcdef0"_s,
          u"arn:aws:s3:eu-west-1:123456789012:instance/i-0123456789abcdef0"_s,
          u"arn:aws:ec2:EU-WEST-1:123456789012:instance/i-0123456789abcdef0"_s,
          u"arn:aws:ec2:eu-west-1:123456789012:volume/vol-0123456789abcdef0"_s,
          u"arn:aws:ec2:eu-west-1:123456789012:instance/i-XYZ"_s, u"i-0123456789abcdef0"_s}) {
        error.clear();
        QVERIFY2(!InstanceArn::parse(bad, &error), qPrintable(bad));
        QVERIFY(!error.isEmpty());
    }
    Ec2Instance instance;
    instance.instanceId = kInstance;
    instance.ownerId = kAccount;
    instance.instanceType = u"m5.large"_s;
    instance.availabilityZone = u"eu-west-1b"_s;
    instance.instanceLifecycle = u"spot"_s;
    instance.state = Ec2InstanceState::Stopped;
    instance.tags = {{u"Name"_s, u"worker-1"_s}};
    const VmRecord vm = toVmRecord(instance, kRegion);
    QCOMPARE(vm.resourceId, kArn);
    QCOMPARE(vm.subscriptionId, kScope);
    QCOMPARE(vm.name, u"worker-1"_s);
    QCOMPARE(vm.vmId, kInstance);
    QCOMPARE(vm.zone, u"eu-west-1b"_s);
    QCOMPARE(vm.priority, u"Spot"_s);
    QCOMPARE(int(vm.powerState), int(PowerState::Deallocated));
}

void TestEc2CloudProvider::powerStatesAndSignatures()
{
    auto provider = makeProvider(fastOptions());
    InstanceSpec stopped;
    stopped.state = u"stopped"_s;
    InstanceSpec terminated;
    terminated.state = u"terminated"_s;
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({stopped})));
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({terminated})));
    m_aws->enqueue("DescribeInstances", xml(400, ec2Error("InvalidInstanceID.NotFound")));
    QList<PowerStateResult> results;
    for (int i = 0; i < 4; ++i)
        provider->powerState(awsVm(), [&](const PowerStateResult &r) { results.append(r); });
    QTRY_COMPARE(results.size(), 4);
    QCOMPARE(int(results[0].state), int(PowerState::Running));
    QCOMPARE(int(results[1].state), int(PowerState::Deallocated));
    QCOMPARE(int(results[2].state), int(PowerState::Deleted));
    QCOMPARE(int(results[3].state), int(PowerState::Deleted));
    QCOMPARE(int(results[3].call.failure), int(FailureClass::NotFound));
    QCOMPARE(m_aws->badSignatures, 0);
    QCOMPARE(m_aws->lastScopeRegion, kRegion);
    QCOMPARE(m_aws->lastService, u"ec2"_s);
    QCOMPARE(formValue(m_aws->forms.first(), "InstanceId.1"), kInstance.toLatin1());
    // An Azure VM never reaches EC2.
    VmRecord azure;
    azure.resourceId = u"/subscriptions/8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11/resourceGroups/rg/"
                       "providers/Microsoft.Compute/virtualMachines/vm"_s;
    std::optional<PowerStateResult> refused;
    provider->powerState(azure, [&](const PowerStateResult &r) { refused = r; });
    QVERIFY(refused && refused->call.failure == FailureClass::Fatal);
    QCOMPARE(m_aws->actions.size(), 4);
}

void TestEc2CloudProvider::startsWhatTheOwnerMayStart()
{
    auto provider = makeProvider(fastOptions());
    // An On-Demand instance EC2 stopped for a scheduled retirement: the owner starts it.
    InstanceSpec retired;
    retired.state = u"stopped"_s;
    retired.spot = false;
    retired.reasonCode = u"Server.ScheduledStop"_s;
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({retired})));
    m_aws->respond("StartInstances",
                   xml(200,
                       "<StartInstancesResponse><requestId>s</requestId><instancesSet><item>"
                       "<instanceId>i-0123456789abcdef0</instanceId><currentState><code>0"
                       "</code><name>pending</name></currentState><previousState><code>80"
                       "</code><name>stopped</name></previousState></item></instancesSet>"
                       "</StartInstancesResponse>"));
    StartResult result = startAndWait(*provider);
    QVERIFY2(result.call.ok(), qPrintable(result.call.errorMessage));
    QVERIFY(!result.finished); // pending: the power state confirms
    QCOMPARE(m_aws->actions, (QList<QByteArray> {"DescribeInstances", "StartInstances"}));
    QCOMPARE(formValue(m_aws->forms.last(), "InstanceId.1"), kInstance.toLatin1());
    // Already running: nothing to do, no StartInstances.
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    result = startAndWait(*provider);
    QVERIFY(result.call.ok() && result.finished);
    QCOMPARE(m_aws->count("StartInstances"), 1);
    // Still stopping: wait (IncorrectInstanceState, retryable).
    InstanceSpec stopping;
    stopping.state = u"stopping"_s;
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({stopping})));
    result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), int(FailureClass::Transient));
    QCOMPARE(result.call.errorCode, u"IncorrectInstanceState"_s);
    QCOMPARE(m_aws->count("StartInstances"), 1);
}

void TestEc2CloudProvider::startErrorsAreClassified_data()
{
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("failure");
    QTest::newRow("capacity: long backoff")
        << QByteArray("InsufficientInstanceCapacity") << 500 << int(FailureClass::Capacity);
    QTest::newRow("mid-transition: wait")
        << QByteArray("IncorrectInstanceState") << 400 << int(FailureClass::Transient);
    QTest::newRow("not allowed: operator")
        << QByteArray("UnauthorizedOperation") << 403 << int(FailureClass::Authorization);
    QTest::newRow("quota: operator")
        << QByteArray("VcpuLimitExceeded") << 400 << int(FailureClass::Quota);
    QTest::newRow("throttled") << QByteArray("RequestLimitExceeded") << 503
                               << int(FailureClass::Throttled);
    QTest::newRow("server error") << QByteArray("InternalError") << 500
                                  << int(FailureClass::Transient);
}

void TestEc2CloudProvider::startErrorsAreClassified()
{
    QFETCH(QByteArray, code);
    QFETCH(int, status);
    QFETCH(int, failure);
    auto provider = makeProvider(fastOptions());
    InstanceSpec stopped;
    stopped.state = u"stopped"_s;
    stopped.spot = false;
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({stopped})));
    m_aws->enqueue("StartInstances", xml(status, ec2Error(code)));
    const StartResult result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), failure);
    QCOMPARE(result.call.errorCode, QString::fromLatin1(code));
    QCOMPARE(result.call.httpStatus, status);
    QCOMPARE(result.call.correlationId, u"err-1"_s);
    QVERIFY(!result.call.errorMessage.contains(kSecret));
}

void TestEc2CloudProvider::watchesWhatEc2RestartsAndAlertsWhenOverdue()
{
    Ec2ProviderOptions options = fastOptions();
    options.restartWatchMs = 30 * 60'000;
    auto provider = makeProvider(options);
    InstanceSpec interrupted;
    interrupted.state = u"stopped"_s;
    interrupted.reasonCode = u"Server.SpotInstanceShutdown"_s;
    m_aws->respond("DescribeInstances", xml(200, describeInstances({interrupted})));
    m_aws->respond("DescribeSpotInstanceRequests",
                   xml(200,
                       spotRequests(u"persistent"_s, u"disabled"_s,
                                    u"instance-stopped-no-capacity"_s, u"stop"_s)));
    StartResult result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), int(FailureClass::Capacity)); // the engine looks again later
    QCOMPARE(result.call.errorCode, u"AwaitingSpotRestart"_s);
    QVERIFY(result.call.errorMessage.contains(u"sir-0a1b2c3d"_s));
    QCOMPARE(m_aws->count("StartInstances"), 0); // only EC2 may restart it
    m_clock->advanceMSecs(29 * 60'000);
    result = startAndWait(*provider);
    QCOMPARE(result.call.errorCode, u"AwaitingSpotRestart"_s);
    m_clock->advanceMSecs(2 * 60'000);
    result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), int(FailureClass::Fatal)); // needs an operator: the alert
    QCOMPARE(result.call.errorCode, u"SpotRestartOverdue"_s);
    QVERIFY(result.call.errorMessage.contains(u"30 minutes"_s));
    QCOMPARE(m_aws->count("StartInstances"), 0);
    // EC2 restarted it: running ends the watch.
    m_aws->respond("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    result = startAndWait(*provider);
    QVERIFY(result.call.ok() && result.finished);
    // Hibernated by EC2 (same reason code) is watched the same way, afresh.
    m_aws->respond("DescribeInstances", xml(200, describeInstances({interrupted})));
    m_aws->respond("DescribeSpotInstanceRequests",
                   xml(200,
                       spotRequests(u"persistent"_s, u"disabled"_s,
                                    u"instance-stopped-no-capacity"_s, u"hibernate"_s)));
    result = startAndWait(*provider);
    QCOMPARE(result.call.errorCode, u"AwaitingSpotRestart"_s);
    QCOMPARE(m_aws->badSignatures, 0);
}

void TestEc2CloudProvider::closedRequestNeedsAnOperator()
{
    auto provider = makeProvider(fastOptions());
    InstanceSpec interrupted;
    interrupted.state = u"stopped"_s;
    interrupted.reasonCode = u"Server.SpotInstanceShutdown"_s;
    m_aws->respond("DescribeInstances", xml(200, describeInstances({interrupted})));
    m_aws->enqueue("DescribeSpotInstanceRequests",
                   xml(200,
                       spotRequests(u"persistent"_s, u"cancelled"_s,
                                    u"request-canceled-and-instance-running"_s, u"stop"_s)));
    StartResult result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), int(FailureClass::Fatal));
    QCOMPARE(result.call.errorCode, u"SpotRequestNotOpen"_s);
    // The request read throttled: retried later, not decided.
    m_aws->enqueue("DescribeSpotInstanceRequests", xml(503, ec2Error("RequestLimitExceeded")));
    result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), int(FailureClass::Throttled));
    QCOMPARE(m_aws->count("StartInstances"), 0);
}

void TestEc2CloudProvider::terminatedOneTimeIsReplacedOnlyWhenOptedIn()
{
    InstanceSpec terminated;
    terminated.state = u"terminated"_s;
    terminated.reasonCode = u"Server.SpotInstanceTermination"_s;
    terminated.tags.append({u"aws:ec2launchtemplate:id"_s, u"lt-0abcd290751193123"_s});
    terminated.tags.append({u"aws:ec2launchtemplate:version"_s, u"3"_s});
    terminated.tags.append({u"team"_s, u"batch"_s});
    const http::Response oneTime =
        xml(200,
            spotRequests(u"one-time"_s, u"closed"_s, u"instance-terminated-no-capacity"_s,
                         u"terminate"_s));
    const http::Response launched =
        xml(200,
            "<RunInstancesResponse><requestId>run-1</requestId><reservationId>r-2"
            "</reservationId><ownerId>123456789012</ownerId><instancesSet><item><instanceId>"
            "i-0fedcba9876543210</instanceId><instanceState><code>0</code><name>pending"
            "</name></instanceState></item></instancesSet></RunInstancesResponse>");
    {
        // Off in the configuration: gone, no RunInstances.
        auto provider = makeProvider(fastOptions());
        terminated.tags.append({u"spotkeeper:replace"_s, u"true"_s});
        m_aws->respond("DescribeInstances", xml(200, describeInstances({terminated})));
        m_aws->respond("DescribeSpotInstanceRequests", oneTime);
        const StartResult result = startAndWait(*provider);
        QCOMPARE(int(result.call.failure), int(FailureClass::NotFound));
        QCOMPARE(result.call.errorCode, u"InstanceTerminated"_s);
        QVERIFY(result.call.errorMessage.contains(u"replace_terminated"_s));
        QVERIFY(result.finished);
        QCOMPARE(m_aws->count("RunInstances"), 0);
        terminated.tags.removeLast();
    }
    Ec2ProviderOptions options = fastOptions();
    options.replaceTerminated = true;
    {
        // On, but the instance did not opt in by its tag.
        auto provider = makeProvider(options);
        m_aws->respond("DescribeInstances", xml(200, describeInstances({terminated})));
        const StartResult result = startAndWait(*provider);
        QCOMPARE(result.call.errorCode, u"InstanceTerminated"_s);
        QVERIFY(result.call.errorMessage.contains(u"spotkeeper:replace=true"_s));
        QCOMPARE(m_aws->count("RunInstances"), 0);
    }
    terminated.tags.append({u"spotkeeper:replace"_s, u"true"_s});
    auto provider = makeProvider(options);
    QList<QString> audit;
    connect(provider.get(), &Ec2CloudProvider::replacementLaunched, this,
            [&](const QString &oldArn, const QString &newId, const QString &message) {
                audit.append(oldArn + u'|' + newId + u'|' + message);
            });
    m_aws->respond("DescribeInstances", xml(200, describeInstances({terminated})));
    m_aws->enqueue("RunInstances", launched);
    const StartResult result = startAndWait(*provider);
    QCOMPARE(result.call.errorCode, u"ReplacedByNewInstance"_s);
    QVERIFY(result.call.errorMessage.contains(u"i-0fedcba9876543210"_s));
    QVERIFY(result.call.errorMessage.contains(u"lt-0abcd290751193123"_s));
    QCOMPARE(audit.size(), 1);
    QVERIFY(audit.first().startsWith(kArn + u"|i-0fedcba9876543210|"_s));
    const BytePairList run = m_aws->forms.last();
    QCOMPARE(formValue(run, "LaunchTemplate.LaunchTemplateId"), QByteArray("lt-0abcd290751193123"));
    QCOMPARE(formValue(run, "LaunchTemplate.Version"), QByteArray("3"));
    QCOMPARE(formValue(run, "ClientToken"), QByteArray("spotkeeper-i-0123456789abcdef0-0"));
    QVERIFY(formValue(run, "InstanceType").isEmpty()); // the template's own first
    // Same tags (not the reserved aws: ones), and which instance it replaces.
    QString tags;
    for (const auto &[key, value] : run) {
        if (key.startsWith("TagSpecification.1.Tag."))
            tags += QString::fromUtf8(value) + u' ';
    }
    QVERIFY2(tags.contains(u"spotkeeper:auto-restart true "_s), qPrintable(tags));
    QVERIFY(tags.contains(u"team batch "_s));
    QVERIFY(tags.contains(u"spotkeeper:replaces i-0123456789abcdef0 "_s));
    QVERIFY(!tags.contains(u"aws:"_s));
    // A user's termination is never replaced; neither is an On-Demand instance.
    InstanceSpec byUser = terminated;
    byUser.reasonCode = u"Client.UserInitiatedShutdown"_s;
    m_aws->respond("DescribeInstances", xml(200, describeInstances({byUser})));
    const StartResult user = startAndWait(*provider);
    QCOMPARE(user.call.errorCode, u"InstanceTerminated"_s);
    QCOMPARE(m_aws->count("RunInstances"), 1);
    // A persistent request relaunches by itself: nothing to replace.
    m_aws->respond("DescribeInstances", xml(200, describeInstances({terminated})));
    m_aws->enqueue(
        "DescribeSpotInstanceRequests",
        xml(200,
            spotRequests(u"persistent"_s, u"open"_s, u"pending-fulfillment"_s, u"terminate"_s)));
    const StartResult persistent = startAndWait(*provider);
    QCOMPARE(persistent.call.errorCode, u"InstanceTerminated"_s);
    QVERIFY(persistent.call.errorMessage.contains(u"persistent"_s));
    QCOMPARE(m_aws->count("RunInstances"), 1);
}

void TestEc2CloudProvider::replacementTriesAlternatesOnCapacity()
{
    Ec2ProviderOptions options = fastOptions();
    options.replaceTerminated = true;
    options.alternateInstanceTypes = {u"m5a.large"_s};
    options.alternateZones = {u"eu-west-1c"_s};
    auto provider = makeProvider(options);
    InstanceSpec terminated;
    terminated.state = u"terminated"_s;
    terminated.reasonCode = u"Server.SpotInstanceTermination"_s;
    terminated.tags.append({u"aws:ec2launchtemplate:id"_s, u"lt-0abcd290751193123"_s});
    terminated.tags.append({u"spotkeeper:replace"_s, u"true"_s});
    m_aws->respond("DescribeInstances", xml(200, describeInstances({terminated})));
    m_aws->respond("DescribeSpotInstanceRequests",
                   xml(200,
                       spotRequests(u"one-time"_s, u"closed"_s,
                                    u"instance-terminated-no-capacity"_s, u"terminate"_s)));
    m_aws->respond("RunInstances", xml(500, ec2Error("InsufficientInstanceCapacity")));
    const StartResult result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), int(FailureClass::Capacity)); // all four choices short
    QCOMPARE(m_aws->count("RunInstances"), 4);
    QList<QByteArray> choices;
    for (const BytePairList &form : m_aws->forms) {
        if (formValue(form, "Action") == "RunInstances")
            choices.append(formValue(form, "InstanceType") + '/'
                           + formValue(form, "Placement.AvailabilityZone") + '/'
                           + formValue(form, "ClientToken").right(1));
    }
    QCOMPARE(
        choices,
        (QList<QByteArray> {"//0", "m5a.large//1", "/eu-west-1c/2", "m5a.large/eu-west-1c/3"}));
    QVERIFY(result.call.errorMessage.contains(u"m5a.large"_s));
}

void TestEc2CloudProvider::fleetMembersAreLeftToTheirFleet()
{
    auto provider = makeProvider(fastOptions());
    InstanceSpec member;
    member.state = u"stopped"_s;
    member.reasonCode = u"Server.SpotInstanceShutdown"_s;
    member.tags.append({u"aws:ec2spot:fleet-request-id"_s, u"sfr-0123"_s});
    m_aws->respond("DescribeInstances", xml(200, describeInstances({member})));
    const StartResult result = startAndWait(*provider);
    QCOMPARE(int(result.call.failure), int(FailureClass::Fatal));
    QCOMPARE(result.call.errorCode, u"ManagedByFleet"_s);
    QCOMPARE(m_aws->actions, (QList<QByteArray> {"DescribeInstances"}));
}

void TestEc2CloudProvider::throttlingGatesTheRegionWithBackoff()
{
    Ec2ProviderOptions options = fastOptions();
    options.client.throttleBaseMs = 1'000;
    options.client.throttleMaxMs = 8'000;
    auto provider = makeProvider(options);
    m_aws->respond("DescribeInstances", xml(503, ec2Error("RequestLimitExceeded")));
    QList<QDateTime> gates;
    const QDateTime t0 = m_clock->nowUtc();
    for (int i = 0; i < 5; ++i) {
        if (i > 0)
            m_clock->set(provider->client()->blockedUntil(kRegion)); // wait out the gate
        std::optional<PowerStateResult> result;
        provider->powerState(awsVm(), [&](const PowerStateResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QCOMPARE(int(result->call.failure), int(FailureClass::Throttled));
        gates.append(result->call.retryAfter);
    }
    // 1 s, 2 s, 4 s, 8 s, 8 s: exponential, capped.
    QCOMPARE(t0.msecsTo(gates[0]), 1'000);
    QCOMPARE(gates[0].msecsTo(gates[1]), 2'000);
    QCOMPARE(gates[1].msecsTo(gates[2]), 4'000);
    QCOMPARE(gates[2].msecsTo(gates[3]), 8'000);
    QCOMPARE(gates[3].msecsTo(gates[4]), 8'000);
    // While gated, a request waits instead of being sent.
    m_aws->respond("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    const int sent = m_aws->actions.size();
    std::optional<PowerStateResult> held;
    provider->powerState(awsVm(), [&](const PowerStateResult &r) { held = r; });
    QCOMPARE(provider->client()->pending(), 1);
    QCOMPARE(m_aws->actions.size(), sent);
    m_clock->set(provider->client()->blockedUntil(kRegion));
    provider->client()->processQueue();
    QTRY_VERIFY(held.has_value());
    QVERIFY(held->call.ok());
    // A success resets the backoff.
    m_aws->enqueue("DescribeInstances", xml(503, ec2Error("RequestLimitExceeded")));
    const QDateTime t1 = m_clock->nowUtc();
    std::optional<PowerStateResult> again;
    provider->powerState(awsVm(), [&](const PowerStateResult &r) { again = r; });
    QTRY_VERIFY(again.has_value());
    QCOMPARE(t1.msecsTo(again->call.retryAfter), 1'000);
}

void TestEc2CloudProvider::budgetsPaceDescribes()
{
    Ec2ProviderOptions options = fastOptions();
    options.client.budgets.enabled = true;
    options.client.budgets.describe = BudgetConfig {2, 1, 1'000};
    auto provider = makeProvider(options);
    m_aws->respond("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    int answered = 0;
    for (int i = 0; i < 3; ++i)
        provider->powerState(awsVm(), [&](const PowerStateResult &) { ++answered; });
    QTRY_COMPARE(answered, 2);
    QCOMPARE(provider->client()->pending(), 1); // the bucket of 2 is empty
    m_clock->advanceMSecs(1'000);
    provider->client()->processQueue();
    QTRY_COMPARE(answered, 3);
}

void TestEc2CloudProvider::listFollowsEveryPage()
{
    auto provider = makeProvider(fastOptions());
    InstanceSpec second;
    second.id = u"i-0aaaaaaaaaaaaaaa1"_s;
    second.state = u"stopped"_s;
    second.spot = false;
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({InstanceSpec {}}, "page-2")));
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({second})));
    std::optional<ListResult> result;
    provider->listVms(kScope, true, [&](const ListResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY2(result->call.ok(), qPrintable(result->call.errorMessage));
    QCOMPARE(result->pages, 2);
    QCOMPARE(result->vms.size(), 2);
    QVERIFY(!result->complete); // filtered by the opt-in tag
    QCOMPARE(result->vms[0].resourceId, kArn);
    QCOMPARE(result->vms[1].priority, u"OnDemand"_s);
    QCOMPARE(int(result->vms[1].powerState), int(PowerState::Deallocated));
    const BytePairList first = m_aws->forms.at(0);
    QCOMPARE(formValue(first, "Filter.1.Name"), QByteArray("tag:spotkeeper:auto-restart"));
    QCOMPARE(formValue(first, "Filter.1.Value.1"), QByteArray("true"));
    QVERIFY(formValue(first, "NextToken").isEmpty());
    QCOMPARE(formValue(m_aws->forms.at(1), "NextToken"), QByteArray("page-2"));
    // A failed page fails the listing; a bad scope never reaches EC2.
    m_aws->enqueue("DescribeInstances", xml(403, ec2Error("UnauthorizedOperation")));
    result.reset();
    provider->listVms(kScope, true, [&](const ListResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QCOMPARE(int(result->call.failure), int(FailureClass::Authorization));
    QVERIFY(result->vms.isEmpty());
    result.reset();
    provider->listVms(u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11"_s, true,
                      [&](const ListResult &r) { result = r; });
    QVERIFY(result && result->call.failure == FailureClass::Fatal);
    QCOMPARE(m_aws->actions.size(), 3);
}

void TestEc2CloudProvider::evidenceFromStateReasonAndCloudTrail()
{
    auto provider = makeProvider(fastOptions());
    const QDateTime since = m_clock->nowUtc().addSecs(-600);
    const auto evidence = [&] {
        std::optional<EvidenceResult> result;
        provider->evictionEvidence(awsVm(), since, [&](const EvidenceResult &r) { result = r; });
        (void)QTest::qWaitFor([&] { return result.has_value(); }, 10'000);
        return result.value_or(EvidenceResult {});
    };
    // EC2's interruption: the state reason decides, CloudTrail is not asked.
    InstanceSpec interrupted;
    interrupted.state = u"stopped"_s;
    interrupted.reasonCode = u"Server.SpotInstanceShutdown"_s;
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({interrupted})));
    EvidenceResult result = evidence();
    QCOMPARE(int(result.kind), int(EvidenceKind::Eviction));
    QCOMPARE(result.operation, u"Server.SpotInstanceShutdown"_s);
    QCOMPARE(m_aws->count("LookupEvents"), 0);
    // A user's stop: deliberate, and CloudTrail names the principal.
    InstanceSpec byUser;
    byUser.state = u"stopped"_s;
    byUser.reasonCode = u"Client.UserInitiatedShutdown"_s;
    const qint64 at = since.toSecsSinceEpoch() + 60;
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({byUser})));
    m_aws->enqueue("LookupEvents",
                   trailAnswer({trailEvent(u"StopInstances"_s, u"IAMUser"_s,
                                           u"arn:aws:iam::123456789012:user/alice"_s, at),
                                trailEvent(u"StartInstances"_s, u"IAMUser"_s,
                                           u"arn:aws:iam::123456789012:user/bob"_s, at - 30)}));
    result = evidence();
    QCOMPARE(int(result.kind), int(EvidenceKind::Deliberate));
    QCOMPARE(result.caller, u"arn:aws:iam::123456789012:user/alice"_s);
    QCOMPARE(result.operation, u"StopInstances"_s);
    QCOMPARE(result.at.toSecsSinceEpoch(), at);
    QCOMPARE(m_aws->lastService, u"cloudtrail"_s);
    const QJsonObject request = m_aws->trailBodies.last();
    const QJsonObject attribute = request.value("LookupAttributes"_L1).toArray().at(0).toObject();
    QCOMPARE(attribute.value("AttributeKey"_L1).toString(), u"ResourceName"_s);
    QCOMPARE(attribute.value("AttributeValue"_L1).toString(), kInstance);
    QCOMPARE(qint64(request.value("StartTime"_L1).toDouble()), since.toSecsSinceEpoch());
    // No state reason (e.g. still running, or the reason is gone): CloudTrail decides alone.
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    m_aws->enqueue("LookupEvents",
                   trailAnswer({trailEvent(u"BidEvictedEvent"_s, u"AWSService"_s, {}, at,
                                           u"ec2.amazonaws.com"_s)}));
    result = evidence();
    QCOMPARE(int(result.kind), int(EvidenceKind::Eviction));
    QCOMPARE(result.operation, u"BidEvictedEvent"_s);
    // EC2's own StopInstances (invoked by the service) is not a person's.
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    m_aws->enqueue("LookupEvents",
                   trailAnswer({trailEvent(u"StopInstances"_s, u"AWSService"_s, {}, at,
                                           u"ec2.amazonaws.com"_s)}));
    result = evidence();
    QCOMPARE(int(result.kind), int(EvidenceKind::None));
    QVERIFY(result.call.ok());
}

void TestEc2CloudProvider::cloudTrailPagesAndFailures()
{
    auto provider = makeProvider(fastOptions());
    const QDateTime since = m_clock->nowUtc().addSecs(-600);
    const qint64 at = since.toSecsSinceEpoch() + 60;
    const auto evidence = [&] {
        std::optional<EvidenceResult> result;
        provider->evictionEvidence(awsVm(), since, [&](const EvidenceResult &r) { result = r; });
        (void)QTest::qWaitFor([&] { return result.has_value(); }, 10'000);
        return result.value_or(EvidenceResult {});
    };
    m_aws->respond("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    m_aws->enqueue("LookupEvents", trailAnswer({}, u"more"_s));
    m_aws->enqueue(
        "LookupEvents",
        trailAnswer({trailEvent(u"TerminateInstances"_s, u"AssumedRole"_s,
                                u"arn:aws:sts::123456789012:assumed-role/ops/carol"_s, at)}));
    EvidenceResult result = evidence();
    QCOMPARE(int(result.kind), int(EvidenceKind::Deliberate));
    QCOMPARE(result.caller, u"arn:aws:sts::123456789012:assumed-role/ops/carol"_s);
    QCOMPARE(m_aws->trailBodies.last().value("NextToken"_L1).toString(), u"more"_s);
    // CloudTrail refused: no decision (the engine asks again), the code says why.
    m_aws->enqueue(
        "LookupEvents",
        http::Response::json(400, R"({"__type":"AccessDeniedException","message":"no"})"));
    result = evidence();
    QCOMPARE(int(result.call.failure), int(FailureClass::Authorization));
    QCOMPARE(result.call.errorCode, u"AccessDeniedException"_s);
    m_aws->enqueue("LookupEvents",
                   http::Response::json(400, R"({"__type":"com.amazonaws#ThrottlingException"})"));
    result = evidence();
    QCOMPARE(int(result.call.failure), int(FailureClass::Throttled));
    // A user's stop stands without CloudTrail, the principal unknown.
    InstanceSpec byUser;
    byUser.state = u"stopped"_s;
    byUser.reasonCode = u"Client.UserInitiatedShutdown"_s;
    m_clock->set(provider->client()->blockedUntil(kRegion, u"cloudtrail"_s));
    m_aws->respond("DescribeInstances", xml(200, describeInstances({byUser})));
    m_aws->enqueue("LookupEvents",
                   http::Response::json(400, R"({"__type":"AccessDeniedException"})"));
    result = evidence();
    QVERIFY(result.call.ok());
    QCOMPARE(int(result.kind), int(EvidenceKind::Deliberate));
    QVERIFY(result.evidence.contains(u"AccessDeniedException"_s));
}

void TestEc2CloudProvider::expiredKeysAreResolvedAgainOnce()
{
    auto provider = makeProvider(fastOptions());
    m_aws->enqueue("DescribeInstances", xml(400, ec2Error("RequestExpired")));
    m_aws->enqueue("DescribeInstances", xml(200, describeInstances({InstanceSpec {}})));
    std::optional<PowerStateResult> result;
    provider->powerState(awsVm(), [&](const PowerStateResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->call.ok());
    QCOMPARE(m_aws->count("DescribeInstances"), 2);
    // Twice in a row: an operator's matter, no third request.
    m_aws->respond("DescribeInstances", xml(401, ec2Error("AuthFailure")));
    result.reset();
    provider->powerState(awsVm(), [&](const PowerStateResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QCOMPARE(int(result->call.failure), int(FailureClass::Authorization));
    QCOMPARE(m_aws->count("DescribeInstances"), 4);
    // Wrong keys are refused by the fake's signature check the same way.
    Ec2ProviderOptions options = fastOptions();
    options.client.env.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"not-the-secret"_s);
    auto wrong = makeProvider(options);
    result.reset();
    wrong->powerState(awsVm(), [&](const PowerStateResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QCOMPARE(int(result->call.failure), int(FailureClass::Authorization));
    QVERIFY(!result->call.errorMessage.contains(u"not-the-secret"_s));
    QCOMPARE(m_aws->badSignatures, 2);
}

void TestEc2CloudProvider::stopIsStopInstances()
{
    auto provider = makeProvider(fastOptions());
    m_aws->respond("StopInstances", xml(200, "<StopInstancesResponse/>"));
    std::optional<CallResult> result;
    provider->deallocate(awsVm(), [&](const CallResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(formValue(m_aws->forms.last(), "InstanceId.1"), kInstance.toLatin1());
}

void TestEc2CloudProvider::restartIsRebootInstances()
{
    auto provider = makeProvider(fastOptions());
    m_aws->respond("RebootInstances", xml(200, "<RebootInstancesResponse/>"));
    std::optional<CallResult> result;
    provider->restart(awsVm(), [&](const CallResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(formValue(m_aws->forms.last(), "Action"), QByteArray("RebootInstances"));
    QCOMPARE(formValue(m_aws->forms.last(), "InstanceId.1"), kInstance.toLatin1());
}

QTEST_GUILESS_MAIN(TestEc2CloudProvider)
#include "tst_ec2cloudprovider.moc"
