// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/messages.h"

#include <QHash>
#include <QString>
#include <QUrl>

#include <optional>

// The agent's optional application health probe (docs/AGENT.md "Application health"): one
// of an HTTP(S) GET with an expected status, a TCP connect, or a command; every interval,
// each bounded by the timeout.
namespace spotkeeper::agent {

struct HealthProbeConfig
{
    std::optional<protocol::ProbeKind> kind; // nullopt: no probe
    QUrl url; // http: GET this
    int expectStatus = 0; // http: this status is healthy; 0 = any 2xx
    QString host; // tcp
    quint16 port = 0; // tcp
    QString command; // command: exit status 0 is healthy
    int timeoutMs = 5'000;
    int intervalMs = 10'000;
    QString caFile; // https: extra CA certificates (the agent's ca-file)

    bool enabled() const { return kind.has_value(); }
    QString describe() const; // "http https://127.0.0.1:8080/healthz (expect 2xx)", ...
};

// A duration setting (base/duration.h) from values, when present, within [minimumMs,
// maximumMs]; false and *error naming the setting otherwise. Shared by every agent setting.
bool readDurationSetting(const QHash<QString, QString> &values, QLatin1StringView name,
                         int minimumMs, qint64 maximumMs, int *target, QString *error);

// Reads the health-* settings (names with '-', as in the config file) into *probe; false and
// *error (naming the setting) on a bad value, several probes at once, or a setting without
// a probe. Durations follow base/duration.h.
bool readHealthProbe(const QHash<QString, QString> &values, HealthProbeConfig *probe,
                     QString *error);

} // namespace spotkeeper::agent
