// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/healthprobeconfig.h"
#include "protocol/webhooksignature.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// The agent's settings, merged from (highest first) the command line, SPOTKEEPER_*
// environment variables, the config file (key = value lines) and defaults; the
// names are listed in docs/AGENT.md. The agent key is read from a key file or the
// SPOTKEEPER_AGENT_KEY variable and never from the command line, which any local
// user can read. When neither dashboard-url nor a key is configured, the original
// design's WEBHOOK_URL + WEBHOOK_API_KEY variables select the legacy mode.
namespace spotkeeper::agent {

struct AgentConfig
{
    enum class Mode { Run, Check, Help, Version };
    Mode mode = Mode::Run;

    QUrl dashboardUrl; // base URL; routes /api/v1/notices and /api/v1/heartbeats
    protocol::AgentCredential credential;
    QString keySource; // where the key came from, for logs (never the key)

    bool legacy = false; // legacy POST /webhook with a bearer key
    QUrl legacyWebhookUrl; // full URL notices are POSTed to in legacy mode
    QByteArray legacyApiKey; // secret: never logged

    // Which metadata service tells this VM's identity and events (cloudselect.h).
    enum class Cloud { Azure, Gcp, Aws, Auto };
    Cloud cloud = Cloud::Azure;
    QUrl imdsUrl {QStringLiteral("http://169.254.169.254")};
    // Google's metadata server: imds-url when set, else GCE_METADATA_HOST, else the same
    // link-local address (which Google's metadata.google.internal resolves to).
    QUrl gceMetadataUrl {QStringLiteral("http://169.254.169.254")};
    // EC2's IMDSv2: imds-url when set, else AWS_EC2_METADATA_SERVICE_ENDPOINT (or with
    // AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 http://[fd00:ec2::254]), else this address.
    QUrl awsImdsUrl {QStringLiteral("http://169.254.169.254")};
    int pollIntervalMs = 1000;
    int heartbeatIntervalMs = 60'000;
    int firstPollTimeoutMs = 120'000; // IMDS may take two minutes to enable the service
    int pollTimeoutMs = 5'000;
    int deliveryTimeoutMs = 10'000;
    QString caFile; // extra CA certificates (PEM) for a private dashboard certificate
    QString spoolDir;
    bool acknowledgeEvents = false; // POST StartRequests for Preempt/Terminate after delivery
    QString drainHook; // command run before acknowledging
    int drainTimeoutMs = 20'000;
    HealthProbeConfig health; // the application health probe (health-*), if any
    QString configFile; // the file that was read; empty if none

    QStringList warnings; // non-fatal remarks worth a log line
};

struct ConfigResult
{
    std::optional<AgentConfig> config;
    QString error; // set when config is empty; never contains a secret
    QString text; // --help / --version output
};

ConfigResult loadAgentConfig(const QStringList &arguments, const QProcessEnvironment &environment);

} // namespace spotkeeper::agent
