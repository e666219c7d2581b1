// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "armclient.h"
#include "azurecloud.h"
#include "chainedcredential.h"
#include "cloudprovider.h"

#include <QProcessEnvironment>

namespace spotkeeper::core {

class Clock;

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

// The engine's CloudProvider for Azure: an ArmClient over a ChainedCredential.
class ArmCloudProvider final : public CloudProvider
{
    Q_OBJECT
public:
    // Takes ownership (re-parents) of credential.
    ArmCloudProvider(AccessTokenSource *credential, ArmClientOptions options, const Clock &clock,
                     QObject *parent = nullptr);
    // The usual wiring: DefaultAzureCredential order from env + ArmClient for config.cloud.
    static ArmCloudProvider *create(const AzureConfig &config, const QProcessEnvironment &env,
                                    const Clock &clock, QObject *parent = nullptr);
    ~ArmCloudProvider() override;
    Q_DISABLE_COPY_MOVE(ArmCloudProvider)

    QString name() const override;
    void powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done) override;
    void start(const VmRecord &vm, std::function<void(const QString &asyncUrl)> progress,
               std::function<void(StartResult)> done) override;
    void resumeStart(const VmRecord &vm, const QString &asyncUrl,
                     std::function<void(StartResult)> done) override;
    void listVms(const QString &subscriptionId, bool statusOnly,
                 std::function<void(ListResult)> done) override;
    void evictionEvidence(const VmRecord &vm, const QDateTime &since,
                          std::function<void(EvidenceResult)> done) override;

    // For the status bar / healthz: "environment: client <id> in tenant <t>"; never a secret.
    QString credentialStatus() const;
    AccessTokenSource *credential() const { return m_credential; }
    ArmClient *client() const { return m_client; }

private:
    AccessTokenSource *m_credential;
    ArmClient *m_client;
};

} // namespace spotkeeper::core
