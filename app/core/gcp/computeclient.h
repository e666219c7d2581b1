// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/budgetedrequestqueue.h"
#include "fleet/cloudprovider.h"
#include "fleet/ratebudget.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace spotkeeper::core {
class AccessTokenSource;
} // namespace spotkeeper::core

// Sends Compute Engine API requests (docs/GCP-PROTOCOL.md §5), and the Cloud Logging API's
// audit log reads (§7), with a bearer token, paced by client-side budgets per project and kind
// (Compute's rate quotas are per project and per minute, counted separately for reads, writes,
// operation reads and aggregated lists), and never before a project's throttle gate: after a 429 or
// a 403 rateLimitExceeded, until its Retry-After, or without one for defaultThrottleMs (the quota
// refills each minute). The waiting, the wake timer and the one 401 retry are the shared
// BudgetedRequestQueue's (fleet/budgetedrequestqueue.h); this client adds Compute's bucket keys and
// error classification. The token only goes to the configured Compute and Logging base URLs.
namespace spotkeeper::gcp {

struct ComputeBudgets
{
    // Ours, below Compute's default per-project rate quotas; [gcp] in spotkeeperd.conf.
    core::BudgetConfig reads {60, 10, 1'000}; // instances.get
    core::BudgetConfig writes {30, 5, 1'000}; // instances.start, instances.stop
    core::BudgetConfig operationReads {60, 10, 1'000}; // zoneOperations.get
    core::BudgetConfig lists {10, 1, 1'000}; // instances.aggregatedList pages
    // Cloud Logging entries.list (the audit log): Logging allows 60 reads a minute per
    // project; the engine's evidence waits stay well below (docs/GCP-PROTOCOL.md §7).
    core::BudgetConfig logReads {30, 5, 2'000};
    bool enabled = true; // false = no client-side pacing (tests only)
};

struct ComputeOptions
{
    QUrl computeUrl = QUrl(QStringLiteral("https://compute.googleapis.com/compute/v1/"));
    // The Cloud Logging API (audit log reads); the token goes to this base too.
    QUrl loggingUrl = QUrl(QStringLiteral("https://logging.googleapis.com/v2/"));
    int auditPageSize = 100; // entries.list pageSize
    int maxAuditPages = 10; // a project-wide evidence listing stops here (complete = false)
    ComputeBudgets budgets;
    int requestTimeoutMs = 60'000;
    int operationPollMs = 2'000; // between GETs of a zone operation
    int maxFollowMs = 30 * 60'000; // give up following (finished = false) after this
    int maxPollErrors = 5; // consecutive failed operation reads before giving up
    int defaultThrottleMs = 60'000; // throttled without Retry-After: the quota's minute
    int maxListPages = 1'000;
    int pageSize = 500; // maxResults of aggregatedList (Google's maximum)
    // The reconciler's listing: only instances carrying the opt-in label (empty = every
    // instance of the project). A filtered listing is not complete (ListResult::complete).
    QString listFilter = QStringLiteral("labels.spotkeeper-auto-restart=true");
};

struct ComputeReply
{
    core::CallResult call; // classified; failure None for 2xx
    int status = 0; // HTTP status, 0 = no response
    QByteArray body;
};

class ComputeClient final : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Read, Write, OperationRead, List, LogRead };

    ComputeClient(core::AccessTokenSource *credential, ComputeOptions options,
                  const base::Clock &clock, QObject *parent = nullptr);
    ~ComputeClient() override;
    Q_DISABLE_COPY_MOVE(ComputeClient)

    // path relative to the base URL, e.g. "projects/p/zones/z/instances/n"; query items are
    // percent-encoded here (a filter's '=', a page token's '+' and '/').
    QUrl url(const QString &path, const QList<QPair<QString, QString>> &query = {}) const;
    // path relative to the Logging base URL, e.g. "entries:list".
    QUrl loggingUrl(const QString &path) const;
    bool isComputeUrl(const QUrl &url) const;
    bool isTrustedUrl(const QUrl &url) const; // Compute's or Logging's base
    // Decides at once whether the request may go: pending() counts it right away if not.
    void send(Kind kind, const QByteArray &method, const QUrl &url, const QString &project,
              std::function<void(ComputeReply)> done);
    // The same with a JSON body (POST entries.list).
    void send(Kind kind, const QByteArray &method, const QUrl &url, const QString &project,
              const QByteArray &jsonBody, std::function<void(ComputeReply)> done);

    void processQueue() { m_queue.processQueue(); }
    const ComputeOptions &options() const { return m_options; }
    core::AccessTokenSource *credential() const { return m_queue.credential(); }
    QDateTime blockedUntil(const QString &project) const { return m_queue.blockedUntil(project); }
    qint64 sentCount() const { return m_queue.sentCount(); }
    int pending() const { return m_queue.pending(); }

signals:
    void throttled(const QString &project, const QDateTime &until);

private:
    ComputeReply reply(const QString &project, core::BearerAnswer answer);

    ComputeOptions m_options;
    QNetworkAccessManager *m_network;
    core::BudgetedRequestQueue m_queue;
};

} // namespace spotkeeper::gcp
