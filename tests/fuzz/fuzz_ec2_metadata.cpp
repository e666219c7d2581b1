// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: the agent's parsers of EC2 instance metadata (IMDSv2) answers
// (agent/agentcore/ec2metadata.h), which read whatever answers on the metadata address. The
// first input byte picks a mode:
//   0  parseInstanceAction(rest); an action read becomes a notice that the dashboard's strict
//      decoder must accept unchanged (encode -> decode)
//   1  parseRebalanceRecommendation(rest); the same for the recommendation's notice
//   2  parseScheduledMaintenance(rest); the same for every event of the list
//   3  rest cut at the first '\n' into the identity document and the lifecycle:
//      parseEc2Identity; an identity it accepts must pass the wire protocol's checks (a
//      heartbeat with it survives encode -> decode unchanged), its resource id must be an
//      instance ARN, and an interruption notice for it must pass too
// Every parser returns exactly one of a value and an error. A broken property aborts, so
// libFuzzer reports it like a crash.
#include "agentcore/ec2metadata.h"
#include "fuzz/fuzzchecks.h"

#include <cstdint>

using namespace spotkeeper;
using namespace spotkeeper::agent;

namespace {

constexpr const char *kName = "fuzz_ec2_metadata";

protocol::VmIdentity knownVm()
{
    protocol::VmIdentity vm;
    vm.cloud = protocol::Cloud::Aws;
    vm.accountId = QStringLiteral("123456789012");
    vm.location = QStringLiteral("us-west-2");
    vm.zone = QStringLiteral("us-west-2b");
    vm.vmId = QStringLiteral("i-1234567890abcdef0");
    vm.vmName = vm.vmId;
    vm.instanceType = QStringLiteral("m5.large");
    vm.priority = QStringLiteral("spot");
    return vm;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto input = fuzz::modeInput(data, size, 4);
    if (!input)
        return 0;
    const QByteArrayView rest = input->rest;
    switch (input->mode) {
    case 0: {
        const auto parsed = parseInstanceAction(rest);
        fuzz::exactlyOne(kName, parsed, "parseInstanceAction: exactly one of value and error");
        if (parsed.value)
            fuzz::noticeRoundTrip(kName, knownVm(), interruptionEvent(knownVm(), *parsed.value));
        break;
    }
    case 1: {
        const auto parsed = parseRebalanceRecommendation(rest);
        fuzz::exactlyOne(kName, parsed,
                         "parseRebalanceRecommendation: exactly one of value and error");
        if (parsed.value)
            fuzz::noticeRoundTrip(kName, knownVm(), rebalanceEvent(knownVm(), *parsed.value));
        break;
    }
    case 2: {
        const auto parsed = parseScheduledMaintenance(rest);
        fuzz::exactlyOne(kName, parsed,
                         "parseScheduledMaintenance: exactly one of value and error");
        if (parsed.value) {
            for (const Ec2MaintenanceEvent &event : *parsed.value)
                fuzz::noticeRoundTrip(kName, knownVm(), maintenanceEvent(knownVm(), event));
        }
        break;
    }
    default: {
        const qsizetype newline = rest.indexOf('\n');
        const QByteArrayView document = newline < 0 ? rest : rest.first(newline);
        const QByteArrayView lifecycle = newline < 0 ? QByteArrayView() : rest.sliced(newline + 1);
        const auto parsed = parseEc2Identity(document, lifecycle);
        fuzz::exactlyOne(kName, parsed, "parseEc2Identity: exactly one of value and error");
        if (!parsed.value)
            break;
        if (!parsed.value->resourceId().startsWith(QLatin1StringView("arn:aws")))
            fuzz::broken(kName, "an accepted identity's resource id is not an instance ARN");
        fuzz::heartbeatRoundTrip(kName, *parsed.value);
        fuzz::noticeRoundTrip(
            kName, *parsed.value,
            interruptionEvent(*parsed.value,
                              {QStringLiteral("terminate"), fuzz::sentAt().addSecs(120)}));
        break;
    }
    }
    return 0;
}
