// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QRegularExpression>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace spotkeeper::testsupport {

// One request as the fake saw it, kept for assertions.
struct RecordedRequest
{
    QByteArray method;
    QByteArray path; // decoded, without query
    QByteArray query; // raw, without '?'
    http::HeaderList headers;
    QByteArray body;
    qint64 arrivalMs = 0; // since the FakeHttpServer was constructed (monotonic)
    int sequence = 0; // 0, 1, 2 ... over all requests of this server

    QByteArray header(QByteArrayView name) const; // case-insensitive, empty if absent
    QString queryItem(const QString &key) const; // decoded
    QJsonDocument json() const; // body parsed; null document if not JSON
};

// A route: how the fake answers requests matching a method and a path rule. Per request:
// the next scripted response if any is queued, else the handler, else the fixed
// response, else 500 "script exhausted". Optional delay before answering (timer-based).
class Route
{
public:
    using SyncHandler = std::function<http::Response(const RecordedRequest &request)>;
    using AsyncHandler = std::function<void(const RecordedRequest &request,
                                            std::shared_ptr<http::Responder> responder)>;

    Route &respond(const http::Response &response); // every time (after the queue)
    Route &respond(int status, const QByteArray &jsonBody); // JSON shortcut
    Route &respondWith(SyncHandler handler);
    Route &respondAsync(AsyncHandler handler); // you call responder->send(), or never
    Route &enqueue(const http::Response &response); // scripted: consumed one per request
    Route &enqueue(int status, const QByteArray &jsonBody);
    // Body read from tests/data/azure-fixtures/<fixture>; QFAIL-worthy if missing
    // (returns 500 with the path in the body so the test's assertion shows it).
    Route &respondFixture(int status, const QString &fixture,
                          const QByteArray &contentType = QByteArrayLiteral("application/json"));
    Route &enqueueFixture(int status, const QString &fixture,
                          const QByteArray &contentType = QByteArrayLiteral("application/json"));
    // Same with any file by absolute path (e.g. testDataPath("azure/x.json")).
    Route &respondFile(int status, const QString &path,
                       const QByteArray &contentType = QByteArrayLiteral("application/json"));
    Route &withHeader(const QByteArray &name, const QByteArray &value); // added to all answers
    Route &delay(int ms); // answer after ms (QTimer; the event loop keeps running)
    Route &hangUp(); // never answer (client timeouts)

    int hits() const { return m_hits; }
    int queued() const { return int(m_queue.size()); }
    const QByteArray &method() const { return m_method; }

private:
    friend class FakeHttpServer;
    enum class Kind { Exact, Prefix, Regex };
    bool matches(const QByteArray &method, const QByteArray &path) const;
    void serve(const RecordedRequest &request, std::shared_ptr<http::Responder> responder);
    http::Response decorate(http::Response response) const;

    QByteArray m_method; // empty = any
    Kind m_kind = Kind::Exact;
    QByteArray m_path;
    QRegularExpression m_regex;
    std::deque<http::Response> m_queue;
    SyncHandler m_sync;
    AsyncHandler m_async;
    std::unique_ptr<http::Response> m_fixed;
    http::HeaderList m_extraHeaders;
    int m_delayMs = 0;
    bool m_hangUp = false;
    int m_hits = 0;
    QObject *m_timerContext = nullptr;
};

// A real HTTP server on 127.0.0.1, port chosen by the OS, that answers by a route table
// and records every request. The most recently added matching route wins, so a test can
// override a default installed by a specialised fake (Entra, ARM, IMDS). Unmatched
// requests get 404 {"error":{"code":"no_route",...}} and are recorded too.
class FakeHttpServer final : public QObject
{
    Q_OBJECT
public:
    explicit FakeHttpServer(QObject *parent = nullptr);
    ~FakeHttpServer() override;
    Q_DISABLE_COPY_MOVE(FakeHttpServer)

    // Listens on 127.0.0.1:0 (plain, or TLS with the given files). Tests: QVERIFY2(start(&e), ..).
    // A port: that one (a receiver that comes back where it was).
    bool start(QString *error = nullptr, quint16 port = 0);
    bool startTls(const http::TlsOptions &tls, QString *error = nullptr);
    quint16 port() const;
    QUrl baseUrl() const; // http(s)://127.0.0.1:<port>
    QUrl url(const QString &pathAndQuery) const; // baseUrl() + "/path?query"
    http::HttpServer &server() { return m_server; }

    // method: "GET", "POST", ... or empty for any method.
    Route &route(const QByteArray &method, const QByteArray &path);
    Route &routePrefix(const QByteArray &method, const QByteArray &prefix);
    Route &routeRegex(const QByteArray &method, const QString &pattern); // matched on the path
    void clearRoutes();

    QList<RecordedRequest> requests() const { return m_requests; }
    QList<RecordedRequest> requests(const QByteArray &method, const QByteArray &path) const;
    int count() const { return int(m_requests.size()); }
    int count(const QByteArray &method, const QByteArray &path) const;
    int unmatched() const { return m_unmatched; }
    RecordedRequest last() const; // default-constructed if none
    void clearRequests();
    // Spins the event loop until count() >= n or the timeout; true if reached.
    bool waitForRequests(int n, int timeoutMs = 10'000);

signals:
    void requestReceived(const spotkeeper::testsupport::RecordedRequest &request);

private:
    void handle(const http::Request &request, std::shared_ptr<http::Responder> responder);
    Route &addRoute(const QByteArray &method);

    http::HttpServer m_server;
    std::vector<std::unique_ptr<Route>> m_routes;
    QList<RecordedRequest> m_requests;
    QElapsedTimer m_clock;
    int m_unmatched = 0;
    bool m_tls = false;
};

} // namespace spotkeeper::testsupport

Q_DECLARE_METATYPE(spotkeeper::testsupport::RecordedRequest)
