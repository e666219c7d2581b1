// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "operatorapi/operatorclient.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslCertificate>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

OperatorClient::OperatorClient(OperatorClientOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
    , m_ssl(QSslConfiguration::defaultConfiguration())
{
    if (!m_options.caFile.isEmpty()) {
        QList<QSslCertificate> cas = m_ssl.caCertificates();
        cas.append(QSslCertificate::fromPath(m_options.caFile, QSsl::Pem));
        m_ssl.setCaCertificates(cas);
    }
}

OperatorClient::~OperatorClient() = default;

bool OperatorClient::isLoopbackHost(const QString &host)
{
    if (host.compare("localhost"_L1, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool OperatorClient::mayCarryToken(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == "https"_L1
            || (url.scheme() == "http"_L1 && isLoopbackHost(url.host())));
}

QNetworkReply *OperatorClient::send(const QByteArray &method, const QString &pathAndQuery,
                                    const QByteArray &body)
{
    QUrl url = m_options.baseUrl;
    const qsizetype q = pathAndQuery.indexOf(u'?');
    QString basePath = url.path();
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + pathAndQuery.left(q), QUrl::TolerantMode);
    url.setQuery(q < 0 ? QString() : pathAndQuery.mid(q + 1), QUrl::TolerantMode);
    QNetworkRequest request(url);
    // Never the token in clear to another host, whoever built these options; and a
    // redirect must not carry it elsewhere either.
    if (mayCarryToken(url))
        request.setRawHeader("Authorization", "Bearer " + m_options.token);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::SameOriginRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_options.requestTimeoutMs);
    if (url.scheme() == "https"_L1)
        request.setSslConfiguration(m_ssl);
    return m_network->sendCustomRequest(request, method, body);
}

OperatorClient::Reply OperatorClient::finish(QNetworkReply *reply, bool expectJson)
{
    using F = Reply::Failure;
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    if (r.status == 0) {
        r.failure = F::Unreachable; // the error string names the cause (refused, TLS, timeout)
        r.detail = reply->errorString();
        return r;
    }
    if (r.status == 401) {
        r.failure = F::Unauthorized;
        return r;
    }
    if (!expectJson)
        return r;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        r.failure = F::NotJson;
        r.detail =
            parseError.error != QJsonParseError::NoError ? parseError.errorString() : QString();
        return r;
    }
    r.json = doc.object();
    if (r.status < 200 || r.status >= 300) {
        r.failure = F::Http;
        r.detail = r.json.value(u"error"_s).toObject().value(u"message"_s).toString();
    }
    return r;
}

void OperatorClient::whenFinished(QNetworkReply *reply, bool expectJson, Done done)
{
    connect(reply, &QNetworkReply::finished, this, [reply, expectJson, done = std::move(done)] {
        reply->deleteLater();
        done(finish(reply, expectJson));
    });
}

void OperatorClient::get(const QString &pathAndQuery, Done done, bool expectJson)
{
    whenFinished(send("GET", pathAndQuery, {}), expectJson, std::move(done));
}

void OperatorClient::call(const QByteArray &method, const QString &pathAndQuery,
                          const QJsonObject &body, Done done)
{
    const QByteArray bytes = body.isEmpty() && method == "GET"
        ? QByteArray()
        : QJsonDocument(body).toJson(QJsonDocument::Compact);
    whenFinished(send(method, pathAndQuery, bytes), true, std::move(done));
}

} // namespace spotkeeper::core
