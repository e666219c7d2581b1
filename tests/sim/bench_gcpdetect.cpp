// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// bench_gcpdetect: Google Cloud detection latency end to end. The simulator (in process,
// real-time clock) serves the Compute Engine metadata server of N Spot VMs; for each VM a
// real spotkeeper-agent process runs with --cloud gcp against /gce/{vm}, and once it is
// watching, the VM is evicted at a random moment: latency = from the eviction (the moment
// instance/preempted flips to TRUE) to the signed notice arriving at the fake dashboard
// (which verifies every signature, as the real listener does).
// Usage: bench_gcpdetect [--agent PATH] [--events N]
// Not a test (not registered with CTest); results go to docs/BENCHMARKS.md.
#include "fleet/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"
#include "support/agent/agentfakes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace spotkeeper;
using namespace spotkeeper::agenttest;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption agentOption(u"agent"_s, u"spotkeeper-agent binary"_s, u"path"_s,
                                         QStringLiteral(SPOTKEEPER_AGENT_EXE));
    const QCommandLineOption eventsOption(u"events"_s, u"Preemptions to time (one VM each)"_s,
                                          u"n"_s, u"100"_s);
    parser.addOptions({agentOption, eventsOption});
    parser.process(app);
    const int events = std::max(1, parser.value(eventsOption).toInt());

    sim::FleetModel model(core::systemClock(), 11);
    sim::SimServer server(model, core::systemClock());
    FakeDashboard dashboard(testCredential());
    QString error;
    for (int i = 0; i < events; ++i) {
        sim::SimVm vm;
        vm.gcpProject = u"spot-bench"_s;
        vm.name = u"bench-%1"_s.arg(i, 3, 10, QChar(u'0'));
        vm.location = u"europe-west1-b"_s;
        vm.size = u"e2-standard-2"_s;
        if (model.addVm(vm, &error) < 0) {
            printLine(error);
            return 1;
        }
    }
    if (!server.listen(0, &error) || !dashboard.start(&error)) {
        printLine(u"cannot start: "_s + error);
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    qint64 arrivedAt = -1;
    QObject::connect(&dashboard.server(), &testsupport::FakeHttpServer::requestReceived, &app,
                     [&](const testsupport::RecordedRequest &request) {
                         if (request.path == "/api/v1/notices" && arrivedAt < 0)
                             arrivedAt = clock.elapsed();
                     });
    QRandomGenerator random(42);
    QList<qint64> latencies;
    for (int i = 0; i < events; ++i) {
        QTemporaryDir dir;
        QProcessEnvironment env = agentProcessEnvironment(
            dir, dashboard.baseUrl(), server.baseUrl() + u"/gce/"_s + model.vm(i).name);
        env.insert(u"SPOTKEEPER_CLOUD"_s, u"gcp"_s);
        // Defaults otherwise: 1 s poll interval (used only after errors), 60 s heartbeats.
        QProcess agent;
        agent.setProcessEnvironment(env);
        agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const qsizetype heartbeats = dashboard.heartbeats.size();
        agent.start(parser.value(agentOption), QStringList {});
        // The heartbeat right after the identity read: then both keys are read and waited on.
        if (!agent.waitForStarted()
            || !QTest::qWaitFor([&] { return dashboard.heartbeats.size() > heartbeats; }, 30'000)) {
            printLine(u"agent %1 never reported its identity"_s.arg(i));
            return 1;
        }
        QTest::qWait(300 + int(random.bounded(1000))); // a random moment of the long poll
        arrivedAt = -1;
        const qint64 flippedAt = clock.elapsed();
        model.evict(i); // instance/preempted is TRUE from now on
        if (!QTest::qWaitFor([&] { return arrivedAt >= 0; }, 30'000)) {
            printLine(u"notice %1 never arrived"_s.arg(i));
            return 1;
        }
        latencies.append(arrivedAt - flippedAt);
        agent.terminate();
        agent.waitForFinished(10'000);
    }
    qint64 sum = 0;
    for (const qint64 l : std::as_const(latencies))
        sum += l;
    printLine(
        u"GCP detection latency over %1 preemptions (simulator metadata server -> signed notice "
        "at the dashboard): median %2 ms, p99 %3 ms, max %4 ms, mean %5 ms"_s.arg(latencies.size())
            .arg(percentile(latencies, 0.5))
            .arg(percentile(latencies, 0.99))
            .arg(*std::max_element(latencies.begin(), latencies.end()))
            .arg(double(sum) / double(latencies.size()), 0, 'f', 1));
    printLine(u"notices accepted: %1 of %2 (duplicates %3, bad signatures %4)"_s
                  .arg(dashboard.accepted.size())
                  .arg(events)
                  .arg(dashboard.duplicates)
                  .arg(dashboard.badSignatures));
    return dashboard.accepted.size() == events ? 0 : 1;
}
