// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "export/csvexport.h"
#include "fleet/cloudprovider.h"
#include "fleet/fleetoperations.h"
#include "fleet/fleettypes.h"
#include "notify/notifier.h"
#include "store/fleetreads.h"
#include "store/store.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// The seam between the dashboard's views and where the fleet lives. Every model and view
// reads only this interface: LocalFleetSource answers from the in-process store and engine,
// RemoteFleetSource from spotkeeperd's operator API. The seam never blocks:
// - reads (vms(), events(), ...) answer from what the source holds, one core::FleetReads
//   either way (the local store, which answers in microseconds, or a remote source's cache
//   that polling keeps fresh); the change signals tell the models what to re-read;
// - everything that may need a round trip (operator actions, adding a VM, enrollment, agent
//   keys) takes a callback that runs once on the GUI thread with the answer, possibly before
//   the call returns (the in-process engine answers at once). The source announces what
//   changed (vmChanged, jobChanged, auditAppended) before it calls back.
namespace spotkeeper::gui {

// What the status bar shows and what decides whether actions are possible.
struct SourceStatus
{
    QString description; // "local store ~/.local/share/...", "spotkeeperd at https://..."
    QString listenerAddress; // "0.0.0.0:8443"; empty = no listener
    bool listenerTls = false;
    QString listenerProblem; // why the in-process listener is not running; empty = no problem
    QDateTime lastNoticeAt;
    QString credentialSource; // "azure cli", "service principal", "managed identity", "" = none
    QString principal; // display name / app id, never a secret
    QDateTime tokenExpiresAt;
    int armBudgetHeadroom = -1; // remaining ARM calls in the current window; -1 = unknown
    bool credentialsAvailable = false;
    bool observeOnly = false; // credentials off: notices are stored, nothing is restarted
    bool connected = true; // a remote source reached its server at the last poll
    QString connectionProblem; // why the last poll of a remote source failed; empty = none
    QString actionsDisabledReason; // why operator actions are off; empty = they are on
};

struct EnrollResult
{
    bool ok = false;
    QString error;
    QString keyId;
    QByteArray secret; // shown once in the enrollment dialog, never logged or stored in settings
    QString endpoint; // where the agent should send notices
    // PEM of the private CA the server's certificate comes from (spotkeeperd's [tls] agent_ca):
    // the snippet installs it as the agent's ca-file. Empty = the system CAs suffice.
    QByteArray caCertificate;
};

// One agent key as the keys panel shows it: never a secret, only times and state.
struct AgentKeyInfo
{
    enum class State { Active, Overlap, Revoked, Expired };
    QString keyId;
    QString vmResourceKey; // the one VM the key speaks for
    QDateTime createdAt;
    QDateTime revokedAt; // invalid = not revoked
    QDateTime overlapEndsAt; // Overlap: when the previous secret(s) stop being accepted
    State state = State::Active;
};
// The state and times of a stored key at `now` (secrets, if any, are ignored).
AgentKeyInfo agentKeyInfo(const core::AgentKeyRecord &record, const QDateTime &now);

// The answer to a rotation or revocation. After a rotation `secret` holds the new secret
// (raw bytes, shown once, never logged) and overlapEndsAt says until when the old one works.
struct KeyActionResult
{
    bool ok = false;
    QString error;
    QString keyId;
    QString vmResourceKey;
    QByteArray secret;
    QDateTime overlapEndsAt;
};

// The operator actions on one VM (each writes one audit row where the engine runs).
enum class OperatorAction { ForceRestart, Pause, Resume, Cancel, StopOnPurpose, Start };

// One store export: the events a filter selects, or the audit rows from <= at < to, to a CSV
// file (core::exportEvents / core::exportAudit).
struct StoreExportRequest
{
    enum class Kind { Events, Audit };
    Kind kind = Kind::Events;
    core::EventFilter filter; // Events
    QDateTime from; // Audit
    QDateTime to;
    QString path; // the CSV file
    core::CsvOptions options;
};

using OperationDone = std::function<void(const core::OperationResult &)>;
using EnrollDone = std::function<void(const EnrollResult &)>;
using AgentKeysDone = std::function<void(const QList<AgentKeyInfo> &keys, const QString &error)>;
using KeyActionDone = std::function<void(const KeyActionResult &)>;
// A cost report, or (report empty) why there is none.
using CostReportDone =
    std::function<void(const std::optional<core::CostReport> &report, const QString &error)>;
// The notification channels' delivery status, or (error not empty) why there is none.
using NotifyStatusDone =
    std::function<void(const QList<core::ChannelStatus> &channels, const QString &error)>;
// A test notification's outcome: the HTTP status (e-mail: the SMTP reply code; 0 without
// one), error empty when it was delivered.
using NotifyTestDone = std::function<void(int status, const QString &error)>;

class FleetSource : public QObject
{
    Q_OBJECT
public:
    // reads: where the reads below are answered (LocalFleetSource: the store; RemoteFleetSource:
    // its cache). Not owned; it must live as long as the source.
    explicit FleetSource(core::FleetReads &reads, QObject *parent = nullptr)
        : QObject(parent)
        , m_reads(reads)
    { }
    ~FleetSource() override = default;
    Q_DISABLE_COPY_MOVE(FleetSource)

    // The reads, answered at once from what the source holds (core::FleetReads).
    QList<core::VmRecord> vms() { return m_reads.vms(); }
    std::optional<core::VmRecord> vm(qint64 vmId) { return m_reads.vm(vmId); }
    QList<core::JobRecord> activeJobs() { return m_reads.activeJobs(); }
    std::optional<core::JobRecord> activeJob(qint64 vmId) { return m_reads.activeJob(vmId); }
    QList<core::JobRecord> jobs(qint64 vmId, int limit) // newest first
    {
        return m_reads.jobs(vmId, limit);
    }
    QList<core::EventRecord> events(const core::EventFilter &filter)
    {
        return m_reads.events(filter);
    }
    QList<core::AuditRecord> audit(const QDateTime &from, const QDateTime &to, int limit)
    {
        return m_reads.audit(from, to, limit);
    }

    virtual SourceStatus status() const = 0;
    // False when the source is read-only (then status().actionsDisabledReason says why).
    virtual bool canOperate() const = 0;
    // An operator action on one VM; done gets the engine's (or the server's) answer.
    virtual void operate(OperatorAction action, qint64 vmId, const QString &actor,
                         OperationDone done) = 0;
    virtual void addVm(const QString &resourceId, const QString &actor, OperationDone done) = 0;
    // Actions that are not engine operations; each writes one audit row.
    virtual void enrollAgent(const core::VmRecord &vm, const QString &actor, EnrollDone done) = 0;
    virtual bool canDiscover() const = 0;
    virtual void discoverVms(const QString &subscriptionId,
                             std::function<void(core::ListResult)> done) = 0;

    // Store exports (events, audit log) read the source's own store file: its path (a worker
    // opens it read-only), empty when the store is not here (a remote server exports with
    // `spotkeeperd export`). A store a second connection cannot open (in memory: tests,
    // demos) exports with exportHere(), on the calling thread.
    virtual QString storePath() const { return {}; }
    virtual bool exportHere(const StoreExportRequest &request, qint64 *rows, QString *error);

    // Agent key management (the keys panel). Empty when the source can list, rotate and
    // revoke keys, else why not (the panel's buttons are disabled with it as the tooltip).
    // Rotation and revocation each write one audit row (the key manager or the server does).
    virtual QString keyManagementUnavailableReason() const;
    virtual void listAgentKeys(AgentKeysDone done);
    virtual void rotateAgentKey(const QString &keyId, const QString &actor, KeyActionDone done);
    virtual void revokeAgentKey(const QString &keyId, const QString &actor, KeyActionDone done);

    // The cost report of the Cost tab (docs/ANALYTICS.md), computed away from the GUI thread
    // (a worker on its own store connection, or the server's GET /api/v1/cost); done runs on
    // the GUI thread, also when the source cannot report (then with why).
    virtual void costReport(const core::CostQuery &query, CostReportDone done);

    // Undo of a capacity fallback change (the audit row id a timeline event of type
    // "fallback" names in eventId); itself audited by the engine. The default: not here.
    virtual void undoFallback(qint64 auditId, const QString &actor, OperationDone done);
    // Outbound notifications (Settings -> Notifications, docs/NOTIFICATIONS.md): the delivery
    // status of the channels the engine runs (the local notifier's, or the server's GET
    // /api/v1/notify/status), and a test message to one channel as edited (its secrets
    // given), sent now outside the outbox. Both answer on the GUI thread; a test is possible
    // when notifyTestUnavailableReason() is empty.
    virtual void notifyStatus(const NotifyStatusDone &done);
    virtual QString notifyTestUnavailableReason() const;
    virtual void sendTestNotification(const core::NotifyChannel &channel,
                                      const core::ChannelSecrets &secrets,
                                      const NotifyTestDone &done);

Q_SIGNALS:
    void vmChanged(qint64 vmId); // row added or changed
    void jobChanged(qint64 vmId); // the VM's active job changed, started or finished
    void eventAppended(const spotkeeper::core::EventRecord &event);
    void auditAppended();
    void statusChanged();
    void fleetReset(); // many things changed: re-read everything

private:
    core::FleetReads &m_reads;
};

} // namespace spotkeeper::gui
