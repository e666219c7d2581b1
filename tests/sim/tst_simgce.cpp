// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's Google Cloud metadata server (/gce/{vm}/computeMetadata/v1/...) spoken
// to by the agent's own GceMetadataSource: identity, the long poll on instance/preempted
// answered by an eviction, the header rule, and GCP VMs kept out of Azure's routes.
#include "agentcore/gcemetadatasource.h"
#include "protocol/messagecodec.h"
#include "sim/fleetmodel.h"
#include "sim/scenario.h"
#include "sim/simserver.h"
#include "support/agent/agentfakes.h"
#include "support/base/manualclock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 15'000;

struct Rig
{
    testsupport::ManualClock simClock;
    FleetModel model {simClock, 5};
    SimServer server {model, base::systemClock()};
    int gcp = -1;
    int azure = -1;

    Rig()
    {
        SimVm vm;
        vm.gcpProject = u"spot-fleet-1"_s;
        vm.name = u"worker-1"_s;
        vm.location = u"europe-west1-b"_s;
        vm.size = u"e2-standard-2"_s;
        QString error;
        gcp = model.addVm(vm, &error);
        if (gcp < 0)
            qFatal("addVm: %s", qPrintable(error));
        SimVm az;
        az.subscriptionId = u"00000000-0000-4000-8000-000000000001"_s;
        az.resourceGroup = u"rg"_s;
        az.name = u"azure-1"_s;
        az.location = u"eastus"_s;
        az.size = u"Standard_D2s_v5"_s;
        azure = model.addVm(az);
        if (!server.listen(0, &error))
            qFatal("listen: %s", qPrintable(error));
    }
    QUrl gceUrl(const QString &vm) const { return QUrl(server.baseUrl() + u"/gce/"_s + vm); }
};

agent::GceTiming timing()
{
    agent::GceTiming t;
    t.pollIntervalMs = 100;
    t.requestTimeoutMs = 2'000;
    t.errorBackoffBaseMs = 50;
    t.errorBackoffCapMs = 200;
    t.identityBackoffCapMs = 200;
    return t;
}

int get(QNetworkAccessManager &network, const QUrl &url, bool header, QByteArray *flavor = nullptr)
{
    QNetworkRequest request(url);
    if (header)
        request.setRawHeader("Metadata-Flavor", "Google");
    QNetworkReply *reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(kWaitMs))
        return -1;
    if (flavor)
        *flavor = reply->rawHeader("Metadata-Flavor");
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

} // namespace

class TestSimGce final : public QObject
{
    Q_OBJECT
private slots:
    void agentSourceReadsIdentityAndSeesThePreemption();
    void headerRuleAndRoutes();
    void scenarioGroupWithProject();
    void realAgentProcessDetectsGoogleAndDelivers();
};

void TestSimGce::agentSourceReadsIdentityAndSeesThePreemption()
{
    Rig rig;
    agent::GceMetadataSource source(rig.gceUrl(u"worker-1"_s), timing(), 3, base::systemClock(),
                                    u"boot"_s);
    QList<agent::EventSnapshot> snapshots;
    connect(&source, &agent::NoticeSource::eventsObserved, this,
            [&](const agent::EventSnapshot &s) { snapshots.append(s); });
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.identityKnown(), kWaitMs);
    const protocol::VmIdentity vm = source.identity();
    QVERIFY(vm.cloud == protocol::Cloud::Gcp);
    QCOMPARE(vm.projectId, u"spot-fleet-1"_s);
    QCOMPARE(vm.zone, u"europe-west1-b"_s);
    QCOMPARE(vm.vmName, u"worker-1"_s);
    QCOMPARE(vm.vmId, rig.model.vm(rig.gcp).vmId);
    QCOMPARE(vm.priority, u"SPOT"_s);
    QCOMPARE(vm.evictionPolicy, u"STOP"_s);
    QCOMPARE(vm.resourceKey(), rig.model.vm(rig.gcp).key()); // one id on both sides
    QTRY_VERIFY_WITH_TIMEOUT(source.longPolling(u"instance/preempted"_s)
                                 && source.longPolling(u"instance/maintenance-event"_s),
                             kWaitMs);
    QVERIFY(!snapshots.isEmpty());
    QVERIFY(snapshots.last().events.isEmpty());

    // The preemption notice flips instance/preempted; the open long poll answers it.
    QVERIFY(rig.model.evict(rig.gcp));
    QTRY_VERIFY_WITH_TIMEOUT(!snapshots.last().events.isEmpty(), kWaitMs);
    QVERIFY(snapshots.last().events.first().eventType == protocol::EventType::Preempt);
    // Still TRUE once the VM is stopped (TERMINATED), FALSE when it runs again.
    rig.simClock.advanceMSecs(rig.model.timings().noticeMs + rig.model.timings().deallocatingMs
                              + 1);
    rig.model.advance();
    QVERIFY(rig.model.vm(rig.gcp).power == Power::Deallocated);
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QCOMPARE(rig.model.start(rig.gcp, QDateTime::currentMSecsSinceEpoch()).httpStatus, 202);
    rig.simClock.advanceMSecs(rig.model.timings().startingMs + 1);
    rig.model.advance();
    QVERIFY(rig.model.vm(rig.gcp).power == Power::Running);
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.last().events.isEmpty(), kWaitMs);
    source.stop();
}

void TestSimGce::headerRuleAndRoutes()
{
    Rig rig;
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    const QUrl preempted(rig.gceUrl(u"worker-1"_s).toString()
                         + u"/computeMetadata/v1/instance/preempted"_s);
    QByteArray flavor;
    QCOMPARE(get(network, preempted, false, &flavor), 403); // no Metadata-Flavor: refused
    QCOMPARE(flavor, QByteArray("Google"));
    QCOMPARE(get(network, preempted, true, &flavor), 200);
    QCOMPARE(flavor, QByteArray("Google"));
    // An Azure VM has no Google metadata server, and a GCP VM no Azure IMDS answer of use.
    QCOMPARE(get(network,
                 QUrl(rig.gceUrl(u"azure-1"_s).toString() + u"/computeMetadata/v1/instance/id"_s),
                 true),
             404);
    QCOMPARE(get(network,
                 QUrl(rig.gceUrl(u"worker-1"_s).toString() + u"/computeMetadata/v1/nothing"_s),
                 true),
             404);
    QCOMPARE(rig.model.vm(rig.gcp).resourceId(),
             u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-1"_s);
}

void TestSimGce::scenarioGroupWithProject()
{
    QString error;
    const auto scenario = Scenario::parse(R"({"name":"mixed","fleet":[
        {"count":2,"namePrefix":"gce-","project":"spot-fleet-1","location":"us-central1-a"},
        {"count":1,"subscription":"00000000-0000-4000-8000-000000000001","resourceGroup":"rg",
         "location":"eastus"}]})",
                                          &error);
    QVERIFY2(scenario, qPrintable(error));
    QCOMPARE(scenario->vms.size(), 3);
    QVERIFY(scenario->vms.at(0).isGcp());
    QCOMPARE(scenario->vms.at(0).name, u"gce-001"_s);
    QCOMPARE(scenario->vms.at(0).location, u"us-central1-a"_s);
    QVERIFY(!scenario->vms.at(2).isGcp());
    QVERIFY(!Scenario::parse(R"({"name":"bad","fleet":[{"project":"p-123456","location":"z",
        "resourceGroup":"rg"}]})",
                             &error));
    QVERIFY2(error.contains("Google Cloud group"_L1), qPrintable(error));
    // Simulated agents on a Google Cloud group send what spotkeeper-agent --cloud gcp sends
    // (the demo fleet's Google Cloud VMs).
    const auto withAgents = Scenario::parse(R"({"name":"agents","fleet":[{"project":"p-123456",
        "location":"z","agents":true}]})",
                                            &error);
    QVERIFY2(withAgents, qPrintable(error));
    QVERIFY(withAgents->vms.at(0).agent);
}

void TestSimGce::realAgentProcessDetectsGoogleAndDelivers()
{
    // The built agent, `cloud = auto`, against the simulator's metadata server of one VM.
    Rig rig;
    agenttest::FakeDashboard dashboard(agenttest::testCredential());
    QString error;
    QVERIFY2(dashboard.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QProcessEnvironment env = agenttest::agentProcessEnvironment(
        dir, dashboard.baseUrl(), rig.gceUrl(u"worker-1"_s).toString());
    env.insert(u"SPOTKEEPER_CLOUD"_s, u"auto"_s);
    QProcess agent;
    agent.setProcessEnvironment(env);
    agent.setProcessChannelMode(QProcess::MergedChannels);
    agent.start(QStringLiteral(SPOTKEEPER_AGENT_EXE), QStringList {});
    QVERIFY(agent.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(!dashboard.heartbeats.isEmpty(), kWaitMs);
    const auto heartbeat = protocol::decodeHeartbeat(dashboard.heartbeats.first().body);
    QVERIFY2(heartbeat.ok(), qPrintable(heartbeat.errors.value(0).message()));
    QVERIFY(heartbeat.value->vm.cloud == protocol::Cloud::Gcp);
    QCOMPARE(heartbeat.value->vm.resourceKey(), rig.model.vm(rig.gcp).key());

    QVERIFY(rig.model.evict(rig.gcp));
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.accepted.size(), 1, kWaitMs);
    const auto notice = protocol::decodeNotice(dashboard.accepted.first().body);
    QVERIFY2(notice.ok(), qPrintable(notice.errors.value(0).message()));
    QVERIFY(notice.value->event.eventType == protocol::EventType::Preempt);
    QCOMPARE(notice.value->vm.vmId, rig.model.vm(rig.gcp).vmId);
    QCOMPARE(dashboard.badSignatures, 0);
    agent.terminate();
    QVERIFY(agent.waitForFinished(kWaitMs));
    const QString log = QString::fromUtf8(agent.readAll());
    QVERIFY2(log.contains("cloud: Google Cloud, because the metadata server at"_L1),
             qPrintable(log));
}

QTEST_MAIN(TestSimGce)
#include "tst_simgce.moc"
