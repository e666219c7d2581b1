// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/budgetedrequestqueue.h"
#include "support/azure/azuretestsupport.h"
#include "support/base/manualclock.h"
#include "support/http/fakehttpserver.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;
using azuretest::CountingTokenSource;
using testsupport::FakeHttpServer;
using testsupport::ManualClock;

namespace {

// Replicas' buckets kept elsewhere: answers a scripted wait and records what was asked.
class ScriptedSharedBudgets final : public SharedRateBudgets
{
public:
    qint64 take(const QString &principal, const QList<Bucket> &buckets, qint64 /*refillLagMs*/,
                qint64 /*reserveMs*/, qint64 /*nowMs*/) override
    {
        principals << principal;
        for (const Bucket &bucket : buckets)
            keys << bucket.key;
        return waitMs;
    }
    qint64 waitMs = 0;
    QStringList principals;
    QStringList keys;
};

} // namespace

// The request queue every cloud client paces with (app/core/fleet/budgetedrequestqueue.h),
// cloud-neutral: buckets and scopes are plain keys, answers come back raw.
class TestBudgetedRequestQueue : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void aRequestWaitsForEveryBucket();
    void throttleGatesOnlyItsScope();
    void aThrottleWithoutRetryAfterHoldsTheDefault();
    void backgroundWaitsBehindNormalRequestsForTheirBucket();
    void clampLowersWhatIsLeft();
    void sharedBudgetsPaceToo();
    void disabledBudgetsLeaveOnlyTheGates();
    void a401RefreshesTheTokenAndRetriesOnce();
    void aSecond401IsTheAnswer();
    void noTokenSendsNothing();
    void aClientsOwnSendStepWaitsLikeAnyRequest();
    void transportClassification();

private:
    BudgetedRequestQueue &makeQueue(RequestQueueOptions options = {});
    BudgetedRequestQueue::Request get(const QString &scope, QList<BudgetedRequestQueue::Bucket> b,
                                      BudgetedRequestQueue::Priority priority = {}) const;
    // Sends a request and counts its answer in m_answers (status) under its tag.
    void send(BudgetedRequestQueue::Request request);

    std::unique_ptr<FakeHttpServer> m_server;
    std::unique_ptr<CountingTokenSource> m_tokens;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<BudgetedRequestQueue> m_queue;
    ManualClock m_clock;
    QList<int> m_answered; // tags, in the order answered
    QList<BearerAnswer> m_answers;
};

void TestBudgetedRequestQueue::init()
{
    m_server = std::make_unique<FakeHttpServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_server->routePrefix("GET", "/").respond(200, R"({"ok":true})");
    m_tokens = std::make_unique<CountingTokenSource>();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_answered.clear();
    m_answers.clear();
}

void TestBudgetedRequestQueue::cleanup()
{
    m_queue.reset();
    m_network.reset();
    m_tokens.reset();
    m_server.reset();
}

BudgetedRequestQueue &TestBudgetedRequestQueue::makeQueue(RequestQueueOptions options)
{
    m_queue = std::make_unique<BudgetedRequestQueue>(m_tokens.get(), m_network.get(), m_clock,
                                                     std::move(options));
    return *m_queue;
}

BudgetedRequestQueue::Request
TestBudgetedRequestQueue::get(const QString &scope, QList<BudgetedRequestQueue::Bucket> buckets,
                              BudgetedRequestQueue::Priority priority) const
{
    BudgetedRequestQueue::Request request;
    request.method = "GET";
    request.url = m_server->url(u"/"_s + scope);
    request.scope = scope;
    request.buckets = std::move(buckets);
    request.priority = priority;
    return request;
}

void TestBudgetedRequestQueue::send(BudgetedRequestQueue::Request request)
{
    const int tag = request.tag;
    m_queue->send(std::move(request), [this, tag](const BearerAnswer &answer) {
        m_answered << tag;
        m_answers << answer;
    });
}

void TestBudgetedRequestQueue::aRequestWaitsForEveryBucket()
{
    BudgetedRequestQueue &queue = makeQueue();
    const BudgetConfig twoThenOneAMinute {2, 1, 60'000};
    const BudgetConfig plenty {100, 100, 1'000};
    for (int i = 0; i < 3; ++i) {
        auto request = get(u"a"_s, {{u"reads|a"_s, plenty}, {u"vm|1"_s, twoThenOneAMinute}});
        request.tag = i;
        send(request);
    }
    QCOMPARE(queue.pending(), 3); // a burst is scanned once, on the next turn
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 2);
    QCOMPARE(queue.pending(), 1);
    QTRY_COMPARE(m_answered.size(), 2);
    m_clock.advanceMSecs(59'999);
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 2); // not a whole token yet
    m_clock.advanceMSecs(1);
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 3);
    QTRY_COMPARE(m_answered.size(), 3);
    QCOMPARE(m_answered.last(), 2);
    QCOMPARE(m_answers.last().status, 200);
    QCOMPARE(m_answers.last().body, QByteArray(R"({"ok":true})"));
    QCOMPARE(m_server->last().header("Authorization"), QByteArray("Bearer test-token-1"));
}

void TestBudgetedRequestQueue::throttleGatesOnlyItsScope()
{
    BudgetedRequestQueue &queue = makeQueue();
    QSignalSpy throttled(&queue, &BudgetedRequestQueue::throttled);
    const QDateTime until = m_clock.nowUtc().addSecs(30);
    QCOMPARE(queue.throttle(u"a"_s, until), until);
    QCOMPARE(throttled.size(), 1);
    QCOMPARE(throttled.first().at(0).toString(), u"a"_s);
    QCOMPARE(queue.blockedUntil(u"a"_s), until);
    QVERIFY(!queue.blockedUntil(u"b"_s).isValid());
    queue.throttle(u"a"_s, m_clock.nowUtc().addSecs(10)); // a gate is never shortened
    QCOMPARE(queue.blockedUntil(u"a"_s), until);

    auto held = get(u"a"_s, {});
    held.tag = 1;
    send(held);
    auto free = get(u"b"_s, {});
    free.tag = 2;
    send(free);
    queue.processQueue();
    QCOMPARE(queue.pending(), 1);
    QTRY_COMPARE(m_answered, QList<int> {2});
    m_clock.advanceMSecs(30'000);
    queue.processQueue();
    QTRY_COMPARE(m_answered, (QList<int> {2, 1}));
    QVERIFY(!queue.blockedUntil(u"a"_s).isValid()); // a gate in the past holds nothing
}

void TestBudgetedRequestQueue::aThrottleWithoutRetryAfterHoldsTheDefault()
{
    RequestQueueOptions options;
    options.defaultThrottleMs = 60'000;
    BudgetedRequestQueue &queue = makeQueue(options);
    const QDateTime expected = m_clock.nowUtc().addMSecs(60'000);
    QCOMPARE(queue.throttle(u"p"_s, QDateTime()), expected);
    QCOMPARE(queue.blockedUntil(u"p"_s), expected);
}

void TestBudgetedRequestQueue::backgroundWaitsBehindNormalRequestsForTheirBucket()
{
    BudgetedRequestQueue &queue = makeQueue();
    const BudgetConfig oneAMinute {1, 1, 60'000};
    using Priority = BudgetedRequestQueue::Priority;
    auto normal1 = get(u"s"_s, {{u"reads|s"_s, oneAMinute}});
    normal1.tag = 1;
    auto background = get(u"s"_s, {{u"reads|s"_s, oneAMinute}}, Priority::Background);
    background.tag = 2;
    auto normal2 = get(u"s"_s, {{u"reads|s"_s, oneAMinute}});
    normal2.tag = 3;
    auto otherBucket = get(u"t"_s, {{u"reads|t"_s, oneAMinute}}, Priority::Background);
    otherBucket.tag = 4;
    for (const auto &request : {normal1, background, normal2, otherBucket})
        send(request);
    queue.processQueue();
    QTRY_COMPARE(m_answered.size(), 2);
    std::sort(m_answered.begin(), m_answered.end()); // both were in flight at once
    QCOMPARE(m_answered, (QList<int> {1, 4})); // the background read of another bucket goes
    m_clock.advanceMSecs(60'000);
    queue.processQueue();
    QTRY_COMPARE(m_answered.size(), 3);
    QCOMPARE(m_answered.last(), 3); // the normal read first, although queued later
    m_clock.advanceMSecs(60'000);
    queue.processQueue();
    QTRY_COMPARE(m_answered.size(), 4);
    QCOMPARE(m_answered.last(), 2);
}

void TestBudgetedRequestQueue::clampLowersWhatIsLeft()
{
    BudgetedRequestQueue &queue = makeQueue();
    const BudgetedRequestQueue::Bucket reads {u"reads|s"_s, BudgetConfig {10, 1, 1'000}};
    queue.clamp(reads, 0); // the server says: nothing left
    send(get(u"s"_s, {reads}));
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 0);
    m_clock.advanceMSecs(1'000);
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 1);
    queue.clamp(reads, -1); // "not said": nothing changes
    send(get(u"s"_s, {reads}));
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 1); // the one token came and went
}

void TestBudgetedRequestQueue::sharedBudgetsPaceToo()
{
    BudgetedRequestQueue &queue = makeQueue();
    ScriptedSharedBudgets shared;
    shared.waitMs = 5'000;
    queue.setSharedBudgets(&shared);
    const BudgetConfig plenty {100, 100, 1'000};
    send(get(u"s"_s, {{u"writes|s"_s, plenty}, {u"start|vm"_s, plenty}}));
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 0); // the other replicas used the allowance
    QCOMPARE(shared.principals, QStringList {u"test principal"_s});
    QCOMPARE(shared.keys, (QStringList {u"writes|s"_s, u"start|vm"_s}));
    shared.waitMs = 0;
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 1);
}

void TestBudgetedRequestQueue::disabledBudgetsLeaveOnlyTheGates()
{
    RequestQueueOptions options;
    options.budgetsEnabled = false;
    BudgetedRequestQueue &queue = makeQueue(options);
    const BudgetConfig one {1, 1, 60'000};
    for (int i = 0; i < 3; ++i)
        send(get(u"s"_s, {{u"reads|s"_s, one}}));
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 3);
    queue.throttle(u"s"_s, m_clock.nowUtc().addSecs(1));
    send(get(u"s"_s, {{u"reads|s"_s, one}}));
    queue.processQueue();
    QCOMPARE(queue.sentCount(), 3);
}

void TestBudgetedRequestQueue::a401RefreshesTheTokenAndRetriesOnce()
{
    BudgetedRequestQueue &queue = makeQueue();
    QSignalSpy exchanged(&queue, &BudgetedRequestQueue::exchanged);
    m_server->route("GET", "/s").enqueue(401, R"({"error":"expired"})").respond(200, "{}");
    auto request = get(u"s"_s, {});
    request.tag = 7;
    send(request);
    QTRY_COMPARE(m_answered.size(), 1);
    QCOMPARE(m_answers.first().status, 200);
    QCOMPARE(m_tokens->generation, 2); // invalidated once
    QCOMPARE(m_server->last().header("Authorization"), QByteArray("Bearer test-token-2"));
    QCOMPARE(queue.sentCount(), 2);
    QCOMPARE(queue.inFlight(), 0);
    QCOMPARE(exchanged.size(), 2); // the 401 is an exchange too
    QCOMPARE(exchanged.at(0), (QList<QVariant> {7, 401}));
    QCOMPARE(exchanged.at(1), (QList<QVariant> {7, 200}));
}

void TestBudgetedRequestQueue::aSecond401IsTheAnswer()
{
    makeQueue();
    m_server->route("GET", "/s").respond(401, R"({"error":"revoked"})");
    send(get(u"s"_s, {}));
    QTRY_COMPARE(m_answered.size(), 1);
    QCOMPARE(m_answers.first().status, 401);
    QCOMPARE(m_server->count(), 2);
}

void TestBudgetedRequestQueue::noTokenSendsNothing()
{
    BudgetedRequestQueue &queue = makeQueue();
    QSignalSpy exchanged(&queue, &BudgetedRequestQueue::exchanged);
    m_tokens->fail = true;
    m_tokens->fatal = true;
    send(get(u"s"_s, {}));
    QTRY_COMPARE(m_answered.size(), 1);
    QVERIFY(m_answers.first().tokenFailed);
    QVERIFY(m_answers.first().call.failure == FailureClass::Authorization);
    QCOMPARE(m_server->count(), 0);
    QCOMPARE(queue.sentCount(), 0);
    QCOMPARE(queue.inFlight(), 0);
    QCOMPARE(exchanged.size(), 0);
}

// A client that signs its requests itself (EC2) queues its send step: paced by the same buckets
// and gates, run once when its turn comes; the queue sends nothing of its own for it.
void TestBudgetedRequestQueue::aClientsOwnSendStepWaitsLikeAnyRequest()
{
    BudgetedRequestQueue &queue = makeQueue();
    const BudgetConfig oneAMinute {1, 1, 60'000};
    QList<int> ran;
    for (int i = 0; i < 2; ++i) {
        BudgetedRequestQueue::Request request;
        request.scope = u"ec2/us-east-1"_s;
        request.buckets = {{u"describe|us-east-1"_s, oneAMinute}};
        queue.schedule(request, [&ran, i] { ran << i; });
    }
    QCOMPARE(queue.pending(), 2);
    queue.processQueue();
    QCOMPARE(ran, (QList<int> {0}));
    QCOMPARE(queue.pending(), 1);
    queue.throttle(u"ec2/us-east-1"_s, m_clock.nowUtc().addSecs(120));
    m_clock.advanceMSecs(60'000); // a token again, but the gate holds the scope
    queue.processQueue();
    QCOMPARE(ran, (QList<int> {0}));
    m_clock.advanceMSecs(60'000);
    queue.processQueue();
    QCOMPARE(ran, (QList<int> {0, 1}));
    QCOMPARE(queue.pending(), 0);
    QCOMPARE(queue.sentCount(), 0);
    QCOMPARE(queue.inFlight(), 0);
    QCOMPARE(m_server->count(), 0);
    QCOMPARE(m_tokens->requests, 0); // no token was asked for
}

void TestBudgetedRequestQueue::transportClassification()
{
    CallResult call;
    BearerAnswer ok;
    ok.status = 204;
    QVERIFY(classifyTransport(ok, call));
    QVERIFY(call.ok());
    QCOMPARE(call.httpStatus, 204);

    BearerAnswer noAnswer;
    noAnswer.networkError = 1; // QNetworkReply::ConnectionRefusedError
    noAnswer.networkText = u"refused"_s;
    call = {};
    QVERIFY(classifyTransport(noAnswer, call));
    QVERIFY(call.failure == FailureClass::Transient);
    QCOMPARE(call.errorCode, u"ConnectionRefusedError"_s);
    QCOMPARE(call.httpStatus, 0);

    BearerAnswer httpError;
    httpError.status = 409;
    call = {};
    QVERIFY(!classifyTransport(httpError, call)); // the cloud's client reads the body
    QCOMPARE(call.httpStatus, 409);
}

QTEST_GUILESS_MAIN(TestBudgetedRequestQueue)
#include "tst_budgetedrequestqueue.moc"
