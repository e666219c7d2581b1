// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: the agent's parsers of Compute Engine metadata server answers
// (agent/agentcore/gcemetadata.h), which read whatever answers on the metadata address. The first
// input byte picks a mode:
//   0  parsePreempted(rest): TRUE/FALSE or an error, never both, never a crash
//   1  parseMaintenanceEvent(rest); a value read becomes an event that the dashboard's
//      strict decoder must accept unchanged (encode -> decode)
//   2  rest cut at '\n' into project id, instance id, name, zone, scheduling JSON:
//      parseGceIdentity; an identity it accepts must pass the wire protocol's checks
//      (a heartbeat with it survives encode -> decode unchanged), and a preemption
//      notice for it too
// A broken property aborts, so libFuzzer reports it like a crash.
#include "agentcore/gcemetadata.h"
#include "fuzz/fuzzchecks.h"

#include <cstdint>

using namespace spotkeeper;
using namespace spotkeeper::agent;

namespace {

constexpr const char *kName = "fuzz_gce_metadata";

protocol::VmIdentity knownVm()
{
    protocol::VmIdentity vm;
    vm.cloud = protocol::Cloud::Gcp;
    vm.projectId = QStringLiteral("spot-fleet-1");
    vm.zone = QStringLiteral("europe-west1-b");
    vm.location = vm.zone;
    vm.vmName = QStringLiteral("worker-7");
    vm.vmId = QStringLiteral("8230498714093811747");
    vm.priority = QStringLiteral("SPOT");
    vm.evictionPolicy = QStringLiteral("STOP");
    return vm;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto input = fuzz::modeInput(data, size, 3);
    if (!input)
        return 0;
    const QByteArrayView rest = input->rest;
    switch (input->mode) {
    case 0: {
        const auto parsed = parsePreempted(rest);
        fuzz::exactlyOne(kName, parsed, "parsePreempted: exactly one of value and error");
        break;
    }
    case 1: {
        const auto parsed = parseMaintenanceEvent(rest);
        fuzz::exactlyOne(kName, parsed, "parseMaintenanceEvent: exactly one of value and error");
        if (parsed.value && *parsed.value != QLatin1StringView("NONE"))
            fuzz::noticeRoundTrip(
                kName, knownVm(),
                maintenanceEvent(knownVm(), *parsed.value, 1, QStringLiteral("boot")));
        break;
    }
    default: {
        const QList<QByteArray> parts = rest.toByteArray().split('\n');
        GceIdentityAnswers answers;
        QByteArray *fields[] = {&answers.projectId, &answers.instanceId, &answers.name,
                                &answers.zone, &answers.scheduling};
        for (qsizetype i = 0; i < parts.size() && i < 5; ++i)
            *fields[i] = parts.at(i);
        const auto parsed = parseGceIdentity(answers);
        fuzz::exactlyOne(kName, parsed, "parseGceIdentity: exactly one of value and error");
        if (!parsed.value)
            break;
        fuzz::heartbeatRoundTrip(kName, *parsed.value);
        fuzz::noticeRoundTrip(kName, *parsed.value,
                              preemptionEvent(*parsed.value, QStringLiteral("boot")));
        break;
    }
    }
    return 0;
}
