// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dashboardsettings.h"

#include <QCoreApplication>
#include <QSettings>
#include <QUrl>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <type_traits>
#include <variant>

namespace spotkeeper::gui {

QString DashboardSettings::budgetProblem() const
{
    // Upper bounds: Azure's own per-subscription buckets (writes 200/10 per s, reads
    // 250/25 per s; Compute start 12/4 per min per VM) times 15, the global limit across
    // principals. A budget above that only turns into 429s.
    struct Check
    {
        int value = 0;
        int max = 0;
        const char *name = nullptr;
    };
    const std::array checks {
        Check {subscriptionWritesPerSecond, 150,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM writes per second per subscription")},
        Check {subscriptionWriteBurst, 3000,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM write burst per subscription")},
        Check {subscriptionReadsPerSecond, 375,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM reads per second per subscription")},
        Check {subscriptionReadBurst, 3750,
               QT_TRANSLATE_NOOP("DashboardSettings", "ARM read burst per subscription")},
        Check {vmStartsPerMinute, 60,
               QT_TRANSLATE_NOOP("DashboardSettings", "Start calls per minute per VM")},
        Check {vmStartBurst, 180,
               QT_TRANSLATE_NOOP("DashboardSettings", "Start call burst per VM")},
    };
    for (const auto &check : checks) {
        if (check.value < 1 || check.value > check.max)
            return QCoreApplication::translate("DashboardSettings",
                                               "%1 must be between 1 and %2 (it is %3).")
                .arg(QCoreApplication::translate("DashboardSettings", check.name))
                .arg(check.max)
                .arg(check.value);
    }
    return {};
}

QString DashboardSettings::notifySecretKey(const QString &channel, core::ChannelType type)
{
    const QString prefix = QStringLiteral("notify/") + channel;
    switch (type) {
    case core::ChannelType::Slack:
    case core::ChannelType::Teams:
        return prefix + QStringLiteral("/url");
    case core::ChannelType::Smtp:
        return prefix + QStringLiteral("/password");
    case core::ChannelType::Webhook:
        break;
    }
    return prefix + QStringLiteral("/signing-secret");
}

namespace {

using Member = std::variant<QString DashboardSettings::*, int DashboardSettings::*,
                            bool DashboardSettings::*, QStringList DashboardSettings::*>;

// A QSettings key and the field it holds; a number outside [min, max] is brought back into it.
struct Key
{
    const char *name;
    Member member;
    int min = std::numeric_limits<int>::min();
    int max = std::numeric_limits<int>::max();
};

// Every key but engine/unprovenDeallocation (restart | leave, a bool in the struct).
const std::array kKeys {
    Key {"listener/address", &DashboardSettings::listenAddress},
    Key {"listener/port", &DashboardSettings::listenPort},
    Key {"listener/tls", &DashboardSettings::tls},
    Key {"listener/certificate", &DashboardSettings::tlsCertificate},
    Key {"listener/key", &DashboardSettings::tlsKey},
    Key {"listener/agentCa", &DashboardSettings::tlsAgentCa},
    Key {"azure/source", &DashboardSettings::credentialSource},
    Key {"azure/tenantId", &DashboardSettings::tenantId},
    Key {"azure/clientId", &DashboardSettings::clientId},
    Key {"azure/subscriptions", &DashboardSettings::subscriptions},
    Key {"budgets/subscriptionWritesPerSecond", &DashboardSettings::subscriptionWritesPerSecond},
    Key {"budgets/subscriptionWriteBurst", &DashboardSettings::subscriptionWriteBurst},
    Key {"budgets/subscriptionReadsPerSecond", &DashboardSettings::subscriptionReadsPerSecond},
    Key {"budgets/subscriptionReadBurst", &DashboardSettings::subscriptionReadBurst},
    Key {"budgets/vmStartsPerMinute", &DashboardSettings::vmStartsPerMinute},
    Key {"budgets/vmStartBurst", &DashboardSettings::vmStartBurst},
    Key {"engine/evidenceWaitSeconds", &DashboardSettings::evidenceWaitSeconds, 0, 3600},
    Key {"engine/heartbeatIntervalSeconds", &DashboardSettings::heartbeatIntervalSeconds, 1,
         86'400},
    Key {"engine/agentSilentIntervals", &DashboardSettings::agentSilentIntervals, 0, 1000},
    Key {"health/restartTimeoutMinutes", &DashboardSettings::appHealthTimeoutMinutes, 0, 1440},
    Key {"health/unhealthyMinutes", &DashboardSettings::appUnhealthyMinutes, 0, 1440},
    Key {"health/restartsPerHour", &DashboardSettings::appRestartsPerHour, 0, 60},
    Key {"health/restart", &DashboardSettings::appRestart}, // off | tagged | all
    Key {"ui/theme", &DashboardSettings::theme},
    Key {"ui/language", &DashboardSettings::language},
    Key {"export/bom", &DashboardSettings::csvBom},
    Key {"store/path", &DashboardSettings::storePath},
    Key {"remote/url", &DashboardSettings::remoteUrl},
    Key {"remote/caFile", &DashboardSettings::remoteCaFile},
    Key {"remote/attachAtStart", &DashboardSettings::attachAtStart},
};

const QLatin1StringView kUnprovenKey("engine/unprovenDeallocation");

const QString kChannels = QStringLiteral("notify/channels");

QList<core::NotifyChannel> loadChannels(QSettings &s)
{
    QList<core::NotifyChannel> channels;
    const int count = s.beginReadArray(kChannels);
    for (int i = 0; i < count; ++i) {
        s.setArrayIndex(i);
        core::NotifyChannel c;
        c.name = s.value(QStringLiteral("name")).toString();
        const QString type = s.value(QStringLiteral("type")).toString();
        for (const core::ChannelType known : {core::ChannelType::Webhook, core::ChannelType::Slack,
                                              core::ChannelType::Teams, core::ChannelType::Smtp})
            if (core::toString(known) == type)
                c.type = known;
        c.url = s.value(QStringLiteral("url")).toString();
        c.events = s.value(QStringLiteral("events")).toStringList();
        c.subscriptions = s.value(QStringLiteral("subscriptions")).toStringList();
        c.tags = s.value(QStringLiteral("tags")).toStringList();
        c.templateText = s.value(QStringLiteral("template")).toString();
        c.subjectTemplate = s.value(QStringLiteral("subject")).toString();
        c.from = s.value(QStringLiteral("from")).toString();
        c.to = s.value(QStringLiteral("to")).toStringList();
        c.username = s.value(QStringLiteral("username")).toString();
        c.requireStartTls = s.value(QStringLiteral("starttls"), true).toBool();
        if (!c.name.isEmpty())
            channels.append(c);
    }
    s.endArray();
    return channels;
}

void saveChannels(QSettings &s, const QList<core::NotifyChannel> &channels)
{
    s.remove(kChannels);
    s.beginWriteArray(kChannels, int(channels.size()));
    for (int i = 0; i < channels.size(); ++i) {
        const core::NotifyChannel &c = channels.at(i);
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), c.name);
        s.setValue(QStringLiteral("type"), core::toString(c.type));
        // A Slack or Teams URL is the credential: it lives in the SecretStore only.
        const bool urlIsPublic =
            c.type == core::ChannelType::Webhook || c.type == core::ChannelType::Smtp;
        s.setValue(QStringLiteral("url"), urlIsPublic ? c.url : QString());
        s.setValue(QStringLiteral("events"), c.events);
        s.setValue(QStringLiteral("subscriptions"), c.subscriptions);
        s.setValue(QStringLiteral("tags"), c.tags);
        s.setValue(QStringLiteral("template"), c.templateText);
        s.setValue(QStringLiteral("subject"), c.subjectTemplate);
        s.setValue(QStringLiteral("from"), c.from);
        s.setValue(QStringLiteral("to"), c.to);
        s.setValue(QStringLiteral("username"), c.username);
        s.setValue(QStringLiteral("starttls"), c.requireStartTls);
    }
    s.endArray();
}

} // namespace

DashboardSettings DashboardSettings::load()
{
    QSettings s;
    DashboardSettings d;
    for (const Key &key : kKeys) {
        std::visit(
            [&](auto member) {
                using Value = std::remove_reference_t<decltype(d.*member)>;
                const QVariant stored = s.value(QLatin1StringView(key.name));
                if (!stored.isValid())
                    return; // the default stays
                if constexpr (std::is_same_v<Value, int>)
                    d.*member = std::clamp(stored.toInt(), key.min, key.max);
                else
                    d.*member = stored.value<Value>();
            },
            key.member);
    }
    if (d.appRestart != QLatin1StringView("off") && d.appRestart != QLatin1StringView("all"))
        d.appRestart = QStringLiteral("tagged");
    d.restartUnprovenDeallocation =
        s.value(kUnprovenKey, QStringLiteral("restart")).toString() != QLatin1StringView("leave");
    d.notifyChannels = loadChannels(s);
    return d;
}

void DashboardSettings::save() const
{
    QSettings s;
    for (const Key &key : kKeys) {
        std::visit(
            [&](auto member) { s.setValue(QLatin1StringView(key.name), QVariant(this->*member)); },
            key.member);
    }
    s.setValue(kUnprovenKey,
               restartUnprovenDeallocation ? QStringLiteral("restart") : QStringLiteral("leave"));
    // The old fields (never applied to the engine) are gone.
    s.remove(QStringLiteral("budgets/armCallsPerMinute"));
    s.remove(QStringLiteral("budgets/maxConcurrentStarts"));
    saveChannels(s, notifyChannels);
}

core::ChannelSecrets channelSecrets(core::ChannelType type, const QByteArray &secret,
                                    QString *problem)
{
    core::ChannelSecrets out;
    switch (type) {
    case core::ChannelType::Slack:
    case core::ChannelType::Teams:
        out.url = QUrl(QString::fromUtf8(secret.trimmed()));
        break;
    case core::ChannelType::Smtp:
        out.password = secret;
        break;
    case core::ChannelType::Webhook:
        out.secret = protocol::WebhookSecret::fromString(QString::fromUtf8(secret.trimmed()));
        if (!out.secret && problem != nullptr)
            *problem = QCoreApplication::translate(
                "DashboardSettings",
                "The signing secret is not a whsec_ secret (whsec_ followed "
                "by base64).");
        break;
    }
    return out;
}

void loadNotifySecrets(core::SecretStore &store, const QList<core::NotifyChannel> &channels,
                       NotifySecretsDone done)
{
    struct Pending
    {
        QMap<QString, core::ChannelSecrets> secrets;
        QStringList problems;
        qsizetype left = 0;
        NotifySecretsDone done;
    };
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    pending->left = channels.size() + 1; // + 1: done only after every read was started
    const auto finishOne = [pending] {
        if (--pending->left == 0)
            pending->done(pending->secrets, pending->problems.join(QLatin1Char('\n')));
    };
    for (const core::NotifyChannel &channel : channels) {
        const bool needsSecret =
            channel.type != core::ChannelType::Smtp || !channel.username.isEmpty();
        if (!needsSecret) {
            pending->secrets.insert(channel.name, {});
            finishOne();
            continue;
        }
        store.readSecret(
            DashboardSettings::notifySecretKey(channel.name, channel.type),
            [pending, channel, finishOne](bool ok, const QByteArray &secret, const QString &) {
                QString problem;
                if (ok && !secret.isEmpty())
                    pending->secrets.insert(channel.name,
                                            channelSecrets(channel.type, secret, &problem));
                else
                    problem = QCoreApplication::translate("DashboardSettings",
                                                          "its secret is not in the keychain");
                if (!problem.isEmpty())
                    pending->problems
                        << QCoreApplication::translate("DashboardSettings", "Channel %1: %2")
                               .arg(channel.name, problem);
                finishOne();
            });
    }
    finishOne();
}

} // namespace spotkeeper::gui
