// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "aws/sigv4.h"
#include "base/clock.h"
#include "fleet/ratebudget.h"
#include "http/httpserver.h"
#include "sim/armlimits.h"
#include "sim/simawskeys.h"
#include "sim/simtypes.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

// The simulator's HTTP front on one spotkeeper::http::HttpServer (127.0.0.1 only):
//   POST /{tenant}/oauth2/v2.0/token                     Entra ID client credentials
//   /subscriptions/...                                   ARM Compute + Activity Log
//   /imds/{vmName}/metadata/{instance,scheduledevents}    IMDS of each VM
//   /gce/{vmName}/computeMetadata/v1/...                 metadata server of each Google Cloud VM
//   /gcp/token                                           Google's token endpoint (JWT grant)
//   /compute/v1/projects/{p}/...                         Compute Engine API of the GCP VMs
//   /aws-imds/{name}/latest/...                          IMDSv2 of each AWS instance
//   /api/retail/prices                                   Azure Retail Prices API (public)
//   POST /aws/                                           EC2 Query API, CloudTrail, STS of the
//                                                        AWS instances (SigV4, ec2routes.cpp)
//   /app/{vmName}/health                                 each VM's application health endpoint
//   /providers/Microsoft.ResourceGraph/resources         Resource Graph (SpotResources only)
//   /control/...                                         the control API (docs/SIMULATOR.md)
// ARM requests need a bearer token it issued and pass through ArmLimits (wall clock);
// injectable faults (5xx, dropped requests, delays) apply to ARM only. Every request is
// recorded for the end-to-end checks.
namespace spotkeeper::sim {

class FleetModel;

struct ServerOptions
{
    QString clientId = QStringLiteral("00000000-0000-0000-0000-00000000c11e");
    QByteArray clientSecret = QByteArrayLiteral("sim-secret"); // accepted secret
    int tokenLifetimeSeconds = 3599;
    double tokenFailureRate = 0; // fraction of token requests answered 503
    int pageSize = 50; // VMs per list page (nextLink beyond)
    int activityPageSize = 200; // Activity Log records per page (nextLink beyond)
    int startRetryAfterSeconds = 10; // Retry-After of the start 202 (recorded: 10)
    int pollRetryAfterSeconds = 5; // Retry-After while the operation is InProgress
    double error5xxRate = 0; // fraction of ARM requests answered 500/503
    double dropRate = 0; // fraction of ARM requests never answered (connection lost)
    double resetRate = 0; // fraction of ARM requests answered by a TCP RST (ECONNRESET)
    int delayMs = 0; // added before every ARM answer
    int imdsRequestsPerSecond = 5;
    // The retail prices API (priceroutes.cpp): a token bucket per simulator (wall clock), and
    // items per answer page.
    double pricesBurst = 5;
    double pricesPerSecond = 3;
    int pricesPageSize = 100;
    // The simulated AWS account's keys (SigV4) and EC2's request buckets (AWS-PROTOCOL.md §6.3).
    QString awsAccessKeyId = QString::fromLatin1(kSimAwsAccessKeyId);
    QString awsSecretAccessKey = QString::fromLatin1(kSimAwsSecretAccessKey);
    core::BudgetConfig awsDescribeBudget {100, 20, 1'000};
    core::BudgetConfig awsMutateBudget {50, 5, 1'000};
    core::BudgetConfig awsRunBudget {20, 2, 1'000};
    core::BudgetConfig awsCloudTrailBudget {10, 2, 1'000};
    // How long a client must wait after RequestLimitExceeded before it asks the same service
    // again (SpotKeeper's EC2 client backs off 1 s, 2 s, 4 s, ...).
    qint64 awsMinBackoffMs = 1'000;
    quint32 seed = 1;
};

struct RequestRecord
{
    qint64 wallMs = 0;
    QByteArray method;
    QString path;
    int status = 0;
    QString area; // "arm", "token", "imds", "control"
};

class SimServer final : public QObject
{
    Q_OBJECT
public:
    SimServer(FleetModel &model, const base::Clock &wallClock, ServerOptions options = {},
              QObject *parent = nullptr);
    ~SimServer() override;
    Q_DISABLE_COPY_MOVE(SimServer)

    bool listen(quint16 port, QString *error); // 127.0.0.1 only
    quint16 port() const;
    QString baseUrl() const; // http://127.0.0.1:<port>
    FleetModel &model() { return m_model; }
    ArmLimits &limits() { return m_limits; }
    ServerOptions &options() { return m_options; }

    // Control actions (also reached through /control and scenario files).
    QStringList evict(int count, const QStringList &names, const QString &region, bool notice);
    // Deallocates running VMs "as a user" (caller): no notice, an Activity Log entry that
    // becomes readable logDelayMs (simulated) later. Returns the names deallocated.
    QStringList deallocateAsUser(const QStringList &names, const QString &caller,
                                 qint64 logDelayMs);
    // deallocate = false: powerOff instead (the VMs stop but stay allocated).
    QStringList stopAsUser(const QStringList &names, const QString &caller, qint64 logDelayMs,
                           bool deallocate);
    void capacityShortage(const QString &region, const QString &size, qint64 simSeconds,
                          const QString &code, bool async);
    // A price eviction (docs/SIMULATOR.md "Capacity fallback"): the size's Spot price rises to
    // usd and its running Spot VMs whose max price is below it are evicted. Returns their names.
    QStringList raiseSpotPrice(const QString &size, double usd);
    void throttleStorm(qint64 realSeconds); // ARM and the AWS APIs
    QJsonObject awsJson() const; // counters of the AWS APIs
    void setFaults(double error5xxRate, double dropRate, int delayMs, double tokenFailureRate,
                   double resetRate = 0);

    QJsonObject stateJson() const;
    QJsonObject recordsJson() const;
    static QJsonObject lossesJson(const LossBreakdown &losses);
    const std::deque<RequestRecord> &requests() const { return m_requests; }
    qint64 tokensIssued() const { return m_tokensIssued; }
    qint64 pricesThrottled() const { return m_prices429; } // 429s of /api/retail/prices
    // The simulated price list's items for one size in one region (every meter type).
    static QList<QJsonObject> priceItems(const QString &region, const QString &size);

    // Hook for the scenario runner / simulated agents: called after every eviction.
    // NOLINTNEXTLINE(cppcoreguidelines-non-private-member-variables-in-classes): set by main
    std::function<void(const QStringList &)> onEvicted;
    // Adds the simulated agents' records (acknowledged notices) to recordsJson().
    // NOLINTNEXTLINE(cppcoreguidelines-non-private-member-variables-in-classes): set by main
    std::function<QJsonObject()> agentRecords;

private:
    using ResponderPtr = std::shared_ptr<http::Responder>;
    void handle(const http::Request &request, const ResponderPtr &responder);
    void reply(const http::Request &request, const ResponderPtr &responder,
               const http::Response &response, const QString &area);
    void handleToken(const http::Request &request, const ResponderPtr &responder);
    void handleArm(const http::Request &request, const ResponderPtr &responder);
    void routeArm(const http::Request &request, const ResponderPtr &responder);
    // A per-VM route's path, "<prefix>{vm}<rest>" with prefixLength the length of the prefix and
    // its slashes ("/imds/": 6): the VM's name, the rest of the path ("" when nothing follows the
    // name) and the VM's index in the model (-1: none by that name).
    struct VmRoute
    {
        QString vmName;
        QString rest;
        int index = -1;
    };
    VmRoute vmRoute(const QByteArray &path, qsizetype prefixLength) const;
    void handleImds(const http::Request &request, const ResponderPtr &responder);
    void handleControl(const http::Request &request, const ResponderPtr &responder);
    // GET /app/{vmName}/health: 200 while the VM runs and its application is healthy, else
    // 503 (approutes.cpp; flipped through POST /control/app).
    void handleApp(const http::Request &request, const ResponderPtr &responder);
    void handlePrices(const http::Request &request, const ResponderPtr &responder);
    // Google Cloud metadata server per GCP VM, long polls included (gceroutes.cpp).
    void handleGce(const http::Request &request, const ResponderPtr &responder);
    void answerGceWaiters();
    // EC2 instance metadata (IMDSv2 only) per AWS instance (awsimdsroutes.cpp).
    void handleAwsImds(const http::Request &request, const ResponderPtr &responder);
    // Google's token endpoint and the Compute Engine API of the GCP VMs (computeroutes.cpp).
    void handleGcpToken(const http::Request &request, const ResponderPtr &responder);
    void handleCompute(const http::Request &request, const ResponderPtr &responder);
    http::Response computeList(const http::Request &request, const QString &project);
    // Cloud Logging entries.list over the GCP VMs' audit log (computeroutes.cpp).
    void handleLogging(const http::Request &request, const ResponderPtr &responder);
    bool gcpAuthorized(const http::Request &request) const;
    QJsonObject computeInstance(const http::Request &request, const SimVm &vm) const;
    // The AWS account under /aws/ (ec2routes.cpp).
    void handleAws(const http::Request &request, const ResponderPtr &responder);
    QString awsSignatureProblem(const http::Request &request) const; // empty = signed right
    bool awsThrottles(const QString &kind, const QString &service); // RequestLimitExceeded
    http::Response ec2Action(const QByteArray &action, const core::aws::BytePairList &form);
    http::Response ec2DescribeInstances(const core::aws::BytePairList &form);
    http::Response ec2StartOrStop(bool start, const core::aws::BytePairList &form);
    std::optional<http::Response> ec2StartOne(int index); // nullopt = started
    std::optional<http::Response> ec2StopOne(int index); // nullopt = stopped
    http::Response ec2DescribeSpotRequests(const core::aws::BytePairList &form);
    http::Response runInstances(const core::aws::BytePairList &form);
    http::Response cloudTrailLookup(const http::Request &request);
    http::Response stsAssume(const core::aws::BytePairList &form);
    QJsonObject computeOperation(const http::Request &request, const SimVm &vm,
                                 const SimOperation *op, const QString &opId) const;
    http::Response armError(int status, const QString &code, const QString &message) const;
    http::Response listVms(const http::Request &request, const QString &subscription,
                           const QString &resourceGroup, const QString &location);
    http::Response activityLog(const http::Request &request, const QString &subscription);
    http::Response vmAction(const http::Request &request, int vm, const QString &action);
    http::Response patchVm(const http::Request &request, int vm);
    http::Response startAccepted(const http::Request &request, const QString &subscriptionId,
                                 const QString &location, const QString &opId) const;
    // Uniform scale sets (scalesetroutes.cpp).
    http::Response listScaleSets(const http::Request &request, const QString &subscription);
    http::Response listInstances(const http::Request &request, const QString &subscription,
                                 const QString &resourceGroup, const QString &scaleSet);
    http::Response startScaleSet(const http::Request &request, const QString &subscription,
                                 const QString &resourceGroup, const QString &scaleSet);
    http::Response operationStatus(const http::Request &request, const QString &opId);
    // POST /providers/Microsoft.ResourceGraph/resources: SpotResources (resourcegraphroutes.cpp).
    void handleResourceGraph(const http::Request &request, const ResponderPtr &responder);
    http::Response resourceGraph(const http::Request &request);
    void resourceGraphNames(const QString &kql, QStringList *regions, QStringList *sizes) const;
    QString hostBase(const http::Request &request) const;
    // One page ($skiptoken = offset, m_options.pageSize items) of a list of total items as
    // {"value": [...], "nextLink"?}; the nextLink carries query plus the next $skiptoken.
    QJsonObject page(const http::Request &request, qsizetype total, QUrlQuery query,
                     const std::function<QJsonObject(qsizetype)> &item,
                     int pageSize = 0) const; // 0 = m_options.pageSize

    FleetModel &m_model;
    const base::Clock &m_wall;
    ServerOptions m_options;
    ArmLimits m_limits;
    std::unique_ptr<http::HttpServer> m_server;
    QRandomGenerator m_rng;
    QHash<QByteArray, qint64> m_tokens; // access token -> wall expiry ms
    QHash<QString, std::deque<qint64>> m_imdsHits; // vm name -> recent wall ms
    std::deque<RequestRecord> m_requests;
    qint64 m_tokensIssued = 0;
    TokenBucketSim m_priceBucket;
    qint64 m_prices429 = 0;
    qint64 m_dropped = 0;
    qint64 m_resets = 0;
    struct ArmReads
    {
        qint64 total = 0;
        qint64 listPages = 0;
        qint64 vmGets = 0;
        qint64 operationPolls = 0;
        qint64 activityPages = 0;
    } m_armReads;
    qint64 m_armWrites = 0;
    qint64 m_injected5xx = 0;
    struct GceWaiter
    {
        http::Request request; // for the request record once answered
        ResponderPtr responder;
        QString vmName;
        QString key;
        bool json = false;
        QByteArray etag; // what the client has seen
        qint64 deadlineWallMs = 0;
    };
    struct AwsImdsToken
    {
        QString vmName; // a token is good for the instance that issued it only
        qint64 expiresWallMs = 0;
    };
    QHash<QByteArray, AwsImdsToken> m_awsImdsTokens; // IMDSv2 session tokens
    std::vector<GceWaiter> m_gceWaiters; // open ?wait_for_change=true requests
    QHash<QString, core::aws::AwsCredentials> m_awsKeys; // temporary keys STS issued
    QHash<QString, core::RateBudget> m_awsBuckets; // per API kind
    QHash<QByteArray, int> m_awsClientTokens; // RunInstances ClientToken -> instance
    struct AwsGate
    {
        qint64 raisedWallMs = 0; // the throttled answer that opened it
        qint64 untilWallMs = 0;
    };
    // A request this soon after the throttled answer was already in flight (as ArmLimits).
    static constexpr qint64 kAwsInFlightMs = 250;
    QHash<QString, AwsGate> m_awsGates; // per service ("ec2", "cloudtrail")
    qint64 m_awsRequestsBeforeBackoff = 0;
    qint64 m_awsStormUntilWallMs = 0;
    qint64 m_awsDescribes = 0;
    qint64 m_awsStarts = 0;
    qint64 m_awsStartsRefused = 0;
    qint64 m_awsRuns = 0;
    qint64 m_awsRunsRefused = 0;
    qint64 m_awsTrailReads = 0;
    qint64 m_awsThrottled = 0;
    qint64 m_awsRefused = 0;
    qint64 m_awsStsIssued = 0;
    QTimer m_gceTimer; // checks them every kGceCheckMs while any is open
};

} // namespace spotkeeper::sim
