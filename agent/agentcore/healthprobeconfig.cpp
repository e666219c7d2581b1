// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/healthprobeconfig.h"

#include "base/duration.h"

#include <QProcess>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

// "host:port" or "[v6]:port"; a bare port means 127.0.0.1.
bool readTcpTarget(const QString &text, HealthProbeConfig *probe, QString *error)
{
    QString host = u"127.0.0.1"_s;
    QString port = text.trimmed();
    const qsizetype colon = port.lastIndexOf(u':');
    if (colon >= 0) {
        host = port.left(colon);
        port = port.mid(colon + 1);
        if (host.startsWith(u'[') && host.endsWith(u']'))
            host = host.mid(1, host.size() - 2);
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number == 0 || number > 65535 || host.isEmpty() || host.contains(u' ')) {
        *error = u"health-tcp: '%1' is not host:port (e.g. 127.0.0.1:5432)"_s.arg(text);
        return false;
    }
    probe->host = host;
    probe->port = quint16(number);
    return true;
}

} // namespace

bool readDurationSetting(const QHash<QString, QString> &values, QLatin1StringView name,
                         int minimumMs, qint64 maximumMs, int *target, QString *error)
{
    if (!values.contains(name))
        return true;
    const QString text = values.value(name);
    QString problem;
    const auto ms = base::parseDuration(text, &problem);
    if (!ms) {
        *error = name + u": "_s + problem;
        return false;
    }
    if (*ms < minimumMs || *ms > maximumMs) {
        const qint64 day = 24LL * 3600 * 1000;
        const QString most = maximumMs % day == 0 ? u"%1 days"_s.arg(maximumMs / day)
                                                  : u"%1 s"_s.arg(maximumMs / 1000);
        *error = u"%1: '%2' is not a duration of at least %3 ms and at most %4 (e.g. 500ms, "
                 "1s, 2m)"_s.arg(name, text)
                     .arg(minimumMs)
                     .arg(most);
        return false;
    }
    *target = int(*ms);
    return true;
}

QString HealthProbeConfig::describe() const
{
    if (!kind)
        return u"none"_s;
    switch (*kind) {
    case protocol::ProbeKind::Http:
        return u"http %1 (expect %2)"_s.arg(
            url.toString(), expectStatus == 0 ? u"2xx"_s : QString::number(expectStatus));
    case protocol::ProbeKind::Tcp:
        return u"tcp %1:%2"_s.arg(host).arg(port);
    case protocol::ProbeKind::Command:
        return u"command %1"_s.arg(command);
    }
    return {};
}

bool readHealthProbe(const QHash<QString, QString> &values, HealthProbeConfig *probe,
                     QString *error)
{
    const QString url = values.value("health-url"_L1).trimmed();
    const QString tcp = values.value("health-tcp"_L1).trimmed();
    const QString command = values.value("health-command"_L1).trimmed();
    if (int(!url.isEmpty()) + int(!tcp.isEmpty()) + int(!command.isEmpty()) > 1) {
        *error = u"health-url, health-tcp and health-command: set one probe, not several"_s;
        return false;
    }
    if (!url.isEmpty()) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.host().isEmpty()
            || (parsed.scheme() != "http"_L1 && parsed.scheme() != "https"_L1)) {
            *error = u"health-url: '%1' is not an http(s) URL with a host"_s.arg(url);
            return false;
        }
        if (!parsed.userInfo().isEmpty()) {
            *error = u"health-url: credentials do not belong in the URL"_s;
            return false;
        }
        probe->kind = protocol::ProbeKind::Http;
        probe->url = parsed;
    } else if (!tcp.isEmpty()) {
        if (!readTcpTarget(tcp, probe, error))
            return false;
        probe->kind = protocol::ProbeKind::Tcp;
    } else if (!command.isEmpty()) {
        if (QProcess::splitCommand(command).isEmpty()) {
            *error = u"health-command: cannot split the command line"_s;
            return false;
        }
        probe->kind = protocol::ProbeKind::Command;
        probe->command = command;
    }
    if (values.contains("health-status"_L1)) {
        bool ok = false;
        const int status = values.value("health-status"_L1).trimmed().toInt(&ok);
        if (!ok || status < 100 || status > 599) {
            *error = u"health-status: '%1' is not an HTTP status (100-599)"_s.arg(
                values.value("health-status"_L1));
            return false;
        }
        if (probe->kind != protocol::ProbeKind::Http) {
            *error = u"health-status: only an HTTP probe (health-url) has a status"_s;
            return false;
        }
        probe->expectStatus = status;
    }
    if (!readDurationSetting(values, "health-timeout"_L1, 100, 600'000, &probe->timeoutMs, error)
        || !readDurationSetting(values, "health-interval"_L1, 1'000, 3'600'000, &probe->intervalMs,
                                error))
        return false;
    const bool tuned =
        values.contains("health-timeout"_L1) || values.contains("health-interval"_L1);
    if (tuned && !probe->enabled()) {
        *error = u"health-timeout/health-interval: no probe is set (health-url, health-tcp or "
                 "health-command)"_s;
        return false;
    }
    if (probe->timeoutMs >= probe->intervalMs) {
        *error = u"health-timeout: %1 ms must be shorter than health-interval (%2 ms)"_s
                     .arg(probe->timeoutMs)
                     .arg(probe->intervalMs);
        return false;
    }
    return true;
}

} // namespace spotkeeper::agent
