// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armparsers.h"
#include "fleet/ratebudget.h"
#include "support/common/fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using spotkeeper::testsupport::fixture;
using spotkeeper::testsupport::testDataPath;

namespace {
QByteArray specBody(const QString &name, const char *status = "200")
{
    const QJsonObject spec = QJsonDocument::fromJson(fixture(name)).object();
    return QJsonDocument(spec.value("responses"_L1)
                             .toObject()
                             .value(QLatin1StringView(status))
                             .toObject()
                             .value("body"_L1)
                             .toObject())
        .toJson();
}
// The recorded Spot VM's GET body (maxPrice -1, Standard_A1_v2).
QByteArray recordedSpotVmBody()
{
    const QJsonObject recording =
        QJsonDocument::fromJson(
            fixture(u"arm/recording-dotnet-spot-vm-asyncop-get-simulateeviction-204.json"_s))
            .object();
    for (const QJsonValue &entry : recording.value("Entries"_L1).toArray()) {
        const QJsonObject e = entry.toObject();
        if (e.value("RequestMethod"_L1).toString() == "GET"_L1
            && e.value("RequestUri"_L1).toString().contains("/virtualMachines/vm7856"_L1))
            return e.value("ResponseBody"_L1).toString().toUtf8();
    }
    return {};
}
QByteArray testData(const QString &name)
{
    QFile file(testDataPath(u"azure/"_s + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

// Pure ARM body parsers on the spec examples and recordings (AZURE-PROTOCOL.md §4), and the
// budgets.
class TestArmParsers : public QObject
{
    Q_OBJECT
private slots:
    void resourceIds();
    void scaleSetInstanceIds_data();
    void scaleSetInstanceIds();
    void scaleSetListPage();
    void scaleSetVmListPage();
    void instanceViewSpecExample();
    void instanceViewDeallocatedAndMissing();
    void listAllSpecExample();
    void listFullPropertiesFromRecordedVm();
    void listStatusOnlyPowerState();
    void listRejectsGarbage();
    void vmSettingsFromRecordedSpotVm();
    void availableSizesSpecExample();
    void settingsPatchCarriesOnlyWhatChanges();
    void operationStatus();
    void activityLog();
    void activityLogUserDeallocation();
    void tokenBucket();
};

void TestArmParsers::resourceIds()
{
    const auto parts = armparsers::parseVmResourceId(
        u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/crptestar62841/"
        "providers/Microsoft.Compute/virtualMachines/vm719"_s);
    QVERIFY(parts);
    QCOMPARE(parts->subscriptionId, u"24fb23e3-6ba3-41f0-9b6e-e41131d5d61e"_s);
    QCOMPARE(parts->resourceGroup, u"crptestar62841"_s);
    QCOMPARE(parts->name, u"vm719"_s);
    QVERIFY(armparsers::parseVmResourceId(
        u"/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.compute/VIRTUALMACHINES/v"_s));
    QVERIFY(!armparsers::parseVmResourceId(u"/subscriptions/s/resourceGroups/rg"_s));
    QVERIFY(!armparsers::parseVmResourceId(
        u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/n"_s));
    QCOMPARE(armparsers::subscriptionOf(
                 u"https://management.azure.com/subscriptions/ABC/providers/Microsoft.Compute/"
                 "locations/x/operations/1?api-version=1"_s),
             u"abc"_s);
    QVERIFY(armparsers::subscriptionOf(u"/providers/Microsoft.Compute"_s).isEmpty());
}

void TestArmParsers::scaleSetInstanceIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("instance");
    const QString base = u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/"_s;
    QTest::newRow("uniform") << base + u"virtualMachineScaleSets/pool/virtualMachines/17"_s << true
                             << u"pool_17"_s << u"17"_s;
    QTest::newRow("case") << u"/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/MICROSOFT.COMPUTE/"
                             "VIRTUALMACHINESCALESETS/pool/VIRTUALMACHINES/0"_s
                          << true << u"pool_0"_s << u"0"_s;
    QTest::newRow("flexible name") << base + u"virtualMachineScaleSets/pool/virtualMachines/vm1"_s
                                   << false << QString() << QString();
    QTest::newRow("scale set itself")
        << base + u"virtualMachineScaleSets/pool"_s << false << QString() << QString();
    QTest::newRow("instance view")
        << base + u"virtualMachineScaleSets/pool/virtualMachines/1/instanceView"_s << false
        << QString() << QString();
    QTest::newRow("too long id") << base
            + u"virtualMachineScaleSets/p/virtualMachines/12345678901"_s
                                 << false << QString() << QString();
}

void TestArmParsers::scaleSetInstanceIds()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QFETCH(QString, name);
    QFETCH(QString, instance);
    const auto parts = armparsers::parseVmResourceId(id);
    QCOMPARE(parts.has_value(), valid);
    if (!valid)
        return;
    QVERIFY(parts->isScaleSetInstance());
    QCOMPARE(parts->name, name);
    QCOMPARE(parts->instanceId, instance);
    QCOMPARE(parts->resourceGroup, u"rg"_s);
    QVERIFY(parts->scaleSetId().endsWith(u"/virtualMachineScaleSets/"_s + parts->scaleSet));
    QVERIFY(id.startsWith(parts->scaleSetId(), Qt::CaseInsensitive));
    // A standalone VM is not an instance and names no scale set.
    const auto vm = armparsers::parseVmResourceId(
        u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v"_s);
    QVERIFY(vm && !vm->isScaleSetInstance() && vm->scaleSetId().isEmpty());
}

void TestArmParsers::scaleSetListPage()
{
    QString error;
    const auto page = armparsers::parseScaleSetListPage(testData(u"vmss-list-all.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->scaleSets.size(), 3);
    const armparsers::ScaleSetInfo &spot = page->scaleSets.at(0);
    QCOMPARE(spot.name, u"pool-spot"_s);
    QVERIFY(spot.isUniform());
    QCOMPARE(spot.priority, u"Spot"_s);
    QCOMPARE(spot.evictionPolicy, u"Deallocate"_s);
    QCOMPARE(spot.size, u"Standard_D4s_v5"_s);
    QCOMPARE(spot.tags.value(u"spotkeeper:auto-restart"_s), u"true"_s);
    QVERIFY(spot.spotRestoreEnabled);
    QCOMPARE(spot.spotRestoreTimeout, u"PT1H"_s);
    QVERIFY(page->scaleSets.at(1).isUniform()); // no orchestrationMode: Uniform
    QCOMPARE(page->scaleSets.at(1).priority, u"Regular"_s);
    QVERIFY(!page->scaleSets.at(2).isUniform());
    QVERIFY(page->nextLink.isEmpty());
    QVERIFY(!armparsers::parseScaleSetListPage(R"({"value":{}})", &error));
    QVERIFY(error.contains("value[]"_L1));
}

void TestArmParsers::scaleSetVmListPage()
{
    QString error;
    const auto page =
        armparsers::parseVmListPage(testData(u"vmss-vm-list-instanceview.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->vms.size(), 2);
    const VmRecord &first = page->vms.at(0);
    QCOMPARE(first.name, u"pool-spot_0"_s);
    QCOMPARE(first.resourceGroup, u"rg-aks-nodes"_s);
    QCOMPARE(first.size, u"Standard_D4s_v5"_s); // from sku: instances have no hardwareProfile
    QCOMPARE(toString(first.powerState), toString(PowerState::Running));
    const VmRecord &second = page->vms.at(1);
    QCOMPARE(second.zone, u"2"_s);
    QCOMPARE(toString(second.powerState), toString(PowerState::Deallocated));
    QCOMPARE(second.resourceKey, second.resourceId.toLower());
    // The spec example: identity from the id alone.
    const auto spec = armparsers::parseVmListPage(
        testData(u"spec-VirtualMachineScaleSetVM_List_MinimumSet_Gen-2024-07-01.json"_s), &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(spec->vms.size(), 1);
    QCOMPARE(spec->vms.first().name, u"{vmss-name}_0"_s);
    QCOMPARE(spec->vms.first().location, u"westus"_s);
}

void TestArmParsers::instanceViewSpecExample()
{
    QString error;
    const auto state = armparsers::parseInstanceView(
        specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s), &error);
    QVERIFY2(state, qPrintable(error));
    // vmAgent and disks carry ProvisioningState codes too; only top-level statuses count.
    QCOMPARE(toString(*state), toString(PowerState::Running));
}

void TestArmParsers::instanceViewDeallocatedAndMissing()
{
    QString error;
    const QByteArray deallocated = R"({"statuses":[
        {"code":"ProvisioningState/succeeded","displayStatus":"Provisioning succeeded"},
        {"code":"PowerState/deallocated","displayStatus":"VM deallocated"}]})";
    QCOMPARE(toString(armparsers::parseInstanceView(deallocated, &error).value()),
             toString(PowerState::Deallocated));
    // Match on code, never displayStatus.
    const QByteArray misleading = R"({"statuses":[{"code":"PowerState/deallocating",
        "displayStatus":"VM running"}]})";
    QCOMPARE(toString(armparsers::parseInstanceView(misleading, &error).value()),
             toString(PowerState::Deallocating));
    QCOMPARE(toString(armparsers::parseInstanceView(R"({"statuses":[]})", &error).value()),
             toString(PowerState::Unknown));
    QVERIFY(!armparsers::parseInstanceView("<html/>", &error));
    QVERIFY(error.contains("instance view"_L1));
}

void TestArmParsers::listAllSpecExample()
{
    QString error;
    const auto page = armparsers::parseVmListPage(
        specBody(u"arm/spec-VirtualMachine_ListAll_MinimumSet_Gen-2024-07-01.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->vms.size(), 2);
    QCOMPARE(page->vms.first().location, u"eastus"_s);
    QCOMPARE(page->vms.first().name, u"{virtualMachineName}"_s);
    QVERIFY(page->nextLink.isEmpty());
}

void TestArmParsers::listFullPropertiesFromRecordedVm()
{
    // The recorded Spot VM GET body, wrapped as a one-item list page.
    const QByteArray vmBody = recordedSpotVmBody();
    QVERIFY(!vmBody.isEmpty());
    const QByteArray page = "{\"value\":[" + vmBody
        + "],\"nextLink\":\"https://management.azure.com/subscriptions/x/providers/"
          "Microsoft.Compute/virtualMachines?api-version=2024-07-01&$skiptoken=abc\"}";
    QString error;
    const auto parsed = armparsers::parseVmListPage(page, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->vms.size(), 1);
    const VmRecord &vm = parsed->vms.first();
    QCOMPARE(vm.name, u"vm7856"_s);
    QCOMPARE(vm.subscriptionId, u"e37510d7-33b6-4676-886f-ee75bcc01871"_s);
    QCOMPARE(vm.resourceGroup, u"crptestar13411"_s);
    QCOMPARE(vm.resourceKey, vm.resourceId.toLower());
    QCOMPARE(vm.priority, u"Spot"_s);
    QCOMPARE(vm.evictionPolicy, u"Deallocate"_s);
    QCOMPARE(vm.size, u"Standard_A1_v2"_s);
    QCOMPARE(vm.location, u"southeastasia"_s);
    QCOMPARE(vm.vmId, u"41f538db-9083-4147-90bd-d458fe9727bc"_s);
    QCOMPARE(vm.tags.value(u"testTag"_s), u"1"_s);
    QCOMPARE(vm.tags.size(), 4);
    QCOMPARE(parsed->nextLink.query(QUrl::FullyDecoded).contains("$skiptoken=abc"_L1), true);
}

void TestArmParsers::vmSettingsFromRecordedSpotVm()
{
    const QByteArray vmBody = recordedSpotVmBody();
    QVERIFY(!vmBody.isEmpty());
    QString error;
    const auto settings = armparsers::parseVmSettings(vmBody, &error);
    QVERIFY2(settings, qPrintable(error));
    QCOMPARE(settings->size, u"Standard_A1_v2"_s);
    QVERIFY(settings->maxPrice);
    QCOMPARE(*settings->maxPrice, -1.0); // the recorded Spot VM pays up to pay-as-you-go

    // A VM without a billing profile (not Spot) has no max price; a body without a size is
    // no VM.
    const auto regular = armparsers::parseVmSettings(
        R"({"properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"}}})", &error);
    QVERIFY(regular && !regular->maxPrice);
    QVERIFY(!armparsers::parseVmSettings(R"({"properties":{}})", &error));
    QVERIFY(error.contains("vmSize"_L1));
    QVERIFY(!armparsers::parseVmSettings("[]", &error));
}

void TestArmParsers::availableSizesSpecExample()
{
    QString error;
    const auto sizes = armparsers::parseVmSizes(
        specBody(u"arm/spec-VirtualMachine_ListAvailableVmSizes-2024-07-01.json"_s), &error);
    QVERIFY2(sizes, qPrintable(error));
    QCOMPARE(*sizes, (QStringList {u"Standard_A1_V2"_s, u"Standard_A2_V2"_s}));
    QVERIFY(!armparsers::parseVmSizes(R"({"values":[]})", &error));
}

void TestArmParsers::settingsPatchCarriesOnlyWhatChanges()
{
    const auto properties = [](const QByteArray &body) {
        return QJsonDocument::fromJson(body).object().value("properties"_L1).toObject();
    };
    const QJsonObject size =
        properties(armparsers::vmSettingsPatch({u"Standard_D4s_v5"_s, std::nullopt}));
    QCOMPARE(size.keys(), QStringList {u"hardwareProfile"_s});
    QCOMPARE(size.value("hardwareProfile"_L1).toObject().value("vmSize"_L1).toString(),
             u"Standard_D4s_v5"_s);
    const QJsonObject price = properties(armparsers::vmSettingsPatch({{}, 0.25}));
    QCOMPARE(price.keys(), QStringList {u"billingProfile"_s});
    QCOMPARE(price.value("billingProfile"_L1).toObject().value("maxPrice"_L1).toDouble(), 0.25);
}

void TestArmParsers::listStatusOnlyPowerState()
{
    const QByteArray page =
        R"({"value":[{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a",
        "name":"a","location":"eastus","zones":["2"],
        "properties":{"instanceView":{"statuses":[{"code":"ProvisioningState/succeeded"},
        {"code":"PowerState/deallocated"}]}}}]})";
    QString error;
    const auto parsed = armparsers::parseVmListPage(page, &error);
    QVERIFY(parsed);
    QCOMPARE(toString(parsed->vms.first().powerState), toString(PowerState::Deallocated));
    QCOMPARE(parsed->vms.first().zone, u"2"_s);
}

void TestArmParsers::listRejectsGarbage()
{
    QString error;
    QVERIFY(!armparsers::parseVmListPage(R"({"items":[]})", &error));
    QVERIFY(error.contains("value"_L1));
    QVERIFY(!armparsers::parseVmListPage("[]", &error));
}

void TestArmParsers::operationStatus()
{
    QString error;
    const auto inProgress = armparsers::parseOperationStatus(
        fixture(u"arm/asyncop-status-inprogress-doc.json"_s), &error);
    QVERIFY(inProgress);
    QCOMPARE(inProgress->state, armparsers::OperationStatus::State::InProgress);
    const auto failed = armparsers::parseOperationStatus(
        testData(u"asyncop-failed-allocation-nested.json"_s), &error);
    QVERIFY(failed);
    QCOMPARE(failed->state, armparsers::OperationStatus::State::Failed);
    QCOMPARE(failed->error.code, u"AllocationFailed"_s);
    QCOMPARE(failed->error.topCode, u"ResourceOperationFailure"_s);
    const auto canceled =
        armparsers::parseOperationStatus(testData(u"asyncop-canceled-preempted.json"_s), &error);
    QCOMPARE(canceled->state, armparsers::OperationStatus::State::Canceled);
    QCOMPARE(canceled->error.code, u"OperationPreempted"_s);
    QVERIFY(!armparsers::parseOperationStatus(R"({"name":"x"})", &error));
}

void TestArmParsers::activityLog()
{
    QString error;
    const auto page =
        armparsers::parseActivityLogPage(testData(u"activity-log-evict-spot.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QVERIFY2(page->decisive.evidence.contains("evictSpotVM/action Succeeded"_L1),
             qPrintable(page->decisive.evidence));
    QVERIFY(page->decisive.evidence.contains("op-evict"_L1));
    QCOMPARE(toString(page->decisive.kind), toString(EvidenceKind::Eviction));
    const auto none = armparsers::parseActivityLogPage(R"({"value":[]})", &error);
    QVERIFY(none && none->decisive.evidence.isEmpty());
    QCOMPARE(toString(none->decisive.kind), toString(EvidenceKind::None));
    // A start alone decides nothing.
    const auto started = armparsers::parseActivityLogPage(
        R"({"value":[{"caller":"bob","operationName":{"value":)"
        R"("Microsoft.Compute/virtualMachines/start/action"},"status":{"value":"Succeeded"},)"
        R"("eventTimestamp":"2026-01-01T00:00:00Z"}]})",
        &error);
    QVERIFY(started);
    QCOMPARE(toString(started->decisive.kind), toString(EvidenceKind::None));
}

void TestArmParsers::activityLogUserDeallocation()
{
    // The latest power operation decides: alice's deallocate after an older eviction; the
    // later powerOff failed and changed nothing; start is no evidence either way.
    QString error;
    const auto page =
        armparsers::parseActivityLogPage(testData(u"activity-log-user-deallocate.json"_s), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(toString(page->decisive.kind), toString(EvidenceKind::Deliberate));
    QCOMPARE(page->decisive.caller, u"alice@contoso.com"_s);
    QCOMPARE(page->decisive.operation, u"Microsoft.Compute/virtualMachines/deallocate/action"_s);
    QCOMPARE(page->decisive.at, QDateTime(QDate(2026, 1, 1), QTime(0, 21, 10), Qt::UTC));
    QVERIFY2(page->decisive.evidence.contains("deallocate/action Succeeded"_L1),
             qPrintable(page->decisive.evidence));
    // Delete and powerOff by a person are deliberate too; simulateEviction is an eviction.
    const struct
    {
        const char *operation;
        EvidenceKind kind;
    } rows[] = {
        {"Microsoft.Compute/virtualMachines/delete", EvidenceKind::Deliberate},
        {"Microsoft.Compute/virtualMachines/powerOff/action", EvidenceKind::Deliberate},
        {"Microsoft.Compute/virtualMachines/simulateEviction/action", EvidenceKind::Eviction},
        {"Microsoft.Compute/virtualMachines/restart/action", EvidenceKind::None},
    };
    for (const auto &row : rows) {
        const QByteArray body = R"({"value":[{"caller":"ci@contoso.com","operationName":{"value":")"
            + QByteArray(row.operation)
            + R"("},"status":{"value":"Accepted"},"eventTimestamp":"2026-01-01T00:00:00Z"}]})";
        const auto one = armparsers::parseActivityLogPage(body, &error);
        QVERIFY2(one, qPrintable(error));
        QCOMPARE(toString(one->decisive.kind), toString(row.kind));
    }
}

void TestArmParsers::tokenBucket()
{
    // The ARM request queue's buckets are the engine's RateBudget (one limiter, issue 12).
    RateBudget bucket(BudgetConfig {3, 2, 1'000}); // burst 3, 2 per second
    QVERIFY(bucket.tryTake(0));
    QVERIFY(bucket.tryTake(0));
    QVERIFY(bucket.tryTake(0));
    QVERIFY(!bucket.tryTake(0));
    QCOMPARE(bucket.msUntilAvailable(0), 500);
    QCOMPARE(bucket.msUntilAvailable(250), 250);
    QVERIFY(bucket.tryTake(500));
    QCOMPARE(bucket.available(10'000), 3); // never above burst
    bucket.clampTo(10'000, 1);
    QCOMPARE(bucket.available(10'000), 1);
    bucket.clampTo(10'000, 50); // never raised by the server's count
    QCOMPARE(bucket.available(10'000), 1);
    bucket.clampTo(10'000, 0);
    QCOMPARE(bucket.available(10'000), 0);
    QCOMPARE(bucket.msUntilAvailable(10'000), 500);
    // A refill lag postpones the refill after a burst starts, once; the burst's last token
    // waits for it too (conservative: never earlier than ARM's own bucket allows).
    RateBudget delayed(BudgetConfig {2, 10, 1'000}, 250);
    QVERIFY(delayed.tryTake(0));
    QCOMPARE(delayed.msUntilAvailable(0), 250);
    QVERIFY(!delayed.tryTake(200));
    QVERIFY(delayed.tryTake(250));
    QCOMPARE(delayed.msUntilAvailable(250), 100); // steady state: no further delay
    QVERIFY(delayed.tryTake(350));
    QCOMPARE(delayed.msUntilAvailable(350), 100);
    // The jitter reserve. ARM starts a burst's clock when its first request arrives, the
    // queue when it sends it: a burst held up on its way (a busy host, connection setup) by
    // more than the refill lag, followed by requests that are not, must still fit ARM's bucket.
    const auto refusedOnArrival = [](qint64 reserveMs) {
        const ArmBudgets budgets;
        RateBudget client(budgets.subscriptionWrites, budgets.refillLagMs, reserveMs);
        RateBudget arm(budgets.subscriptionWrites);
        QList<qint64> arrivals;
        for (qint64 now = 0; arrivals.size() < 400; now += 10) {
            while (arrivals.size() < 400 && client.tryTake(now)) { // one connection: in order
                const qint64 sent = now + (now == 0 ? 600 : 20);
                arrivals.append(arrivals.isEmpty() ? sent : std::max(arrivals.last(), sent));
            }
        }
        int refused = 0;
        for (const qint64 at : arrivals)
            refused += arm.tryTake(at) ? 0 : 1;
        return refused;
    };
    QVERIFY(refusedOnArrival(0) > 0);
    QCOMPARE(refusedOnArrival(ArmBudgets().jitterReserveMs), 0);
    RateBudget reserved(BudgetConfig {10, 10, 1'000}, 0, 300); // 3 tokens kept back
    for (int i = 0; i < 7; ++i)
        QVERIFY(reserved.tryTake(0));
    QVERIFY(!reserved.tryTake(0));
    QCOMPARE(reserved.msUntilAvailable(0), 100);

    RateBudget starts(ArmBudgets().vmStarts);
    for (int i = 0; i < 12; ++i)
        QVERIFY(starts.tryTake(0));
    QCOMPARE(starts.msUntilAvailable(0), 15'000); // 4 per minute
}

QTEST_GUILESS_MAIN(TestArmParsers)
#include "tst_armparsers.moc"
