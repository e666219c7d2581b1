// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armcloudprovider.h"
#include "base/clock.h"
#include "support/azure/azuretestsupport.h"
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;
using azuretest::specBody;
using azuretest::testData;
using testsupport::FakeHttpServer;

namespace {
const QString kTenant = u"72f988bf-86f1-41af-91ab-2d7cd011db47"_s;
const QString kClientId = u"4a1aa1d5-c567-49d0-ad0b-cd957a47f842"_s;
const QString kSecret = u"Sup3r~Secret+Value/xyz="_s;
const QByteArray kToken = "eyJTOKEN.never-log-me.signature-0123456789";
const QString kSub = u"24fb23e3-6ba3-41f0-9b6e-e41131d5d61e"_s;
const QString kVm = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                    "crptestar62841/providers/Microsoft.Compute/virtualMachines/vm719"_s;

template<typename T>
struct Waiter
{
    std::optional<T> value;
    std::function<void(T)> callback()
    {
        return [this](T v) {
            value = std::move(v);
        };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return value.has_value(); }, 10'000);
    }
};

const QString kScaleSet = u"/subscriptions/24fb23e3-6ba3-41f0-9b6e-e41131d5d61e/resourceGroups/"
                          "rg-aks-nodes/providers/Microsoft.Compute/virtualMachineScaleSets/"
                          "pool-spot"_s;

// A uniform instance as the listener files it from an agent (resourceId from IMDS).
VmRecord instanceRecord(const QString &scaleSetId, int instance)
{
    VmRecord vm;
    vm.resourceId = scaleSetId + u"/virtualMachines/"_s + QString::number(instance);
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = kSub;
    vm.resourceGroup = u"rg-aks-nodes"_s;
    vm.name = u"pool-spot_"_s + QString::number(instance);
    return vm;
}

http::Response acceptedWith(const QUrl &asyncUrl)
{
    http::Response accepted;
    accepted.status = 202;
    accepted.headers.append(
        qMakePair(QByteArray("Azure-AsyncOperation"), asyncUrl.toString().toLatin1()));
    return accepted;
}

VmRecord vmRecord()
{
    VmRecord vm;
    vm.subscriptionId = kSub;
    vm.resourceGroup = u"crptestar62841"_s;
    vm.name = u"vm719"_s;
    return vm; // resourceId left empty on purpose: rebuilt from the parts
}
} // namespace

// ArmCloudProvider wired from the environment, end to end against fake Entra ID and ARM.
class TestArmCloudProvider : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void configDefaults();
    void configFromEnvironment();
    void managedIdentitySwitch_data();
    void managedIdentitySwitch();
    void configRejectsBadValues_data();
    void configRejectsBadValues();
    void endToEndFromEnvironment();
    void startProgressThenResume();
    void scaleSetInstancePowerAndStart();
    void scaleSetStartsAreBatched();
    void scaleSetStartsWaitForTheUnansweredCall();
    void listVmsAddsSpotUniformInstances();
    void listVmsFailsWhenScaleSetsCannotBeListed();
    void secretsNeverReachLogsOrErrors();

private:
    void routeScaleSetListing(); // token, the VM list and vmss-list-all.json
    QProcessEnvironment environment() const;
    ArmCloudProvider *makeProvider(const base::Clock &clock = base::systemClock());

    std::unique_ptr<FakeHttpServer> m_entra;
    std::unique_ptr<FakeHttpServer> m_arm;
    std::unique_ptr<ArmCloudProvider> m_provider;
    int m_startWindowMs = 0; // scale set start coalescing: only one event-loop pass
};

void TestArmCloudProvider::init()
{
    m_entra = std::make_unique<FakeHttpServer>();
    m_arm = std::make_unique<FakeHttpServer>();
    QVERIFY(m_entra->start());
    QVERIFY(m_arm->start());
}

void TestArmCloudProvider::cleanup()
{
    m_provider.reset();
    m_arm.reset();
    m_entra.reset();
}

QProcessEnvironment TestArmCloudProvider::environment() const
{
    QProcessEnvironment env;
    env.insert(u"AZURE_TENANT_ID"_s, kTenant);
    env.insert(u"AZURE_CLIENT_ID"_s, kClientId);
    env.insert(u"AZURE_CLIENT_SECRET"_s, kSecret);
    env.insert(u"AZURE_AUTHORITY_HOST"_s, m_entra->baseUrl().toString());
    env.insert(u"SPOTKEEPER_ARM_URL"_s, m_arm->baseUrl().toString());
    env.insert(u"SPOTKEEPER_AZ_PROGRAM"_s, u"/nonexistent/az"_s);
    return env;
}

ArmCloudProvider *TestArmCloudProvider::makeProvider(const base::Clock &clock)
{
    const QProcessEnvironment env = environment();
    AzureConfig config;
    config.arm.maxPollIntervalMs = 20;
    config.arm.scaleSetStartWindowMs = m_startWindowMs;
    config.credentials.excludeManagedIdentity = true;
    const QString error = azureConfigFromEnvironment(env, &config);
    if (!error.isEmpty())
        qWarning("config: %s", qPrintable(error));
    m_provider.reset(ArmCloudProvider::create(config, env, clock));
    return m_provider.get();
}

void TestArmCloudProvider::configDefaults()
{
    AzureConfig config;
    QCOMPARE(azureConfigFromEnvironment(QProcessEnvironment(), &config), QString());
    QCOMPARE(config.cloud.name, u"AzureCloud"_s);
    QCOMPARE(config.arm.armUrl, QUrl(u"https://management.azure.com/"_s));
    QCOMPARE(config.arm.apiVersion, u"2024-07-01"_s);
    QCOMPARE(config.arm.budgets.subscriptionReads.burst, 250);
    QCOMPARE(config.arm.budgets.subscriptionReads.refill, 25);
    QCOMPARE(config.arm.budgets.subscriptionWrites.burst, 200);
    QCOMPARE(config.arm.budgets.subscriptionWrites.refill, 10);
    QCOMPARE(config.arm.budgets.vmStarts.burst, 12);
}

void TestArmCloudProvider::configFromEnvironment()
{
    QProcessEnvironment env;
    env.insert(u"AZURE_CLOUD"_s, u"azureusgovernment"_s);
    env.insert(u"SPOTKEEPER_ARM_API_VERSION"_s, u"2025-04-01"_s);
    env.insert(u"SPOTKEEPER_IMDS_URL"_s, u"http://127.0.0.1:9"_s);
    env.insert(u"SPOTKEEPER_MANAGED_IDENTITY_CLIENT_ID"_s, u"mi-1"_s);
    AzureConfig config;
    QCOMPARE(azureConfigFromEnvironment(env, &config), QString());
    QCOMPARE(config.cloud.name, u"AzureUSGovernment"_s);
    QCOMPARE(config.arm.armUrl, QUrl(u"https://management.usgovcloudapi.net/"_s));
    QCOMPARE(config.cloud.authorityHost, QUrl(u"https://login.microsoftonline.us"_s));
    QCOMPARE(config.arm.apiVersion, u"2025-04-01"_s);
    QCOMPARE(config.credentials.imdsEndpoint, QUrl(u"http://127.0.0.1:9"_s));
    QCOMPARE(config.credentials.managedIdentityClientId, u"mi-1"_s);
    env.insert(u"SPOTKEEPER_ARM_URL"_s, u"http://127.0.0.1:1234/"_s);
    QCOMPARE(azureConfigFromEnvironment(env, &config), QString());
    QCOMPARE(config.arm.armUrl, QUrl(u"http://127.0.0.1:1234/"_s));
}

void TestArmCloudProvider::managedIdentitySwitch_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("excluded");
    // The one yes/no spelling of base::parseBool, in any case.
    QTest::newRow("off") << u"off"_s << true;
    QTest::newRow("0") << u"0"_s << true;
    QTest::newRow("false") << u"False"_s << true;
    QTest::newRow("no") << u" NO "_s << true;
    QTest::newRow("on") << u"ON"_s << false;
    QTest::newRow("1") << u"1"_s << false;
    QTest::newRow("true") << u"true"_s << false;
    QTest::newRow("yes") << u"yes"_s << false;
}

void TestArmCloudProvider::managedIdentitySwitch()
{
    QFETCH(QString, value);
    QFETCH(bool, excluded);
    QProcessEnvironment env;
    env.insert(u"SPOTKEEPER_MANAGED_IDENTITY"_s, value);
    AzureConfig config;
    config.credentials.excludeManagedIdentity = !excluded;
    QCOMPARE(azureConfigFromEnvironment(env, &config), QString());
    QCOMPARE(config.credentials.excludeManagedIdentity, excluded);
}

void TestArmCloudProvider::configRejectsBadValues_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::newRow("cloud") << u"AZURE_CLOUD"_s << u"AzureGermanCloud"_s;
    QTest::newRow("arm url") << u"SPOTKEEPER_ARM_URL"_s << u"not a url"_s;
    QTest::newRow("authority") << u"AZURE_AUTHORITY_HOST"_s << u"login.microsoftonline.com"_s;
    QTest::newRow("api version") << u"SPOTKEEPER_ARM_API_VERSION"_s << u"latest"_s;
    QTest::newRow("imds https") << u"SPOTKEEPER_IMDS_URL"_s << u"https://169.254.169.254"_s;
    QTest::newRow("managed identity") << u"SPOTKEEPER_MANAGED_IDENTITY"_s << u"maybe"_s;
}

void TestArmCloudProvider::configRejectsBadValues()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QProcessEnvironment env;
    env.insert(variable, value);
    AzureConfig config;
    const QString error = azureConfigFromEnvironment(env, &config);
    QVERIFY(!error.isEmpty());
    const QString expectedName = variable == "AZURE_CLOUD"_L1 ? u"Azure cloud"_s : variable;
    QVERIFY2(error.contains(expectedName), qPrintable(error));
    QCOMPARE(config.arm.armUrl, QUrl(u"https://management.azure.com/"_s)); // unchanged
}

void TestArmCloudProvider::endToEndFromEnvironment()
{
    m_entra->route("POST", "/" + kTenant.toLatin1() + "/oauth2/v2.0/token")
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    m_arm->route("GET", kVm.toLatin1() + "/instanceView")
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s));
    m_arm
        ->route("GET",
                "/subscriptions/" + kSub.toLatin1()
                    + "/providers/Microsoft.Compute/virtualMachines")
        .respond(200,
                 specBody(u"arm/spec-VirtualMachine_ListAll_MinimumSet_Gen-2024-07-01.json"_s));
    m_arm
        ->route("GET",
                "/subscriptions/" + kSub.toLatin1()
                    + "/providers/Microsoft.Compute/virtualMachineScaleSets")
        .respond(200, R"({"value":[]})");
    ArmCloudProvider *provider = makeProvider();
    QCOMPARE(provider->name(), u"azure"_s);
    Waiter<PowerStateResult> power;
    provider->powerState(vmRecord(), power.callback());
    QVERIFY(power.wait());
    QVERIFY2(power.value->call.ok(), qPrintable(power.value->call.errorMessage));
    QCOMPARE(toString(power.value->state), toString(PowerState::Running));
    QCOMPARE(m_arm->last().header("Authorization"), QByteArray("Bearer access_token"));
    QCOMPARE(provider->credentialStatus(),
             u"environment: client %1 in tenant %2"_s.arg(kClientId, kTenant));
    Waiter<ListResult> list;
    provider->listVms(kSub, true, list.callback());
    QVERIFY(list.wait());
    QCOMPARE(list.value->vms.size(), 2);
    QCOMPARE(m_entra->count(), 1); // token cached across calls
}

void TestArmCloudProvider::startProgressThenResume()
{
    m_entra->route("POST", "/" + kTenant.toLatin1() + "/oauth2/v2.0/token")
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    const QByteArray opPath = "/subscriptions/" + kSub.toLatin1()
        + "/providers/Microsoft.Compute/locations/southeastasia/operations/op-1";
    http::Response accepted;
    accepted.status = 202;
    accepted.headers.append(
        qMakePair(QByteArray("Azure-AsyncOperation"),
                  m_arm->url(QString::fromLatin1(opPath) + u"?api-version=2024-07-01"_s)
                      .toString()
                      .toLatin1()));
    accepted.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("10")));
    m_arm->route("POST", kVm.toLatin1() + "/start").respond(accepted);
    // The op stays InProgress until the test lets it finish, like a process killed mid-start.
    bool finish = false;
    m_arm->route("GET", opPath).respondWith([&](const testsupport::RecordedRequest &) {
        return http::Response::json(200,
                                    finish ? R"({"status":"Succeeded","name":"op-1"})"
                                           : R"({"status":"InProgress","name":"op-1"})");
    });
    ArmCloudProvider *provider = makeProvider();
    QString persisted;
    Waiter<StartResult> first;
    provider->start(
        vmRecord(), [&](const QString &url) { persisted = url; }, first.callback());
    QVERIFY(QTest::qWaitFor([&] { return !persisted.isEmpty(); }));
    QVERIFY(!first.value.has_value()); // progress came before completion
    QVERIFY(QTest::qWaitFor([&] { return m_arm->count("GET", opPath) >= 1; }));
    // A second provider (after a restart) resumes from the persisted URL; deleting the
    // first abandons its follow, as a killed process would.
    m_provider.reset();
    ArmCloudProvider *resumed = makeProvider();
    finish = true;
    Waiter<StartResult> second;
    resumed->resumeStart(vmRecord(), persisted, second.callback());
    QVERIFY(second.wait());
    QVERIFY2(second.value->call.ok(), qPrintable(second.value->call.errorMessage));
    QVERIFY(second.value->finished);
    QCOMPARE(second.value->asyncOperationUrl, persisted);
    QCOMPARE(m_arm->count("POST", kVm.toLatin1() + "/start"), 1); // never started twice
}

void TestArmCloudProvider::scaleSetInstancePowerAndStart()
{
    // Before scale sets were understood, both calls failed with InvalidResourceId and the
    // engine handed every evicted instance to an operator.
    m_entra->route("POST", "/" + kTenant.toLatin1() + "/oauth2/v2.0/token")
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    const VmRecord vm = instanceRecord(kScaleSet, 3);
    m_arm->route("GET", vm.resourceId.toLatin1() + "/instanceView")
        .respond(200, R"({"statuses":[{"code":"ProvisioningState/succeeded"},
                                      {"code":"PowerState/deallocated"}]})");
    const QByteArray opPath = "/subscriptions/" + kSub.toLatin1()
        + "/providers/Microsoft.Compute/locations/westeurope/operations/op-3";
    m_arm->route("POST", vm.resourceId.toLatin1() + "/start")
        .respond(acceptedWith(m_arm->url(QString::fromLatin1(opPath) + u"?api-version=1"_s)));
    m_arm->route("GET", opPath).respond(200, R"({"status":"Succeeded","name":"op-3"})");
    ArmCloudProvider *provider = makeProvider();
    Waiter<PowerStateResult> power;
    provider->powerState(vm, power.callback());
    QVERIFY(power.wait());
    QVERIFY2(power.value->call.ok(), qPrintable(power.value->call.errorMessage));
    QCOMPARE(toString(power.value->state), toString(PowerState::Deallocated));
    Waiter<StartResult> started;
    QString progress;
    provider->start(
        vm, [&](const QString &url) { progress = url; }, started.callback());
    QVERIFY(started.wait());
    QVERIFY2(started.value->call.ok(), qPrintable(started.value->call.errorMessage));
    QVERIFY(started.value->finished);
    QVERIFY(progress.contains("op-3"_L1));
    // A lone instance uses its own start, not the scale set's.
    QCOMPARE(m_arm->count("POST", vm.resourceId.toLatin1() + "/start"), 1);
    QCOMPARE(m_arm->count("POST", kScaleSet.toLatin1() + "/start"), 0);
}

void TestArmCloudProvider::scaleSetStartsAreBatched()
{
    m_entra->route("POST", "/" + kTenant.toLatin1() + "/oauth2/v2.0/token")
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    const QString otherSet = u"/subscriptions/%1/resourceGroups/rg-b/providers/"
                             "Microsoft.Compute/virtualMachineScaleSets/pool-b"_s.arg(kSub);
    const QByteArray opPath = "/subscriptions/" + kSub.toLatin1()
        + "/providers/Microsoft.Compute/locations/westeurope/operations/op-batch";
    const QUrl opUrl = m_arm->url(QString::fromLatin1(opPath) + u"?api-version=1"_s);
    m_arm->route("POST", kScaleSet.toLatin1() + "/start").respond(acceptedWith(opUrl));
    m_arm->route("POST", otherSet.toLatin1() + "/virtualMachines/7/start")
        .respond(acceptedWith(opUrl));
    m_arm->route("GET", opPath).respond(200, R"({"status":"Succeeded","name":"op-batch"})");
    ArmCloudProvider *provider = makeProvider();
    // A storm: three instances of one scale set and one of another, asked for together.
    std::vector<std::unique_ptr<Waiter<StartResult>>> done;
    QStringList progress;
    const QList<VmRecord> vms {instanceRecord(kScaleSet, 1), instanceRecord(kScaleSet, 2),
                               instanceRecord(kScaleSet, 5), instanceRecord(otherSet, 7)};
    for (const VmRecord &vm : vms) {
        done.push_back(std::make_unique<Waiter<StartResult>>());
        provider->start(
            vm, [&](const QString &url) { progress << url; }, done.back()->callback());
    }
    for (auto &waiter : done) {
        QVERIFY(waiter->wait());
        QVERIFY2(waiter->value->call.ok(), qPrintable(waiter->value->call.errorMessage));
        QVERIFY(waiter->value->finished);
        QCOMPARE(waiter->value->asyncOperationUrl, opUrl.toString());
    }
    QCOMPARE(progress.size(), 4); // every job can persist the URL it shares
    const QList<testsupport::RecordedRequest> batch =
        m_arm->requests("POST", kScaleSet.toLatin1() + "/start");
    QCOMPARE(batch.size(), 1); // one call for the three
    QCOMPARE(batch.first().json().object().value("instanceIds"_L1).toArray(),
             (QJsonArray {u"1"_s, u"2"_s, u"5"_s}));
    QCOMPARE(batch.first().header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(m_arm->count("POST", otherSet.toLatin1() + "/virtualMachines/7/start"), 1);
    for (int i : {1, 2, 5})
        QCOMPARE(
            m_arm->count("POST", (kScaleSet + u"/virtualMachines/%1/start"_s.arg(i)).toLatin1()),
            0);
}

void TestArmCloudProvider::routeScaleSetListing()
{
    m_entra->route("POST", "/" + kTenant.toLatin1() + "/oauth2/v2.0/token")
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    const QByteArray subPath = "/subscriptions/" + kSub.toLatin1() + "/providers/Microsoft.Compute";
    m_arm->route("GET", subPath + "/virtualMachines")
        .respond(200,
                 specBody(u"arm/spec-VirtualMachine_ListAll_MinimumSet_Gen-2024-07-01.json"_s));
    m_arm->route("GET", subPath + "/virtualMachineScaleSets")
        .respond(200, testData(u"vmss-list-all.json"_s));
}

void TestArmCloudProvider::scaleSetStartsWaitForTheUnansweredCall()
{
    m_entra->route("POST", "/" + kTenant.toLatin1() + "/oauth2/v2.0/token")
        .respondFixture(200, u"entra/token-v2-client-credentials-response-recorded.json"_s);
    const QByteArray opPath = "/subscriptions/" + kSub.toLatin1()
        + "/providers/Microsoft.Compute/locations/westeurope/operations/op-w";
    const QUrl opUrl = m_arm->url(QString::fromLatin1(opPath) + u"?api-version=1"_s);
    // The first start's POST is held (as ARM's queue or the client's budget would hold it).
    std::shared_ptr<http::Responder> held;
    m_arm->route("POST", (kScaleSet + u"/virtualMachines/1/start"_s).toLatin1())
        .respondAsync([&](const testsupport::RecordedRequest &,
                          std::shared_ptr<http::Responder> responder) { held = responder; });
    m_arm->route("POST", kScaleSet.toLatin1() + "/start").respond(acceptedWith(opUrl));
    m_arm->route("GET", opPath).respond(200, R"({"status":"Succeeded","name":"op-w"})");
    ArmCloudProvider *provider = makeProvider();
    Waiter<StartResult> first;
    provider->start(instanceRecord(kScaleSet, 1), {}, first.callback());
    QVERIFY(QTest::qWaitFor([&] { return held != nullptr; }, 10'000));
    // Asked for later, in separate passes: they must not go out while the first is unanswered.
    std::vector<std::unique_ptr<Waiter<StartResult>>> later;
    for (int instance : {2, 3, 4}) {
        later.push_back(std::make_unique<Waiter<StartResult>>());
        provider->start(instanceRecord(kScaleSet, instance), {}, later.back()->callback());
        QTest::qWait(20); // no assertion on time: only lets the window timers fire
    }
    QCOMPARE(m_arm->count("POST", kScaleSet.toLatin1() + "/start"), 0);
    held->send(acceptedWith(opUrl));
    for (auto &waiter : later) {
        QVERIFY(waiter->wait());
        QVERIFY2(waiter->value->call.ok(), qPrintable(waiter->value->call.errorMessage));
    }
    QVERIFY(first.wait());
    const QList<testsupport::RecordedRequest> batch =
        m_arm->requests("POST", kScaleSet.toLatin1() + "/start");
    QCOMPARE(batch.size(), 1);
    QCOMPARE(batch.first().json().object().value("instanceIds"_L1).toArray(),
             (QJsonArray {u"2"_s, u"3"_s, u"4"_s}));
}

void TestArmCloudProvider::listVmsAddsSpotUniformInstances()
{
    routeScaleSetListing();
    m_arm->route("GET", kScaleSet.toLatin1() + "/virtualMachines")
        .respond(200, testData(u"vmss-vm-list-instanceview.json"_s));
    ArmCloudProvider *provider = makeProvider();
    for (const bool statusOnly : {true, false}) {
        Waiter<ListResult> list;
        provider->listVms(kSub, statusOnly, list.callback());
        QVERIFY(list.wait());
        QVERIFY2(list.value->call.ok(), qPrintable(list.value->call.errorMessage));
        QCOMPARE(list.value->vms.size(), 4); // two VMs, two instances of the Spot uniform set
        QCOMPARE(list.value->pages, 3);
        const VmRecord &instance = list.value->vms.at(2);
        QCOMPARE(instance.resourceId, kScaleSet + u"/virtualMachines/0"_s);
        QCOMPARE(instance.name, u"pool-spot_0"_s);
        QCOMPARE(instance.priority, u"Spot"_s); // the scale set's profile
        QCOMPARE(instance.evictionPolicy, u"Deallocate"_s);
        // The scale set's opt-in wins over the instance's stale copy; other tags are added.
        QCOMPARE(instance.tags.value(u"spotkeeper:auto-restart"_s), u"true"_s);
        QCOMPARE(instance.tags.value(u"team"_s), u"batch"_s);
        QCOMPARE(toString(list.value->vms.at(3).powerState), toString(PowerState::Deallocated));
        const testsupport::RecordedRequest last = m_arm->last();
        QCOMPARE(last.path, kScaleSet.toLatin1() + "/virtualMachines");
        QCOMPARE(last.queryItem(u"$expand"_s), statusOnly ? u"instanceView"_s : QString());
    }
    // Neither the Regular nor the Flexible scale set had its instances listed.
    for (const QRegularExpression &skipped : {QRegularExpression(u"pool-regular/virtualMachines"_s),
                                              QRegularExpression(u"flex-spot/virtualMachines"_s)}) {
        for (const testsupport::RecordedRequest &r : m_arm->requests())
            QVERIFY2(!skipped.match(QString::fromLatin1(r.path)).hasMatch(), r.path.constData());
    }
}

void TestArmCloudProvider::listVmsFailsWhenScaleSetsCannotBeListed()
{
    // A list without the instances would make the reconciler think they were deleted.
    routeScaleSetListing();
    m_arm->route("GET", kScaleSet.toLatin1() + "/virtualMachines")
        .respond(403, testData(u"error-authorization-failed.json"_s));
    ArmCloudProvider *provider = makeProvider();
    Waiter<ListResult> list;
    provider->listVms(kSub, true, list.callback());
    QVERIFY(list.wait());
    QVERIFY(!list.value->call.ok());
    QCOMPARE(toString(list.value->call.failure), toString(FailureClass::Authorization));
}

void TestArmCloudProvider::secretsNeverReachLogsOrErrors()
{
    azuretest::LogCapture capture;
    QStringList messages;
    const QByteArray tokenPath = "/" + kTenant.toLatin1() + "/oauth2/v2.0/token";
    // 1. Failing flow: Entra rejects the secret.
    m_entra->route("POST", tokenPath)
        .respond(
            401,
            R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]})");
    {
        ArmCloudProvider *provider = makeProvider();
        Waiter<PowerStateResult> w;
        provider->powerState(vmRecord(), w.callback());
        QVERIFY(w.wait());
        QCOMPARE(toString(w.value->call.failure), toString(FailureClass::Authorization));
        QVERIFY(w.value->call.errorMessage.contains("AADSTS7000215"_L1));
        messages << w.value->call.errorMessage << provider->credentialStatus();
        QCOMPARE(m_arm->count(), 0);
    }
    // 2. Succeeding flow with a token refresh after an ARM 401.
    m_entra->clearRoutes();
    m_entra->route("POST", tokenPath)
        .respond(200,
                 R"({"token_type":"Bearer","expires_in":3599,"access_token":")" + kToken + R"("})");
    m_arm->route("GET", kVm.toLatin1() + "/instanceView")
        .enqueue(401, testData(u"error-expired-token.json"_s))
        .respond(200, specBody(u"arm/spec-VirtualMachine_Get_InstanceView-2024-07-01.json"_s));
    {
        ArmCloudProvider *provider = makeProvider();
        Waiter<PowerStateResult> w;
        provider->powerState(vmRecord(), w.callback());
        QVERIFY(w.wait());
        QVERIFY2(w.value->call.ok(), qPrintable(w.value->call.errorMessage));
        QCOMPARE(m_arm->last().header("Authorization"), "Bearer " + kToken); // it was used
        messages << provider->credentialStatus();
    }
    const QStringList lines = capture.lines() + messages;
    // The capture saw the flows (the test cannot pass on an empty log).
    QVERIFY(lines.join(u'\n').contains("Azure token request failed"_L1));
    QVERIFY(lines.join(u'\n').contains("Azure credential in use: environment"_L1));
    QVERIFY(lines.join(u'\n').contains("401"_L1));
    const QStringList forbidden {kSecret, QString::fromLatin1(QUrl::toPercentEncoding(kSecret)),
                                 QString::fromLatin1(kToken)};
    for (const QString &line : lines) {
        for (const QString &secret : forbidden)
            QVERIFY2(!line.contains(secret), qPrintable(u"leaked in: "_s + line.left(200)));
    }
}

QTEST_GUILESS_MAIN(TestArmCloudProvider)
#include "tst_armcloudprovider.moc"
