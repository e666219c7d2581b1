// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/armparsers.h"
#include "azure/armrequestqueue.h"
#include "base/clock.h"
#include "fleet/cloudprovider.h"

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace spotkeeper::core {

class AccessTokenSource;

struct ScaleSetListResult
{
    CallResult call;
    QList<armparsers::ScaleSetInfo> scaleSets;
    int pages = 0;
};

struct ArmClientOptions
{
    QUrl armUrl = QUrl(QStringLiteral("https://management.azure.com/"));
    QString apiVersion = QStringLiteral("2024-07-01");
    QString activityLogApiVersion = QStringLiteral("2015-04-01");
    ArmBudgets budgets;
    int requestTimeoutMs = 60'000;
    int defaultPollIntervalMs = 10'000; // async-op poll interval when Retry-After is absent
    int maxPollIntervalMs = 60'000; // cap on an async-op Retry-After
    int maxFollowMs = 30 * 60'000; // give up following (finished=false) after this
    int maxPollErrors = 5; // consecutive failed polls before giving up
    int maxListPages = 10'000;
    // Pages of one subscription-wide Activity Log listing (evictionEvidenceInSubscription);
    // Azure does not document its page size; the simulator sends 200 records a page.
    int maxEvidenceListPages = 50;
    // Starts of uniform scale set instances wait this long for others of the same scale set,
    // then go out as one POST .../virtualMachineScaleSets/{ss}/start {"instanceIds": [...]}
    // (ArmCloudProvider). 0 = only starts asked for in the same event-loop pass are merged.
    int scaleSetStartWindowMs = 1'000;
    // Instance ids per batched start; a uniform scale set holds at most 1,000 instances.
    int maxScaleSetStartBatch = 1'000;
};

// ARM Compute operations SpotKeeper needs (AZURE-PROTOCOL.md §4), every request paced by an
// ArmRequestQueue. Results carry a classified CallResult; a start's async operation is
// followed (never POSTed again) until Succeeded/Failed/Canceled. Bearer tokens are only sent
// to URLs on the configured ARM host: an async-operation or nextLink URL elsewhere is refused.
class ArmClient final : public QObject
{
    Q_OBJECT
public:
    ArmClient(AccessTokenSource *credential, ArmClientOptions options, const base::Clock &clock,
              QObject *parent = nullptr);
    ~ArmClient() override;
    Q_DISABLE_COPY_MOVE(ArmClient)

    void instanceView(const QString &resourceId, std::function<void(PowerStateResult)> done);
    // resourceId: a VM or a uniform scale set instance (POST .../start either way).
    // follow = false: done() with the 202 itself (finished false, the async URL when sent).
    void startVm(const QString &resourceId, std::function<void(const QString &)> progress,
                 std::function<void(StartResult)> done, bool follow = true);
    // POST {scaleSetId}/start {"instanceIds": [...]}: one call, one async operation for all.
    void startScaleSetInstances(const QString &scaleSetId, const QStringList &instanceIds,
                                std::function<void(const QString &)> progress,
                                std::function<void(StartResult)> done, bool follow = true);
    // POST deallocate; done once ARM accepted it (the async operation is not followed).
    void deallocateVm(const QString &resourceId, std::function<void(CallResult)> done);
    // POST restart (a reboot of a running VM); done once ARM accepted it, like deallocateVm.
    void restartVm(const QString &resourceId, std::function<void(CallResult)> done);
    // GET of the VM: its size and max price (armparsers::parseVmSettings).
    void vmSettings(const QString &resourceId, std::function<void(VmSettingsResult)> done);
    // GET {vm}/vmSizes: the sizes the VM can be resized to (Virtual Machines - List Available
    // Sizes).
    void availableSizes(const QString &resourceId, std::function<void(VmSizesResult)> done);
    // PATCH of the VM's hardwareProfile.vmSize / billingProfile.maxPrice ("Update VM": charged
    // like a start, to the VM's and the subscription's write buckets); an asynchronous answer
    // is followed until the update finished.
    void changeSettings(const QString &resourceId, const VmSettingsChange &change,
                        std::function<void(CallResult)> done);
    // Follows an Azure-AsyncOperation or Location URL (a persisted one after a restart).
    void followOperation(const QString &resourceId, const QString &url,
                         std::function<void(StartResult)> done);
    void listVms(const QString &subscriptionId, bool statusOnly,
                 std::function<void(ListResult)> done);
    // GET /subscriptions/{s}/providers/Microsoft.Compute/virtualMachineScaleSets, every page.
    void listScaleSets(const QString &subscriptionId, std::function<void(ScaleSetListResult)> done);
    // GET {scaleSetId}/virtualMachines[?$expand=instanceView], every page: the instances of a
    // uniform scale set with their own resource ids (.../virtualMachines/{instanceId}).
    void listScaleSetVms(const QString &scaleSetId, bool withInstanceView,
                         std::function<void(ListResult)> done);
    // Activity Log since `since` on this VM, classified (armparsers::parseActivityLogPage).
    void evictionEvidence(const QString &resourceId, const QDateTime &since,
                          std::function<void(EvidenceResult)> done);
    // One paged listing of the subscription's Compute records since `since` (at most
    // maxEvidenceListPages reads), classified per resource: byVm is keyed by the lower-cased
    // resourceId of each record.
    void evictionEvidenceInSubscription(const QString &subscriptionId, const QDateTime &since,
                                        std::function<void(FleetEvidenceResult)> done);

    ArmRequestQueue *queue() const { return m_queue; }
    const ArmClientOptions &options() const { return m_options; }

private:
    struct Follow;
    // POST <vm><action> (deallocate, restart); done once ARM accepted it.
    void postVmAction(const QString &resourceId, const QString &action,
                      std::function<void(CallResult)> done);
    void poll(std::shared_ptr<Follow> follow);
    void schedulePoll(std::shared_ptr<Follow> follow, const QDateTime &retryAfter);
    void postStart(ArmRequestQueue::Kind kind, const QUrl &target, const QString &resourceId,
                   const QByteArray &body, std::function<void(const QString &)> progress,
                   std::function<void(StartResult)> done, bool follow = true);
    void listPage(std::shared_ptr<struct ListState> state, const QUrl &url);
    void listVmPages(const QUrl &url, std::function<void(ListResult)> done); // every page
    void finishList(const std::shared_ptr<struct ListState> &state);
    void evidencePage(std::shared_ptr<struct EvidenceState> state, const QUrl &url);
    QUrl activityLogUrl(const QString &subscriptionId, const QString &filter,
                        const QString &select) const;
    QUrl resourceUrl(const QString &path, const QString &suffix) const;
    bool isArmUrl(const QUrl &url) const;

    ArmClientOptions m_options;
    const base::Clock &m_clock;
    QNetworkAccessManager *m_network;
    ArmRequestQueue *m_queue;
};

} // namespace spotkeeper::core
