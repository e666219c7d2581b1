// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// spotkeeper-sim: a simulated Azure on 127.0.0.1 (docs/SIMULATOR.md). Wiring only: the
// decisions are sim/simlaunch.h's.
// Exit codes: 0 stopped, 1 could not start, 2 bad command line or scenario.
#include "base/clock.h"
#include "base/privatefile.h"
#include "sim/fleetmodel.h"
#include "sim/parentwatch.h"
#include "sim/scenario.h"
#include "sim/simagents.h"
#include "sim/simclock.h"
#include "sim/simlaunch.h"
#include "sim/simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <memory>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

int fail(const QString &message, int code)
{
    QTextStream(stderr) << "spotkeeper-sim: " << message << Qt::endl;
    return code;
}

void exitOnParentGone(const QString &reason)
{
    QTextStream(stderr) << "spotkeeper-sim: " << reason << "; exiting" << Qt::endl;
    QCoreApplication::exit(0);
}

// The agent keys: from --agent-keys, then generated into --provision-store for the rest;
// written to --agent-keys-out. 0, or the exit code with *error.
int agentKeys(const QCommandLineParser &parser, const FleetModel &model, base::Clock &wall,
              AgentCredentials *credentials, QString *error)
{
    if (parser.isSet(u"agent-keys"_s)
        && !readAgentKeys(parser.value(u"agent-keys"_s), credentials, error))
        return 2;
    if (parser.isSet(u"provision-store"_s)
        && !provisionAgentKeys(parser.value(u"provision-store"_s), model, wall, credentials, error))
        return 1;
    if (parser.isSet(u"agent-keys-out"_s)
        && !base::writePrivateFile(parser.value(u"agent-keys-out"_s),
                                   QJsonDocument(agentKeysJson(model, *credentials)).toJson(),
                                   error))
        return 1;
    return 0;
}

// The simulated agents of the VMs that have a key, sending to --dashboard-url.
std::unique_ptr<SimAgents> startAgents(const QList<QUrl> &urls, const QCommandLineParser &parser,
                                       FleetModel &model, base::Clock &wall,
                                       const AgentCredentials &credentials)
{
    auto agents = std::make_unique<SimAgents>(model, wall, urls);
    for (int i = 0; i < model.vmCount(); ++i) {
        const auto it = credentials.constFind(model.vm(i).key());
        if (model.vm(i).agent && it != credentials.constEnd())
            agents->addAgent(i, *it);
    }
    const int heartbeat = parser.isSet(u"heartbeat-interval"_s)
        ? parser.value(u"heartbeat-interval"_s).toInt() * 1000
        : 60'000;
    agents->start(1000, std::max(1000, heartbeat));
    return agents;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"spotkeeper-sim"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    describeSimOptions(parser);
    parser.process(app);

    // First, before any work: a child of a parent that already died must not linger.
    ParentWatch parentWatch;
    QString error;
    if (parser.isSet(u"exit-with-parent"_s)) {
        if (!parentWatch.arm(parser.value(u"parent-pid"_s).toLongLong(), &error))
            return fail(error, 1);
        QObject::connect(&parentWatch, &ParentWatch::parentGone, &app, &exitOnParentGone);
    }

    const std::optional<Scenario> scenario = scenarioFrom(parser, &error);
    if (!scenario)
        return fail(error, 2);
    base::Clock &wall = base::systemClock();
    ScaledClock simClock(wall, scenario->speed);
    FleetModel model(simClock, scenario->seed, scenario->timings);
    model.setToWall([&simClock](qint64 simMs) { return simClock.toBaseEpochMs(simMs); });
    if (!populate(model, *scenario, &error))
        return fail(error, 2);

    const ServerOptions options = serverOptionsFrom(parser, *scenario);
    SimServer server(model, wall, options);
    server.limits().setConfig(scenario->limits);
    const quint16 port = quint16(parser.value(u"port"_s).toUInt());
    if (!server.listen(port, &error))
        return fail(u"cannot listen on 127.0.0.1:%1: %2"_s.arg(port).arg(error), 1);

    AgentCredentials credentials;
    if (const int code = agentKeys(parser, model, wall, &credentials, &error); code != 0)
        return fail(error, code);
    if (parser.isSet(u"client-secret-out"_s)
        && !base::writePrivateFile(parser.value(u"client-secret-out"_s), options.clientSecret,
                                   &error))
        return fail(error, 1);

    std::unique_ptr<SimAgents> agents;
    if (parser.isSet(u"dashboard-url"_s)) {
        const auto urls = dashboardUrls(parser.values(u"dashboard-url"_s), &error);
        if (!urls)
            return fail(error, 2);
        agents = startAgents(*urls, parser, model, wall, credentials);
        server.agentRecords = [&agents] {
            return agentRecords(*agents);
        };
    }

    ScenarioRunner runner(server, scenario->timeline);
    runner.start();
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &app, [&model] { model.advance(); });
    tick.start(200);

    if (parser.isSet(u"print-endpoints"_s))
        QTextStream(stdout) << endpointLines(server, model, options,
                                             agents ? agents->agentCount() : 0, scenario->speed)
                            << Qt::flush;
    ::signal(SIGPIPE, SIG_IGN);
    return QCoreApplication::exec();
}
