// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 17: the durable notification outbox against fake receivers on 127.0.0.1 - delivery,
// Standard Webhooks signature, retry after 5xx and timeouts, exactly once across a restart of
// the dispatcher, a storm grouped into one message, routing, Slack/Teams payloads, bad config.
#include "notify/notifier.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/http/fakehttpserver.h"
#include "support/notify/notifyfixtures.h"
#include "support/store/storetestutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;
using spotkeeper::testsupport::ManualClock;

namespace {

const QString kSecret = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;

} // namespace

class TestNotifier : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Store> openStore()
    {
        return testutil::openStore(StoreOptions(m_dir->filePath(u"store.db"_s)), m_clock);
    }
    QString writeFile(const QString &name, const QByteArray &content)
    {
        return writeTestFile(m_dir->path(), name, content);
    }
    NotifyChannel webhook(const QString &name, const QUrl &url)
    {
        NotifyChannel c;
        c.name = name;
        c.type = ChannelType::Webhook;
        c.url = url.toString();
        c.secretFile = writeFile(name + u".secret"_s, kSecret.toUtf8());
        return c;
    }
    NotifyConfig config(const QList<NotifyChannel> &channels, int groupWindowSeconds = 0)
    {
        NotifyConfig c;
        c.channels = channels;
        c.groupWindowSeconds = groupWindowSeconds;
        c.timeoutMs = 300;
        return c;
    }
    qint64 addVm(Store &store, const QString &name, const QString &region = u"westeurope"_s)
    {
        return addTestVm(store, name, region);
    }
    qint64 evict(Store &store, qint64 vmId)
    {
        return appendEviction(store, vmId, m_clock.nowUtc());
    }
    std::unique_ptr<Notifier> notifier(const NotifyConfig &c, Store &store)
    {
        QString error;
        auto n = Notifier::create(c, store, m_clock, &error);
        if (!n)
            qWarning() << "create failed:" << error;
        return n;
    }
    // Pumps and waits until one delivery finished (delivered or failed).
    static bool pumpOnce(Notifier &n, QSignalSpy &done, QSignalSpy &failed)
    {
        const qsizetype before = done.size() + failed.size();
        n.pump();
        if (n.inFlight() == 0)
            return false;
        for (int i = 0; i < 100 && done.size() + failed.size() == before; ++i)
            QTest::qWait(50);
        return done.size() + failed.size() > before;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_clock.set(QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
    }

    void deliversASignedWebhookOnce()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        receiver.route("POST", "/hook").respond(200, "{}");
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s);
        auto n = notifier(config({webhook(u"ops"_s, receiver.url(u"/hook"_s))}), *store);
        QVERIFY(n);
        n->pump(); // the first start begins after the newest event: nothing to send
        QCOMPARE(receiver.count(), 0);

        const qint64 eventId = evict(*store, vm);
        QSignalSpy done(n.get(), &Notifier::delivered);
        QSignalSpy failed(n.get(), &Notifier::deliveryFailed);
        QVERIFY(pumpOnce(*n, done, failed));
        QCOMPARE(done.size(), 1);
        QCOMPARE(receiver.count(), 1);
        const RecordedRequest request = receiver.last();
        const QByteArray id = "evt_" + QByteArray::number(eventId);
        QCOMPARE(request.header("webhook-id"), id);
        protocol::VerifyRequest verify;
        verify.id = request.header("webhook-id");
        verify.timestamp = request.header("webhook-timestamp");
        verify.signature = request.header("webhook-signature");
        verify.body = request.body;
        QVERIFY(protocol::verifyWithSecret(verify, m_clock.nowUtc().toSecsSinceEpoch(),
                                           *protocol::WebhookSecret::fromString(kSecret))
                == protocol::VerifyError::None);
        const QJsonObject body = request.json().object();
        QCOMPARE(body.value(u"type"_s).toString(), u"spotkeeper.eviction"_s);
        const QJsonObject data = body.value(u"data"_s).toObject();
        QCOMPARE(data.value(u"vm"_s).toString(), u"web-1"_s);
        QCOMPARE(data.value(u"id"_s).toString(), QString::fromLatin1(id));
        QVERIFY(data.value(u"message"_s).toString().contains(u"web-1"_s));

        n->pump(); // delivered: never again
        QTest::qWait(100);
        QCOMPARE(receiver.count(), 1);
        QCOMPARE(n->inFlight(), 0);
        const QByteArray metrics = n->renderMetrics();
        QVERIFY(
            metrics.contains("spotkeeper_notify_outbox{channel=\"ops\",state=\"delivered\"} 1"));
        QVERIFY(metrics.contains(
            "spotkeeper_notify_attempts_total{channel=\"ops\",result=\"delivered\"} 1"));
    }

    void retriesAfter5xxAndTimeoutWithBackoff()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        int calls = 0;
        std::shared_ptr<http::Responder> hung;
        receiver.route("POST", "/hook")
            .respondAsync([&](const RecordedRequest &, std::shared_ptr<http::Responder> responder) {
                ++calls;
                if (calls == 1)
                    responder->send(http::Response::error(503, u"busy"_s, u"try later"_s));
                else if (calls == 2)
                    hung = std::move(responder); // never answered: the client times out
                else
                    responder->send(http::Response::json(200, "{}"));
            });
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s);
        NotifyConfig c = config({webhook(u"ops"_s, receiver.url(u"/hook"_s))});
        c.retryBaseSeconds = 10;
        auto n = notifier(c, *store);
        n->pump();
        evict(*store, vm);
        QSignalSpy done(n.get(), &Notifier::delivered);
        QSignalSpy failed(n.get(), &Notifier::deliveryFailed);

        QVERIFY(pumpOnce(*n, done, failed)); // 503
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(2).toString(), u"HTTP 503"_s);
        n->pump(); // not due before the backoff
        QCOMPARE(n->inFlight(), 0);
        m_clock.advanceMSecs(9'999);
        n->pump();
        QCOMPARE(n->inFlight(), 0);

        m_clock.advanceMSecs(1);
        QVERIFY(pumpOnce(*n, done, failed)); // times out
        QCOMPARE(failed.size(), 2);
        QCOMPARE(failed.at(1).at(2).toString(), u"timed out"_s);
        m_clock.advanceMSecs(19'999); // second failure: twice the base
        n->pump();
        QCOMPARE(n->inFlight(), 0);
        m_clock.advanceMSecs(1);
        QVERIFY(pumpOnce(*n, done, failed));
        QCOMPARE(done.size(), 1);
        QCOMPARE(calls, 3);
        // The same webhook-id every time: receivers deduplicate on it.
        const QList<RecordedRequest> requests = receiver.requests();
        QCOMPARE(requests.size(), 3);
        QCOMPARE(requests.at(0).header("webhook-id"), requests.at(2).header("webhook-id"));
    }

    // The receiver is down when the dispatcher stops; a new dispatcher on the same store
    // delivers every pending notification once, and enqueues nothing twice.
    void exactlyOnceAcrossARestartOfTheDispatcher()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        Route &route = receiver.route("POST", "/hook");
        route.respond(503, "{}");
        QList<qint64> events;
        {
            auto store = openStore();
            QList<qint64> vms;
            for (int i = 0; i < 3; ++i)
                vms << addVm(*store, u"web-"_s + QString::number(i));
            auto n = notifier(config({webhook(u"ops"_s, receiver.url(u"/hook"_s))}), *store);
            n->pump();
            for (qint64 vm : vms)
                events << evict(*store, vm);
            QSignalSpy done(n.get(), &Notifier::delivered);
            QSignalSpy failed(n.get(), &Notifier::deliveryFailed);
            n->pump();
            QTRY_COMPARE(failed.size(), 3);
            QCOMPARE(done.size(), 0);
        } // the dispatcher and its store go away (a restart)

        route.respond(200, "{}");
        auto store = openStore();
        auto n = notifier(config({webhook(u"ops"_s, receiver.url(u"/hook"_s))}), *store);
        QSignalSpy done(n.get(), &Notifier::delivered);
        m_clock.advanceMSecs(10'000);
        n->pump();
        QTRY_COMPARE(done.size(), 3);
        m_clock.advanceMSecs(3'600'000);
        n->pump();
        QTest::qWait(100);
        QCOMPARE(done.size(), 3);
        // Every event: one failed attempt, then exactly one delivered.
        QMap<QByteArray, int> perId;
        for (const RecordedRequest &r : receiver.requests())
            ++perId[r.header("webhook-id")];
        QCOMPARE(perId.size(), 3);
        for (qint64 id : std::as_const(events))
            QCOMPARE(perId.value("evt_" + QByteArray::number(id)), 2);
    }

    // 20 evictions within a few seconds: one message after the group window, naming the count,
    // the regions and the worst cases (the VM evicted most often in 7 days first).
    void aStormIsGroupedIntoOneMessage()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        receiver.route("POST", "/hook").respond(200, "{}");
        auto store = openStore();
        QList<qint64> vms;
        for (int i = 0; i < 20; ++i)
            vms << addVm(*store, u"spot-"_s + QString::number(i),
                         i < 15 ? u"westeurope"_s : u"eastus"_s);
        auto n = notifier(config({webhook(u"ops"_s, receiver.url(u"/hook"_s))}, 30), *store);
        n->pump();
        m_clock.advanceMSecs(-86'400'000); // spot-7 was evicted twice yesterday
        evict(*store, vms.at(7));
        evict(*store, vms.at(7));
        m_clock.advanceMSecs(86'400'000);
        // (the two old ones come first and form their own window)
        m_clock.advanceMSecs(1000);
        for (qint64 vm : std::as_const(vms)) {
            evict(*store, vm);
            m_clock.advanceMSecs(200);
        }
        QSignalSpy done(n.get(), &Notifier::delivered);
        n->pump(); // the old window is closed; the storm's is still open
        QTRY_COMPARE(done.size(), 2); // the two old evictions, one by one (fewer than group_min)
        m_clock.advanceMSecs(25'000);
        n->pump();
        QTest::qWait(100);
        QCOMPARE(done.size(), 2);
        m_clock.advanceMSecs(5'000);
        n->pump();
        QTRY_COMPARE(done.size(), 3);
        const QJsonObject data = receiver.last().json().object().value(u"data"_s).toObject();
        QCOMPARE(data.value(u"count"_s).toInt(), 20);
        QCOMPARE(data.value(u"regions"_s).toObject().value(u"westeurope"_s).toInt(), 15);
        QCOMPARE(data.value(u"regions"_s).toObject().value(u"eastus"_s).toInt(), 5);
        const QJsonArray worst = data.value(u"worst"_s).toArray();
        QCOMPARE(worst.size(), 5);
        QCOMPARE(worst.at(0).toObject().value(u"vm"_s).toString(), u"spot-7"_s);
        QCOMPARE(worst.at(0).toObject().value(u"evictions7d"_s).toInt(), 3);
        QVERIFY(data.value(u"message"_s).toString().contains(u"and 15 more"_s));
        QVERIFY(receiver.last().header("webhook-id").startsWith("grp_"));
    }

    void routesByKindWithSlackAndTeamsPayloads()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        receiver.route("POST", "/slack").respond(200, "ok");
        receiver.route("POST", "/teams").respond(202, "{}");
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s);
        NotifyChannel slack;
        slack.name = u"slack"_s;
        slack.type = ChannelType::Slack;
        slack.urlFile = writeFile(u"slack.url"_s, receiver.url(u"/slack"_s).toEncoded());
        slack.events = {u"agent_silent"_s};
        slack.templateText = u"{title} ({region}) at {at}"_s;
        NotifyChannel teams;
        teams.name = u"teams"_s;
        teams.type = ChannelType::Teams;
        teams.urlFile = writeFile(u"teams.url"_s, receiver.url(u"/teams"_s).toEncoded());
        teams.events = {u"eviction"_s};
        auto n = notifier(config({slack, teams}), *store);
        QVERIFY(n);
        n->pump();
        EventRecord alert;
        alert.vmId = vm;
        alert.kind = EventKind::Alert;
        alert.eventType = u"agent_silent"_s;
        alert.at = m_clock.nowUtc();
        alert.message = u"agent silent for 3 min"_s;
        store->appendEvent(alert);
        evict(*store, vm);
        QSignalSpy done(n.get(), &Notifier::delivered);
        n->pump();
        QTRY_COMPARE(done.size(), 2);
        QCOMPARE(receiver.count("POST", "/slack"), 1);
        QCOMPARE(receiver.count("POST", "/teams"), 1);
        const QJsonObject slackBody =
            receiver.requests("POST", "/slack").constFirst().json().object();
        QCOMPARE(slackBody.value(u"text"_s).toString(),
                 u"Agent of web-1 silent (VM running) (westeurope) at 2026-01-01T00:00:00Z"_s);
        const QJsonObject teamsBody =
            receiver.requests("POST", "/teams").constFirst().json().object();
        QCOMPARE(teamsBody.value(u"type"_s).toString(), u"message"_s);
        const QJsonObject attachment = teamsBody.value(u"attachments"_s).toArray().at(0).toObject();
        QCOMPARE(attachment.value(u"contentType"_s).toString(),
                 u"application/vnd.microsoft.card.adaptive"_s);
        const QJsonObject card = attachment.value(u"content"_s).toObject();
        QCOMPARE(card.value(u"type"_s).toString(), u"AdaptiveCard"_s);
        QVERIFY(
            card.value(u"body"_s).toArray().at(0).toObject().value(u"text"_s).toString().contains(
                u"Spot VM web-1 evicted"_s));
    }

    // A restart whose successful start is the job's last event (a restart attempt event, no
    // transition) is news; the timeline's text is never read for the kind.
    void restartedByAStartIsNotifiedWithItsDowntime()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        receiver.route("POST", "/hook").respond(200, "{}");
        auto store = openStore();
        const qint64 vm = addVm(*store, u"web-1"_s);
        auto n = notifier(config({webhook(u"ops"_s, receiver.url(u"/hook"_s))}), *store);
        n->pump();
        JobRecord job;
        job.vmId = vm;
        job.trigger = u"notice"_s;
        job.evictedAt = m_clock.nowUtc();
        job.createdAt = m_clock.nowUtc();
        bool created = false;
        QVERIFY(store->createJob(job, &created));
        QVERIFY(created);
        m_clock.advanceMSecs(300'000);
        EventRecord untyped; // looks like a transition to running, but says nothing
        untyped.vmId = vm;
        untyped.kind = EventKind::JobTransition;
        untyped.at = m_clock.nowUtc();
        untyped.source = u"engine"_s;
        untyped.message = u"starting -> running"_s;
        store->appendEvent(untyped);
        EventRecord started = untyped;
        started.kind = EventKind::RestartAttempt;
        started.message = u"start attempt 1 succeeded"_s;
        started.eventType = u"restarted"_s;
        const qint64 id = store->appendEvent(started);
        QSignalSpy done(n.get(), &Notifier::delivered);
        n->pump();
        QTRY_COMPARE(done.size(), 1);
        QCOMPARE(receiver.count(), 1);
        const QJsonObject data = receiver.last().json().object().value(u"data"_s).toObject();
        QCOMPARE(data.value(u"kind"_s).toString(), u"restarted"_s);
        QCOMPARE(data.value(u"id"_s).toString(), u"evt_"_s + QString::number(id));
        QCOMPARE(data.value(u"downtimeSeconds"_s).toInt(), 300);
    }

    void badConfigurationIsAClearError()
    {
        auto store = openStore();
        QString error;
        NotifyChannel missing = webhook(u"ops"_s, QUrl(u"https://example.com/hook"_s));
        missing.secretFile = m_dir->filePath(u"nope.secret"_s);
        QVERIFY(!Notifier::create(config({missing}), *store, m_clock, &error));
        QVERIFY2(error.contains(u"ops"_s) && error.contains(u"nope.secret"_s), qPrintable(error));

        NotifyChannel notASecret = webhook(u"ops"_s, QUrl(u"https://example.com/hook"_s));
        notASecret.secretFile = writeFile(u"bad.secret"_s, "hunter2-is-no-secret");
        QVERIFY(!Notifier::create(config({notASecret}), *store, m_clock, &error));
        QVERIFY2(!error.contains(u"hunter2"_s), qPrintable(error)); // never the content

        NotifyChannel noSecret = webhook(u"ops"_s, QUrl(u"https://example.com/hook"_s));
        noSecret.secretFile.clear();
        QVERIFY(!Notifier::create(config({noSecret}), *store, m_clock, &error));
        QVERIFY2(error.contains(u"secret_file"_s), qPrintable(error));

        NotifyChannel slackUrlFile;
        slackUrlFile.name = u"slack"_s;
        slackUrlFile.type = ChannelType::Slack;
        slackUrlFile.urlFile = writeFile(u"slack.url"_s, "http://hooks.example.com/T0/B0/XXXX");
        QVERIFY(!Notifier::create(config({slackUrlFile}), *store, m_clock, &error));
        QVERIFY2(!error.contains(u"XXXX"_s) && error.contains(u"https"_s), qPrintable(error));

        NotifyConfig parsed;
        QVERIFY(parsed.set(u"notify.ops"_s, u"type"_s, u"pager"_s).contains(u"webhook"_s));
        QVERIFY(
            parsed.set(u"notify.ops"_s, u"events"_s, u"eviction, lunch"_s).contains(u"lunch"_s));
        QVERIFY(!parsed.set(u"notify.ops"_s, u"url"_s, u"http://example.com/x"_s).isEmpty());
        QVERIFY(!parsed.set(u"notify"_s, u"colour"_s, u"red"_s).isEmpty());
        QVERIFY(!parsed.set(u"notify.Bad Name"_s, u"type"_s, u"slack"_s).isEmpty());
        QVERIFY(parsed.set(u"notify.slack"_s, u"type"_s, u"slack"_s).isEmpty());
        QVERIFY(
            parsed.set(u"notify.slack"_s, u"url"_s, u"https://hooks.example.com/x"_s).isEmpty());
        QVERIFY(parsed.validate().contains(u"url_file"_s)); // a Slack URL is a secret
    }
};

QTEST_GUILESS_MAIN(TestNotifier)
#include "tst_notifier.moc"
