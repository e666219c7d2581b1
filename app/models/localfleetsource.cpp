// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "localfleetsource.h"

#include "agentkeymanager.h"
#include "clock.h"

#include <QHostAddress>
#include <QRandomGenerator>

namespace spotkeeper::gui {

// Forwards operator actions to the engine and announces their effect.
class LocalFleetSource::Forwarder final : public core::FleetOperations
{
public:
    Forwarder(LocalFleetSource &owner, core::FleetOperations &target)
        : m_owner(owner)
        , m_target(target)
    { }
    void handleNoticeStored(qint64 vmId, const core::EventRecord &notice) override
    {
        m_target.handleNoticeStored(vmId, notice);
    }
    void handleUnconfirmedNotice(qint64 vmId) override { m_target.handleUnconfirmedNotice(vmId); }
    core::OperationResult forceRestart(qint64 vmId, const QString &actor) override
    {
        return announce(vmId, m_target.forceRestart(vmId, actor));
    }
    core::OperationResult pauseAutoRestart(qint64 vmId, const QString &actor) override
    {
        return announce(vmId, m_target.pauseAutoRestart(vmId, actor));
    }
    core::OperationResult resumeAutoRestart(qint64 vmId, const QString &actor) override
    {
        return announce(vmId, m_target.resumeAutoRestart(vmId, actor));
    }
    core::OperationResult cancelJob(qint64 vmId, const QString &actor) override
    {
        return announce(vmId, m_target.cancelJob(vmId, actor));
    }
    core::OperationResult stopOnPurpose(qint64 vmId, const QString &actor) override
    {
        return announce(vmId, m_target.stopOnPurpose(vmId, actor));
    }
    core::OperationResult startVm(qint64 vmId, const QString &actor) override
    {
        return announce(vmId, m_target.startVm(vmId, actor));
    }
    core::OperationResult addVm(const QString &resourceId, const QString &actor) override
    {
        const core::OperationResult result = m_target.addVm(resourceId, actor);
        if (const auto vm = m_owner.m_store.vmByKey(resourceId.toLower()))
            Q_EMIT m_owner.vmChanged(vm->id);
        Q_EMIT m_owner.auditAppended();
        return result;
    }

private:
    core::OperationResult announce(qint64 vmId, core::OperationResult result)
    {
        Q_EMIT m_owner.vmChanged(vmId);
        Q_EMIT m_owner.jobChanged(vmId);
        Q_EMIT m_owner.auditAppended();
        return result;
    }

    LocalFleetSource &m_owner;
    core::FleetOperations &m_target;
};

LocalFleetSource::LocalFleetSource(core::Store &store, core::FleetOperations *operations,
                                   const core::Clock &clock, QObject *parent)
    : FleetSource(parent)
    , m_store(store)
    , m_clock(clock)
{
    m_status.description = tr("Local store %1").arg(store.path());
    setOperations(operations);
}

LocalFleetSource::~LocalFleetSource() = default;

void LocalFleetSource::setOperations(core::FleetOperations *operations)
{
    m_forwarder = operations ? std::make_unique<Forwarder>(*this, *operations) : nullptr;
}

void LocalFleetSource::setStatus(const SourceStatus &status)
{
    m_status = status;
    Q_EMIT statusChanged();
}

QList<core::VmRecord> LocalFleetSource::vms()
{
    return m_store.vms();
}

std::optional<core::VmRecord> LocalFleetSource::vm(qint64 vmId)
{
    return m_store.vm(vmId);
}

QList<core::JobRecord> LocalFleetSource::activeJobs()
{
    return m_store.activeJobs();
}

std::optional<core::JobRecord> LocalFleetSource::activeJob(qint64 vmId)
{
    return m_store.activeJob(vmId);
}

QList<core::JobRecord> LocalFleetSource::jobs(qint64 vmId, int limit)
{
    return m_store.jobs(vmId, limit);
}

QList<core::EventRecord> LocalFleetSource::events(const core::EventFilter &filter)
{
    return m_store.events(filter);
}

QList<core::AuditRecord> LocalFleetSource::audit(const QDateTime &from, const QDateTime &to,
                                                 int limit)
{
    return m_store.audit(from, to, limit);
}

SourceStatus LocalFleetSource::status() const
{
    return m_status;
}

core::FleetOperations *LocalFleetSource::operations()
{
    return m_forwarder.get();
}

EnrollResult LocalFleetSource::enrollAgent(const core::VmRecord &vm, const QString &actor)
{
    EnrollResult result;
    if (vm.resourceKey.isEmpty()) {
        result.error = tr("The VM has no resource id; add it to the fleet first.");
        return result;
    }
    const QDateTime now = m_clock.nowUtc();
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(secret.begin(), secret.end());
    QByteArray idBytes(8, Qt::Uninitialized);
    QRandomGenerator::system()->generate(idBytes.begin(), idBytes.end());

    core::AgentKeyRecord key;
    key.keyId = QStringLiteral("ak-") + QString::fromLatin1(idBytes.toHex());
    key.vmResourceKey = vm.resourceKey;
    key.createdAt = now;
    key.secrets = {core::AgentKeySecret {secret, now, {}}};
    if (!m_store.saveAgentKey(key)) {
        result.error = tr("The key could not be saved: %1").arg(m_store.lastError().message);
        return result;
    }
    appendAudit(core::AuditRecord {0, now, actor, QStringLiteral("key_generate"), vm.resourceKey,
                                   QStringLiteral("key id %1").arg(key.keyId)});
    result.ok = true;
    result.keyId = key.keyId;
    result.secret = secret;
    // A loopback listener is out of the VMs' reach: the snippet keeps its placeholder then.
    const QString host = m_status.listenerAddress.section(QLatin1Char(':'), 0, -2);
    if (!m_status.listenerAddress.isEmpty() && !QHostAddress(host).isLoopback())
        result.endpoint =
            (m_status.listenerTls ? QStringLiteral("https://") : QStringLiteral("http://"))
            + m_status.listenerAddress;
    return result;
}

void LocalFleetSource::discoverVms(const QString &subscriptionId,
                                   std::function<void(core::ListResult)> done)
{
    if (!m_cloud) {
        core::ListResult result;
        result.call.failure = core::FailureClass::Authorization;
        result.call.errorMessage = tr("No Azure credentials are configured.");
        done(result);
        return;
    }
    m_cloud->listVms(subscriptionId, false, std::move(done));
}

bool LocalFleetSource::appendAudit(const core::AuditRecord &record)
{
    const bool ok = m_store.appendAudit(record) != 0;
    if (ok)
        Q_EMIT auditAppended();
    return ok;
}

void LocalFleetSource::setKeyManager(core::AgentKeyManager *keys, qint64 rotationOverlapSeconds)
{
    m_keys = keys;
    m_rotationOverlapSeconds = rotationOverlapSeconds;
}

QString LocalFleetSource::keyManagementUnavailableReason() const
{
    return m_keys ? QString()
                  : tr("The in-process listener is not running, so its keys cannot "
                       "be managed here.");
}

QList<AgentKeyInfo> LocalFleetSource::listAgentKeys(QString *error)
{
    if (!m_keys)
        return FleetSource::listAgentKeys(error);
    const QDateTime now = m_clock.nowUtc();
    QList<AgentKeyInfo> out;
    const QList<core::AgentKeyRecord> keys = m_keys->list();
    for (const core::AgentKeyRecord &key : keys)
        out.append(agentKeyInfo(key, now));
    return out;
}

KeyActionResult LocalFleetSource::rotateAgentKey(const QString &keyId, const QString &actor)
{
    if (!m_keys)
        return FleetSource::rotateAgentKey(keyId, actor);
    KeyActionResult result;
    result.keyId = keyId;
    core::KeyError code = core::KeyError::None;
    const auto issued =
        m_keys->rotate(keyId, m_rotationOverlapSeconds, actor, &code, &result.error);
    if (issued) { // the manager wrote the audit row
        result.ok = true;
        result.vmResourceKey = issued->vmResourceKey;
        result.secret = issued->secret.bytes();
        result.overlapEndsAt = issued->previousSecretsExpireAt;
        Q_EMIT auditAppended();
    }
    return result;
}

KeyActionResult LocalFleetSource::revokeAgentKey(const QString &keyId, const QString &actor)
{
    if (!m_keys)
        return FleetSource::revokeAgentKey(keyId, actor);
    KeyActionResult result;
    result.keyId = keyId;
    result.ok = m_keys->revoke(keyId, actor, &result.error) == core::KeyError::None;
    if (result.ok) // the manager wrote the audit row
        Q_EMIT auditAppended();
    return result;
}

void LocalFleetSource::notifyEventAppended(const core::EventRecord &event)
{
    if (event.kind == core::EventKind::Notice
        && (!m_status.lastNoticeAt.isValid() || event.at > m_status.lastNoticeAt)) {
        m_status.lastNoticeAt = event.at;
        Q_EMIT statusChanged();
    }
    Q_EMIT eventAppended(event);
}

} // namespace spotkeeper::gui
