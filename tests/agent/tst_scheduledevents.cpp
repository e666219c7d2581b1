// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Every real IMDS payload in tests/data/azure-fixtures/imds through the pure parsers.
#include "agentcore/scheduledevents.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {
QByteArray imdsFixture(const QString &name)
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/azure-fixtures/imds/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

// Derived documents (tests/data/agent/README.md says from what).
QByteArray agentData(const QString &name)
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/agent/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(file.fileName()));
    return file.readAll();
}
} // namespace

class TestScheduledEvents final : public QObject
{
    Q_OBJECT
private slots:
    void everyScheduledEventsFixtureParses();
    void everyImdsFixtureHasAKnownOutcome();
    void freezeLifecycle();
    void preemptSimulated();
    void preemptCompactOldApiHasNoDuration();
    void rebootUser();
    void filtersOnOwnNameCaseInsensitively();
    void rejectsMalformedDocuments_data();
    void rejectsMalformedDocuments();
    void unreadableEventKeepsTheOthers_data();
    void unreadableEventKeepsTheOthers();
    void unreadableEventsForThisVm();
    void mockServerScenarios();
    void notBefore_data();
    void notBefore();
    void rfc1123_data();
    void rfc1123();
    void instanceMetadataFixture();
    void instanceMetadataWrappedAndRegularPriority();
    void resourceIdFromImds_data();
    void resourceIdFromImds();
    void inconsistentResourceIdIsIgnored();
    void instanceMetadataNeverInventsIdentity_data();
    void instanceMetadataNeverInventsIdentity();
    void startRequestsBodyMatchesFixture();
};

void TestScheduledEvents::everyScheduledEventsFixtureParses()
{
    const QDir dir(QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/azure-fixtures/imds"_s);
    const QStringList files = dir.entryList({u"scheduledevents-*.json"_s}, QDir::Files);
    int documents = 0;
    for (const QString &name : files) {
        if (name.contains("startrequests"_L1))
            continue; // a POST body, not a document
        const auto parsed = parseScheduledEvents(imdsFixture(name));
        QVERIFY2(parsed.value, qPrintable(name + u": "_s + parsed.error));
        QVERIFY2(parsed.value->incarnation >= 1, qPrintable(name));
        for (const auto &event : parsed.value->events) {
            QVERIFY2(!event.eventId.isEmpty(), qPrintable(name));
            QVERIFY2(event.eventType != protocol::EventType::Unknown, qPrintable(name));
            QVERIFY2(!event.resources.isEmpty(), qPrintable(name));
            // NotBefore: a date while Scheduled, "" once Started.
            QCOMPARE(event.notBefore.isValid(),
                     event.eventStatus == protocol::EventStatus::Scheduled);
        }
        ++documents;
    }
    QCOMPARE(documents, 7); // 8 files, one of them the StartRequests POST body
}

void TestScheduledEvents::everyImdsFixtureHasAKnownOutcome()
{
    // Every file of tests/data/azure-fixtures/imds goes through the agent's parsers with a
    // stated outcome; a new fixture fails here until it is given one.
    const QDir dir(QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/azure-fixtures/imds"_s);
    const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files);
    QVERIFY(files.size() >= 11);
    for (const QString &name : files) {
        const QByteArray body = imdsFixture(name);
        const auto events = parseScheduledEvents(body);
        const auto identity = parseInstanceMetadata(body);
        if (name.contains("startrequests"_L1)) { // the approval POST body
            const QJsonDocument expected = QJsonDocument::fromJson(body);
            const QString id = expected.object()
                                   .value("StartRequests"_L1)
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value("EventId"_L1)
                                   .toString();
            QCOMPARE(QJsonDocument::fromJson(startRequestsBody({id})), expected);
        } else if (name.startsWith("scheduledevents-"_L1)) {
            QVERIFY2(events.value, qPrintable(name + u": "_s + events.error));
            QVERIFY2(!identity.value, qPrintable(name)); // never mistaken for an identity
        } else if (name.startsWith("instance-compute-"_L1)) {
            QVERIFY2(identity.value, qPrintable(name + u": "_s + identity.error));
            QVERIFY2(!events.value, qPrintable(name));
        } else if (name.startsWith("instance-error-"_L1)
                   || name.startsWith("identity-oauth2-token"_L1)) {
            // An IMDS error body, or the managed identity token (the dashboard's, not the
            // agent's): neither is an identity nor an events document, and each says why.
            QVERIFY2(!identity.value && !identity.error.isEmpty(), qPrintable(name));
            QVERIFY2(!events.value && !events.error.isEmpty(), qPrintable(name));
        } else {
            QFAIL(qPrintable(u"no expected outcome for IMDS fixture "_s + name));
        }
    }
}

void TestScheduledEvents::freezeLifecycle()
{
    const auto empty1 =
        parseScheduledEvents(imdsFixture(u"scheduledevents-01-empty-incarnation1.json"_s));
    QVERIFY(empty1.value);
    QCOMPARE(empty1.value->incarnation, 1);
    QVERIFY(empty1.value->events.isEmpty());

    const auto scheduled = parseScheduledEvents(
        imdsFixture(u"scheduledevents-02-freeze-scheduled-incarnation2.json"_s));
    QVERIFY(scheduled.value);
    QCOMPARE(scheduled.value->incarnation, 2);
    QCOMPARE(scheduled.value->events.size(), 1);
    const auto &event = scheduled.value->events.first();
    QCOMPARE(event.eventId, u"C7061BAC-AFDC-4513-B24B-AA5F13A16123"_s);
    QVERIFY(event.eventType == protocol::EventType::Freeze);
    QVERIFY(event.eventStatus == protocol::EventStatus::Scheduled);
    QCOMPARE(event.resources, QStringList({u"WestNO_0"_s, u"WestNO_1"_s}));
    QCOMPARE(event.notBefore, QDateTime(QDate(2026, 4, 11), QTime(22, 26, 58), Qt::UTC));
    QCOMPARE(event.durationInSeconds, 5);
    QCOMPARE(event.eventSource, u"Platform"_s);
    QCOMPARE(event.resourceType, u"VirtualMachine"_s);
    QVERIFY(event.description.startsWith("Virtual machine is being paused"_L1));

    const auto started =
        parseScheduledEvents(imdsFixture(u"scheduledevents-03-freeze-started-incarnation3.json"_s));
    QVERIFY(started.value);
    QCOMPARE(started.value->incarnation, 3);
    QCOMPARE(started.value->events.first().eventId, event.eventId);
    QVERIFY(started.value->events.first().eventStatus == protocol::EventStatus::Started);
    QVERIFY(!started.value->events.first().notBefore.isValid());

    const auto gone =
        parseScheduledEvents(imdsFixture(u"scheduledevents-04-empty-incarnation4.json"_s));
    QVERIFY(gone.value);
    QCOMPARE(gone.value->incarnation, 4);
    QVERIFY(gone.value->events.isEmpty());
}

void TestScheduledEvents::preemptSimulated()
{
    const auto doc = parseScheduledEvents(
        imdsFixture(u"scheduledevents-preempt-simulated-api2020-07-01.json"_s));
    QVERIFY(doc.value);
    QCOMPARE(doc.value->events.size(), 1);
    const auto &event = doc.value->events.first();
    QVERIFY(event.eventType == protocol::EventType::Preempt);
    QCOMPARE(event.eventTypeText, u"Preempt"_s);
    QCOMPARE(event.eventId, u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s);
    QCOMPARE(event.notBefore, QDateTime(QDate(2022, 8, 9), QTime(17, 7, 32), Qt::UTC));
    QCOMPARE(event.durationInSeconds, -1);
    QCOMPARE(eventsForVm(doc.value->events, u"vm-spot").size(), 1);
}

void TestScheduledEvents::preemptCompactOldApiHasNoDuration()
{
    const auto doc = parseScheduledEvents(
        imdsFixture(u"scheduledevents-preempt-simulated-compact-api2019-08-01.json"_s));
    QVERIFY(doc.value);
    const auto &event = doc.value->events.first();
    QVERIFY(event.eventType == protocol::EventType::Preempt);
    QCOMPARE(event.durationInSeconds, -1); // absent before 2020-07-01: unknown
    QCOMPARE(event.notBefore, QDateTime(QDate(2021, 3, 16), QTime(0, 58, 46), Qt::UTC));
    QCOMPARE(event.resources, QStringList {u"myspotvm"_s});
}

void TestScheduledEvents::rebootUser()
{
    const auto doc = parseScheduledEvents(
        imdsFixture(u"scheduledevents-reboot-user-scheduled-incarnation2.json"_s));
    QVERIFY(doc.value);
    QCOMPARE(doc.value->incarnation, 2);
    QVERIFY(doc.value->events.first().eventType == protocol::EventType::Reboot);
    QCOMPARE(doc.value->events.first().eventSource, u"User"_s);
    QCOMPARE(eventsForVm(doc.value->events, u"flatcar-vm1").size(), 1);
    QCOMPARE(eventsForVm(doc.value->events, u"flatcar-vm2").size(), 0);
}

void TestScheduledEvents::filtersOnOwnNameCaseInsensitively()
{
    const auto doc = parseScheduledEvents(
        imdsFixture(u"scheduledevents-02-freeze-scheduled-incarnation2.json"_s));
    QVERIFY(doc.value);
    QCOMPARE(eventsForVm(doc.value->events, u"westno_1").size(), 1);
    QCOMPARE(eventsForVm(doc.value->events, u"WESTNO_0").size(), 1);
    QCOMPARE(eventsForVm(doc.value->events, u"WestNO_2").size(), 0);
    QCOMPARE(eventsForVm(doc.value->events, u"WestNO").size(), 0); // no prefix match
    QCOMPARE(eventsForVm(doc.value->events, u"").size(), 0);

    // Several events, only some for us: all are read, not just the first.
    const QByteArray mixed = R"({"DocumentIncarnation":7,"Events":[
        {"EventId":"A","EventStatus":"Scheduled","EventType":"Freeze","ResourceType":"VirtualMachine","Resources":["other"],"NotBefore":"Tue, 09 Aug 2022 17:07:32 GMT"},
        {"EventId":"B","EventStatus":"Started","EventType":"Preempt","ResourceType":"VirtualMachine","Resources":["x","Me"],"NotBefore":""},
        {"EventId":"C","EventStatus":"Scheduled","EventType":"Terminate","ResourceType":"VirtualMachine","Resources":["me"],"NotBefore":"Tue, 09 Aug 2022 17:07:32 GMT"}]})";
    const auto parsed = parseScheduledEvents(mixed);
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    const auto mine = eventsForVm(parsed.value->events, u"ME");
    QCOMPARE(mine.size(), 2);
    QCOMPARE(mine.at(0).eventId, u"B"_s);
    QVERIFY(mine.at(1).eventType == protocol::EventType::Terminate);
}

void TestScheduledEvents::rejectsMalformedDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    // Only the document as a whole can be rejected; an unreadable event is set aside
    // (unreadableEventKeepsTheOthers).
    QTest::newRow("not json") << QByteArray("{\"Docu") << u"malformed JSON at byte"_s;
    QTest::newRow("array") << QByteArray("[]") << u"must be a JSON object"_s;
    QTest::newRow("no incarnation") << QByteArray(R"({"Events":[]})") << u"DocumentIncarnation"_s;
    QTest::newRow("events not array")
        << QByteArray(R"({"DocumentIncarnation":1,"Events":{}})") << u"Events: must be an array"_s;
}

void TestScheduledEvents::rejectsMalformedDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto parsed = parseScheduledEvents(json);
    QVERIFY(!parsed.value);
    QVERIFY2(parsed.error.contains(expected), qPrintable(parsed.error));
}

void TestScheduledEvents::unreadableEventKeepsTheOthers_data()
{
    // Each row: a readable Preempt for "vm", then one event the parser cannot read. The
    // Preempt must come through; the other is reported with why.
    QTest::addColumn<QByteArray>("bad");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("eventId"); // what of the bad event could still be named
    const QByteArray ok =
        R"("EventId":"B","EventStatus":"Scheduled","EventType":"Freeze","Resources":["vm"])";
    QTest::newRow("no event id") << QByteArray(
        R"({"EventStatus":"Scheduled","EventType":"Preempt","Resources":["vm"]})")
                                 << u"Events[1].EventId"_s << QString();
    QTest::newRow("no event type")
        << QByteArray(R"({"EventId":"B"})") << u"Events[1].EventType"_s << u"B"_s;
    QTest::newRow("unknown status") << QByteArray(
        R"({"EventId":"B","EventStatus":"Completed","EventType":"Preempt","Resources":["vm"]})")
                                    << u"Events[1].EventStatus"_s << u"B"_s;
    QTest::newRow("resources not array") << QByteArray(
        R"({"EventId":"B","EventStatus":"Scheduled","EventType":"Preempt","Resources":"vm"})")
                                         << u"Events[1].Resources"_s << u"B"_s;
    QTest::newRow("notbefore unreadable")
        << (QByteArray("{") + ok + R"(,"NotBefore":"next Tuesday"})")
        << u"Events[1].NotBefore: must be \"\", an RFC 1123 or an ISO 8601 date"_s << u"B"_s;
    QTest::newRow("notbefore without zone")
        << (QByteArray("{") + ok + R"(,"NotBefore":"2022-08-09T17:07:32"})")
        << u"Events[1].NotBefore"_s << u"B"_s;
    QTest::newRow("duration text") << (QByteArray("{") + ok + R"(,"DurationInSeconds":"soon"})")
                                   << u"Events[1].DurationInSeconds"_s << u"B"_s;
    QTest::newRow("not an object")
        << QByteArray(R"("B")") << u"Events[1]: must be an object"_s << QString();
}

void TestScheduledEvents::unreadableEventKeepsTheOthers()
{
    QFETCH(QByteArray, bad);
    QFETCH(QString, expected);
    QFETCH(QString, eventId);
    const QByteArray json =
        R"({"DocumentIncarnation":4,"Events":[{"EventId":"A","EventStatus":"Scheduled",)"
        R"("EventType":"Preempt","Resources":["vm"],"NotBefore":"Tue, 09 Aug 2022 17:07:32 GMT"},)"
        + bad + "]}";
    const auto parsed = parseScheduledEvents(json);
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    QCOMPARE(parsed.value->incarnation, 4);
    QCOMPARE(parsed.value->events.size(), 1);
    QCOMPARE(parsed.value->events.first().eventId, u"A"_s);
    QVERIFY(parsed.value->events.first().eventType == protocol::EventType::Preempt);
    QCOMPARE(parsed.value->unreadable.size(), 1);
    const UnreadableEvent &unreadable = parsed.value->unreadable.first();
    QCOMPARE(unreadable.index, 1);
    QCOMPARE(unreadable.eventId, eventId);
    QVERIFY2(unreadable.error.contains(expected), qPrintable(unreadable.error));
    const QString described = describeUnreadable(parsed.value->unreadable);
    QVERIFY2(described.startsWith("1 event(s) unreadable"_L1), qPrintable(described));
    QVERIFY2(described.contains(expected), qPrintable(described));
}

void TestScheduledEvents::unreadableEventsForThisVm()
{
    const QByteArray json = R"({"DocumentIncarnation":2,"Events":[
        {"EventId":"A","EventStatus":"Scheduled","EventType":"Preempt","Resources":["other"],"NotBefore":"?"},
        {"EventId":"B","EventStatus":"Scheduled","EventType":"Preempt","Resources":["x","ME"],"NotBefore":"?"},
        {"EventId":"C","EventStatus":"Scheduled","EventType":"Preempt","Resources":[1],"NotBefore":"?"},
        {"EventId":"D","EventStatus":"Started","EventType":"Preempt","Resources":["me"],"NotBefore":""}]})";
    const auto parsed = parseScheduledEvents(json);
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    QCOMPARE(parsed.value->events.size(), 1);
    QCOMPARE(parsed.value->unreadable.size(), 3);
    // Another VM's bad event is not ours to report; one that names us, or whose
    // Resources cannot be read (it might name us), is.
    const auto mine = unreadableForVm(parsed.value->unreadable, u"me");
    QCOMPARE(mine.size(), 2);
    QCOMPARE(mine.at(0).eventId, u"B"_s);
    QCOMPARE(mine.at(1).eventId, u"C"_s);
    QCOMPARE(describeUnreadable({}), QString());

    // The report travels in every heartbeat: bounded however many events are bad.
    QList<UnreadableEvent> many(40, UnreadableEvent {0, QString(300, u'X'), {}, u"bad"_s});
    const QString report = describeUnreadable(many);
    QVERIFY2(report.startsWith("40 event(s) unreadable"_L1), qPrintable(report));
    QVERIFY2(report.endsWith("and 35 more"_L1), qPrintable(report));
    QVERIFY(report.size() < 600);
}

void TestScheduledEvents::mockServerScenarios()
{
    // Microsoft's mock server writes NotBefore as ISO 8601; every phase of its six
    // scenarios must be read (tests/data/agent/mock-server/README.md).
    const QDir dir(QStringLiteral(SPOTKEEPER_TEST_DATA) + u"/agent/mock-server"_s);
    const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 17);
    int scheduled = 0;
    int started = 0;
    int empty = 0;
    for (const QString &name : files) {
        const auto parsed = parseScheduledEvents(agentData(u"mock-server/"_s + name));
        QVERIFY2(parsed.value, qPrintable(name + u": "_s + parsed.error));
        QVERIFY2(parsed.value->unreadable.isEmpty(),
                 qPrintable(name + u": "_s + describeUnreadable(parsed.value->unreadable)));
        if (parsed.value->events.isEmpty()) {
            QVERIFY2(name.endsWith("-completed.json"_L1) || name.endsWith("-canceled.json"_L1),
                     qPrintable(name));
            ++empty;
            continue;
        }
        QCOMPARE(parsed.value->events.size(), 1);
        const protocol::ScheduledEvent &event = parsed.value->events.first();
        QCOMPARE(eventsForVm(parsed.value->events, u"vmss_vm1").size(), 1);
        if (event.eventStatus == protocol::EventStatus::Scheduled) {
            QVERIFY2(event.notBefore.isValid(), qPrintable(name));
            QCOMPARE(event.notBefore.timeSpec(), Qt::UTC);
            ++scheduled;
        } else {
            QVERIFY2(!event.notBefore.isValid(), qPrintable(name));
            ++started;
        }
    }
    QCOMPARE(scheduled, 6);
    QCOMPARE(started, 5);
    QCOMPARE(empty, 6);

    const auto live =
        parseScheduledEvents(agentData(u"mock-server/1-live-migration-1-scheduled.json"_s));
    QVERIFY(live.value && !live.value->events.isEmpty());
    const protocol::ScheduledEvent &event = live.value->events.first();
    QVERIFY(event.eventType == protocol::EventType::Freeze);
    QCOMPARE(event.notBefore, QDateTime(QDate(2026, 12, 7), QTime(3, 10), Qt::UTC));
    QCOMPARE(event.durationInSeconds, 5);
}

void TestScheduledEvents::notBefore_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime t(QDate(2025, 1, 1), QTime(12, 0), Qt::UTC);
    QTest::newRow("rfc 1123 (IMDS)") << u"Wed, 01 Jan 2025 12:00:00 GMT"_s << t;
    QTest::newRow("iso Z (mock server)") << u"2025-01-01T12:00:00Z"_s << t;
    QTest::newRow("iso fraction") << u"2025-01-01T12:00:00.250Z"_s << t.addMSecs(250);
    QTest::newRow("iso offset") << u"2025-01-01T14:00:00+02:00"_s << t;
    QTest::newRow("iso no zone") << u"2025-01-01T12:00:00"_s << QDateTime();
    QTest::newRow("date only") << u"2025-01-01"_s << QDateTime();
    QTest::newRow("garbage") << u"soon"_s << QDateTime();
    QTest::newRow("empty") << QString() << QDateTime();
}

void TestScheduledEvents::notBefore()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime parsed = parseNotBefore(text);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(parsed, expected);
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
    }
}

void TestScheduledEvents::rfc1123_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    QTest::newRow("doc") << u"Tue, 09 Aug 2022 17:07:32 GMT"_s
                         << QDateTime(QDate(2022, 8, 9), QTime(17, 7, 32), Qt::UTC);
    QTest::newRow("one digit day") << u"Tue, 9 Aug 2022 17:07:32 GMT"_s
                                   << QDateTime(QDate(2022, 8, 9), QTime(17, 7, 32), Qt::UTC);
    QTest::newRow("wrong weekday in Azure's own sample")
        << u"Mon, 11 Apr 2026 22:26:58 GMT"_s
        << QDateTime(QDate(2026, 4, 11), QTime(22, 26, 58), Qt::UTC);
    QTest::newRow("midnight DST-free") << u"Sun, 29 Mar 2026 02:30:00 GMT"_s
                                       << QDateTime(QDate(2026, 3, 29), QTime(2, 30), Qt::UTC);
    QTest::newRow("empty") << QString() << QDateTime();
    QTest::newRow("iso") << u"2022-08-09T17:07:32Z"_s << QDateTime();
    QTest::newRow("no zone") << u"Tue, 09 Aug 2022 17:07:32"_s << QDateTime();
    QTest::newRow("bad month") << u"Tue, 09 Foo 2022 17:07:32 GMT"_s << QDateTime();
}

void TestScheduledEvents::rfc1123()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime parsed = parseRfc1123(text);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(parsed, expected);
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
    }
}

void TestScheduledEvents::instanceMetadataFixture()
{
    const auto vm =
        parseInstanceMetadata(imdsFixture(u"instance-compute-aks-vmss-api2021-02-01.json"_s));
    QVERIFY2(vm.value, qPrintable(vm.error));
    QCOMPARE(vm.value->vmName,
             u"aks-agentpool-12628255-vmss_2"_s); // compute.name, not computerName
    QCOMPARE(vm.value->resourceGroup, u"MC_myname_group_myname_eastus"_s);
    QCOMPARE(vm.value->subscriptionId, u"0e073ec1-c22f-4488-adde-da35ed609ccd"_s);
    QCOMPARE(vm.value->vmId, u"220e2b43-0913-492f-ada0-b6b2795bdb9b"_s);
    QCOMPARE(vm.value->location, u"eastus"_s);
    QCOMPARE(vm.value->vmScaleSetName, u"aks-agentpool-12628255-vmss"_s);
    QCOMPARE(vm.value->priority, u"Regular"_s); // "" in the real document
    QCOMPARE(vm.value->evictionPolicy, QString());

    const auto error =
        parseInstanceMetadata(imdsFixture(u"instance-error-api-version-missing.json"_s));
    QVERIFY(!error.value);
    QVERIFY2(error.error.contains("subscriptionId"_L1), qPrintable(error.error));
}

void TestScheduledEvents::instanceMetadataWrappedAndRegularPriority()
{
    const QByteArray full = R"({"compute":{"subscriptionId":"11111111-2222-3333-4444-555555555555",
        "resourceGroupName":"rg-spot","name":"vm-spot","vmId":"v","location":"westeurope",
        "priority":"Spot","evictionPolicy":"Deallocate","vmScaleSetName":""},"network":{}})";
    const auto vm = parseInstanceMetadata(full);
    QVERIFY2(vm.value, qPrintable(vm.error));
    QCOMPARE(vm.value->priority, u"Spot"_s);
    QCOMPARE(vm.value->evictionPolicy, u"Deallocate"_s);
    QCOMPARE(vm.value->resourceId(),
             u"/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spot/"
             "providers/Microsoft.Compute/virtualMachines/vm-spot"_s);
}

void TestScheduledEvents::resourceIdFromImds_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("resourceId");
    QTest::addColumn<QString>("vmName");
    QTest::addColumn<QString>("scaleSet");
    const QString sub = u"/subscriptions/0e073ec1-c22f-4488-adde-da35ed609ccd/resourceGroups/"_s;
    // The real AKS node: a uniform scale set instance, whose ARM id cannot be composed
    // from compute.name ("<vmss>_<instanceId>").
    QTest::newRow("uniform scale set instance (real)")
        << imdsFixture(u"instance-compute-aks-vmss-api2021-02-01.json"_s)
        << sub
            + u"MC_myname_group_myname_eastus/providers/Microsoft.Compute/"
              "virtualMachineScaleSets/aks-agentpool-12628255-vmss/virtualMachines/2"_s
        << u"aks-agentpool-12628255-vmss_2"_s << u"aks-agentpool-12628255-vmss"_s;
    QTest::newRow("standalone Spot VM (derived)")
        << agentData(u"instance-standalone-spot-api2021-02-01.json"_s)
        << sub + u"rg-spot-fleet/providers/Microsoft.Compute/virtualMachines/spot-worker-01"_s
        << u"spot-worker-01"_s << QString();
    QTest::newRow("flexible scale set VM (derived)")
        << agentData(u"instance-vmss-flex-spot-api2021-02-01.json"_s)
        << sub + u"rg-spot-fleet/providers/Microsoft.Compute/virtualMachines/flexspot_3f1a2b9c"_s
        << u"flexspot_3f1a2b9c"_s << u"flexspot"_s;
    // No compute.resourceId (api-version before 2019-03-11): composed, the only choice.
    QTest::newRow("no resourceId: composed")
        << agentData(u"instance-vmss-uniform-no-resourceid.json"_s)
        << sub
            + u"MC_myname_group_myname_eastus/providers/Microsoft.Compute/virtualMachines/"
              "aks-agentpool-12628255-vmss_2"_s
        << u"aks-agentpool-12628255-vmss_2"_s << u"aks-agentpool-12628255-vmss"_s;
}

void TestScheduledEvents::resourceIdFromImds()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, resourceId);
    QFETCH(QString, vmName);
    QFETCH(QString, scaleSet);
    QString warning;
    const auto vm = parseInstanceMetadata(document, &warning);
    QVERIFY2(vm.value, qPrintable(vm.error));
    QCOMPARE(warning, QString());
    QCOMPARE(vm.value->resourceId(), resourceId);
    QCOMPARE(vm.value->resourceKey(), resourceId.toLower());
    QCOMPARE(vm.value->vmName, vmName); // Resources[] in Scheduled Events name this
    QCOMPARE(vm.value->vmScaleSetName, scaleSet);
}

void TestScheduledEvents::inconsistentResourceIdIsIgnored()
{
    // A resourceId that names another VM must not become the key the notice is filed
    // under: it is ignored, said so, and the id composed.
    QByteArray document = imdsFixture(u"instance-compute-aks-vmss-api2021-02-01.json"_s);
    document.replace("virtualMachineScaleSets/aks-agentpool-12628255-vmss/",
                     "virtualMachineScaleSets/other-vmss/");
    QString warning;
    const auto vm = parseInstanceMetadata(document, &warning);
    QVERIFY2(vm.value, qPrintable(vm.error));
    QVERIFY2(warning.contains("names another scale set than vmScaleSetName"_L1),
             qPrintable(warning));
    QVERIFY(vm.value->armResourceId.isEmpty());
    QVERIFY(vm.value->resourceId().endsWith("/virtualMachines/aks-agentpool-12628255-vmss_2"_L1));
}

void TestScheduledEvents::instanceMetadataNeverInventsIdentity_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no rg") << QByteArray(
        R"({"subscriptionId":"s","resourceGroupName":"","name":"vm"})")
                           << u"resourceGroupName"_s;
    QTest::newRow("no name") << QByteArray(R"({"subscriptionId":"s","resourceGroupName":"rg"})")
                             << u"compute.name"_s;
    QTest::newRow("not json") << QByteArray("<html>") << u"malformed JSON"_s;
}

void TestScheduledEvents::instanceMetadataNeverInventsIdentity()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto vm = parseInstanceMetadata(json);
    QVERIFY(!vm.value);
    QVERIFY2(vm.error.contains(expected), qPrintable(vm.error));
}

void TestScheduledEvents::startRequestsBodyMatchesFixture()
{
    const QJsonDocument expected =
        QJsonDocument::fromJson(imdsFixture(u"scheduledevents-ack-startrequests-request.json"_s));
    QVERIFY(expected.isObject());
    const QByteArray body = startRequestsBody({u"f020ba2e-3bc0-4c40-a10b-86575a9eabd5"_s});
    QCOMPARE(QJsonDocument::fromJson(body), expected);
}

QTEST_GUILESS_MAIN(TestScheduledEvents)
#include "tst_scheduledevents.moc"
