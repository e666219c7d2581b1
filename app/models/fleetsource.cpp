// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fleetsource.h"

namespace spotkeeper::gui {

AgentKeyInfo agentKeyInfo(const core::AgentKeyRecord &record, const QDateTime &now)
{
    AgentKeyInfo info;
    info.keyId = record.keyId;
    info.vmResourceKey = record.vmResourceKey;
    info.createdAt = record.createdAt;
    info.revokedAt = record.revokedAt;
    int live = 0;
    for (const core::AgentKeySecret &secret : record.secrets) {
        if (secret.expiresAt.isValid() && secret.expiresAt <= now)
            continue;
        ++live;
        // Only the previous secrets of a rotation carry an expiry: the earliest one still
        // valid is when the agent must have its new key.
        if (secret.expiresAt.isValid()
            && (!info.overlapEndsAt.isValid() || secret.expiresAt < info.overlapEndsAt))
            info.overlapEndsAt = secret.expiresAt;
    }
    if (record.revokedAt.isValid())
        info.state = AgentKeyInfo::State::Revoked;
    else if (live == 0)
        info.state = AgentKeyInfo::State::Expired;
    else if (live > 1 && info.overlapEndsAt.isValid())
        info.state = AgentKeyInfo::State::Overlap;
    else
        info.state = AgentKeyInfo::State::Active;
    if (info.state != AgentKeyInfo::State::Overlap)
        info.overlapEndsAt = QDateTime();
    return info;
}

QString FleetSource::keyManagementUnavailableReason() const
{
    return tr("This fleet source cannot manage agent keys.");
}

// The defaults of the virtuals below keep their signature's callback by value (the overrides
// move it into their requests).
// NOLINTBEGIN(performance-unnecessary-value-param)
void FleetSource::listAgentKeys(AgentKeysDone done)
{
    done({}, keyManagementUnavailableReason());
}

void FleetSource::rotateAgentKey(const QString &keyId, const QString & /*actor*/,
                                 KeyActionDone done)
{
    KeyActionResult result;
    result.keyId = keyId;
    result.error = keyManagementUnavailableReason();
    done(result);
}

void FleetSource::revokeAgentKey(const QString &keyId, const QString & /*actor*/,
                                 KeyActionDone done)
{
    KeyActionResult result;
    result.keyId = keyId;
    result.error = keyManagementUnavailableReason();
    done(result);
}

void FleetSource::undoFallback(qint64 /*auditId*/, const QString & /*actor*/, OperationDone done)
{
    done({core::OperationResult::Status::Failed,
          tr("Undo of a capacity fallback change needs the dashboard's own engine.")});
}

// NOLINTEND(performance-unnecessary-value-param)

bool FleetSource::exportHere(const StoreExportRequest & /*request*/, qint64 * /*rows*/,
                             QString *error)
{
    if (error != nullptr)
        *error = tr("Exports of events and of the audit log run where the store is.");
    return false;
}

} // namespace spotkeeper::gui
