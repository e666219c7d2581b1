// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/cloudprovider.h"
#include "gcp/computeclient.h"

#include <memory>

namespace spotkeeper::core {
class AccessTokenSource;
} // namespace spotkeeper::core

// Google Cloud behind the engine's CloudProvider seam (docs/GCP-PROTOCOL.md §5, docs/GCP.md):
// instances.get for the power state (404 = deleted), instances.start with a requestId, its
// zone operation followed by GET until DONE and the errors inside it classified (capacity ->
// retry with backoff; quota, permission -> an operator), instances.aggregatedList (opt-in
// label filter, every pageToken followed) for the reconciler, instances.stop for an
// operator's stop, instances.reset for the application health watch's restart. Why a VM went down
// without notice is read from Cloud Audit Logs (docs/GCP-PROTOCOL.md §7): a preemption system
// event, or a stop somebody asked for.
namespace spotkeeper::gcp {

class ComputeCloudProvider final : public core::CloudProvider
{
    Q_OBJECT
public:
    // credential: owned (reparented to the provider).
    ComputeCloudProvider(core::AccessTokenSource *credential, ComputeOptions options,
                         const base::Clock &clock, QObject *parent = nullptr);
    ~ComputeCloudProvider() override;
    Q_DISABLE_COPY_MOVE(ComputeCloudProvider)

    QString name() const override { return QStringLiteral("gcp"); }
    QString credentialStatus() const; // never a secret
    ComputeClient *client() const { return m_client; }

    void powerState(const core::VmRecord &vm,
                    std::function<void(core::PowerStateResult)> done) override;
    void start(const core::VmRecord &vm, std::function<void(const QString &asyncUrl)> progress,
               std::function<void(core::StartResult)> done) override;
    void startWithoutFollowing(const core::VmRecord &vm,
                               std::function<void(core::StartResult)> done) override;
    void resumeStart(const core::VmRecord &vm, const QString &asyncUrl,
                     std::function<void(core::StartResult)> done) override;
    void listVms(const QString &projectId, bool statusOnly,
                 std::function<void(core::ListResult)> done) override;
    void evictionEvidence(const core::VmRecord &vm, const QDateTime &since,
                          std::function<void(core::EvidenceResult)> done) override;
    void evictionEvidenceForVms(const QString &projectId, const QList<core::VmRecord> &vms,
                                const QDateTime &since,
                                std::function<void(core::FleetEvidenceResult)> done) override;
    void deallocate(const core::VmRecord &vm, std::function<void(core::CallResult)> done) override;
    // instances.reset: a hard reset of a running VM (no graceful shutdown of the guest), the
    // application health watch's remedy; done once Compute accepted it (the operation is not
    // followed: the agent's next heartbeats tell whether the application came back).
    void restart(const core::VmRecord &vm, std::function<void(core::CallResult)> done) override;
    // Termination action DELETE (Google deletes the VM when it preempts it) or a managed
    // instance group's VM (the group recreates or restarts it): never started by SpotKeeper.
    QString cannotRestart(const core::VmRecord &vm) const override;

private:
    struct Follow;
    struct ListState;
    struct AuditState;
    void postStart(const core::VmRecord &vm, bool follow,
                   std::function<void(const QString &)> progress,
                   std::function<void(core::StartResult)> done);
    void afterOperation(const std::shared_ptr<Follow> &follow, const QByteArray &body);
    void pollLater(const std::shared_ptr<Follow> &follow, const QDateTime &retryAfter);
    void poll(const std::shared_ptr<Follow> &follow);
    void listPage(const std::shared_ptr<ListState> &state);
    void auditPage(const std::shared_ptr<AuditState> &state);
    // POST <instance><action> (/stop, /reset) with a requestId; done once Compute accepted it.
    void postInstanceAction(const core::VmRecord &vm, const QString &action,
                            std::function<void(core::CallResult)> done);

    ComputeClient *m_client;
    const base::Clock &m_clock;
};

} // namespace spotkeeper::gcp
