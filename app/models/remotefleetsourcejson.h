// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleettypes.h"

#include <QJsonObject>

#include <optional>

// RemoteFleetSource: the operator API's JSON (core::toJson in listenerjson.cpp, the audit rows
// of operatorapiviews.cpp) back into the core's records. A record without its id is refused
// (nullopt); missing optional fields keep their defaults.
namespace spotkeeper::gui::remotejson {

std::optional<core::VmRecord> vmFromJson(const QJsonObject &object);
std::optional<core::JobRecord> jobFromJson(const QJsonObject &object, qint64 vmId);
std::optional<core::EventRecord> eventFromJson(const QJsonObject &object);
std::optional<core::AuditRecord> auditFromJson(const QJsonObject &object);

} // namespace spotkeeper::gui::remotejson
