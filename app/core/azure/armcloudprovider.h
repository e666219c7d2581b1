// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/armclient.h"
#include "azure/azurecloud.h"
#include "azure/chainedcredential.h"
#include "base/clock.h"
#include "fleet/cloudprovider.h"

#include <QProcessEnvironment>

#include <memory>

namespace spotkeeper::core {

// Everything needed to reach Azure, usually from the environment (see fromEnvironment).
struct AzureConfig
{
    AzureCloud cloud = AzureCloud::publicCloud();
    ArmClientOptions arm; // arm.armUrl is overwritten with cloud.armUrl
    CredentialOptions credentials;
};

// Reads AZURE_CLOUD / SPOTKEEPER_AZURE_CLOUD (AzureCloud | AzureUSGovernment | AzureChinaCloud),
// AZURE_AUTHORITY_HOST, SPOTKEEPER_ARM_URL, SPOTKEEPER_ARM_API_VERSION,
// SPOTKEEPER_AZ_PROGRAM, SPOTKEEPER_IMDS_URL, SPOTKEEPER_MANAGED_IDENTITY_CLIENT_ID.
// Returns an error naming the variable on bad input (config unchanged then).
QString azureConfigFromEnvironment(const QProcessEnvironment &env, AzureConfig *config);

class ScaleSetStartBatcher;

// The engine's CloudProvider for Azure: an ArmClient over a ChainedCredential. Uniform scale
// set instances (".../virtualMachineScaleSets/{ss}/virtualMachines/{id}") are VMs to the engine:
// power state and start use their own ARM paths, starts of one scale set are coalesced into one
// call (ScaleSetStartBatcher), and listVms adds the instances of the subscription's Spot
// uniform scale sets, each carrying its scale set's priority, eviction policy and tags (so the
// opt-in tag on a scale set opts in all its instances). Flexible scale set VMs are listed by
// ARM as ordinary VMs and need nothing here.
class ArmCloudProvider final : public CloudProvider
{
    Q_OBJECT
public:
    // Takes ownership (re-parents) of credential.
    ArmCloudProvider(AccessTokenSource *credential, ArmClientOptions options,
                     const base::Clock &clock, QObject *parent = nullptr);
    // The usual wiring: DefaultAzureCredential order from env + ArmClient for config.cloud.
    static ArmCloudProvider *create(const AzureConfig &config, const QProcessEnvironment &env,
                                    const base::Clock &clock, QObject *parent = nullptr);
    ~ArmCloudProvider() override;
    Q_DISABLE_COPY_MOVE(ArmCloudProvider)

    QString name() const override;
    void powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done) override;
    void start(const VmRecord &vm, std::function<void(const QString &asyncUrl)> progress,
               std::function<void(StartResult)> done) override;
    void resumeStart(const VmRecord &vm, const QString &asyncUrl,
                     std::function<void(StartResult)> done) override;
    void startWithoutFollowing(const VmRecord &vm, std::function<void(StartResult)> done) override;
    void listVms(const QString &subscriptionId, bool statusOnly,
                 std::function<void(ListResult)> done) override;
    void evictionEvidence(const VmRecord &vm, const QDateTime &since,
                          std::function<void(EvidenceResult)> done) override;
    void evictionEvidenceForVms(const QString &subscriptionId, const QList<VmRecord> &vms,
                                const QDateTime &since,
                                std::function<void(FleetEvidenceResult)> done) override;
    void deallocate(const VmRecord &vm, std::function<void(CallResult)> done) override;
    void restart(const VmRecord &vm, std::function<void(CallResult)> done) override;
    // Standalone and Flexible scale set VMs; a uniform scale set instance takes its size and
    // max price from its scale set's model, which SpotKeeper does not change.
    bool canChangeSettings(const VmRecord &vm) const override;
    void vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done) override;
    void availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done) override;
    void changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                        std::function<void(CallResult)> done) override;

    // For the status bar / healthz: "environment: client <id> in tenant <t>"; never a secret.
    QString credentialStatus() const;
    AccessTokenSource *credential() const { return m_credential; }
    ArmClient *client() const { return m_client; }

private:
    void listScaleSetInstances(std::shared_ptr<struct ScaleSetSweep> sweep);

    AccessTokenSource *m_credential;
    ArmClient *m_client;
    ScaleSetStartBatcher *m_batcher;
};

} // namespace spotkeeper::core
