// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/simtypes.h"

#include <QJsonObject>

#include <functional>

// The simulator's payloads, shaped like the recorded ones in tests/data/azure-fixtures:
// ARM VM bodies (full, statusOnly, instance view), async-operation status, Activity Log
// entries, and IMDS instance metadata / Scheduled Events documents.
namespace spotkeeper::sim::simjson {

QString isoTime(qint64 ms); // 2026-01-01T00:00:00.0000000+00:00 as ARM writes it
QString rfc1123(qint64 ms); // Tue, 09 Aug 2022 17:07:32 GMT

QJsonObject instanceView(const SimVm &vm, qint64 nowMs);
QJsonObject vmBody(const SimVm &vm, bool withInstanceView, qint64 nowMs);
QJsonObject vmStatusOnly(const SimVm &vm, qint64 nowMs);
// A scale set (ListAll item) and a uniform instance (VMSS VM list item, sku instead of
// hardwareProfile, no priority: that is the scale set's).
QJsonObject scaleSetBody(const SimScaleSet &set, int capacity);
QJsonObject instanceBody(const SimVm &vm, bool withInstanceView, qint64 nowMs);
QJsonObject operationStatus(const SimOperation &op);
QJsonObject activityEntry(const ActivityEntry &entry, const QString &subscriptionId);
QJsonObject imdsInstance(const SimVm &vm);
// NotBefore is written on the clients' clock (toWall: simulated ms -> real ms; identity
// when empty), since clients compare it with their own time.
QJsonObject scheduledEvents(const SimVm &vm, const std::function<qint64(qint64)> &toWall = {});

} // namespace spotkeeper::sim::simjson
