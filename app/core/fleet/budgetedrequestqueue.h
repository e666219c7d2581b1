// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/bearerexchange.h"
#include "fleet/ratebudget.h"
#include "fleet/sharedratebudgets.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>
#include <vector>

class QNetworkAccessManager;

// The pacing every cloud's API client shares: requests wait in a FIFO until their client-side
// budgets (token buckets, fleet/ratebudget.h, optionally also those several replicas share:
// fleet/sharedratebudgets.h) and their scope's throttle gate let them go; a timer wakes the
// queue at the earliest refill (never a busy loop); what is ready goes out under a bearer token
// (fleet/bearerexchange.h), and a 401 invalidates the token and retries exactly once.
// What a request costs (its buckets, and the scope its throttle gate belongs to: ARM's
// subscription, Compute's project) and what an answer means (error classification, when it
// throttles) stay with each cloud's client, which hands the queue bucket keys and calls
// throttle() / clamp() from its answer handling. A client that builds and signs each request
// itself (AWS SigV4: aws/ec2client.h) replaces the send step: schedule() paces its own step
// the same way. Decisions use the injected clock; a test moves its ManualClock and calls
// processQueue().
namespace spotkeeper::core {

class AccessTokenSource;

struct RequestQueueOptions
{
    QString apiName = QStringLiteral("the API"); // in log lines: "ARM", "Compute"
    QString scopeName = QStringLiteral("scope"); // what a gate holds: "subscription", "project"
    QMessageLogger::CategoryFunction log = nullptr; // the client's category; nullptr = the queue's
    bool budgetsEnabled = true; // false = only throttle gates pace (tests only)
    qint64 refillLagMs = 0; // of every bucket (ArmBudgets::refillLagMs)
    qint64 reserveMs = 0; // of every bucket (ArmBudgets::jitterReserveMs)
    int timeoutMs = 60'000; // of one HTTP exchange
    int defaultThrottleMs = 10'000; // a throttle without Retry-After holds the scope this long
};

class BudgetedRequestQueue : public QObject
{
    Q_OBJECT
public:
    // Background requests get a bucket's tokens only when no normal request is waiting for
    // that bucket: in a storm the engine's own calls go first.
    enum class Priority { Normal, Background };
    using Bucket = SharedRateBudgets::Bucket; // key unique in the queue, e.g. "reads|<scope>"
    struct Request
    {
        QByteArray method;
        QUrl url;
        QByteArray jsonBody; // sent with any method but GET; empty = none
        QString scope; // whose throttle gate it waits for
        QList<Bucket> buckets; // it goes when each has a token, and takes one of each
        Priority priority = Priority::Normal;
        int tag = 0; // the client's own label (its kind of call), handed back in exchanged()
    };
    // The final answer, raw (after the one 401 retry), or tokenFailed when none was sent.
    using Done = std::function<void(BearerAnswer)>;
    // A send step of the client's own: it builds, signs, sends and answers the request itself.
    using SendStep = std::function<void()>;

    BudgetedRequestQueue(AccessTokenSource *credential, QNetworkAccessManager *network,
                         const base::Clock &clock, RequestQueueOptions options,
                         QObject *parent = nullptr);
    ~BudgetedRequestQueue() override;
    Q_DISABLE_COPY_MOVE(BudgetedRequestQueue)

    void setTimeoutMs(int ms) { m_options.timeoutMs = ms; }
    void setDefaultThrottleMs(int ms) { m_options.defaultThrottleMs = ms; }
    // Replicas on one store: a request also needs a token of each of its buckets there (keyed
    // by the credential's principal), so N replicas stay within one allowance. nullptr (the
    // default) = this process's buckets only. Not owned; must outlive the queue's use of it.
    void setSharedBudgets(SharedRateBudgets *shared) { m_shared = shared; }

    // Queues the request. The queue is scanned on the event loop's next turn, so a burst of
    // sends is scanned once; call processQueue() to decide at once.
    void send(Request request, Done done);
    // Queues a send step of the client's own instead of the bearer exchange: it waits for the
    // request's budgets and gate like any request (its method, url and jsonBody are not read)
    // and is called once when the request may go. Not counted in inFlight() or sentCount(),
    // no exchanged(): the step reports to its client.
    void schedule(Request request, SendStep step);
    void processQueue();

    // A throttling answer for scope: holds the scope's requests until retryAfter (invalid =
    // defaultThrottleMs from now; a gate is never shortened), logs it and emits throttled().
    // Returns retryAfter as filled in.
    QDateTime throttle(const QString &scope, QDateTime retryAfter);
    // The server says only `remaining` tokens of the bucket are left (never raises it).
    void clamp(const Bucket &bucket, qint64 remaining);

    QDateTime blockedUntil(const QString &scope) const; // the scope's gate; invalid = none
    int pending() const { return int(m_queue.size()); }
    int inFlight() const { return m_inFlight; }
    qint64 sentCount() const { return m_sent; }
    const base::Clock &clock() const { return m_clock; }
    AccessTokenSource *credential() const { return m_credential; }

signals:
    void throttled(const QString &scope, const QDateTime &until);
    // Every HTTP exchange that got an answer or a network error, a 401 that is retried
    // included (status 0 = no HTTP answer); none when no request was sent (no token).
    void exchanged(int tag, int status);

private:
    struct Pending
    {
        Request request;
        Done done;
        SendStep step; // set = the client's own send step, instead of the bearer exchange
    };
    // What one processQueue() finds: the requests that go now, the buckets normal requests
    // still wait for, and the shortest wait (-1 = none waits).
    struct Scan
    {
        std::vector<Pending> ready;
        QSet<QString> contended;
        qint64 minWait = -1;
    };
    void enqueue(Pending pending);
    void scan(Priority pass, qint64 nowMs, Scan *scan);
    qint64 tryTake(const Request &request, qint64 nowMs); // 0 = may go, its tokens taken
    qint64 waitMsFor(const Request &request, qint64 nowMs);
    qint64 takeShared(const Request &request, qint64 nowMs); // 0 = taken
    RateBudget &bucket(const Bucket &bucket);
    void dispatch(Pending pending, bool isRetryAfter401);
    void answered(Pending pending, bool isRetryAfter401, BearerAnswer answer);

    AccessTokenSource *m_credential;
    QNetworkAccessManager *m_network;
    const base::Clock &m_clock;
    RequestQueueOptions m_options;
    SharedRateBudgets *m_shared = nullptr;
    std::deque<Pending> m_queue;
    QHash<QString, RateBudget> m_buckets;
    QHash<QString, QDateTime> m_gates;
    QTimer m_wake;
    int m_inFlight = 0;
    qint64 m_sent = 0;
};

} // namespace spotkeeper::core
