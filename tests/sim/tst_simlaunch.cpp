// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// spotkeeper-sim's startup decisions (sim/simlaunch.h): the scenario and server options its
// command line asks for, the agents' keys, the dashboard URLs, the --print-endpoints lines.
#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simclock.h"
#include "sim/simlaunch.h"
#include "sim/simserver.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

// A parser with the simulator's options over `args` (the program name added).
std::unique_ptr<QCommandLineParser> parsed(QStringList args)
{
    auto parser = std::make_unique<QCommandLineParser>();
    describeSimOptions(*parser);
    args.prepend(u"spotkeeper-sim"_s);
    if (!parser->parse(args))
        qFatal("parse: %s", qPrintable(parser->errorText()));
    return parser;
}

QString scenarioError(const QStringList &args)
{
    QString error;
    if (scenarioFrom(*parsed(args), &error))
        return u"accepted"_s;
    return error;
}

} // namespace

class TestSimLaunch : public QObject
{
    Q_OBJECT

private slots:
    void demoWithoutScenarioOrFleet()
    {
        QString error;
        const auto scenario = scenarioFrom(*parsed({}), &error);
        QVERIFY2(scenario, qPrintable(error));
        QCOMPARE(scenario->vms.size(), Scenario::demo().vms.size());
        QCOMPARE(scenario->name, Scenario::demo().name);
    }

    void quickFleetWithAgentsAndScaleSet()
    {
        QString error;
        const auto scenario = scenarioFrom(
            *parsed({u"--fleet"_s, u"5"_s, u"--agents"_s, u"2"_s, u"--scale-set-instances"_s,
                     u"2"_s, u"--speed"_s, u"30"_s, u"--seed"_s, u"7"_s}),
            &error);
        QVERIFY2(scenario, qPrintable(error));
        QCOMPARE(scenario->vms.size(), 5);
        QCOMPARE(scenario->scaleSets.size(), 1);
        QCOMPARE(scenario->scaleSets.first().name, u"vmss-spot"_s);
        QCOMPARE(scenario->speed, 30.0);
        QCOMPARE(scenario->seed, 7U);
        QCOMPARE(scenario->vms.at(0).name, u"vm-0001"_s);
        QVERIFY(scenario->vms.at(1).agent);
        QVERIFY(!scenario->vms.at(2).agent);
        QVERIFY(scenario->vms.at(2).scaleSet.isEmpty());
        QCOMPARE(scenario->vms.at(3).scaleSet, u"vmss-spot"_s);
        QCOMPARE(scenario->vms.at(3).instanceId, u"0"_s);
        QCOMPARE(scenario->vms.at(4).instanceId, u"1"_s);
    }

    void badValuesAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("fleet 0") << QStringList {u"--fleet"_s, u"0"_s}
                                 << u"--fleet: expected 1..100000"_s;
        QTest::newRow("fleet text")
            << QStringList {u"--fleet"_s, u"many"_s} << u"--fleet: expected 1..100000"_s;
        QTest::newRow("more instances than VMs")
            << QStringList {u"--fleet"_s, u"3"_s, u"--scale-set-instances"_s, u"4"_s}
            << u"--scale-set-instances: expected 0..--fleet"_s;
        QTest::newRow("speed 0") << QStringList {u"--speed"_s, u"0"_s}
                                 << u"--speed: expected a number in (0, 10000]"_s;
        QTest::newRow("speed too high") << QStringList {u"--speed"_s, u"10001"_s}
                                        << u"--speed: expected a number in (0, 10000]"_s;
    }

    void badValuesAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        QCOMPARE(scenarioError(args), error);
    }

    void missingScenarioFileIsRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString error = scenarioError({u"--scenario"_s, dir.filePath(u"none.json"_s)});
        QVERIFY(error != u"accepted"_s);
        QVERIFY(!error.isEmpty());
    }

    void serverOptionsFromCommandLine()
    {
        Scenario scenario = quickFleet(3, 0, 0);
        scenario.pageSize = 17;
        scenario.seed = 9;
        const ServerOptions plain = serverOptionsFrom(*parsed({}), scenario);
        QCOMPARE(plain.pageSize, 17);
        QCOMPARE(plain.seed, 9U);
        QCOMPARE(plain.tokenLifetimeSeconds, ServerOptions().tokenLifetimeSeconds);
        const ServerOptions set = serverOptionsFrom(
            *parsed({u"--page-size"_s, u"4"_s, u"--start-retry-after"_s, u"2"_s,
                     u"--poll-retry-after"_s, u"1"_s, u"--token-lifetime"_s, u"0"_s}),
            scenario);
        QCOMPARE(set.pageSize, 4);
        QCOMPARE(set.startRetryAfterSeconds, 2);
        QCOMPARE(set.pollRetryAfterSeconds, 1);
        QCOMPARE(set.tokenLifetimeSeconds, 1); // at least one second
    }

    void agentKeysFileAndItsErrors()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"keys.json"_s);
        AgentCredentials credentials;
        QString error;
        QVERIFY(!readAgentKeys(path, &credentials, &error));
        QVERIFY2(error.startsWith(u"cannot read --agent-keys file: "_s), qPrintable(error));

        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"/Subscriptions/S/VM-A": "k1 whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtMDAwMDE=",
                       "/subscriptions/s/vm-b": "no credential"})");
        file.close();
        error.clear();
        QVERIFY(!readAgentKeys(path, &credentials, &error));
        QVERIFY2(error.startsWith(u"--agent-keys: entry for /subscriptions/s/vm-b: "_s),
                 qPrintable(error));

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"/Subscriptions/S/VM-A": "k1 whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtMDAwMDE="})");
        file.close();
        credentials.clear();
        QVERIFY2(readAgentKeys(path, &credentials, &error), qPrintable(error));
        QCOMPARE(credentials.size(), 1);
        QCOMPARE(credentials.value(u"/subscriptions/s/vm-a"_s).keyId, u"k1"_s); // lower-cased
    }

    void provisionsKeysForAgentVmsOnly()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ScaledClock clock(base::systemClock());
        FleetModel model(clock, 1);
        QString error;
        QVERIFY2(populate(model, quickFleet(4, 2, 0), &error), qPrintable(error));
        AgentCredentials credentials;
        const QString storePath = dir.filePath(u"store.db"_s);
        QVERIFY2(provisionAgentKeys(storePath, model, base::systemClock(), &credentials, &error),
                 qPrintable(error));
        QCOMPARE(credentials.size(), 2);
        QVERIFY(credentials.contains(model.vm(0).key()));
        QVERIFY(credentials.contains(model.vm(1).key()));
        const QJsonObject written = agentKeysJson(model, credentials);
        QCOMPARE(written.size(), 2);
        QVERIFY(written.value(model.vm(0).resourceId()).toString().contains(u" whsec_"_s));
        // A second run keeps the keys it has: nothing new in the store.
        QVERIFY2(provisionAgentKeys(storePath, model, base::systemClock(), &credentials, &error),
                 qPrintable(error));
        core::StoreOptions options;
        options.path = storePath;
        core::StoreError storeError;
        const auto store = core::Store::open(options, &storeError);
        QVERIFY2(store, qPrintable(storeError.message));
        QCOMPARE(store->agentKeys().size(), 2);

        // A store below a plain file cannot be opened.
        QFile plain(dir.filePath(u"plain"_s));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        QVERIFY(!provisionAgentKeys(dir.filePath(u"plain/store.db"_s), model, base::systemClock(),
                                    &credentials, &error));
        QVERIFY2(error.startsWith(u"cannot open --provision-store: "_s), qPrintable(error));
    }

    void dashboardUrlsMustBeUrls()
    {
        QString error;
        const auto urls =
            dashboardUrls({u"http://127.0.0.1:8443"_s, u"https://a.example"_s}, &error);
        QVERIFY(urls);
        QCOMPARE(urls->size(), 2);
        QVERIFY(!dashboardUrls({u"http://127.0.0.1:8443"_s, u"127.0.0.1 8443"_s}, &error));
        QCOMPARE(error, u"--dashboard-url is not a URL"_s);
    }

    void endpointLinesNameTheServerAndFleet()
    {
        ScaledClock clock(base::systemClock());
        FleetModel model(clock, 1);
        QString error;
        QVERIFY2(populate(model, quickFleet(3, 1, 0), &error), qPrintable(error));
        const ServerOptions options;
        SimServer server(model, base::systemClock(), options);
        QVERIFY2(server.listen(0, &error), qPrintable(error));
        const QStringList lines =
            endpointLines(server, model, options, 1, 2.5).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), u"SPOTKEEPER_SIM_URL="_s + server.baseUrl());
        QVERIFY(lines.contains(u"AZURE_CLIENT_ID="_s + options.clientId));
        QVERIFY(
            lines.contains(u"SPOTKEEPER_SIM_SUBSCRIPTIONS=00000000-0000-4000-8000-00000000f1ee"_s));
        QVERIFY(lines.contains(u"SPOTKEEPER_SIM_VMS=3"_s));
        QVERIFY(lines.contains(u"SPOTKEEPER_SIM_AGENTS=1"_s));
        QVERIFY(lines.contains(u"SPOTKEEPER_SIM_SPEED=2.5"_s));
        QCOMPARE(lines.last(), u"SPOTKEEPER_SIM_READY=1"_s);
    }
};

QTEST_GUILESS_MAIN(TestSimLaunch)
#include "tst_simlaunch.moc"
