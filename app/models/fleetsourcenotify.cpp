// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Outbound notifications seen from the dashboard (Settings -> Notifications,
// docs/NOTIFICATIONS.md): each fleet source's channel status and test message. The local
// source asks the in-process notifier and tests a channel with a notifier of its own for that
// one message; a remote source reads GET /api/v1/notify/status (its channels are configured
// and tested on the server).
#include "models/fleetsource.h"
#include "models/localfleetsource.h"
#include "models/remotefleetsource.h"
#include "operatorapi/operatorapijson.h"

#include <QJsonArray>

namespace spotkeeper::gui {

using namespace Qt::StringLiterals;

void FleetSource::notifyStatus(const NotifyStatusDone &done)
{
    done({}, tr("This fleet source sends no notifications."));
}

QString FleetSource::notifyTestUnavailableReason() const
{
    return tr("The channels of an attached spotkeeperd are configured in its spotkeeperd.conf "
              "and tested there with spotkeeperd notify test <channel>.");
}

void FleetSource::sendTestNotification(const core::NotifyChannel & /*channel*/,
                                       const core::ChannelSecrets & /*secrets*/,
                                       const NotifyTestDone &done)
{
    done(0, notifyTestUnavailableReason());
}

void LocalFleetSource::notifyStatus(const NotifyStatusDone &done)
{
    done(m_notifyStatus ? m_notifyStatus() : QList<core::ChannelStatus> {}, QString());
}

void LocalFleetSource::sendTestNotification(const core::NotifyChannel &channel,
                                            const core::ChannelSecrets &secrets,
                                            const NotifyTestDone &done)
{
    // A notifier of its own for this one message: the channel as edited, before it is saved.
    core::NotifyConfig config;
    config.channels = {channel};
    QString error;
    std::unique_ptr<core::Notifier> created =
        core::Notifier::create(config, {{channel.name, secrets}}, m_store, m_clock, &error);
    if (!created) {
        done(0, error);
        return;
    }
    core::Notifier *notifier = created.release();
    notifier->setParent(this); // gone with the source if the answer never comes
    notifier->sendTest(channel.name, [notifier, done](int status, const QString &problem) {
        notifier->deleteLater();
        done(status, problem);
    });
}

void RemoteFleetSource::notifyStatus(const NotifyStatusDone &done)
{
    get(u"/api/v1/notify/status"_s, [done](const Reply &reply) {
        if (!reply.ok()) {
            done({}, reply.error);
            return;
        }
        QList<core::ChannelStatus> channels;
        const QJsonArray array = reply.json.value(u"channels"_s).toArray();
        for (const auto &value : array)
            if (const auto status = core::channelStatusFromJson(value.toObject()))
                channels.append(*status);
        done(channels, QString());
    });
}

} // namespace spotkeeper::gui
