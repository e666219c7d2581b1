// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/computeclient.h"

#include "azure/armerror.h"
#include "base/clock.h"
#include "fleet/bearerexchange.h"
#include "gcp/computeparsers.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;
using core::FailureClass;

namespace {

Q_LOGGING_CATEGORY(lcCompute, "spotkeeper.gcp.compute")

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == "https"_L1 ? 443 : 80);
}

bool isUnder(const QUrl &url, const QUrl &base)
{
    return url.isValid() && base.isValid() && url.scheme() == base.scheme()
        && url.host().compare(base.host(), Qt::CaseInsensitive) == 0
        && defaultPort(url) == defaultPort(base) && url.path().startsWith(base.path());
}

core::RequestQueueOptions queueOptions(const ComputeOptions &options)
{
    core::RequestQueueOptions queue;
    queue.apiName = u"Compute"_s;
    queue.scopeName = u"project"_s;
    queue.log = &lcCompute;
    queue.budgetsEnabled = options.budgets.enabled;
    queue.timeoutMs = options.requestTimeoutMs;
    queue.defaultThrottleMs = options.defaultThrottleMs;
    return queue;
}

} // namespace

ComputeClient::ComputeClient(core::AccessTokenSource *credential, ComputeOptions options,
                             const base::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
    , m_queue(credential, m_network, clock, queueOptions(m_options))
{
    for (QUrl *base : {&m_options.computeUrl, &m_options.loggingUrl}) {
        if (!base->path().endsWith(u'/'))
            base->setPath(base->path() + u'/');
    }
    connect(&m_queue, &core::BudgetedRequestQueue::throttled, this, &ComputeClient::throttled);
}

ComputeClient::~ComputeClient() = default;

QUrl ComputeClient::url(const QString &path, const QList<QPair<QString, QString>> &query) const
{
    QUrl url = m_options.computeUrl;
    url.setPath(url.path() + path);
    QByteArray encoded;
    for (const auto &[key, value] : query) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    if (!encoded.isEmpty())
        url.setQuery(QString::fromLatin1(encoded), QUrl::StrictMode);
    return url;
}

QUrl ComputeClient::loggingUrl(const QString &path) const
{
    QUrl url = m_options.loggingUrl;
    url.setPath(url.path() + path);
    return url;
}

bool ComputeClient::isComputeUrl(const QUrl &url) const
{
    return isUnder(url, m_options.computeUrl);
}

bool ComputeClient::isTrustedUrl(const QUrl &url) const
{
    return isUnder(url, m_options.computeUrl) || isUnder(url, m_options.loggingUrl);
}

void ComputeClient::send(Kind kind, const QByteArray &method, const QUrl &url,
                         const QString &project, std::function<void(ComputeReply)> done)
{
    send(kind, method, url, project, QByteArray(), std::move(done));
}

void ComputeClient::send(Kind kind, const QByteArray &method, const QUrl &url,
                         const QString &project, const QByteArray &jsonBody,
                         std::function<void(ComputeReply)> done)
{
    if (!isTrustedUrl(url)) {
        ComputeReply reply;
        reply.call.failure = FailureClass::Fatal;
        reply.call.errorCode = u"UntrustedUrl"_s;
        reply.call.errorMessage = u"not a URL of the configured Compute or Logging API; not "
                                  "sending a token there"_s;
        done(reply);
        return;
    }
    const ComputeBudgets &b = m_options.budgets;
    const core::BudgetConfig config = kind == Kind::Read ? b.reads
        : kind == Kind::Write                            ? b.writes
        : kind == Kind::OperationRead                    ? b.operationReads
        : kind == Kind::LogRead                          ? b.logReads
                                                         : b.lists;
    const QString bucket = QString::number(int(kind)) + u'/' + project;
    m_queue.send({method, url, jsonBody, project, {{bucket, config}}, {}, int(kind)},
                 [this, project, done = std::move(done)](core::BearerAnswer answer) {
                     done(reply(project, std::move(answer)));
                 });
    m_queue.processQueue();
}

ComputeReply ComputeClient::reply(const QString &project, core::BearerAnswer answer)
{
    ComputeReply reply;
    reply.status = answer.status;
    reply.body = std::move(answer.body);
    if (core::classifyTransport(answer, reply.call))
        return reply;
    const int status = answer.status;
    const compute::ApiError error = compute::parseApiError(reply.body);
    reply.call.failure = compute::classifyHttp(status, error);
    reply.call.errorCode = !error.reason().isEmpty() ? error.reason()
        : !error.status.isEmpty()                    ? error.status
                                                     : u"HTTP%1"_s.arg(status);
    reply.call.errorMessage = error.message.isEmpty()
        ? u"HTTP %1 from the Compute Engine API"_s.arg(status)
        : error.message.left(500);
    reply.call.retryAfter = core::armerror::parseRetryAfter(
        core::armerror::headerValue(answer.headers, "Retry-After"), m_queue.clock().nowUtc());
    if (reply.call.failure == FailureClass::Throttled)
        reply.call.retryAfter = m_queue.throttle(project, reply.call.retryAfter);
    return reply;
}

} // namespace spotkeeper::gcp
