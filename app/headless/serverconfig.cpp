// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/serverconfig.h"

#include "aws/instancearn.h"
#include "base/configfile.h"
#include "protocol/azurenames.h"
#include "protocol/gcpnames.h"

#include <QHash>
#include <QUrl>

#include <algorithm>
#include <functional>

namespace spotkeeper::headless {

using namespace Qt::StringLiterals;

namespace {

using Setter = std::function<QString(ServerConfig &, const QString &)>;

Setter text(QString ServerConfig::*member)
{
    return [member](ServerConfig &c, const QString &v) -> QString {
        c.*member = v;
        return {};
    };
}

Setter tlsFile(QString http::TlsOptions::*member)
{
    return [member](ServerConfig &c, const QString &v) -> QString {
        c.tls.*member = v;
        return {};
    };
}

// What a checked text setting keeps of a value (trimmed, canonical case...), nothing = wrong.
using Accept = std::function<std::optional<QString>(const QString &)>;

// A text setting that only takes what accept() keeps, and says problem otherwise.
Setter checked(QString ServerConfig::*member, const Accept &accept, const QString &problem)
{
    return [=](ServerConfig &c, const QString &v) -> QString {
        const std::optional<QString> value = accept(v);
        if (!value)
            return problem;
        c.*member = *value;
        return {};
    };
}

// One of names, kept as spelled in names.
Accept oneOf(const QStringList &names, Qt::CaseSensitivity cs = Qt::CaseSensitive)
{
    return [=](const QString &v) -> std::optional<QString> {
        for (const QString &name : names) {
            if (v.compare(name, cs) == 0)
                return name;
        }
        return std::nullopt;
    };
}

Setter integer(int ServerConfig::*member, int min, int max)
{
    return [=](ServerConfig &c, const QString &v) -> QString {
        bool ok = false;
        const int value = v.toInt(&ok);
        if (!ok || value < min || value > max)
            return u"expected a whole number from "_s + QString::number(min) + u" to "_s
                + QString::number(max);
        c.*member = value;
        return {};
    };
}

Setter boolean(bool ServerConfig::*member)
{
    return [member](ServerConfig &c, const QString &v) -> QString {
        const std::optional<bool> value = base::parseBool(v);
        if (!value)
            return u"expected true or false"_s;
        c.*member = *value;
        return {};
    };
}

// A comma-separated list, each entry checked (problemOf: empty = fine); empty entries skipped.
Setter list(QStringList ServerConfig::*member, const QString &what,
            const std::function<QString(const QString &)> &problemOf)
{
    return [=](ServerConfig &c, const QString &v) -> QString {
        QStringList values;
        for (const QString &part : v.split(u',', Qt::SkipEmptyParts)) {
            const QString value = part.trimmed();
            if (const QString problem = problemOf(value); !problem.isEmpty())
                return what + u" '"_s + value + u"': "_s + problem;
            values.append(value);
        }
        c.*member = values;
        return {};
    };
}

// A rule as problemOf: the problem when valid() says no.
std::function<QString(const QString &)> rule(bool (*valid)(QStringView), const QString &problem)
{
    return [=](const QString &value) {
        return valid(value) ? QString() : problem;
    };
}

// [fallback] after_minutes / after_seconds: the same setting in two units (unitMs).
Setter fallbackAfter(qint64 unitMs, int max)
{
    return [=](ServerConfig &c, const QString &v) -> QString {
        bool ok = false;
        const int value = v.trimmed().toInt(&ok);
        if (!ok || value < 0 || value > max)
            return u"expected a whole number from 0 to "_s + QString::number(max);
        c.fallback.afterMs = value * unitMs;
        return {};
    };
}

Setter fallbackFlag(bool core::FallbackConfig::*member)
{
    return [=](ServerConfig &c, const QString &v) -> QString {
        const std::optional<bool> value = base::parseBool(v);
        if (!value)
            return u"expected true or false"_s;
        c.fallback.*member = *value;
        return {};
    };
}

Setter fallbackTag(QString core::FallbackConfig::*member)
{
    return [=](ServerConfig &c, const QString &v) -> QString {
        const QString tag = v.trimmed();
        if (tag.isEmpty() || tag.size() > 512)
            return u"expected a tag name of 1 to 512 characters"_s;
        c.fallback.*member = tag;
        return {};
    };
}

bool isAwsName(QStringView value) // an instance type: m5.large, c7gn.16xlarge
{
    return !value.isEmpty() && value.size() <= 64
        && std::all_of(value.begin(), value.end(), [](QChar ch) {
               return (ch >= u'a' && ch <= u'z') || (ch >= u'0' && ch <= u'9') || ch == u'.'
                   || ch == u'-';
           });
}

bool isAvailabilityZone(QStringView value) // eu-west-1b: a region and a letter
{
    return isAwsName(value) && value.size() > 1 && value.back().isLetter()
        && core::aws::isRegionName(value.chopped(1));
}

// prices.url: an http(s) URL with a host.
std::optional<QString> httpUrl(const QString &v)
{
    const QUrl url(v.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)
        || url.host().isEmpty())
        return std::nullopt;
    return url.toString();
}

// health.restart: off, tagged or all, in any case.
std::optional<QString> appRestartMode(const QString &v)
{
    const QString mode = v.trimmed().toLower();
    if (mode != "off"_L1 && mode != "tagged"_L1 && mode != "all"_L1)
        return std::nullopt;
    return mode;
}

// health.restart_tag: a tag name of 1 to 512 characters.
std::optional<QString> appRestartTag(const QString &v)
{
    const QString tag = v.trimmed();
    if (tag.isEmpty() || tag.size() > 512)
        return std::nullopt;
    return tag;
}

Setter legacySubscription()
{
    return [](ServerConfig &c, const QString &v) -> QString {
        if (QString problem = protocol::checkSubscriptionId(v); !problem.isEmpty())
            return problem;
        c.seedSubscription = v;
        return {};
    };
}

QString fallbackChangesPerDay(ServerConfig &c, const QString &v)
{
    bool ok = false;
    const int value = v.trimmed().toInt(&ok);
    if (!ok || value < 1 || value > 100)
        return u"expected a whole number from 1 to 100"_s;
    c.fallback.maxChangesPerDay = value;
    return {};
}

QString fallbackRule(ServerConfig &c, const QString &v)
{
    core::FallbackRule rule;
    if (QString problem = core::parseFallbackRule(v, &rule); !problem.isEmpty())
        return problem;
    c.fallback.rules.append(rule);
    return {};
}

QString listenAddress(ServerConfig &c, const QString &v)
{
    QHostAddress address;
    if (!address.setAddress(v))
        return u"not an IP address (use 127.0.0.1, ::1, 0.0.0.0, ...)"_s;
    c.address = address;
    return {};
}

QString listenPort(ServerConfig &c, const QString &v)
{
    bool ok = false;
    const uint port = v.toUInt(&ok);
    if (!ok || port > 65535)
        return u"expected a port from 0 to 65535"_s;
    c.port = quint16(port);
    return {};
}

const QHash<QString, Setter> &setters()
{
    // [legacy_webhook] was called [seed] before; both names are read.
    static const QHash<QString, Setter> table {
        {u"listen.address"_s, listenAddress},
        {u"listen.port"_s, listenPort},
        {u"listen.insecure"_s, boolean(&ServerConfig::insecureListen)},
        {u"listen.max_connections"_s, integer(&ServerConfig::maxConnections, 1, 100'000)},
        {u"listen.read_deadline_seconds"_s, integer(&ServerConfig::readDeadlineSeconds, 1, 300)},
        {u"listen.failed_auth_per_minute"_s,
         integer(&ServerConfig::failedAuthPerMinute, 1, 100'000)},
        {u"tls.certificate"_s, tlsFile(&http::TlsOptions::certificateFile)},
        {u"tls.private_key"_s, tlsFile(&http::TlsOptions::privateKeyFile)},
        {u"tls.client_ca"_s, tlsFile(&http::TlsOptions::clientCaFile)},
        {u"tls.agent_ca"_s, text(&ServerConfig::agentCaFile)},
        {u"store.path"_s, text(&ServerConfig::storePath)},
        {u"store.url"_s,
         checked(
             &ServerConfig::storeUrl,
             [](const QString &v) -> std::optional<QString> {
                 if (!v.startsWith(u"postgresql://"_s) && !v.startsWith(u"postgres://"_s))
                     return std::nullopt;
                 return v;
             },
             u"expected postgresql://USER@HOST:PORT/DATABASE"_s)},
        {u"store.password_file"_s, text(&ServerConfig::storePasswordFile)},
        {u"store.sslmode"_s,
         checked(&ServerConfig::storeSslMode,
                 oneOf({u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s,
                        u"verify-full"_s}),
                 u"expected one of disable, allow, prefer, require, verify-ca, verify-full"_s)},
        {u"store.sslrootcert"_s, text(&ServerConfig::storeSslRootCert)},
        {u"azure.cloud"_s,
         checked(&ServerConfig::cloud,
                 oneOf({u"AzureCloud"_s, u"AzureUSGovernment"_s, u"AzureChinaCloud"_s, u"Custom"_s},
                       Qt::CaseInsensitive),
                 u"expected AzureCloud, AzureUSGovernment, AzureChinaCloud or Custom"_s)},
        {u"azure.arm_endpoint"_s, text(&ServerConfig::armEndpoint)},
        {u"azure.authority_host"_s, text(&ServerConfig::authorityHost)},
        {u"azure.tenant_id"_s, text(&ServerConfig::tenantId)},
        {u"azure.client_id"_s, text(&ServerConfig::clientId)},
        {u"azure.client_secret_file"_s, text(&ServerConfig::clientSecretFile)},
        {u"azure.managed_identity_client_id"_s, text(&ServerConfig::managedIdentityClientId)},
        {u"azure.imds_endpoint"_s, text(&ServerConfig::imdsEndpoint)},
        {u"azure.az_program"_s, text(&ServerConfig::azProgram)},
        {u"azure.subscriptions"_s,
         list(&ServerConfig::subscriptions, u"subscription"_s, protocol::checkSubscriptionId)},
        {u"gcp.credentials_file"_s, text(&ServerConfig::gcpCredentialsFile)},
        {u"gcp.token_uri"_s, text(&ServerConfig::gcpTokenUri)},
        {u"gcp.compute_endpoint"_s, text(&ServerConfig::gcpComputeEndpoint)},
        {u"gcp.logging_endpoint"_s, text(&ServerConfig::gcpLoggingEndpoint)},
        {u"gcp.list_filter"_s, text(&ServerConfig::gcpListFilter)},
        {u"gcp.projects"_s,
         list(&ServerConfig::gcpProjects, u"project"_s, protocol::checkGcpProjectId)},
        {u"aws.regions"_s,
         list(&ServerConfig::awsRegions, u"region"_s,
              rule(core::aws::isRegionName, u"not an AWS region name (e.g. eu-west-1)"_s))},
        {u"aws.account_id"_s,
         checked(
             &ServerConfig::awsAccountId,
             [](const QString &v) -> std::optional<QString> {
                 return core::aws::isAccountId(v) ? std::optional(v) : std::nullopt;
             },
             u"expected the 12 digits of an AWS account id"_s)},
        {u"aws.partition"_s,
         checked(&ServerConfig::awsPartition, oneOf({u"aws"_s, u"aws-cn"_s, u"aws-us-gov"_s}),
                 u"expected aws, aws-cn or aws-us-gov"_s)},
        {u"aws.profile"_s, text(&ServerConfig::awsProfile)},
        {u"aws.ec2_endpoint"_s, text(&ServerConfig::awsEc2Endpoint)},
        {u"aws.cloudtrail_endpoint"_s, text(&ServerConfig::awsCloudTrailEndpoint)},
        {u"aws.sts_endpoint"_s, text(&ServerConfig::awsStsEndpoint)},
        {u"aws.imds_endpoint"_s, text(&ServerConfig::awsImdsEndpoint)},
        {u"aws.instance_role"_s, boolean(&ServerConfig::awsInstanceRole)},
        {u"aws.restart_watch_minutes"_s,
         integer(&ServerConfig::awsRestartWatchMinutes, 1, 7 * 24 * 60)},
        {u"aws.replace_terminated"_s, boolean(&ServerConfig::awsReplaceTerminated)},
        {u"aws.alternate_instance_types"_s,
         list(&ServerConfig::awsAlternateInstanceTypes, u"instance type"_s,
              rule(isAwsName, u"not an EC2 instance type (e.g. m5.large)"_s))},
        {u"aws.alternate_zones"_s,
         list(&ServerConfig::awsAlternateZones, u"zone"_s,
              rule(isAvailabilityZone, u"not an Availability Zone (e.g. eu-west-1b)"_s))},
        // Client-side budgets per Region (docs/AWS-PROTOCOL.md §6.3): bucket sizes and refills.
        {u"aws.describe_burst"_s, integer(&ServerConfig::awsDescribeBurst, 1, 10'000)},
        {u"aws.describes_per_second"_s, integer(&ServerConfig::awsDescribesPerSecond, 1, 1000)},
        {u"aws.mutate_burst"_s, integer(&ServerConfig::awsMutateBurst, 1, 10'000)},
        {u"aws.mutates_per_second"_s, integer(&ServerConfig::awsMutatesPerSecond, 1, 1000)},
        {u"aws.run_burst"_s, integer(&ServerConfig::awsRunBurst, 1, 10'000)},
        {u"aws.runs_per_second"_s, integer(&ServerConfig::awsRunsPerSecond, 1, 1000)},
        {u"aws.cloudtrail_burst"_s, integer(&ServerConfig::awsCloudTrailBurst, 1, 1000)},
        {u"aws.cloudtrail_per_second"_s, integer(&ServerConfig::awsCloudTrailPerSecond, 1, 100)},
        {u"engine.id"_s,
         checked(
             &ServerConfig::engineId,
             [](const QString &v) -> std::optional<QString> {
                 const QString id = v.trimmed();
                 if (id.isEmpty() || id.size() > 100)
                     return std::nullopt;
                 return id;
             },
             u"expected 1 to 100 characters"_s)},
        {u"engine.reconcile_seconds"_s, integer(&ServerConfig::reconcileSeconds, 10, 86'400)},
        {u"engine.lease_seconds"_s, integer(&ServerConfig::leaseSeconds, 6, 3600)},
        {u"engine.budget_fallback_replicas"_s,
         integer(&ServerConfig::budgetFallbackReplicas, 1, 100)},
        {u"engine.vm_start_burst"_s, integer(&ServerConfig::vmStartBurst, 0, 1000)},
        {u"engine.vm_starts_per_minute"_s, integer(&ServerConfig::vmStartsPerMinute, 0, 1000)},
        {u"engine.subscription_write_burst"_s,
         integer(&ServerConfig::subscriptionWriteBurst, 0, 100'000)},
        {u"engine.subscription_writes_per_second"_s,
         integer(&ServerConfig::subscriptionWritesPerSecond, 0, 10'000)},
        {u"engine.subscription_read_burst"_s,
         integer(&ServerConfig::subscriptionReadBurst, 0, 100'000)},
        {u"engine.subscription_reads_per_second"_s,
         integer(&ServerConfig::subscriptionReadsPerSecond, 0, 10'000)},
        {u"engine.backoff_base_seconds"_s, integer(&ServerConfig::backoffBaseSeconds, 1, 3600)},
        {u"engine.backoff_cap_seconds"_s, integer(&ServerConfig::backoffCapSeconds, 1, 86'400)},
        {u"engine.alert_after_minutes"_s, integer(&ServerConfig::alertAfterMinutes, 0, 10'080)},
        {u"engine.capacity_alert_minutes"_s,
         integer(&ServerConfig::capacityAlertMinutes, 0, 10'080)},
        {u"engine.heartbeat_interval_seconds"_s,
         integer(&ServerConfig::heartbeatIntervalSeconds, 1, 86'400)},
        {u"engine.agent_silent_intervals"_s, integer(&ServerConfig::agentSilentIntervals, 0, 1000)},
        {u"engine.list_power_threshold"_s,
         integer(&ServerConfig::listPowerThreshold, 0, 1'000'000)},
        {u"engine.evidence_wait_seconds"_s, integer(&ServerConfig::evidenceWaitSeconds, 0, 3600)},
        {u"engine.unproven_deallocation"_s,
         [](ServerConfig &c, const QString &v) -> QString {
             if (v.compare("restart"_L1, Qt::CaseInsensitive) == 0)
                 c.restartUnprovenDeallocation = true;
             else if (v.compare("leave"_L1, Qt::CaseInsensitive) == 0)
                 c.restartUnprovenDeallocation = false;
             else
                 return u"expected restart or leave"_s;
             return {};
         }},
        {u"prices.enabled"_s, boolean(&ServerConfig::pricesEnabled)},
        {u"prices.url"_s,
         checked(&ServerConfig::pricesEndpoint, httpUrl, u"expected an http(s) URL"_s)},
        {u"prices.max_age_hours"_s, integer(&ServerConfig::priceMaxAgeHours, 1, 24 * 30)},
        {u"health.restart_timeout_minutes"_s,
         integer(&ServerConfig::appHealthTimeoutMinutes, 0, 1440)},
        {u"health.unhealthy_minutes"_s, integer(&ServerConfig::appUnhealthyMinutes, 0, 1440)},
        {u"health.restart_timeout_seconds"_s,
         integer(&ServerConfig::appHealthTimeoutSeconds, 0, 86'400)},
        {u"health.unhealthy_seconds"_s, integer(&ServerConfig::appUnhealthySeconds, 0, 86'400)},
        {u"health.restart"_s,
         checked(&ServerConfig::appRestart, appRestartMode, u"expected off, tagged or all"_s)},
        {u"health.restart_tag"_s,
         checked(&ServerConfig::appRestartTag, appRestartTag,
                 u"expected a tag name of 1 to 512 characters"_s)},
        {u"health.restarts_per_hour"_s, integer(&ServerConfig::appRestartsPerHour, 0, 60)},
        {u"fallback.enabled"_s, fallbackFlag(&core::FallbackConfig::enabled)},
        {u"fallback.dry_run"_s, fallbackFlag(&core::FallbackConfig::dryRun)},
        {u"fallback.return_to_preferred"_s, fallbackFlag(&core::FallbackConfig::returnToPreferred)},
        {u"fallback.after_minutes"_s, fallbackAfter(60'000, 10'080)},
        {u"fallback.after_seconds"_s, fallbackAfter(1'000, 604'800)},
        {u"fallback.max_changes_per_day"_s, fallbackChangesPerDay},
        {u"fallback.sizes_tag"_s, fallbackTag(&core::FallbackConfig::sizesTag)},
        {u"fallback.max_price_tag"_s, fallbackTag(&core::FallbackConfig::maxPriceTag)},
        {u"fallback.rule"_s, fallbackRule}, // repeatable: one rule a line
        {u"keys.rotation_overlap_hours"_s,
         integer(&ServerConfig::rotationOverlapHours, 0, 24 * 90)},
        {u"legacy_webhook.enabled"_s, boolean(&ServerConfig::seedEnabled)},
        {u"legacy_webhook.subscription"_s, legacySubscription()},
        {u"legacy_webhook.key_file"_s, text(&ServerConfig::seedKeyFile)},
        {u"seed.enabled"_s, boolean(&ServerConfig::seedEnabled)},
        {u"seed.subscription"_s, legacySubscription()},
        {u"seed.key_file"_s, text(&ServerConfig::seedKeyFile)},
        {u"log.level"_s,
         checked(&ServerConfig::logLevel,
                 oneOf({u"debug"_s, u"info"_s, u"warning"_s, u"error"_s}, Qt::CaseInsensitive),
                 u"expected debug, info, warning or error"_s)},
    };
    return table;
}

} // namespace

namespace {

std::optional<ServerConfig> fromFile(const std::optional<base::ConfigFile> &file, QString *error)
{
    if (!file)
        return std::nullopt;
    ServerConfig config;
    for (const base::ConfigEntry &entry : file->entries()) {
        if (entry.section == "notify"_L1 || entry.section.startsWith("notify."_L1)) {
            if (const QString problem = config.notify.set(entry.section, entry.key, entry.value);
                !problem.isEmpty()) {
                *error = file->errorAt(
                    entry.line, u"["_s + entry.section + u"] "_s + entry.key + u": "_s + problem);
                return std::nullopt;
            }
            continue;
        }
        const auto it = setters().constFind(entry.section + u'.' + entry.key);
        if (it == setters().constEnd()) {
            *error = file->errorAt(entry.line,
                                   u"unknown setting '"_s + entry.key + u"' in ["_s + entry.section
                                       + u"]"_s);
            return std::nullopt;
        }
        const QString problem = (*it)(config, entry.value);
        if (!problem.isEmpty()) {
            *error =
                file->errorAt(entry.line, entry.section + u'.' + entry.key + u": "_s + problem);
            return std::nullopt;
        }
    }
    return config;
}

} // namespace

std::optional<ServerConfig> ServerConfig::parse(const QByteArray &data, QString *error)
{
    return fromFile(base::ConfigFile::parse(data, base::ConfigFile::Sections::Required, error),
                    error);
}

std::optional<ServerConfig> ServerConfig::load(const QString &path, QString *error)
{
    return fromFile(base::ConfigFile::read(path, base::ConfigFile::Sections::Required, error),
                    error);
}

core::StoreOptions ServerConfig::storeOptions() const
{
    core::StoreOptions options;
    options.path = storeUrl.isEmpty() ? storePath : storeUrl;
    options.passwordFile = storePasswordFile;
    options.sslMode = storeSslMode;
    options.sslRootCert = storeSslRootCert;
    return options;
}

QString ServerConfig::validate() const
{
    if (QString problem = EngineHostConfig::validate(); !problem.isEmpty())
        return problem;
    if (storePath.isEmpty() && storeUrl.isEmpty())
        return u"[store] path must not be empty"_s;
    if (storeUrl.isEmpty()
        && !(storePasswordFile.isEmpty() && storeSslMode.isEmpty() && storeSslRootCert.isEmpty()))
        return u"[store] password_file, sslmode and sslrootcert need [store] url"_s;
    return {};
}

} // namespace spotkeeper::headless
