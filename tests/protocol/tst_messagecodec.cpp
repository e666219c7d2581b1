// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/messagecodec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

using namespace spotkeeper::protocol;
using namespace Qt::StringLiterals;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

VmIdentity spotVm()
{
    return VmIdentity {u"0e073ec1-c22f-4488-adde-da35ed609ccd"_s,
                       u"rg-spot-fleet"_s,
                       u"vm-spot"_s,
                       u"220e2b43-0913-492f-ada0-b6b2795bdb9b"_s,
                       u"westeurope"_s,
                       QString(),
                       u"Spot"_s,
                       u"Deallocate"_s,
                       QString()};
}

VmIdentity scaleSetVm()
{
    return VmIdentity {u"0E073EC1-C22F-4488-ADDE-DA35ED609CCD"_s,
                       u"MC_myname_group_myname_eastus"_s,
                       u"aks-agentpool-12628255-vmss_2"_s,
                       u"220e2b43-0913-492f-ada0-b6b2795bdb9b"_s,
                       u"eastus"_s,
                       u"aks-agentpool-12628255-vmss"_s,
                       QString(),
                       QString(),
                       QString()};
}

Notice preemptNotice()
{
    Notice notice;
    notice.vm = spotVm();
    notice.event.eventId = u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s;
    notice.event.eventType = EventType::Preempt;
    notice.event.eventTypeText = u"Preempt"_s;
    notice.event.eventStatus = EventStatus::Scheduled;
    notice.event.notBefore = utc(2022, 8, 9, 17, 7, 32);
    notice.event.eventSource = u"Platform"_s;
    notice.event.durationInSeconds = -1;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {u"vm-spot"_s};
    notice.documentIncarnation = 1;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = utc(2022, 8, 9, 17, 7, 3, 250);
    return notice;
}

Notice freezeStartedNotice()
{
    Notice notice;
    notice.vm = scaleSetVm();
    notice.event.eventId = u"C7061BAC-AFDC-4513-B24B-AA5F13A16123"_s;
    notice.event.eventType = EventType::Freeze;
    notice.event.eventTypeText = u"Freeze"_s;
    notice.event.eventStatus = EventStatus::Started;
    notice.event.description = u"Virtual machine is being paused because of a memory-preserving "
                               "Live Migration operation."_s;
    notice.event.eventSource = u"Platform"_s;
    notice.event.durationInSeconds = 5;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {u"aks-agentpool-12628255-vmss_1"_s,
                              u"aks-agentpool-12628255-vmss_2"_s};
    notice.documentIncarnation = 3;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = utc(2026, 4, 11, 22, 27, 0);
    return notice;
}

// A future event type, and text that needs escaping.
Notice unknownTypeNotice()
{
    Notice notice = preemptNotice();
    notice.event.eventId = u"4caea225-a741-474d-a72e-428c86fcd853"_s;
    notice.event.eventType = EventType::Unknown;
    notice.event.eventTypeText = u"LiveMigration"_s;
    notice.event.description = u"Quote \" backslash \\ tab \t newline \n \u00fcml\u00e4ut \u2603"_s;
    notice.event.eventSource = u"User"_s;
    notice.event.durationInSeconds = 0;
    notice.event.resources = {};
    notice.documentIncarnation = 9007199254740993; // 2^53 + 1: must not pass through a double
    return notice;
}

Heartbeat healthyHeartbeat()
{
    Heartbeat heartbeat;
    heartbeat.vm = spotVm();
    heartbeat.agentVersion = u"0.1.0"_s;
    heartbeat.uptimeSeconds = 86'461;
    heartbeat.lastPoll = PollOutcome {utc(2026, 11, 26, 12, 0, 0, 5), true, QString()};
    heartbeat.identityKnown = true;
    heartbeat.sentAt = utc(2026, 11, 26, 12, 0, 1, 500);
    return heartbeat;
}

Heartbeat identityUnknownHeartbeat()
{
    Heartbeat heartbeat;
    heartbeat.agentVersion = u"0.1.0"_s;
    heartbeat.uptimeSeconds = 4;
    heartbeat.lastPoll = PollOutcome {QDateTime(), false, u"IMDS instance metadata: HTTP 410"_s};
    heartbeat.identityKnown = false;
    heartbeat.sentAt = utc(2026, 11, 26, 12, 0, 4);
    return heartbeat;
}

QString golden(const QString &name)
{
    return QStringLiteral(SPOTKEEPER_TEST_DATA "/protocol/") + name;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Sets (or with an undefined value, removes) a dotted path such as "event.EventId".
void setPath(QJsonObject &object, QStringView path, const QJsonValue &value)
{
    const qsizetype dot = path.indexOf(u'.');
    if (dot < 0) {
        if (value.isUndefined())
            object.remove(path.toString());
        else
            object.insert(path.toString(), value);
        return;
    }
    const QString head = path.first(dot).toString();
    QJsonObject child = object.value(head).toObject();
    setPath(child, path.sliced(dot + 1), value);
    object.insert(head, child);
}

QByteArray mutated(const QByteArray &json, const std::function<void(QJsonObject &)> &change)
{
    QJsonObject object = QJsonDocument::fromJson(json).object();
    change(object);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray with(const QByteArray &json, const QString &path, const QJsonValue &value)
{
    return mutated(json, [&](QJsonObject &o) { setPath(o, path, value); });
}

QString describe(const QList<ValidationError> &errors)
{
    QStringList lines;
    for (const ValidationError &e : errors)
        lines << e.message();
    return lines.join(u" | ");
}

} // namespace

class TestMessageCodec final : public QObject
{
    Q_OBJECT

private slots:
    void goldenFiles_data();
    void goldenFiles();
    void noticeRoundTripEveryType_data();
    void noticeRoundTripEveryType();
    void heartbeatRoundTrip_data();
    void heartbeatRoundTrip();
    void heartbeatIsNeverANotice();
    void rejections_data();
    void rejections();
    void allErrorsAtOnce();
    void malformedJsonNamesTheOffset();
    void validationMessage();
};

void TestMessageCodec::goldenFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("isNotice");
    QTest::addColumn<int>("sample");
    QTest::newRow("notice preempt") << u"notice-preempt-scheduled.json"_s << true << 0;
    QTest::newRow("notice freeze started") << u"notice-freeze-started.json"_s << true << 1;
    QTest::newRow("notice unknown type") << u"notice-unknown-type.json"_s << true << 2;
    QTest::newRow("heartbeat healthy") << u"heartbeat-healthy.json"_s << false << 0;
    QTest::newRow("heartbeat identity unknown")
        << u"heartbeat-identity-unknown.json"_s << false << 1;
}

void TestMessageCodec::goldenFiles()
{
    QFETCH(QString, file);
    QFETCH(bool, isNotice);
    QFETCH(int, sample);
    const QString path = golden(file);
    QByteArray encoded = isNotice
        ? encodeNotice(
            std::array {preemptNotice(), freezeStartedNotice(), unknownTypeNotice()}.at(sample))
        : encodeHeartbeat(std::array {healthyHeartbeat(), identityUnknownHeartbeat()}.at(sample));
    // SPOTKEEPER_UPDATE_GOLDEN=1 rewrites the files; review the diff before committing.
    if (qEnvironmentVariableIsSet("SPOTKEEPER_UPDATE_GOLDEN")) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(encoded);
    }
    if (isNotice) {
        const Notice notice =
            std::array {preemptNotice(), freezeStartedNotice(), unknownTypeNotice()}.at(sample);
        const auto decoded = decodeNotice(readFile(path));
        QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
        QCOMPARE(*decoded.value, notice);
    } else {
        const Heartbeat heartbeat =
            std::array {healthyHeartbeat(), identityUnknownHeartbeat()}.at(sample);
        const auto decoded = decodeHeartbeat(readFile(path));
        QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
        QCOMPARE(*decoded.value, heartbeat);
    }
    QCOMPARE(encoded, readFile(path)); // byte for byte: the wire format must not drift
}

void TestMessageCodec::noticeRoundTripEveryType_data()
{
    QTest::addColumn<QString>("typeText");
    QTest::addColumn<int>("expectedType");
    QTest::addColumn<int>("status");
    const QList<std::pair<QString, EventType>> types = {
        {u"Freeze"_s, EventType::Freeze},       {u"Reboot"_s, EventType::Reboot},
        {u"Redeploy"_s, EventType::Redeploy},   {u"Preempt"_s, EventType::Preempt},
        {u"Terminate"_s, EventType::Terminate}, {u"LiveMigration"_s, EventType::Unknown},
    };
    for (const auto &[text, type] : types) {
        for (const EventStatus status : {EventStatus::Scheduled, EventStatus::Started}) {
            const QByteArray name = text.toUtf8() + ' ' + toString(status).toUtf8();
            QTest::newRow(name.constData())
                << text << static_cast<int>(type) << static_cast<int>(status);
        }
    }
}

void TestMessageCodec::noticeRoundTripEveryType()
{
    QFETCH(QString, typeText);
    QFETCH(int, expectedType);
    QFETCH(int, status);
    Notice notice = preemptNotice();
    notice.event.eventTypeText = typeText;
    notice.event.eventType = eventTypeFromString(typeText);
    notice.event.eventStatus = static_cast<EventStatus>(status);
    if (notice.event.eventStatus == EventStatus::Started)
        notice.event.notBefore = QDateTime(); // Azure sends "" once started
    const QByteArray json = encodeNotice(notice);
    const auto decoded = decodeNotice(json);
    QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
    QVERIFY(decoded.errors.isEmpty());
    QCOMPARE(*decoded.value, notice);
    QCOMPARE(static_cast<int>(decoded.value->event.eventType), expectedType);
    QCOMPARE(decoded.value->event.eventTypeText, typeText);
    // What reaches the wire is the Azure spelling of each field.
    const QJsonObject event = QJsonDocument::fromJson(json).object().value("event"_L1).toObject();
    QCOMPARE(event.value("EventType"_L1).toString(), typeText);
    QCOMPARE(event.value("EventStatus"_L1).toString(), toString(notice.event.eventStatus));
    QCOMPARE(event.value("NotBefore"_L1).toString(),
             notice.event.notBefore.isValid() ? u"Tue, 09 Aug 2022 17:07:32 GMT"_s : QString());
}

void TestMessageCodec::heartbeatRoundTrip_data()
{
    QTest::addColumn<int>("variant");
    QTest::newRow("healthy") << 0;
    QTest::newRow("identity unknown") << 1;
    QTest::newRow("poll failed") << 2;
    QTest::newRow("scale set member") << 3;
    QTest::newRow("identity unknown but partly read") << 4;
}

void TestMessageCodec::heartbeatRoundTrip()
{
    QFETCH(int, variant);
    Heartbeat heartbeat =
        variant == 1 || variant == 4 ? identityUnknownHeartbeat() : healthyHeartbeat();
    if (variant == 2)
        heartbeat.lastPoll = {utc(2026, 11, 26, 11, 59, 58), false, u"HTTP 429 from IMDS"_s};
    if (variant == 3)
        heartbeat.vm = scaleSetVm();
    if (variant == 4)
        heartbeat.vm.subscriptionId = spotVm().subscriptionId;
    const auto decoded = decodeHeartbeat(encodeHeartbeat(heartbeat));
    QVERIFY2(decoded.ok(), qPrintable(describe(decoded.errors)));
    QCOMPARE(*decoded.value, heartbeat);
}

void TestMessageCodec::heartbeatIsNeverANotice()
{
    for (const Heartbeat &heartbeat : {healthyHeartbeat(), identityUnknownHeartbeat()}) {
        const auto asNotice = decodeNotice(encodeHeartbeat(heartbeat));
        QVERIFY(!asNotice.ok());
        QCOMPARE(asNotice.errors,
                 (QList<ValidationError> {
                     {u"type"_s,
                      u"must be \"spotkeeper.notice\", not \"spotkeeper.heartbeat\" "
                      "(a heartbeat is not a notice)"_s}}));
    }
    const auto asHeartbeat = decodeHeartbeat(encodeNotice(preemptNotice()));
    QVERIFY(!asHeartbeat.ok());
    QCOMPARE(asHeartbeat.errors,
             (QList<ValidationError> {{u"type"_s,
                                       u"must be \"spotkeeper.heartbeat\", not "
                                       "\"spotkeeper.notice\" (a notice is not a "
                                       "heartbeat)"_s}}));
    // Even relabelled, a heartbeat lacks what makes a notice: it still fails.
    const QByteArray relabelled =
        with(encodeHeartbeat(healthyHeartbeat()), u"type"_s, u"spotkeeper.notice"_s);
    const auto forged = decodeNotice(relabelled);
    QVERIFY(!forged.ok());
    QVERIFY(forged.errors.contains(ValidationError {u"event"_s, u"is required"_s}));
    QVERIFY(forged.errors.contains(ValidationError {u"documentIncarnation"_s, u"is required"_s}));
}

void TestMessageCodec::rejections_data()
{
    QTest::addColumn<bool>("isNotice");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("rule");

    const QByteArray notice = encodeNotice(preemptNotice());
    const QByteArray heartbeat = encodeHeartbeat(healthyHeartbeat());
    const QByteArray anonymous = encodeHeartbeat(identityUnknownHeartbeat());
    const QString guid = u"must be a GUID: 8-4-4-4-12 hexadecimal digits, e.g. "
                         "8d2f2e4c-0000-4000-8000-000000000000"_s;
    const QString required = u"is required"_s;
    const QString string = u"must be a string"_s;
    const QString integer = u"must be an integer"_s;
    const QString iso = u"must be an ISO 8601 UTC time like 2026-01-31T12:00:00Z"_s;
    const QString rfc =
        u"must be \"\" or an RFC 1123 time like \"Tue, 09 Aug 2022 17:07:32 GMT\""_s;
    const QJsonValue absent(QJsonValue::Undefined);
    const auto n = [&](const char *name, const QString &path, const QJsonValue &value,
                       const QString &field, const QString &rule) {
        QTest::newRow(name) << true << with(notice, path, value) << field << rule;
    };
    const auto h = [&](const char *name, const QByteArray &base, const QString &path,
                       const QJsonValue &value, const QString &field, const QString &rule) {
        QTest::newRow(name) << false << with(base, path, value) << field << rule;
    };

    QTest::newRow("not an object")
        << true << QByteArray("[1,2]") << u"$"_s << u"must be a JSON object"_s;
    n("type missing", u"type"_s, absent, u"type"_s, required);
    n("type not a string", u"type"_s, 1, u"type"_s, string);
    n("type unknown", u"type"_s, u"spotkeeper.eviction"_s, u"type"_s,
      u"must be \"spotkeeper.notice\""_s);
    n("version missing", u"version"_s, absent, u"version"_s, required);
    n("version as string", u"version"_s, u"1"_s, u"version"_s, integer);
    n("version fractional", u"version"_s, 1.5, u"version"_s, integer);
    n("version 2 without a cloud", u"version"_s, 2, u"vm.cloud"_s, required);
    n("version 3", u"version"_s, 3, u"version"_s,
      u"unsupported major version 3; this build reads versions 1 and 2"_s);
    n("version 0", u"version"_s, 0, u"version"_s,
      u"unsupported major version 0; this build reads versions 1 and 2"_s);
    n("vm missing", u"vm"_s, absent, u"vm"_s, required);
    n("vm not an object", u"vm"_s, u"vm-spot"_s, u"vm"_s, u"must be an object"_s);
    n("subscription not a GUID", u"vm.subscriptionId"_s, u"my-subscription"_s,
      u"vm.subscriptionId"_s, guid);
    n("subscription empty", u"vm.subscriptionId"_s, QString(), u"vm.subscriptionId"_s, guid);
    n("resource group ends with period", u"vm.resourceGroup"_s, u"rg."_s, u"vm.resourceGroup"_s,
      u"must not end with '.'"_s);
    n("resource group with slash", u"vm.resourceGroup"_s, u"rg/x"_s, u"vm.resourceGroup"_s,
      u"may contain only letters, digits, underscores, parentheses, hyphens and periods"_s);
    n("resource group 91 chars", u"vm.resourceGroup"_s, QString(91, u'r'), u"vm.resourceGroup"_s,
      u"must be 1-90 characters long"_s);
    n("vm name starts with underscore", u"vm.vmName"_s, u"_vm"_s, u"vm.vmName"_s,
      u"must not start with '_'"_s);
    n("vm name ends with hyphen", u"vm.vmName"_s, u"vm-"_s, u"vm.vmName"_s,
      u"must not end with '.' or '-'"_s);
    n("vm name with at", u"vm.vmName"_s, u"vm@x"_s, u"vm.vmName"_s,
      u"must not contain any of \\/\"[]:|<>+=;,?*@&"_s);
    n("vm name missing", u"vm.vmName"_s, absent, u"vm.vmName"_s, required);
    n("vm name a number", u"vm.vmName"_s, 42, u"vm.vmName"_s, string);
    n("vm id not a GUID", u"vm.vmId"_s, u"220e2b43"_s, u"vm.vmId"_s, guid);
    n("location empty", u"vm.location"_s, QString(), u"vm.location"_s,
      u"must be 1-64 ASCII letters and digits, e.g. westeurope"_s);
    n("location display name", u"vm.location"_s, u"West Europe"_s, u"vm.location"_s,
      u"must be 1-64 ASCII letters and digits, e.g. westeurope"_s);
    n("scale set name bad", u"vm.vmScaleSetName"_s, u"ss/1"_s, u"vm.vmScaleSetName"_s,
      u"must not contain any of \\/\"[]:|<>+=;,?*@&"_s);
    n("priority with space", u"vm.priority"_s, u"Sp ot"_s, u"vm.priority"_s,
      u"must be at most 32 ASCII letters"_s);
    n("eviction policy null", u"vm.evictionPolicy"_s, QJsonValue(), u"vm.evictionPolicy"_s, string);
    n("event missing", u"event"_s, absent, u"event"_s, required);
    n("event id not a GUID", u"event.EventId"_s, u"C1BF8322"_s, u"event.EventId"_s, guid);
    n("event type empty", u"event.EventType"_s, QString(), u"event.EventType"_s,
      u"must be 1-64 ASCII letters and digits"_s);
    n("event type with space", u"event.EventType"_s, u"Pre empt"_s, u"event.EventType"_s,
      u"must be 1-64 ASCII letters and digits"_s);
    n("event status Completed", u"event.EventStatus"_s, u"Completed"_s, u"event.EventStatus"_s,
      u"must be \"Scheduled\" or \"Started\""_s);
    n("event status missing", u"event.EventStatus"_s, absent, u"event.EventStatus"_s, required);
    n("not before ISO", u"event.NotBefore"_s, u"2022-08-09T17:07:32Z"_s, u"event.NotBefore"_s, rfc);
    n("not before numeric zone", u"event.NotBefore"_s, u"Tue, 09 Aug 2022 17:07:32 +0000"_s,
      u"event.NotBefore"_s, rfc);
    n("not before null", u"event.NotBefore"_s, QJsonValue(), u"event.NotBefore"_s, string);
    n("description missing", u"event.Description"_s, absent, u"event.Description"_s, required);
    n("description lone surrogate", u"event.Description"_s, QString(QChar(0xD800)),
      u"event.Description"_s, u"must be valid Unicode text"_s);
    n("event source a bool", u"event.EventSource"_s, true, u"event.EventSource"_s, string);
    n("duration below -1", u"event.DurationInSeconds"_s, -2, u"event.DurationInSeconds"_s,
      u"must be at least -1 and at most 2147483647"_s);
    n("duration above int", u"event.DurationInSeconds"_s, 2147483648.0,
      u"event.DurationInSeconds"_s, u"must be at least -1 and at most 2147483647"_s);
    n("duration as string", u"event.DurationInSeconds"_s, u"5"_s, u"event.DurationInSeconds"_s,
      integer);
    n("resource type missing", u"event.ResourceType"_s, absent, u"event.ResourceType"_s, required);
    n("resources a string", u"event.Resources"_s, u"vm-spot"_s, u"event.Resources"_s,
      u"must be an array of VM names"_s);
    n("resources item a number", u"event.Resources"_s, QJsonArray {u"vm-spot"_s, 7},
      u"event.Resources[1]"_s, string);
    n("resources item bad name", u"event.Resources"_s, QJsonArray {u"a|b"_s},
      u"event.Resources[0]"_s, u"must not contain any of \\/\"[]:|<>+=;,?*@&"_s);
    n("incarnation negative", u"documentIncarnation"_s, -1, u"documentIncarnation"_s,
      u"must be at least 0"_s);
    n("incarnation fractional", u"documentIncarnation"_s, 2.5, u"documentIncarnation"_s, integer);
    n("agent version empty", u"agentVersion"_s, QString(), u"agentVersion"_s,
      u"must be 1-64 printable ASCII characters without spaces"_s);
    n("sent at missing", u"sentAt"_s, absent, u"sentAt"_s, required);
    n("sent at empty", u"sentAt"_s, QString(), u"sentAt"_s, iso);
    n("sent at with offset", u"sentAt"_s, u"2026-11-26T13:00:00+01:00"_s, u"sentAt"_s, iso);
    n("sent at epoch number", u"sentAt"_s, 1800000000, u"sentAt"_s, string);

    h("heartbeat type unknown", heartbeat, u"type"_s, u"spotkeeper.ping"_s, u"type"_s,
      u"must be \"spotkeeper.heartbeat\""_s);
    h("heartbeat version 3 without a cloud", heartbeat, u"version"_s, 3, u"vm.cloud"_s, required);
    h("heartbeat version 4", heartbeat, u"version"_s, 4, u"version"_s,
      u"unsupported major version 4; this build reads versions 1 to 3"_s);
    h("identityKnown missing", heartbeat, u"identityKnown"_s, absent, u"identityKnown"_s, required);
    h("identityKnown a string", heartbeat, u"identityKnown"_s, u"yes"_s, u"identityKnown"_s,
      u"must be true or false"_s);
    h("known identity needs a subscription", heartbeat, u"vm.subscriptionId"_s, QString(),
      u"vm.subscriptionId"_s, guid);
    h("unknown identity: what is sent must be valid", anonymous, u"vm.vmName"_s, u"vm."_s,
      u"vm.vmName"_s, u"must not end with '.' or '-'"_s);
    h("unknown identity: fields still required", anonymous, u"vm.location"_s, absent,
      u"vm.location"_s, required);
    h("uptime negative", heartbeat, u"uptimeSeconds"_s, -5, u"uptimeSeconds"_s,
      u"must be at least 0"_s);
    h("lastPoll missing", heartbeat, u"lastPoll"_s, absent, u"lastPoll"_s, required);
    h("lastPoll.at garbage", heartbeat, u"lastPoll.at"_s, u"yesterday"_s, u"lastPoll.at"_s, iso);
    h("lastPoll ok without a time", heartbeat, u"lastPoll.at"_s, QString(), u"lastPoll.at"_s,
      u"must be set when lastPoll.ok is true"_s);
    h("lastPoll ok with an error", heartbeat, u"lastPoll.error"_s, u"timeout"_s,
      u"lastPoll.error"_s, u"must be empty when lastPoll.ok is true"_s);
    h("lastPoll.ok a number", heartbeat, u"lastPoll.ok"_s, 1, u"lastPoll.ok"_s,
      u"must be true or false"_s);
    h("heartbeat agent version with space", heartbeat, u"agentVersion"_s, u"0.1 beta"_s,
      u"agentVersion"_s, u"must be 1-64 printable ASCII characters without spaces"_s);
    h("heartbeat sentAt lower-case z", heartbeat, u"sentAt"_s, u"2026-11-26T12:00:01z"_s,
      u"sentAt"_s, iso);
}

void TestMessageCodec::rejections()
{
    QFETCH(bool, isNotice);
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, rule);
    const QList<ValidationError> errors =
        isNotice ? decodeNotice(json).errors : decodeHeartbeat(json).errors;
    const bool ok = isNotice ? decodeNotice(json).ok() : decodeHeartbeat(json).ok();
    QVERIFY(!ok);
    // Exactly the one broken rule, named by field, nothing else.
    QCOMPARE(describe(errors), describe({ValidationError {field, rule}}));
}

void TestMessageCodec::allErrorsAtOnce()
{
    QByteArray json = encodeNotice(preemptNotice());
    json = with(json, u"vm.vmName"_s, u"vm."_s);
    json = with(json, u"event.EventId"_s, u"x"_s);
    json = with(json, u"agentVersion"_s, QJsonValue(QJsonValue::Undefined));
    const auto decoded = decodeNotice(json);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.errors.size(), 3);
    QCOMPARE(decoded.errors.at(0).field, u"vm.vmName"_s);
    QCOMPARE(decoded.errors.at(1).field, u"event.EventId"_s);
    QCOMPARE(decoded.errors.at(2), (ValidationError {u"agentVersion"_s, u"is required"_s}));
}

void TestMessageCodec::malformedJsonNamesTheOffset()
{
    const QList<std::pair<QByteArray, int>> cases = {
        {QByteArray(), 0},
        {QByteArray("{\"type\":\"spotkeeper.notice\",}"), 28},
        {QByteArray("{\"type\" \"spotkeeper.notice\"}"), 8},
        {encodeNotice(preemptNotice()).left(40), 40}, // cut inside a string
        {QByteArray("{\"type\":nul}"), 8},
        {QByteArray("  x"), 2},
    };
    for (const auto &[json, offset] : cases) {
        for (const bool notice : {true, false}) {
            const auto errors = notice ? decodeNotice(json).errors : decodeHeartbeat(json).errors;
            QCOMPARE(errors.size(), 1);
            QCOMPARE(errors.first().field, u"$"_s);
            const QString prefix =
                u"malformed JSON at byte offset "_s + QString::number(offset) + u": "_s;
            QVERIFY2(errors.first().rule.startsWith(prefix), qPrintable(errors.first().rule));
            QVERIFY(errors.first().rule.size() > prefix.size()); // and says what is wrong
        }
    }
}

void TestMessageCodec::validationMessage()
{
    const ValidationError error {u"vm.resourceGroup"_s, u"must not end with '.'"_s};
    QCOMPARE(error.message(), u"vm.resourceGroup: must not end with '.'"_s);
}

QTEST_GUILESS_MAIN(TestMessageCodec)
#include "tst_messagecodec.moc"
