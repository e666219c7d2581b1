// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "models/fleetsource.h"

namespace spotkeeper::core {
class AgentKeyManager;
} // namespace spotkeeper::core

namespace spotkeeper::gui {

// FleetSource over the in-process store and engine (the default dashboard mode). Reads go
// straight to the store (FleetSource's reads are the store's core::FleetReads) on the GUI
// thread. Operations are forwarded to the engine, which
// answers at once; the source then announces their effect (vmChanged/jobChanged/
// auditAppended) so the views refresh even for changes the engine does not signal itself,
// and calls back. Whoever owns the engine and listener calls the notify* slots for
// everything else (see DashboardSession).
class LocalFleetSource final : public FleetSource
{
    Q_OBJECT
public:
    LocalFleetSource(core::Store &store, core::FleetOperations *operations,
                     const base::Clock &clock, QObject *parent = nullptr);
    ~LocalFleetSource() override;
    Q_DISABLE_COPY_MOVE(LocalFleetSource)

    void setCloudProvider(core::CloudProvider *provider) { m_cloud = provider; }
    void setOperations(core::FleetOperations *operations);
    void setStatus(const SourceStatus &status);
    // The listener's key manager (so a rotation or revocation takes effect in its cache at
    // once) and the overlap a rotation gives the previous secret. Null = no key management.
    void setKeyManager(core::AgentKeyManager *keys, qint64 rotationOverlapSeconds);
    // PEM of the private CA behind the listener's certificate (core::ListenerOptions::
    // agentCaPem): enrolment answers carry it while the listener serves TLS. Empty = none.
    void setAgentCa(const QByteArray &pem) { m_agentCa = pem; }
    // The running notifier's channel status (DashboardSession: the EngineHost's notifier,
    // which Settings may replace); unset = no channels.
    void setNotifyStatusProvider(std::function<QList<core::ChannelStatus>()> provider)
    {
        m_notifyStatus = std::move(provider);
    }

    SourceStatus status() const override;
    bool canOperate() const override { return m_engine != nullptr; }
    void operate(OperatorAction action, qint64 vmId, const QString &actor,
                 OperationDone done) override;
    void addVm(const QString &resourceId, const QString &actor, OperationDone done) override;
    void enrollAgent(const core::VmRecord &vm, const QString &actor, EnrollDone done) override;
    bool canDiscover() const override { return m_cloud != nullptr; }
    void discoverVms(const QString &subscriptionId,
                     std::function<void(core::ListResult)> done) override;
    QString storePath() const override;
    bool exportHere(const StoreExportRequest &request, qint64 *rows, QString *error) override;
    QString keyManagementUnavailableReason() const override;
    void listAgentKeys(AgentKeysDone done) override;
    void rotateAgentKey(const QString &keyId, const QString &actor, KeyActionDone done) override;
    void revokeAgentKey(const QString &keyId, const QString &actor, KeyActionDone done) override;
    void costReport(const core::CostQuery &query, CostReportDone done) override;
    void undoFallback(qint64 auditId, const QString &actor, OperationDone done) override;
    void notifyStatus(const NotifyStatusDone &done) override;
    QString notifyTestUnavailableReason() const override { return {}; }
    void sendTestNotification(const core::NotifyChannel &channel,
                              const core::ChannelSecrets &secrets,
                              const NotifyTestDone &done) override;

    void notifyVmChanged(qint64 vmId) { Q_EMIT vmChanged(vmId); }
    void notifyJobChanged(qint64 vmId) { Q_EMIT jobChanged(vmId); }
    void notifyEventAppended(const core::EventRecord &event);
    void notifyFleetReset() { Q_EMIT fleetReset(); }
    void notifyAuditAppended() { Q_EMIT auditAppended(); }

private:
    EnrollResult enroll(const core::VmRecord &vm, const QString &actor);
    KeyActionResult rotate(const QString &keyId, const QString &actor);
    KeyActionResult revoke(const QString &keyId, const QString &actor);

    core::Store &m_store;
    const base::Clock &m_clock;
    core::CloudProvider *m_cloud = nullptr;
    core::AgentKeyManager *m_keys = nullptr;
    qint64 m_rotationOverlapSeconds = qint64(24) * 3600;
    core::FleetOperations *m_engine = nullptr;
    SourceStatus m_status;
    QByteArray m_agentCa;
    std::function<QList<core::ChannelStatus>()> m_notifyStatus;
};

} // namespace spotkeeper::gui
