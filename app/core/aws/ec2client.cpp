// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/ec2client.h"

#include "aws/awscredentials.h"
#include "aws/awshttp.h"
#include "aws/ec2parsers.h"
#include "fleet/bearerexchange.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>

#include <algorithm>

namespace spotkeeper::core::aws {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcEc2, "spotkeeper.aws.ec2")

// Codes after which resolving the keys again can help (temporary keys expired or rotated).
bool isStaleKeys(const QString &code)
{
    return code == "ExpiredToken"_L1 || code == "RequestExpired"_L1
        || code == "InvalidClientTokenId"_L1 || code == "AuthFailure"_L1
        || code == "ExpiredTokenException"_L1 || code == "UnrecognizedClientException"_L1;
}

core::RequestQueueOptions queueOptions(const Ec2Options &options)
{
    core::RequestQueueOptions queue;
    queue.apiName = u"AWS"_s;
    queue.scopeName = u"service/region"_s;
    queue.log = &lcEc2;
    queue.budgetsEnabled = options.budgets.enabled;
    return queue;
}

} // namespace

CallResult cloudTrailCallResult(int httpStatus, QByteArrayView body)
{
    CallResult result;
    result.httpStatus = httpStatus;
    if (httpStatus >= 200 && httpStatus < 300)
        return result;
    const QJsonObject error = QJsonDocument::fromJson(body.toByteArray()).object();
    QString type = error.value("__type"_L1).toString();
    type = type.section(u'#', -1); // "com.amazonaws...#ThrottlingException"
    result.errorCode = type.isEmpty() ? u"HTTP%1"_s.arg(httpStatus) : type;
    result.errorMessage = error.value("message"_L1).toString();
    if (result.errorMessage.isEmpty())
        result.errorMessage = error.value("Message"_L1).toString();
    result.errorMessage = result.errorMessage.left(1024);
    if (type.contains("Throttl"_L1) || httpStatus == 429)
        result.failure = FailureClass::Throttled;
    else if (type == "AccessDeniedException"_L1 || type == "UnrecognizedClientException"_L1
             || type == "InvalidSignatureException"_L1 || type == "ExpiredTokenException"_L1
             || type == "IncompleteSignatureException"_L1 || httpStatus == 401 || httpStatus == 403)
        result.failure = FailureClass::Authorization;
    else if (httpStatus >= 500 || httpStatus == 0)
        result.failure = FailureClass::Transient;
    else
        result.failure = FailureClass::Fatal;
    return result;
}

Ec2Client::Ec2Client(AwsCredentialChain *credentials, Ec2Options options, const base::Clock &clock,
                     QObject *parent)
    : QObject(parent)
    , m_credentials(credentials)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_network(new QNetworkAccessManager(this))
    , m_queue(nullptr, m_network, clock, queueOptions(m_options))
{ }

Ec2Client::~Ec2Client() = default;

QUrl Ec2Client::endpoint(const QString &service, const QString &region, QString *problem) const
{
    if (service == "cloudtrail"_L1)
        return serviceEndpoint(m_options.env, m_options.cloudTrailEndpoint, u"CLOUDTRAIL"_s,
                               u"cloudtrail"_s, region, problem);
    return serviceEndpoint(m_options.env, m_options.ec2Endpoint, u"EC2"_s, u"ec2"_s, region,
                           problem);
}

void Ec2Client::sendQuery(Kind kind, const QString &region, const Ec2Query &query,
                          std::function<void(Ec2Reply)> done)
{
    Pending request;
    request.kind = kind;
    request.region = region;
    request.service = u"ec2"_s;
    request.body = query.formBody();
    request.contentType = "application/x-www-form-urlencoded; charset=utf-8";
    request.done = std::move(done);
    enqueue(std::move(request));
}

void Ec2Client::sendCloudTrail(const QString &region, const QByteArray &action,
                               const QByteArray &json, std::function<void(Ec2Reply)> done)
{
    Pending request;
    request.kind = Kind::CloudTrail;
    request.region = region;
    request.service = u"cloudtrail"_s;
    request.body = json;
    request.contentType = "application/x-amz-json-1.1";
    request.extraHeaders.append(
        {"X-Amz-Target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101." + action});
    request.done = std::move(done);
    enqueue(std::move(request));
}

void Ec2Client::enqueue(Pending request)
{
    QString problem;
    request.url = endpoint(request.service, request.region, &problem);
    if (!request.url.isValid()) {
        Ec2Reply reply;
        reply.call.failure = FailureClass::Fatal;
        reply.call.errorCode = u"InvalidEndpoint"_s;
        reply.call.errorMessage = problem;
        request.done(reply);
        return;
    }
    const Ec2Budgets &budgets = m_options.budgets;
    const BudgetConfig config = request.kind == Kind::Describe ? budgets.describe
        : request.kind == Kind::Mutate                         ? budgets.mutate
        : request.kind == Kind::Run                            ? budgets.run
                                                               : budgets.cloudTrail;
    core::BudgetedRequestQueue::Request paced;
    paced.scope = request.service + u'/' + request.region;
    paced.buckets = {{QString::number(int(request.kind)) + u'/' + request.region, config}};
    m_queue.schedule(std::move(paced), [this, request = std::move(request)]() mutable {
        dispatch(std::move(request), false);
    });
    // Decided at once, as before the shared queue: a request that may go is sent now.
    m_queue.processQueue();
}

void Ec2Client::processQueue()
{
    m_queue.processQueue();
}

void Ec2Client::dispatch(Pending request, bool isRetry)
{
    m_credentials->get(
        [this, request = std::move(request), isRetry](const CredentialResult &credentials) mutable {
            if (!credentials.ok()) {
                Ec2Reply reply;
                reply.call.failure =
                    credentials.fatal ? FailureClass::Authorization : FailureClass::Transient;
                reply.call.errorCode = u"CredentialUnavailable"_s;
                reply.call.errorMessage = credentials.error;
                request.done(reply);
                return;
            }
            SigV4Request signable;
            signable.method = "POST";
            signable.path = request.url.path(QUrl::FullyDecoded).toUtf8();
            if (signable.path.isEmpty())
                signable.path = "/";
            signable.headers.append({"Host", hostHeader(request.url)});
            signable.headers.append({"Content-Type", request.contentType});
            signable.headers.append(request.extraHeaders);
            signable.body = request.body;
            const SigV4Result signature =
                signRequest(signable, credentials.credentials->keys, request.region,
                            request.service, m_clock.nowUtc());
            if (!signature.ok()) {
                Ec2Reply reply;
                reply.call.failure = FailureClass::Fatal;
                reply.call.errorCode = u"SigningFailed"_s;
                reply.call.errorMessage = signature.error;
                request.done(reply);
                return;
            }
            ++m_sent;
            const QUrl url = request.url;
            const QByteArray body = request.body;
            sendAwsHttp(
                m_network, this, "POST", url, signable.headers, body, m_options.requestTimeoutMs,
                [this, request = std::move(request), isRetry](const AwsHttpAnswer &answer) mutable {
                    handleAnswer(std::move(request), isRetry, answer.status, answer.body,
                                 answer.networkError, answer.networkText);
                });
        });
}

void Ec2Client::handleAnswer(Pending request, bool isRetry, int status, const QByteArray &body,
                             int networkError, const QString &networkText)
{
    Ec2Reply reply;
    reply.status = status;
    reply.body = body;
    if (status == 0) {
        reply.call = networkFailure(networkError, networkText);
    } else if (request.kind == Kind::CloudTrail) {
        reply.call = cloudTrailCallResult(status, body);
    } else {
        reply.call = ec2CallResult(status, body);
    }
    qCDebug(lcEc2).noquote() << request.service << request.region << "->" << status
                             << reply.call.errorCode;
    if (!reply.call.ok() && !isRetry && isStaleKeys(reply.call.errorCode)) {
        qCInfo(lcEc2).noquote() << request.service << "refused the keys (" << reply.call.errorCode
                                << "); resolving them again, once";
        m_credentials->invalidate();
        dispatch(std::move(request), true);
        return;
    }
    const QString scope = request.service + u'/' + request.region;
    if (reply.call.failure == FailureClass::Throttled) {
        const int throttles = ++m_throttles[scope];
        const qint64 delay =
            std::min<qint64>(m_options.throttleMaxMs,
                             qint64(m_options.throttleBaseMs) << std::min(throttles - 1, 16));
        const QDateTime until = m_queue.throttle(scope, m_clock.nowUtc().addMSecs(delay));
        const QDateTime gate = m_queue.blockedUntil(scope); // a longer gate stands
        reply.call.retryAfter = gate.isValid() ? gate : until;
        emit throttled(request.region, reply.call.retryAfter);
    } else if (status != 0) {
        m_throttles.remove(scope);
    }
    request.done(reply);
}

} // namespace spotkeeper::core::aws
