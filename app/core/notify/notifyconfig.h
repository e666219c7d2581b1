// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/webhooksignature.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// [notify] and [notify.<channel>] of spotkeeperd.conf (docs/NOTIFICATIONS.md). Secrets - a
// webhook's signing secret, a Slack or Teams webhook URL (the URL is the credential), an SMTP
// password - are read from files named here, never written in the configuration, never logged.
namespace spotkeeper::core {

enum class ChannelType { Webhook, Slack, Teams, Smtp };
QString toString(ChannelType type); // "webhook" | "slack" | "teams" | "smtp"

struct NotifyChannel
{
    QString name; // from the section: [notify.<name>]
    ChannelType type = ChannelType::Webhook;
    QString url; // webhook only: the receiver's URL (https, or http to a loopback address)
    QString urlFile; // slack, teams (or webhook): a file holding the URL
    QString secretFile; // webhook: a file holding the whsec_ signing secret
    QStringList events; // notification kinds routed here; empty = all
    QStringList subscriptions; // only VMs of these subscriptions; empty = all
    QStringList tags; // only VMs with one of these tags ("name" or "name=value"); empty = all
    QString templateText; // the message text, with {placeholders}; empty = the default
    // smtp: url is smtp://host:587 (STARTTLS) or smtps://host:465; the envelope and login.
    QString from; // sender address
    QStringList to; // recipient addresses
    QString username; // empty = no AUTH
    QString passwordFile; // a file holding the password (with username)
    bool requireStartTls = true; // smtp://: refuse to send unless STARTTLS succeeds
    QString caFile; // PEM bundle the server's certificate must chain to; empty = the system's
    QString subjectTemplate; // the subject, with {placeholders}; empty = the default
    // Routing: the kind is one of events, the subscription one of subscriptions, and a VM
    // (of a group: any of its VMs) carries one of tags; an empty list passes everything.
    bool wants(const QString &kind, const QString &subscriptionId,
               const QList<QMap<QString, QString>> &vmTags = {}) const;
};

struct NotifyConfig
{
    QList<NotifyChannel> channels;
    int groupWindowSeconds = 30; // evictions within this window become one message ...
    int groupMin = 3; // ... when there are at least this many
    int retryBaseSeconds = 10; // backoff after a failed delivery: base x 2^(attempt-1) ...
    int retryCapSeconds = 3600; // ... up to this
    int timeoutMs = 10'000; // per delivery ([notify] timeout_seconds)

    bool enabled() const { return !channels.isEmpty(); }
    // One setting of section "notify" or "notify.<name>"; empty when fine, else what is wrong.
    QString set(const QString &section, const QString &key, const QString &value);
    // Every channel complete (type, URL or URL file, a webhook's secret file). Empty when fine.
    QString validate() const;
};

// The notification kinds a channel can subscribe to (events = ...).
QStringList notificationKinds();

// What a channel needs to deliver, read from its files. The error names the file and the
// channel, never a file's content.
struct ChannelSecrets
{
    QUrl url;
    std::optional<protocol::WebhookSecret> secret; // webhook channels
    QByteArray password; // smtp channels with a username
};
QString loadChannelSecrets(const NotifyChannel &channel, ChannelSecrets *out);

} // namespace spotkeeper::core
