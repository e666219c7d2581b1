// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/notifyconfig.h"

#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QString readFileTrimmed(const QString &path, const QString &what, const QString &channel,
                        QByteArray *out)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return u"notify channel '"_s + channel + u"': cannot read the "_s + what + u" file "_s
            + path + u": "_s + file.errorString();
    *out = file.readAll().trimmed();
    if (out->isEmpty())
        return u"notify channel '"_s + channel + u"': the "_s + what + u" file "_s + path
            + u" is empty"_s;
    return QString();
}

bool isLoopback(const QString &host)
{
    const QHostAddress address(host);
    return host == "localhost"_L1 || (!address.isNull() && address.isLoopback());
}

// https anywhere; plain http only to a loopback address (tests, a local relay).
QString checkUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return u"not a valid URL"_s;
    if (url.scheme() == "https"_L1)
        return QString();
    if (url.scheme() == "http"_L1) {
        if (isLoopback(url.host()))
            return QString();
        return u"plain http is allowed only to a loopback address; use https"_s;
    }
    return u"expected an https:// URL"_s;
}

// smtps:// anywhere; smtp:// with STARTTLS required anywhere, without only to a loopback
// address (a local relay). Never a user name or password in the URL (password_file).
QString checkSmtpUrl(const QUrl &url, bool requireStartTls)
{
    if (!url.isValid() || url.host().isEmpty())
        return u"not a valid URL"_s;
    if (!url.userInfo().isEmpty())
        return u"no credentials in the URL: use username and password_file"_s;
    if (url.scheme() == "smtps"_L1)
        return QString();
    if (url.scheme() != "smtp"_L1)
        return u"expected smtp://host:587 or smtps://host:465"_s;
    if (!requireStartTls && !isLoopback(url.host()))
        return u"starttls = off is allowed only to a loopback address"_s;
    return QString();
}

// A plain mailbox, local@domain: nothing that could end a header or an SMTP command.
bool isAddress(const QString &address)
{
    static const QRegularExpression pattern(uR"(^[^\s<>()\[\],;:\\"@]+@[A-Za-z0-9.-]+$)"_s);
    return pattern.match(address).hasMatch();
}

QString integer(const QString &value, int min, int max, int *out)
{
    bool ok = false;
    const int n = value.toInt(&ok);
    if (!ok || n < min || n > max)
        return u"expected a whole number from %1 to %2"_s.arg(min).arg(max);
    *out = n;
    return QString();
}

QStringList list(const QString &value)
{
    QStringList out;
    for (const QString &part : value.split(u',', Qt::SkipEmptyParts))
        if (const QString item = part.trimmed(); !item.isEmpty())
            out << item;
    return out;
}

} // namespace

QString toString(ChannelType type)
{
    switch (type) {
    case ChannelType::Slack:
        return u"slack"_s;
    case ChannelType::Teams:
        return u"teams"_s;
    case ChannelType::Smtp:
        return u"smtp"_s;
    case ChannelType::Webhook:
        break;
    }
    return u"webhook"_s;
}

QStringList notificationKinds()
{
    return {u"eviction"_s,   u"restarted"_s,    u"needs_operator"_s, u"stopped"_s,
            u"still_down"_s, u"agent_silent"_s, u"capacity"_s,       u"app_unhealthy"_s};
}

bool NotifyChannel::wants(const QString &kind, const QString &subscriptionId,
                          const QList<QMap<QString, QString>> &vmTags) const
{
    if (!events.isEmpty() && !events.contains(kind))
        return false;
    if (!subscriptions.isEmpty() && !subscriptionId.isEmpty()
        && !subscriptions.contains(subscriptionId, Qt::CaseInsensitive))
        return false;
    if (tags.isEmpty())
        return true;
    // Tag names compare without regard to case (as Azure's do), values exactly.
    const auto carries = [](const QMap<QString, QString> &vm, const QString &selector) {
        const qsizetype eq = selector.indexOf(u'=');
        const QString name = eq < 0 ? selector : selector.left(eq).trimmed();
        for (auto it = vm.cbegin(); it != vm.cend(); ++it)
            if (it.key().compare(name, Qt::CaseInsensitive) == 0
                && (eq < 0 || it.value() == selector.mid(eq + 1).trimmed()))
                return true;
        return false;
    };
    for (const QMap<QString, QString> &vm : vmTags)
        for (const QString &selector : tags)
            if (carries(vm, selector))
                return true;
    return false;
}

QString NotifyConfig::set(const QString &section, const QString &key, const QString &value)
{
    if (section == "notify"_L1) {
        if (key == "group_window_seconds"_L1)
            return integer(value, 0, 3600, &groupWindowSeconds);
        if (key == "group_min"_L1)
            return integer(value, 2, 100'000, &groupMin);
        if (key == "retry_base_seconds"_L1)
            return integer(value, 1, 3600, &retryBaseSeconds);
        if (key == "retry_cap_seconds"_L1)
            return integer(value, 1, 86'400, &retryCapSeconds);
        if (key == "timeout_seconds"_L1) {
            int seconds = 0;
            const QString problem = integer(value, 1, 300, &seconds);
            timeoutMs = seconds * 1000;
            return problem;
        }
        return u"unknown setting"_s;
    }
    const QString name = section.mid(int(qstrlen("notify.")));
    static const QRegularExpression namePattern(u"^[a-z0-9][a-z0-9_-]{0,63}$"_s);
    if (!section.startsWith("notify."_L1) || !namePattern.match(name).hasMatch())
        return u"a channel section is [notify.<name>], the name of letters, digits, '-', '_'"_s;
    auto it = std::find_if(channels.begin(), channels.end(),
                           [&](const NotifyChannel &c) { return c.name == name; });
    if (it == channels.end()) {
        channels.append(NotifyChannel {});
        it = channels.end() - 1;
        it->name = name;
    }
    NotifyChannel &c = *it;
    if (key == "type"_L1) {
        if (value == "webhook"_L1)
            c.type = ChannelType::Webhook;
        else if (value == "slack"_L1)
            c.type = ChannelType::Slack;
        else if (value == "teams"_L1)
            c.type = ChannelType::Teams;
        else if (value == "smtp"_L1)
            c.type = ChannelType::Smtp;
        else
            return u"expected webhook, slack, teams or smtp"_s;
        return QString();
    }
    if (key == "url"_L1) {
        const QUrl url(value);
        if (url.scheme().startsWith("smtp"_L1)) {
            if (const QString problem = checkSmtpUrl(url, true); !problem.isEmpty())
                return problem;
        } else if (const QString problem = checkUrl(url); !problem.isEmpty()) {
            return problem;
        }
        c.url = value;
        return QString();
    }
    if (key == "from"_L1) {
        if (!isAddress(value))
            return u"expected an e-mail address (name@example.com)"_s;
        c.from = value;
        return QString();
    }
    if (key == "to"_L1) {
        const QStringList addresses = list(value);
        for (const QString &address : addresses)
            if (!isAddress(address))
                return u"not an e-mail address: "_s + address;
        if (addresses.isEmpty())
            return u"expected one or more e-mail addresses"_s;
        c.to = addresses;
        return QString();
    }
    if (key == "username"_L1) {
        if (value.contains(u'\n') || value.contains(u'\r'))
            return u"a user name is one line"_s;
        c.username = value;
        return QString();
    }
    if (key == "password_file"_L1) {
        c.passwordFile = value;
        return QString();
    }
    if (key == "starttls"_L1) {
        if (value != "required"_L1 && value != "off"_L1)
            return u"expected required or off"_s;
        c.requireStartTls = value == "required"_L1;
        return QString();
    }
    if (key == "ca_file"_L1) {
        c.caFile = value;
        return QString();
    }
    if (key == "subject"_L1) {
        c.subjectTemplate = value;
        return QString();
    }
    if (key == "url_file"_L1) {
        c.urlFile = value;
        return QString();
    }
    if (key == "secret_file"_L1) {
        c.secretFile = value;
        return QString();
    }
    if (key == "events"_L1) {
        const QStringList kinds = list(value);
        for (const QString &kind : kinds)
            if (!notificationKinds().contains(kind))
                return u"unknown event '"_s + kind + u"' (expected "_s
                    + notificationKinds().join(u", "_s) + u')';
        c.events = kinds;
        return QString();
    }
    if (key == "subscriptions"_L1) {
        c.subscriptions = list(value);
        return QString();
    }
    if (key == "tags"_L1) {
        const QStringList selectors = list(value);
        for (const QString &selector : selectors)
            if (selector.startsWith(u'='))
                return u"a tag is name or name=value"_s;
        c.tags = selectors;
        return QString();
    }
    if (key == "template"_L1) {
        c.templateText = value;
        c.templateText.replace(u"\\n"_s, u"\n"_s);
        return QString();
    }
    return u"unknown setting"_s;
}

QString NotifyConfig::validate() const
{
    for (const NotifyChannel &c : channels) {
        const QString where = u"notify channel '"_s + c.name + u"': "_s;
        const bool mailUrl = QUrl(c.url).scheme().startsWith("smtp"_L1);
        if (c.type == ChannelType::Smtp) {
            if (c.url.isEmpty() || !mailUrl)
                return where + u"an smtp channel needs url = smtp://host:587 or smtps://host:465"_s;
            if (const QString problem = checkSmtpUrl(QUrl(c.url), c.requireStartTls);
                !problem.isEmpty())
                return where + problem;
            if (c.from.isEmpty() || c.to.isEmpty())
                return where + u"an smtp channel needs from and to"_s;
            if (c.username.isEmpty() != c.passwordFile.isEmpty())
                return where + u"username and password_file go together"_s;
            continue;
        }
        if (mailUrl)
            return where + u"an smtp:// URL needs type = smtp"_s;
        if (c.url.isEmpty() && c.urlFile.isEmpty())
            return where + u"needs url or url_file"_s;
        if (c.type != ChannelType::Webhook && !c.url.isEmpty())
            return where + u"a "_s + toString(c.type)
                + u" webhook URL is a secret: put it in a file named by url_file"_s;
        if (c.type == ChannelType::Webhook && c.secretFile.isEmpty())
            return where + u"a webhook channel needs secret_file (its whsec_ signing secret)"_s;
    }
    if (retryCapSeconds < retryBaseSeconds)
        return u"notify: retry_cap_seconds is below retry_base_seconds"_s;
    return QString();
}

QString loadChannelSecrets(const NotifyChannel &channel, ChannelSecrets *out)
{
    *out = {};
    QString url = channel.url;
    if (!channel.urlFile.isEmpty()) {
        QByteArray bytes;
        if (QString problem = readFileTrimmed(channel.urlFile, u"URL"_s, channel.name, &bytes);
            !problem.isEmpty())
            return problem;
        url = QString::fromUtf8(bytes);
        // The URL is the credential: a problem with it never quotes it.
        if (const QString problem = checkUrl(QUrl(url)); !problem.isEmpty())
            return u"notify channel '"_s + channel.name + u"': the URL in "_s + channel.urlFile
                + u" is unusable: "_s + problem;
    }
    out->url = QUrl(url);
    if (!channel.caFile.isEmpty() && !QFile::exists(channel.caFile))
        return u"notify channel '"_s + channel.name + u"': the CA file "_s + channel.caFile
            + u" does not exist"_s;
    if (!channel.passwordFile.isEmpty()) {
        if (QString problem =
                readFileTrimmed(channel.passwordFile, u"password"_s, channel.name, &out->password);
            !problem.isEmpty())
            return problem;
    }
    if (!channel.secretFile.isEmpty()) {
        QByteArray bytes;
        if (QString problem =
                readFileTrimmed(channel.secretFile, u"secret"_s, channel.name, &bytes);
            !problem.isEmpty())
            return problem;
        QString why;
        out->secret = protocol::WebhookSecret::fromString(QString::fromUtf8(bytes), &why);
        if (!out->secret)
            return u"notify channel '"_s + channel.name + u"': the secret in "_s
                + channel.secretFile + u" is not a whsec_ secret: "_s + why;
    }
    return QString();
}

} // namespace spotkeeper::core
