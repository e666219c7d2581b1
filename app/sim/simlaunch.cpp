// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simlaunch.h"

#include "base/clock.h"
#include "listener/agentkeymanager.h"
#include "sim/fleetmodel.h"
#include "sim/simagents.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

const QString kTenant = u"00000000-0000-4000-8000-0000000051a1"_s;
const QString kQuickSubscription = u"00000000-0000-4000-8000-00000000f1ee"_s;

// --fleet N with --agents and --scale-set-instances.
std::optional<Scenario> quickFleetFrom(const QCommandLineParser &parser, QString *error)
{
    bool ok = false;
    const int count = parser.value(u"fleet"_s).toInt(&ok);
    if (!ok || count < 1 || count > 100'000) {
        *error = u"--fleet: expected 1..100000"_s;
        return std::nullopt;
    }
    const int instances = parser.value(u"scale-set-instances"_s).toInt(&ok);
    if (parser.isSet(u"scale-set-instances"_s) && (!ok || instances < 0 || instances > count)) {
        *error = u"--scale-set-instances: expected 0..--fleet"_s;
        return std::nullopt;
    }
    return quickFleet(count, parser.value(u"agents"_s).toInt(), ok ? instances : 0);
}

} // namespace

void describeSimOptions(QCommandLineParser &parser)
{
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
}

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

std::optional<Scenario> scenarioFrom(const QCommandLineParser &parser, QString *error)
{
    std::optional<Scenario> scenario;
    if (parser.isSet(u"scenario"_s))
        scenario = Scenario::load(parser.value(u"scenario"_s), error);
    else if (parser.isSet(u"fleet"_s))
        scenario = quickFleetFrom(parser, error);
    else
        scenario = Scenario::demo();
    if (!scenario)
        return std::nullopt;
    if (parser.isSet(u"speed"_s)) {
        bool ok = false;
        scenario->speed = parser.value(u"speed"_s).toDouble(&ok);
        if (!ok || scenario->speed <= 0 || scenario->speed > 10'000) {
            *error = u"--speed: expected a number in (0, 10000]"_s;
            return std::nullopt;
        }
    }
    if (parser.isSet(u"seed"_s))
        scenario->seed = parser.value(u"seed"_s).toUInt();
    return scenario;
}

bool populate(FleetModel &model, const Scenario &scenario, QString *error)
{
    for (const SimScaleSet &set : scenario.scaleSets) {
        if (model.addScaleSet(set, error) < 0)
            return false;
    }
    for (const SimVm &vm : scenario.vms) {
        if (model.addVm(vm, error) < 0)
            return false;
    }
    for (auto it = scenario.spotPrices.cbegin(); it != scenario.spotPrices.cend(); ++it)
        model.setSpotPrice(it.key(), it.value());
    return true;
}

ServerOptions serverOptionsFrom(const QCommandLineParser &parser, const Scenario &scenario)
{
    ServerOptions options;
    options.seed = scenario.seed;
    options.pageSize =
        parser.isSet(u"page-size"_s) ? parser.value(u"page-size"_s).toInt() : scenario.pageSize;
    if (parser.isSet(u"start-retry-after"_s))
        options.startRetryAfterSeconds = parser.value(u"start-retry-after"_s).toInt();
    if (parser.isSet(u"poll-retry-after"_s))
        options.pollRetryAfterSeconds = parser.value(u"poll-retry-after"_s).toInt();
    if (parser.isSet(u"token-lifetime"_s))
        options.tokenLifetimeSeconds = std::max(1, parser.value(u"token-lifetime"_s).toInt());
    return options;
}

bool readAgentKeys(const QString &path, AgentCredentials *credentials, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read --agent-keys file: "_s + file.errorString();
        return false;
    }
    const QJsonObject keys = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = keys.constBegin(); it != keys.constEnd(); ++it) {
        QString why;
        const auto credential =
            protocol::AgentCredential::parse(it.value().toString().toUtf8(), &why);
        if (!credential) {
            *error = u"--agent-keys: entry for %1: %2"_s.arg(it.key(), why);
            return false;
        }
        credentials->insert(it.key().toLower(), *credential);
    }
    return true;
}

bool provisionAgentKeys(const QString &storePath, const FleetModel &model, base::Clock &clock,
                        AgentCredentials *credentials, QString *error)
{
    core::StoreError storeError;
    core::StoreOptions storeOptions;
    storeOptions.path = storePath;
    storeOptions.busyTimeoutMs = 10'000;
    auto store = core::Store::open(storeOptions, &storeError);
    if (!store) {
        *error = u"cannot open --provision-store: "_s + storeError.message;
        return false;
    }
    core::AgentKeyManager keys(*store, clock);
    for (int i = 0; i < model.vmCount(); ++i) {
        const SimVm &vm = model.vm(i);
        if (!vm.agent || credentials->contains(vm.key()))
            continue;
        core::KeyError code = core::KeyError::None;
        QString why;
        const auto issued = keys.generate(vm.resourceId(), u"spotkeeper-sim"_s, &code, &why);
        if (!issued) {
            *error = u"cannot provision a key for %1: %2"_s.arg(vm.name, why);
            return false;
        }
        const auto credential = protocol::AgentCredential::parse(issued->credentialFile, &why);
        if (credential)
            credentials->insert(vm.key(), *credential);
    }
    return true;
}

QJsonObject agentKeysJson(const FleetModel &model, const AgentCredentials &credentials)
{
    QJsonObject out;
    for (int i = 0; i < model.vmCount(); ++i) {
        const auto it = credentials.constFind(model.vm(i).key());
        if (it != credentials.constEnd())
            out.insert(model.vm(i).resourceId(), QString::fromUtf8(it->serialize()).trimmed());
    }
    return out;
}

std::optional<QList<QUrl>> dashboardUrls(const QStringList &values, QString *error)
{
    QList<QUrl> urls;
    for (const QString &value : values) {
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || url.scheme().isEmpty()) {
            *error = u"--dashboard-url is not a URL"_s;
            return std::nullopt;
        }
        urls << url;
    }
    return urls;
}

QJsonObject agentRecords(const SimAgents &agents)
{
    QJsonArray acked;
    for (const AckedNotice &n : agents.acknowledged())
        acked.append(
            QJsonObject {{u"vm"_s, n.vmKey}, {u"eventId"_s, n.eventId}, {u"wallMs"_s, n.wallMs}});
    return QJsonObject {{u"count"_s, agents.agentCount()},
                        {u"noticesSent"_s, agents.noticesSent()},
                        {u"deliveryFailures"_s, agents.deliveryFailures()},
                        {u"heartbeatsAcked"_s, agents.heartbeatsAcked()},
                        {u"acknowledged"_s, acked}};
}

QString endpointLines(const SimServer &server, const FleetModel &model,
                      const ServerOptions &options, int agentCount, double speed)
{
    QSet<QString> subscriptions;
    for (int i = 0; i < model.vmCount(); ++i)
        subscriptions.insert(model.vm(i).subscriptionId);
    QStringList subs = subscriptions.values();
    subs.sort();
    QString lines;
    QTextStream out(&lines);
    out << "SPOTKEEPER_SIM_URL=" << server.baseUrl() << '\n'
        << "SPOTKEEPER_ARM_URL=" << server.baseUrl() << "/\n"
        << "SPOTKEEPER_PRICES_URL=" << server.baseUrl() << "/api/retail/prices\n"
        << "AZURE_AUTHORITY_HOST=" << server.baseUrl() << "/\n"
        << "AZURE_TENANT_ID=" << kTenant << '\n'
        << "AZURE_CLIENT_ID=" << options.clientId << '\n'
        << "SPOTKEEPER_SIM_SUBSCRIPTIONS=" << subs.join(u',') << '\n'
        << "SPOTKEEPER_SIM_VMS=" << model.vmCount() << '\n'
        << "SPOTKEEPER_SIM_AGENTS=" << agentCount << '\n'
        << "SPOTKEEPER_SIM_SPEED=" << speed << '\n'
        << "SPOTKEEPER_SIM_READY=1\n";
    out.flush();
    return lines;
}

} // namespace spotkeeper::sim
