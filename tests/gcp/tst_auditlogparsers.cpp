// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/auditlogparsers.h"
#include "support/common/fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace spotkeeper;
using namespace spotkeeper::gcp;
using namespace Qt::StringLiterals;
using core::EvidenceKind;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(testsupport::testDataPath(u"gcp/logging/"_s + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QDateTime utc(const QString &text)
{
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

auditlog::Entry entry(const QString &method, const QString &principal = {}, int status = 0)
{
    auditlog::Entry e;
    e.methodName = method;
    e.principal = principal;
    e.statusCode = status;
    e.timestamp = utc(u"2026-12-07T10:00:00Z"_s);
    return e;
}

} // namespace

// Cloud Audit Logs of Compute Engine as entries.list returns them (tests/data/gcp/logging,
// provenance in tests/data/gcp/README.md) and the decision between a preemption and a stop
// somebody asked for.
class TestAuditLogParsers : public QObject
{
    Q_OBJECT

private slots:
    void preemptionIsAnEviction();
    void userStopIsDeliberate();
    void failedCallsAndGuestShutdown();
    void emptyPage();
    void classify_data();
    void classify();
    void windowExcludesOlderEntries();
    void rejectsWhatIsNoPage_data();
    void rejectsWhatIsNoPage();
    void filterAndBody();
};

void TestAuditLogParsers::preemptionIsAnEviction()
{
    QString error;
    const auto page = auditlog::parseEntriesJson(fixture(u"entries-preempted.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->entries.size(), 1);
    const auditlog::Entry &e = page->entries.constFirst();
    QCOMPARE(e.methodName, u"compute.instances.preempted"_s);
    QCOMPARE(e.principal, u"system@google.com"_s);
    QCOMPARE(e.resourceName, u"projects/spot-demo-1/zones/europe-west1-b/instances/batch-7"_s);
    QCOMPARE(e.timestamp, utc(u"2026-12-07T10:15:30.123Z"_s)); // microseconds cut to ms
    QCOMPARE(e.statusMessage, u"Instance was preempted."_s);
    QVERIFY(e.logName.endsWith(u"%2Fsystem_event"_s));
    QVERIFY(page->nextPageToken.isEmpty());
    const core::EvidenceResult result =
        auditlog::decide(page->entries, utc(u"2026-12-07T10:00:00Z"_s));
    QVERIFY(result.kind == EvidenceKind::Eviction);
    QCOMPARE(result.operation, u"compute.instances.preempted"_s);
    QCOMPARE(result.at, e.timestamp);
    QVERIFY(result.evidence.contains(u"compute.instances.preempted by system@google.com"_s));
    QVERIFY(result.evidence.contains(u"systemevent-1796012130123"_s));
}

void TestAuditLogParsers::userStopIsDeliberate()
{
    QString error;
    const auto page = auditlog::parseEntriesJson(fixture(u"entries-user-stop.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->entries.size(), 2);
    QCOMPARE(page->nextPageToken, u"EAA4suKu3qnLwbtrSg9wcm9qZWN0cy9zcG90LWRlbW8tMQ"_s);
    // The newest decisive entry wins: the stop an hour after the preemption.
    const core::EvidenceResult result = auditlog::decide(page->entries, {});
    QVERIFY(result.kind == EvidenceKind::Deliberate);
    QCOMPARE(result.caller, u"alice@example.com"_s);
    QCOMPARE(result.operation, u"v1.compute.instances.stop"_s);
    QCOMPARE(result.at, utc(u"2026-12-07T11:15:30.004Z"_s));
    // Reversed order on the page changes nothing.
    QList<auditlog::Entry> reversed(page->entries.crbegin(), page->entries.crend());
    QVERIFY(auditlog::decide(reversed, {}).kind == EvidenceKind::Deliberate);
}

void TestAuditLogParsers::failedCallsAndGuestShutdown()
{
    QString error;
    const auto page = auditlog::parseEntriesJson(fixture(u"entries-failed-stop.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->entries.size(), 2);
    QCOMPARE(page->skipped, 1); // the syslog line is no audit record
    QCOMPARE(page->entries.at(0).statusCode, 7);
    QVERIFY(auditlog::classify(page->entries.at(0)) == EvidenceKind::None); // denied: no stop
    // batch-8 was shut down from inside; no principal is recorded.
    const core::EvidenceResult result = auditlog::decide(page->entries, {});
    QVERIFY(result.kind == EvidenceKind::Deliberate);
    QCOMPARE(result.operation, u"compute.instances.guestTerminate"_s);
    QCOMPARE(result.caller, u"the guest OS"_s);
    QCOMPARE(result.at, utc(u"2026-12-07T10:15:35.500Z"_s));
}

void TestAuditLogParsers::emptyPage()
{
    QString error;
    const auto page = auditlog::parseEntriesJson(fixture(u"entries-empty.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QVERIFY(page->entries.isEmpty());
    const core::EvidenceResult result = auditlog::decide(page->entries, {});
    QVERIFY(result.kind == EvidenceKind::None);
    QVERIFY(result.evidence.isEmpty());
}

void TestAuditLogParsers::classify_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");
    QTest::newRow("preempted") << u"compute.instances.preempted"_s << 0
                               << int(EvidenceKind::Eviction);
    QTest::newRow("host error") << u"compute.instances.hostError"_s << 0
                                << int(EvidenceKind::Eviction);
    QTest::newRow("v1 stop") << u"v1.compute.instances.stop"_s << 0
                             << int(EvidenceKind::Deliberate);
    QTest::newRow("beta stop") << u"beta.compute.instances.stop"_s << 0
                               << int(EvidenceKind::Deliberate);
    QTest::newRow("v1 suspend") << u"v1.compute.instances.suspend"_s << 0
                                << int(EvidenceKind::Deliberate);
    QTest::newRow("v1 delete") << u"v1.compute.instances.delete"_s << 0
                               << int(EvidenceKind::Deliberate);
    QTest::newRow("guest") << u"compute.instances.guestTerminate"_s << 0
                           << int(EvidenceKind::Deliberate);
    QTest::newRow("start") << u"v1.compute.instances.start"_s << 0 << int(EvidenceKind::None);
    QTest::newRow("reset") << u"v1.compute.instances.reset"_s << 0 << int(EvidenceKind::None);
    QTest::newRow("lookalike") << u"v1.compute.instances.stopX"_s << 0 << int(EvidenceKind::None);
    QTest::newRow("other service")
        << u"v1.container.instances.stop"_s << 0 << int(EvidenceKind::None);
    QTest::newRow("failed stop") << u"v1.compute.instances.stop"_s << 7 << int(EvidenceKind::None);
    QTest::newRow("failed preempt")
        << u"compute.instances.preempted"_s << 13 << int(EvidenceKind::None);
}

void TestAuditLogParsers::classify()
{
    QFETCH(QString, method);
    QFETCH(int, status);
    QFETCH(int, kind);
    QCOMPARE(int(auditlog::classify(entry(method, u"bob@example.com"_s, status))), kind);
}

void TestAuditLogParsers::windowExcludesOlderEntries()
{
    const QList<auditlog::Entry> entries {entry(u"v1.compute.instances.stop"_s, u"bob@x"_s)};
    QVERIFY(auditlog::decide(entries, utc(u"2026-12-07T10:00:01Z"_s)).kind == EvidenceKind::None);
    QVERIFY(auditlog::decide(entries, utc(u"2026-12-07T10:00:00Z"_s)).kind
            == EvidenceKind::Deliberate);
}

void TestAuditLogParsers::rejectsWhatIsNoPage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("<html>");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("entries object") << QByteArray(R"({"entries":{}})");
    QTest::newRow("token number") << QByteArray(R"({"nextPageToken":5})");
}

void TestAuditLogParsers::rejectsWhatIsNoPage()
{
    QFETCH(QByteArray, body);
    QString error;
    QVERIFY(!auditlog::parseEntriesJson(body, &error));
    QVERIFY(!error.isEmpty());
}

void TestAuditLogParsers::filterAndBody()
{
    const QString path = u"projects/p-1/zones/us-central1-a/instances/vm-1"_s;
    const QDateTime since = utc(u"2026-12-07T10:00:00.250Z"_s);
    const QString filter = auditlog::filter(u"p-1"_s, path, since);
    QVERIFY(filter.contains(u"\"projects/p-1/logs/cloudaudit.googleapis.com%2Factivity\""_s));
    QVERIFY(filter.contains(u"\"projects/p-1/logs/cloudaudit.googleapis.com%2Fsystem_event\""_s));
    QVERIFY(filter.contains(u"resource.type=\"gce_instance\""_s));
    QVERIFY(filter.contains(u"protoPayload.resourceName=\""_s + path + u'"'));
    QVERIFY(filter.contains(u"timestamp>=\"2026-12-07T10:00:00.250Z\""_s));
    for (const QString &method : auditlog::decisiveMethods()) {
        QVERIFY2(filter.contains(u'"' + method + u'"'), qPrintable(method));
        QVERIFY(auditlog::classify(entry(method)) != EvidenceKind::None);
    }
    // Project-wide: no instance clause.
    QVERIFY(!auditlog::filter(u"p-1"_s, {}, since).contains(u"resourceName"_s));

    const QJsonObject body =
        QJsonDocument::fromJson(auditlog::listRequestBody(u"p-1"_s, filter, 50, u"tok+/="_s))
            .object();
    QCOMPARE(body.value("resourceNames"_L1).toArray(), QJsonArray {u"projects/p-1"_s});
    QCOMPARE(body.value("filter"_L1).toString(), filter);
    QCOMPARE(body.value("orderBy"_L1).toString(), u"timestamp desc"_s);
    QCOMPARE(body.value("pageSize"_L1).toInt(), 50);
    QCOMPARE(body.value("pageToken"_L1).toString(), u"tok+/="_s);
    QVERIFY(!QJsonDocument::fromJson(auditlog::listRequestBody(u"p-1"_s, filter, 50, {}))
                 .object()
                 .contains("pageToken"_L1));
}

QTEST_GUILESS_MAIN(TestAuditLogParsers)
#include "tst_auditlogparsers.moc"
