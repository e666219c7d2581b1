// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/ratebudget.h"
#include "fleet/secretstore.h"
#include "notify/notifyconfig.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

namespace spotkeeper::gui {

// The dashboard's non-secret settings, one QSettings key table. Secrets (the service
// principal's client secret) go through SecretStore under kClientSecretKey, never here.
// The restart engine's client-side ARM budgets are the core::BudgetSettings base (mirroring
// Azure's token buckets, docs/AZURE-PROTOCOL.md section 6), read when the local engine starts.
struct DashboardSettings : core::BudgetSettings
{
    QString listenAddress = QStringLiteral("127.0.0.1");
    int listenPort = 8443;
    bool tls = false;
    QString tlsCertificate;
    QString tlsKey;
    // PEM CA that signed tlsCertificate (spotkeeperd.conf [tls] agent_ca; `spotkeeperd tls
    // init` writes it as ca.pem): enrolment snippets install it as the agent's ca-file.
    QString tlsAgentCa;
    QString credentialSource =
        QStringLiteral("auto"); // auto | cli | service_principal | managed_identity | none
    QString tenantId;
    QString clientId;
    QStringList subscriptions;
    // A managed VM down with no notice: how long the Activity Log is read for an eviction or
    // a deliberate stop, then restart it or leave it (spotkeeperd.conf [engine]
    // evidence_wait_seconds, unproven_deallocation; docs/ENGINE.md).
    int evidenceWaitSeconds = 300;
    bool restartUnprovenDeallocation = true;
    // Silent agents (spotkeeperd.conf [engine] heartbeat_interval_seconds,
    // agent_silent_intervals): alert after this many missed heartbeats; 0 = never.
    int heartbeatIntervalSeconds = 60;
    int agentSilentIntervals = 3;
    // Application health (spotkeeperd.conf [health], docs/ENGINE.md "Application health"):
    // a restart waits this long for the application to report healthy (0 = not at all); an
    // application unhealthy this long on a running VM is alerted (0 = never) and, for VMs that
    // opted in (off | tagged | all), restarted at most appRestartsPerHour times an hour.
    int appHealthTimeoutMinutes = 10;
    int appUnhealthyMinutes = 5;
    QString appRestart = QStringLiteral("tagged");
    int appRestartsPerHour = 2;
    QString theme = QStringLiteral("system"); // system | light | dark
    QString language = QStringLiteral("system");
    bool csvBom = false;
    QString storePath; // empty = the default under AppDataLocation
    // A remote spotkeeperd to attach to instead of running the engine in-process; its
    // operator token is kept in the SecretStore under kOperatorTokenKey, never here.
    QString remoteUrl;
    QString remoteCaFile; // PEM CA for a server with a private certificate
    bool attachAtStart = false;
    // Outbound notification channels (Settings -> Notifications, docs/NOTIFICATIONS.md),
    // without their secrets: the *File fields stay empty; a webhook's signing secret, a Slack
    // or Teams URL and an SMTP password are in the SecretStore under notifySecretKey().
    QList<core::NotifyChannel> notifyChannels;

    // Empty when the budgets are usable, else a message naming the setting and its range.
    QString budgetProblem() const;
    static DashboardSettings load();
    void save() const;
    static inline const QString kClientSecretKey = QStringLiteral("azure/client-secret");
    static inline const QString kOperatorTokenKey = QStringLiteral("remote/operator-token");
    // The SecretStore key of a channel's secret: "notify/<name>/signing-secret" (webhook),
    // ".../url" (Slack, Teams), ".../password" (e-mail).
    static QString notifySecretKey(const QString &channel, core::ChannelType type);
};

// A channel's secret as the notifier takes it: a webhook's whsec_ signing secret, a Slack or
// Teams URL, an SMTP password. *problem (never quoting the secret) when it is unusable.
core::ChannelSecrets channelSecrets(core::ChannelType type, const QByteArray &secret,
                                    QString *problem);
// Reads every channel's secret from the SecretStore; done once, on the thread of the
// store's answers, with the secrets by channel name and what was missing or unusable (empty
// when all were there).
using NotifySecretsDone =
    std::function<void(const QMap<QString, core::ChannelSecrets> &secrets, const QString &problem)>;
void loadNotifySecrets(core::SecretStore &store, const QList<core::NotifyChannel> &channels,
                       NotifySecretsDone done);

} // namespace spotkeeper::gui
