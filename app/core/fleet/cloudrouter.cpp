// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/cloudrouter.h"

#include <QStringList>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

CloudRouter::CloudRouter(QObject *parent)
    : CloudProvider(parent)
{ }

void CloudRouter::setProvider(Cloud cloud, CloudProvider *provider)
{
    if (provider)
        m_providers.insert(cloud, provider);
    else
        m_providers.remove(cloud);
}

CallResult CloudRouter::noProvider(Cloud cloud)
{
    CallResult result;
    result.failure = FailureClass::Fatal;
    result.errorCode = u"NoCloudProvider"_s;
    result.errorMessage = cloud == Cloud::Gcp
        ? u"no Google Cloud provider is configured (the [gcp] section of spotkeeperd.conf, "
          "docs/GCP.md)"_s
        : cloud == Cloud::Aws
        ? u"no AWS provider is configured (the [aws] section of spotkeeperd.conf, docs/AWS.md)"_s
        : u"no Azure provider is configured"_s;
    return result;
}

QString CloudRouter::name() const
{
    QStringList names;
    for (const CloudProvider *provider : m_providers)
        names.append(provider->name());
    return names.join(u'+');
}

void CloudRouter::powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->powerState(vm, std::move(done));
    done(PowerStateResult {noProvider(cloudOf(vm)), PowerState::Unknown});
}

void CloudRouter::start(const VmRecord &vm, std::function<void(const QString &)> progress,
                        std::function<void(StartResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->start(vm, std::move(progress), std::move(done));
    done(StartResult {noProvider(cloudOf(vm)), {}, true});
}

void CloudRouter::startWithoutFollowing(const VmRecord &vm, std::function<void(StartResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->startWithoutFollowing(vm, std::move(done));
    done(StartResult {noProvider(cloudOf(vm)), {}, true});
}

void CloudRouter::resumeStart(const VmRecord &vm, const QString &asyncUrl,
                              std::function<void(StartResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->resumeStart(vm, asyncUrl, std::move(done));
    done(StartResult {noProvider(cloudOf(vm)), {}, true});
}

void CloudRouter::listVms(const QString &subscriptionId, bool statusOnly,
                          std::function<void(ListResult)> done)
{
    const Cloud cloud = cloudOfScope(subscriptionId);
    if (CloudProvider *p = provider(cloud))
        return p->listVms(subscriptionId, statusOnly, std::move(done));
    ListResult result;
    result.call = noProvider(cloud);
    done(result);
}

void CloudRouter::evictionEvidence(const VmRecord &vm, const QDateTime &since,
                                   std::function<void(EvidenceResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->evictionEvidence(vm, since, std::move(done));
    EvidenceResult result;
    result.call = noProvider(cloudOf(vm));
    done(result);
}

void CloudRouter::evictionEvidenceForVms(const QString &subscriptionId, const QList<VmRecord> &vms,
                                         const QDateTime &since,
                                         std::function<void(FleetEvidenceResult)> done)
{
    const Cloud cloud = cloudOfScope(subscriptionId);
    if (CloudProvider *p = provider(cloud))
        return p->evictionEvidenceForVms(subscriptionId, vms, since, std::move(done));
    FleetEvidenceResult result;
    result.call = noProvider(cloud);
    done(result);
}

QString CloudRouter::cannotRestart(const VmRecord &vm) const
{
    if (const CloudProvider *p = provider(cloudOf(vm)))
        return p->cannotRestart(vm);
    return CloudProvider::cannotRestart(vm);
}

void CloudRouter::restart(const VmRecord &vm, std::function<void(CallResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->restart(vm, std::move(done));
    done(noProvider(cloudOf(vm)));
}

void CloudRouter::deallocate(const VmRecord &vm, std::function<void(CallResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->deallocate(vm, std::move(done));
    done(noProvider(cloudOf(vm)));
}

bool CloudRouter::canChangeSettings(const VmRecord &vm) const
{
    const CloudProvider *p = provider(cloudOf(vm));
    return p != nullptr && p->canChangeSettings(vm);
}

void CloudRouter::vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->vmSettings(vm, std::move(done));
    VmSettingsResult result;
    result.call = noProvider(cloudOf(vm));
    done(result);
}

void CloudRouter::availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->availableSizes(vm, std::move(done));
    VmSizesResult result;
    result.call = noProvider(cloudOf(vm));
    done(result);
}

void CloudRouter::changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                                 std::function<void(CallResult)> done)
{
    if (CloudProvider *p = provider(cloudOf(vm)))
        return p->changeSettings(vm, change, std::move(done));
    done(noProvider(cloudOf(vm)));
}

} // namespace spotkeeper::core
