// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/notification.h"

#include "fleet/eventtypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QString duration(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    if (s < 120)
        return QString::number(s) + u" s"_s;
    if (s < 7200)
        return QString::number(s / 60) + u" min"_s;
    return QString::number(s / 3600) + u" h "_s + QString::number((s % 3600) / 60) + u" min"_s;
}

QJsonObject vmFacts(const VmRecord &vm)
{
    return {
        {u"vm"_s, vm.name},
        {u"resourceId"_s, vm.resourceId.isEmpty() ? vm.resourceKey : vm.resourceId},
        {u"subscription"_s, vm.subscriptionId},
        {u"resourceGroup"_s, vm.resourceGroup},
        {u"region"_s, vm.location},
        {u"size"_s, vm.size},
    };
}

// "env=prod, team=ops": the VM's tags for {tags}, sorted by name.
QString tagText(const QMap<QString, QString> &tags)
{
    QStringList parts;
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        parts << (it.value().isEmpty() ? it.key() : it.key() + u'=' + it.value());
    return parts.join(u", "_s);
}

} // namespace

std::optional<Notification> notificationFor(const EventRecord &event, const VmRecord &vm,
                                            const JobRecord *job)
{
    Notification n;
    n.key = u"evt_"_s + QString::number(event.id);
    n.at = event.at;
    n.vmId = event.vmId;
    n.subscriptionId = vm.subscriptionId;
    n.vmTags = {vm.tags};
    n.facts = vmFacts(vm);
    if (!vm.tags.isEmpty())
        n.facts.insert(u"tags"_s, tagText(vm.tags));
    const QString name = vm.name.isEmpty() ? vm.resourceKey : vm.name;
    QString title;
    QString text = event.message;
    // The engine writes what an event means to its type (fleet/eventtypes.h); an agent's
    // notice keeps the Scheduled Events type there, so evictions go by the event's kind.
    const QString &type = event.eventType;
    if (event.kind == EventKind::Notice)
        return std::nullopt; // news once it is an eviction
    if (event.kind == EventKind::Eviction) {
        n.kind = u"eviction"_s;
        title = u"Spot VM "_s + name + u" evicted"_s;
    } else if (type == eventtype::kRestarted) {
        n.kind = type;
        title = u"VM "_s + name + u" restarted"_s;
        if (job != nullptr && (job->evictedAt.isValid() || job->createdAt.isValid())) {
            const QDateTime since = job->evictedAt.isValid() ? job->evictedAt : job->createdAt;
            const qint64 downtimeMs = std::max<qint64>(0, since.msecsTo(event.at));
            const qint64 seconds = downtimeMs / 1000;
            n.facts.insert(u"downtimeSeconds"_s, double(seconds));
            text = u"running again after "_s + duration(downtimeMs) + u" down"_s;
        }
    } else if (type == eventtype::kNeedsOperator) {
        n.kind = type;
        title = u"VM "_s + name + u" needs an operator"_s;
        const QString reason =
            job != nullptr && !job->reason.isEmpty() ? job->reason : event.message;
        n.facts.insert(u"reason"_s, reason);
        text = reason;
    } else if (type == eventtype::kStoppedOnPurpose) {
        n.kind = type;
        title = u"VM "_s + name + u" stopped on purpose"_s;
    } else if (type == eventtype::kStillDown) {
        n.kind = type;
        title = u"VM "_s + name + u" still down"_s;
    } else if (type == eventtype::kAgentSilent) {
        n.kind = type;
        title = u"Agent of "_s + name + u" silent (VM running)"_s;
    } else if (type == eventtype::kAppUnhealthy && event.kind == EventKind::Alert) {
        n.kind = type;
        title = u"Application on "_s + name + u" unhealthy (VM running)"_s;
    } else if (type == eventtype::kCapacity) {
        n.kind = type;
        title = u"Capacity errors for "_s + vm.size + u" in "_s + vm.location;
        if (!event.armErrorCode.isEmpty())
            n.facts.insert(u"error"_s, event.armErrorCode);
    } else {
        return std::nullopt; // not news (a start attempt, a power change, ...)
    }
    n.facts.insert(u"kind"_s, n.kind);
    n.facts.insert(u"id"_s, n.key);
    n.facts.insert(u"at"_s, event.at.toUTC().toString(Qt::ISODate));
    n.facts.insert(u"title"_s, title);
    n.facts.insert(u"text"_s, text);
    n.facts.insert(u"count"_s, 1);
    return n;
}

Notification groupEvictions(const QList<Notification> &evictions,
                            const QHash<qint64, int> &evictionCounts, int maxNamed)
{
    Notification g;
    g.kind = u"eviction"_s;
    if (evictions.isEmpty())
        return g;
    g.key = u"grp_"_s + evictions.constFirst().key.mid(4) + u'_' + evictions.constLast().key.mid(4);
    g.at = evictions.constFirst().at;
    QMap<QString, int> regions;
    QSet<QString> subscriptions;
    QList<const Notification *> worst;
    for (const Notification &n : evictions) {
        ++regions[n.facts.value(u"region"_s).toString()];
        subscriptions.insert(n.subscriptionId);
        g.vmTags.append(n.vmTags);
        worst.append(&n);
    }
    // The worst cases first: VMs evicted most often recently, then in order of eviction.
    std::stable_sort(worst.begin(), worst.end(), [&](const Notification *a, const Notification *b) {
        return evictionCounts.value(a->vmId) > evictionCounts.value(b->vmId);
    });
    QJsonArray named;
    QStringList namedText;
    for (qsizetype i = 0; i < std::min<qsizetype>(maxNamed, worst.size()); ++i) {
        const Notification *n = worst.at(i);
        const QString vm = n->facts.value(u"vm"_s).toString();
        const int count = evictionCounts.value(n->vmId, 1);
        named.append(QJsonObject {{u"vm"_s, vm},
                                  {u"resourceId"_s, n->facts.value(u"resourceId"_s)},
                                  {u"evictions7d"_s, count}});
        namedText << (count > 1 ? QString(vm + u" ("_s + QString::number(count) + u" in 7 days)"_s)
                                : vm);
    }
    QJsonObject regionCounts;
    QStringList regionText;
    for (auto it = regions.cbegin(); it != regions.cend(); ++it) {
        const QString region = it.key().isEmpty() ? u"unknown region"_s : it.key();
        regionCounts.insert(region, it.value());
        regionText << region + u' ' + QString::number(it.value());
    }
    const qint64 spanMs = evictions.constFirst().at.msecsTo(evictions.constLast().at);
    const int count = int(evictions.size());
    if (subscriptions.size() == 1)
        g.subscriptionId = *subscriptions.cbegin();
    QString text = QString::number(count) + u" evictions within "_s
        + QString::number(std::max<qint64>(1, (spanMs + 999) / 1000)) + u" s ("_s
        + regionText.join(u", "_s) + u"); "_s + u"worst: "_s + namedText.join(u", "_s);
    if (count > named.size())
        text += u" and "_s + QString::number(count - named.size()) + u" more"_s;
    g.facts = QJsonObject {
        {u"kind"_s, g.kind},
        {u"id"_s, g.key},
        {u"at"_s, g.at.toUTC().toString(Qt::ISODate)},
        {u"title"_s, QString(QString::number(count) + u" Spot VMs evicted"_s)},
        {u"text"_s, text},
        {u"count"_s, count},
        {u"regions"_s, regionCounts},
        {u"worst"_s, named},
        {u"vm"_s, QString(QString::number(count) + u" VMs"_s)},
    };
    return g;
}

QString defaultSubject()
{
    return u"[SpotKeeper] {title}"_s;
}

QString defaultTemplate(ChannelType type)
{
    switch (type) {
    case ChannelType::Slack:
        return u"*{title}*\n{text}"_s;
    case ChannelType::Smtp:
        return u"{title}\n\n{text}\n\n{at} ({id})"_s;
    case ChannelType::Teams:
    case ChannelType::Webhook:
        break;
    }
    return u"{title}: {text}"_s;
}

QString renderText(const QString &templateText, const QJsonObject &facts)
{
    static const QRegularExpression placeholder(u"\\{([a-zA-Z_]+)\\}"_s);
    QString out;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(templateText);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(templateText).mid(last, m.capturedStart() - last);
        // snake_case placeholders name the camelCase facts: {resource_id} -> resourceId.
        QString key;
        bool upper = false;
        for (const QChar c : m.capturedView(1)) {
            if (c == u'_') {
                upper = true;
                continue;
            }
            key += upper ? c.toUpper() : c;
            upper = false;
        }
        if (key == "downtime"_L1)
            key = u"downtimeSeconds"_s;
        const QJsonValue value = facts.value(key);
        if (value.isString())
            out += value.toString();
        else if (value.isDouble())
            out += QString::number(value.toDouble(), 'f', 0);
        else if (value.isUndefined())
            out += m.captured(0); // unknown: left as written
        last = m.capturedEnd();
    }
    out += QStringView(templateText).mid(last);
    return out;
}

QByteArray channelBody(ChannelType type, const QString &templateText, const QString &kind,
                       const QJsonObject &facts)
{
    const QString text =
        renderText(templateText.isEmpty() ? defaultTemplate(type) : templateText, facts);
    QJsonObject body;
    switch (type) {
    case ChannelType::Smtp:
        return text.toUtf8(); // the mail's body (smtpmail.h makes the message)
    case ChannelType::Slack:
        body = QJsonObject {{u"text"_s, text}};
        break;
    case ChannelType::Teams: {
        const QJsonObject card {
            {u"$schema"_s, u"http://adaptivecards.io/schemas/adaptive-card.json"_s},
            {u"type"_s, u"AdaptiveCard"_s},
            {u"version"_s, u"1.2"_s},
            {u"body"_s,
             QJsonArray {
                 QJsonObject {{u"type"_s, u"TextBlock"_s}, {u"text"_s, text}, {u"wrap"_s, true}}}},
        };
        body = QJsonObject {{u"type"_s, u"message"_s},
                            {u"attachments"_s,
                             QJsonArray {QJsonObject {
                                 {u"contentType"_s, u"application/vnd.microsoft.card.adaptive"_s},
                                 {u"contentUrl"_s, QJsonValue()},
                                 {u"content"_s, card}}}}};
        break;
    }
    case ChannelType::Webhook: {
        QJsonObject data = facts;
        data.insert(u"message"_s, text);
        body = QJsonObject {{u"type"_s, QString(u"spotkeeper."_s + kind)},
                            {u"timestamp"_s, facts.value(u"at"_s)},
                            {u"data"_s, data}};
        break;
    }
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace spotkeeper::core
