// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/cloudprovider.h"

#include <memory>

namespace spotkeeper::core {

QString toString(FailureClass failure)
{
    switch (failure) {
    case FailureClass::None:
        return QStringLiteral("none");
    case FailureClass::Transient:
        return QStringLiteral("transient");
    case FailureClass::Throttled:
        return QStringLiteral("throttled");
    case FailureClass::Capacity:
        return QStringLiteral("capacity");
    case FailureClass::Price:
        return QStringLiteral("price");
    case FailureClass::Quota:
        return QStringLiteral("quota");
    case FailureClass::Authorization:
        return QStringLiteral("authorization");
    case FailureClass::NotFound:
        return QStringLiteral("not_found");
    case FailureClass::Fatal:
        break;
    }
    return QStringLiteral("fatal");
}

void CloudProvider::startWithoutFollowing(const VmRecord &vm, std::function<void(StartResult)> done)
{
    start(vm, {}, std::move(done));
}

QString CloudProvider::cannotRestart(const VmRecord &vm) const
{
    if (vm.evictionPolicy.compare(QLatin1StringView("Delete"), Qt::CaseInsensitive) != 0)
        return {};
    return QStringLiteral("Spot VM with the Delete eviction policy: Azure deletes it when it "
                          "evicts it, so it cannot be started again — re-create it (or give it "
                          "the Deallocate policy), then cancel this job");
}

void CloudProvider::evictionEvidenceForVms(const QString &subscriptionId,
                                           const QList<VmRecord> &vms, const QDateTime &since,
                                           std::function<void(FleetEvidenceResult)> done)
{
    Q_UNUSED(subscriptionId);
    struct Gather
    {
        FleetEvidenceResult result;
        qsizetype left = 0;
        std::function<void(FleetEvidenceResult)> done;
    };
    auto gather = std::make_shared<Gather>();
    gather->left = vms.size();
    gather->done = std::move(done);
    if (vms.isEmpty()) {
        gather->done(gather->result);
        return;
    }
    for (const VmRecord &vm : vms) {
        evictionEvidence(vm, since, [gather, key = vm.resourceKey](const EvidenceResult &one) {
            ++gather->result.pages;
            if (!one.call.ok() && gather->result.call.ok())
                gather->result.call = one.call;
            else if (one.kind != EvidenceKind::None)
                gather->result.byVm.insert(key, one);
            if (--gather->left == 0)
                gather->done(gather->result);
        });
    }
}

bool isRetryable(FailureClass failure)
{
    return failure == FailureClass::Transient || failure == FailureClass::Throttled
        || failure == FailureClass::Capacity;
}

QString toString(EvidenceKind kind)
{
    switch (kind) {
    case EvidenceKind::Eviction:
        return QStringLiteral("eviction");
    case EvidenceKind::Deliberate:
        return QStringLiteral("deliberate");
    case EvidenceKind::None:
        break;
    }
    return QStringLiteral("none");
}

void CloudProvider::restart(const VmRecord &vm, std::function<void(CallResult)> done)
{
    Q_UNUSED(vm);
    CallResult result;
    result.failure = FailureClass::Fatal;
    result.errorCode = QStringLiteral("RestartNotSupported");
    result.errorMessage = QStringLiteral("this cloud provider cannot restart a VM");
    done(result);
}

bool CloudProvider::canChangeSettings(const VmRecord &vm) const
{
    Q_UNUSED(vm);
    return false;
}

CallResult CloudProvider::settingsNotSupported()
{
    CallResult result;
    result.failure = FailureClass::Fatal;
    result.errorCode = QStringLiteral("SettingsChangeNotSupported");
    result.errorMessage =
        QStringLiteral("this cloud provider cannot resize a VM or change its max price");
    return result;
}

void CloudProvider::vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done)
{
    Q_UNUSED(vm);
    VmSettingsResult result;
    result.call = settingsNotSupported();
    done(result);
}

void CloudProvider::availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done)
{
    Q_UNUSED(vm);
    VmSizesResult result;
    result.call = settingsNotSupported();
    done(result);
}

void CloudProvider::changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                                   std::function<void(CallResult)> done)
{
    Q_UNUSED(vm);
    Q_UNUSED(change);
    done(settingsNotSupported());
}

} // namespace spotkeeper::core
