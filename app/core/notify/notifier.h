// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "notify/notifyconfig.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

// The durable notification dispatcher (issue 17, docs/NOTIFICATIONS.md). Every pump:
//  1. enqueue: the events after the store's notify cursor that are news (notification.h)
//     become outbox rows, one per routed channel, in ONE transaction with the cursor's move,
//     so an event is enqueued exactly once even across a crash. Evictions wait for their
//     group window to close; a window with groupMin or more becomes one message.
//  2. deliver: due rows are claimed with a lease (Store::claimNotifications, so replicas on
//     one store never send a row at the same moment) and POSTed (webhook: signed with Standard
//     Webhooks, webhook-id = the row's event key); a 2xx marks the row delivered, anything else
//     (status, timeout, network error) schedules a retry with exponential backoff. Pending rows
//     survive a restart; a row is never POSTed again once a 2xx was recorded.
// Time comes from the injected Clock; tests call pump() themselves.
namespace spotkeeper::core {

class SmtpSender;
class Store;
struct EventRecord;
struct Notification;
struct OutboxEntry;

// Secrets given by the caller (the dashboard's keychain) complete for the channel: a usable
// URL (https, or http to a loopback address), a webhook's signing secret, an SMTP password
// with a user name. An smtp channel's URL is its (non-secret) url when secrets->url is empty.
// Empty when fine; the error never quotes a secret.
QString checkChannelSecrets(const NotifyChannel &channel, ChannelSecrets *secrets);
// An address an smtp channel accepts as from or to (local@domain), as [notify] does.
bool isMailAddress(const QString &address);

// One channel's delivery status (the dashboard, `spotkeeperd notify status`).
struct ChannelStatus
{
    QString name;
    ChannelType type = ChannelType::Webhook;
    qint64 pending = 0; // outbox rows by state
    qint64 delivered = 0;
    qint64 failed = 0;
    QDateTime lastSuccess; // by this process; invalid = none yet
    QString lastError; // the last failed attempt's, cleared by a success; never a secret
};

class Notifier final : public QObject
{
    Q_OBJECT
public:
    static constexpr auto kCursorKey = "notify_cursor";

    // Reads every channel's files; nullptr and *error (naming channel and file, never a
    // secret) when one is missing or unusable.
    static std::unique_ptr<Notifier> create(const NotifyConfig &config, Store &store,
                                            const base::Clock &clock, QString *error);
    // The dashboard: every channel's secrets given (from the keychain, by channel name; the
    // configuration names no files), checked with checkChannelSecrets.
    static std::unique_ptr<Notifier> create(const NotifyConfig &config,
                                            const QMap<QString, ChannelSecrets> &secrets,
                                            Store &store, const base::Clock &clock, QString *error);
    ~Notifier() override;
    Q_DISABLE_COPY_MOVE(Notifier)

    void start(int intervalMs = 1000);
    void stop();
    void pump(); // enqueue, then deliver what is due
    int enqueueNew(); // rows added; -1 on a store error
    void deliverDue();
    int inFlight() const { return int(m_inFlight.size()); }
    QByteArray renderMetrics(); // per-channel delivery status for /metrics
    QList<ChannelStatus> channelStatuses();

    // status: the HTTP status (e-mail: the SMTP reply code), 0 without one; error empty on
    // success (a 2xx, or the mail accepted).
    using Transmitted = std::function<void(int status, const QString &error)>;
    // "Send test notification": one message of kind "test" to the channel now, outside the
    // outbox (nothing stored, nothing retried); done says how it went. False: no such channel.
    bool sendTest(const QString &channel, Transmitted done);

Q_SIGNALS:
    void delivered(const QString &channel, const QString &eventKey, int httpStatus);
    void deliveryFailed(const QString &channel, const QString &eventKey, const QString &error);

private:
    Notifier(NotifyConfig config, Store &store, const base::Clock &clock);
    void addChannel(const NotifyChannel &channel, const ChannelSecrets &secrets);
    struct Channel
    {
        NotifyChannel config;
        ChannelSecrets secrets;
    };
    // One message to one channel (HTTP POST or e-mail); done on this thread.
    void transmit(const Channel &channel, const QString &kind, const QString &eventKey,
                  const QJsonObject &facts, const QDateTime &now, Transmitted done);
    void sendMail(const Channel &channel, const QString &eventKey, const QJsonObject &facts,
                  const QDateTime &now, Transmitted done);
    // The event id notifications continue after; created at the newest event the first time.
    std::optional<qint64> readCursor();
    // The notifications for these events (after the cursor). Evictions within a group window
    // become one message; a window still open stops the walk. *processed: the last id taken.
    QList<Notification> notificationsFor(const QList<EventRecord> &events, const QDateTime &now,
                                         qint64 *processed);
    // Ends a storm window: one grouped message, or the evictions one by one when too few.
    void closeStormWindow(QList<Notification> *window, QList<Notification> *out,
                          const QDateTime &now);
    // One outbox row per notification and channel whose routing wants it.
    QList<OutboxEntry> outboxEntries(const QList<Notification> &notifications,
                                     const QDateTime &now) const;
    void finish(qint64 rowId, const QString &channel, const QString &eventKey, int attempts,
                int status, const QString &error);

    NotifyConfig m_config;
    Store &m_store;
    const base::Clock &m_clock;
    QMap<QString, Channel> m_channels;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<SmtpSender> m_smtp; // with an smtp channel: its worker threads
    QSet<qint64> m_inFlight;
    QTimer m_timer;
    QMap<QPair<QString, QString>, qint64> m_results; // (channel, delivered|failed) counts
    QHash<QString, qint64> m_lastSuccessMs; // by channel
    QHash<QString, QString> m_lastError; // by channel, until its next success
};

} // namespace spotkeeper::core
