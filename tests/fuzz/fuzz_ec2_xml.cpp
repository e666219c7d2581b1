// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: the EC2 Query API answer parsers (app/core/aws/ec2parsers.h), which read
// whatever an EC2 endpoint (or anything pretending to be one) answers, and the form decoder of
// app/core/aws/ec2query.h. The first input byte picks a mode, the second an HTTP status:
//   0  parseDescribeInstances(rest): an error and data never together; every instance state
//      survives toString -> instanceStateFromName
//   1  parseStartInstances(rest): the same for the state changes
//   2  parseDescribeSpotInstanceRequests(rest): the same
//   3  parseErrorResponse(rest) and ec2CallResult(status, rest): a 2xx is success; a
//      non-2xx never is unless EC2 said DryRunOperation; the message is bounded
//   4  parseFormBody(rest): what it accepts, encoded again with uriEncode, decodes to the
//      same pairs
// A broken property aborts, so libFuzzer reports it like a crash.
#include "aws/ec2parsers.h"
#include "aws/ec2query.h"
#include "aws/sigv4.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace spotkeeper::core;
using namespace spotkeeper::core::aws;

namespace {

[[noreturn]] void broken(const char *property)
{
    std::fprintf(stderr, "fuzz_ec2_xml: property broken: %s\n", property);
    std::abort();
}

void checkState(Ec2InstanceState state)
{
    if (instanceStateFromName(toString(state)) != state)
        broken("instance state name round trip");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int mode = data[0] % 5;
    const int status = 100 + data[1] % 5 * 100 + data[1] / 5 % 30; // 100..529
    const QByteArrayView rest(reinterpret_cast<const char *>(data + 2),
                              static_cast<qsizetype>(size - 2));
    switch (mode) {
    case 0: {
        const DescribeInstancesPage page = parseDescribeInstances(rest);
        if (!page.error.isEmpty() && (!page.instances.isEmpty() || !page.nextToken.isEmpty()))
            broken("DescribeInstances error with data");
        for (const Ec2Instance &instance : page.instances)
            checkState(instance.state);
        break;
    }
    case 1: {
        const StartInstancesAnswer answer = parseStartInstances(rest);
        if (!answer.error.isEmpty() && !answer.instances.isEmpty())
            broken("StartInstances error with data");
        for (const InstanceStateChange &change : answer.instances) {
            checkState(change.current);
            checkState(change.previous);
        }
        break;
    }
    case 2: {
        const SpotInstanceRequestsPage page = parseDescribeSpotInstanceRequests(rest);
        if (!page.error.isEmpty() && (!page.requests.isEmpty() || !page.nextToken.isEmpty()))
            broken("DescribeSpotInstanceRequests error with data");
        break;
    }
    case 3: {
        const Ec2ErrorResponse response = parseErrorResponse(rest);
        const CallResult result = ec2CallResult(status, rest);
        const bool success = status >= 200 && status < 300;
        if (success != result.ok()
            && !(result.ok() && !response.isEmpty()
                 && response.errors.first().code.endsWith(QLatin1StringView("DryRunOperation"))))
            broken("success only for a 2xx (or DryRunOperation)");
        if (result.errorMessage.size() > 1024)
            broken("unbounded error message");
        break;
    }
    case 4: {
        bool ok = false;
        const BytePairList pairs = parseFormBody(rest, &ok);
        if (!ok) {
            if (!pairs.isEmpty())
                broken("form body rejected with pairs");
            break;
        }
        QByteArray encoded;
        for (const auto &[name, value] : pairs) {
            if (!encoded.isEmpty())
                encoded += '&';
            encoded += uriEncode(name) + '=' + uriEncode(value);
        }
        bool again = false;
        const BytePairList decoded = parseFormBody(encoded, &again);
        if (!again || decoded != pairs)
            broken("form body round trip");
        break;
    }
    default:
        break;
    }
    return 0;
}
