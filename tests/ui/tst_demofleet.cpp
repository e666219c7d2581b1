// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The demo fleet of `spotkeeper --demo`: the real spotkeeper-sim started through DemoSimulator
// (as app/main.cpp does) serves Azure VMs and Google Cloud VMs with simulated agents, hands
// back the engine's [gcp] settings with a throwaway service-account key (owner-only, removed
// once read), and the dashboard's in-process engine restarts evicted VMs of both clouds.
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
    void azureAndGoogleCloudVmsComeBack();
};

void TestDemoFleet::initTestCase()
{
    // Only the simulator answers: no az CLI, no credentials of the machine running the test.
    qputenv("SPOTKEEPER_AZ_PROGRAM", "/nonexistent/az");
    for (const char *name :
         {"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE",
          "AZURE_CLOUD", "GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST"})
        qunsetenv(name);
    qputenv("CLOUDSDK_CONFIG", "/nonexistent/gcloud");
    if (qEnvironmentVariableIsEmpty("SPOTKEEPER_IMDS_URL"))
        qputenv("SPOTKEEPER_IMDS_URL", "http://127.0.0.1:9");
}

void TestDemoFleet::azureAndGoogleCloudVmsComeBack()
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

    // As app/main.cpp: the simulator's Azure environment, and [gcp] through the overlay.
    const QProcessEnvironment env = demo.environment();
    for (const QString &name : env.keys())
        qputenv(name.toLatin1().constData(), env.value(name).toUtf8());
    gui::DashboardSession session(base::systemClock());
    session.setEngineOverlay([gcp](core::EngineHostConfig &config) {
        config.gcpCredentialsFile = gcp.credentialsFile;
        config.gcpTokenUri = gcp.tokenUri;
        config.gcpComputeEndpoint = gcp.computeEndpoint;
        config.gcpLoggingEndpoint = gcp.loggingEndpoint;
        config.gcpProjects = gcp.projects;
    });
    gui::DashboardSettings settings;
    settings.storePath = store;
    settings.listenPort = port;
    settings.subscriptions = demo.subscriptions();
    QVERIFY2(session.open(settings, &error), qPrintable(error));
    demo.removeKeyFiles();
    QVERIFY(!QFileInfo::exists(gcp.credentialsFile));
    QVERIFY(session.host()->googleCloud() != nullptr);
    QVERIFY(session.host()->engine() != nullptr);

    // One VM of each cloud is evicted (with notice: the simulated agents report it) and must
    // come back through its cloud's API. Both are outside the demo's zone-wide evictions.
    const QStringList vms {u"ml-wus-001"_s, u"gce-web-008"_s};
    testsupport::TestHttpClient http(5000);
    const auto reply = http.post(
        QUrl(demo.url() + u"/control/evict"_s),
        QJsonDocument(QJsonObject {{u"vms"_s, QJsonArray::fromStringList(vms)}}).toJson());
    QCOMPARE(reply.status, 200); // a VM the demo's timeline evicted first comes back just as well
    for (const QString &name : vms) {
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                const auto job = newestJob(*session.store(), name);
                return job && job->state == core::JobState::Running;
            }(),
            qPrintable(name + u" was not restarted"_s), 120'000);
    }
    const auto vmsNow = session.store()->vms();
    QSet<core::Cloud> clouds;
    for (const core::VmRecord &vm : vmsNow)
        clouds.insert(core::cloudOf(vm));
    QVERIFY(clouds.contains(core::Cloud::Azure));
    QVERIFY(clouds.contains(core::Cloud::Gcp));
    session.shutdown();
    QTRY_VERIFY_WITH_TIMEOUT(session.isStopped(), 15'000);
}

QTEST_MAIN(TestDemoFleet)
#include "tst_demofleet.moc"
