// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/computeclient.h"

#include "azure/accesstokensource.h"
#include "azure/armerror.h"
#include "base/clock.h"
#include "fleet/bearerexchange.h"
#include "gcp/computeparsers.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>

#include <algorithm>

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

} // namespace

ComputeClient::ComputeClient(core::AccessTokenSource *credential, ComputeOptions options,
                             const base::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_credential(credential)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_network(new QNetworkAccessManager(this))
{
    for (QUrl *base : {&m_options.computeUrl, &m_options.loggingUrl}) {
        if (!base->path().endsWith(u'/'))
            base->setPath(base->path() + u'/');
    }
    m_wake.setSingleShot(true);
    connect(&m_wake, &QTimer::timeout, this, &ComputeClient::processQueue);
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

core::RateBudget &ComputeClient::bucket(Kind kind, const QString &project)
{
    const QString key = QString::number(int(kind)) + u'/' + project;
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        const ComputeBudgets &b = m_options.budgets;
        const core::BudgetConfig config = kind == Kind::Read ? b.reads
            : kind == Kind::Write                            ? b.writes
            : kind == Kind::OperationRead                    ? b.operationReads
            : kind == Kind::LogRead                          ? b.logReads
                                                             : b.lists;
        it = m_buckets.insert(key, core::RateBudget(config));
    }
    return *it;
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
    m_queue.push_back(Pending {kind, method, url, project, jsonBody, std::move(done)});
    processQueue();
}

void ComputeClient::processQueue()
{
    const qint64 nowMs = m_clock.nowMSecs();
    qint64 minWait = -1;
    std::vector<Pending> ready;
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        qint64 wait = 0;
        const QDateTime gate = m_gates.value(it->project);
        if (gate.isValid())
            wait = std::max<qint64>(0, gate.toMSecsSinceEpoch() - nowMs);
        if (wait == 0 && m_options.budgets.enabled)
            wait = bucket(it->kind, it->project).msUntilAvailable(nowMs);
        if (wait == 0) {
            if (m_options.budgets.enabled)
                bucket(it->kind, it->project).tryTake(nowMs);
            ready.push_back(std::move(*it));
            it = m_queue.erase(it);
            continue;
        }
        minWait = minWait < 0 ? wait : std::min(minWait, wait);
        ++it;
    }
    if (minWait >= 0) {
        const int ms = int(std::clamp<qint64>(minWait, 1, 3'600'000));
        if (!m_wake.isActive() || m_wake.remainingTime() > ms)
            m_wake.start(ms);
    }
    for (Pending &request : ready)
        dispatch(std::move(request), false);
}

void ComputeClient::dispatch(Pending request, bool isRetryAfter401)
{
    const QUrl url = request.url;
    const QByteArray method = request.method;
    const QByteArray body = request.body;
    core::sendWithBearer(
        m_credential, m_network, this, method, url, body, m_options.requestTimeoutMs,
        [this, request = std::move(request), isRetryAfter401](core::BearerAnswer answer) mutable {
            if (answer.tokenFailed) {
                ComputeReply reply;
                reply.call = answer.call;
                request.done(reply);
                return;
            }
            QByteArray retryAfter;
            for (const auto &[name, value] : std::as_const(answer.headers)) {
                if (name.compare("Retry-After", Qt::CaseInsensitive) == 0)
                    retryAfter = value;
            }
            handleReply(std::move(request), isRetryAfter401, answer.status, answer.body, retryAfter,
                        answer.networkError, answer.networkText);
        },
        [this] { ++m_sent; });
}

void ComputeClient::handleReply(Pending request, bool isRetryAfter401, int status,
                                const QByteArray &body, const QByteArray &retryAfterHeader,
                                int networkError, const QString &networkText)
{
    qCDebug(lcCompute).noquote() << request.method << request.url.path() << "->" << status;
    if (status == 401 && !isRetryAfter401) {
        qCInfo(lcCompute) << "Compute answered 401; refreshing the token and retrying once";
        m_credential->invalidate();
        dispatch(std::move(request), true);
        return;
    }
    ComputeReply reply;
    reply.status = status;
    reply.body = body;
    reply.call.httpStatus = status;
    const QDateTime now = m_clock.nowUtc();
    if (status == 0) {
        reply.call = core::networkFailure(networkError, networkText);
        reply.call.httpStatus = 0;
    } else if (status >= 200 && status < 300) {
        reply.call.failure = FailureClass::None;
    } else {
        const compute::ApiError error = compute::parseApiError(body);
        reply.call.failure = compute::classifyHttp(status, error);
        reply.call.errorCode = !error.reason().isEmpty() ? error.reason()
            : !error.status.isEmpty()                    ? error.status
                                                         : u"HTTP%1"_s.arg(status);
        reply.call.errorMessage = error.message.isEmpty()
            ? u"HTTP %1 from the Compute Engine API"_s.arg(status)
            : error.message.left(500);
        QDateTime retryAfter = core::armerror::parseRetryAfter(retryAfterHeader, now);
        if (reply.call.failure == FailureClass::Throttled) {
            if (!retryAfter.isValid())
                retryAfter = now.addMSecs(m_options.defaultThrottleMs);
            QDateTime &gate = m_gates[request.project];
            if (!gate.isValid() || gate < retryAfter)
                gate = retryAfter;
            qCWarning(lcCompute).noquote() << "Compute throttled project" << request.project
                                           << "until" << retryAfter.toString(Qt::ISODateWithMs);
            emit throttled(request.project, retryAfter);
        }
        reply.call.retryAfter = retryAfter;
    }
    request.done(reply);
}

} // namespace spotkeeper::gcp
