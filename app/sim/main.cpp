// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// spotkeeper-sim: a simulated Azure on 127.0.0.1 (docs/SIMULATOR.md). Wiring only.
// Exit codes: 0 stopped, 1 could not start, 2 bad command line or scenario.
#include "base/clock.h"
#include "base/privatefile.h"
#include "listener/agentkeymanager.h"
#include "sim/fleetmodel.h"
#include "sim/parentwatch.h"
#include "sim/scenario.h"
#include "sim/simagents.h"
#include "sim/simclock.h"
#include "sim/simserver.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTextStream>

#include <csignal>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

const QString kTenant = u"00000000-0000-4000-8000-0000000051a1"_s;
const QString kQuickSubscription = u"00000000-0000-4000-8000-00000000f1ee"_s;

int fail(const QString &message, int code)
{
    QTextStream(stderr) << "spotkeeper-sim: " << message << Qt::endl;
    return code;
}

// count VMs; the last `instances` of them are the instances 0.. of the uniform Spot scale set
// "vmss-spot" (tagged for auto-restart on the scale set), the rest standalone VMs.
Scenario quickFleet(int count, int agents, int instances)
{
    Scenario s;
    s.name = u"fleet"_s;
    static const QStringList regions {u"eastus"_s, u"westeurope"_s};
    const int standalone = count - instances;
    if (instances > 0) {
        SimScaleSet set;
        set.subscriptionId = kQuickSubscription;
        set.resourceGroup = u"sim-rg"_s;
        set.name = u"vmss-spot"_s;
        set.location = regions.first();
        set.size = u"Standard_D2s_v5"_s;
        set.tags.insert(u"spotkeeper:auto-restart"_s, u"true"_s);
        s.scaleSets.append(set);
    }
    for (int i = 0; i < count; ++i) {
        SimVm vm;
        vm.subscriptionId = kQuickSubscription;
        vm.resourceGroup = u"sim-rg"_s;
        if (i < standalone) {
            vm.name = u"vm-"_s + QString::number(i + 1).rightJustified(4, u'0');
            vm.location = regions.at(i % regions.size());
            vm.tags.insert(u"spotkeeper:auto-restart"_s, u"true"_s);
        } else {
            vm.scaleSet = u"vmss-spot"_s;
            vm.instanceId = QString::number(i - standalone);
        }
        vm.size = u"Standard_D2s_v5"_s;
        vm.agent = i < agents;
        s.vms.append(vm);
    }
    return s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"spotkeeper-sim"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(u"A simulated Azure (Entra ID, ARM Compute, IMDS) on "
                                     "127.0.0.1 for demos, end-to-end tests and benchmarks."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {u"port"_s, u"Port on 127.0.0.1 (default 0 = any free port)."_s, u"port"_s, u"0"_s},
        {u"scenario"_s, u"Scenario file (JSON, docs/SIMULATOR.md)."_s, u"file"_s},
        {u"demo"_s, u"Use the built-in demo scenario (the default without --scenario/--fleet)."_s},
        {u"fleet"_s, u"Quick fleet of N auto-restart VMs instead of a scenario."_s, u"N"_s},
        {u"agents"_s, u"With --fleet: the first N VMs get simulated agents."_s, u"N"_s},
        {u"scale-set-instances"_s,
         u"With --fleet: the last N VMs are instances of the uniform Spot scale set "
         "vmss-spot (auto-restart tag on the scale set)."_s,
         u"N"_s},
        {u"speed"_s, u"Simulated seconds per real second (overrides the scenario)."_s, u"x"_s},
        {u"seed"_s, u"Random seed (overrides the scenario)."_s, u"n"_s},
        {u"dashboard-url"_s,
         u"Where simulated agents send notices (e.g. http://127.0.0.1:8443); repeat it for "
         "several replicas: requests go to each in turn."_s,
         u"url"_s},
        {u"agent-keys"_s, u"JSON {resourceId: \"<keyId> whsec_...\"} for the simulated agents."_s,
         u"file"_s},
        {u"provision-store"_s,
         u"Generate a key for every simulated agent in this SpotKeeper store (spotkeeperd's "
         "--store) before serving."_s,
         u"path"_s},
        {u"agent-keys-out"_s, u"Write the agents' keys as JSON {resourceId: credential}."_s,
         u"file"_s},
        {u"client-secret-out"_s, u"Write the accepted client secret to this file (0600)."_s,
         u"file"_s},
        {u"print-endpoints"_s, u"Print KEY=value lines (URLs, tenant, client id) on stdout."_s},
        {u"page-size"_s, u"VMs per list page (nextLink beyond)."_s, u"n"_s},
        {u"start-retry-after"_s, u"Retry-After of the start 202, seconds (default 10)."_s, u"s"_s},
        {u"poll-retry-after"_s, u"Retry-After while an operation runs, seconds (default 5)."_s,
         u"s"_s},
        {u"token-lifetime"_s, u"Access token lifetime, seconds (default 3599)."_s, u"s"_s},
        {u"heartbeat-interval"_s, u"Simulated agents' heartbeat interval, seconds (default 60)."_s,
         u"s"_s},
        {u"exit-with-parent"_s,
         u"Exit when the process that started this one is gone, even if it was killed "
         "(parent-death signal, end of file on a piped stdin, parent pid check)."_s},
        {u"parent-pid"_s,
         u"With --exit-with-parent: the parent's pid (exit at once if it is "
         "not our parent any more)."_s,
         u"pid"_s},
    });
    parser.process(app);

    // First, before any work: a child of a parent that already died must not linger.
    ParentWatch parentWatch;
    if (parser.isSet(u"exit-with-parent"_s)) {
        QString why;
        if (!parentWatch.arm(parser.value(u"parent-pid"_s).toLongLong(), &why))
            return fail(why, 1);
        QObject::connect(&parentWatch, &ParentWatch::parentGone, &app, [](const QString &reason) {
            QTextStream(stderr) << "spotkeeper-sim: " << reason << "; exiting" << Qt::endl;
            QCoreApplication::exit(0);
        });
    }

    std::optional<Scenario> scenario;
    QString error;
    if (parser.isSet(u"scenario"_s)) {
        scenario = Scenario::load(parser.value(u"scenario"_s), &error);
        if (!scenario)
            return fail(error, 2);
    } else if (parser.isSet(u"fleet"_s)) {
        bool ok = false;
        const int count = parser.value(u"fleet"_s).toInt(&ok);
        if (!ok || count < 1 || count > 100'000)
            return fail(u"--fleet: expected 1..100000"_s, 2);
        const int instances = parser.value(u"scale-set-instances"_s).toInt(&ok);
        if (parser.isSet(u"scale-set-instances"_s) && (!ok || instances < 0 || instances > count))
            return fail(u"--scale-set-instances: expected 0..--fleet"_s, 2);
        scenario = quickFleet(count, parser.value(u"agents"_s).toInt(), ok ? instances : 0);
    } else {
        scenario = Scenario::demo();
    }
    if (parser.isSet(u"speed"_s)) {
        bool ok = false;
        scenario->speed = parser.value(u"speed"_s).toDouble(&ok);
        if (!ok || scenario->speed <= 0 || scenario->speed > 10'000)
            return fail(u"--speed: expected a number in (0, 10000]"_s, 2);
    }
    if (parser.isSet(u"seed"_s))
        scenario->seed = parser.value(u"seed"_s).toUInt();

    base::Clock &wall = base::systemClock();
    ScaledClock simClock(wall, scenario->speed);
    FleetModel model(simClock, scenario->seed, scenario->timings);
    model.setToWall([&simClock](qint64 simMs) { return simClock.toBaseEpochMs(simMs); });
    for (const SimScaleSet &set : std::as_const(scenario->scaleSets)) {
        if (model.addScaleSet(set, &error) < 0)
            return fail(error, 2);
    }
    for (const SimVm &vm : std::as_const(scenario->vms)) {
        if (model.addVm(vm, &error) < 0)
            return fail(error, 2);
    }
    for (auto it = scenario->spotPrices.cbegin(); it != scenario->spotPrices.cend(); ++it)
        model.setSpotPrice(it.key(), it.value());

    ServerOptions options;
    options.seed = scenario->seed;
    options.pageSize =
        parser.isSet(u"page-size"_s) ? parser.value(u"page-size"_s).toInt() : scenario->pageSize;
    if (parser.isSet(u"start-retry-after"_s))
        options.startRetryAfterSeconds = parser.value(u"start-retry-after"_s).toInt();
    if (parser.isSet(u"poll-retry-after"_s))
        options.pollRetryAfterSeconds = parser.value(u"poll-retry-after"_s).toInt();
    if (parser.isSet(u"token-lifetime"_s))
        options.tokenLifetimeSeconds = std::max(1, parser.value(u"token-lifetime"_s).toInt());
    SimServer server(model, wall, options);
    server.limits().setConfig(scenario->limits);
    const quint16 port = quint16(parser.value(u"port"_s).toUInt());
    if (!server.listen(port, &error))
        return fail(u"cannot listen on 127.0.0.1:%1: %2"_s.arg(port).arg(error), 1);

    // Agent keys: from a file, or generated into SpotKeeper's store.
    QHash<QString, protocol::AgentCredential> credentials; // by lower-cased resource id
    if (parser.isSet(u"agent-keys"_s)) {
        QFile file(parser.value(u"agent-keys"_s));
        if (!file.open(QIODevice::ReadOnly))
            return fail(u"cannot read --agent-keys file: "_s + file.errorString(), 2);
        const QJsonObject keys = QJsonDocument::fromJson(file.readAll()).object();
        for (auto it = keys.constBegin(); it != keys.constEnd(); ++it) {
            const auto credential =
                protocol::AgentCredential::parse(it.value().toString().toUtf8(), &error);
            if (!credential)
                return fail(u"--agent-keys: entry for %1: %2"_s.arg(it.key(), error), 2);
            credentials.insert(it.key().toLower(), *credential);
        }
    }
    if (parser.isSet(u"provision-store"_s)) {
        core::StoreError storeError;
        core::StoreOptions storeOptions;
        storeOptions.path = parser.value(u"provision-store"_s);
        storeOptions.busyTimeoutMs = 10'000;
        auto store = core::Store::open(storeOptions, &storeError);
        if (!store)
            return fail(u"cannot open --provision-store: "_s + storeError.message, 1);
        core::AgentKeyManager keys(*store, wall);
        for (int i = 0; i < model.vmCount(); ++i) {
            const SimVm &vm = model.vm(i);
            if (!vm.agent || credentials.contains(vm.key()))
                continue;
            core::KeyError code = core::KeyError::None;
            const auto issued = keys.generate(vm.resourceId(), u"spotkeeper-sim"_s, &code, &error);
            if (!issued)
                return fail(u"cannot provision a key for %1: %2"_s.arg(vm.name, error), 1);
            const auto credential =
                protocol::AgentCredential::parse(issued->credentialFile, &error);
            if (credential)
                credentials.insert(vm.key(), *credential);
        }
    }
    if (parser.isSet(u"agent-keys-out"_s)) {
        QJsonObject out;
        for (int i = 0; i < model.vmCount(); ++i) {
            const auto it = credentials.constFind(model.vm(i).key());
            if (it != credentials.constEnd())
                out.insert(model.vm(i).resourceId(), QString::fromUtf8(it->serialize()).trimmed());
        }
        if (!base::writePrivateFile(parser.value(u"agent-keys-out"_s), QJsonDocument(out).toJson(),
                                    &error))
            return fail(error, 1);
    }
    if (parser.isSet(u"client-secret-out"_s)
        && !base::writePrivateFile(parser.value(u"client-secret-out"_s), options.clientSecret,
                                   &error))
        return fail(error, 1);

    std::unique_ptr<SimAgents> agents;
    if (parser.isSet(u"dashboard-url"_s)) {
        QList<QUrl> urls;
        for (const QString &value : parser.values(u"dashboard-url"_s)) {
            const QUrl url(value, QUrl::StrictMode);
            if (!url.isValid() || url.scheme().isEmpty())
                return fail(u"--dashboard-url is not a URL"_s, 2);
            urls << url;
        }
        agents = std::make_unique<SimAgents>(model, wall, urls);
        for (int i = 0; i < model.vmCount(); ++i) {
            const auto it = credentials.constFind(model.vm(i).key());
            if (model.vm(i).agent && it != credentials.constEnd())
                agents->addAgent(i, *it);
        }
        const int heartbeat = parser.isSet(u"heartbeat-interval"_s)
            ? parser.value(u"heartbeat-interval"_s).toInt() * 1000
            : 60'000;
        agents->start(1000, std::max(1000, heartbeat));
        server.agentRecords = [&agents] {
            QJsonArray acked;
            for (const AckedNotice &n : agents->acknowledged())
                acked.append(QJsonObject {
                    {u"vm"_s, n.vmKey}, {u"eventId"_s, n.eventId}, {u"wallMs"_s, n.wallMs}});
            return QJsonObject {{u"count"_s, agents->agentCount()},
                                {u"noticesSent"_s, agents->noticesSent()},
                                {u"deliveryFailures"_s, agents->deliveryFailures()},
                                {u"heartbeatsAcked"_s, agents->heartbeatsAcked()},
                                {u"acknowledged"_s, acked}};
        };
    }

    ScenarioRunner runner(server, scenario->timeline);
    runner.start();
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &app, [&model] { model.advance(); });
    tick.start(200);

    QSet<QString> subscriptions;
    for (int i = 0; i < model.vmCount(); ++i)
        subscriptions.insert(model.vm(i).subscriptionId);
    QStringList subs = subscriptions.values();
    subs.sort();
    if (parser.isSet(u"print-endpoints"_s)) {
        QTextStream out(stdout);
        out << "SPOTKEEPER_SIM_URL=" << server.baseUrl() << '\n'
            << "SPOTKEEPER_ARM_URL=" << server.baseUrl() << "/\n"
            << "SPOTKEEPER_PRICES_URL=" << server.baseUrl() << "/api/retail/prices\n"
            << "AZURE_AUTHORITY_HOST=" << server.baseUrl() << "/\n"
            << "AZURE_TENANT_ID=" << kTenant << '\n'
            << "AZURE_CLIENT_ID=" << options.clientId << '\n'
            << "SPOTKEEPER_SIM_SUBSCRIPTIONS=" << subs.join(u',') << '\n'
            << "SPOTKEEPER_SIM_VMS=" << model.vmCount() << '\n'
            << "SPOTKEEPER_SIM_AGENTS=" << (agents ? agents->agentCount() : 0) << '\n'
            << "SPOTKEEPER_SIM_SPEED=" << scenario->speed << '\n'
            << "SPOTKEEPER_SIM_READY=1" << Qt::endl;
    }
    ::signal(SIGPIPE, SIG_IGN);
    return QCoreApplication::exec();
}
