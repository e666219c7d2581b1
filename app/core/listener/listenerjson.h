// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"
#include "operatorapi/operatorapijson.h"
#include "protocol/messagecodec.h"

#include <QJsonObject>
#include <QList>

#include <optional>

// Pure conversions between the listener's wire forms and the core's records. The operator
// API's JSON (toJson of VMs, jobs, events, audit rows, agent keys) is operatorapijson.h's,
// shared with the remote client.
namespace spotkeeper::core {

QString validationMessage(const QList<protocol::ValidationError> &errors);
EventRecord noticeEvent(const protocol::Notice &notice, const QString &webhookId,
                        const QDateTime &receivedAt, const QByteArray &rawBody);

} // namespace spotkeeper::core
