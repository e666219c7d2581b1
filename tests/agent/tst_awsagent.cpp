// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// AWS in the agent (issue 16): the IMDSv2 client (session token, refreshed before it expires
// and after a 401, never a read without one), Ec2MetadataSource against a fake IMDSv2 (real
// HTTP on 127.0.0.1, tests/support/aws/fakeec2imds.h): identity, interruption, rebalance and
// scheduled events, failures that keep the last value; `cloud = auto` telling AWS apart; the
// aws config settings; and the whole agent delivering an interruption exactly once across a
// restart, and --check. Assertions are on order and counts, never on wall-clock durations.
#include "agentcore/agent.h"
#include "agentcore/agentconfig.h"
#include "agentcore/cloudselect.h"
#include "agentcore/ec2imdsclient.h"
#include "agentcore/ec2metadatasource.h"
#include "protocol/messagecodec.h"
#include "support/agent/agentfakes.h"
#include "support/agent/agentruns.h"
#include "support/aws/fakeec2imds.h"
#include "support/base/manualclock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace spotkeeper::agenttest;
using testsupport::FakeEc2Imds;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 15'000;
const QByteArray kStop = R"({"action": "stop", "time": "2026-12-07T06:02:00Z"})";

Ec2Timing fastTiming()
{
    Ec2Timing timing;
    timing.pollIntervalMs = 100;
    timing.requestTimeoutMs = 1'000;
    timing.errorBackoffBaseMs = 50;
    timing.errorBackoffCapMs = 200;
    timing.identityBackoffCapMs = 200;
    return timing;
}

std::unique_ptr<Ec2MetadataSource> sourceFor(const FakeEc2Imds &fake,
                                             const Ec2Timing &timing = fastTiming())
{
    return std::make_unique<Ec2MetadataSource>(fake.baseUrl(), timing, 7, base::systemClock());
}

struct Snapshots
{
    explicit Snapshots(NoticeSource &source)
    {
        QObject::connect(&source, &NoticeSource::eventsObserved, &source,
                         [this](const EventSnapshot &snapshot) { all.append(snapshot); });
        QObject::connect(&source, &NoticeSource::pollFailed, &source,
                         [this](const QString &reason) { failures.append(reason); });
    }
    QList<EventSnapshot> all;
    QStringList failures;
    EventSnapshot last() const { return all.isEmpty() ? EventSnapshot {} : all.last(); }
    QStringList types() const
    {
        QStringList types;
        for (const auto &event : last().events)
            types.append(event.eventTypeText + u'/' + protocol::toString(event.eventStatus));
        return types;
    }
};

AgentConfig awsConfig(const FakeEc2Imds &fake, const FakeDashboard &dashboard,
                      const QTemporaryDir &spool)
{
    AgentConfig config;
    config.cloud = AgentConfig::Cloud::Aws;
    config.awsImdsUrl = fake.baseUrl();
    config.imdsUrl = QUrl(u"http://127.0.0.1:9"_s); // never used for aws
    config.dashboardUrl = dashboard.baseUrl();
    config.credential = testCredential();
    config.keySource = u"test"_s;
    config.pollIntervalMs = 200;
    config.pollTimeoutMs = 1'000;
    config.firstPollTimeoutMs = 3'000;
    config.deliveryTimeoutMs = 1'000;
    config.spoolDir = spool.path();
    return config;
}

} // namespace

class TestAwsAgent final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void tokenIsFetchedOnceAndSent();
    void tokenIsRefreshedBeforeItExpires();
    void unauthorisedReadGetsANewToken();
    void tokenFailureNamesTheHopLimit();
    void environmentEndpoint();

    void identityThenPolls();
    void interruptionBehaviours_data();
    void interruptionBehaviours();
    void rebalanceAndScheduledEvents();
    void failedReadKeepsTheLastValue();
    void everyReadFailingBacksOff();
    void badIdentityIsRetried();
    void acknowledgeIsRefused();

    void detectsAws();
    void detectsAwsBehindTheHopLimit();
    void configCloudAws();

    void agentDeliversInterruptionExactlyOnce();
    void checkReadsImds();

private:
    std::unique_ptr<FakeEc2Imds> m_fake;
};

void TestAwsAgent::init()
{
    m_fake = std::make_unique<FakeEc2Imds>();
    QString error;
    QVERIFY2(m_fake->start(&error), qPrintable(error));
}

void TestAwsAgent::cleanup()
{
    m_fake.reset();
}

void TestAwsAgent::tokenIsFetchedOnceAndSent()
{
    testsupport::ManualClock clock;
    Ec2ImdsClient client(m_fake->baseUrl(), clock);
    int answered = 0;
    for (int i = 0; i < 3; ++i) // three reads at once: one token request
        client.get(FakeEc2Imds::kIdentityPath, 1'000, [&](const Ec2Reply &reply) {
            QVERIFY2(reply.ok(), qPrintable(reply.error));
            ++answered;
        });
    QTRY_COMPARE_WITH_TIMEOUT(answered, 3, kWaitMs);
    QCOMPARE(m_fake->tokensIssued(), 1);
    QCOMPARE(client.tokensFetched(), 1);
    QCOMPARE(m_fake->unauthorised(), 0);
    QCOMPARE(m_fake->requestedTtls(), QList<int> {21600}); // the SDKs' default
    // Through no proxy: the requests reached the fake directly.
    const auto put = m_fake->server().requests("PUT", "/latest/api/token");
    QCOMPARE(put.size(), 1);
    QVERIFY(put.first().header("X-Forwarded-For").isEmpty());
}

void TestAwsAgent::tokenIsRefreshedBeforeItExpires()
{
    testsupport::ManualClock clock;
    Ec2ImdsClient client(m_fake->baseUrl(), clock, 100); // lives 100 s, renewed after 75 s
    const auto read = [&] {
        bool ok = false;
        bool done = false;
        client.get(FakeEc2Imds::kIdentityPath, 1'000, [&](const Ec2Reply &reply) {
            ok = reply.ok();
            done = true;
        });
        return QTest::qWaitFor([&] { return done; }, kWaitMs) && ok;
    };
    QVERIFY(read());
    QCOMPARE(m_fake->tokensIssued(), 1);
    clock.advanceMSecs(74'000);
    QVERIFY(read());
    QCOMPARE(m_fake->tokensIssued(), 1); // still fresh
    clock.advanceMSecs(2'000); // 76 s: inside the last quarter of its life
    QVERIFY(read());
    QCOMPARE(m_fake->tokensIssued(), 2);
    QCOMPARE(m_fake->unauthorised(), 0); // renewed before, never refused
    QCOMPARE(m_fake->requestedTtls(), (QList<int> {100, 100}));
}

void TestAwsAgent::unauthorisedReadGetsANewToken()
{
    testsupport::ManualClock clock;
    Ec2ImdsClient client(m_fake->baseUrl(), clock);
    bool first = false;
    client.get(FakeEc2Imds::kIdentityPath, 1'000, [&](const Ec2Reply &r) { first = r.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(first, kWaitMs);
    m_fake->revokeTokens(); // e.g. the metadata service restarted
    Ec2Reply second;
    bool done = false;
    client.get(FakeEc2Imds::kIdentityPath, 1'000, [&](const Ec2Reply &r) {
        second = r;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, kWaitMs);
    QVERIFY2(second.ok(), qPrintable(second.error));
    QCOMPARE(m_fake->unauthorised(), 1);
    QCOMPARE(m_fake->tokensIssued(), 2);
}

void TestAwsAgent::tokenFailureNamesTheHopLimit()
{
    testsupport::ManualClock clock;
    m_fake->hangTokenRequests = true;
    Ec2ImdsClient client(m_fake->baseUrl(), clock);
    Ec2Reply reply;
    bool done = false;
    client.get(FakeEc2Imds::kIdentityPath, 300, [&](const Ec2Reply &r) {
        reply = r;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, kWaitMs);
    QVERIFY(!reply.ok());
    QVERIFY2(reply.error.contains("PUT /latest/api/token"_L1), qPrintable(reply.error));
    QVERIFY2(reply.error.contains("hop limit"_L1), qPrintable(reply.error));
    // No IMDSv1 fallback: nothing was read without a token.
    QCOMPARE(m_fake->reads(FakeEc2Imds::kIdentityPath), 0);
}

void TestAwsAgent::environmentEndpoint()
{
    QString error;
    QCOMPARE(Ec2ImdsClient::urlFromEnvironment({}, {}, &error), QUrl(u"http://169.254.169.254"_s));
    QCOMPARE(Ec2ImdsClient::urlFromEnvironment({}, u"IPv6"_s, &error),
             QUrl(u"http://[fd00:ec2::254]"_s));
    QCOMPARE(Ec2ImdsClient::urlFromEnvironment(u"http://127.0.0.1:1338"_s, u"IPv6"_s, &error),
             QUrl(u"http://127.0.0.1:1338"_s)); // the endpoint wins over the mode
    QVERIFY(!Ec2ImdsClient::urlFromEnvironment(u"169.254.169.254"_s, {}, &error).isValid());
    QVERIFY(error.startsWith("AWS_EC2_METADATA_SERVICE_ENDPOINT:"_L1));
    QVERIFY(!Ec2ImdsClient::urlFromEnvironment({}, u"IPv5"_s, &error).isValid());
    QVERIFY(error.startsWith("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE:"_L1));
}

void TestAwsAgent::identityThenPolls()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    QSignalSpy resolved(source.get(), &NoticeSource::identityResolved);
    source->start();
    QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 1, kWaitMs);
    const protocol::VmIdentity vm = source->identity();
    QVERIFY(vm.cloud == protocol::Cloud::Aws);
    QCOMPARE(vm.resourceId(), u"arn:aws:ec2:us-west-2:123456789012:instance/i-1234567890abcdef0"_s);
    QCOMPARE(vm.priority, u"spot"_s);
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.all.size() >= 2, kWaitMs);
    QVERIFY(snapshots.last().events.isEmpty());
    QVERIFY(source->lastPoll().ok);
    QCOMPARE(m_fake->tokensIssued(), 1); // one session for everything
    QCOMPARE(m_fake->unauthorised(), 0);
    source->stop();
}

void TestAwsAgent::interruptionBehaviours_data()
{
    QTest::addColumn<QByteArray>("action");
    QTest::addColumn<QString>("status");
    QTest::newRow("terminate") << QByteArray(
        R"({"action":"terminate","time":"2026-12-07T06:02:00Z"})")
                               << u"Scheduled"_s;
    QTest::newRow("stop") << kStop << u"Scheduled"_s;
    QTest::newRow("hibernate") << QByteArray(
        R"({"action":"hibernate","time":"2026-12-07T06:00:00Z"})")
                               << u"Started"_s;
}

void TestAwsAgent::interruptionBehaviours()
{
    QFETCH(QByteArray, action);
    QFETCH(QString, status);
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.all.isEmpty(), kWaitMs);
    m_fake->set(FakeEc2Imds::kActionPath, action);
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().events.size(), 1, kWaitMs);
    const protocol::ScheduledEvent event = snapshots.last().events.first();
    QVERIFY(event.eventType == protocol::EventType::Preempt);
    QCOMPARE(protocol::toString(event.eventStatus), status);
    const qint64 incarnation = snapshots.last().incarnation;
    // The item goes (404 again): the event is gone from the next snapshot.
    m_fake->remove(FakeEc2Imds::kActionPath);
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.last().events.isEmpty(), kWaitMs);
    QVERIFY(snapshots.last().incarnation > incarnation);
    source->stop();
}

void TestAwsAgent::rebalanceAndScheduledEvents()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.all.isEmpty(), kWaitMs);
    m_fake->set(FakeEc2Imds::kRebalancePath, R"({"noticeTime":"2026-12-07T05:59:00Z"})");
    m_fake->set(FakeEc2Imds::kScheduledPath,
                R"([{"NotBefore":"21 Dec 2026 09:00:43 GMT","Code":"system-reboot",)"
                R"("Description":"scheduled reboot","EventId":"instance-event-0d59937288b749b32",)"
                R"("State":"active"},{"NotBefore":"1 Dec 2026 09:00:00 GMT",)"
                R"("Code":"instance-stop","EventId":"instance-event-1","State":"completed"}])");
    QTRY_COMPARE_WITH_TIMEOUT(
        snapshots.types(),
        (QStringList {u"RebalanceRecommendation/Scheduled"_s, u"Reboot/Scheduled"_s}), kWaitMs);
    m_fake->set(FakeEc2Imds::kActionPath, kStop); // the interruption follows the recommendation
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.types().size(), 3, kWaitMs);
    QCOMPARE(snapshots.types().first(), u"Preempt/Scheduled"_s);
    source->stop();
}

void TestAwsAgent::failedReadKeepsTheLastValue()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    m_fake->set(FakeEc2Imds::kActionPath, kStop);
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().events.size(), 1, kWaitMs);
    // A garbled answer and a 503: the interruption must not look gone meanwhile.
    m_fake->set(FakeEc2Imds::kActionPath, "<html>oops</html>");
    const int before = int(snapshots.all.size());
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.all.size() >= before + 2, kWaitMs);
    for (qsizetype i = before; i < snapshots.all.size(); ++i)
        QCOMPARE(snapshots.all.at(i).events.size(), 1);
    QVERIFY(!source->lastPoll().ok);
    QVERIFY2(source->lastPoll().error.contains("spot/instance-action: not a JSON object"_L1),
             qPrintable(source->lastPoll().error));
    m_fake->set(FakeEc2Imds::kActionPath, kStop);
    m_fake->script = {503};
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->script.isEmpty(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(source->lastPoll().ok, kWaitMs);
    QCOMPARE(snapshots.last().events.size(), 1);
    QVERIFY(snapshots.failures.isEmpty()); // incomplete polls, not failed ones
    source->stop();
}

void TestAwsAgent::everyReadFailingBacksOff()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.all.isEmpty(), kWaitMs);
    m_fake->script = {503, 503, 503, 500, 500, 500};
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.failures.size() >= 2, kWaitMs);
    QVERIFY(snapshots.failures.first().contains("HTTP 50"_L1));
    QTRY_VERIFY_WITH_TIMEOUT(source->lastPoll().ok, kWaitMs); // and recovers
    source->stop();
}

void TestAwsAgent::badIdentityIsRetried()
{
    m_fake->set(FakeEc2Imds::kIdentityPath, R"({"accountId":"1"})");
    auto source = sourceFor(*m_fake);
    QSignalSpy resolved(source.get(), &NoticeSource::identityResolved);
    source->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->reads(FakeEc2Imds::kIdentityPath) >= 2, kWaitMs);
    QVERIFY(!source->identityKnown());
    QVERIFY2(source->identityError().startsWith("instance-identity/document: accountId"_L1),
             qPrintable(source->identityError()));
    QCOMPARE(m_fake->reads(FakeEc2Imds::kActionPath), 0); // nothing watched without identity
    m_fake->set(FakeEc2Imds::kIdentityPath,
                R"({"accountId":"123456789012","region":"us-west-2",)"
                R"("availabilityZone":"us-west-2b",)"
                R"("instanceId":"i-1234567890abcdef0",)"
                R"("instanceType":"m5.large"})");
    QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 1, kWaitMs);
    source->stop();
}

void TestAwsAgent::acknowledgeIsRefused()
{
    auto source = sourceFor(*m_fake);
    QString error;
    bool called = false;
    source->acknowledge(u"X"_s, [&](bool ok, const QString &e) {
        QVERIFY(!ok);
        error = e;
        called = true;
    });
    QTRY_VERIFY(called);
    QVERIFY(error.contains("no call"_L1));
}

void TestAwsAgent::detectsAws()
{
    // The fake answers the Google probe (GET /computeMetadata/...) 401 and gives tokens.
    CloudDetectingSource source(
        m_fake->baseUrl(), m_fake->baseUrl(), [] { return std::unique_ptr<NoticeSource>(); },
        [&] { return std::unique_ptr<NoticeSource>(sourceFor(*m_fake)); },
        [] { return std::unique_ptr<NoticeSource>(); });
    QSignalSpy resolved(&source, &NoticeSource::identityResolved);
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 1, kWaitMs);
    QVERIFY(source.detected() == AgentConfig::Cloud::Aws);
    QVERIFY(source.identity().cloud == protocol::Cloud::Aws);
    source.stop();
}

void TestAwsAgent::detectsAwsBehindTheHopLimit()
{
    m_fake->hangTokenRequests = true; // the GET is refused (401), the PUT's answer never comes
    CloudDetectingSource source(
        m_fake->baseUrl(), m_fake->baseUrl(), [] { return std::unique_ptr<NoticeSource>(); },
        [&] { return std::unique_ptr<NoticeSource>(sourceFor(*m_fake)); },
        [] { return std::unique_ptr<NoticeSource>(); });
    QSignalSpy detected(&source, &CloudDetectingSource::cloudDetected);
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(detected.size(), 1, kWaitMs);
    QVERIFY(source.detected() == AgentConfig::Cloud::Aws);
    source.stop();
}

void TestAwsAgent::configCloudAws()
{
    QProcessEnvironment env;
    env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, u"https://dash.example"_s);
    env.insert(u"SPOTKEEPER_AGENT_KEY"_s, u"agk_1 whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s);
    auto load = [&](QStringList args, const QProcessEnvironment &e) {
        args.prepend(u"spotkeeper-agent"_s);
        return loadAgentConfig(args, e);
    };
    auto result = load({u"--cloud"_s, u"aws"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QVERIFY(result.config->cloud == AgentConfig::Cloud::Aws);
    QCOMPARE(result.config->awsImdsUrl, QUrl(u"http://169.254.169.254"_s));

    QProcessEnvironment aws = env;
    aws.insert(u"AWS_EC2_METADATA_SERVICE_ENDPOINT"_s, u"http://127.0.0.1:1338"_s);
    result = load({u"--cloud=aws"_s}, aws);
    QVERIFY2(result.config, qPrintable(result.error));
    QCOMPARE(result.config->awsImdsUrl, QUrl(u"http://127.0.0.1:1338"_s));
    result = load({u"--cloud=aws"_s, u"--imds-url=http://127.0.0.1:9"_s}, aws); // flag wins
    QVERIFY2(result.config, qPrintable(result.error));
    QCOMPARE(result.config->awsImdsUrl, QUrl(u"http://127.0.0.1:9"_s));
    aws.insert(u"AWS_EC2_METADATA_SERVICE_ENDPOINT"_s, u"not a url"_s);
    result = load({u"--cloud=aws"_s}, aws);
    QVERIFY(!result.config);
    QVERIFY(result.error.startsWith("AWS_EC2_METADATA_SERVICE_ENDPOINT:"_L1));
    result = load({}, aws); // Azure does not read AWS's variables
    QVERIFY2(result.config, qPrintable(result.error));
    QProcessEnvironment v6 = env;
    v6.insert(u"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"_s, u"IPv6"_s);
    v6.insert(u"SPOTKEEPER_CLOUD"_s, u"aws"_s);
    result = load({}, v6);
    QVERIFY2(result.config, qPrintable(result.error));
    QCOMPARE(result.config->awsImdsUrl, QUrl(u"http://[fd00:ec2::254]"_s));
}

void TestAwsAgent::agentDeliversInterruptionExactlyOnce()
{
    FakeDashboard dashboard(testCredential());
    QString error;
    QVERIFY2(dashboard.start(&error), qPrintable(error));
    QTemporaryDir spool;
    const AgentConfig config = awsConfig(*m_fake, dashboard, spool);
    auto makeAgent = [&] {
        return makeTestAgent(config);
    };
    auto agent = makeAgent();
    QVERIFY2(agent->start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!dashboard.heartbeats.isEmpty(), kWaitMs);
    const auto heartbeat = protocol::decodeHeartbeat(dashboard.heartbeats.first().body);
    QVERIFY2(heartbeat.ok(), qPrintable(heartbeat.errors.value(0).message()));
    QVERIFY(heartbeat.value->vm.cloud == protocol::Cloud::Aws);

    m_fake->set(FakeEc2Imds::kActionPath, kStop);
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.accepted.size(), 1, kWaitMs);
    const auto notice = protocol::decodeNotice(dashboard.accepted.first().body);
    QVERIFY2(notice.ok(), qPrintable(notice.errors.value(0).message()));
    QCOMPARE(QJsonDocument::fromJson(dashboard.accepted.first().body)
                 .object()
                 .value("version"_L1)
                 .toInt(),
             2);
    QCOMPARE(notice.value->vm.resourceId(),
             u"arn:aws:ec2:us-west-2:123456789012:instance/i-1234567890abcdef0"_s);
    QVERIFY(notice.value->event.eventType == protocol::EventType::Preempt);
    QCOMPARE(notice.value->event.description, u"EC2 Spot interruption: stop"_s);

    // Restarted: the spool knows the notice was delivered, nothing is resent.
    agent.reset();
    agent = makeAgent();
    QSignalSpy observed(&agent->source(), &NoticeSource::eventsObserved);
    QVERIFY2(agent->start(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(observed.size() >= 2, kWaitMs);
    QCOMPARE(dashboard.accepted.size(), 1);
    QCOMPARE(dashboard.duplicates, 0);
    QCOMPARE(dashboard.badSignatures, 0);
    // No secret of the session reached the dashboard either.
    for (const auto &request : dashboard.accepted)
        QVERIFY(request.header("X-aws-ec2-metadata-token").isEmpty());
}

void TestAwsAgent::checkReadsImds()
{
    FakeDashboard dashboard(testCredential());
    QString error;
    QVERIFY2(dashboard.start(&error), qPrintable(error));
    QTemporaryDir spool;
    const AgentConfig config = awsConfig(*m_fake, dashboard, spool);
    const auto run = [&](QStringList *lines) {
        return runAgentCheck(config, lines, kWaitMs);
    };
    QStringList lines;
    QCOMPARE(run(&lines), 0);
    const QString text = lines.join(u'\n');
    QVERIFY2(text.contains("OK   identity: AWS VM i-1234567890abcdef0, priority spot, resource id "
                           "arn:aws:ec2:us-west-2:123456789012:instance/i-1234567890abcdef0"_L1),
             qPrintable(text));
    QVERIFY2(text.contains("OK   events: 0 event(s) for this VM"_L1), qPrintable(text));

    m_fake->hangTokenRequests = true; // no session: both checks fail, in bounded time
    lines.clear();
    QVERIFY(run(&lines) >= 2);
    const QString failed = lines.join(u'\n');
    QVERIFY2(failed.contains("FAIL identity: cannot read the metadata service"_L1),
             qPrintable(failed));
    QVERIFY2(failed.contains("hop limit"_L1), qPrintable(failed));
}

QTEST_MAIN(TestAwsAgent)
#include "tst_awsagent.moc"
