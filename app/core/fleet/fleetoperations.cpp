// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/fleetoperations.h"

namespace spotkeeper::core {

OperationResult FleetOperations::undoFallback(qint64 auditId, const QString &actor)
{
    Q_UNUSED(auditId);
    Q_UNUSED(actor);
    return {OperationResult::Status::Invalid,
            QStringLiteral("this engine cannot undo capacity fallback changes")};
}

} // namespace spotkeeper::core
