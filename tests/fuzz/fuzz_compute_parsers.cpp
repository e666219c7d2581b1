// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: the engine's parsers of Compute Engine API answers
// (app/core/gcp/computeparsers.h), which read whatever the configured Compute endpoint sends.
// The first input byte picks a mode:
//   0  parseInstanceJson(rest): an instance it accepts has an id the rest of SpotKeeper
//      accepts (VmResourceId), and its record is a Google Cloud VM under that id
//   1  parseOperationJson(rest): classifyOperation says None exactly when the operation did
//      not fail, and a failure always names a code
//   2  parseAggregatedListJson(rest): every instance of the page has a valid id
//   3  parseApiError(rest): classifyHttp of any error status is never "success"
//   4  auditlog::parseEntriesJson(rest) (app/core/gcp/auditlogparsers.h): every entry kept
//      has a method and a time; decide() finds evidence exactly when some entry is decisive,
//      and evidence always says what it is
// A broken property aborts, so libFuzzer reports it like a crash.
#include "gcp/auditlogparsers.h"
#include "gcp/computeparsers.h"
#include "listener/vmresourceid.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace spotkeeper;
using namespace spotkeeper::gcp;

namespace {

[[noreturn]] void broken(const char *property)
{
    std::fprintf(stderr, "fuzz_compute_parsers: property broken: %s\n", property);
    std::abort();
}

void checkInstance(const compute::Instance &instance)
{
    QString error;
    const auto id = core::VmResourceId::parse(instance.resourceId(), &error);
    if (!id || id->cloud != core::Cloud::Gcp)
        broken("an accepted instance has an id VmResourceId accepts");
    const core::VmRecord vm = compute::toVmRecord(instance);
    if (cloudOf(vm) != core::Cloud::Gcp || vm.resourceKey != id->resourceKey()
        || vm.subscriptionId != instance.project)
        broken("an instance's record is a Google Cloud VM under its id");
    static_cast<void>(compute::powerStateOf(instance.status));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView rest(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    QString error;
    switch (data[0] % 5) {
    case 0:
        if (const auto instance = compute::parseInstanceJson(rest, &error))
            checkInstance(*instance);
        else if (error.isEmpty())
            broken("a refused instance says why");
        break;
    case 1:
        if (const auto operation = compute::parseOperationJson(rest, &error)) {
            QString code;
            QString message;
            const core::FailureClass failure =
                compute::classifyOperation(*operation, &code, &message);
            if ((failure == core::FailureClass::None) == operation->failed())
                broken("an operation is a failure exactly when it is DONE with errors");
            if (operation->failed() && code.isEmpty())
                broken("a failed operation names a code");
        } else if (error.isEmpty()) {
            broken("a refused operation says why");
        }
        break;
    case 2:
        if (const auto page = compute::parseAggregatedListJson(rest, &error)) {
            for (const compute::Instance &instance : page->instances)
                checkInstance(instance);
        } else if (error.isEmpty()) {
            broken("a refused page says why");
        }
        break;
    case 4:
        if (const auto page = gcp::auditlog::parseEntriesJson(rest, &error)) {
            bool decisive = false;
            for (const gcp::auditlog::Entry &entry : page->entries) {
                if (entry.methodName.isEmpty() || !entry.timestamp.isValid())
                    broken("a kept audit entry has a method and a time");
                decisive = decisive || gcp::auditlog::classify(entry) != core::EvidenceKind::None;
            }
            const core::EvidenceResult result = gcp::auditlog::decide(page->entries, {});
            if ((result.kind != core::EvidenceKind::None) != decisive)
                broken("evidence is found exactly when an entry is decisive");
            if (decisive && (result.evidence.isEmpty() || result.operation.isEmpty()))
                broken("evidence says what it is");
        } else if (error.isEmpty()) {
            broken("a refused audit page says why");
        }
        break;
    default: {
        const compute::ApiError apiError = compute::parseApiError(rest);
        for (const int status : {400, 401, 403, 404, 409, 429, 500, 503})
            if (compute::classifyHttp(status, apiError) == core::FailureClass::None)
                broken("an HTTP error is never a success");
        break;
    }
    }
    return 0;
}
