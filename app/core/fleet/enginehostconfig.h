// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/capacityfallback.h"
#include "fleet/ratebudget.h"
#include "http/httpserver.h"
#include "notify/notifyconfig.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

// What one EngineHost runs with: the listener, TLS, the Azure provider, the restart engine's
// budgets and backoff, key rotation and the legacy webhook. spotkeeperd reads it from its
// configuration file (headless::ServerConfig, docs/SERVER.md); the dashboard fills it from its
// Settings. The defaults are the documented ones.
namespace spotkeeper::core {

// The [engine] budgets are the BudgetSettings base (vmStartBurst, subscriptionReadBurst, ...).
struct EngineHostConfig : BudgetSettings
{
    // [listen] (the sections of spotkeeperd.conf)
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 8443;
    bool insecureListen = false; // allow a non-loopback bind without TLS
    int maxConnections = 1024;
    int readDeadlineSeconds = 10;
    int failedAuthPerMinute = 20;
    // [tls]
    http::TlsOptions tls;
    // PEM CA certificate(s) that signed tls.certificateFile, handed to agents with every key
    // issued through the operator API ("caCertificate"), so the enrolment snippet makes the
    // agent trust this server (`spotkeeperd tls init` writes it as ca.pem).
    QString agentCaFile;
    // [azure]
    QString cloud =
        QStringLiteral("AzureCloud"); // AzureCloud | AzureUSGovernment | AzureChinaCloud | Custom
    QString armEndpoint; // override, e.g. a test server
    QString authorityHost; // override
    QStringList subscriptions;
    QString tenantId;
    QString clientId;
    QString clientSecretFile; // file holding the client secret (never the secret itself here)
    QString managedIdentityClientId;
    QString imdsEndpoint; // override of http://169.254.169.254 (tests)
    QString azProgram; // override of "az"
    // [gcp] (docs/GCP.md): on when a service-account key file is named here or by
    // GOOGLE_APPLICATION_CREDENTIALS; then Google Cloud VMs are restarted through Compute.
    QString gcpCredentialsFile; // the key file (never the key itself here)
    QString gcpTokenUri; // override of the key file's token_uri (tests, private endpoints)
    QString gcpComputeEndpoint; // override of https://compute.googleapis.com/compute/v1/
    QString gcpLoggingEndpoint; // override of https://logging.googleapis.com/v2/ (audit log)
    QStringList gcpProjects; // projects the reconciler lists (with [azure] subscriptions)
    QString gcpListFilter = QStringLiteral("labels.spotkeeper-auto-restart=true");
    // [aws] (docs/AWS.md): on when regions are listed; the keys come from the AWS SDKs' chain
    // (environment, shared files with profile, web identity, instance role), never from here.
    QStringList awsRegions; // regions the reconciler lists (with the other clouds' scopes)
    QString awsAccountId; // the account of the instances (12 digits); needed with regions
    QString awsPartition = QStringLiteral("aws"); // aws | aws-cn | aws-us-gov
    QString awsProfile; // AWS_PROFILE for the shared files; empty = the environment's
    QString awsEc2Endpoint; // override of https://ec2.<region>.amazonaws.com/
    QString awsCloudTrailEndpoint; // override of https://cloudtrail.<region>.amazonaws.com/
    QString awsStsEndpoint; // override of STS (web identity)
    QString awsImdsEndpoint; // override of http://169.254.169.254 (instance role; tests)
    bool awsInstanceRole = true; // false: never ask IMDS for the instance's role
    int awsRestartWatchMinutes = 30; // EC2 restarts an interrupted instance within this, or alert
    bool awsReplaceTerminated = false; // opt-in replacement of terminated one-time instances
    QStringList awsAlternateInstanceTypes; // tried for a replacement after the template's own
    QStringList awsAlternateZones; // likewise, Availability Zones
    // [aws] client-side budgets per Region (docs/AWS-PROTOCOL.md §6.3): bucket size and refill
    // per second of each kind of call; the defaults are aws::Ec2Budgets' (tst_serverconfig).
    int awsDescribeBurst = 50; // DescribeInstances, DescribeSpotInstanceRequests
    int awsDescribesPerSecond = 10;
    int awsMutateBurst = 5; // StartInstances, StopInstances, RebootInstances
    int awsMutatesPerSecond = 2;
    int awsRunBurst = 5; // RunInstances
    int awsRunsPerSecond = 2;
    int awsCloudTrailBurst = 2; // CloudTrail LookupEvents
    int awsCloudTrailPerSecond = 1;
    // The reconciler's AWS scopes: arn:<partition>:ec2:<region>:<account> per region.
    QStringList awsScopes() const;
    // [engine]
    QString engineId; // lease owner; empty = a random id the store keeps for this host
    // How long a job stays an engine's without renewal: another server (replica) takes
    // the jobs of one that died once their lease ended.
    int leaseSeconds = 120;
    // Replicas cut off from the shared ARM budgets take a 1/N share of them, N the replicas
    // seen alive, never fewer than this.
    int budgetFallbackReplicas = 1;
    int reconcileSeconds = 60;
    int backoffBaseSeconds = 10;
    int backoffCapSeconds = 300;
    int alertAfterMinutes = 15; // 0 = never
    int capacityAlertMinutes = 30; // capacity errors of one size/region this long: alert; 0 = never
    // Silent agents: a running VM's agent quiet for agentSilentIntervals x
    // heartbeatIntervalSeconds (the agents' heartbeat-interval) is alerted; 0 = never.
    int heartbeatIntervalSeconds = 60;
    int agentSilentIntervals = 3;
    int listPowerThreshold = 10; // jobs in a subscription from which lists replace GETs; 0 = never
    // A managed VM down with no notice: read the Activity Log this long for an eviction or a
    // deliberate stop, then restart (true) or leave it deallocated (docs/ENGINE.md).
    int evidenceWaitSeconds = 300;
    bool restartUnprovenDeallocation = true; // unproven_deallocation = restart | leave
    // [health] application health (docs/ENGINE.md "Application health"): a restart job waits
    // this long for the application of a VM with a health probe to report healthy (0 = not
    // at all); an application unhealthy this long on a running VM is alerted (0 = never)
    // and, for VMs that opted in (restart = tagged: the restart_tag set to true; all; off),
    // restarted at most restarts_per_hour times an hour.
    int appHealthTimeoutMinutes = 10;
    int appUnhealthyMinutes = 5;
    // restart_timeout_seconds / unhealthy_seconds: the same in seconds (short timers, as the
    // end-to-end test uses); when set (not -1) they replace the minutes.
    int appHealthTimeoutSeconds = -1;
    int appUnhealthySeconds = -1;
    QString appRestart = QStringLiteral("tagged"); // off | tagged | all
    QString appRestartTag = QStringLiteral("spotkeeper-app-restart");
    int appRestartsPerHour = 2;
    // [fallback] the capacity fallback (docs/ENGINE.md "Capacity fallback"): off by default;
    // then only VMs that opted in (the sizes/max price tags, or a rule) are resized or repriced.
    FallbackConfig fallback;
    // [keys]
    int rotationOverlapHours = 24;
    // [legacy_webhook] (formerly [seed]): POST /webhook of the original Cloudflare-worker
    // agents, off by default
    bool seedEnabled = false;
    QString seedSubscription;
    QString seedKeyFile;
    // [prices] (docs/ANALYTICS.md): the Azure Retail Prices API the cost reports use
    bool pricesEnabled = true;
    QString pricesEndpoint; // empty = SPOTKEEPER_PRICES_URL, else prices.azure.com
    int priceMaxAgeHours = 24; // a cached price older than this is fetched again
    // [notify] and [notify.<channel>]: outbound notifications (docs/NOTIFICATIONS.md)
    NotifyConfig notify;

    // Checks the combination: a non-loopback address needs TLS or insecureListen, TLS
    // needs both files, the legacy webhook needs a subscription and a key file. Empty when fine.
    QString validate() const;
    bool isLoopback() const;
};

} // namespace spotkeeper::core
