// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"
#include "notify/notifyconfig.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>

#include <optional>

// What a notification says, derived from the store's events (pure functions, tested on
// their own): which events are news for operators, how a storm of evictions becomes one
// message, and each channel's payload. docs/NOTIFICATIONS.md lists the kinds and the
// template placeholders.
namespace spotkeeper::core {

// The facts of one notification: kind, title, text, time, the VM (or the VMs of a group).
struct Notification
{
    QString key; // idempotency key: "evt_<event id>" or "grp_<first>_<last>"
    QString kind; // notificationKinds()
    QDateTime at;
    qint64 vmId = 0; // 0 for a group
    QString subscriptionId; // routing; empty for a group of several subscriptions
    QList<QMap<QString, QString>> vmTags; // routing: the tags of each VM (a group: of each)
    QJsonObject facts; // title, text, vm, resourceId, ..., count, downtimeSeconds, reason
};

// The notification an event means, if it is news: an eviction, or an engine event by its
// explicit type (fleet/eventtypes.h: restarted with its downtime, needs operator with the
// reason, stopped on purpose, still down, agent silent, capacity errors). vm is the event's
// VM; job, when known, the restart job the event belongs to (downtime from its eviction to
// the event, the reason an operator is needed).
std::optional<Notification> notificationFor(const EventRecord &event, const VmRecord &vm,
                                            const JobRecord *job = nullptr);

// One message for a storm: count, regions, and the worst cases (VMs evicted most often,
// evictionCounts by VM id, the caller's recent counts) named first, at most maxNamed.
Notification groupEvictions(const QList<Notification> &evictions,
                            const QHash<qint64, int> &evictionCounts, int maxNamed = 5);

// The message text from the channel's template ({title}, {text}, {kind}, {vm}, ... see
// docs/NOTIFICATIONS.md); unknown placeholders stay as written.
QString renderText(const QString &templateText, const QJsonObject &facts);
QString defaultTemplate(ChannelType type);
QString defaultSubject(); // e-mail: "[SpotKeeper] {title}"

// The HTTP body for a channel: webhook {"type":"spotkeeper.<kind>","timestamp","data"},
// Slack {"text"}, Teams a message with one Adaptive Card; e-mail the text of the body.
QByteArray channelBody(ChannelType type, const QString &templateText, const QString &kind,
                       const QJsonObject &facts);

} // namespace spotkeeper::core
