// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The pure EC2 instance metadata parsers and event builders (agent/agentcore/ec2metadata.h),
// on the documented payloads in tests/data/aws/imds (provenance in tests/data/aws/README.md),
// and what they refuse.
#include "agentcore/ec2metadata.h"
#include "protocol/messagecodec.h"

#include <QFile>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {

QByteArray data(const QString &name)
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA "/aws/imds/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return file.readAll();
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s)
{
    return {QDate(y, mo, d), QTime(h, mi, s), Qt::UTC};
}

protocol::VmIdentity identity()
{
    return *parseEc2Identity(data(u"identity-document.json"_s), "spot").value;
}

} // namespace

class TestEc2Metadata final : public QObject
{
    Q_OBJECT

private slots:
    void identityFromTheDocumentedExample();
    void identityInChina();
    void identityRefusals_data();
    void identityRefusals();
    void instanceAction_data();
    void instanceAction();
    void rebalance();
    void scheduledMaintenance();
    void scheduledRefusals_data();
    void scheduledRefusals();
    void events();
    void eventIdsAreStableAndDistinct();
    void eventsTravelTheWire();
};

void TestEc2Metadata::identityFromTheDocumentedExample()
{
    const auto parsed = parseEc2Identity(data(u"identity-document.json"_s), "spot\n");
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    const protocol::VmIdentity &vm = *parsed.value;
    QVERIFY(vm.cloud == protocol::Cloud::Aws);
    QCOMPARE(vm.accountId, u"123456789012"_s);
    QCOMPARE(vm.location, u"us-west-2"_s);
    QCOMPARE(vm.zone, u"us-west-2b"_s);
    QCOMPARE(vm.vmId, u"i-1234567890abcdef0"_s);
    QCOMPARE(vm.vmName, vm.vmId);
    QCOMPARE(vm.instanceType, u"t2.micro"_s);
    QCOMPARE(vm.priority, u"spot"_s);
    QCOMPARE(vm.evictionPolicy, QString());
    QCOMPARE(vm.resourceId(), u"arn:aws:ec2:us-west-2:123456789012:instance/i-1234567890abcdef0"_s);
    // instance-life-cycle answered 404: the lifecycle stays unknown, nothing else changes.
    const auto noLifecycle = parseEc2Identity(data(u"identity-document.json"_s), {});
    QVERIFY2(noLifecycle.value, qPrintable(noLifecycle.error));
    QCOMPARE(noLifecycle.value->priority, QString());
}

void TestEc2Metadata::identityInChina()
{
    const auto parsed = parseEc2Identity(data(u"identity-document-china.json"_s), "on-demand");
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    QCOMPARE(parsed.value->priority, u"on-demand"_s);
    QCOMPARE(parsed.value->resourceId(),
             u"arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0f1e2d3c4b5a69788"_s);
}

void TestEc2Metadata::identityRefusals_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QByteArray>("lifecycle");
    QTest::addColumn<QString>("error");
    const QByteArray good = data(u"identity-document.json"_s);
    auto with = [&](const char *from, const char *to) {
        QByteArray copy = good;
        return copy.replace(from, to);
    };
    QTest::newRow("not JSON") << QByteArray("<html>") << QByteArray()
                              << u"instance-identity/document: not a JSON object"_s;
    QTest::newRow("array") << QByteArray("[]") << QByteArray()
                           << u"instance-identity/document: not a JSON object"_s;
    QTest::newRow("empty") << QByteArray() << QByteArray()
                           << u"instance-identity/document: not a JSON object"_s;
    QTest::newRow("10-digit account (the page's placeholder)")
        << with("123456789012", "0123456789") << QByteArray()
        << u"instance-identity/document: accountId \"0123456789\": must be an AWS account id"_s;
    QTest::newRow("account as number")
        << with("\"123456789012\"", "123456789012") << QByteArray()
        << u"instance-identity/document: accountId must be a string"_s;
    QTest::newRow("no region") << with("\"region\"", "\"regio\"") << QByteArray()
                               << u"instance-identity/document: region is missing"_s;
    QTest::newRow("region an AZ") << with("\"us-west-2\"", "\"us-west-2b\"") << QByteArray()
                                  << u"instance-identity/document: region \"us-west-2b\""_s;
    QTest::newRow("instance id upper case")
        << with("i-1234567890abcdef0", "i-1234567890ABCDEF0") << QByteArray()
        << u"instance-identity/document: instanceId \"i-1234567890ABCDEF0\""_s;
    QTest::newRow("instance id path") << with("i-1234567890abcdef0", "../../x") << QByteArray()
                                      << u"instance-identity/document: instanceId"_s;
    QTest::newRow("control characters in a type")
        << with("t2.micro", "t2.mi\\u0000cro") << QByteArray()
        << u"instance-identity/document: instanceType \"t2.mi?cro\""_s;
    QTest::newRow("lifecycle garbage") << good << QByteArray("<html>spot</html>")
                                       << u"instance-life-cycle \"<html>spot</html>\""_s;
}

void TestEc2Metadata::identityRefusals()
{
    QFETCH(QByteArray, document);
    QFETCH(QByteArray, lifecycle);
    QFETCH(QString, error);
    const auto parsed = parseEc2Identity(document, lifecycle);
    QVERIFY(!parsed.value);
    QVERIFY2(parsed.error.startsWith(error), qPrintable(parsed.error));
}

void TestEc2Metadata::instanceAction_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("action"); // empty: refused
    QTest::addColumn<QString>("error");
    QTest::newRow("terminate") << u"instance-action-terminate.json"_s << u"terminate"_s
                               << QString();
    QTest::newRow("stop") << u"instance-action-stop.json"_s << u"stop"_s << QString();
    QTest::newRow("hibernate") << u"instance-action-hibernate.json"_s << u"hibernate"_s
                               << QString();
    QTest::newRow("unknown action")
        << u"instance-action-unknown-action.json"_s << QString()
        << u"spot/instance-action: action \"reboot\" is not terminate, stop or hibernate"_s;
    QTest::newRow("time not ISO 8601")
        << u"instance-action-bad-time.json"_s << QString()
        << u"spot/instance-action: time \"18 Sep 2017 08:22:00 GMT\" is not an ISO 8601 UTC time"_s;
}

void TestEc2Metadata::instanceAction()
{
    QFETCH(QString, file);
    QFETCH(QString, action);
    QFETCH(QString, error);
    const auto parsed = parseInstanceAction(data(file));
    QCOMPARE(parsed.error, error);
    if (action.isEmpty()) {
        QVERIFY(!parsed.value);
        return;
    }
    QVERIFY(parsed.value);
    QCOMPARE(parsed.value->action, action);
    QCOMPARE(parsed.value->time, utc(2017, 9, 18, 8, 22, 0));
    QVERIFY(!parseInstanceAction(R"({"action":"stop"})").value);
    QVERIFY(!parseInstanceAction(R"({"action":1,"time":"2017-09-18T08:22:00Z"})").value);
    QVERIFY(!parseInstanceAction("").value);
}

void TestEc2Metadata::rebalance()
{
    const auto parsed = parseRebalanceRecommendation(data(u"rebalance.json"_s));
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    QCOMPARE(*parsed.value, utc(2020, 10, 27, 8, 22, 0));
    QCOMPARE(
        parseRebalanceRecommendation(R"({"noticeTime":"soon"})").error,
        u"events/recommendations/rebalance: noticeTime \"soon\" is not an ISO 8601 UTC time"_s);
    QCOMPARE(parseRebalanceRecommendation(R"({})").error,
             u"events/recommendations/rebalance: noticeTime is missing"_s);
}

void TestEc2Metadata::scheduledMaintenance()
{
    const auto reboot = parseScheduledMaintenance(data(u"scheduled-system-reboot.json"_s));
    QVERIFY2(reboot.value, qPrintable(reboot.error));
    QCOMPARE(reboot.value->size(), 1);
    const Ec2MaintenanceEvent &event = reboot.value->first();
    QCOMPARE(event.code, u"system-reboot"_s);
    QCOMPARE(event.description, u"scheduled reboot"_s);
    QCOMPARE(event.eventId, u"instance-event-0d59937288b749b32"_s);
    QCOMPARE(event.notBefore, utc(2019, 1, 21, 9, 0, 43));
    QCOMPARE(event.notAfter, utc(2019, 1, 21, 9, 17, 23));
    QCOMPARE(event.state, u"active"_s);

    const auto mixed = parseScheduledMaintenance(data(u"scheduled-mixed.json"_s));
    QVERIFY2(mixed.value, qPrintable(mixed.error));
    QCOMPARE(mixed.value->size(), 3);
    QCOMPARE(mixed.value->at(0).notBefore, utc(2026, 2, 2, 3, 0, 0)); // one-digit day
    QVERIFY(!mixed.value->at(0).notAfter.isValid());
    QCOMPARE(mixed.value->at(1).state, u"completed"_s);
    QCOMPARE(mixed.value->at(2).state, u"canceled"_s);

    const auto empty = parseScheduledMaintenance(data(u"scheduled-empty.json"_s));
    QVERIFY(empty.value && empty.value->isEmpty());
    QVERIFY(parseScheduledMaintenance("").value->isEmpty());
}

void TestEc2Metadata::scheduledRefusals_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("object") << QByteArray("{}")
                            << u"events/maintenance/scheduled: not a JSON array (other JSON)"_s;
    QTest::newRow("not JSON") << QByteArray("<html>")
                              << u"events/maintenance/scheduled: not a JSON array ("_s;
    QTest::newRow("item not an object")
        << QByteArray("[1]") << u"events/maintenance/scheduled[0]: not an object"_s;
    QTest::newRow("no code") << QByteArray(
        R"([{"EventId":"e","NotBefore":"1 Jan 2026 00:00:00 GMT"}])")
                             << u"events/maintenance/scheduled[0]: Code is missing"_s;
    QTest::newRow("code with spaces")
        << QByteArray(
               R"([{"Code":"system reboot","EventId":"e","NotBefore":"1 Jan 2026 00:00:00 GMT"}])")
        << u"events/maintenance/scheduled[0]: Code \"system reboot\""_s;
    QTest::newRow("bad NotBefore")
        << QByteArray(R"([{"Code":"system-reboot","EventId":"e","NotBefore":"tomorrow"}])")
        << u"events/maintenance/scheduled[0]: NotBefore \"tomorrow\""_s;
    QTest::newRow("bad NotAfter") << QByteArray(
        R"([{"Code":"system-reboot","EventId":"e","NotBefore":"1 Jan 2026 00:00:00 GMT","NotAfter":"x"}])")
                                  << u"events/maintenance/scheduled[0]: NotAfter \"x\""_s;
    QTest::newRow("empty EventId")
        << QByteArray(
               R"([{"Code":"system-reboot","EventId":"","NotBefore":"1 Jan 2026 00:00:00 GMT"}])")
        << u"events/maintenance/scheduled[0]: EventId must be 1-128 characters"_s;
}

void TestEc2Metadata::scheduledRefusals()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    const auto parsed = parseScheduledMaintenance(body);
    QVERIFY(!parsed.value);
    QVERIFY2(parsed.error.startsWith(error), qPrintable(parsed.error));
}

void TestEc2Metadata::events()
{
    const protocol::VmIdentity vm = identity();
    const auto stop =
        interruptionEvent(vm, *parseInstanceAction(data(u"instance-action-stop.json"_s)).value);
    QVERIFY(stop.eventType == protocol::EventType::Preempt);
    QVERIFY(stop.eventStatus == protocol::EventStatus::Scheduled);
    QCOMPARE(stop.notBefore, utc(2017, 9, 18, 8, 22, 0));
    QCOMPARE(stop.description, u"EC2 Spot interruption: stop"_s);
    QCOMPARE(stop.resources, QStringList {u"i-1234567890abcdef0"_s});
    const auto hibernate = interruptionEvent(
        vm, *parseInstanceAction(data(u"instance-action-hibernate.json"_s)).value);
    QVERIFY(hibernate.eventStatus == protocol::EventStatus::Started); // no two-minute lead
    QVERIFY(!hibernate.notBefore.isValid());

    const auto rebalance = rebalanceEvent(vm, utc(2020, 10, 27, 8, 22, 0));
    QCOMPARE(rebalance.eventTypeText, u"RebalanceRecommendation"_s);
    QVERIFY(rebalance.eventType == protocol::EventType::Unknown);
    QVERIFY(rebalance.eventStatus == protocol::EventStatus::Scheduled);

    const auto list = *parseScheduledMaintenance(data(u"scheduled-mixed.json"_s)).value;
    QCOMPARE(maintenanceEvent(vm, list.at(0)).eventTypeText, u"InstanceRetirement"_s);
    QCOMPARE(maintenanceEvent(vm, list.at(1)).eventTypeText, u"SystemMaintenance"_s);
    const auto reboot = maintenanceEvent(vm, list.at(2));
    QVERIFY(reboot.eventType == protocol::EventType::Reboot);
    QCOMPARE(reboot.eventTypeText, u"Reboot"_s);
    QCOMPARE(reboot.notBefore, utc(2026, 1, 25, 9, 0, 0));
}

void TestEc2Metadata::eventIdsAreStableAndDistinct()
{
    const protocol::VmIdentity vm = identity();
    const Ec2InstanceAction stop {u"stop"_s, utc(2017, 9, 18, 8, 22, 0)};
    QCOMPARE(interruptionEvent(vm, stop).eventId, interruptionEvent(vm, stop).eventId);
    Ec2InstanceAction later = stop;
    later.time = later.time.addSecs(3600);
    QVERIFY(interruptionEvent(vm, stop).eventId != interruptionEvent(vm, later).eventId);
    Ec2InstanceAction terminate = stop;
    terminate.action = u"terminate"_s;
    QVERIFY(interruptionEvent(vm, stop).eventId != interruptionEvent(vm, terminate).eventId);
    protocol::VmIdentity other = vm;
    other.vmId = u"i-1234567890abcdef1"_s;
    QVERIFY(interruptionEvent(vm, stop).eventId != interruptionEvent(other, stop).eventId);
    QVERIFY(rebalanceEvent(vm, stop.time).eventId != interruptionEvent(vm, stop).eventId);
    QCOMPARE(interruptionEvent(vm, stop).eventId, interruptionEvent(vm, stop).eventId.toUpper());
}

void TestEc2Metadata::eventsTravelTheWire()
{
    // Every event the agent builds passes the dashboard's strict decoder.
    const protocol::VmIdentity vm = identity();
    QList<protocol::ScheduledEvent> events;
    for (const QString &file : {u"instance-action-terminate.json"_s, u"instance-action-stop.json"_s,
                                u"instance-action-hibernate.json"_s})
        events.append(interruptionEvent(vm, *parseInstanceAction(data(file)).value));
    events.append(rebalanceEvent(vm, utc(2020, 10, 27, 8, 22, 0)));
    const auto maintenance = parseScheduledMaintenance(data(u"scheduled-mixed.json"_s));
    for (const auto &m : *maintenance.value)
        events.append(maintenanceEvent(vm, m));
    // A code AWS might add that reads like a wire type ("reboot" -> "Reboot"): the type
    // must say so too, or the dashboard decodes another event than the agent built
    // (found by fuzz_ec2_metadata).
    Ec2MaintenanceEvent bare;
    bare.code = u"reboot"_s;
    bare.eventId = u"iid"_s;
    bare.notBefore = utc(2026, 2, 2, 3, 0, 0);
    events.append(maintenanceEvent(vm, bare));
    for (const protocol::ScheduledEvent &event : std::as_const(events)) {
        protocol::Notice notice;
        notice.vm = vm;
        notice.event = event;
        notice.documentIncarnation = 1;
        notice.agentVersion = u"0.1.0"_s;
        notice.sentAt = utc(2026, 12, 7, 6, 0, 0);
        const auto decoded = protocol::decodeNotice(protocol::encodeNotice(notice));
        QVERIFY2(decoded.ok(), qPrintable(decoded.errors.value(0).message()));
        QCOMPARE(decoded.value->event, event);
        QCOMPARE(decoded.value->vm, vm);
    }
}

QTEST_APPLESS_MAIN(TestEc2Metadata)
#include "tst_ec2metadata.moc"
