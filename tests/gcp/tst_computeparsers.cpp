// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/cloud.h"
#include "gcp/computeparsers.h"
#include "support/common/fixtures.h"

#include <QFile>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gcp;
using namespace Qt::StringLiterals;
using core::FailureClass;
using core::PowerState;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(testsupport::testDataPath(u"gcp/compute/"_s + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

// The Compute Engine API's answers (tests/data/gcp/compute, provenance in its README) and
// the classification of every failure the engine must tell apart.
class TestComputeParsers : public QObject
{
    Q_OBJECT

private slots:
    void instance();
    void managedGroupMember();
    void statusToPowerState();
    void operations();
    void aggregatedListPages();
    void apiErrors_data();
    void apiErrors();
    void rejectsWhatIsNoAnswer();
};

void TestComputeParsers::managedGroupMember()
{
    QString error;
    const auto instance =
        compute::parseInstanceJson(fixture(u"instance-mig-member.json"_s), &error);
    QVERIFY2(instance, qPrintable(error));
    QVERIFY(instance->inManagedGroup());
    QCOMPARE(instance->terminationAction, u"DELETE"_s);
    const core::VmRecord vm = compute::toVmRecord(*instance);
    QCOMPARE(vm.tags.value(QLatin1StringView(compute::kManagedGroupTag)),
             u"projects/123456789012/zones/europe-west1-b/instanceGroupManagers/spot-mig"_s);
    // A VM of no group carries no such tag.
    const auto alone =
        compute::parseInstanceJson(fixture(u"instance-spot-terminated.json"_s), &error);
    QVERIFY(alone && !alone->inManagedGroup());
    QVERIFY(
        !compute::toVmRecord(*alone).tags.contains(QLatin1StringView(compute::kManagedGroupTag)));
}

void TestComputeParsers::instance()
{
    QString error;
    const auto instance =
        compute::parseInstanceJson(fixture(u"instance-spot-terminated.json"_s), &error);
    QVERIFY2(instance, qPrintable(error));
    QCOMPARE(instance->project, u"spot-fleet-1"_s);
    QCOMPARE(instance->zone, u"europe-west1-b"_s);
    QCOMPARE(instance->name, u"worker-7"_s);
    QCOMPARE(instance->id, u"8230498714093811747"_s); // above 2^53, kept exactly
    QCOMPARE(instance->status, u"TERMINATED"_s);
    QCOMPARE(instance->machineType, u"e2-standard-2"_s);
    QCOMPARE(instance->provisioningModel, u"SPOT"_s);
    QCOMPARE(instance->terminationAction, u"STOP"_s);
    QCOMPARE(instance->labels.value(u"spotkeeper-auto-restart"_s), u"true"_s);
    const core::VmRecord vm = compute::toVmRecord(*instance);
    QCOMPARE(vm.resourceId, u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s);
    QCOMPARE(vm.resourceKey, vm.resourceId);
    QVERIFY(cloudOf(vm) == core::Cloud::Gcp);
    QCOMPARE(vm.subscriptionId, u"spot-fleet-1"_s);
    QCOMPARE(vm.location, u"europe-west1-b"_s);
    QCOMPARE(vm.size, u"e2-standard-2"_s);
    QCOMPARE(vm.priority, u"SPOT"_s);
    QCOMPARE(vm.evictionPolicy, u"STOP"_s);
    QVERIFY(vm.powerState == PowerState::Deallocated);
    QCOMPARE(vm.tags.value(u"team"_s), u"batch"_s);
}

void TestComputeParsers::statusToPowerState()
{
    QVERIFY(compute::powerStateOf(u"PROVISIONING") == PowerState::Starting);
    QVERIFY(compute::powerStateOf(u"STAGING") == PowerState::Starting);
    QVERIFY(compute::powerStateOf(u"RUNNING") == PowerState::Running);
    QVERIFY(compute::powerStateOf(u"STOPPING") == PowerState::Stopping);
    QVERIFY(compute::powerStateOf(u"SUSPENDING") == PowerState::Stopping);
    QVERIFY(compute::powerStateOf(u"SUSPENDED") == PowerState::Stopped);
    QVERIFY(compute::powerStateOf(u"TERMINATED") == PowerState::Deallocated);
    QVERIFY(compute::powerStateOf(u"REPAIRING") == PowerState::Unknown);
    QVERIFY(compute::powerStateOf(u"SOMETHING_NEW") == PowerState::Unknown);
}

void TestComputeParsers::operations()
{
    QString error;
    QString code;
    QString message;
    const auto pending =
        compute::parseOperationJson(fixture(u"operation-start-pending.json"_s), &error);
    QVERIFY2(pending, qPrintable(error));
    QVERIFY(!pending->done());
    QCOMPARE(pending->zone, u"europe-west1-b"_s);
    QCOMPARE(pending->operationType, u"start"_s);
    QVERIFY(compute::classifyOperation(*pending, &code, &message) == FailureClass::None);

    const auto done = compute::parseOperationJson(fixture(u"operation-start-done.json"_s), &error);
    QVERIFY2(done, qPrintable(error));
    QVERIFY(done->done() && !done->failed());
    QVERIFY(compute::classifyOperation(*done, &code, &message) == FailureClass::None);

    const auto exhausted =
        compute::parseOperationJson(fixture(u"operation-start-zone-exhausted.json"_s), &error);
    QVERIFY2(exhausted, qPrintable(error));
    QVERIFY(exhausted->failed());
    QCOMPARE(exhausted->httpErrorStatusCode, 503);
    QVERIFY(compute::classifyOperation(*exhausted, &code, &message) == FailureClass::Capacity);
    QCOMPARE(code, u"ZONE_RESOURCE_POOL_EXHAUSTED"_s);
    QVERIFY(message.contains(u"does not have enough resources"_s));

    const auto quota =
        compute::parseOperationJson(fixture(u"operation-start-quota.json"_s), &error);
    QVERIFY2(quota, qPrintable(error));
    QVERIFY(compute::classifyOperation(*quota, &code, &message) == FailureClass::Quota);
    QCOMPARE(code, u"QUOTA_EXCEEDED"_s);

    // Codes inside an operation, one per class.
    const auto classOf = [&](const QString &errorCode, int httpStatus = 0) {
        compute::Operation op;
        op.name = u"op"_s;
        op.status = u"DONE"_s;
        op.httpErrorStatusCode = httpStatus;
        op.errors = {{errorCode, u"m"_s, {}}};
        return compute::classifyOperation(op, &code, &message);
    };
    QVERIFY(classOf(u"ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS"_s) == FailureClass::Capacity);
    QVERIFY(classOf(u"RESOURCE_NOT_FOUND"_s) == FailureClass::NotFound);
    QVERIFY(classOf(u"PERMISSIONS_ERROR"_s) == FailureClass::Authorization);
    QVERIFY(classOf(u"RATE_LIMIT_EXCEEDED"_s) == FailureClass::Throttled);
    QVERIFY(classOf(u"RESOURCE_NOT_READY"_s) == FailureClass::Transient);
    QVERIFY(classOf(u"SOMETHING_NEW"_s, 503) == FailureClass::Transient);
    QVERIFY(classOf(u"SOMETHING_NEW"_s, 400) == FailureClass::Fatal);
    QCOMPARE(code, u"SOMETHING_NEW"_s);
}

void TestComputeParsers::aggregatedListPages()
{
    QString error;
    const auto first =
        compute::parseAggregatedListJson(fixture(u"aggregated-page1.json"_s), &error);
    QVERIFY2(first, qPrintable(error));
    QCOMPARE(first->instances.size(), 1); // the other scope only has a NO_RESULTS_ON_PAGE warning
    QCOMPARE(first->instances.constFirst().name, u"worker-7"_s);
    QVERIFY(first->nextPageToken.contains(u'+') && first->nextPageToken.contains(u'/'));
    const auto second =
        compute::parseAggregatedListJson(fixture(u"aggregated-page2.json"_s), &error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(second->instances.size(), 1);
    QCOMPARE(second->instances.constFirst().zone, u"us-central1-a"_s);
    QVERIFY(second->nextPageToken.isEmpty());
    // An entry that is no instance is left out and counted, not fatal for the page.
    const auto odd = compute::parseAggregatedListJson(
        R"({"items":{"zones/a-b1-c":{"instances":[{"name":"Bad Name","zone":"x/projects/p-123456/zones/a-b1-c","status":"RUNNING"}]}}})",
        &error);
    QVERIFY2(odd, qPrintable(error));
    QCOMPARE(odd->instances.size(), 0);
    QCOMPARE(odd->skipped, 1);
    const auto empty =
        compute::parseAggregatedListJson(R"({"id":"projects/p/aggregated/instances"})", &error);
    QVERIFY2(empty, qPrintable(error));
    QVERIFY(empty->instances.isEmpty());
}

void TestComputeParsers::apiErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("failure");
    QTest::addColumn<QString>("reason");
    QTest::newRow("403 rateLimitExceeded")
        << 403 << u"error-rate-limit-403.json"_s << int(FailureClass::Throttled)
        << u"rateLimitExceeded"_s;
    QTest::newRow("429 without body")
        << 429 << QString() << int(FailureClass::Throttled) << QString();
    QTest::newRow("403 forbidden") << 403 << u"error-permission-403.json"_s
                                   << int(FailureClass::Authorization) << u"forbidden"_s;
    QTest::newRow("403 quotaExceeded")
        << 403 << u"error-quota-403.json"_s << int(FailureClass::Quota) << u"quotaExceeded"_s;
    QTest::newRow("404") << 404 << u"error-not-found-404.json"_s << int(FailureClass::NotFound)
                         << u"notFound"_s;
    QTest::newRow("401") << 401 << QString() << int(FailureClass::Authorization) << QString();
    QTest::newRow("409") << 409 << QString() << int(FailureClass::Transient) << QString();
    QTest::newRow("503") << 503 << QString() << int(FailureClass::Transient) << QString();
    QTest::newRow("400") << 400 << QString() << int(FailureClass::Fatal) << QString();
    QTest::newRow("400 resourceNotReady")
        << 400 << u"not-ready"_s << int(FailureClass::Transient) << u"resourceNotReady"_s;
}

void TestComputeParsers::apiErrors()
{
    QFETCH(int, status);
    QFETCH(QString, file);
    QFETCH(int, failure);
    QFETCH(QString, reason);
    const QByteArray notReady =
        R"({"error":{"code":400,"message":"The resource is not ready","errors":[{"reason":"resourceNotReady"}]}})";
    const compute::ApiError error =
        compute::parseApiError(file.isEmpty()               ? QByteArray("<html>oops</html>")
                                   : file == u"not-ready"_s ? notReady
                                                            : fixture(file));
    QCOMPARE(error.reason(), reason);
    QCOMPARE(int(compute::classifyHttp(status, error)), failure);
}

void TestComputeParsers::rejectsWhatIsNoAnswer()
{
    QString error;
    QVERIFY(!compute::parseInstanceJson("[]", &error));
    QVERIFY(!compute::parseInstanceJson("{\"name\":\"x\"}", &error));
    QVERIFY(!compute::parseOperationJson("not json", &error));
    QVERIFY(!compute::parseOperationJson(R"({"name":"op","status":"WEIRD"})", &error));
    QVERIFY(!compute::parseAggregatedListJson(R"({"items":[1,2]})", &error));
    QCOMPARE(compute::parseApiError("").code, 0);
}

QTEST_GUILESS_MAIN(TestComputeParsers)
#include "tst_computeparsers.moc"
