// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The agent in-process against a fake IMDS and a fake dashboard (real HTTP servers on
// 127.0.0.1). Assertions are on order and counts, never on wall-clock durations.
#include "agentcore/agent.h"
#include "agentcore/noticebuilder.h"
#include "protocol/messagecodec.h"
#include "support/agent/agentfakes.h"
#include "support/http/testtls.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace spotkeeper::agenttest;
using namespace Qt::StringLiterals;

namespace {
const QString kPreempt = u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s;
const QString kOld = u"4CAEA225-A741-474D-A72E-428C86FCD853"_s;
const QString kFreeze = u"C7061BAC-AFDC-4513-B24B-AA5F13A16123"_s;
constexpr int kWaitMs = 15'000;

QMutex g_logMutex;
QStringList g_log;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_logMutex);
    g_log.append(message);
}
QString logText(qsizetype from = 0)
{
    QMutexLocker lock(&g_logMutex);
    return g_log.mid(from).join(u'\n');
}
qsizetype logMark()
{
    QMutexLocker lock(&g_logMutex);
    return g_log.size();
}
} // namespace

class TestAgent final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void preemptAppearingMidRunIsDelivered();
    void oldProcessedEventAndNewPreempt();
    void eventsForOtherVmsAreIgnored();
    void dashboardDownThenUpDeliversExactlyOnce();
    void dashboardTimeoutsThenUp();
    void duplicateAnswerCountsAsDelivered();
    void configurationErrorIsLoggedAndRetried();
    void imdsErrorsBackOffWithoutStopping();
    void skippedIncarnations();
    void fixtureLifecycleScheduledStartedGone();
    void cancelledEventIsNeverDelivered();
    void mockServerScenariosAreAllDelivered();
    void unreadableEventDoesNotHideAPreempt();
    void slowFirstCallIsWaitedFor();
    void identityUnreadableRetriesAndHeartbeatSaysSo();
    void acknowledgeAfterDrainHook();
    void legacyModeSendsSeedBody();
    void privateCaFileTrustsTheDashboard();
    void corruptSpoolIsMovedAsideNotFatal();

private:
    AgentConfig config() const;
    void startAgent(const AgentConfig &config);
    void waitForPolls(int more);
    static protocol::Notice noticeOf(const testsupport::RecordedRequest &request);

    std::unique_ptr<FakeImds> m_imds;
    std::unique_ptr<FakeDashboard> m_dashboard;
    std::unique_ptr<QTemporaryDir> m_spoolDir;
    std::unique_ptr<Agent> m_agent;
};

void TestAgent::initTestCase()
{
    qInstallMessageHandler(captureLog);
}

void TestAgent::init()
{
    m_imds = std::make_unique<FakeImds>();
    m_dashboard = std::make_unique<FakeDashboard>(testCredential());
    m_spoolDir = std::make_unique<QTemporaryDir>();
    QString error;
    QVERIFY2(m_imds->start(&error), qPrintable(error));
    QVERIFY2(m_dashboard->start(&error), qPrintable(error));
}

void TestAgent::cleanup()
{
    m_agent.reset();
    // Every IMDS request carried "Metadata: true" and no X-Forwarded-For.
    QCOMPARE(m_imds->missingMetadataHeader, 0);
    QCOMPARE(m_dashboard->badSignatures, 0);
    m_dashboard.reset();
    m_imds.reset();
}

void TestAgent::cleanupTestCase()
{
    qInstallMessageHandler(nullptr);
    // No secret ever reached a log line, whatever happened above.
    const QString log = logText();
    QVERIFY(!log.isEmpty());
    QVERIFY(!log.contains("whsec_"_L1));
    QVERIFY(!log.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_L1));
    QVERIFY(!log.contains("legacy-bearer-secret"_L1));
}

AgentConfig TestAgent::config() const
{
    AgentConfig c;
    c.dashboardUrl = m_dashboard->baseUrl();
    c.credential = testCredential();
    c.keySource = u"test"_s;
    c.imdsUrl = m_imds->baseUrl();
    c.pollIntervalMs = 200;
    c.heartbeatIntervalMs = 60'000;
    c.firstPollTimeoutMs = 5'000;
    c.pollTimeoutMs = 500;
    c.deliveryTimeoutMs = 500;
    c.spoolDir = m_spoolDir->path();
    return c;
}

void TestAgent::startAgent(const AgentConfig &c)
{
    m_agent = std::make_unique<Agent>(c, nullptr, base::systemClock(), 1234);
    DeliveryTiming timing;
    timing.retryBaseMs = 50;
    timing.retryCapMs = 200;
    timing.configErrorBaseMs = 100;
    timing.configErrorCapMs = 300;
    m_agent->setDeliveryTiming(timing);
    QString error;
    QVERIFY2(m_agent->start(&error), qPrintable(error));
}

void TestAgent::waitForPolls(int more)
{
    const int target = m_imds->eventPolls() + more;
    QTRY_VERIFY_WITH_TIMEOUT(m_imds->eventPolls() >= target, kWaitMs);
}

protocol::Notice TestAgent::noticeOf(const testsupport::RecordedRequest &request)
{
    const auto decoded = protocol::decodeNotice(request.body);
    if (!decoded.ok())
        qFatal("undecodable notice: %s", qPrintable(decoded.errors.first().message()));
    return *decoded.value;
}

void TestAgent::preemptAppearingMidRunIsDelivered()
{
    startAgent(config());
    waitForPolls(2);
    QVERIFY(m_dashboard->accepted.isEmpty());

    const int pollsBefore = m_imds->eventPolls();
    int pollsAtArrival = -1;
    connect(&m_dashboard->server(), &testsupport::FakeHttpServer::requestReceived, this,
            [&](const testsupport::RecordedRequest &request) {
                if (request.path == "/api/v1/notices" && pollsAtArrival < 0)
                    pollsAtArrival = m_imds->eventPolls();
            });
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    // Detected at the first poll that saw it and sent at once: the notice reached the
    // dashboard before IMDS got a third poll after the change (counted in polls, not
    // milliseconds; the poll after the detecting one may be read first on a busy machine).
    QVERIFY2(pollsAtArrival >= 0 && pollsAtArrival <= pollsBefore + 2,
             qPrintable(u"notice arrived after %1 polls"_s.arg(pollsAtArrival - pollsBefore)));

    const auto &request = m_dashboard->accepted.first();
    const protocol::Notice notice = noticeOf(request);
    QCOMPARE(notice.event.eventId, kPreempt);
    QVERIFY(notice.event.eventType == protocol::EventType::Preempt);
    QVERIFY(notice.event.eventStatus == protocol::EventStatus::Scheduled);
    QCOMPARE(notice.vm.vmName, u"vm-spot"_s);
    QCOMPARE(notice.vm.resourceGroup, u"rg-spot"_s);
    QCOMPARE(notice.documentIncarnation, 2);
    QCOMPARE(request.header("webhook-id"), noticeWebhookId(notice.vm, notice.event).toUtf8());
    QCOMPARE(request.header("spotkeeper-key-id"), QByteArray("agk_test"));
    QVERIFY(request.header("webhook-signature").startsWith("v1,"));

    // IMDS was asked exactly as documented, and no acknowledgement went out (off by default).
    const auto polls = m_imds->server().requests("GET", "/metadata/scheduledevents");
    QCOMPARE(polls.first().queryItem(u"api-version"_s), u"2020-07-01"_s);
    const auto identity = m_imds->server().requests("GET", "/metadata/instance");
    QCOMPARE(identity.size(), 1);
    QCOMPARE(identity.first().queryItem(u"api-version"_s), u"2021-02-01"_s);
    waitForPolls(3);
    QCOMPARE(m_dashboard->noticeAttempts(), 1);
    QVERIFY(m_imds->startRequests().isEmpty());
    QVERIFY(m_agent->spool().find(noticeWebhookId(notice.vm, notice.event))->delivered);
}

void TestAgent::oldProcessedEventAndNewPreempt()
{
    // The old event was delivered before a restart; the spool remembers it.
    m_imds->document =
        FakeImds::documentWith(5,
                               {{kOld, u"Reboot"_s, u"Started"_s, {u"vm-spot"_s}},
                                {kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    {
        NoticeSpool spool(m_spoolDir->path());
        protocol::VmIdentity vm;
        vm.subscriptionId = u"11111111-2222-3333-4444-555555555555"_s;
        vm.resourceGroup = u"rg-spot"_s;
        vm.vmName = u"vm-spot"_s;
        protocol::ScheduledEvent old;
        old.eventId = kOld;
        old.eventType = protocol::EventType::Reboot;
        old.eventTypeText = u"Reboot"_s;
        old.eventStatus = protocol::EventStatus::Started;
        SpoolEntry entry = buildNoticeEntry(vm, old, 4, QDateTime::currentDateTimeUtc(), false);
        entry.delivered = true;
        QString error;
        QVERIFY(spool.add(entry, &error));
    }
    startAgent(config());
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    waitForPolls(3);
    QCOMPARE(m_dashboard->noticeAttempts(), 1);
    QCOMPARE(noticeOf(m_dashboard->accepted.first()).event.eventId, kPreempt);
}

void TestAgent::eventsForOtherVmsAreIgnored()
{
    m_imds->document =
        FakeImds::documentWith(3,
                               {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-other"_s}},
                                {kFreeze, u"Freeze"_s, u"Scheduled"_s, {u"vm-x"_s, u"VM-SPOT"_s}},
                                {kOld, u"Terminate"_s, u"Scheduled"_s, {u"vm-spot-2"_s}}});
    startAgent(config());
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    waitForPolls(3);
    QCOMPARE(m_dashboard->noticeAttempts(), 1);
    const auto notice = noticeOf(m_dashboard->accepted.first());
    QCOMPARE(notice.event.eventId, kFreeze);
    QVERIFY(notice.event.eventType == protocol::EventType::Freeze); // every type is reported
    QCOMPARE(m_agent->spool().entries().size(), 1);
}

void TestAgent::dashboardDownThenUpDeliversExactlyOnce()
{
    m_dashboard->mode = FakeDashboard::Mode::Unavailable;
    startAgent(config());
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_VERIFY_WITH_TIMEOUT(m_dashboard->noticeAttempts() >= 3, kWaitMs);
    QVERIFY(m_dashboard->accepted.isEmpty());
    QCOMPARE(m_agent->spool().pending().size(), 1);
    m_dashboard->mode = FakeDashboard::Mode::Accept;
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    const int attempts = m_dashboard->noticeAttempts();
    waitForPolls(3);
    QCOMPARE(m_dashboard->noticeAttempts(), attempts); // nothing after the 2xx
    QCOMPARE(m_dashboard->accepted.size(), 1);
    // Every attempt carried the same webhook-id (the dashboard's dedupe key).
    QSet<QByteArray> ids;
    for (const auto &request : m_dashboard->server().requests("POST", "/api/v1/notices"))
        ids.insert(request.header("webhook-id"));
    QCOMPARE(ids.size(), 1);
    QVERIFY(logText().contains("delivery: Preempt "_L1 + kPreempt + " Scheduled"_L1));
}

void TestAgent::dashboardTimeoutsThenUp()
{
    m_dashboard->mode = FakeDashboard::Mode::Hang;
    startAgent(config());
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Started"_s, {u"vm-spot"_s}}});
    QTRY_VERIFY_WITH_TIMEOUT(m_dashboard->noticeAttempts() >= 2, kWaitMs);
    QVERIFY(logText().contains("timed out after 500 ms"_L1));
    m_dashboard->mode = FakeDashboard::Mode::Accept;
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    waitForPolls(2);
    QCOMPARE(m_dashboard->accepted.size(), 1);
}

void TestAgent::duplicateAnswerCountsAsDelivered()
{
    protocol::VmIdentity vm;
    vm.subscriptionId = u"11111111-2222-3333-4444-555555555555"_s;
    vm.resourceGroup = u"rg-spot"_s;
    vm.vmName = u"vm-spot"_s;
    protocol::ScheduledEvent event;
    event.eventId = kPreempt;
    event.eventStatus = protocol::EventStatus::Scheduled;
    m_dashboard->seenIds.insert(noticeWebhookId(vm, event).toUtf8()); // delivered before a crash
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    startAgent(config());
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->duplicates, 1, kWaitMs);
    waitForPolls(3);
    QCOMPARE(m_dashboard->noticeAttempts(), 1);
    QVERIFY(m_agent->spool().pending().isEmpty());
    QVERIFY(logText().contains("the dashboard already had it"_L1));
}

void TestAgent::configurationErrorIsLoggedAndRetried()
{
    m_dashboard->mode = FakeDashboard::Mode::Unauthorized;
    startAgent(config());
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_VERIFY_WITH_TIMEOUT(m_dashboard->noticeAttempts() >= 2, kWaitMs);
    QVERIFY(logText().contains("HTTP 401 (bad_signature) - a configuration error"_L1));
    m_dashboard->mode = FakeDashboard::Mode::Accept; // the operator fixed the key binding
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
}

void TestAgent::imdsErrorsBackOffWithoutStopping()
{
    m_imds->eventsScript = {{ImdsStep::Serve},       {ImdsStep::Status, 429},
                            {ImdsStep::Status, 500}, {ImdsStep::Status, 410},
                            {ImdsStep::Hang},        {ImdsStep::Status, 503},
                            {ImdsStep::Serve}};
    m_imds->document = FakeImds::documentWith(1, {});
    startAgent(config());
    QTRY_VERIFY_WITH_TIMEOUT(m_imds->eventsScript.isEmpty(), kWaitMs);
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    const QString log = logText();
    QVERIFY(log.contains("poll failed (HTTP 429)"_L1));
    QVERIFY(log.contains("poll failed (HTTP 500)"_L1));
    QVERIFY(log.contains("poll failed (HTTP 410)"_L1));
    QVERIFY(log.contains("poll failed (timed out after 500 ms)"_L1));
    QVERIFY(log.contains("IMDS reachable again after 5 failed poll(s)"_L1));
    QVERIFY(m_agent->source().lastPoll().ok);
}

void TestAgent::skippedIncarnations()
{
    startAgent(config());
    m_imds->document =
        FakeImds::documentWith(2, {{kOld, u"Reboot"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    m_imds->document = FakeImds::documentWith( // 3 never shows up
        4, {{kOld, u"Reboot"_s, u"Started"_s, {u"vm-spot"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 2, kWaitMs);
    QVERIFY(noticeOf(m_dashboard->accepted.at(1)).event.eventStatus
            == protocol::EventStatus::Started);
    QCOMPARE(noticeOf(m_dashboard->accepted.at(1)).documentIncarnation, 4);
    m_imds->document = FakeImds::documentWith(9, {});
    QTRY_VERIFY_WITH_TIMEOUT(m_agent->spool().entries().isEmpty(), kWaitMs);
    QCOMPARE(m_dashboard->noticeAttempts(), 2);
}

void TestAgent::fixtureLifecycleScheduledStartedGone()
{
    // The documented Freeze lifecycle, verbatim, for a VM named like its Resources.
    const auto fixture = [](const char *name) {
        QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/azure-fixtures/imds/"_s
                   + QLatin1StringView(name));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("missing fixture %s", name);
        return file.readAll();
    };
    m_imds->instance = FakeImds::instanceFor(u"WestNO_1"_s);
    m_imds->document = fixture("scheduledevents-01-empty-incarnation1.json");
    startAgent(config());
    waitForPolls(1);
    m_imds->document = fixture("scheduledevents-02-freeze-scheduled-incarnation2.json");
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    m_imds->document = fixture("scheduledevents-03-freeze-started-incarnation3.json");
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 2, kWaitMs);
    QCOMPARE(m_agent->spool().entries().size(), 2);
    m_imds->document = fixture("scheduledevents-04-empty-incarnation4.json");
    QTRY_VERIFY_WITH_TIMEOUT(m_agent->spool().entries().isEmpty(), kWaitMs);
    const auto first = noticeOf(m_dashboard->accepted.at(0));
    const auto second = noticeOf(m_dashboard->accepted.at(1));
    QCOMPARE(first.event.eventId, kFreeze);
    QVERIFY(first.event.eventStatus == protocol::EventStatus::Scheduled);
    QVERIFY(first.event.notBefore.isValid());
    QVERIFY(second.event.eventStatus == protocol::EventStatus::Started);
    QVERIFY(!second.event.notBefore.isValid());
    QCOMPARE(first.vm.vmName, u"WestNO_1"_s);
}

void TestAgent::mockServerScenariosAreAllDelivered()
{
    // Microsoft's mock server through its six scenarios, phase by phase
    // (tests/data/agent/mock-server): every Scheduled and Started phase reaches the
    // dashboard, and no poll fails on its ISO 8601 NotBefore.
    const QDir dir(QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/agent/mock-server"_s);
    const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 17);
    m_imds->instance = FakeImds::instanceFor(u"vmss_vm1"_s);
    startAgent(config());
    waitForPolls(1);
    const qsizetype mark = logMark();
    qsizetype expected = 0;
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(name));
        m_imds->document = file.readAll();
        if (name.endsWith("-completed.json"_L1) || name.endsWith("-canceled.json"_L1)) {
            waitForPolls(2);
            continue;
        }
        ++expected;
        QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), expected, kWaitMs);
    }
    int scheduled = 0;
    for (const auto &request : std::as_const(m_dashboard->accepted)) {
        const protocol::Notice notice = noticeOf(request);
        if (notice.event.eventStatus == protocol::EventStatus::Scheduled) {
            QVERIFY(notice.event.notBefore.isValid());
            ++scheduled;
        }
    }
    QCOMPARE(scheduled, 6);
    QCOMPARE(expected, 11);
    QVERIFY(!logText(mark).contains("poll failed"_L1));
}

void TestAgent::unreadableEventDoesNotHideAPreempt()
{
    AgentConfig c = config();
    c.heartbeatIntervalMs = 1000;
    startAgent(c);
    waitForPolls(1);
    const qsizetype mark = logMark();
    // An event for this VM with a NotBefore nobody can read, and a Preempt.
    m_imds->document = R"({"DocumentIncarnation":2,"Events":[
        {"EventId":"BAD-1","EventStatus":"Scheduled","EventType":"Freeze","ResourceType":"VirtualMachine",
         "Resources":["vm-spot"],"NotBefore":"in a while"},
        {"EventId":"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E","EventStatus":"Scheduled","EventType":"Preempt",
         "ResourceType":"VirtualMachine","Resources":["vm-spot"],"NotBefore":"Tue, 09 Aug 2022 17:07:32 GMT"}]})";
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    QCOMPARE(noticeOf(m_dashboard->accepted.first()).event.eventId, kPreempt);
    waitForPolls(3);
    QCOMPARE(m_dashboard->noticeAttempts(), 1);
    // Not a failed poll (no backoff), but said once in the log and in every heartbeat.
    const QString log = logText(mark);
    QVERIFY2(!log.contains("poll failed"_L1), qPrintable(log));
    QCOMPARE(log.count("event(s) unreadable"_L1), 1);
    QVERIFY(log.contains("EventId BAD-1: Events[0].NotBefore"_L1));
    QVERIFY(!m_agent->source().lastPoll().ok);
    QVERIFY(m_agent->source().lastPoll().error.contains("BAD-1"_L1));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            if (m_dashboard->heartbeats.isEmpty())
                return false;
            const auto last = protocol::decodeHeartbeat(m_dashboard->heartbeats.last().body);
            return last.ok() && !last.value->lastPoll.ok
                && last.value->lastPoll.error.contains("1 event(s) unreadable"_L1);
        }(),
        kWaitMs);

    // Once the event is readable again, the poll outcome is clean.
    m_imds->document =
        FakeImds::documentWith(3, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_VERIFY_WITH_TIMEOUT(m_agent->source().lastPoll().ok, kWaitMs);
    QVERIFY(logText(mark).contains("every event is readable again"_L1));
}

void TestAgent::cancelledEventIsNeverDelivered()
{
    m_dashboard->mode = FakeDashboard::Mode::Unavailable;
    startAgent(config());
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_VERIFY_WITH_TIMEOUT(m_dashboard->noticeAttempts() >= 2, kWaitMs);
    m_imds->document = FakeImds::documentWith(3, {}); // Azure cancelled it
    QTRY_VERIFY_WITH_TIMEOUT(m_agent->spool().entries().isEmpty(), kWaitMs);
    m_dashboard->mode = FakeDashboard::Mode::Accept;
    const int attempts = m_dashboard->noticeAttempts();
    waitForPolls(3);
    QVERIFY(m_dashboard->accepted.isEmpty());
    QVERIFY(m_dashboard->noticeAttempts() <= attempts + 1); // at most the one in flight
    QVERIFY(logText().contains("is gone from IMDS; dropping undelivered notice"_L1));
}

void TestAgent::slowFirstCallIsWaitedFor()
{
    // IMDS takes longer than the short timeout to answer the first call (it may take up
    // to two minutes while it enables Scheduled Events); the agent waits for it.
    m_imds->eventsScript = {{ImdsStep::Slow, 200, 1500}};
    m_imds->document =
        FakeImds::documentWith(1, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    AgentConfig c = config();
    c.pollTimeoutMs = 300; // later calls would have given up 5 times over
    c.firstPollTimeoutMs = 10'000;
    const qsizetype mark = logMark();
    startAgent(c);
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    QCOMPARE(m_imds->eventPolls(), 1); // no retry was needed: the first call was waited for
    QVERIFY(!logText(mark).contains("poll failed"_L1));
}

void TestAgent::identityUnreadableRetriesAndHeartbeatSaysSo()
{
    m_imds->instanceScript = {{ImdsStep::Status, 500},
                              {ImdsStep::Status, 404},
                              {ImdsStep::Hang},
                              {ImdsStep::Status, 500}};
    AgentConfig c = config();
    c.heartbeatIntervalMs = 1000;
    startAgent(c);
    QTRY_VERIFY_WITH_TIMEOUT(!m_dashboard->heartbeats.isEmpty(), kWaitMs);
    const auto unknown = protocol::decodeHeartbeat(m_dashboard->heartbeats.first().body);
    QVERIFY2(unknown.ok(), unknown.ok() ? "" : qPrintable(unknown.errors.first().message()));
    QVERIFY(!unknown.value->identityKnown);
    QVERIFY(unknown.value->vm.resourceGroup.isEmpty()); // never invented
    QVERIFY(!unknown.value->lastPoll.error.isEmpty());
    QVERIFY(logText().contains("identity: cannot read IMDS instance metadata (HTTP 500)"_L1));

    QTRY_VERIFY_WITH_TIMEOUT(m_agent->source().identityKnown(), kWaitMs);
    QCOMPARE(m_imds->instanceReads(), 5);
    // Identity known: a heartbeat says so at once, and Scheduled Events polling starts.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto last = protocol::decodeHeartbeat(m_dashboard->heartbeats.last().body);
            return last.ok() && last.value->identityKnown && last.value->vm.vmName == "vm-spot"_L1;
        }(),
        kWaitMs);
    waitForPolls(1);
}

void TestAgent::acknowledgeAfterDrainHook()
{
    QTemporaryDir work;
    const QString marker = work.filePath(u"drained"_s);
    AgentConfig c = config();
    c.acknowledgeEvents = true;
    const QString script = work.filePath(u"drain.sh"_s);
    {
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("printf '%s:%s' \"$SPOTKEEPER_EVENT_ID\" \"$SPOTKEEPER_EVENT_TYPE\" >> \""
                   + marker.toUtf8() + "\"\n");
    }
    c.drainHook = u"/bin/sh "_s + script;
    c.drainTimeoutMs = 5000;
    startAgent(c);
    m_imds->document =
        FakeImds::documentWith(2,
                               {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}},
                                {kFreeze, u"Freeze"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_imds->startRequests().size(), 1, kWaitMs);
    QCOMPARE(m_dashboard->accepted.size(), 2); // the approval follows delivery
    const QJsonObject body = m_imds->startRequests().first().json().object();
    QCOMPARE(
        body.value("StartRequests"_L1).toArray().first().toObject().value("EventId"_L1).toString(),
        kPreempt);
    QFile file(marker);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), (kPreempt + u":Preempt"_s).toUtf8()); // the hook ran first, once
    // Started arrives later: delivered, but neither drained nor approved again.
    m_imds->document =
        FakeImds::documentWith(3, {{kPreempt, u"Preempt"_s, u"Started"_s, {u"vm-spot"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 3, kWaitMs);
    waitForPolls(2);
    QCOMPARE(m_imds->startRequests().size(), 1);
    QVERIFY(m_agent->spool().isAcknowledged(kPreempt));
}

void TestAgent::legacyModeSendsSeedBody()
{
    AgentConfig c = config();
    c.legacy = true;
    c.credential = {};
    c.legacyWebhookUrl = m_dashboard->baseUrl();
    c.legacyWebhookUrl.setPath(u"/webhook"_s);
    c.legacyApiKey = "legacy-bearer-secret";
    c.heartbeatIntervalMs = 1000;
    startAgent(c);
    m_imds->document =
        FakeImds::documentWith(2,
                               {{kFreeze, u"Freeze"_s, u"Scheduled"_s, {u"vm-spot"_s}},
                                {kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->legacy.size(), 1, kWaitMs);
    waitForPolls(6);
    QCOMPARE(m_dashboard->legacy.size(), 1); // the Freeze is not reported in this mode
    const auto &request = m_dashboard->legacy.first();
    QCOMPARE(request.header("Authorization"), QByteArray("Bearer legacy-bearer-secret"));
    QCOMPARE(request.json().object(),
             (QJsonObject {{u"resourceGroup"_s, u"rg-spot"_s}, {u"vmName"_s, u"vm-spot"_s}}));
    QVERIFY(m_dashboard->heartbeats.isEmpty());
    QCOMPARE(m_dashboard->noticeAttempts(), 0);
}

void TestAgent::privateCaFileTrustsTheDashboard()
{
    // An https dashboard with a certificate from a private CA: untrusted until ca-file
    // names that CA, then delivered (the system CAs stay trusted alongside it).
    FakeDashboard tlsDashboard(testCredential());
    QString error;
    QVERIFY2(tlsDashboard.startTls(testsupport::testServerTls(), &error), qPrintable(error));
    AgentConfig c = config();
    c.dashboardUrl = tlsDashboard.baseUrl();
    QCOMPARE(c.dashboardUrl.scheme(), u"https"_s);
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    const qsizetype mark = logMark();
    startAgent(c);
    QTRY_VERIFY_WITH_TIMEOUT(logText(mark).count("delivery: Preempt"_L1) >= 2, kWaitMs);
    QVERIFY(tlsDashboard.accepted.isEmpty()); // the handshake failed: nothing was sent
    const QString failures = logText(mark);
    QVERIFY2(failures.contains("SSL"_L1, Qt::CaseInsensitive)
                 || failures.contains("certificate"_L1, Qt::CaseInsensitive),
             qPrintable(failures));
    m_agent.reset();

    c.caFile = testsupport::tlsFile(u"ca.pem"_s);
    startAgent(c);
    QTRY_COMPARE_WITH_TIMEOUT(tlsDashboard.accepted.size(), 1, kWaitMs);
    QCOMPARE(tlsDashboard.badSignatures, 0);
}

void TestAgent::corruptSpoolIsMovedAsideNotFatal()
{
    {
        QFile spool(m_spoolDir->filePath(u"notices.json"_s));
        QVERIFY(spool.open(QIODevice::WriteOnly));
        spool.write("{\"version\":1,\"entries\":[{\"webhookId\"");
    }
    m_imds->document =
        FakeImds::documentWith(2, {{kPreempt, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
    startAgent(config());
    QTRY_COMPARE_WITH_TIMEOUT(m_dashboard->accepted.size(), 1, kWaitMs);
    const QStringList aside =
        QDir(m_spoolDir->path()).entryList({u"notices.json.corrupt-*"_s}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    QVERIFY(logText().contains("is corrupt"_L1));
    QVERIFY(logText().contains("starting with an empty spool"_L1));
}

QTEST_GUILESS_MAIN(TestAgent)
#include "tst_agent.moc"
