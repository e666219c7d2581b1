// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"
#include "support/http/testhttpclient.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

class TestFakeHttpServer final : public QObject
{
    Q_OBJECT
private slots:
    void routesAndRecording();
    void scriptedQueueThenFallback();
    void mostRecentRouteWins();
    void prefixRegexAndAnyMethod();
    void fixtureResponses();
    void delayedAndAsync();
    void unmatchedIs404();
};

void TestFakeHttpServer::routesAndRecording()
{
    FakeHttpServer fake;
    QString error;
    QVERIFY2(fake.start(&error), qPrintable(error));
    QVERIFY(fake.port() != 0);
    QCOMPARE(fake.baseUrl().host(), u"127.0.0.1"_s);
    auto &r = fake.route("POST"_ba, "/token"_ba).respond(200, "{\"ok\":true}"_ba);
    QSignalSpy received(&fake, &FakeHttpServer::requestReceived);

    TestHttpClient client;
    const HttpReply reply = client.post(fake.url(u"/token?api-version=2024-07-01&a=b%20c"_s),
                                        "{\"x\":1}"_ba, {{"Metadata"_ba, "true"_ba}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json()[u"ok"_s].toBool(), true);
    QCOMPARE(reply.header("content-type"), "application/json"_ba);
    QCOMPARE(r.hits(), 1);
    QCOMPARE(fake.count(), 1);
    QCOMPARE(fake.count("POST"_ba, "/token"_ba), 1);
    QCOMPARE(received.size(), 1);
    const RecordedRequest rec = fake.last();
    QCOMPARE(rec.method, "POST"_ba);
    QCOMPARE(rec.path, "/token"_ba);
    QCOMPARE(rec.queryItem(u"api-version"_s), u"2024-07-01"_s);
    QCOMPARE(rec.queryItem(u"a"_s), u"b c"_s);
    QCOMPARE(rec.header("metadata"), "true"_ba);
    QCOMPARE(rec.json()[u"x"_s].toInt(), 1);
    QCOMPARE(rec.sequence, 0);

    // Wrong method does not match the POST route.
    QCOMPARE(client.get(fake.url(u"/token"_s)).status, 404);
    QCOMPARE(r.hits(), 1);
    fake.clearRequests();
    QCOMPARE(fake.count(), 0);
}

void TestFakeHttpServer::scriptedQueueThenFallback()
{
    FakeHttpServer fake;
    QVERIFY(fake.start());
    auto &r = fake.route("GET"_ba, "/vm"_ba)
                  .enqueue(429, "{\"e\":1}"_ba)
                  .enqueue(http::Response::json(503, "{\"e\":2}"_ba))
                  .respond(200, "{\"done\":true}"_ba);
    r.withHeader("Retry-After"_ba, "0"_ba);
    TestHttpClient client;
    HttpReply a = client.get(fake.url(u"/vm"_s));
    QCOMPARE(a.status, 429);
    QCOMPARE(a.header("Retry-After"), "0"_ba);
    QCOMPARE(client.get(fake.url(u"/vm"_s)).status, 503);
    QCOMPARE(client.get(fake.url(u"/vm"_s)).status, 200);
    QCOMPARE(client.get(fake.url(u"/vm"_s)).status, 200);
    QCOMPARE(r.hits(), 4);
    QCOMPARE(r.queued(), 0);

    auto &onlyQueue = fake.route("GET"_ba, "/once"_ba).enqueue(204, {});
    QCOMPARE(client.get(fake.url(u"/once"_s)).status, 204);
    const HttpReply exhausted = client.get(fake.url(u"/once"_s));
    QCOMPARE(exhausted.status, 500);
    QCOMPARE(exhausted.json()[u"error"_s][u"code"_s].toString(), u"script_exhausted"_s);
    QCOMPARE(onlyQueue.hits(), 2);
}

void TestFakeHttpServer::mostRecentRouteWins()
{
    FakeHttpServer fake;
    QVERIFY(fake.start());
    fake.routePrefix({}, "/"_ba).respond(200, "\"default\""_ba);
    fake.route("GET"_ba, "/x"_ba).respond(201, "\"override\""_ba);
    TestHttpClient client;
    QCOMPARE(client.get(fake.url(u"/x"_s)).status, 201);
    QCOMPARE(client.get(fake.url(u"/y"_s)).status, 200);
    fake.clearRoutes();
    QCOMPARE(client.get(fake.url(u"/x"_s)).status, 404);
}

void TestFakeHttpServer::prefixRegexAndAnyMethod()
{
    FakeHttpServer fake;
    QVERIFY(fake.start());
    auto &arm = fake.routeRegex("POST"_ba,
                                u"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
                                u"Microsoft\\.Compute/virtualMachines/[^/]+/start$"_s)
                    .respond(http::Response {202, {{"Location"_ba, "/op/1"_ba}}, {}});
    auto &ops = fake.routePrefix({}, "/op/"_ba).respond(200, "{\"status\":\"Succeeded\"}"_ba);
    TestHttpClient client;
    const HttpReply started =
        client.post(fake.url(u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/"
                             u"virtualMachines/vm1/start?api-version=2024-07-01"_s),
                    {});
    QCOMPARE(started.status, 202);
    QCOMPARE(started.header("Location"), "/op/1"_ba);
    QCOMPARE(client.get(fake.url(u"/op/1"_s)).status, 200);
    QCOMPARE(client.send("DELETE"_ba, fake.url(u"/op/2"_s)).status, 200);
    QCOMPARE(arm.hits(), 1);
    QCOMPARE(ops.hits(), 2);
    QCOMPARE(client.post(fake.url(u"/subscriptions/s/x/start"_s), {}).status, 404);
    QCOMPARE(fake.unmatched(), 1);
}

void TestFakeHttpServer::fixtureResponses()
{
    const QByteArray expected = fixture(u"imds/scheduledevents-01-empty-incarnation1.json"_s);
    QVERIFY(!expected.isEmpty());
    FakeHttpServer fake;
    QVERIFY(fake.start());
    fake.route("GET"_ba, "/metadata/scheduledevents"_ba)
        .enqueueFixture(200, u"imds/scheduledevents-02-freeze-scheduled-incarnation2.json"_s)
        .respondFixture(200, u"imds/scheduledevents-01-empty-incarnation1.json"_s);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^fixture not readable: .*no-such-file.json"_s));
    fake.route("GET"_ba, "/missing"_ba).respondFixture(200, u"imds/no-such-file.json"_s);
    fake.route("GET"_ba, "/file"_ba)
        .respondFile(201, fixturePath(u"README.md"_s), "text/markdown"_ba);
    fake.route("GET"_ba, "/nofile"_ba).respondFile(200, u"/nonexistent/x.json"_s);
    TestHttpClient client;
    const HttpReply first = client.get(fake.url(u"/metadata/scheduledevents"_s));
    QCOMPARE(first.body, fixture(u"imds/scheduledevents-02-freeze-scheduled-incarnation2.json"_s));
    QCOMPARE(client.get(fake.url(u"/metadata/scheduledevents"_s)).body, expected);
    const HttpReply missing = client.get(fake.url(u"/missing"_s));
    QCOMPARE(missing.status, 500);
    QVERIFY(missing.body.contains("no-such-file.json"));
    const HttpReply file = client.get(fake.url(u"/file"_s));
    QCOMPARE(file.status, 201);
    QCOMPARE(file.header("Content-Type"), "text/markdown"_ba);
    QCOMPARE(file.body, fixture(u"README.md"_s));
    QCOMPARE(client.get(fake.url(u"/nofile"_s)).status, 500);
}

void TestFakeHttpServer::delayedAndAsync()
{
    FakeHttpServer fake;
    QVERIFY(fake.start());
    fake.route("GET"_ba, "/slow"_ba).delay(300).respond(200, "\"slow\""_ba);
    fake.route("GET"_ba, "/fast"_ba).respond(200, "\"fast\""_ba);
    fake.route("GET"_ba, "/async"_ba)
        .respondAsync([](const RecordedRequest &r, std::shared_ptr<http::Responder> out) {
            out->send(http::Response::text(200, r.queryItem(u"v"_s).toUtf8()));
        });
    fake.route("GET"_ba, "/never"_ba).hangUp();

    // The delayed answer must not block another request: the fast one finishes first.
    QNetworkAccessManager nam;
    QList<QByteArray> order;
    QNetworkReply *slow = nam.get(QNetworkRequest(fake.url(u"/slow"_s)));
    QObject::connect(slow, &QNetworkReply::finished, [&] { order.append("slow"_ba); });
    QTRY_COMPARE(fake.count(), 1);
    QNetworkReply *fast = nam.get(QNetworkRequest(fake.url(u"/fast"_s)));
    QObject::connect(fast, &QNetworkReply::finished, [&] { order.append("fast"_ba); });
    QTRY_COMPARE(order.size(), 2);
    QCOMPARE(order, (QList<QByteArray> {"fast"_ba, "slow"_ba}));
    slow->deleteLater();
    fast->deleteLater();

    TestHttpClient client;
    QCOMPARE(client.get(fake.url(u"/async?v=abc"_s)).body, "abc"_ba);
    client.setTimeout(200);
    const HttpReply never = client.get(fake.url(u"/never"_s));
    QVERIFY(never.timedOut);
    QCOMPARE(never.status, 0);
}

void TestFakeHttpServer::unmatchedIs404()
{
    FakeHttpServer fake;
    QVERIFY(fake.start());
    TestHttpClient client;
    const HttpReply r = client.send("PATCH"_ba, fake.url(u"/nothing"_s), "{}"_ba);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json()[u"error"_s][u"code"_s].toString(), u"no_route"_s);
    QCOMPARE(fake.unmatched(), 1);
    QCOMPARE(fake.last().method, "PATCH"_ba);
    QVERIFY(fake.waitForRequests(1, 10));
    QVERIFY(!fake.waitForRequests(2, 10));
}

QTEST_GUILESS_MAIN(TestFakeHttpServer)
#include "tst_fakehttpserver.moc"
