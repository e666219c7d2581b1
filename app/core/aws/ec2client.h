// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "aws/ec2query.h"
#include "base/clock.h"
#include "fleet/budgetedrequestqueue.h"
#include "fleet/cloudprovider.h"
#include "fleet/ratebudget.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

// Sends SigV4-signed requests to EC2's Query API and CloudTrail's JSON API (docs/AWS-PROTOCOL.md
// §6), per region, paced by client-side token buckets per region and kind (EC2 throttles per
// account and Region with a bucket per API kind; §6.3), never before a region's throttle gate
// of the service:
// after RequestLimitExceeded the region waits with exponential backoff (1 s, 2 s, 4 s, ...
// up to throttleMaxMs; EC2 sends no Retry-After), reset by the next success. Requests wait in
// the shared queue (fleet/budgetedrequestqueue.h, scope "<service>/<region>") instead of being
// sent; the client's own send step signs each one when it may go. Expired or refused temporary
// keys are resolved again and the request signed and sent once more.
namespace spotkeeper::core::aws {

class AwsCredentialChain;

struct Ec2Budgets
{
    // The smallest of EC2's documented request buckets each kind can land in (§6.3): describes
    // without filter or pagination 50, refilled at 10 a second; StartInstances 5 at 2 (Stop and
    // Reboot have larger ones); RunInstances 5 at 2; CloudTrail's LookupEvents 2 a second per
    // account and Region. [aws] in spotkeeperd.conf overrides them (EngineHostConfig).
    BudgetConfig describe {50, 10, 1'000};
    BudgetConfig mutate {5, 2, 1'000};
    BudgetConfig run {5, 2, 1'000};
    BudgetConfig cloudTrail {2, 1, 1'000};
    bool enabled = true; // false = no client-side pacing (tests only)
};

struct Ec2Options
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QString ec2Endpoint; // [aws] ec2_endpoint; empty = AWS_ENDPOINT_URL_EC2 / _URL / regional
    QString cloudTrailEndpoint; // [aws] cloudtrail_endpoint; likewise with _CLOUDTRAIL
    Ec2Budgets budgets;
    int requestTimeoutMs = 30'000;
    int throttleBaseMs = 1'000;
    int throttleMaxMs = 60'000;
};

struct Ec2Reply
{
    CallResult call; // classified; failure None for 2xx
    int status = 0; // HTTP status, 0 = no response
    QByteArray body;
};

class Ec2Client final : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Describe, Mutate, Run, CloudTrail };

    // credentials: not owned.
    Ec2Client(AwsCredentialChain *credentials, Ec2Options options, const base::Clock &clock,
              QObject *parent = nullptr);
    ~Ec2Client() override;
    Q_DISABLE_COPY_MOVE(Ec2Client)

    // The endpoint of a service in a region ("ec2", "cloudtrail"); invalid with *problem.
    QUrl endpoint(const QString &service, const QString &region, QString *problem) const;
    void sendQuery(Kind kind, const QString &region, const Ec2Query &query,
                   std::function<void(Ec2Reply)> done);
    // CloudTrail's JSON 1.1 protocol: POST / with X-Amz-Target
    // com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<action>.
    void sendCloudTrail(const QString &region, const QByteArray &action, const QByteArray &json,
                        std::function<void(Ec2Reply)> done);

    void processQueue();
    const Ec2Options &options() const { return m_options; }
    AwsCredentialChain *credentials() const { return m_credentials; }
    // Until when a region's requests to a service wait after throttling (invalid = not gated).
    QDateTime blockedUntil(const QString &region,
                           const QString &service = QStringLiteral("ec2")) const
    {
        return m_queue.blockedUntil(service + u'/' + region);
    }
    qint64 sentCount() const { return m_sent; }
    int pending() const { return m_queue.pending(); }

signals:
    void throttled(const QString &region, const QDateTime &until);

private:
    struct Pending
    {
        Kind kind = Kind::Describe;
        QString region;
        QString service;
        QUrl url;
        BytePairList extraHeaders; // besides Host, X-Amz-Date, token, Authorization
        QByteArray body;
        QByteArray contentType;
        std::function<void(Ec2Reply)> done;
    };
    void enqueue(Pending request);
    void dispatch(Pending request, bool isRetry);
    void handleAnswer(Pending request, bool isRetry, int status, const QByteArray &body,
                      int networkError, const QString &networkText);

    AwsCredentialChain *m_credentials;
    Ec2Options m_options;
    const base::Clock &m_clock;
    QNetworkAccessManager *m_network;
    core::BudgetedRequestQueue m_queue; // buckets "<kind>/<region>", gates "<service>/<region>"
    QHash<QString, int> m_throttles; // throttles in a row, per gate
    qint64 m_sent = 0;
};

// CloudTrail's JSON error ({"__type": "...#ThrottlingException", "message": ...}) classified.
CallResult cloudTrailCallResult(int httpStatus, QByteArrayView body);

} // namespace spotkeeper::core::aws
