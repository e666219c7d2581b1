// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/http/testhttpclient.h"

#include <QEventLoop>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QTimer>

namespace spotkeeper::testsupport {

QByteArray HttpReply::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QJsonDocument HttpReply::json() const
{
    return QJsonDocument::fromJson(body);
}

TestHttpClient::TestHttpClient(int timeoutMs)
    : m_timeoutMs(timeoutMs)
{
    // Tests talk to 127.0.0.1 only; never let an environment proxy intercept.
    m_manager.setProxy(QNetworkProxy::NoProxy);
}

TestHttpClient::~TestHttpClient() = default;

void TestHttpClient::setSslConfiguration(const QSslConfiguration &configuration)
{
    m_ssl = configuration;
    m_hasSsl = true;
}

HttpReply TestHttpClient::get(const QUrl &url, const http::HeaderList &headers)
{
    return send(QByteArrayLiteral("GET"), url, {}, headers);
}

HttpReply TestHttpClient::post(const QUrl &url, const QByteArray &body,
                               const http::HeaderList &headers, const QByteArray &contentType)
{
    http::HeaderList all = headers;
    all.append({QByteArrayLiteral("Content-Type"), contentType});
    return send(QByteArrayLiteral("POST"), url, body, all);
}

HttpReply TestHttpClient::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                               const http::HeaderList &headers)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    if (m_hasSsl)
        request.setSslConfiguration(m_ssl);
    QNetworkReply *reply = nullptr;
    if (body.isEmpty() && (method == "GET" || method == "HEAD" || method == "DELETE"))
        reply = m_manager.sendCustomRequest(request, method);
    else
        reply = m_manager.sendCustomRequest(request, method, body);
    return run(reply);
}

HttpReply TestHttpClient::run(QNetworkReply *reply)
{
    HttpReply out;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        out.timedOut = true;
        reply->abort();
    });
    timer.start(m_timeoutMs);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    timer.stop();

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    out.status = status.isValid() ? status.toInt() : 0;
    for (const auto &pair : reply->rawHeaderPairs())
        out.headers.append({pair.first, pair.second});
    if (reply->isOpen())
        out.body = reply->readAll();
    out.error = reply->error();
    if (out.status != 0 && out.error >= QNetworkReply::ContentAccessDenied
        && out.error <= QNetworkReply::UnknownServerError)
        out.error = QNetworkReply::NoError; // an HTTP status is an answer, not a failure here
    out.errorString = out.error == QNetworkReply::NoError ? QString() : reply->errorString();
    reply->deleteLater();
    return out;
}

} // namespace spotkeeper::testsupport
