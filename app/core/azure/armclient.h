// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "armrequestqueue.h"
#include "cloudprovider.h"

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace spotkeeper::core {

class AccessTokenSource;
class Clock;

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
};

// ARM Compute operations SpotKeeper needs (AZURE-PROTOCOL.md §4), every request paced by an
// ArmRequestQueue. Results carry a classified CallResult; a start's async operation is
// followed (never POSTed again) until Succeeded/Failed/Canceled. Bearer tokens are only sent
// to URLs on the configured ARM host: an async-operation or nextLink URL elsewhere is refused.
class ArmClient final : public QObject
{
    Q_OBJECT
public:
    ArmClient(AccessTokenSource *credential, ArmClientOptions options, const Clock &clock,
              QObject *parent = nullptr);
    ~ArmClient() override;
    Q_DISABLE_COPY_MOVE(ArmClient)

    void instanceView(const QString &resourceId, std::function<void(PowerStateResult)> done);
    void startVm(const QString &resourceId, std::function<void(const QString &)> progress,
                 std::function<void(StartResult)> done);
    // Follows an Azure-AsyncOperation or Location URL (a persisted one after a restart).
    void followOperation(const QString &resourceId, const QString &url,
                         std::function<void(StartResult)> done);
    void listVms(const QString &subscriptionId, bool statusOnly,
                 std::function<void(ListResult)> done);
    // Activity Log: Microsoft.Compute/virtualMachines/evictSpotVM/action on this VM since.
    void evictionEvidence(const QString &resourceId, const QDateTime &since,
                          std::function<void(EvidenceResult)> done);

    ArmRequestQueue *queue() const { return m_queue; }
    const ArmClientOptions &options() const { return m_options; }

private:
    struct Follow;
    void poll(std::shared_ptr<Follow> follow);
    void schedulePoll(std::shared_ptr<Follow> follow, const QDateTime &retryAfter);
    void listPage(std::shared_ptr<struct ListState> state, const QUrl &url);
    void evidencePage(std::shared_ptr<struct EvidenceState> state, const QUrl &url);
    QUrl resourceUrl(const QString &path, const QString &suffix) const;
    bool isArmUrl(const QUrl &url) const;

    ArmClientOptions m_options;
    const Clock &m_clock;
    QNetworkAccessManager *m_network;
    ArmRequestQueue *m_queue;
};

} // namespace spotkeeper::core
