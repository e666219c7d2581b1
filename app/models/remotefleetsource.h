// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "models/fleetsource.h"
#include "operatorapi/operatorclient.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace spotkeeper::gui {

struct RemoteSourceOptions
{
    QUrl baseUrl; // http(s)://host:port of spotkeeperd (its listener)
    QByteArray token; // operator bearer token, from the SecretStore; never logged or shown
    QString caFile; // PEM CA certificate(s) for a server with a private certificate
    int pollMs = 2000; // fleet, new events and new audit rows
    int statusPollMs = 10'000; // /healthz and /metrics (credential, ARM budget)
    int eventDays = 30; // events cached at attach time (what the charts can show)
    int maxCachedEvents = 200'000; // oldest dropped beyond this
    int requestTimeoutMs = 10'000;
};

// FleetSource over a remote spotkeeperd's operator API: the same views as the in-process
// engine. Reads answer from a cache that polling keeps fresh (the fleet with its active jobs
// every pollMs, events and audit rows incrementally after the last id seen, /healthz and
// /metrics every statusPollMs) and the change signals say what changed. Operations, adding
// a VM, enrolling an agent and the agent keys are API calls answered by callback (each
// bounded by requestTimeoutMs), followed by a poll. Unreachable, 401 and bad answers keep the last
// cache, and status() says what is wrong (connected=false, connectionProblem).
class RemoteFleetSource final : public FleetSource
{
    Q_OBJECT
public:
    explicit RemoteFleetSource(RemoteSourceOptions options, const base::Clock &clock,
                               QObject *parent = nullptr);
    ~RemoteFleetSource() override;
    Q_DISABLE_COPY_MOVE(RemoteFleetSource)

    // Empty when the URL can be attached to, else why not (scheme, host, a readable CA).
    static QString checkOptions(const RemoteSourceOptions &options);
    // The URL part of checkOptions, checked before a token is asked for: https://, or
    // http:// only to a loopback host (the token would otherwise cross the network in
    // clear).
    static QString checkUrl(const QUrl &url);
    static bool isLoopbackHost(const QString &host);
    void start(); // first poll now, then every pollMs
    void pollNow();
    bool hasLoaded() const { return m_loaded; } // one full poll succeeded

    SourceStatus status() const override { return m_status; }
    bool canOperate() const override;
    void operate(OperatorAction action, qint64 vmId, const QString &actor,
                 OperationDone done) override;
    void addVm(const QString &resourceId, const QString &actor, OperationDone done) override;
    // POST /api/v1/audit/{id}/undo: the server's engine undoes it (and audits it).
    void undoFallback(qint64 auditId, const QString &actor, OperationDone done) override;
    void enrollAgent(const core::VmRecord &vm, const QString &actor, EnrollDone done) override;
    bool canDiscover() const override { return false; }
    void discoverVms(const QString &subscriptionId,
                     std::function<void(core::ListResult)> done) override;
    // Key management through /api/v1/keys (remotefleetsourcekeys.cpp); the server audits.
    QString keyManagementUnavailableReason() const override { return {}; }
    void listAgentKeys(AgentKeysDone done) override;
    void rotateAgentKey(const QString &keyId, const QString &actor, KeyActionDone done) override;
    void revokeAgentKey(const QString &keyId, const QString &actor, KeyActionDone done) override;
    void costReport(const core::CostQuery &query, CostReportDone done) override;
    void notifyStatus(const NotifyStatusDone &done) override; // GET /api/v1/notify/status

    // One answer of the API: status 0 = no answer (error says why); json = parsed body.
    struct Reply
    {
        int status = 0;
        QByteArray body;
        QJsonObject json;
        QString error; // for operators: what failed, never the token
        bool ok() const { return status >= 200 && status < 300 && error.isEmpty(); }
    };
    using Done = std::function<void(Reply)>;
    // The call behind operations, enrollment and keys (bounded by requestTimeoutMs).
    void call(const QByteArray &method, const QString &path, const QJsonObject &body, Done done);
    // The secret a key-issuing call (enroll, rotate) answered with; nullopt with *error set
    // when the call failed or its answer carries no usable secret.
    std::optional<QByteArray> issuedSecret(const Reply &reply, QString *error) const;

Q_SIGNALS:
    void pollFinished(bool ok); // after each poll cycle (tests wait on it)

private:
    enum class Step { Vms, Events, Audit, Done };

    // What the polls last heard, answering FleetSource's reads without a round trip: the same
    // core::FleetReads the local store answers (remotefleetsourcereads.cpp). jobs() of a VM
    // whose jobs are not cached yet answers with its active job and has the source fetch them.
    struct Cache final : core::FleetReads
    {
        explicit Cache(RemoteFleetSource &owner)
            : source(owner)
        { }
        std::optional<core::VmRecord> vm(qint64 id) override;
        QList<core::VmRecord> vms() override { return vmRows; }
        QList<core::EventRecord> events(const core::EventFilter &filter) override;
        std::optional<core::JobRecord> activeJob(qint64 vmId) override;
        QList<core::JobRecord> activeJobs() override { return activeJobsByVm.values(); }
        QList<core::JobRecord> jobs(qint64 vmId, int limit) override;
        QList<core::AuditRecord> audit(const QDateTime &from, const QDateTime &to,
                                       int limit) override;

        RemoteFleetSource &source;
        QList<core::VmRecord> vmRows;
        QHash<qint64, int> vmIndex; // vm id -> index in vmRows
        QHash<qint64, core::JobRecord> activeJobsByVm;
        QList<core::EventRecord> eventRows; // ascending by id
        QList<core::AuditRecord> auditRows; // ascending by id
        QHash<qint64, QList<core::JobRecord>> jobsByVm; // one VM's jobs, newest first
    };

    void get(const QString &pathAndQuery, Done done, bool expectJson = true);
    Reply toReply(const core::OperatorClient::Reply &answer) const; // words the failure
    void runStep(Step step);
    void failPoll(const Reply &reply);
    void applyVms(const QJsonObject &json);
    bool applyEvents(const QJsonObject &json);
    void applyAudit(const QJsonObject &json);
    void pollStatus();
    void jobsMissing(qint64 vmId); // a view asked for a VM's jobs the cache does not have
    void fetchNextJobs();
    void setConnected(bool connected, const QString &problem);

    Cache m_cache {*this};
    RemoteSourceOptions m_options;
    const base::Clock &m_clock;
    core::OperatorClient *m_client = nullptr; // the HTTP side of the API
    QTimer m_pollTimer;
    QTimer m_statusTimer;
    SourceStatus m_status;
    bool m_polling = false;
    bool m_pollAgain = false; // pollNow() was asked for while a poll was under way
    bool m_loaded = false;
    bool m_eventsLoaded = false;

    QHash<qint64, QJsonObject> m_vmJson; // what the last poll said, to see changes
    qint64 m_lastEventId = 0;
    QList<qint64> m_jobQueue; // VMs whose jobs are to be fetched
    bool m_fetchingJobs = false;
    bool m_jobMisses = false; // a view asked for jobs not yet cached: reset when fetched
};

} // namespace spotkeeper::gui
