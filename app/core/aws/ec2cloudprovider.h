// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "aws/ec2client.h"
#include "aws/ec2parsers.h"
#include "base/clock.h"
#include "fleet/cloudprovider.h"

#include <QHash>
#include <QStringList>

#include <memory>

// AWS EC2 behind the engine's CloudProvider seam, following the decision table of
// docs/AWS-PROTOCOL.md §9:
// - powerState: DescribeInstances of the instance (stopped = deallocated, terminated or
//   InvalidInstanceID.NotFound = deleted);
// - start: reads the instance (and its Spot request) first and
//   * starts with StartInstances what the owner may start: a stopped instance EC2 did not stop
//     for a Spot interruption (an On-Demand instance stopped for maintenance, ...);
//   * watches what EC2 restarts itself (a Spot Instance of a persistent request that EC2 stopped
//     or hibernated): no call; a Capacity result so the engine looks again with its capacity
//     backoff, and once restartWatchMs passed without EC2 restarting it, a needs-operator
//     result (an alert);
//   * for a terminated one-time Spot Instance: replaces it, if opted in (replaceTerminated and
//     the instance's tag spotkeeper:replace=true), with RunInstances from the instance's launch
//     template (same tags, the alternate instance types and Availability Zones tried in turn on
//     a capacity shortage, an idempotency token per old instance and choice), else reports it
//     gone; either way a needs-operator result whose message is the audit record;
//   * leaves fleet and Auto Scaling members to their fleet or group;
// - listVms: DescribeInstances with the opt-in tag filter, every NextToken page (a filtered
//   listing is not complete);
// - evictionEvidence: the state reason (Server.SpotInstanceShutdown / Termination = EC2's
//   interruption, Client.UserInitiated* = deliberate), with CloudTrail's LookupEvents naming the
//   principal of a StopInstances or TerminateInstances (or a BidEvictedEvent);
// - deallocate: StopInstances;
// - restart: RebootInstances (the application health watch's remedy; EC2 queues the reboot and
//   answers at once, the agent's next heartbeats tell whether the application came back).
namespace spotkeeper::core::aws {

class AwsCredentialChain;

struct Ec2ProviderOptions
{
    Ec2Options client;
    int pageSize = 500; // MaxResults of DescribeInstances (5-1000)
    int maxListPages = 200;
    bool listFilterByTag = true; // false: every instance of the region (tests, small accounts)
    // Watch: how long EC2 may take to restart an interrupted Spot Instance before an alert.
    qint64 restartWatchMs = qint64(30) * 60'000;
    // Replacement of terminated one-time Spot Instances (opt-in, per instance by tag too).
    bool replaceTerminated = false;
    QStringList alternateInstanceTypes; // tried after the instance's own type
    QStringList alternateZones; // tried after the instance's own Availability Zone
    QString partition = QStringLiteral("aws");
};

// The tag an instance carries to be replaced when EC2 terminates it (with replaceTerminated).
inline constexpr QLatin1StringView kReplaceTagKey("spotkeeper:replace");

class Ec2CloudProvider final : public CloudProvider
{
    Q_OBJECT
public:
    // credentials: owned (reparented to the provider).
    Ec2CloudProvider(AwsCredentialChain *credentials, Ec2ProviderOptions options,
                     const base::Clock &clock, QObject *parent = nullptr);
    ~Ec2CloudProvider() override;
    Q_DISABLE_COPY_MOVE(Ec2CloudProvider)

    QString name() const override { return QStringLiteral("aws"); }
    QString credentialStatus() const; // never a secret
    Ec2Client *client() const { return m_client; }
    const Ec2ProviderOptions &options() const { return m_options; }

    void powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done) override;
    void start(const VmRecord &vm, std::function<void(const QString &asyncUrl)> progress,
               std::function<void(StartResult)> done) override;
    void resumeStart(const VmRecord &vm, const QString &asyncUrl,
                     std::function<void(StartResult)> done) override;
    void listVms(const QString &scope, bool statusOnly,
                 std::function<void(ListResult)> done) override;
    void evictionEvidence(const VmRecord &vm, const QDateTime &since,
                          std::function<void(EvidenceResult)> done) override;
    void deallocate(const VmRecord &vm, std::function<void(CallResult)> done) override;
    void restart(const VmRecord &vm, std::function<void(CallResult)> done) override;

signals:
    // A replacement was launched (or failed); the message is the audit record.
    void replacementLaunched(const QString &oldArn, const QString &newInstanceId,
                             const QString &message);

private:
    struct ListState;
    struct Replacement;
    void describeOne(const QString &region, const QString &instanceId,
                     std::function<void(CallResult, std::optional<Ec2Instance>)> done);
    void decideStart(const VmRecord &vm, const QString &region, const Ec2Instance &instance,
                     std::function<void(StartResult)> done);
    void startInstance(const QString &region, const Ec2Instance &instance,
                       std::function<void(StartResult)> done);
    void afterTermination(const VmRecord &vm, const QString &region, const Ec2Instance &instance,
                          const QString &requestType, std::function<void(StartResult)> done);
    void launchReplacement(const std::shared_ptr<Replacement> &replacement);
    void listPage(const std::shared_ptr<ListState> &state);
    // StopInstances / RebootInstances of the VM's instance; done once EC2 accepted it.
    void instanceAction(const VmRecord &vm, const QByteArray &action,
                        std::function<void(CallResult)> done);
    void lookupTrail(const QString &region, const Ec2Instance &instance, const QDateTime &since,
                     const EvidenceResult &base, std::function<void(EvidenceResult)> done);

    AwsCredentialChain *m_credentials;
    Ec2Client *m_client;
    Ec2ProviderOptions m_options;
    const base::Clock &m_clock;
    QHash<QString, QDateTime> m_watchingSince; // instance id -> first seen awaiting EC2
};

} // namespace spotkeeper::core::aws
