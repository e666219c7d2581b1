// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QUrl>

namespace spotkeeper::testsupport {

// What a test needs from one HTTP exchange.
struct HttpReply
{
    int status = 0; // 0: no HTTP response (connection error, TLS refusal, timeout)
    http::HeaderList headers;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError; // NoError for any HTTP status
    QString errorString;
    bool timedOut = false;

    QByteArray header(QByteArrayView name) const; // case-insensitive, empty if absent
    QJsonDocument json() const;
};

// Blocking-looking HTTP client for tests: each call spins a local event loop (so servers
// in the same thread keep running) until the reply finishes or the timeout aborts it.
// One QNetworkAccessManager, so sequential calls reuse keep-alive connections.
class TestHttpClient final
{
public:
    explicit TestHttpClient(int timeoutMs = 10'000);
    ~TestHttpClient();
    Q_DISABLE_COPY_MOVE(TestHttpClient)

    HttpReply get(const QUrl &url, const http::HeaderList &headers = {});
    HttpReply post(const QUrl &url, const QByteArray &body, const http::HeaderList &headers = {},
                   const QByteArray &contentType = QByteArrayLiteral("application/json"));
    // Any method ("PUT", "DELETE", "PATCH", ...); empty body sends none.
    HttpReply send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                   const http::HeaderList &headers = {});

    void setTimeout(int ms) { m_timeoutMs = ms; }
    // For https: CA to trust, client certificate/key for mTLS, etc.
    void setSslConfiguration(const QSslConfiguration &configuration);
    QNetworkAccessManager &manager() { return m_manager; }

private:
    HttpReply run(QNetworkReply *reply);

    QNetworkAccessManager m_manager;
    QSslConfiguration m_ssl;
    bool m_hasSsl = false;
    int m_timeoutMs;
};

} // namespace spotkeeper::testsupport
