// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/ec2imdsclient.h"

#include "agentcore/httpexchange.h"
#include "base/urlpath.h"

#include <algorithm>
#include <utility>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {

constexpr QByteArrayView kTokenPath = "/latest/api/token";
constexpr QByteArrayView kTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
constexpr QByteArrayView kTokenHeader = "X-aws-ec2-metadata-token";

HttpRequest baseRequest(const QUrl &url, int timeoutMs)
{
    HttpRequest request;
    request.url = url;
    request.timeoutMs = timeoutMs;
    request.noProxy = true; // link-local: a proxy would be wrong (and IMDS refuses forwarded PUTs)
    request.maxResponseBytes = qint64 {256} * 1024;
    return request;
}

} // namespace

Ec2ImdsClient::Ec2ImdsClient(QUrl baseUrl, const base::Clock &clock, int tokenTtlSeconds,
                             QObject *parent)
    : QObject(parent)
    , m_base(std::move(baseUrl))
    , m_clock(clock)
    , m_ttlSeconds(std::clamp(tokenTtlSeconds, 1, kMaxTokenTtl))
{ }

Ec2ImdsClient::~Ec2ImdsClient()
{
    m_token.fill('\0');
}

QUrl Ec2ImdsClient::urlFromEnvironment(const QString &endpoint, const QString &mode, QString *error)
{
    if (!endpoint.trimmed().isEmpty()) {
        QUrl url(endpoint.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
            || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery()) {
            *error =
                u"AWS_EC2_METADATA_SERVICE_ENDPOINT: '%1' is not an http:// URL"_s.arg(endpoint);
            return {};
        }
        return url;
    }
    const QString m = mode.trimmed();
    if (m.compare("IPv6"_L1, Qt::CaseInsensitive) == 0)
        return QUrl(u"http://[fd00:ec2::254]"_s);
    if (!m.isEmpty() && m.compare("IPv4"_L1, Qt::CaseInsensitive) != 0) {
        *error = u"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: '%1' is not IPv4 or IPv6"_s.arg(mode);
        return {};
    }
    return QUrl(u"http://169.254.169.254"_s);
}

bool Ec2ImdsClient::tokenFresh() const
{
    return !m_token.isEmpty() && m_clock.nowMSecs() < m_refreshAtMs;
}

void Ec2ImdsClient::get(const QString &path, int timeoutMs, Callback done)
{
    enqueue(Waiting {path, timeoutMs, std::move(done)});
}

void Ec2ImdsClient::enqueue(Waiting waiting)
{
    if (tokenFresh()) {
        read(std::move(waiting));
        return;
    }
    const int timeoutMs = waiting.timeoutMs;
    m_waiting.append(std::move(waiting));
    if (!m_fetching)
        fetchToken(timeoutMs);
}

void Ec2ImdsClient::probeToken(int timeoutMs, Callback done)
{
    HttpRequest request =
        baseRequest(base::appendPath(m_base, QString::fromLatin1(kTokenPath)), timeoutMs);
    request.verb = QByteArrayLiteral("PUT");
    request.headers.append({kTtlHeader.toByteArray(), QByteArray::number(m_ttlSeconds)});
    HttpExchange::start(
        request, nullptr,
        [done = std::move(done)](const HttpResponse &response) {
            Ec2Reply reply = MetadataReply::from(response);
            if (reply.ok() && reply.body.trimmed().isEmpty())
                reply.error = u"HTTP 200 without a token"_s;
            reply.body.fill('\0');
            reply.body.clear();
            done(reply);
        },
        this);
}

void Ec2ImdsClient::fetchToken(int timeoutMs)
{
    m_fetching = true;
    const quint64 generation = ++m_tokenGeneration;
    HttpRequest request =
        baseRequest(base::appendPath(m_base, QString::fromLatin1(kTokenPath)), timeoutMs);
    request.verb = QByteArrayLiteral("PUT");
    request.headers.append({kTtlHeader.toByteArray(), QByteArray::number(m_ttlSeconds)});
    const qint64 askedAtMs = m_clock.nowMSecs();
    HttpExchange::start(
        request, nullptr,
        [this, generation, askedAtMs](const HttpResponse &response) {
            if (generation != m_tokenGeneration)
                return;
            m_fetching = false;
            Ec2Reply reply = MetadataReply::from(response);
            const QByteArray token = reply.body.trimmed();
            if (reply.ok() && (token.isEmpty() || token.size() > 4096))
                reply.error = u"HTTP 200 without a usable token"_s;
            if (!reply.ok()) {
                QString why = u"IMDSv2 session token (PUT /latest/api/token): "_s + reply.error;
                if (reply.httpStatus == 0)
                    why += u"; in a container the instance's metadata hop limit may be too "
                           "low (set HttpPutResponseHopLimit to 2)"_s;
                else if (reply.httpStatus == 403)
                    why += u" (the instance metadata service may be turned off for this "
                           "instance)"_s;
                reply.body.fill('\0');
                reply.body.clear();
                reply.error = why;
                failWaiting(reply);
                return;
            }
            // The answer may say how long the token lives; it never lives longer than asked.
            int ttl = m_ttlSeconds;
            if (const auto header = response.header("x-aws-ec2-metadata-token-ttl-seconds")) {
                bool ok = false;
                const int said = header->trimmed().toInt(&ok);
                if (ok && said > 0)
                    ttl = std::min(ttl, said);
            }
            const qint64 lifeMs = qint64(ttl) * 1000;
            const qint64 lead = std::min<qint64>(lifeMs / 4, kMaxRefreshLeadMs);
            m_token.fill('\0');
            m_token = token;
            reply.body.fill('\0');
            m_refreshAtMs = askedAtMs + lifeMs - lead;
            ++m_tokensFetched;
            const QList<Waiting> waiting = std::exchange(m_waiting, {});
            for (const Waiting &w : waiting)
                read(w);
        },
        this);
}

void Ec2ImdsClient::failWaiting(const Ec2Reply &reply)
{
    const QList<Waiting> waiting = std::exchange(m_waiting, {});
    for (const Waiting &w : waiting)
        w.done(reply);
}

void Ec2ImdsClient::read(Waiting waiting)
{
    HttpRequest request = baseRequest(base::appendPath(m_base, waiting.path), waiting.timeoutMs);
    request.headers.append({kTokenHeader.toByteArray(), m_token});
    ++m_readsSent;
    const QByteArray sentToken = m_token;
    HttpExchange::start(
        request, nullptr,
        [this, waiting, sentToken](const HttpResponse &response) mutable {
            if (response.status == 401 && !waiting.retried) {
                // The token expired early or the service restarted: a new one, then once more.
                if (m_token == sentToken) {
                    m_token.fill('\0');
                    m_token.clear();
                }
                waiting.retried = true;
                enqueue(std::move(waiting));
                return;
            }
            Ec2Reply reply = MetadataReply::from(response);
            if (reply.httpStatus == 401)
                reply.error = u"HTTP 401 even with a fresh IMDSv2 session token"_s;
            waiting.done(reply);
        },
        this);
}

} // namespace spotkeeper::agent
