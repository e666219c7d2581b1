// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/agent/agentruns.h"

#include "agentcore/agentcheck.h"
#include "base/clock.h"

#include <QTest>

namespace spotkeeper::agenttest {

std::unique_ptr<agent::Agent> makeTestAgent(const agent::AgentConfig &config, quint32 seed)
{
    auto agent = std::make_unique<agent::Agent>(config, nullptr, base::systemClock(), seed);
    agent::DeliveryTiming timing;
    timing.retryBaseMs = 50;
    timing.retryCapMs = 200;
    agent->setDeliveryTiming(timing);
    return agent;
}

int runAgentCheck(const agent::AgentConfig &config, QStringList *lines, int waitMs)
{
    int failures = -1;
    agent::AgentCheck check(config, base::systemClock(),
                            [lines](const QString &line) { lines->append(line); });
    check.run([&failures](int n) { failures = n; });
    if (!QTest::qWaitFor([&] { return failures >= 0; }, waitMs))
        return -1;
    return failures;
}

} // namespace spotkeeper::agenttest
