// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Google Cloud in the agent: GceMetadataSource against a fake metadata server (real HTTP on
// 127.0.0.1, tests/support/gcp/fakegcemetadata.h), `cloud = auto` detection, the gcp config
// settings, and the whole agent delivering a preemption to a fake dashboard exactly once.
// Assertions are on order and counts, never on wall-clock durations.
#include "agentcore/agent.h"
#include "agentcore/agentconfig.h"
#include "agentcore/azureimdssource.h"
#include "agentcore/cloudselect.h"
#include "agentcore/gcemetadatasource.h"
#include "protocol/messagecodec.h"
#include "support/agent/agentfakes.h"
#include "support/agent/agentruns.h"
#include "support/gcp/fakegcemetadata.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace spotkeeper::agenttest;
using testsupport::FakeGceMetadata;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 15'000;
const QString kPreempted = u"instance/preempted"_s;
const QString kMaintenance = u"instance/maintenance-event"_s;

GceTiming fastTiming()
{
    GceTiming timing;
    timing.pollIntervalMs = 100;
    timing.requestTimeoutMs = 1'000;
    timing.waitTimeoutSec = 30;
    timing.errorBackoffBaseMs = 50;
    timing.errorBackoffCapMs = 200;
    timing.identityBackoffCapMs = 200;
    return timing;
}

std::unique_ptr<GceMetadataSource> sourceFor(const FakeGceMetadata &fake,
                                             const GceTiming &timing = fastTiming())
{
    return std::make_unique<GceMetadataSource>(fake.baseUrl(), timing, 7, base::systemClock(),
                                               u"boot-1"_s);
}

// The last snapshot the source published.
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
};

// An agent configured for Google Cloud against the fake metadata server and dashboard.
AgentConfig gcpConfig(const FakeGceMetadata &fake, const FakeDashboard &dashboard,
                      const QTemporaryDir &spool)
{
    AgentConfig config;
    config.cloud = AgentConfig::Cloud::Gcp;
    config.gceMetadataUrl = fake.baseUrl();
    config.imdsUrl = QUrl(u"http://127.0.0.1:9"_s); // never used for gcp
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

quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort(); // closed again when server goes
}

} // namespace

class TestGcpAgent final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void identityThenLongPolls();
    void preemptionArrivesOnTheOpenLongPoll();
    void maintenanceNotices();
    void answersWithoutFlavorHeaderAreRefused();
    void errorFallsBackToPollingThenLongPollsAgain();
    void missingKeyAndGarbageArePollFailures();
    void identityTimeoutIsRetried();
    void serverIgnoringWaitIsStillWatched();
    void acknowledgeIsRefused();

    void detectsGoogle();
    void detectsAzure();
    void detectsAzureWhenNothingAnswers();

    void configCloudAndMetadataHost();

    void agentDeliversPreemptionExactlyOnce();
    void checkReadsTheMetadataServer();

private:
    std::unique_ptr<FakeGceMetadata> m_fake;
};

void TestGcpAgent::init()
{
    m_fake = std::make_unique<FakeGceMetadata>();
    QString error;
    QVERIFY2(m_fake->start(&error), qPrintable(error));
}

void TestGcpAgent::cleanup()
{
    // Every request the agent sent carried Metadata-Flavor: Google.
    QCOMPARE(m_fake->refusedWithoutHeader, 0);
    m_fake.reset();
}

void TestGcpAgent::identityThenLongPolls()
{
    auto source = sourceFor(*m_fake);
    QSignalSpy resolved(source.get(), &NoticeSource::identityResolved);
    Snapshots snapshots(*source);
    source->start();
    QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 1, kWaitMs);
    const protocol::VmIdentity vm = source->identity();
    QVERIFY(vm.cloud == protocol::Cloud::Gcp);
    QCOMPARE(vm.projectId, u"spot-fleet-1"_s);
    QCOMPARE(vm.vmId, u"8230498714093811747"_s);
    QCOMPARE(vm.vmName, u"worker-7"_s);
    QCOMPARE(vm.zone, u"europe-west1-b"_s);
    QCOMPARE(vm.priority, u"SPOT"_s);
    QCOMPARE(vm.evictionPolicy, u"STOP"_s);
    // The scheduling directory was read as JSON.
    const auto scheduling =
        m_fake->server().requests("GET", "/computeMetadata/v1/instance/scheduling/");
    QCOMPARE(scheduling.size(), 1);
    QCOMPARE(scheduling.first().queryItem(u"recursive"_s), u"true"_s);
    QCOMPARE(scheduling.first().queryItem(u"alt"_s), u"json"_s);

    // Both watches read once, then wait for changes with the ETag they got.
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    QVERIFY(source->longPolling(kPreempted));
    QVERIFY(source->longPolling(kMaintenance));
    const auto reads = m_fake->server().requests("GET", "/computeMetadata/v1/instance/preempted");
    QCOMPARE(reads.size(), 2);
    QVERIFY(reads.at(0).queryItem(u"wait_for_change"_s).isEmpty());
    QCOMPARE(reads.at(1).queryItem(u"wait_for_change"_s), u"true"_s);
    QCOMPARE(reads.at(1).queryItem(u"last_etag"_s).toLatin1(), m_fake->etag(kPreempted));
    QCOMPARE(reads.at(1).queryItem(u"timeout_sec"_s), u"30"_s);
    QVERIFY(!snapshots.all.isEmpty());
    QVERIFY(snapshots.last().events.isEmpty());
    QVERIFY(source->lastPoll().ok);
}

void TestGcpAgent::preemptionArrivesOnTheOpenLongPoll()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    const int requestsBefore = m_fake->requests(kPreempted);
    int requestsAtDetection = -1;
    connect(source.get(), &NoticeSource::eventsObserved, this, [&](const EventSnapshot &s) {
        if (!s.events.isEmpty() && requestsAtDetection < 0)
            requestsAtDetection = m_fake->requests(kPreempted);
    });
    const qint64 incarnationBefore = snapshots.last().incarnation;
    m_fake->set(kPreempted, "TRUE");
    QTRY_VERIFY_WITH_TIMEOUT(requestsAtDetection >= 0, kWaitMs);
    // Seen on the long poll that was already open: no new request was needed.
    QCOMPARE(requestsAtDetection, requestsBefore);
    const EventSnapshot snapshot = snapshots.last();
    QCOMPARE(snapshot.events.size(), 1);
    QVERIFY(snapshot.incarnation > incarnationBefore);
    const protocol::ScheduledEvent &event = snapshot.events.first();
    QVERIFY(event.eventType == protocol::EventType::Preempt);
    QVERIFY(event.eventStatus == protocol::EventStatus::Started);
    QCOMPARE(event.resources, QStringList {u"worker-7"_s});
    // The same boot gives the same id (a restarted agent repeats nothing).
    auto again = sourceFor(*m_fake);
    Snapshots secondSnapshots(*again);
    again->start();
    QTRY_VERIFY_WITH_TIMEOUT(!secondSnapshots.last().events.isEmpty(), kWaitMs);
    QCOMPARE(secondSnapshots.last().events.first().eventId, event.eventId);
}

void TestGcpAgent::maintenanceNotices()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    m_fake->set(kMaintenance, "MIGRATE_ON_HOST_MAINTENANCE");
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().events.size(), 1, kWaitMs);
    const protocol::ScheduledEvent first = snapshots.last().events.first();
    QVERIFY(first.eventType == protocol::EventType::Freeze);
    QVERIFY(first.eventStatus == protocol::EventStatus::Scheduled);
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    m_fake->set(kMaintenance, "NONE");
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().events.size(), 0, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    m_fake->set(kMaintenance, "TERMINATE_ON_HOST_MAINTENANCE");
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().events.size(), 1, kWaitMs);
    const protocol::ScheduledEvent second = snapshots.last().events.first();
    QVERIFY(second.eventType == protocol::EventType::Reboot);
    QVERIFY(second.eventId != first.eventId); // a new notice, a new id
}

void TestGcpAgent::answersWithoutFlavorHeaderAreRefused()
{
    m_fake->flavorHeader = false; // some other server on the metadata address
    auto source = sourceFor(*m_fake);
    QSignalSpy resolved(source.get(), &NoticeSource::identityResolved);
    source->start();
    // Retried, and never believed.
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->requests(u"project/project-id"_s) >= 3, kWaitMs);
    QCOMPARE(resolved.size(), 0);
    QVERIFY(!source->identityKnown());
    QVERIFY2(source->identityError().contains("Metadata-Flavor: Google"_L1),
             qPrintable(source->identityError()));
    QCOMPARE(m_fake->requests(u"instance/id"_s), 0); // the chain stops at the first refusal
}

void TestGcpAgent::errorFallsBackToPollingThenLongPollsAgain()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    const int before = m_fake->requests(kPreempted);
    m_fake->script = {503}; // the next request after the change fails
    m_fake->set(kPreempted, "TRUE");
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.failures.isEmpty(), kWaitMs);
    QVERIFY2(snapshots.failures.first().contains("HTTP 503"_L1),
             qPrintable(snapshots.failures.first()));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    const auto reads = m_fake->server().requests("GET", "/computeMetadata/v1/instance/preempted");
    // long poll answered by the change, then the failed long poll, then a plain read (the
    // fallback), then waiting again.
    QVERIFY(reads.size() >= before + 3);
    QCOMPARE(reads.at(before).queryItem(u"wait_for_change"_s), u"true"_s); // failed (503)
    QVERIFY(reads.at(before + 1).queryItem(u"wait_for_change"_s).isEmpty()); // polling
    QCOMPARE(reads.last().queryItem(u"wait_for_change"_s), u"true"_s);
    QVERIFY(source->longPolling(kPreempted));
    QCOMPARE(snapshots.last().events.size(), 1); // the preemption was reported all the same
}

void TestGcpAgent::missingKeyAndGarbageArePollFailures()
{
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    m_fake->set(kPreempted, "maybe");
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.failures.isEmpty(), kWaitMs);
    QVERIFY2(snapshots.failures.last().contains("expected TRUE or FALSE"_L1),
             qPrintable(snapshots.failures.last()));
    QVERIFY(!source->longPolling(kPreempted));
    QVERIFY(snapshots.last().events.isEmpty()); // garbage is never a preemption
    m_fake->remove(kPreempted);
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.failures.last().contains("HTTP 404"_L1), kWaitMs);
    QVERIFY(!source->lastPoll().ok);
    m_fake->set(kPreempted, "TRUE");
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().events.size(), 1, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(source->longPolling(kPreempted), kWaitMs);
}

void TestGcpAgent::identityTimeoutIsRetried()
{
    GceTiming timing = fastTiming();
    timing.requestTimeoutMs = 200;
    m_fake->script = {0}; // the first request is never answered
    auto source = sourceFor(*m_fake, timing);
    QSignalSpy resolved(source.get(), &NoticeSource::identityResolved);
    source->start();
    QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 1, kWaitMs);
    QCOMPARE(m_fake->requests(u"project/project-id"_s), 2);
}

void TestGcpAgent::serverIgnoringWaitIsStillWatched()
{
    m_fake->honourWait = false;
    auto source = sourceFor(*m_fake);
    Snapshots snapshots(*source);
    source->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->waitRequests(kPreempted) >= 3, kWaitMs);
    m_fake->set(kPreempted, "TRUE");
    QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().events.size(), 1, kWaitMs);
}

void TestGcpAgent::acknowledgeIsRefused()
{
    auto source = sourceFor(*m_fake);
    bool called = false;
    QString error;
    source->acknowledge(u"X"_s, [&](bool ok, const QString &e) {
        called = true;
        QVERIFY(!ok);
        error = e;
    });
    QTRY_VERIFY(called);
    QVERIFY(error.contains("no call"_L1));
}

void TestGcpAgent::detectsGoogle()
{
    bool gcpMade = false;
    CloudDetectingSource source(
        m_fake->baseUrl(), m_fake->baseUrl(),
        [&] {
            gcpMade = true;
            return sourceFor(*m_fake);
        },
        [] { return std::unique_ptr<NoticeSource>(); },
        [] { return std::unique_ptr<NoticeSource>(); });
    QSignalSpy resolved(&source, &NoticeSource::identityResolved);
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 1, kWaitMs); // forwarded from the inner source
    QVERIFY(source.detected() == AgentConfig::Cloud::Gcp);
    QVERIFY(gcpMade);
    QCOMPARE(source.identity().vmName, u"worker-7"_s);
}

void TestGcpAgent::detectsAzure()
{
    FakeImds imds; // answers /computeMetadata/... with 404 and no Metadata-Flavor header
    QString error;
    QVERIFY2(imds.start(&error), qPrintable(error));
    CloudDetectingSource source(
        imds.baseUrl(), imds.baseUrl(), [] { return std::unique_ptr<NoticeSource>(); },
        [] { return std::unique_ptr<NoticeSource>(); },
        [&] {
            ImdsTiming timing;
            timing.pollIntervalMs = 200;
            return std::unique_ptr<NoticeSource>(
                std::make_unique<AzureImdsSource>(imds.baseUrl(), timing, 1, base::systemClock()));
        });
    QSignalSpy resolved(&source, &NoticeSource::identityResolved);
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 1, kWaitMs);
    QVERIFY(source.detected() == AgentConfig::Cloud::Azure);
    QVERIFY(source.identity().cloud == protocol::Cloud::Azure);
    QCOMPARE(imds.server().count("GET", "/computeMetadata/v1/instance/id"), 1); // asked once
}

void TestGcpAgent::detectsAzureWhenNothingAnswers()
{
    const QUrl nowhere(u"http://127.0.0.1:%1"_s.arg(closedPort()));
    CloudDetectingSource source(
        nowhere, nowhere, [] { return std::unique_ptr<NoticeSource>(); },
        [] { return std::unique_ptr<NoticeSource>(); },
        [&] {
            return std::unique_ptr<NoticeSource>(
                std::make_unique<AzureImdsSource>(nowhere, ImdsTiming {}, 1, base::systemClock()));
        });
    QSignalSpy detected(&source, &CloudDetectingSource::cloudDetected);
    QVERIFY(source.identityError().startsWith("detecting the cloud"_L1));
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(detected.size(), 1, kWaitMs); // bounded: 3 attempts
    QVERIFY(source.detected() == AgentConfig::Cloud::Azure);
    source.stop();
}

void TestGcpAgent::configCloudAndMetadataHost()
{
    QProcessEnvironment env;
    env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, u"https://dash.example"_s);
    env.insert(u"SPOTKEEPER_AGENT_KEY"_s, u"agk_1 whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s);
    auto load = [&](QStringList args, const QProcessEnvironment &e) {
        args.prepend(u"spotkeeper-agent"_s);
        return loadAgentConfig(args, e);
    };
    // Default: Azure, as before this setting existed.
    auto result = load({}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QVERIFY(result.config->cloud == AgentConfig::Cloud::Azure);
    QCOMPARE(result.config->gceMetadataUrl, QUrl(u"http://169.254.169.254"_s));

    result = load({u"--cloud"_s, u"gcp"_s}, env);
    QVERIFY2(result.config, qPrintable(result.error));
    QVERIFY(result.config->cloud == AgentConfig::Cloud::Gcp);
    result = load({u"--cloud=AUTO"_s}, env);
    QVERIFY(result.config && result.config->cloud == AgentConfig::Cloud::Auto);
    result = load({u"--cloud=oci"_s}, env);
    QVERIFY(!result.config);
    QCOMPARE(result.error, u"cloud: 'oci' is not azure, gcp, aws or auto"_s);

    QProcessEnvironment gce = env;
    gce.insert(u"GCE_METADATA_HOST"_s, u"127.0.0.1:8089"_s);
    gce.insert(u"SPOTKEEPER_CLOUD"_s, u"gcp"_s);
    result = load({}, gce);
    QVERIFY2(result.config, qPrintable(result.error));
    QVERIFY(result.config->cloud == AgentConfig::Cloud::Gcp);
    QCOMPARE(result.config->gceMetadataUrl, QUrl(u"http://127.0.0.1:8089"_s));
    // --imds-url wins over GCE_METADATA_HOST.
    result = load({u"--imds-url=http://127.0.0.1:9"_s}, gce);
    QVERIFY2(result.config, qPrintable(result.error));
    QCOMPARE(result.config->gceMetadataUrl, QUrl(u"http://127.0.0.1:9"_s));
    for (const QString &bad : {u"http://x"_s, u"a b"_s, u"host/path"_s}) {
        gce.insert(u"GCE_METADATA_HOST"_s, bad);
        result = load({}, gce);
        QVERIFY2(!result.config, qPrintable(bad));
        QVERIFY(result.error.startsWith("GCE_METADATA_HOST:"_L1));
    }
}

void TestGcpAgent::agentDeliversPreemptionExactlyOnce()
{
    FakeDashboard dashboard(testCredential());
    QString error;
    QVERIFY2(dashboard.start(&error), qPrintable(error));
    QTemporaryDir spool;
    const AgentConfig config = gcpConfig(*m_fake, dashboard, spool);
    auto makeAgent = [&] {
        return makeTestAgent(config);
    };
    auto agent = makeAgent();
    QVERIFY2(agent->start(&error), qPrintable(error));
    // A heartbeat right after the identity: version 2, cloud gcp.
    QTRY_VERIFY_WITH_TIMEOUT(!dashboard.heartbeats.isEmpty(), kWaitMs);
    const auto heartbeat = protocol::decodeHeartbeat(dashboard.heartbeats.first().body);
    QVERIFY2(heartbeat.ok(), qPrintable(heartbeat.errors.value(0).message()));
    QVERIFY(heartbeat.value->vm.cloud == protocol::Cloud::Gcp);
    QCOMPARE(QJsonDocument::fromJson(dashboard.heartbeats.first().body)
                 .object()
                 .value("version"_L1)
                 .toInt(),
             2);

    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    m_fake->set(kPreempted, "TRUE");
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.accepted.size(), 1, kWaitMs);
    const auto notice = protocol::decodeNotice(dashboard.accepted.first().body);
    QVERIFY2(notice.ok(), qPrintable(notice.errors.value(0).message()));
    QVERIFY(notice.value->vm.cloud == protocol::Cloud::Gcp);
    QCOMPARE(notice.value->vm.resourceId(),
             u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s);
    QVERIFY(notice.value->event.eventType == protocol::EventType::Preempt);

    // Restarted (same boot): the spool knows the notice was delivered, nothing is resent.
    agent.reset();
    agent = makeAgent();
    QVERIFY2(agent->start(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->waiting(), 2, kWaitMs);
    const int attempts = dashboard.noticeAttempts();
    // Let the restarted agent see the preempted state (a snapshot with the event).
    QSignalSpy observed(&agent->source(), &NoticeSource::eventsObserved);
    m_fake->set(kMaintenance, "NONE"); // a change that wakes one watch: one more snapshot
    QTRY_VERIFY_WITH_TIMEOUT(observed.size() >= 1, kWaitMs);
    QCOMPARE(dashboard.noticeAttempts(), attempts);
    QCOMPARE(dashboard.accepted.size(), 1);
    QCOMPARE(dashboard.duplicates, 0);
    QCOMPARE(dashboard.badSignatures, 0);
}

void TestGcpAgent::checkReadsTheMetadataServer()
{
    FakeDashboard dashboard(testCredential());
    QString error;
    QVERIFY2(dashboard.start(&error), qPrintable(error));
    QTemporaryDir spool;
    const AgentConfig config = gcpConfig(*m_fake, dashboard, spool);
    const auto run = [&](QStringList *lines) {
        return runAgentCheck(config, lines, kWaitMs);
    };
    QStringList lines;
    QCOMPARE(run(&lines), 0);
    const QString text = lines.join(u'\n');
    QVERIFY2(text.contains("OK   identity: Google Cloud VM worker-7, priority SPOT, resource id "
                           "projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_L1),
             qPrintable(text));
    QVERIFY2(text.contains("OK   events: 0 event(s) for this VM"_L1), qPrintable(text));

    m_fake->flavorHeader = false; // not Google's server: both checks fail, in bounded time
    lines.clear();
    QVERIFY(run(&lines) >= 2);
    const QString failed = lines.join(u'\n');
    QVERIFY2(failed.contains("FAIL identity: cannot read the metadata service"_L1),
             qPrintable(failed));
    QVERIFY2(failed.contains("FAIL events: no answer about events within 3000 ms"_L1),
             qPrintable(failed));
}

QTEST_MAIN(TestGcpAgent)
#include "tst_gcpagent.moc"
