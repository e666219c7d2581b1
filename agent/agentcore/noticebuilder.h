// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/noticespool.h"
#include "protocol/messages.h"

#include <QDateTime>

// Turns one Scheduled Event into the spool entry that delivery sends. Pure functions.
namespace spotkeeper::agent {

// "ntc_<32 hex>": a digest of (VM resource key, EventId, EventStatus). The same event
// seen again - after a retry, a restart, even a lost spool - gets the same id, so the
// dashboard's webhook-id dedupe holds; two VMs sharing one broadcast event get
// different ids.
QString noticeWebhookId(const protocol::VmIdentity &vm, const protocol::ScheduledEvent &event);

// Signed mode: the protocol notice. Legacy mode: the original design's
// {"resourceGroup","vmName"} body.
SpoolEntry buildNoticeEntry(const protocol::VmIdentity &vm, const protocol::ScheduledEvent &event,
                            qint64 incarnation, const QDateTime &nowUtc, bool legacy);
QByteArray legacyWebhookBody(const protocol::VmIdentity &vm);

// The original design only knew evictions: legacy mode reports Preempt and Terminate.
bool isEviction(const protocol::ScheduledEvent &event);

} // namespace spotkeeper::agent
