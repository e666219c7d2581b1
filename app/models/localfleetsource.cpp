// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/localfleetsource.h"

#include "base/clock.h"
#include "listener/agentkeymanager.h"

#include <QHostAddress>
#include <QRandomGenerator>

namespace spotkeeper::gui {

namespace {
core::OperationResult runOn(core::FleetOperations &engine, OperatorAction action, qint64 vmId,
                            const QString &actor)
{
    switch (action) {
    case OperatorAction::ForceRestart:
        return engine.forceRestart(vmId, actor);
    case OperatorAction::Pause:
        return engine.pauseAutoRestart(vmId, actor);
    case OperatorAction::Resume:
        return engine.resumeAutoRestart(vmId, actor);
    case OperatorAction::Cancel:
        return engine.cancelJob(vmId, actor);
    case OperatorAction::StopOnPurpose:
        return engine.stopOnPurpose(vmId, actor);
    case OperatorAction::Start:
        return engine.startVm(vmId, actor);
    }
    return {core::OperationResult::Status::Invalid, QStringLiteral("unknown action")};
}
} // namespace

LocalFleetSource::LocalFleetSource(core::Store &store, core::FleetOperations *operations,
                                   const base::Clock &clock, QObject *parent)
    : FleetSource(store, parent)
    , m_store(store)
    , m_clock(clock)
{
    m_status.description = tr("Local store %1").arg(store.path());
    setOperations(operations);
}

LocalFleetSource::~LocalFleetSource() = default;

void LocalFleetSource::setOperations(core::FleetOperations *operations)
{
    m_engine = operations;
}

void LocalFleetSource::setStatus(const SourceStatus &status)
{
    m_status = status;
    Q_EMIT statusChanged();
}

SourceStatus LocalFleetSource::status() const
{
    return m_status;
}

void LocalFleetSource::operate(OperatorAction action, qint64 vmId, const QString &actor,
                               OperationDone done)
{
    if (m_engine == nullptr) {
        done({core::OperationResult::Status::Failed, m_status.actionsDisabledReason});
        return;
    }
    const core::OperationResult result = runOn(*m_engine, action, vmId, actor);
    Q_EMIT vmChanged(vmId);
    Q_EMIT jobChanged(vmId);
    Q_EMIT auditAppended();
    done(result);
}

void LocalFleetSource::undoFallback(qint64 auditId, const QString &actor, OperationDone done)
{
    if (m_engine == nullptr) {
        done({core::OperationResult::Status::Failed, m_status.actionsDisabledReason});
        return;
    }
    const core::OperationResult result = m_engine->undoFallback(auditId, actor);
    Q_EMIT auditAppended();
    done(result);
}

void LocalFleetSource::addVm(const QString &resourceId, const QString &actor, OperationDone done)
{
    if (m_engine == nullptr) {
        done({core::OperationResult::Status::Failed, m_status.actionsDisabledReason});
        return;
    }
    const core::OperationResult result = m_engine->addVm(resourceId, actor);
    if (const auto vm = m_store.vmByKey(resourceId.toLower()))
        Q_EMIT vmChanged(vm->id);
    Q_EMIT auditAppended();
    done(result);
}

void LocalFleetSource::enrollAgent(const core::VmRecord &vm, const QString &actor, EnrollDone done)
{
    done(enroll(vm, actor));
}

EnrollResult LocalFleetSource::enroll(const core::VmRecord &vm, const QString &actor)
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
    if (m_store.appendAudit(core::AuditRecord {0, now, actor, QStringLiteral("key_generate"),
                                               vm.resourceKey,
                                               QStringLiteral("key id %1").arg(key.keyId)})
        != 0)
        Q_EMIT auditAppended();
    result.ok = true;
    result.keyId = key.keyId;
    result.secret = secret;
    // A loopback listener is out of the VMs' reach: the snippet keeps its placeholder then.
    const QString host = m_status.listenerAddress.section(QLatin1Char(':'), 0, -2);
    if (!m_status.listenerAddress.isEmpty() && !QHostAddress(host).isLoopback())
        result.endpoint =
            (m_status.listenerTls ? QStringLiteral("https://") : QStringLiteral("http://"))
            + m_status.listenerAddress;
    if (m_status.listenerTls)
        result.caCertificate = m_agentCa;
    return result;
}

void LocalFleetSource::discoverVms(const QString &subscriptionId,
                                   std::function<void(core::ListResult)> done)
{
    if (m_cloud == nullptr) {
        core::ListResult result;
        result.call.failure = core::FailureClass::Authorization;
        result.call.errorMessage = tr("No Azure credentials are configured.");
        done(result);
        return;
    }
    m_cloud->listVms(subscriptionId, false, std::move(done));
}

QString LocalFleetSource::storePath() const
{
    const QString path = m_store.path();
    return path.isEmpty() ? QStringLiteral(":memory:") : path;
}

bool LocalFleetSource::exportHere(const StoreExportRequest &request, qint64 *rows, QString *error)
{
    core::ExportProgress progress;
    const bool ok = request.kind == StoreExportRequest::Kind::Events
        ? core::exportEvents(m_store, request.filter, request.path, request.options, error,
                             &progress)
        : core::exportAudit(m_store, request.from, request.to, request.path, request.options, error,
                            &progress);
    if (rows != nullptr)
        *rows = progress.rows;
    return ok;
}

void LocalFleetSource::setKeyManager(core::AgentKeyManager *keys, qint64 rotationOverlapSeconds)
{
    m_keys = keys;
    m_rotationOverlapSeconds = rotationOverlapSeconds;
}

QString LocalFleetSource::keyManagementUnavailableReason() const
{
    return m_keys != nullptr ? QString()
                             : tr("The in-process listener is not running, so its keys cannot "
                                  "be managed here.");
}

void LocalFleetSource::listAgentKeys(AgentKeysDone done)
{
    if (m_keys == nullptr) {
        FleetSource::listAgentKeys(std::move(done));
        return;
    }
    const QDateTime now = m_clock.nowUtc();
    QList<AgentKeyInfo> out;
    const QList<core::AgentKeyRecord> keys = m_keys->list();
    for (const core::AgentKeyRecord &key : keys)
        out.append(agentKeyInfo(key, now));
    done(out, {});
}

void LocalFleetSource::rotateAgentKey(const QString &keyId, const QString &actor,
                                      KeyActionDone done)
{
    if (m_keys == nullptr) {
        FleetSource::rotateAgentKey(keyId, actor, std::move(done));
        return;
    }
    done(rotate(keyId, actor));
}

KeyActionResult LocalFleetSource::rotate(const QString &keyId, const QString &actor)
{
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

void LocalFleetSource::revokeAgentKey(const QString &keyId, const QString &actor,
                                      KeyActionDone done)
{
    if (m_keys == nullptr) {
        FleetSource::revokeAgentKey(keyId, actor, std::move(done));
        return;
    }
    done(revoke(keyId, actor));
}

KeyActionResult LocalFleetSource::revoke(const QString &keyId, const QString &actor)
{
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
