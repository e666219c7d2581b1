// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/agentconfig.h"

#include "agentcore/ec2imdsclient.h"
#include "agentcore/gcemetadataclient.h"
#include "base/configfile.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>

#include <array>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

struct Setting
{
    QLatin1StringView name; // command line option and config file key
    QLatin1StringView env; // environment variable
    QLatin1StringView valueName;
    QLatin1StringView help;
};

constexpr std::array kSettings = {
    Setting {"dashboard-url"_L1, "SPOTKEEPER_DASHBOARD_URL"_L1, "url"_L1,
             "Dashboard base URL, e.g. https://spotkeeper.example.com:8443"_L1},
    Setting {"key-file"_L1, "SPOTKEEPER_AGENT_KEY_FILE"_L1, "path"_L1,
             "Agent key file, one line \"<keyId> whsec_...\" (default: "
             "$CREDENTIALS_DIRECTORY/agent.key, then /etc/spotkeeper-agent/agent.key)"_L1},
    Setting {"cloud"_L1, "SPOTKEEPER_CLOUD"_L1, "azure|gcp|aws|auto"_L1,
             "Where this VM runs: azure (IMDS), gcp (Compute Engine metadata server), aws "
             "(EC2 IMDSv2) or auto (ask the metadata address once; default azure)"_L1},
    Setting {"imds-url"_L1, "SPOTKEEPER_IMDS_URL"_L1, "url"_L1,
             "Metadata service base URL (default http://169.254.169.254; for gcp also "
             "GCE_METADATA_HOST, for aws also AWS_EC2_METADATA_SERVICE_ENDPOINT)"_L1},
    Setting {"poll-interval"_L1, "SPOTKEEPER_POLL_INTERVAL"_L1, "duration"_L1,
             "Scheduled Events poll interval, at least 200ms (default 1s)"_L1},
    Setting {"heartbeat-interval"_L1, "SPOTKEEPER_HEARTBEAT_INTERVAL"_L1, "duration"_L1,
             "Heartbeat interval (default 60s)"_L1},
    Setting {"first-poll-timeout"_L1, "SPOTKEEPER_FIRST_POLL_TIMEOUT"_L1, "duration"_L1,
             "Timeout until IMDS first answers Scheduled Events (default 120s)"_L1},
    Setting {"poll-timeout"_L1, "SPOTKEEPER_POLL_TIMEOUT"_L1, "duration"_L1,
             "Timeout of later IMDS requests (default 5s)"_L1},
    Setting {"delivery-timeout"_L1, "SPOTKEEPER_DELIVERY_TIMEOUT"_L1, "duration"_L1,
             "Timeout of one request to the dashboard (default 10s)"_L1},
    Setting {"ca-file"_L1, "SPOTKEEPER_CA_FILE"_L1, "path"_L1,
             "Extra CA certificates (PEM) trusted for the dashboard"_L1},
    Setting {"spool-dir"_L1, "SPOTKEEPER_SPOOL_DIR"_L1, "path"_L1,
             "Directory of the notice spool (default $STATE_DIRECTORY, then "
             "/var/lib/spotkeeper-agent)"_L1},
    Setting {"acknowledge-events"_L1, "SPOTKEEPER_ACKNOWLEDGE_EVENTS"_L1, "yes|no"_L1,
             "Approve Preempt/Terminate events (StartRequests) once delivered (default no)"_L1},
    Setting {"drain-hook"_L1, "SPOTKEEPER_DRAIN_HOOK"_L1, "command"_L1,
             "Command run before approving an event"_L1},
    Setting {"drain-timeout"_L1, "SPOTKEEPER_DRAIN_TIMEOUT"_L1, "duration"_L1,
             "Time limit of the drain hook (default 20s)"_L1},
    Setting {"health-url"_L1, "SPOTKEEPER_HEALTH_URL"_L1, "url"_L1,
             "Application health probe: GET this http(s) URL"_L1},
    Setting {"health-status"_L1, "SPOTKEEPER_HEALTH_STATUS"_L1, "status"_L1,
             "HTTP status of a healthy application (default any 2xx)"_L1},
    Setting {"health-tcp"_L1, "SPOTKEEPER_HEALTH_TCP"_L1, "host:port"_L1,
             "Application health probe: connect to this TCP port"_L1},
    Setting {"health-command"_L1, "SPOTKEEPER_HEALTH_COMMAND"_L1, "command"_L1,
             "Application health probe: run this command, healthy on exit status 0"_L1},
    Setting {"health-timeout"_L1, "SPOTKEEPER_HEALTH_TIMEOUT"_L1, "duration"_L1,
             "Time limit of one health probe (default 5s)"_L1},
    Setting {"health-interval"_L1, "SPOTKEEPER_HEALTH_INTERVAL"_L1, "duration"_L1,
             "Health probe interval (default 10s)"_L1},
};

// Options that would put a secret on the command line, where `ps` shows it to everyone.
constexpr std::array kForbiddenOptions = {"key"_L1,     "agent-key"_L1,       "secret"_L1,
                                          "api-key"_L1, "webhook-api-key"_L1, "token"_L1};

constexpr qint64 kLongestDurationMs = 7LL * 24 * 3600 * 1000;

const QString kKeyRefusal =
    u"refusing to take an agent key from the command line, where any local user can read "
    "it; put it in a key file (--key-file, mode 0600) or the SPOTKEEPER_AGENT_KEY "
    "environment variable"_s;

// Where config, key and spool live when nothing says otherwise. Windows has no /etc:
// the service keeps everything under %ProgramData%\SpotKeeper (docs/AGENT.md).
QString defaultConfigDir(const QProcessEnvironment &env)
{
#ifdef Q_OS_WIN
    const QString programData = env.value(u"ProgramData"_s, u"C:/ProgramData"_s);
    return QDir::fromNativeSeparators(programData) + u"/SpotKeeper"_s;
#else
    Q_UNUSED(env);
    return u"/etc/spotkeeper-agent"_s;
#endif
}

QString defaultSpoolDir(const QProcessEnvironment &env)
{
#ifdef Q_OS_WIN
    return defaultConfigDir(env) + u"/spool"_s;
#else
    Q_UNUSED(env);
    return u"/var/lib/spotkeeper-agent"_s;
#endif
}

bool isForbiddenArgument(const QString &argument)
{
    if (argument.contains("whsec_"_L1))
        return true;
    QStringView option(argument);
    if (!option.startsWith(u'-'))
        return false;
    while (option.startsWith(u'-'))
        option = option.mid(1);
    const qsizetype equals = option.indexOf(u'=');
    if (equals >= 0)
        option = option.left(equals);
    for (const auto forbidden : kForbiddenOptions) {
        if (option.compare(forbidden, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

const Setting *findSetting(QStringView name)
{
    for (const Setting &setting : kSettings) {
        if (setting.name == name)
            return &setting;
    }
    return nullptr;
}

// The config file's settings (base/configfile.h has the syntax); `_` and `-` are the same
// in a key. The agent key is refused here: the config file is world-readable by design.
bool readConfigFile(const QString &path, QHash<QString, QString> *values, QString *error)
{
    const auto file = base::ConfigFile::read(path, base::ConfigFile::Sections::None, error);
    if (!file)
        return false;
    for (const base::ConfigEntry &entry : file->entries()) {
        const QString key = QString(entry.key).replace(u'_', u'-');
        if (key == "agent-key"_L1 || key == "key"_L1 || key == "secret"_L1) {
            *error = file->errorAt(entry.line,
                                   u"the agent key does not belong in the config file; point "
                                   "key-file at a file of mode 0600 instead"_s);
            return false;
        }
        if (!findSetting(key)) {
            *error = file->errorAt(entry.line, u"unknown setting '%1'"_s.arg(key));
            return false;
        }
        values->insert(key, entry.value);
    }
    return true;
}

bool parseUrl(const QString &name, const QString &text, QUrl *url, QString *error)
{
    const QUrl parsed = QUrl::fromUserInput(text.trimmed());
    if (text.trimmed().isEmpty() || !parsed.isValid() || parsed.host().isEmpty()
        || (parsed.scheme() != "http"_L1 && parsed.scheme() != "https"_L1)) {
        *error = u"%1: '%2' is not an http(s) URL with a host"_s.arg(name, text);
        return false;
    }
    if (!parsed.userInfo().isEmpty()) {
        *error = u"%1: credentials do not belong in the URL"_s.arg(name);
        return false;
    }
    *url = parsed;
    return true;
}

QString firstDirectory(const QString &systemdList)
{
    // systemd passes StateDirectory= etc. as a colon-separated list.
    return systemdList.split(u':', Qt::SkipEmptyParts).value(0);
}

bool loadCredential(const QProcessEnvironment &env, const QString &keyFile, bool keyFileExplicit,
                    AgentConfig *out, QString *error)
{
    QByteArray contents;
    if (env.contains("SPOTKEEPER_AGENT_KEY"_L1)) {
        contents = env.value("SPOTKEEPER_AGENT_KEY"_L1).toUtf8();
        out->keySource = u"environment variable SPOTKEEPER_AGENT_KEY"_s;
    } else {
        QFile file(keyFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = u"cannot read the agent key file %1: %2%3"_s.arg(
                keyFile, file.errorString(),
                keyFileExplicit ? QString() : u" (set key-file or SPOTKEEPER_AGENT_KEY)"_s);
            return false;
        }
        contents = file.readAll();
        out->keySource = u"key file "_s + keyFile;
        const QFileDevice::Permissions loose = QFileDevice::ReadOther | QFileDevice::ReadGroup;
        if (file.permissions() & loose)
            out->warnings.append(
                u"key file %1 is readable by other users; chmod 0600 it"_s.arg(keyFile));
    }
    QString parseError;
    const auto credential = protocol::AgentCredential::parse(contents, &parseError);
    if (!credential || credential->secrets.isEmpty()) {
        *error = u"agent key from %1 is invalid: %2"_s.arg(
            out->keySource, parseError.isEmpty() ? u"no secret found"_s : parseError);
        return false;
    }
    out->credential = *credential;
    return true;
}

} // namespace

namespace {

// cloud, and where Google's metadata server is: imds-url wins, then the GCE_METADATA_HOST
// ("host[:port]") that Google's own client libraries honour, then the default address.
bool readCloud(const QHash<QString, QString> &values, const QProcessEnvironment &env,
               AgentConfig *config, QString *error)
{
    const QString cloud = values.value("cloud"_L1, u"azure"_s).trimmed().toLower();
    if (cloud == "azure"_L1) {
        config->cloud = AgentConfig::Cloud::Azure;
    } else if (cloud == "gcp"_L1) {
        config->cloud = AgentConfig::Cloud::Gcp;
    } else if (cloud == "aws"_L1) {
        config->cloud = AgentConfig::Cloud::Aws;
    } else if (cloud == "auto"_L1) {
        config->cloud = AgentConfig::Cloud::Auto;
    } else {
        *error = u"cloud: '%1' is not azure, gcp, aws or auto"_s.arg(values.value("cloud"_L1));
        return false;
    }
    if (values.contains("imds-url"_L1)) {
        config->gceMetadataUrl = config->imdsUrl;
        config->awsImdsUrl = config->imdsUrl;
        return true;
    }
    // The AWS SDKs' variables, read only for aws and auto (Azure ignores them).
    if (config->cloud == AgentConfig::Cloud::Aws || config->cloud == AgentConfig::Cloud::Auto) {
        const QUrl url = Ec2ImdsClient::urlFromEnvironment(
            env.value("AWS_EC2_METADATA_SERVICE_ENDPOINT"_L1),
            env.value("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"_L1), error);
        if (!url.isValid())
            return false;
        config->awsImdsUrl = url;
    }
    if (const QString host = env.value("GCE_METADATA_HOST"_L1); !host.isEmpty()) {
        const QUrl url = GceMetadataClient::urlFromHostVariable(host);
        if (!url.isValid()) {
            *error = u"GCE_METADATA_HOST: '%1' is not host or host:port"_s.arg(host);
            return false;
        }
        config->gceMetadataUrl = url;
    }
    return true;
}

} // namespace

ConfigResult loadAgentConfig(const QStringList &arguments, const QProcessEnvironment &env)
{
    for (const QString &argument : arguments.mid(1)) {
        if (isForbiddenArgument(argument))
            return {std::nullopt, kKeyRefusal, {}};
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Watches this VM's eviction and maintenance notices (Azure Scheduled Events, Google "
        "Cloud's metadata server, EC2 instance metadata) and reports them to SpotKeeper."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption version({u"v"_s, u"version"_s}, u"Show the version."_s);
    const QCommandLineOption check(u"check"_s,
                                   u"Check metadata, Scheduled Events and the "
                                   "dashboard once, print the results and exit."_s);
    const QCommandLineOption configOption(
        u"config"_s,
        u"Config file (default $CONFIGURATION_DIRECTORY/agent.conf, then "
        "/etc/spotkeeper-agent/agent.conf)"_s,
        u"path"_s);
    parser.addOptions({help, version, check, configOption});
    for (const Setting &setting : kSettings)
        parser.addOption(QCommandLineOption(
            QString(setting.name), QString(setting.help) + u" [env "_s + setting.env + u"]"_s,
            QString(setting.valueName)));
    if (!parser.parse(arguments))
        return {std::nullopt, parser.errorText() + u" (see --help)"_s, {}};
    if (!parser.positionalArguments().isEmpty())
        return {
            std::nullopt,
            u"unexpected argument '%1' (see --help)"_s.arg(parser.positionalArguments().first()),
            {}};

    AgentConfig config;
    if (parser.isSet(help)) {
        config.mode = AgentConfig::Mode::Help;
        return {config, {}, parser.helpText()};
    }
    if (parser.isSet(version)) {
        config.mode = AgentConfig::Mode::Version;
        return {config, {}, u"spotkeeper-agent "_s + QLatin1StringView(SPOTKEEPER_VERSION)};
    }
    if (parser.isSet(check))
        config.mode = AgentConfig::Mode::Check;

    // Lowest precedence first: config file, then environment, then command line.
    QHash<QString, QString> values;
    QString configPath = parser.value(configOption);
    bool configExplicit = !configPath.isEmpty();
    if (configPath.isEmpty() && env.contains("SPOTKEEPER_AGENT_CONFIG"_L1)) {
        configPath = env.value("SPOTKEEPER_AGENT_CONFIG"_L1);
        configExplicit = true;
    }
    if (configPath.isEmpty()) {
        const QString dir = firstDirectory(env.value("CONFIGURATION_DIRECTORY"_L1));
        configPath = (dir.isEmpty() ? defaultConfigDir(env) : dir) + u"/agent.conf"_s;
    }
    QString error;
    if (configExplicit || QFileInfo::exists(configPath)) {
        if (!readConfigFile(configPath, &values, &error))
            return {std::nullopt, error, {}};
        config.configFile = configPath;
    }
    for (const Setting &setting : kSettings) {
        if (env.contains(setting.env))
            values.insert(setting.name, env.value(setting.env));
        if (parser.isSet(QString(setting.name)))
            values.insert(setting.name, parser.value(QString(setting.name)));
    }

    // Durations follow base/duration.h; none of the agent's is longer than a week.
    auto duration = [&](QLatin1StringView name, int minimumMs, int *target) {
        return readDurationSetting(values, name, minimumMs, kLongestDurationMs, target, &error);
    };
    // 200 ms floor: IMDS allows 5 requests per second per VM for all calls together.
    if (!duration("poll-interval"_L1, 200, &config.pollIntervalMs)
        || !duration("heartbeat-interval"_L1, 1000, &config.heartbeatIntervalMs)
        || !duration("first-poll-timeout"_L1, 100, &config.firstPollTimeoutMs)
        || !duration("poll-timeout"_L1, 100, &config.pollTimeoutMs)
        || !duration("delivery-timeout"_L1, 100, &config.deliveryTimeoutMs)
        || !duration("drain-timeout"_L1, 100, &config.drainTimeoutMs))
        return {std::nullopt, error, {}};

    if (values.contains("imds-url"_L1)
        && !parseUrl(u"imds-url"_s, values.value("imds-url"_L1), &config.imdsUrl, &error))
        return {std::nullopt, error, {}};
    if (!readCloud(values, env, &config, &error))
        return {std::nullopt, error, {}};
    if (values.contains("acknowledge-events"_L1)) {
        const std::optional<bool> acknowledge =
            base::parseBool(values.value("acknowledge-events"_L1));
        if (!acknowledge)
            return {std::nullopt,
                    u"acknowledge-events: '%1' is not yes or no"_s.arg(
                        values.value("acknowledge-events"_L1)),
                    {}};
        config.acknowledgeEvents = *acknowledge;
    }
    config.drainHook = values.value("drain-hook"_L1).trimmed();
    if (!config.drainHook.isEmpty() && QProcess::splitCommand(config.drainHook).isEmpty())
        return {std::nullopt, u"drain-hook: cannot split the command line"_s, {}};
    if (!config.drainHook.isEmpty() && !config.acknowledgeEvents)
        config.warnings.append(u"drain-hook is set but acknowledge-events is off: the hook "
                               "runs only before an acknowledgement"_s);

    config.caFile = values.value("ca-file"_L1);
    if (!config.caFile.isEmpty() && !QFileInfo(config.caFile).isReadable())
        return {std::nullopt, u"ca-file: cannot read %1"_s.arg(config.caFile), {}};
    if (!readHealthProbe(values, &config.health, &error))
        return {std::nullopt, error, {}};
    config.health.caFile = config.caFile;

    config.spoolDir = values.value("spool-dir"_L1);
    if (config.spoolDir.isEmpty())
        config.spoolDir = firstDirectory(env.value("STATE_DIRECTORY"_L1));
    if (config.spoolDir.isEmpty())
        config.spoolDir = defaultSpoolDir(env);

    // Dashboard and key: our own settings first, then the original design's variables.
    QString keyFile = values.value("key-file"_L1);
    const bool keyFileExplicit = !keyFile.isEmpty();
    if (keyFile.isEmpty()) {
        const QString credentials = env.value("CREDENTIALS_DIRECTORY"_L1);
        keyFile = (!credentials.isEmpty() && QFileInfo::exists(credentials + u"/agent.key"_s))
            ? credentials + u"/agent.key"_s
            : defaultConfigDir(env) + u"/agent.key"_s;
    }
    const bool ownSettings = values.contains("dashboard-url"_L1) || keyFileExplicit
        || env.contains("SPOTKEEPER_AGENT_KEY"_L1);
    if (!ownSettings && env.contains("WEBHOOK_URL"_L1)) {
        config.legacy = true;
        if (!parseUrl(u"WEBHOOK_URL"_s, env.value("WEBHOOK_URL"_L1), &config.legacyWebhookUrl,
                      &error))
            return {std::nullopt, error, {}};
        const QString path = config.legacyWebhookUrl.path();
        if (path.isEmpty() || path == "/"_L1) // a bare origin means the legacy route
            config.legacyWebhookUrl.setPath(u"/webhook"_s);
        config.legacyApiKey = env.value("WEBHOOK_API_KEY"_L1).trimmed().toUtf8();
        if (config.legacyApiKey.isEmpty())
            return {
                std::nullopt, u"WEBHOOK_URL is set but WEBHOOK_API_KEY is missing or empty"_s, {}};
        config.keySource = u"environment variable WEBHOOK_API_KEY"_s;
        config.warnings.append(
            u"legacy mode (WEBHOOK_URL): only Preempt/Terminate are reported, unsigned, as "
            "{resourceGroup, vmName} with a bearer key and no heartbeats; the server must enable "
            "the legacy webhook ([legacy_webhook] in spotkeeperd.conf). Move to dashboard-url "
            "and an agent key."_s);
        if (config.health.enabled())
            config.warnings.append(u"a health probe is set, but legacy mode sends no heartbeats: "
                                   "the probe does not run"_s);
    } else {
        if (!values.contains("dashboard-url"_L1))
            return {std::nullopt,
                    u"no dashboard configured: set dashboard-url (or SPOTKEEPER_DASHBOARD_URL), "
                    "or the legacy WEBHOOK_URL and WEBHOOK_API_KEY"_s,
                    {}};
        if (!parseUrl(u"dashboard-url"_s, values.value("dashboard-url"_L1), &config.dashboardUrl,
                      &error))
            return {std::nullopt, error, {}};
        if (!loadCredential(env, keyFile, keyFileExplicit, &config, &error))
            return {std::nullopt, error, {}};
    }
    const QUrl &target = config.legacy ? config.legacyWebhookUrl : config.dashboardUrl;
    if (target.scheme() == "http"_L1 && target.host() != "127.0.0.1"_L1
        && target.host() != "localhost"_L1 && target.host() != "::1"_L1)
        config.warnings.append(u"the dashboard URL is plain http: notices are signed but "
                               "readable on the network; prefer https"_s);
    return {config, {}, {}};
}

} // namespace spotkeeper::agent
