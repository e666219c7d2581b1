// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/costtypes.h"
#include "fleet/fleettypes.h"
#include "http/httpserver.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

// The operator API under /api/v1/ (everything but the agents' notices and heartbeats),
// called by the listener once the bearer token is verified; actor is "api:<token id>".
//   GET  /api/v1/vms                         fleet with state, job, attempts, next retry
//   POST /api/v1/vms {"resourceId": "<VM resource id>"}   add a VM to the fleet
//   GET  /api/v1/events?vm=&type=&from=&to=&limit=&cursor=   newest first, paged
//   GET  /api/v1/events?after=<id>&...       oldest first from id > after (incremental)
//   GET  /api/v1/jobs?vm=&limit=             one VM's restart jobs, newest first
//   GET  /api/v1/audit?from=&to=&after=&limit=   audit rows, oldest first
//   POST /api/v1/vms/{subscription}/{resourceGroup}/{vm}/restart|pause|resume|cancel|stop|start
//   GET  /api/v1/keys                        agent keys, never secrets
//   POST /api/v1/keys {"vm": "<resource id>"}  -> secret + credential file, once
//   POST /api/v1/keys/{keyId}/rotate {"overlapSeconds": n}
//   POST /api/v1/keys/{keyId}/revoke
//   GET  /api/v1/tokens                      operator tokens (ids and times only)
//   POST /api/v1/tokens {"validSeconds": n}  -> new operator token, once
//   POST /api/v1/tokens/{tokenId}/revoke
//   GET  /api/v1/notify/status               delivery status per notification channel
// VM actions are audited by FleetOperations, keys and tokens by their managers.
namespace spotkeeper::core {

class AgentKeyManager;
struct ChannelStatus;
struct EventFilter;
class FleetOperations;
class OperatorTokens;
class Store;

class OperatorApi
{
public:
    OperatorApi(Store &store, FleetOperations &operations, base::Clock &clock,
                AgentKeyManager &keys, OperatorTokens &tokens, qint64 defaultOverlapSeconds);

    http::Response handle(const http::Request &request, const QString &actor);
    // PEM sent as "caCertificate" with every issued key (ListenerOptions::agentCaPem).
    void setAgentCa(const QByteArray &pem) { m_agentCa = pem; }
    // The notification channels' delivery status (the EngineHost's Notifier); without a
    // provider, or without channels, GET /api/v1/notify/status lists none.
    using NotifyStatusProvider = std::function<QList<ChannelStatus>()>;
    void setNotifyStatusProvider(NotifyStatusProvider provider)
    {
        m_notifyStatus = std::move(provider);
    }

private:
    http::Response vms(const http::Request &request, const QList<QByteArray> &segments,
                       const QString &actor);
    http::Response listVms();
    http::Response listEvents(const http::Request &request);
    static bool readEventKinds(const http::Request &request, QList<EventKind> *kinds,
                               http::Response *error);
    static bool readEventPage(const http::Request &request, EventFilter *filter,
                              http::Response *error);
    http::Response vmAction(const QList<QByteArray> &segments, const QString &actor);
    http::Response addVm(const http::Request &request, const QString &actor);
    // operatorapiviews.cpp: what the remote dashboard reads (RemoteFleetSource)
    http::Response listJobs(const http::Request &request);
    http::Response listAudit(const http::Request &request);
    // GET /api/v1/cost (operatorapicost.cpp): the cost report as JSON, or CSV with format=csv.
    http::Response costReport(const http::Request &request);
    http::Response riskReport(const http::Request &request);
    // The cost and risk routes' query: range, groupBy, bucketSeconds, risk, format.
    bool readCostQuery(const http::Request &request, CostQuery *query, http::Response *error) const;
    static http::Response csvAnswer(const CostReport &report, bool risk);
    http::Response notifyStatus(const http::Request &request);
    http::Response undoFallback(const http::Request &request, const QList<QByteArray> &segments,
                                const QString &actor);
    std::optional<VmRecord> vmFromQuery(const QString &value);
    // Query parsing shared by the list routes: false with a 400 in *error on a bad value.
    // limit=<n> within [1, max], fallback when absent; from/to as ISO 8601 times.
    static bool readLimit(const http::Request &request, int fallback, int max, int *limit,
                          http::Response *error);
    static bool readTimeRange(const http::Request &request, QDateTime *from, QDateTime *to,
                              http::Response *error);
    http::Response keys(const http::Request &request, const QList<QByteArray> &segments,
                        const QString &actor);
    http::Response issueKey(const http::Request &request, const QString &actor);
    http::Response rotateKey(const http::Request &request, const QString &keyId,
                             const QString &actor);
    http::Response tokens(const http::Request &request, const QList<QByteArray> &segments,
                          const QString &actor);
    http::Response listTokens();
    http::Response createToken(const http::Request &request, const QString &actor);

    Store &m_store;
    FleetOperations &m_operations;
    base::Clock &m_clock;
    AgentKeyManager &m_keys;
    OperatorTokens &m_tokens;
    qint64 m_defaultOverlap;
    QByteArray m_agentCa;
    NotifyStatusProvider m_notifyStatus;
};

} // namespace spotkeeper::core
