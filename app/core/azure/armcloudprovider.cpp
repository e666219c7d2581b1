// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armcloudprovider.h"

#include "azure/scalesetstartbatcher.h"
#include "base/configfile.h"

#include <QNetworkAccessManager>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {
// The engine's records may lack resourceId when built by hand; rebuild it from the parts.
QString resourceIdOf(const VmRecord &vm)
{
    if (!vm.resourceId.isEmpty())
        return vm.resourceId;
    return u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/virtualMachines/%3"_s
        .arg(vm.subscriptionId, vm.resourceGroup, vm.name);
}
bool isSpot(const armparsers::ScaleSetInfo &set)
{
    return set.priority.compare("Spot"_L1, Qt::CaseInsensitive) == 0
        || set.priority.compare("Low"_L1, Qt::CaseInsensitive) == 0; // the old name of Spot
}

// A scale set's instance as the engine sees it: the scale set's Spot settings, and its tags
// over the instance's own copies (an opt-in removed from the scale set must take effect).
VmRecord instanceRecord(VmRecord vm, const armparsers::ScaleSetInfo &set)
{
    if (vm.priority.isEmpty())
        vm.priority =
            set.priority.compare("Low"_L1, Qt::CaseInsensitive) == 0 ? u"Spot"_s : set.priority;
    if (vm.evictionPolicy.isEmpty())
        vm.evictionPolicy = set.evictionPolicy;
    if (vm.location.isEmpty())
        vm.location = set.location;
    if (vm.size.isEmpty())
        vm.size = set.size;
    for (auto it = set.tags.cbegin(); it != set.tags.cend(); ++it) {
        for (auto own = vm.tags.begin(); own != vm.tags.end();) {
            if (own.key().compare(it.key(), Qt::CaseInsensitive) == 0)
                own = vm.tags.erase(own);
            else
                ++own;
        }
        vm.tags.insert(it.key(), it.value());
    }
    return vm;
}

} // namespace

// One listVms: the VM list, then the scale sets, then each Spot uniform scale set's instances.
struct ScaleSetSweep
{
    bool statusOnly = false;
    ListResult result;
    QList<armparsers::ScaleSetInfo> sets; // still to list
    std::function<void(ListResult)> done;
};

QString azureConfigFromEnvironment(const QProcessEnvironment &env, AzureConfig *config)
{
    AzureConfig updated = *config;
    QString cloudName = env.value(u"SPOTKEEPER_AZURE_CLOUD"_s).trimmed();
    if (cloudName.isEmpty())
        cloudName = env.value(u"AZURE_CLOUD"_s).trimmed();
    if (!cloudName.isEmpty()) {
        const auto cloud = AzureCloud::byName(cloudName);
        if (!cloud)
            return u"unknown Azure cloud '%1' (expected AzureCloud, AzureUSGovernment or "
                   "AzureChinaCloud)"_s.arg(cloudName.left(60));
        updated.cloud = *cloud;
    }
    if (QString error = applyEnvironmentOverrides(updated.cloud, env); !error.isEmpty())
        return error;
    const QString apiVersion = env.value(u"SPOTKEEPER_ARM_API_VERSION"_s).trimmed();
    if (!apiVersion.isEmpty()) {
        static const QRegularExpression pattern(u"^\\d{4}-\\d{2}-\\d{2}(-preview)?$"_s);
        if (!pattern.match(apiVersion).hasMatch())
            return u"SPOTKEEPER_ARM_API_VERSION is not an api-version like 2024-07-01: '%1'"_s.arg(
                apiVersion.left(40));
        updated.arm.apiVersion = apiVersion;
    }
    if (const QString az = env.value(u"SPOTKEEPER_AZ_PROGRAM"_s); !az.isEmpty())
        updated.credentials.azProgram = az;
    if (const QString imds = env.value(u"SPOTKEEPER_IMDS_URL"_s).trimmed(); !imds.isEmpty()) {
        const QUrl url(imds, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || url.scheme() != "http"_L1)
            return u"SPOTKEEPER_IMDS_URL is not an http URL: '%1'"_s.arg(imds.left(200));
        updated.credentials.imdsEndpoint = url;
    }
    // SPOTKEEPER_MANAGED_IDENTITY=off|on overrides the caller's default: the server tries managed
    // identity (it may run on an Azure VM), the desktop dashboard does not (a workstation).
    if (const QString mi = env.value(u"SPOTKEEPER_MANAGED_IDENTITY"_s).trimmed(); !mi.isEmpty()) {
        const std::optional<bool> on = base::parseBool(mi);
        if (!on)
            return u"SPOTKEEPER_MANAGED_IDENTITY must be on or off, not '%1'"_s.arg(mi.left(20));
        updated.credentials.excludeManagedIdentity = !*on;
    }
    if (const QString id = env.value(u"SPOTKEEPER_MANAGED_IDENTITY_CLIENT_ID"_s).trimmed();
        !id.isEmpty())
        updated.credentials.managedIdentityClientId = id;
    updated.arm.armUrl = updated.cloud.armUrl;
    *config = updated;
    return {};
}

ArmCloudProvider::ArmCloudProvider(AccessTokenSource *credential, ArmClientOptions options,
                                   const base::Clock &clock, QObject *parent)
    : CloudProvider(parent)
    , m_credential(credential)
    , m_client(new ArmClient(credential, options, clock, this))
    , m_batcher(new ScaleSetStartBatcher(*m_client, options.scaleSetStartWindowMs,
                                         options.maxScaleSetStartBatch, this))
{
    m_credential->setParent(this);
}

ArmCloudProvider *ArmCloudProvider::create(const AzureConfig &config,
                                           const QProcessEnvironment &env, const base::Clock &clock,
                                           QObject *parent)
{
    ArmClientOptions options = config.arm;
    options.armUrl = config.cloud.armUrl;
    // The credential's network manager lives as long as the credential (its child).
    auto *network = new QNetworkAccessManager;
    ChainedCredential *credential =
        ChainedCredential::createDefault(config.cloud, env, network, clock, config.credentials);
    network->setParent(credential);
    return new ArmCloudProvider(credential, options, clock, parent);
}

ArmCloudProvider::~ArmCloudProvider() = default;

QString ArmCloudProvider::name() const
{
    return u"azure"_s;
}

QString ArmCloudProvider::credentialStatus() const
{
    const QString principal = m_credential->principal();
    return principal.isEmpty() ? m_credential->sourceName()
                               : m_credential->sourceName() + ": "_L1 + principal;
}

void ArmCloudProvider::powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done)
{
    m_client->instanceView(resourceIdOf(vm), std::move(done));
}

void ArmCloudProvider::start(const VmRecord &vm, std::function<void(const QString &)> progress,
                             std::function<void(StartResult)> done)
{
    const QString id = resourceIdOf(vm);
    const auto parts = armparsers::parseVmResourceId(id);
    if (parts && parts->isScaleSetInstance())
        m_batcher->start(id, std::move(progress), std::move(done));
    else
        m_client->startVm(id, std::move(progress), std::move(done));
}

void ArmCloudProvider::startWithoutFollowing(const VmRecord &vm,
                                             std::function<void(StartResult)> done)
{
    // Scale set instances keep their batch: one start call for many (batched apart from
    // followed starts, since done() must get the POST's own answer here).
    const QString id = resourceIdOf(vm);
    const auto parts = armparsers::parseVmResourceId(id);
    if (parts && parts->isScaleSetInstance())
        m_batcher->start(id, {}, std::move(done), false);
    else
        m_client->startVm(id, {}, std::move(done), false);
}

void ArmCloudProvider::resumeStart(const VmRecord &vm, const QString &asyncUrl,
                                   std::function<void(StartResult)> done)
{
    m_client->followOperation(resourceIdOf(vm), asyncUrl, std::move(done));
}

void ArmCloudProvider::listVms(const QString &subscriptionId, bool statusOnly,
                               std::function<void(ListResult)> done)
{
    auto sweep = std::make_shared<ScaleSetSweep>();
    sweep->statusOnly = statusOnly;
    sweep->done = std::move(done);
    m_client->listVms(subscriptionId, statusOnly, [this, sweep, subscriptionId](ListResult vms) {
        sweep->result = std::move(vms);
        if (!sweep->result.call.ok()) {
            sweep->done(sweep->result);
            return;
        }
        m_client->listScaleSets(subscriptionId, [this, sweep](ScaleSetListResult sets) {
            sweep->result.pages += sets.pages;
            if (!sets.call.ok()) { // a partial list would make instances look deleted
                sweep->result.call = sets.call;
                sweep->done(sweep->result);
                return;
            }
            for (const armparsers::ScaleSetInfo &set : std::as_const(sets.scaleSets)) {
                if (set.isUniform() && isSpot(set))
                    sweep->sets.append(set);
            }
            listScaleSetInstances(sweep);
        });
    });
}

void ArmCloudProvider::listScaleSetInstances(std::shared_ptr<ScaleSetSweep> sweep)
{
    if (sweep->sets.isEmpty()) {
        sweep->done(sweep->result);
        return;
    }
    const armparsers::ScaleSetInfo set = sweep->sets.takeFirst();
    m_client->listScaleSetVms(set.resourceId, sweep->statusOnly,
                              [this, sweep, set](ListResult instances) {
                                  sweep->result.pages += instances.pages;
                                  if (!instances.call.ok()) {
                                      sweep->result.call = instances.call;
                                      sweep->done(sweep->result);
                                      return;
                                  }
                                  for (VmRecord &vm : instances.vms)
                                      sweep->result.vms.append(instanceRecord(std::move(vm), set));
                                  listScaleSetInstances(sweep);
                              });
}

void ArmCloudProvider::evictionEvidence(const VmRecord &vm, const QDateTime &since,
                                        std::function<void(EvidenceResult)> done)
{
    m_client->evictionEvidence(resourceIdOf(vm), since, std::move(done));
}

void ArmCloudProvider::evictionEvidenceForVms(const QString &subscriptionId,
                                              const QList<VmRecord> &vms, const QDateTime &since,
                                              std::function<void(FleetEvidenceResult)> done)
{
    QHash<QString, QString> keyOf; // lower-cased resource id -> resourceKey
    for (const VmRecord &vm : vms)
        keyOf.insert(resourceIdOf(vm).toLower(), vm.resourceKey);
    m_client->evictionEvidenceInSubscription(
        subscriptionId, since, [keyOf, done = std::move(done)](FleetEvidenceResult listed) {
            FleetEvidenceResult result;
            result.call = listed.call;
            result.pages = listed.pages;
            result.complete = listed.complete;
            for (auto it = listed.byVm.cbegin(); it != listed.byVm.cend(); ++it) {
                const auto key = keyOf.constFind(it.key());
                if (key != keyOf.cend())
                    result.byVm.insert(*key, it.value());
            }
            done(result);
        });
}

void ArmCloudProvider::restart(const VmRecord &vm, std::function<void(CallResult)> done)
{
    m_client->restartVm(resourceIdOf(vm), std::move(done));
}

void ArmCloudProvider::deallocate(const VmRecord &vm, std::function<void(CallResult)> done)
{
    m_client->deallocateVm(resourceIdOf(vm), std::move(done));
}

bool ArmCloudProvider::canChangeSettings(const VmRecord &vm) const
{
    const auto parts = armparsers::parseVmResourceId(resourceIdOf(vm));
    return parts && !parts->isScaleSetInstance();
}

void ArmCloudProvider::vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done)
{
    if (!canChangeSettings(vm)) {
        VmSettingsResult result;
        result.call = settingsNotSupported();
        done(result);
        return;
    }
    m_client->vmSettings(resourceIdOf(vm), std::move(done));
}

void ArmCloudProvider::availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done)
{
    if (!canChangeSettings(vm)) {
        VmSizesResult result;
        result.call = settingsNotSupported();
        done(result);
        return;
    }
    m_client->availableSizes(resourceIdOf(vm), std::move(done));
}

void ArmCloudProvider::changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                                      std::function<void(CallResult)> done)
{
    if (!canChangeSettings(vm)) {
        done(settingsNotSupported());
        return;
    }
    m_client->changeSettings(resourceIdOf(vm), change, std::move(done));
}

} // namespace spotkeeper::core
