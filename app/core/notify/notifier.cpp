// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/notifier.h"

#include "base/clock.h"
#include "fleet/eventtypes.h"
#include "listener/listenermetrics.h"
#include "notify/notification.h"
#include "notify/smtpmail.h"
#include "notify/smtpsender.h"
#include "store/store.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>
#include <limits>
#include <utility>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

constexpr int kEventsPerPump = 1000;
constexpr int kDeliveriesPerPump = 50;
constexpr qint64 kLeaseMarginMs = 30'000;

// The restart job an engine event belongs to: the VM's newest job created by the event's
// time (its eviction gives a restart's downtime, its reason why an operator is needed).
std::optional<JobRecord> jobOf(Store &store, const EventRecord &event)
{
    for (const JobRecord &job : store.jobs(event.vmId, 5))
        if (!job.createdAt.isValid() || job.createdAt <= event.at)
            return job;
    return std::nullopt;
}

// The event's notification; a restart or a needs-operator event names its job.
std::optional<Notification> notificationWithJob(Store &store, const EventRecord &event,
                                                const VmRecord &vm)
{
    const bool ofJob =
        event.eventType == eventtype::kRestarted || event.eventType == eventtype::kNeedsOperator;
    const std::optional<JobRecord> job = ofJob ? jobOf(store, event) : std::optional<JobRecord>();
    return notificationFor(event, vm, job ? &*job : nullptr);
}

} // namespace

Notifier::Notifier(NotifyConfig config, Store &store, const base::Clock &clock)
    : m_config(std::move(config))
    , m_store(store)
    , m_clock(clock)
    , m_network(std::make_unique<QNetworkAccessManager>())
{
    connect(&m_timer, &QTimer::timeout, this, &Notifier::pump);
}

Notifier::~Notifier() = default;

std::unique_ptr<Notifier> Notifier::create(const NotifyConfig &config, Store &store,
                                           const base::Clock &clock, QString *error)
{
    if (const QString problem = config.validate(); !problem.isEmpty()) {
        *error = problem;
        return nullptr;
    }
    std::unique_ptr<Notifier> notifier(new Notifier(config, store, clock));
    for (const NotifyChannel &channel : config.channels) {
        ChannelSecrets secrets;
        if (const QString problem = loadChannelSecrets(channel, &secrets); !problem.isEmpty()) {
            *error = problem;
            return nullptr;
        }
        notifier->addChannel(channel, secrets);
    }
    return notifier;
}

std::unique_ptr<Notifier> Notifier::create(const NotifyConfig &config,
                                           const QMap<QString, ChannelSecrets> &secrets,
                                           Store &store, const base::Clock &clock, QString *error)
{
    // The configuration's own checks, with the secret files named by placeholders that are
    // never read: the secrets are given.
    NotifyConfig probe = config;
    for (NotifyChannel &channel : probe.channels) {
        channel.urlFile = channel.type == ChannelType::Smtp ? QString() : u"(keychain)"_s;
        channel.secretFile = channel.type == ChannelType::Webhook ? u"(keychain)"_s : QString();
        channel.passwordFile = channel.username.isEmpty() ? QString() : u"(keychain)"_s;
        if (channel.type == ChannelType::Slack || channel.type == ChannelType::Teams)
            channel.url.clear();
    }
    if (QString problem = probe.validate(); !problem.isEmpty()) {
        *error = problem;
        return nullptr;
    }
    std::unique_ptr<Notifier> notifier(new Notifier(config, store, clock));
    for (const NotifyChannel &channel : config.channels) {
        ChannelSecrets given = secrets.value(channel.name);
        if (const QString problem = checkChannelSecrets(channel, &given); !problem.isEmpty()) {
            *error = problem;
            return nullptr;
        }
        notifier->addChannel(channel, given);
    }
    return notifier;
}

void Notifier::addChannel(const NotifyChannel &channel, const ChannelSecrets &secrets)
{
    m_channels.insert(channel.name, Channel {channel, secrets});
    if (channel.type == ChannelType::Smtp && !m_smtp)
        m_smtp = std::make_unique<SmtpSender>();
}

void Notifier::start(int intervalMs)
{
    pump();
    m_timer.start(intervalMs);
}

void Notifier::stop()
{
    m_timer.stop();
}

void Notifier::pump()
{
    enqueueNew();
    deliverDue();
}

std::optional<qint64> Notifier::readCursor()
{
    // The first start begins after the newest event (no history is sent): the cursor is
    // created with that id, atomically, the first time only.
    EventFilter newest;
    newest.beforeId = std::numeric_limits<qint64>::max();
    newest.limit = 1;
    const QList<EventRecord> last = m_store.events(newest);
    const QString cursorText = m_store.metaValueOrInsert(
        QLatin1StringView(kCursorKey), QString::number(last.isEmpty() ? 0 : last.constFirst().id));
    if (cursorText.isEmpty())
        return std::nullopt;
    return cursorText.toLongLong();
}

int Notifier::enqueueNew()
{
    const std::optional<qint64> cursor = readCursor();
    if (!cursor)
        return -1;
    EventFilter filter;
    filter.afterId = *cursor;
    filter.kinds = {EventKind::Eviction, EventKind::JobTransition, EventKind::RestartAttempt,
                    EventKind::PowerChange, EventKind::Alert};
    filter.limit = kEventsPerPump;
    const QList<EventRecord> events = m_store.events(filter);
    if (m_store.lastError().code != StoreError::Code::None)
        return -1;
    if (events.isEmpty())
        return 0;

    const QDateTime now = m_clock.nowUtc();
    qint64 processed = *cursor;
    const QList<Notification> out = notificationsFor(events, now, &processed);
    if (processed == *cursor)
        return 0;
    const QList<OutboxEntry> entries = outboxEntries(out, now);
    if (!m_store.enqueueNotifications(entries, QLatin1StringView(kCursorKey),
                                      QString::number(processed)))
        return -1;
    return int(entries.size());
}

QList<Notification> Notifier::notificationsFor(const QList<EventRecord> &events,
                                               const QDateTime &now, qint64 *processed)
{
    const qint64 windowMs = qint64(m_config.groupWindowSeconds) * 1000;
    QHash<qint64, VmRecord> vms;
    QList<Notification> out;
    QList<Notification> window; // evictions of the open group window
    QDateTime windowEnd;
    for (const EventRecord &event : events) {
        if (event.kind == EventKind::Eviction && windowMs > 0) {
            if (windowEnd.isValid() && event.at >= windowEnd) {
                closeStormWindow(&window, &out, now);
                windowEnd = QDateTime();
            }
            if (!windowEnd.isValid()) {
                windowEnd = event.at.addMSecs(windowMs);
                if (now < windowEnd)
                    break; // the window is still open: wait for the rest of the storm
            }
        }
        auto vm = vms.find(event.vmId);
        if (vm == vms.end())
            vm = vms.insert(event.vmId, m_store.vm(event.vmId).value_or(VmRecord {}));
        const std::optional<Notification> n = notificationWithJob(m_store, event, *vm);
        if (n && n->kind == u"eviction"_s && windowMs > 0)
            window.append(*n);
        else if (n)
            out.append(*n);
        *processed = event.id;
    }
    closeStormWindow(&window, &out, now);
    return out;
}

void Notifier::closeStormWindow(QList<Notification> *window, QList<Notification> *out,
                                const QDateTime &now)
{
    if (window->size() < m_config.groupMin || m_config.groupMin <= 1) {
        out->append(*window);
        window->clear();
        return;
    }
    QHash<qint64, int> counts; // the worst cases: most evictions in 7 days
    for (const Notification &n : std::as_const(*window)) {
        if (counts.contains(n.vmId) || counts.size() >= 200)
            continue;
        EventFilter recent;
        recent.vmId = n.vmId;
        recent.kinds = {EventKind::Eviction};
        recent.from = now.addDays(-7);
        counts.insert(n.vmId, int(m_store.eventCount(recent)));
    }
    out->append(groupEvictions(*window, counts));
    window->clear();
}

QList<OutboxEntry> Notifier::outboxEntries(const QList<Notification> &notifications,
                                           const QDateTime &now) const
{
    QList<OutboxEntry> entries;
    for (const Notification &n : notifications) {
        const QByteArray facts = QJsonDocument(n.facts).toJson(QJsonDocument::Compact);
        for (const Channel &channel : m_channels) {
            if (!channel.config.wants(n.kind, n.subscriptionId, n.vmTags))
                continue;
            OutboxEntry e;
            e.channel = channel.config.name;
            e.eventKey = n.key;
            e.kind = n.kind;
            e.vmId = n.vmId;
            e.createdAt = now;
            e.payload = QString::fromUtf8(facts);
            e.nextAttemptAt = now;
            entries.append(e);
        }
    }
    return entries;
}

void Notifier::deliverDue()
{
    const QDateTime now = m_clock.nowUtc();
    // Each row is claimed for one attempt: replicas sharing the store never send one row at
    // the same moment. The lease outlasts the attempt's timeout; a process that dies with a
    // row claimed leaves it to whoever finds it due when the lease ends.
    const QDateTime leaseUntil = now.addMSecs(qint64(m_config.timeoutMs) * 2 + kLeaseMarginMs);
    const QList<OutboxEntry> due = m_store.claimNotifications(now, leaseUntil, kDeliveriesPerPump);
    for (const OutboxEntry &entry : due) {
        if (m_inFlight.contains(entry.id))
            continue;
        const auto channel = m_channels.constFind(entry.channel);
        if (channel == m_channels.constEnd()) {
            // Configured away: nobody to deliver to; kept as failed, visible in /metrics.
            OutboxEntry gone = entry;
            gone.state = OutboxEntry::State::Failed;
            gone.lastError = u"channel no longer configured"_s;
            m_store.updateNotification(gone);
            continue;
        }
        const QJsonObject facts = QJsonDocument::fromJson(entry.payload.toUtf8()).object();
        m_inFlight.insert(entry.id);
        transmit(*channel, entry.kind, entry.eventKey, facts, now,
                 [this, rowId = entry.id, channelName = entry.channel, key = entry.eventKey,
                  attempts = entry.attempts + 1](int status, const QString &error) {
                     finish(rowId, channelName, key, attempts, status, error);
                 });
    }
}

void Notifier::transmit(const Channel &channel, const QString &kind, const QString &eventKey,
                        const QJsonObject &facts, const QDateTime &now, Transmitted done)
{
    if (channel.config.type == ChannelType::Smtp) {
        sendMail(channel, eventKey, facts, now, std::move(done));
        return;
    }
    const QByteArray body =
        channelBody(channel.config.type, channel.config.templateText, kind, facts);
    QNetworkRequest request(channel.secrets.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(m_config.timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    const QByteArray id = eventKey.toUtf8();
    request.setRawHeader(protocol::kHeaderId, id);
    if (channel.secrets.secret) {
        const protocol::SignedHeaders signature =
            protocol::sign({*channel.secrets.secret}, id, now.toSecsSinceEpoch(), body);
        request.setRawHeader(protocol::kHeaderTimestamp, signature.timestamp);
        request.setRawHeader(protocol::kHeaderSignature, signature.signature);
    }
    QNetworkReply *reply = m_network->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QString error;
        if (status < 200 || status > 299) {
            // Never the URL: for Slack and Teams it is the credential.
            if (status > 0)
                error = u"HTTP "_s + QString::number(status);
            else if (reply->error() == QNetworkReply::OperationCanceledError
                     || reply->error() == QNetworkReply::TimeoutError)
                error = u"timed out"_s;
            else
                error = u"network error "_s + QString::number(int(reply->error()));
        }
        done(status, error);
    });
}

bool Notifier::sendTest(const QString &channelName, Transmitted done)
{
    const auto channel = m_channels.constFind(channelName);
    if (channel == m_channels.constEnd())
        return false;
    const QDateTime now = m_clock.nowUtc();
    const QString key = u"test_"_s + QString::number(now.toMSecsSinceEpoch());
    const QJsonObject facts {
        {u"kind"_s, u"test"_s},
        {u"id"_s, key},
        {u"at"_s, now.toString(Qt::ISODate)},
        {u"title"_s, u"SpotKeeper test notification"_s},
        {u"text"_s, QString(u"The channel "_s + channelName + u" reaches you."_s)},
        {u"count"_s, 0},
    };
    transmit(*channel, u"test"_s, key, facts, now,
             [this, channelName, done = std::move(done)](int status, const QString &error) {
                 if (!error.isEmpty())
                     m_lastError.insert(channelName, error);
                 done(status, error);
             });
    return true;
}

QList<ChannelStatus> Notifier::channelStatuses()
{
    QList<ChannelStatus> result;
    for (const Channel &channel : std::as_const(m_channels)) {
        ChannelStatus status;
        status.name = channel.config.name;
        status.type = channel.config.type;
        status.lastError = m_lastError.value(status.name);
        if (const qint64 ms = m_lastSuccessMs.value(status.name, 0); ms > 0)
            status.lastSuccess = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        result.append(status);
    }
    for (const OutboxCount &count : m_store.notificationCounts()) {
        for (ChannelStatus &status : result) {
            if (status.name != count.channel)
                continue;
            if (count.state == OutboxEntry::State::Pending)
                status.pending = count.count;
            else if (count.state == OutboxEntry::State::Delivered)
                status.delivered = count.count;
            else
                status.failed = count.count;
        }
    }
    return result;
}

void Notifier::sendMail(const Channel &channel, const QString &eventKey, const QJsonObject &facts,
                        const QDateTime &now, Transmitted done)
{
    const NotifyChannel &config = channel.config;
    SmtpMail mail;
    mail.from = config.from;
    mail.to = config.to;
    mail.subject = renderText(
        config.subjectTemplate.isEmpty() ? defaultSubject() : config.subjectTemplate, facts);
    mail.body = QString::fromUtf8(channelBody(ChannelType::Smtp, config.templateText,
                                              facts.value(u"kind"_s).toString(), facts));
    mail.eventKey = eventKey;
    mail.channel = config.name;
    mail.date = now;
    SmtpSend send;
    send.url = channel.secrets.url;
    send.from = config.from.toUtf8();
    for (const QString &to : config.to)
        send.to << to.toUtf8();
    send.username = config.username.toUtf8();
    send.password = channel.secrets.password;
    send.requireStartTls = config.requireStartTls;
    send.caFile = config.caFile;
    send.message = smtpMessage(mail);
    send.timeoutMs = m_config.timeoutMs;
    m_smtp->send(send, [done = std::move(done)](const SmtpOutcome &outcome) {
        done(outcome.replyCode, outcome.ok ? QString() : outcome.error);
    });
}

void Notifier::finish(qint64 rowId, const QString &channel, const QString &eventKey, int attempts,
                      int status, const QString &error)
{
    m_inFlight.remove(rowId);
    const QDateTime now = m_clock.nowUtc();
    OutboxEntry row;
    row.id = rowId;
    row.attempts = attempts;
    if (error.isEmpty()) {
        row.state = OutboxEntry::State::Delivered;
        row.deliveredAt = now;
        row.nextAttemptAt = now;
        ++m_results[{channel, u"delivered"_s}];
        m_lastSuccessMs.insert(channel, now.toMSecsSinceEpoch());
        m_lastError.remove(channel);
    } else {
        const qint64 base = qint64(m_config.retryBaseSeconds) * 1000;
        const qint64 cap = qint64(m_config.retryCapSeconds) * 1000;
        const int shift = std::min(attempts - 1, 30);
        row.nextAttemptAt = now.addMSecs(std::min(cap, base << shift));
        row.lastError = error;
        m_lastError.insert(channel, error);
        ++m_results[{channel, u"failed"_s}];
    }
    m_store.updateNotification(row);
    if (error.isEmpty())
        Q_EMIT delivered(channel, eventKey, status);
    else
        Q_EMIT deliveryFailed(channel, eventKey, error);
}

QByteArray Notifier::renderMetrics()
{
    QByteArray out;
    ListenerMetrics::appendHeader(out, "spotkeeper_notify_attempts_total", "counter",
                                  "Notification deliveries by channel and result.");
    for (auto it = m_results.cbegin(); it != m_results.cend(); ++it)
        ListenerMetrics::appendSample(
            out, "spotkeeper_notify_attempts_total",
            {{u"channel"_s, it.key().first}, {u"result"_s, it.key().second}}, double(it.value()));
    ListenerMetrics::appendHeader(out, "spotkeeper_notify_outbox", "gauge",
                                  "Outbox rows by channel and state (pending, delivered, failed).");
    for (const OutboxCount &count : m_store.notificationCounts())
        ListenerMetrics::appendSample(
            out, "spotkeeper_notify_outbox",
            {{u"channel"_s, count.channel}, {u"state"_s, toString(count.state)}},
            double(count.count));
    ListenerMetrics::appendHeader(out, "spotkeeper_notify_last_success_timestamp_seconds", "gauge",
                                  "When each channel last answered 2xx (unix seconds).");
    for (auto it = m_lastSuccessMs.cbegin(); it != m_lastSuccessMs.cend(); ++it)
        ListenerMetrics::appendSample(out, "spotkeeper_notify_last_success_timestamp_seconds",
                                      {{u"channel"_s, it.key()}}, double(it.value()) / 1000.0);
    return out;
}

bool isMailAddress(const QString &address)
{
    // [notify]'s own check of a from address.
    NotifyConfig probe;
    return probe.set(u"notify.probe"_s, u"from"_s, address).isEmpty();
}

QString checkChannelSecrets(const NotifyChannel &channel, ChannelSecrets *secrets)
{
    const QString where = u"notify channel '"_s + channel.name + u"': "_s;
    if (channel.type == ChannelType::Smtp) {
        if (secrets->url.isEmpty())
            secrets->url = QUrl(channel.url);
        if (!channel.username.isEmpty() && secrets->password.isEmpty())
            return where + u"the password for "_s + channel.username + u" is missing"_s;
        return {};
    }
    if (secrets->url.isEmpty() && !channel.url.isEmpty())
        secrets->url = QUrl(channel.url);
    if (secrets->url.isEmpty())
        return where + u"the URL is missing"_s;
    // [notify]'s own check of a URL (https, or http to a loopback address). The URL may be the
    // credential (Slack, Teams): a problem with it never quotes it.
    NotifyConfig probe;
    if (const QString problem = probe.set(u"notify.probe"_s, u"url"_s, secrets->url.toString());
        !problem.isEmpty())
        return where + u"the URL is unusable: "_s + problem;
    if (channel.type == ChannelType::Webhook && !secrets->secret)
        return where + u"the whsec_ signing secret is missing"_s;
    return {};
}

} // namespace spotkeeper::core
