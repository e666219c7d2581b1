// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/agent.h"
#include "agentcore/agentconfig.h"

#include <QStringList>

#include <memory>

// Running the agent's own pieces in a test the same way for every cloud: the whole agent
// with short delivery retries, and `--check` collecting its lines.
namespace spotkeeper::agenttest {

// An Agent on the system clock whose deliveries retry after 50 ms, doubling to 200 ms.
std::unique_ptr<agent::Agent> makeTestAgent(const agent::AgentConfig &config, quint32 seed = 99);

// Runs AgentCheck with config, appending its lines to *lines: the number of failed checks,
// or -1 when it did not finish within waitMs.
int runAgentCheck(const agent::AgentConfig &config, QStringList *lines, int waitMs);

} // namespace spotkeeper::agenttest
