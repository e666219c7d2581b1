// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The pure Google Cloud metadata parsers and event builders (agent/agentcore/gcemetadata.h), on the
// answers in tests/data/gcp/metadata (provenance in tests/data/gcp/README.md).
#include "agentcore/gcemetadata.h"
#include "protocol/messagecodec.h"

#include <QFile>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {

QByteArray data(const QString &name)
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA "/gcp/metadata/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return file.readAll();
}

GceIdentityAnswers recorded(const QString &scheduling = u"scheduling-spot-stop.json"_s)
{
    return {data(u"project-id.txt"_s), data(u"id.txt"_s), data(u"name.txt"_s), data(u"zone.txt"_s),
            data(scheduling)};
}

} // namespace

class TestGceMetadata final : public QObject
{
    Q_OBJECT

private slots:
    void identityFromRecordedAnswers();
    void schedulingVariants_data();
    void schedulingVariants();
    void identityRefusals_data();
    void identityRefusals();
    void preempted_data();
    void preempted();
    void maintenance_data();
    void maintenance();
    void eventIdsAreStableAndDistinct();
    void eventsTravelTheWire();
};

void TestGceMetadata::identityFromRecordedAnswers()
{
    const auto parsed = parseGceIdentity(recorded());
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    const protocol::VmIdentity &vm = *parsed.value;
    QVERIFY(vm.cloud == protocol::Cloud::Gcp);
    QCOMPARE(vm.projectId, u"my-project-123"_s);
    QCOMPARE(vm.vmId, u"4520031799277581759"_s); // exact: no trip through a double
    QCOMPARE(vm.vmName, u"instance-1"_s);
    QCOMPARE(vm.zone, u"us-central1-a"_s);
    QCOMPARE(vm.location, u"us-central1-a"_s);
    QCOMPARE(vm.priority, u"SPOT"_s);
    QCOMPARE(vm.evictionPolicy, u"STOP"_s);
    QVERIFY(vm.subscriptionId.isEmpty());
    QCOMPARE(vm.resourceId(),
             u"projects/my-project-123/zones/us-central1-a/instances/instance-1"_s);
}

void TestGceMetadata::schedulingVariants_data()
{
    QTest::addColumn<QByteArray>("scheduling");
    QTest::addColumn<QString>("priority");
    QTest::addColumn<QString>("evictionPolicy");
    QTest::newRow("standard") << data(u"scheduling-standard.json"_s) << u"STANDARD"_s << QString();
    QTest::newRow("legacy preemptible")
        << data(u"scheduling-preemptible.json"_s) << u"PREEMPTIBLE"_s << QString();
    QTest::newRow("spot delete") << QByteArray(
        R"({"provisioningModel":"SPOT","instanceTerminationAction":"DELETE"})")
                                 << u"SPOT"_s << u"DELETE"_s;
    QTest::newRow("listing names")
        << QByteArray(R"({"provisioning-model":"SPOT","instance-termination-action":"STOP"})")
        << u"SPOT"_s << u"STOP"_s;
    QTest::newRow("empty object") << QByteArray("{}") << u"STANDARD"_s << QString();
    QTest::newRow("future value with underscore")
        << QByteArray(R"({"provisioningModel":"FLEX_START"})") << u"FLEXSTART"_s << QString();
}

void TestGceMetadata::schedulingVariants()
{
    QFETCH(QByteArray, scheduling);
    QFETCH(QString, priority);
    QFETCH(QString, evictionPolicy);
    GceIdentityAnswers answers = recorded();
    answers.scheduling = scheduling;
    const auto parsed = parseGceIdentity(answers);
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    QCOMPARE(parsed.value->priority, priority);
    QCOMPARE(parsed.value->evictionPolicy, evictionPolicy);
}

void TestGceMetadata::identityRefusals_data()
{
    QTest::addColumn<int>("field"); // 0 project, 1 id, 2 name, 3 zone, 4 scheduling
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("errorStart");
    QTest::newRow("project empty") << 0 << QByteArray() << u"project/project-id \"\": must be"_s;
    QTest::newRow("project html") << 0 << QByteArray("<html>captive portal</html>")
                                  << u"project/project-id \"<html>captive portal</html>\""_s;
    QTest::newRow("id not a number") << 1 << QByteArray("abc") << u"instance/id \"abc\""_s;
    QTest::newRow("id negative") << 1 << QByteArray("-5") << u"instance/id"_s;
    QTest::newRow("name upper case") << 2 << QByteArray("Instance-1") << u"instance/name"_s;
    QTest::newRow("name not UTF-8") << 2 << QByteArray("\xff\xfe") << u"instance/name: not UTF-8"_s;
    QTest::newRow("zone other path")
        << 3 << QByteArray("projects/1/regions/us-central1") << u"instance/zone"_s;
    QTest::newRow("zone empty") << 3 << QByteArray() << u"instance/zone"_s;
    QTest::newRow("scheduling not JSON") << 4 << QByteArray("automatic-restart\npreemptible\n")
                                         << u"instance/scheduling: not a JSON object"_s;
    QTest::newRow("scheduling array")
        << 4 << QByteArray("[]") << u"instance/scheduling: not a JSON object"_s;
    QTest::newRow("scheduling number") << 4 << QByteArray(R"({"provisioningModel":1})")
                                       << u"instance/scheduling: provisioningModel"_s;
    QTest::newRow("scheduling lower case") << 4 << QByteArray(R"({"provisioningModel":"spot vm"})")
                                           << u"instance/scheduling: provisioningModel"_s;
}

void TestGceMetadata::identityRefusals()
{
    QFETCH(int, field);
    QFETCH(QByteArray, body);
    QFETCH(QString, errorStart);
    GceIdentityAnswers answers = recorded();
    QByteArray *fields[] = {&answers.projectId, &answers.instanceId, &answers.name, &answers.zone,
                            &answers.scheduling};
    *fields[field] = body;
    const auto parsed = parseGceIdentity(answers);
    QVERIFY(!parsed.value);
    QVERIFY2(parsed.error.startsWith(errorStart), qPrintable(parsed.error));
}

void TestGceMetadata::preempted_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("expected"); // 1 TRUE, 0 FALSE, -1 error
    QTest::newRow("recorded TRUE") << data(u"preempted-true.txt"_s) << 1;
    QTest::newRow("recorded FALSE") << data(u"preempted-false.txt"_s) << 0;
    QTest::newRow("newline") << QByteArray("TRUE\n") << 1;
    QTest::newRow("lower case") << QByteArray("true") << -1;
    QTest::newRow("empty") << QByteArray() << -1;
    QTest::newRow("json") << QByteArray(R"({"preempted":true})") << -1;
    QTest::newRow("binary") << QByteArray("\x00\x01TRUE", 6) << -1;
}

void TestGceMetadata::preempted()
{
    QFETCH(QByteArray, body);
    QFETCH(int, expected);
    const auto parsed = parsePreempted(body);
    if (expected < 0) {
        QVERIFY(!parsed.value);
        QVERIFY2(parsed.error.startsWith("instance/preempted: expected TRUE or FALSE"_L1),
                 qPrintable(parsed.error));
        return;
    }
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    QCOMPARE(*parsed.value, expected == 1);
}

void TestGceMetadata::maintenance_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("value"); // empty: error
    QTest::addColumn<QString>("typeText");
    QTest::newRow("recorded NONE")
        << data(u"maintenance-event-none.txt"_s) << u"NONE"_s << QString();
    QTest::newRow("recorded MIGRATE") << data(u"maintenance-event-migrate.txt"_s)
                                      << u"MIGRATE_ON_HOST_MAINTENANCE"_s << u"Freeze"_s;
    QTest::newRow("recorded TERMINATE") << data(u"maintenance-event-terminate.txt"_s)
                                        << u"TERMINATE_ON_HOST_MAINTENANCE"_s << u"Reboot"_s;
    QTest::newRow("future value") << QByteArray("SOMETHING_NEW_2") << u"SOMETHING_NEW_2"_s
                                  << u"HostMaintenance"_s;
    QTest::newRow("garbage") << QByteArray("migrate please") << QString() << QString();
    QTest::newRow("empty") << QByteArray("") << QString() << QString();
    QTest::newRow("too long") << QByteArray(65, 'A') << QString() << QString();
}

void TestGceMetadata::maintenance()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, value);
    QFETCH(QString, typeText);
    const auto parsed = parseMaintenanceEvent(body);
    if (value.isEmpty()) {
        QVERIFY(!parsed.value);
        QVERIFY(parsed.error.startsWith("instance/maintenance-event:"_L1));
        return;
    }
    QVERIFY2(parsed.value, qPrintable(parsed.error));
    QCOMPARE(*parsed.value, value);
    if (typeText.isEmpty())
        return;
    const auto vm = *parseGceIdentity(recorded()).value;
    const protocol::ScheduledEvent event = maintenanceEvent(vm, value, 1, u"boot-a"_s);
    QCOMPARE(event.eventTypeText, typeText);
    QVERIFY(event.eventStatus == protocol::EventStatus::Scheduled);
    QVERIFY(event.description.endsWith(value));
}

void TestGceMetadata::eventIdsAreStableAndDistinct()
{
    const auto vm = *parseGceIdentity(recorded()).value;
    const auto first = preemptionEvent(vm, u"boot-a"_s);
    QCOMPARE(preemptionEvent(vm, u"boot-a"_s).eventId, first.eventId); // agent restarted
    QVERIFY(preemptionEvent(vm, u"boot-b"_s).eventId != first.eventId); // next boot
    auto other = vm;
    other.vmId = u"1"_s;
    QVERIFY(preemptionEvent(other, u"boot-a"_s).eventId != first.eventId);
    const QString migrate1 =
        maintenanceEvent(vm, u"MIGRATE_ON_HOST_MAINTENANCE"_s, 1, u"boot-a"_s).eventId;
    QVERIFY(migrate1 != first.eventId);
    QVERIFY(maintenanceEvent(vm, u"MIGRATE_ON_HOST_MAINTENANCE"_s, 2, u"boot-a"_s).eventId
            != migrate1);
    QCOMPARE(first.eventId, first.eventId.toUpper());
    QVERIFY(first.eventType == protocol::EventType::Preempt);
    QVERIFY(first.eventStatus == protocol::EventStatus::Started);
    QVERIFY(!first.notBefore.isValid());
    QCOMPARE(first.resources, QStringList {u"instance-1"_s});
}

void TestGceMetadata::eventsTravelTheWire()
{
    // What the agent builds must pass the dashboard's strict decoder.
    const auto vm = *parseGceIdentity(recorded()).value;
    for (const protocol::ScheduledEvent &event :
         {preemptionEvent(vm, u"b"_s),
          maintenanceEvent(vm, u"MIGRATE_ON_HOST_MAINTENANCE"_s, 1, u"b"_s),
          maintenanceEvent(vm, u"SOMETHING_NEW"_s, 3, u"b"_s)}) {
        protocol::Notice notice;
        notice.vm = vm;
        notice.event = event;
        notice.documentIncarnation = 1;
        notice.agentVersion = u"0.1.0"_s;
        notice.sentAt = QDateTime(QDate(2026, 12, 7), QTime(6, 0), Qt::UTC);
        const auto decoded = protocol::decodeNotice(protocol::encodeNotice(notice));
        QVERIFY2(decoded.ok(), qPrintable(decoded.errors.value(0).message()));
        QCOMPARE(*decoded.value, notice);
    }
}

QTEST_APPLESS_MAIN(TestGceMetadata)
#include "tst_gcemetadata.moc"
