// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The cloud discriminator (protocol version 2): Google Cloud and AWS notices and heartbeats
// (AWS: the instance ARN as resource id, AWS's naming rules), and the messages of older
// agents (version 1, which carry no cloud and read as Azure; version 2 Google Cloud) read
// exactly as before.
#include "protocol/awsnames.h"
#include "protocol/gcpnames.h"
#include "protocol/messagecodec.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spotkeeper::protocol;
using namespace Qt::StringLiterals;

namespace {

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA "/protocol/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

VmIdentity gcpVm()
{
    VmIdentity vm;
    vm.cloud = Cloud::Gcp;
    vm.projectId = u"spot-fleet-1"_s;
    vm.zone = u"europe-west1-b"_s;
    vm.location = vm.zone;
    vm.vmName = u"worker-7"_s;
    vm.vmId = u"8230498714093811747"_s; // above 2^53: must survive as text
    vm.priority = u"SPOT"_s;
    vm.evictionPolicy = u"STOP"_s;
    return vm;
}

Notice gcpNotice()
{
    Notice notice;
    notice.vm = gcpVm();
    notice.event.eventId = u"6F0C54A4-1C4B-5E67-9C39-7A3E8D8C1E2B"_s;
    notice.event.eventType = EventType::Preempt;
    notice.event.eventTypeText = u"Preempt"_s;
    notice.event.eventStatus = EventStatus::Started;
    notice.event.description = u"instance/preempted is TRUE"_s;
    notice.event.eventSource = u"Platform"_s;
    notice.event.durationInSeconds = -1;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {u"worker-7"_s};
    notice.documentIncarnation = 2;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = QDateTime(QDate(2026, 12, 7), QTime(6, 0, 1, 250), Qt::UTC);
    return notice;
}

Heartbeat gcpHeartbeat()
{
    Heartbeat heartbeat;
    heartbeat.vm = gcpVm();
    heartbeat.agentVersion = u"0.1.0"_s;
    heartbeat.uptimeSeconds = 61;
    heartbeat.lastPoll = {QDateTime(QDate(2026, 12, 7), QTime(6, 0, 0), Qt::UTC), true, {}};
    heartbeat.sentAt = QDateTime(QDate(2026, 12, 7), QTime(6, 0, 1), Qt::UTC);
    return heartbeat;
}

VmIdentity awsVm()
{
    VmIdentity vm;
    vm.cloud = Cloud::Aws;
    vm.accountId = u"123456789012"_s;
    vm.location = u"us-west-2"_s;
    vm.zone = u"us-west-2b"_s;
    vm.vmId = u"i-1234567890abcdef0"_s;
    vm.vmName = vm.vmId;
    vm.instanceType = u"m5.large"_s;
    vm.priority = u"spot"_s;
    return vm;
}

Notice awsNotice()
{
    Notice notice;
    notice.vm = awsVm();
    notice.event.eventId = u"0B5F7C16-7C0A-5D0B-9C43-2E3B3C61A0F1"_s;
    notice.event.eventType = EventType::Preempt;
    notice.event.eventTypeText = u"Preempt"_s;
    notice.event.eventStatus = EventStatus::Scheduled;
    notice.event.notBefore = QDateTime(QDate(2026, 12, 7), QTime(6, 2, 0), Qt::UTC);
    notice.event.description = u"EC2 Spot interruption: stop"_s;
    notice.event.eventSource = u"Platform"_s;
    notice.event.durationInSeconds = -1;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {u"i-1234567890abcdef0"_s};
    notice.documentIncarnation = 2;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = QDateTime(QDate(2026, 12, 7), QTime(6, 0, 0, 500), Qt::UTC);
    return notice;
}

Heartbeat awsHeartbeat()
{
    Heartbeat heartbeat;
    heartbeat.vm = awsVm();
    heartbeat.agentVersion = u"0.1.0"_s;
    heartbeat.uptimeSeconds = 61;
    heartbeat.lastPoll = {QDateTime(QDate(2026, 12, 7), QTime(6, 0, 0), Qt::UTC), true, {}};
    heartbeat.sentAt = QDateTime(QDate(2026, 12, 7), QTime(6, 0, 1), Qt::UTC);
    return heartbeat;
}

QByteArray withVmField(const QByteArray &json, const QString &key, const QJsonValue &value,
                       const QJsonValue &version = QJsonValue(QJsonValue::Undefined))
{
    QJsonObject root = QJsonDocument::fromJson(json).object();
    QJsonObject vm = root.value("vm"_L1).toObject();
    if (value.isUndefined())
        vm.remove(key);
    else
        vm.insert(key, value);
    root.insert(u"vm"_s, vm);
    if (!version.isUndefined())
        root.insert(u"version"_s, version);
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QString describe(const QList<ValidationError> &errors)
{
    QStringList lines;
    for (const ValidationError &e : errors)
        lines << e.message();
    return lines.join(u" | ");
}

} // namespace

class TestProtocolCloud final : public QObject
{
    Q_OBJECT

private slots:
    void gcpGoldenFiles();
    void gcpResourceId();
    void azureStaysVersion1();
    void version1IsAzure();
    void version2NamesItsCloud_data();
    void version2NamesItsCloud();
    void gcpRejections_data();
    void gcpRejections();
    void gcpNames_data();
    void gcpNames();
    void version3CarriesAppHealth();
    void version3Rejections_data();
    void version3Rejections();
    void awsGoldenFiles();
    void awsResourceIdIsTheArn();
    void olderMessagesAreStillRead_data();
    void olderMessagesAreStillRead();
    void awsHeartbeatWithoutIdentity();
    void awsRejections_data();
    void awsRejections();
    void awsNames_data();
    void awsNames();
};

void TestProtocolCloud::gcpGoldenFiles()
{
    const QByteArray notice = encodeNotice(gcpNotice());
    const QByteArray heartbeat = encodeHeartbeat(gcpHeartbeat());
    if (qEnvironmentVariableIsSet("SPOTKEEPER_UPDATE_GOLDEN")) {
        for (const auto &[name, bytes] : {std::pair {u"notice-gcp-preempt-started.json"_s, notice},
                                          std::pair {u"heartbeat-gcp-healthy.json"_s, heartbeat}}) {
            QFile out(QStringLiteral(SPOTKEEPER_TEST_DATA "/protocol/") + name);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(bytes);
        }
    }
    QCOMPARE(notice, readData(u"notice-gcp-preempt-started.json"_s));
    QCOMPARE(heartbeat, readData(u"heartbeat-gcp-healthy.json"_s));
    const auto decodedNotice = decodeNotice(notice);
    QVERIFY2(decodedNotice.ok(), qPrintable(describe(decodedNotice.errors)));
    QCOMPARE(*decodedNotice.value, gcpNotice());
    const auto decodedHeartbeat = decodeHeartbeat(heartbeat);
    QVERIFY2(decodedHeartbeat.ok(), qPrintable(describe(decodedHeartbeat.errors)));
    QCOMPARE(*decodedHeartbeat.value, gcpHeartbeat());
    const QJsonObject root = QJsonDocument::fromJson(notice).object();
    QCOMPARE(root.value("version"_L1).toInt(), kCloudVersion);
    QCOMPARE(root.value("vm"_L1).toObject().value("cloud"_L1).toString(), u"gcp"_s);
    QVERIFY(!root.value("vm"_L1).toObject().contains("subscriptionId"_L1));
}

void TestProtocolCloud::gcpResourceId()
{
    QCOMPARE(gcpVm().resourceId(),
             u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s);
    QCOMPARE(gcpVm().resourceKey(), gcpVm().resourceId());
}

void TestProtocolCloud::azureStaysVersion1()
{
    // An Azure agent must keep talking to dashboards that only read version 1.
    VmIdentity vm {u"0e073ec1-c22f-4488-adde-da35ed609ccd"_s,
                   u"rg"_s,
                   u"vm1"_s,
                   u"220e2b43-0913-492f-ada0-b6b2795bdb9b"_s,
                   u"westeurope"_s,
                   {},
                   u"Spot"_s,
                   u"Deallocate"_s,
                   {}};
    Heartbeat heartbeat = gcpHeartbeat();
    heartbeat.vm = vm;
    const QJsonObject root = QJsonDocument::fromJson(encodeHeartbeat(heartbeat)).object();
    QCOMPARE(root.value("version"_L1).toInt(), 1);
    QVERIFY(!root.value("vm"_L1).toObject().contains("cloud"_L1));
}

void TestProtocolCloud::version1IsAzure()
{
    // The golden notice of an agent that predates the cloud field.
    const auto decoded = decodeNotice(readData(u"notice-preempt-scheduled.json"_s));
    QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
    QVERIFY(decoded.value->vm.cloud == Cloud::Azure);
    QVERIFY(decoded.value->vm.resourceId().startsWith("/subscriptions/"_L1));
    const auto heartbeat = decodeHeartbeat(readData(u"heartbeat-healthy.json"_s));
    QVERIFY2(heartbeat.ok(), qPrintable(describe(heartbeat.errors)));
    QVERIFY(heartbeat.value->vm.cloud == Cloud::Azure);
}

void TestProtocolCloud::version2NamesItsCloud_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // empty: accepted as Azure
    const QByteArray azure = readData(u"notice-preempt-scheduled.json"_s);
    QTest::newRow("v2 azure") << withVmField(azure, u"cloud"_s, u"azure"_s, 2) << QString();
    QTest::newRow("v2 without cloud")
        << withVmField(azure, u"cloud"_s, QJsonValue::Undefined, 2) << u"vm.cloud: is required"_s;
    QTest::newRow("v2 unknown cloud") << withVmField(azure, u"cloud"_s, u"oci"_s, 2)
                                      << u"vm.cloud: must be \"azure\", \"gcp\" or \"aws\""_s;
    QTest::newRow("v2 cloud not a string")
        << withVmField(azure, u"cloud"_s, 1, 2) << u"vm.cloud: must be a string"_s;
    QTest::newRow("v2 gcp with azure fields only")
        << withVmField(azure, u"cloud"_s, u"gcp"_s, 2) << u"vm.projectId: is required"_s;
    QTest::newRow("v3") << withVmField(azure, u"cloud"_s, u"azure"_s, 3)
                        << u"version: unsupported major version 3; this build reads versions 1 "
                           "and 2"_s;
}

void TestProtocolCloud::version2NamesItsCloud()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto decoded = decodeNotice(json);
    if (error.isEmpty()) {
        QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
        QVERIFY(decoded.value->vm.cloud == Cloud::Azure);
        return;
    }
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.errors.first().message(), error);
}

void TestProtocolCloud::gcpRejections_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("field");
    QTest::newRow("project upper case")
        << u"projectId"_s << QJsonValue(u"Spot-Fleet"_s) << u"vm.projectId"_s;
    QTest::newRow("project too short")
        << u"projectId"_s << QJsonValue(u"ab"_s) << u"vm.projectId"_s;
    QTest::newRow("zone with slash")
        << u"zone"_s << QJsonValue(u"zones/us-east1-b"_s) << u"vm.zone"_s;
    QTest::newRow("name with underscore")
        << u"vmName"_s << QJsonValue(u"worker_7"_s) << u"vm.vmName"_s;
    QTest::newRow("id not numeric") << u"vmId"_s << QJsonValue(u"12ab"_s) << u"vm.vmId"_s;
    QTest::newRow("id as JSON number") << u"vmId"_s << QJsonValue(12) << u"vm.vmId"_s;
    QTest::newRow("id beyond 64 bits")
        << u"vmId"_s << QJsonValue(u"99999999999999999999"_s) << u"vm.vmId"_s;
    QTest::newRow("priority with space")
        << u"priority"_s << QJsonValue(u"SPOT VM"_s) << u"vm.priority"_s;
}

void TestProtocolCloud::gcpRejections()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, field);
    const auto decoded = decodeNotice(withVmField(encodeNotice(gcpNotice()), key, value));
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.errors.size(), 1);
    QCOMPARE(decoded.errors.first().field, field);
}

void TestProtocolCloud::version3CarriesAppHealth()
{
    // An agent with a probe writes version 3 (golden file), which names its cloud as
    // version 2 does, also for Azure; the golden heartbeat without one stays version 1.
    Heartbeat heartbeat = gcpHeartbeat();
    heartbeat.vm = decodeHeartbeat(readData(u"heartbeat-healthy.json"_s)).value->vm;
    heartbeat.app = AppHealth {ProbeKind::Http, AppHealthState::Unhealthy,
                               QDateTime(QDate(2026, 12, 7), QTime(6, 0, 0, 500), Qt::UTC), 37,
                               u"HTTP 503, expected 2xx"_s};
    const QByteArray json = encodeHeartbeat(heartbeat);
    if (qEnvironmentVariableIsSet("SPOTKEEPER_UPDATE_GOLDEN")) {
        QFile out(QStringLiteral(SPOTKEEPER_TEST_DATA "/protocol/heartbeat-app-unhealthy.json"));
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(json);
    }
    QCOMPARE(json, readData(u"heartbeat-app-unhealthy.json"_s));
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    QCOMPARE(root.value("version"_L1).toInt(), kAppHealthVersion);
    QCOMPARE(root.value("vm"_L1).toObject().value("cloud"_L1).toString(), u"azure"_s);
    const auto decoded = decodeHeartbeat(json);
    QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
    QCOMPARE(*decoded.value, heartbeat);

    // Pending: no time, latency -1.
    heartbeat.app = AppHealth {ProbeKind::Command, AppHealthState::Pending, {}, -1, {}};
    const auto pending = decodeHeartbeat(encodeHeartbeat(heartbeat));
    QVERIFY2(pending.ok(), qPrintable(describe(pending.errors)));
    QCOMPARE(*pending.value, heartbeat);

    // Older agents: versions 1 and 2 have no app, and an "app" in them is ignored.
    for (const QString &file : {u"heartbeat-healthy.json"_s, u"heartbeat-gcp-healthy.json"_s}) {
        QJsonObject old = QJsonDocument::fromJson(readData(file)).object();
        const auto plain = decodeHeartbeat(readData(file));
        QVERIFY2(plain.ok(), qPrintable(describe(plain.errors)));
        QVERIFY(!plain.value->app);
        old.insert(u"app"_s, root.value("app"_L1));
        const auto ignored = decodeHeartbeat(QJsonDocument(old).toJson(QJsonDocument::Compact));
        QVERIFY(ignored.ok());
        QVERIFY(!ignored.value->app);
    }
}

void TestProtocolCloud::version3Rejections_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("probe unknown") << u"probe"_s << QJsonValue(u"grpc"_s)
                                   << u"app.probe: must be \"http\", \"tcp\" or \"command\""_s;
    QTest::newRow("state unknown") << u"state"_s << QJsonValue(u"degraded"_s)
                                   << u"app.state: must be \"pending\", \"healthy\" or "
                                      "\"unhealthy\""_s;
    QTest::newRow("finished without time")
        << u"at"_s << QJsonValue(u""_s) << u"app.at: must be set once a probe finished"_s;
    QTest::newRow("latency negative")
        << u"latencyMs"_s << QJsonValue(-5)
        << u"app.latencyMs: must be at least 0 and at most 86400000"_s;
    QTest::newRow("latency missing")
        << u"latencyMs"_s << QJsonValue(QJsonValue::Undefined) << u"app.latencyMs: is required"_s;
    QTest::newRow("detail too long") << u"detail"_s << QJsonValue(QString(201, u'x'))
                                     << u"app.detail: must be at most 200 characters"_s;
}

void TestProtocolCloud::version3Rejections()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, error);
    QJsonObject root =
        QJsonDocument::fromJson(readData(u"heartbeat-app-unhealthy.json"_s)).object();
    QJsonObject app = root.value("app"_L1).toObject();
    if (value.isUndefined())
        app.remove(key);
    else
        app.insert(key, value);
    root.insert(u"app"_s, app);
    const auto decoded = decodeHeartbeat(QJsonDocument(root).toJson(QJsonDocument::Compact));
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.errors.first().message(), error);
}

void TestProtocolCloud::gcpNames_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("project") << u"project"_s << u"my-project-123"_s << true;
    QTest::newRow("project domain") << u"project"_s << u"example.com:my-project"_s << true;
    QTest::newRow("project trailing hyphen") << u"project"_s << u"my-project-"_s << false;
    QTest::newRow("project digit first") << u"project"_s << u"1project"_s << false;
    QTest::newRow("project 31 chars") << u"project"_s << QString(31, u'a') << false;
    QTest::newRow("zone") << u"zone"_s << u"us-central1-a"_s << true;
    QTest::newRow("zone empty") << u"zone"_s << QString() << false;
    QTest::newRow("name 63") << u"name"_s << u"a"_s + QString(62, u'b') << true;
    QTest::newRow("name 64") << u"name"_s << u"a"_s + QString(63, u'b') << false;
    QTest::newRow("name upper") << u"name"_s << u"Worker"_s << false;
    QTest::newRow("id max") << u"id"_s << u"18446744073709551615"_s << true;
    QTest::newRow("id overflow") << u"id"_s << u"18446744073709551616"_s << false;
    QTest::newRow("id sign") << u"id"_s << u"-1"_s << false;
}

void TestProtocolCloud::gcpNames()
{
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QString rule;
    if (kind == "project"_L1)
        rule = checkGcpProjectId(value);
    else if (kind == "zone"_L1)
        rule = checkGcpZone(value);
    else if (kind == "name"_L1)
        rule = checkGcpInstanceName(value);
    else
        rule = checkGcpInstanceId(value);
    QCOMPARE(rule.isEmpty(), valid);
}

void TestProtocolCloud::awsGoldenFiles()
{
    const QByteArray notice = encodeNotice(awsNotice());
    const QByteArray heartbeat = encodeHeartbeat(awsHeartbeat());
    if (qEnvironmentVariableIsSet("SPOTKEEPER_UPDATE_GOLDEN")) {
        for (const auto &[name, bytes] :
             {std::pair {u"notice-aws-preempt-scheduled.json"_s, notice},
              std::pair {u"heartbeat-aws-healthy.json"_s, heartbeat}}) {
            QFile out(QStringLiteral(SPOTKEEPER_TEST_DATA "/protocol/") + name);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(bytes);
        }
    }
    QCOMPARE(notice, readData(u"notice-aws-preempt-scheduled.json"_s));
    QCOMPARE(heartbeat, readData(u"heartbeat-aws-healthy.json"_s));
    const auto decodedNotice = decodeNotice(notice);
    QVERIFY2(decodedNotice.ok(), qPrintable(describe(decodedNotice.errors)));
    QCOMPARE(*decodedNotice.value, awsNotice());
    const auto decodedHeartbeat = decodeHeartbeat(heartbeat);
    QVERIFY2(decodedHeartbeat.ok(), qPrintable(describe(decodedHeartbeat.errors)));
    QCOMPARE(*decodedHeartbeat.value, awsHeartbeat());
    const QJsonObject root = QJsonDocument::fromJson(notice).object();
    QCOMPARE(root.value("version"_L1).toInt(), kCloudVersion);
    const QJsonObject vm = root.value("vm"_L1).toObject();
    QCOMPARE(vm.value("cloud"_L1).toString(), u"aws"_s);
    QCOMPARE(vm.value("instanceId"_L1).toString(), u"i-1234567890abcdef0"_s);
    QVERIFY(!vm.contains("subscriptionId"_L1));
    QVERIFY(!vm.contains("projectId"_L1));
}

void TestProtocolCloud::awsResourceIdIsTheArn()
{
    QCOMPARE(awsVm().resourceId(),
             u"arn:aws:ec2:us-west-2:123456789012:instance/i-1234567890abcdef0"_s);
    QCOMPARE(awsVm().resourceKey(), awsVm().resourceId());
    VmIdentity china = awsVm();
    china.location = u"cn-northwest-1"_s;
    QCOMPARE(china.resourceId(),
             u"arn:aws-cn:ec2:cn-northwest-1:123456789012:instance/i-1234567890abcdef0"_s);
    VmIdentity gov = awsVm();
    gov.location = u"us-gov-east-1"_s;
    QVERIFY(gov.resourceId().startsWith("arn:aws-us-gov:ec2:us-gov-east-1:"_L1));
}

// What agents that predate AWS send is read exactly as before: version 1 (Azure), version 2
// Google Cloud and version 2 Azure, notices and heartbeats, and version 3 heartbeats.
void TestProtocolCloud::olderMessagesAreStillRead_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("cloud");
    QTest::newRow("v1 notice") << u"notice-preempt-scheduled.json"_s << 1 << u"azure"_s;
    QTest::newRow("v1 notice, unknown type") << u"notice-unknown-type.json"_s << 1 << u"azure"_s;
    QTest::newRow("v1 heartbeat") << u"heartbeat-healthy.json"_s << 1 << u"azure"_s;
    QTest::newRow("v1 heartbeat, identity unknown")
        << u"heartbeat-identity-unknown.json"_s << 1 << u"azure"_s;
    QTest::newRow("v2 gcp notice") << u"notice-gcp-preempt-started.json"_s << 2 << u"gcp"_s;
    QTest::newRow("v2 gcp heartbeat") << u"heartbeat-gcp-healthy.json"_s << 2 << u"gcp"_s;
    QTest::newRow("v3 heartbeat with app health")
        << u"heartbeat-app-unhealthy.json"_s << 3 << u"azure"_s;
}

void TestProtocolCloud::olderMessagesAreStillRead()
{
    QFETCH(QString, file);
    QFETCH(int, version);
    QFETCH(QString, cloud);
    const QByteArray json = readData(file);
    QVERIFY(!json.isEmpty());
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    QCOMPARE(root.value("version"_L1).toInt(), version);
    const bool heartbeat = root.value("type"_L1).toString() == QLatin1StringView(kHeartbeatType);
    if (heartbeat) {
        const auto decoded = decodeHeartbeat(json);
        QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
        QCOMPARE(toString(decoded.value->vm.cloud), cloud);
        QCOMPARE(encodeHeartbeat(*decoded.value), json); // nothing lost or changed
    } else {
        const auto decoded = decodeNotice(json);
        QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
        QCOMPARE(toString(decoded.value->vm.cloud), cloud);
        QCOMPARE(encodeNotice(*decoded.value), json);
    }
    if (version == 1) { // the same message as version 2 with cloud "azure"
        QJsonObject v2 = root;
        QJsonObject vm = v2.value("vm"_L1).toObject();
        vm.insert(u"cloud"_s, u"azure"_s);
        v2.insert(u"vm"_s, vm);
        v2.insert(u"version"_s, 2);
        const QByteArray bytes = QJsonDocument(v2).toJson(QJsonDocument::Compact);
        const QList<ValidationError> errors =
            heartbeat ? decodeHeartbeat(bytes).errors : decodeNotice(bytes).errors;
        QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    }
}

void TestProtocolCloud::awsHeartbeatWithoutIdentity()
{
    // Before IMDS answered: every identity field may be empty, the cloud is still named.
    Heartbeat heartbeat = awsHeartbeat();
    heartbeat.identityKnown = false;
    heartbeat.vm = VmIdentity {};
    heartbeat.vm.cloud = Cloud::Aws;
    heartbeat.lastPoll = {};
    const auto decoded = decodeHeartbeat(encodeHeartbeat(heartbeat));
    QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
    QVERIFY(decoded.value->vm.cloud == Cloud::Aws);
    QVERIFY(!decoded.value->identityKnown);
}

void TestProtocolCloud::awsRejections_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("field");
    QTest::newRow("account 10 digits")
        << u"accountId"_s << QJsonValue(u"0123456789"_s) << u"vm.accountId"_s;
    QTest::newRow("account as number")
        << u"accountId"_s << QJsonValue(123456789012.0) << u"vm.accountId"_s;
    QTest::newRow("account missing")
        << u"accountId"_s << QJsonValue(QJsonValue::Undefined) << u"vm.accountId"_s;
    QTest::newRow("region upper case")
        << u"region"_s << QJsonValue(u"US-EAST-1"_s) << u"vm.region"_s;
    QTest::newRow("region an AZ") << u"region"_s << QJsonValue(u"us-east-1a"_s) << u"vm.region"_s;
    QTest::newRow("zone with slash") << u"zone"_s << QJsonValue(u"us/east"_s) << u"vm.zone"_s;
    QTest::newRow("instance id without i-")
        << u"instanceId"_s << QJsonValue(u"1234567890abcdef0"_s) << u"vm.instanceId"_s;
    QTest::newRow("instance id upper case")
        << u"instanceId"_s << QJsonValue(u"i-1234567890ABCDEF0"_s) << u"vm.instanceId"_s;
    QTest::newRow("instance type with space")
        << u"instanceType"_s << QJsonValue(u"m5 large"_s) << u"vm.instanceType"_s;
    QTest::newRow("lifecycle with space")
        << u"priority"_s << QJsonValue(u"on demand"_s) << u"vm.priority"_s;
}

void TestProtocolCloud::awsRejections()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, field);
    const auto decoded = decodeNotice(withVmField(encodeNotice(awsNotice()), key, value));
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.errors.size(), 1);
    QCOMPARE(decoded.errors.first().field, field);
}

void TestProtocolCloud::awsNames_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("account") << u"account"_s << u"123456789012"_s << true;
    QTest::newRow("account 13") << u"account"_s << u"1234567890123"_s << false;
    QTest::newRow("account letter") << u"account"_s << u"12345678901a"_s << false;
    QTest::newRow("region") << u"region"_s << u"ap-southeast-2"_s << true;
    QTest::newRow("region gov") << u"region"_s << u"us-gov-west-1"_s << true;
    QTest::newRow("region two parts") << u"region"_s << u"useast-1"_s << false;
    QTest::newRow("region no number") << u"region"_s << u"us-east-a"_s << false;
    QTest::newRow("region empty part") << u"region"_s << u"us--1"_s << false;
    QTest::newRow("zone") << u"zone"_s << u"us-east-1a"_s << true;
    QTest::newRow("local zone") << u"zone"_s << u"us-west-2-lax-1a"_s << true;
    QTest::newRow("zone trailing hyphen") << u"zone"_s << u"us-east-1-"_s << false;
    QTest::newRow("id 8") << u"id"_s << u"i-1a2b3c4d"_s << true;
    QTest::newRow("id 17") << u"id"_s << u"i-0123456789abcdef0"_s << true;
    QTest::newRow("id 9") << u"id"_s << u"i-1a2b3c4d5"_s << false;
    QTest::newRow("id prefix only") << u"id"_s << u"i-"_s << false;
    QTest::newRow("id empty") << u"id"_s << QString() << false;
    QTest::newRow("type") << u"type"_s << u"u-6tb1.metal"_s << true;
    QTest::newRow("type upper") << u"type"_s << u"M5.large"_s << false;
    QTest::newRow("lifecycle") << u"lifecycle"_s << u"on-demand"_s << true;
    QTest::newRow("lifecycle digits") << u"lifecycle"_s << u"spot1"_s << false;
}

void TestProtocolCloud::awsNames()
{
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QString rule;
    if (kind == "account"_L1)
        rule = checkAwsAccountId(value);
    else if (kind == "region"_L1)
        rule = checkAwsRegion(value);
    else if (kind == "zone"_L1)
        rule = checkAwsAvailabilityZone(value);
    else if (kind == "id"_L1)
        rule = checkAwsInstanceId(value);
    else if (kind == "type"_L1)
        rule = checkAwsInstanceType(value);
    else
        rule = checkAwsLifecycle(value);
    QCOMPARE(rule.isEmpty(), valid);
}

QTEST_APPLESS_MAIN(TestProtocolCloud)
#include "tst_protocolcloud.moc"
