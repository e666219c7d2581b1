// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloud.h"
#include "fleet/cloudprovider.h"

#include <QMap>

// The one CloudProvider the engine and the reconciler talk to when the fleet spans clouds:
// each call goes to the provider of the VM's cloud (cloudOf in fleet/cloud.h), or of the scope's
// (cloudOfScope) for listings. A cloud without a provider answers every call with a Fatal
// "NoCloudProvider" failure that says which section of the configuration is missing, so
// such a VM's job waits for an operator instead of reaching another cloud's API.
namespace spotkeeper::core {

class CloudRouter final : public CloudProvider
{
    Q_OBJECT
public:
    explicit CloudRouter(QObject *parent = nullptr);

    void setProvider(Cloud cloud, CloudProvider *provider); // not owned; null removes
    CloudProvider *provider(Cloud cloud) const { return m_providers.value(cloud); }
    // What a call for a cloud without a provider answers.
    static CallResult noProvider(Cloud cloud);

    QString name() const override; // the providers' names joined by '+', e.g. "azure+gcp"
    void powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done) override;
    void start(const VmRecord &vm, std::function<void(const QString &asyncUrl)> progress,
               std::function<void(StartResult)> done) override;
    void startWithoutFollowing(const VmRecord &vm, std::function<void(StartResult)> done) override;
    void resumeStart(const VmRecord &vm, const QString &asyncUrl,
                     std::function<void(StartResult)> done) override;
    void listVms(const QString &subscriptionId, bool statusOnly,
                 std::function<void(ListResult)> done) override;
    void evictionEvidence(const VmRecord &vm, const QDateTime &since,
                          std::function<void(EvidenceResult)> done) override;
    void evictionEvidenceForVms(const QString &subscriptionId, const QList<VmRecord> &vms,
                                const QDateTime &since,
                                std::function<void(FleetEvidenceResult)> done) override;
    void deallocate(const VmRecord &vm, std::function<void(CallResult)> done) override;
    QString cannotRestart(const VmRecord &vm) const override; // the VM's cloud's answer
    void restart(const VmRecord &vm, std::function<void(CallResult)> done) override;
    bool canChangeSettings(const VmRecord &vm) const override;
    void vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done) override;
    void availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done) override;
    void changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                        std::function<void(CallResult)> done) override;

private:
    QMap<Cloud, CloudProvider *> m_providers;
};

} // namespace spotkeeper::core
