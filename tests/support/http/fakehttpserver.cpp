// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/http/fakehttpserver.h"

#include "support/common/fixtures.h"

#include <QFile>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

namespace spotkeeper::testsupport {

using namespace Qt::StringLiterals;

QByteArray RecordedRequest::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString RecordedRequest::queryItem(const QString &key) const
{
    return QUrlQuery(QString::fromUtf8(query)).queryItemValue(key, QUrl::FullyDecoded);
}

QJsonDocument RecordedRequest::json() const
{
    return QJsonDocument::fromJson(body);
}

namespace {

http::Response fixtureResponse(int status, const QString &name, const QByteArray &contentType)
{
    const QByteArray body = fixture(name);
    if (body.isEmpty())
        return http::Response::error(500, u"fixture_missing"_s, fixturePath(name));
    return http::Response {status, {{"Content-Type"_ba, contentType}}, body};
}

http::Response fileResponse(int status, const QString &path, const QByteArray &contentType)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return http::Response::error(500, u"file_missing"_s, path);
    return http::Response {status, {{"Content-Type"_ba, contentType}}, f.readAll()};
}

} // namespace

Route &Route::respondFile(int status, const QString &path, const QByteArray &contentType)
{
    return respond(fileResponse(status, path, contentType));
}

Route &Route::respond(const http::Response &response)
{
    m_fixed = std::make_unique<http::Response>(response);
    return *this;
}

Route &Route::respond(int status, const QByteArray &jsonBody)
{
    return respond(http::Response::json(status, jsonBody));
}

Route &Route::respondWith(SyncHandler handler)
{
    m_sync = std::move(handler);
    return *this;
}

Route &Route::respondAsync(AsyncHandler handler)
{
    m_async = std::move(handler);
    return *this;
}

Route &Route::enqueue(const http::Response &response)
{
    m_queue.push_back(response);
    return *this;
}

Route &Route::enqueue(int status, const QByteArray &jsonBody)
{
    return enqueue(http::Response::json(status, jsonBody));
}

Route &Route::respondFixture(int status, const QString &name, const QByteArray &contentType)
{
    return respond(fixtureResponse(status, name, contentType));
}

Route &Route::enqueueFixture(int status, const QString &name, const QByteArray &contentType)
{
    return enqueue(fixtureResponse(status, name, contentType));
}

Route &Route::withHeader(const QByteArray &name, const QByteArray &value)
{
    m_extraHeaders.append({name, value});
    return *this;
}

Route &Route::delay(int ms)
{
    m_delayMs = ms;
    return *this;
}

Route &Route::hangUp()
{
    m_hangUp = true;
    return *this;
}

bool Route::matches(const QByteArray &method, const QByteArray &path) const
{
    if (!m_method.isEmpty() && m_method != method)
        return false;
    switch (m_kind) {
    case Kind::Exact:
        return path == m_path;
    case Kind::Prefix:
        return path.startsWith(m_path);
    case Kind::Regex:
        return m_regex.match(QString::fromUtf8(path)).hasMatch();
    }
    return false;
}

http::Response Route::decorate(http::Response response) const
{
    response.headers += m_extraHeaders;
    return response;
}

void Route::serve(const RecordedRequest &request, std::shared_ptr<http::Responder> responder)
{
    ++m_hits;
    if (m_hangUp)
        return;
    if (!m_queue.empty() || !m_async) {
        http::Response response;
        if (!m_queue.empty()) {
            response = m_queue.front();
            m_queue.pop_front();
        } else if (m_sync) {
            response = m_sync(request);
        } else if (m_fixed) {
            response = *m_fixed;
        } else {
            response = http::Response::error(500, u"script_exhausted"_s,
                                             u"no scripted response left for this route"_s);
        }
        response = decorate(response);
        if (m_delayMs <= 0) {
            responder->send(response);
        } else {
            QTimer::singleShot(m_delayMs, m_timerContext,
                               [responder, response] { responder->send(response); });
        }
        return;
    }
    if (m_delayMs <= 0) {
        m_async(request, responder);
    } else {
        QTimer::singleShot(m_delayMs, m_timerContext, [handler = m_async, request, responder] {
            handler(request, responder);
        });
    }
}

FakeHttpServer::FakeHttpServer(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_server.setHandler(
        [this](const http::Request &request, std::shared_ptr<http::Responder> responder) {
            handle(request, std::move(responder));
        });
}

FakeHttpServer::~FakeHttpServer() = default;

bool FakeHttpServer::start(QString *error, quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port, error);
}

bool FakeHttpServer::startTls(const http::TlsOptions &tls, QString *error)
{
    if (!m_server.setTls(tls, error))
        return false;
    m_tls = true;
    return start(error);
}

quint16 FakeHttpServer::port() const
{
    return m_server.serverPort();
}

QUrl FakeHttpServer::baseUrl() const
{
    QUrl u;
    u.setScheme(m_tls ? u"https"_s : u"http"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(port());
    return u;
}

QUrl FakeHttpServer::url(const QString &pathAndQuery) const
{
    QString p = pathAndQuery;
    if (!p.startsWith(u'/'))
        p.prepend(u'/');
    return QUrl(baseUrl().toString() + p);
}

Route &FakeHttpServer::addRoute(const QByteArray &method)
{
    auto r = std::make_unique<Route>();
    r->m_method = method.toUpper();
    r->m_timerContext = this;
    m_routes.push_back(std::move(r));
    return *m_routes.back();
}

Route &FakeHttpServer::route(const QByteArray &method, const QByteArray &path)
{
    Route &r = addRoute(method);
    r.m_kind = Route::Kind::Exact;
    r.m_path = path;
    return r;
}

Route &FakeHttpServer::routePrefix(const QByteArray &method, const QByteArray &prefix)
{
    Route &r = addRoute(method);
    r.m_kind = Route::Kind::Prefix;
    r.m_path = prefix;
    return r;
}

Route &FakeHttpServer::routeRegex(const QByteArray &method, const QString &pattern)
{
    Route &r = addRoute(method);
    r.m_kind = Route::Kind::Regex;
    r.m_regex = QRegularExpression(pattern);
    return r;
}

void FakeHttpServer::clearRoutes()
{
    m_routes.clear();
}

QList<RecordedRequest> FakeHttpServer::requests(const QByteArray &method,
                                                const QByteArray &path) const
{
    QList<RecordedRequest> out;
    for (const auto &r : m_requests) {
        if ((method.isEmpty() || r.method == method) && r.path == path)
            out.append(r);
    }
    return out;
}

int FakeHttpServer::count(const QByteArray &method, const QByteArray &path) const
{
    return int(requests(method, path).size());
}

RecordedRequest FakeHttpServer::last() const
{
    return m_requests.isEmpty() ? RecordedRequest {} : m_requests.constLast();
}

void FakeHttpServer::clearRequests()
{
    m_requests.clear();
    m_unmatched = 0;
}

bool FakeHttpServer::waitForRequests(int n, int timeoutMs)
{
    return QTest::qWaitFor([&] { return count() >= n; }, timeoutMs);
}

void FakeHttpServer::handle(const http::Request &request,
                            std::shared_ptr<http::Responder> responder)
{
    RecordedRequest rec;
    rec.method = request.method;
    rec.path = request.path;
    rec.query = request.query;
    rec.headers = request.headers;
    rec.body = request.body;
    rec.arrivalMs = m_clock.elapsed();
    rec.sequence = int(m_requests.size());
    m_requests.append(rec);
    emit requestReceived(rec);

    for (auto it = m_routes.rbegin(); it != m_routes.rend(); ++it) {
        if ((*it)->matches(rec.method, rec.path)) {
            (*it)->serve(rec, std::move(responder));
            return;
        }
    }
    ++m_unmatched;
    responder->send(
        http::Response::error(404, u"no_route"_s,
                              u"fake server has no route for %1 %2"_s.arg(
                                  QString::fromLatin1(rec.method), QString::fromUtf8(rec.path))));
}

} // namespace spotkeeper::testsupport
