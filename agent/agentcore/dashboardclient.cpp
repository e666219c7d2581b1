// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/dashboardclient.h"

#include "agentcore/agentlog.h"
#include "agentcore/httpexchange.h"
#include "base/urlpath.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

DashboardClient::DashboardClient(const AgentConfig &config, const base::Clock &clock,
                                 QObject *parent)
    : QObject(parent)
    , m_legacy(config.legacy)
    , m_baseUrl(config.dashboardUrl)
    , m_legacyUrl(config.legacyWebhookUrl)
    , m_credential(config.credential)
    , m_legacyApiKey(config.legacyApiKey)
    , m_timeoutMs(config.deliveryTimeoutMs)
    , m_clock(clock)
{
    // Touch the TLS stack only for an https dashboard: loading OpenSSL costs ~5 MB of
    // resident memory that a plain-http (e.g. loopback or test) setup does not need.
    const QUrl &target = m_legacy ? m_legacyUrl : m_baseUrl;
    m_tls = target.scheme() == "https"_L1;
    if (m_tls)
        m_ssl = QSslConfiguration::defaultConfiguration();
    if (m_tls && !config.caFile.isEmpty()) {
        // Added to the system CAs, not instead of them, so a later move to a public
        // certificate keeps working.
        const auto certificates = QSslCertificate::fromPath(config.caFile);
        if (certificates.isEmpty())
            qCWarning(lcAgent).noquote()
                << u"ca-file %1 holds no PEM certificate; using the system CAs only"_s.arg(
                       config.caFile);
        m_ssl->addCaCertificates(certificates);
    }
}

QUrl DashboardClient::urlFor(Route route) const
{
    if (m_legacy)
        return m_legacyUrl;
    return base::appendPath(
        m_baseUrl, route == Route::Notice ? u"/api/v1/notices"_s : u"/api/v1/heartbeats"_s);
}

void DashboardClient::post(Route route, const QByteArray &body, const QByteArray &webhookId,
                           std::function<void(const PostResult &)> done)
{
    HttpRequest request;
    request.verb = QByteArrayLiteral("POST");
    request.url = urlFor(route);
    request.body = body;
    request.timeoutMs = m_timeoutMs;
    request.headers.append(
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    request.headers.append({QByteArrayLiteral("User-Agent"),
                            QByteArrayLiteral("spotkeeper-agent/" SPOTKEEPER_VERSION)});
    if (m_legacy) {
        request.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + m_legacyApiKey});
    } else {
        const qint64 timestamp = m_clock.nowUtc().toSecsSinceEpoch();
        const auto headers = protocol::sign(m_credential.secrets, webhookId, timestamp, body);
        request.headers.append({protocol::kHeaderId, headers.id});
        request.headers.append({protocol::kHeaderTimestamp, headers.timestamp});
        request.headers.append({protocol::kHeaderSignature, headers.signature});
        request.headers.append({protocol::kHeaderKeyId, m_credential.keyId.toUtf8()});
    }

    HttpExchange::start(
        request, m_ssl ? &*m_ssl : nullptr,
        [done](const HttpResponse &response) {
            PostResult result;
            result.httpStatus = response.status;
            result.error = response.error;
            result.body = response.body.left(64 * 1024);
            if (result.httpStatus != 0) {
                if (!result.delivered()) {
                    // The dashboard's uniform error names the reason ("bad_signature", ...).
                    const QString code = QJsonDocument::fromJson(result.body)
                                             .object()
                                             .value("error"_L1)
                                             .toObject()
                                             .value("code"_L1)
                                             .toString();
                    result.error = u"HTTP %1"_s.arg(result.httpStatus)
                        + (code.isEmpty() ? QString() : u" ("_s + code.left(64) + u")"_s);
                }
                if (result.httpStatus == 200)
                    result.duplicate = QJsonDocument::fromJson(result.body)
                                           .object()
                                           .value("duplicate"_L1)
                                           .toBool();
            }
            done(result);
        },
        this);
}

} // namespace spotkeeper::agent
