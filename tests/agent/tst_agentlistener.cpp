// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The agent's identity as the dashboard binds it: the in-process agent reads an IMDS
// instance document (the real uniform scale set one, and derived standalone and flexible
// ones) from a fake IMDS and delivers a Preempt to the REAL listener (core::WebhookListener
// on an HttpServer, in-memory store), whose agent key is bound to the resource id an
// operator copies from `spotkeeper-agent --check`. A key bound to any other id is refused.
#include "agentcore/agent.h"
#include "agentcore/scheduledevents.h"
#include "http/httpserver.h"
#include "listener/webhooklistener.h"
#include "store/store.h"
#include "support/agent/agentfakes.h"
#include "support/base/manualclock.h"
#include "support/listener/listenertestkit.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace spotkeeper::agenttest;
using namespace Qt::StringLiterals;

namespace {
const QString kPreempt = u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing %s", qPrintable(path));
    return file.readAll();
}

} // namespace

class TestAgentListener final : public QObject
{
    Q_OBJECT
private slots:
    void noticeAcceptedForTheBoundResourceId_data();
    void noticeAcceptedForTheBoundResourceId();
};

void TestAgentListener::noticeAcceptedForTheBoundResourceId_data()
{
    QTest::addColumn<QString>("document");
    QTest::addColumn<QString>("boundTo"); // "imds": the id IMDS reports; else this id
    QTest::addColumn<bool>("accepted");
    const QString recorded = QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/azure-fixtures/imds/"_s;
    const QString data = QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/agent/"_s;
    const QString uniform = recorded + u"instance-compute-aks-vmss-api2021-02-01.json"_s;
    QTest::newRow("uniform scale set instance") << uniform << u"imds"_s << true;
    QTest::newRow("standalone VM")
        << data + u"instance-standalone-spot-api2021-02-01.json"_s << u"imds"_s << true;
    QTest::newRow("flexible scale set VM")
        << data + u"instance-vmss-flex-spot-api2021-02-01.json"_s << u"imds"_s << true;
    // The id the agent used to compose for a uniform instance names no real VM: a key
    // bound to it must not accept the instance's notice.
    QTest::newRow("uniform, key bound to the composed id")
        << uniform
        << u"/subscriptions/0e073ec1-c22f-4488-adde-da35ed609ccd/resourceGroups/"
           "MC_myname_group_myname_eastus/providers/Microsoft.Compute/virtualMachines/"
           "aks-agentpool-12628255-vmss_2"_s
        << false;
}

void TestAgentListener::noticeAcceptedForTheBoundResourceId()
{
    QFETCH(QString, document);
    QFETCH(QString, boundTo);
    QFETCH(bool, accepted);
    const QByteArray instance = readFile(document);
    const auto identity = parseInstanceMetadata(instance);
    QVERIFY2(identity.value, qPrintable(identity.error));

    testsupport::ManualClock clock(QDateTime::currentDateTimeUtc());
    core::StoreError storeError;
    auto store =
        core::Store::open(core::StoreOptions {u":memory:"_s, false, 5000, &clock}, &storeError);
    QVERIFY2(store, qPrintable(storeError.message));
    listenertest::RecordingOperations operations;
    http::HttpServer server;
    core::WebhookListener listener(*store, operations, clock, core::ListenerOptions {});
    listener.attach(server);
    QString error;
    QVERIFY2(server.listen(QHostAddress(QHostAddress::LocalHost), 0, &error), qPrintable(error));
    core::KeyError code = core::KeyError::None;
    const auto key = listener.keys().generate(
        boundTo == "imds"_L1 ? identity.value->resourceId() : boundTo, u"test"_s, &code, &error);
    QVERIFY2(key, qPrintable(error)); // a uniform instance id can be bound, too

    FakeImds imds;
    QVERIFY2(imds.start(&error), qPrintable(error));
    imds.instance = instance;
    imds.document = FakeImds::documentWith(
        2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {identity.value->vmName}}});

    QTemporaryDir spool;
    AgentConfig config;
    config.dashboardUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort()));
    config.credential = protocol::AgentCredential {key->keyId, {key->secret}};
    config.keySource = u"test"_s;
    config.imdsUrl = imds.baseUrl();
    config.pollIntervalMs = 200;
    config.pollTimeoutMs = 2'000;
    config.firstPollTimeoutMs = 5'000;
    config.deliveryTimeoutMs = 5'000;
    config.spoolDir = spool.path();
    Agent agent(config, nullptr, clock, 7);
    QList<int> heartbeats;
    QObject::connect(&agent, &Agent::heartbeatSent, &agent,
                     [&heartbeats](int status) { heartbeats.append(status); });
    int delivered = 0;
    QObject::connect(&agent, &Agent::noticeDelivered, &agent, [&delivered] { ++delivered; });
    QVERIFY2(agent.start(&error), qPrintable(error));

    // The first heartbeat follows the identity at once; the notice follows the first poll.
    QVERIFY(QTest::qWaitFor([&] { return !heartbeats.isEmpty(); }, 15'000));
    if (accepted) {
        QCOMPARE(heartbeats.first(), 200);
        QVERIFY(QTest::qWaitFor([&] { return delivered == 1; }, 15'000));
        QCOMPARE(operations.count(u"notice"_s), 1);
        const auto vm = store->vmByKey(identity.value->resourceId().toLower());
        QVERIFY(vm);
        QCOMPARE(vm->resourceId, identity.value->resourceId());
        QCOMPARE(vm->name, identity.value->vmName);
    } else {
        QCOMPARE(heartbeats.first(), 403); // vm_mismatch: the key names another VM
        QVERIFY(QTest::qWaitFor([&] { return agent.spool().pending().size() == 1; }, 15'000));
        QTest::qWait(300); // a delivery attempt or more: each one refused
        QCOMPARE(delivered, 0);
        QCOMPARE(operations.count(u"notice"_s), 0);
    }
    agent.shutdown();
}

QTEST_GUILESS_MAIN(TestAgentListener)
#include "tst_agentlistener.moc"
