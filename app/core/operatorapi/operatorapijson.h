// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"
#include "notify/notifier.h"
#include "store/store.h"

#include <QJsonObject>

#include <optional>

// The operator API's JSON, both ways, in one place: the server (the listener's operator
// routes, app/core/listener/operatorapi*.cpp) encodes the core's records with toJson, the
// dashboard's remote client (OperatorClient, RemoteFleetSource) decodes them with
// *FromJson. Times are ISO 8601 UTC with milliseconds; empty texts and invalid times are
// null. A record without its id is refused on decoding (nullopt); missing optional fields
// keep their defaults. Agent keys never carry a secret.
namespace spotkeeper::core {

QJsonObject toJson(const VmRecord &vm, const std::optional<JobRecord> &job);
QJsonObject toJson(const JobRecord &job);
QJsonObject toJson(const EventRecord &event);
QJsonObject toJson(const AuditRecord &record);
QJsonObject toJson(const AgentKeyRecord &key, const QDateTime &now);
// GET /api/v1/cost: the report with its query, rows, series and the assumptions it makes.
QJsonObject toJson(const CostReport &report); // with "risk" and "riskRule" if query.risk
QJsonObject toJson(const RiskRow &row);
RiskRow riskRowFromJson(const QJsonObject &object);
QString riskFlagRule(); // the flag rule in words (docs/ANALYTICS.md "Eviction risk")
// GET /api/v1/notify/status: one channel's delivery status (never a secret).
QJsonObject toJson(const ChannelStatus &status);

std::optional<VmRecord> vmFromJson(const QJsonObject &object);
// vmId: the VM a job nested in its VM's object belongs to (the object may omit it).
std::optional<JobRecord> jobFromJson(const QJsonObject &object, qint64 vmId);
std::optional<EventRecord> eventFromJson(const QJsonObject &object);
std::optional<AuditRecord> auditFromJson(const QJsonObject &object);
// The key's times and state, with no secret bytes (the API never sends any).
std::optional<AgentKeyRecord> agentKeyFromJson(const QJsonObject &object);
// nullopt for an object without a valid range.
std::optional<CostReport> costReportFromJson(const QJsonObject &object);
// nullopt for an object without a channel name.
std::optional<ChannelStatus> channelStatusFromJson(const QJsonObject &object);

} // namespace spotkeeper::core
