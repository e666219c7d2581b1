// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

// Row <-> record mapping shared by the SqliteStore translation units. Column lists
// and readers are kept side by side so their order cannot drift apart.
namespace spotkeeper::core::rows {

// The engine's own message ("file is not a database") rather than Qt's composite text.
QString errorText(const QSqlError &error);

QVariant millis(const QDateTime &at); // NULL when invalid
QDateTime dateTime(const QVariant &value); // invalid for NULL
QVariant optText(const QString &text); // NULL when empty
QVariant optBlob(const QByteArray &bytes); // NULL when empty
QString tagsToJson(const QMap<QString, QString> &tags);
QMap<QString, QString> tagsFromJson(const QString &json);

QString vmColumns(); // "id, resource_key, ..." in readVm() order
// The columns bindVm() writes: vmColumns() without id and the stopped_* columns, which only
// setStoppedOnPurpose()/setDesiredState() change.
QString vmWriteColumns();
VmRecord readVm(const QSqlQuery &query);

// How a VM row changes when a caller reports `vm` (upsertVm, a notice, a heartbeat): identity
// is refreshed by whatever the caller knows; operator choices (autoRestart, desiredState) are
// kept; managedBy only grows stronger (at least managedFloor). updatedAt is `at` when anything
// changed.
VmRecord mergedVm(const VmRecord &existing, const VmRecord &vm, ManagedBy managedFloor,
                  const QDateTime &at);
// Declaration order is strength order: None < Agent < Tag < Operator.
ManagedBy stronger(ManagedBy a, ManagedBy b);
// Everything mergedVm may change except managedBy and the agent columns.
bool sameIdentity(const VmRecord &a, const VmRecord &b);
bool sameVm(const VmRecord &a, const VmRecord &b);

QString eventColumns();
EventRecord readEvent(const QSqlQuery &query);

QString jobColumns();
QString jobSelectColumns(); // jobColumns() and the row version (what readJob reads)
JobRecord readJob(const QSqlQuery &query);
// Binds every job column except id, in jobColumns() order.
void bindJob(QSqlQuery &query, const JobRecord &job);

} // namespace spotkeeper::core::rows
