// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/webhooksignature.h"
#include "sim/scenario.h"
#include "sim/simserver.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

class QCommandLineParser;

namespace spotkeeper::base {
class Clock;
}

// spotkeeper-sim's startup decisions (docs/SIMULATOR.md), apart from main.cpp's wiring so
// that tests call them: which scenario, which server options, the simulated agents' keys and
// where they send, what --print-endpoints says.
namespace spotkeeper::sim {

class FleetModel;
class SimAgents;

// Agent credentials by lower-cased resource id.
using AgentCredentials = QHash<QString, protocol::AgentCredential>;

// The simulator's command line: description, help, version and every option.
void describeSimOptions(QCommandLineParser &parser);

// count VMs; the last `instances` of them are the instances 0.. of the uniform Spot scale set
// "vmss-spot" (tagged for auto-restart on the scale set), the rest standalone VMs; the first
// `agents` VMs run simulated agents.
Scenario quickFleet(int count, int agents, int instances);

// The scenario the command line asks for: --scenario FILE, --fleet N (with --agents and
// --scale-set-instances) or the built-in demo; --speed and --seed override it. nullopt with
// *error on a bad value.
std::optional<Scenario> scenarioFrom(const QCommandLineParser &parser, QString *error);

// The scenario's scale sets, VMs and Spot prices in the model; false with *error on a bad one.
bool populate(FleetModel &model, const Scenario &scenario, QString *error);

// The server's options: the scenario's seed and page size, --page-size, --start-retry-after,
// --poll-retry-after and --token-lifetime (at least 1 s).
ServerOptions serverOptionsFrom(const QCommandLineParser &parser, const Scenario &scenario);

// --agent-keys: a JSON object {resourceId: "<keyId> whsec_..."} into *credentials; false with
// *error naming the entry that is not a credential.
bool readAgentKeys(const QString &path, AgentCredentials *credentials, QString *error);

// --provision-store: a new key in that store for every agent VM of the model without one in
// *credentials; false with *error when the store cannot be opened or a key cannot be made.
bool provisionAgentKeys(const QString &storePath, const FleetModel &model, base::Clock &clock,
                        AgentCredentials *credentials, QString *error);

// --agent-keys-out: {resourceId: credential} of the model's VMs that have one.
QJsonObject agentKeysJson(const FleetModel &model, const AgentCredentials &credentials);

// --dashboard-url (repeated): nullopt with *error when one is not a URL with a scheme.
std::optional<QList<QUrl>> dashboardUrls(const QStringList &values, QString *error);

// The simulated agents' counters and acknowledged notices (the control API's agent records).
QJsonObject agentRecords(const SimAgents &agents);

// --print-endpoints: the KEY=value lines a script or test reads to reach the simulator.
QString endpointLines(const SimServer &server, const FleetModel &model,
                      const ServerOptions &options, int agentCount, double speed);

} // namespace spotkeeper::sim
