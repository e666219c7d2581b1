// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The demo fleet of `spotkeeper --demo`: the real spotkeeper-sim started through DemoSimulator
// (as app/main.cpp does) serves Azure VMs, Google Cloud VMs and AWS instances with simulated
// agents, hands back the engine's [gcp] settings with a throwaway service-account key
// (owner-only, removed once read) and its [aws] settings with the simulator's fake keys in the
// environment, and the dashboard's in-process engine brings evicted VMs of the three clouds
// back: Azure's and Google Cloud's by a start, an interrupted AWS stop-behaviour instance by
// watching EC2 restart it (docs/AWS-PROTOCOL.md §9).
#include "fleet/cloud.h"
#include "fleet/enginehost.h"
#include "fleet/enginehostconfig.h"
#include "gcp/gcpcredentials.h"
#include "sim/demosimulator.h"
#include "store/store.h"
#include "support/http/testhttpclient.h"
#include "ui/dashboardsession.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

namespace {

quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

// The newest job of the VM named name, if the store has both.
std::optional<core::JobRecord> newestJob(core::Store &store, const QString &name)
{
    for (const core::VmRecord &vm : store.vms()) {
        if (vm.name == name) {
            const QList<core::JobRecord> jobs = store.jobs(vm.id, 1);
            return jobs.isEmpty() ? std::nullopt : std::optional(jobs.constFirst());
        }
    }
    return std::nullopt;
}

} // namespace

class TestDemoFleet final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void vmsOfEveryCloudComeBack();
};

void TestDemoFleet::initTestCase()
{
    // Only the simulator answers: no az CLI, no credentials of the machine running the test.
    qputenv("SPOTKEEPER_AZ_PROGRAM", "/nonexistent/az");
    for (const char *name :
         {"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE",
          "AZURE_CLOUD", "GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST", "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
          "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2"})
        qunsetenv(name);
    qputenv("CLOUDSDK_CONFIG", "/nonexistent/gcloud");
    qputenv("AWS_CONFIG_FILE", "/nonexistent/aws-config");
    qputenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
    if (qEnvironmentVariableIsEmpty("SPOTKEEPER_IMDS_URL"))
        qputenv("SPOTKEEPER_IMDS_URL", "http://127.0.0.1:9");
}

void TestDemoFleet::vmsOfEveryCloudComeBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString store = dir.filePath(u"demo.db"_s);
    const quint16 port = freePort();
    QVERIFY(port != 0);
    sim::DemoSimulator demo;
    demo.setProgram(QStringLiteral(SPOTKEEPER_SIM_PROGRAM));
    QString error;
    // Ten simulated seconds a second: notice, deallocation and start take a few seconds.
    QVERIFY2(demo.start(store, port, &error, {u"--speed"_s, u"10"_s}), qPrintable(error));

    const sim::DemoGoogleCloud gcp = demo.googleCloud();
    QVERIFY(!gcp.isEmpty());
    QCOMPARE(gcp.projects, QStringList {u"spotkeeper-demo"_s});
    QVERIFY(gcp.tokenUri.startsWith(demo.url()));
    QVERIFY(gcp.computeEndpoint.startsWith(demo.url()));
    QVERIFY(gcp.loggingEndpoint.startsWith(demo.url()));
    // The throwaway key: the owner's alone, a service-account key whose token_uri is the
    // simulator's.
    const QFileInfo keyInfo(gcp.credentialsFile);
    QVERIFY(keyInfo.exists());
    QCOMPARE(keyInfo.permissions()
                 & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    {
        QFile file(gcp.credentialsFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto key = gcp::parseServiceAccountKey(file.readAll(), &error);
        QVERIFY2(key, qPrintable(error));
        QCOMPARE(key->tokenUri, gcp.tokenUri);
        QVERIFY(key->privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    // [aws]: the simulator's EC2 for the demo's account; its fake keys only in the environment.
    const sim::DemoAws aws = demo.amazonWebServices();
    QVERIFY(!aws.isEmpty());
    QCOMPARE(aws.accountId, QString::fromLatin1(sim::kDemoAwsAccount));
    QVERIFY(aws.endpoint.startsWith(demo.url()));
    QVERIFY(demo.url().startsWith("http://127.0.0.1:"_L1));
    QVERIFY(demo.environment().contains(u"AWS_ACCESS_KEY_ID"_s));
    QVERIFY(demo.environment().contains(u"AWS_SECRET_ACCESS_KEY"_s));

    // As app/main.cpp: the simulator's environment, and [gcp] and [aws] through the overlay.
    const QProcessEnvironment env = demo.environment();
    for (const QString &name : env.keys())
        qputenv(name.toLatin1().constData(), env.value(name).toUtf8());
    gui::DashboardSession session(base::systemClock());
    session.setEngineOverlay([gcp, aws](core::EngineHostConfig &config) {
        config.gcpCredentialsFile = gcp.credentialsFile;
        config.gcpTokenUri = gcp.tokenUri;
        config.gcpComputeEndpoint = gcp.computeEndpoint;
        config.gcpLoggingEndpoint = gcp.loggingEndpoint;
        config.gcpProjects = gcp.projects;
        config.awsRegions = aws.regions;
        config.awsAccountId = aws.accountId;
        config.awsEc2Endpoint = aws.endpoint;
        config.awsCloudTrailEndpoint = aws.endpoint;
        config.awsStsEndpoint = aws.endpoint;
        config.awsInstanceRole = false;
        config.awsReplaceTerminated = true;
    });
    gui::DashboardSettings settings;
    settings.storePath = store;
    settings.listenPort = port;
    settings.subscriptions = demo.subscriptions();
    QVERIFY2(session.open(settings, &error), qPrintable(error));
    demo.removeKeyFiles();
    QVERIFY(!QFileInfo::exists(gcp.credentialsFile));
    QVERIFY(session.host()->googleCloud() != nullptr);
    QVERIFY(session.host()->amazonCloud() != nullptr);
    QVERIFY(session.host()->engine() != nullptr);

    // One VM of each cloud is evicted (with notice: the simulated agents report it) and must
    // come back through its cloud's API. The AWS instance (persistent request, interruption
    // behaviour stop) is only watched: EC2 restarts it, SpotKeeper sends no StartInstances.
    const QString awsName = u"ec2-web-004"_s;
    const QStringList vms {u"ml-wus-001"_s, u"gce-web-008"_s, awsName};
    testsupport::TestHttpClient http(5000);
    const auto reply = http.post(
        QUrl(demo.url() + u"/control/evict"_s),
        QJsonDocument(QJsonObject {{u"vms"_s, QJsonArray::fromStringList(vms)}}).toJson());
    QCOMPARE(reply.status, 200); // a VM the demo's timeline evicted first comes back just as well
    for (const QString &name : vms.mid(0, 2)) {
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                const auto job = newestJob(*session.store(), name);
                return job && job->state == core::JobState::Running;
            }(),
            qPrintable(name + u" was not restarted"_s), 120'000);
    }
    // The AWS instance: its notice is stored under its ARN (one row, named by its Name tag),
    // the engine watches it (AwaitingSpotRestart) and it runs again once EC2 restarted it.
    QTRY_VERIFY2_WITH_TIMEOUT(
        [&] {
            for (const core::VmRecord &vm : session.store()->vms()) {
                if (vm.name != awsName || vm.powerState != core::PowerState::Running)
                    continue;
                core::EventFilter filter;
                filter.vmId = vm.id;
                const QList<core::EventRecord> events = session.store()->events(filter);
                return std::any_of(events.cbegin(), events.cend(), [](const auto &event) {
                    return event.armErrorCode == "AwaitingSpotRestart"_L1;
                });
            }
            return false;
        }(),
        qPrintable(awsName + u" was not watched back to running"_s), 150'000);
    const QJsonObject awsState =
        http.get(QUrl(demo.url() + u"/control/state"_s)).json().object().value("aws"_L1).toObject();
    QCOMPARE(awsState.value("starts"_L1).toInt(), 0);
    QVERIFY(awsState.value("ec2Restarts"_L1).toInt() >= 1);
    const auto vmsNow = session.store()->vms();
    QSet<core::Cloud> clouds;
    for (const core::VmRecord &vm : vmsNow)
        clouds.insert(core::cloudOf(vm));
    QVERIFY(clouds.contains(core::Cloud::Azure));
    QVERIFY(clouds.contains(core::Cloud::Gcp));
    QVERIFY(clouds.contains(core::Cloud::Aws));
    session.shutdown();
    QTRY_VERIFY_WITH_TIMEOUT(session.isStopped(), 15'000);
}

QTEST_MAIN(TestDemoFleet)
#include "tst_demofleet.moc"
