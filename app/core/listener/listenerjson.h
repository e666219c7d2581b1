// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleettypes.h"
#include "messagecodec.h"

#include <QJsonObject>
#include <QList>

#include <optional>

// Pure conversions between the listener's wire forms and the core's records. The JSON
// of an agent key never carries a secret.
namespace spotkeeper::core {

QString validationMessage(const QList<protocol::ValidationError> &errors);
EventRecord noticeEvent(const protocol::Notice &notice, const QString &webhookId,
                        const QDateTime &receivedAt, const QByteArray &rawBody);

QJsonObject toJson(const VmRecord &vm, const std::optional<JobRecord> &job);
QJsonObject toJson(const JobRecord &job);
QJsonObject toJson(const EventRecord &event);
QJsonObject toJson(const AgentKeyRecord &key, const QDateTime &now);

} // namespace spotkeeper::core
