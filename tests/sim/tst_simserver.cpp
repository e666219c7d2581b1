// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's HTTP front spoken to by the real Azure client (ClientSecretCredential,
// ArmCloudProvider) and by a plain HTTP client for IMDS, auth and control routes.
#include "azure/armcloudprovider.h"
#include "azure/clientsecretcredential.h"
#include "azure/spotriskrefresher.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"
#include "support/base/manualclock.h"
#include "support/http/testhttpclient.h"
#include "support/store/storetestutil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

const QString kSub = u"00000000-0000-4000-8000-000000000001"_s;
const QString kTenant = u"00000000-0000-4000-8000-0000000051a1"_s;

struct Rig
{
    testsupport::ManualClock simClock;
    FleetModel model {simClock, 5};
    SimServer server {model, base::systemClock()};
    QNetworkAccessManager network;
    core::ArmCloudProvider *provider = nullptr;

    explicit Rig(int vms, int pageSize = 50)
    {
        server.options().pageSize = pageSize;
        server.options().startRetryAfterSeconds = 1;
        server.options().pollRetryAfterSeconds = 1;
        for (int i = 0; i < vms; ++i) {
            SimVm vm;
            vm.subscriptionId = kSub;
            vm.resourceGroup = u"rg"_s;
            vm.name = u"vm%1"_s.arg(i);
            vm.location = u"eastus"_s;
            vm.size = u"Standard_D2s_v5"_s;
            vm.tags.insert(u"spotkeeper:auto-restart"_s, u"true"_s);
            model.addVm(vm);
        }
        QString error;
        if (!server.listen(0, &error))
            qFatal("listen: %s", qPrintable(error));
        provider = makeProvider(server.options().clientSecret, true);
    }
    ~Rig() { delete provider; }
    Rig(const Rig &) = delete;
    Rig &operator=(const Rig &) = delete;
    Rig(Rig &&) = delete;
    Rig &operator=(Rig &&) = delete;

    QString url(const QString &path) const { return server.baseUrl() + path; }

    core::ArmCloudProvider *makeProvider(const QByteArray &secret, bool clientBudgets)
    {
        const QUrl base(server.baseUrl() + u"/"_s);
        const auto cloud = core::AzureCloud::custom(base, base, u"https://management.azure.com/"_s);
        auto *credential = new core::ClientSecretCredential(
            kTenant, server.options().clientId, secret, cloud, &network, base::systemClock());
        core::ArmClientOptions options;
        options.armUrl = base;
        options.budgets.enabled = clientBudgets;
        return new core::ArmCloudProvider(credential, options, base::systemClock());
    }

    core::VmRecord record(int index) const
    {
        core::VmRecord vm;
        vm.resourceId = model.vm(index).resourceId();
        vm.resourceKey = vm.resourceId.toLower();
        return vm;
    }
};

} // namespace

class TestSimServer : public QObject
{
    Q_OBJECT

private slots:
    // The Spot risk Azure publishes, read from the simulator's Resource Graph by the
    // SpotRiskRefresher through the ARM queue with the operator's credential, paged by
    // $skipToken (a page of one row here), and cached in the store with its date.
    void spotRiskFromResourceGraph()
    {
        Rig rig(2, 1);
        SimVm other;
        other.subscriptionId = kSub;
        other.resourceGroup = u"rg"_s;
        other.name = u"vm-we"_s;
        other.location = u"westeurope"_s;
        other.size = u"Standard_D4s_v5"_s;
        rig.model.addVm(other);
        QTemporaryDir dir;
        testsupport::ManualClock clock;
        clock.set(QDateTime(QDate(2026, 12, 1), QTime(6, 0), Qt::UTC));
        auto store =
            core::testutil::openStore(core::testutil::options(dir.filePath(u"store.db"_s)), clock);
        QVERIFY(store);
        for (int i = 0; i < rig.model.vmCount(); ++i) {
            core::VmRecord vm = rig.record(i);
            vm.location = rig.model.vm(i).location;
            vm.size = rig.model.vm(i).size;
            vm.priority = u"Spot"_s;
            QVERIFY(store->upsertVm(vm) > 0);
        }
        core::SpotRiskRefresher refresher(*store, clock, *rig.provider->client()->queue(),
                                          QUrl(rig.server.baseUrl() + u"/"_s));
        QSignalSpy refreshed(&refresher, &core::SpotRiskRefresher::refreshed);
        QSignalSpy failed(&refresher, &core::SpotRiskRefresher::refreshFailed);
        QVERIFY(refresher.checkNow());
        QVERIFY(refresher.isBusy());
        QVERIFY(QTest::qWaitFor([&] { return !refreshed.isEmpty() || !failed.isEmpty(); }, 60'000));
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        // Regions eastus and westeurope x sizes D2s_v5 and D4s_v5: 4 band rows and 8 price
        // history rows (Linux and Windows), one per page: 4 + 8 requests; 3 points per row.
        QCOMPARE(refreshed.at(0).at(0).toInt(), 4);
        QCOMPARE(refreshed.at(0).at(1).toInt(), 24);
        QCOMPARE(refreshed.at(0).at(2).toInt(), 12);
        const QList<core::EvictionBand> bands = store->evictionBands();
        QCOMPARE(bands.size(), 4);
        QCOMPARE(bands.at(0).region, u"eastus"_s);
        QCOMPARE(bands.at(0).size, u"standard_d2s_v5"_s);
        QCOMPARE(bands.at(0).fetchedAt, clock.nowUtc());
        const QList<core::SpotPricePoint> history = store->spotPriceHistory();
        QCOMPARE(history.size(), 24);
        QVERIFY(history.at(0).perHourUsd > 0);
        // Sorted by region, size, OS: the Windows Spot price of a size is above its Linux one.
        QVERIFY(history.at(0).os == core::PriceOs::Linux);
        QVERIFY(history.at(3).os == core::PriceOs::Windows);
        QVERIFY(history.at(3).perHourUsd > history.at(0).perHourUsd);
        // Fresh for a day: the next check reads nothing.
        clock.set(clock.nowUtc().addSecs(3600));
        QVERIFY(refresher.checkNow());
        QVERIFY(!refresher.isBusy());
    }

    void scaleSetInstancesWithTheRealClient()
    {
        Rig rig(2);
        SimScaleSet set;
        set.subscriptionId = kSub;
        set.resourceGroup = u"rg"_s;
        set.name = u"pool"_s;
        set.location = u"eastus"_s;
        set.size = u"Standard_D2s_v5"_s;
        set.tags.insert(u"spotkeeper:auto-restart"_s, u"true"_s);
        QVERIFY(rig.model.addScaleSet(set) >= 0);
        QList<int> instances;
        for (int i = 0; i < 3; ++i) {
            SimVm vm;
            vm.subscriptionId = kSub;
            vm.resourceGroup = u"rg"_s;
            vm.scaleSet = u"pool"_s;
            vm.instanceId = QString::number(i);
            instances.append(rig.model.addVm(vm));
            QVERIFY(instances.last() >= 0);
        }
        QCOMPARE(rig.model.vm(instances.at(2)).name, u"pool_2"_s);
        QVERIFY(rig.model.evict(instances.at(0), false));
        QVERIFY(rig.model.evict(instances.at(2), false));
        rig.simClock.advanceMSecs(rig.model.timings().deallocatingMs);

        // The listing: two VMs, then the scale set's instances with its tags.
        std::optional<core::ListResult> listed;
        rig.provider->listVms(kSub, true, [&](const core::ListResult &r) { listed = r; });
        QTRY_VERIFY_WITH_TIMEOUT(listed.has_value(), 15'000);
        QVERIFY2(listed->call.ok(), qPrintable(listed->call.errorMessage));
        QCOMPARE(listed->vms.size(), 5);
        QCOMPARE(listed->vms.at(2).resourceId, rig.model.vm(instances.at(0)).resourceId());
        QVERIFY(listed->vms.at(2).powerState == core::PowerState::Deallocated);
        QVERIFY(listed->vms.at(3).powerState == core::PowerState::Running);
        QCOMPARE(listed->vms.at(2).tags.value(u"spotkeeper:auto-restart"_s), u"true"_s);
        QCOMPARE(listed->vms.at(2).priority, u"Spot"_s);

        std::optional<core::PowerStateResult> power;
        rig.provider->powerState(rig.record(instances.at(2)),
                                 [&](const core::PowerStateResult &r) { power = r; });
        QTRY_VERIFY_WITH_TIMEOUT(power.has_value(), 15'000);
        QVERIFY2(power->call.ok(), qPrintable(power->call.errorMessage));
        QVERIFY(power->state == core::PowerState::Deallocated);

        // Both evicted instances asked for together: one scale set start for the two.
        std::optional<core::StartResult> first;
        std::optional<core::StartResult> second;
        rig.provider->start(rig.record(instances.at(0)), {},
                            [&](const core::StartResult &r) { first = r; });
        rig.provider->start(rig.record(instances.at(2)), {},
                            [&](const core::StartResult &r) { second = r; });
        QTRY_VERIFY_WITH_TIMEOUT(rig.model.counters().scaleSetStarts == 1, 15'000);
        QCOMPARE(rig.model.counters().scaleSetStartInstances, 2);
        QCOMPARE(rig.model.vm(instances.at(0)).power, Power::Starting);
        rig.simClock.advanceMSecs(rig.model.timings().startingMs);
        QTRY_VERIFY_WITH_TIMEOUT(first.has_value() && second.has_value(), 15'000);
        QVERIFY2(first->call.ok(), qPrintable(first->call.errorMessage));
        QVERIFY(first->finished && second->finished);
        QCOMPARE(first->asyncOperationUrl, second->asyncOperationUrl);
        for (int i : instances)
            QCOMPARE(rig.model.vm(i).power, Power::Running);
        QCOMPARE(rig.model.counters().startsOnRunning, 0);
        QCOMPARE(rig.model.counters().doubleStarts, 0);
    }

    void listsEveryPageWithTheRealClient()
    {
        Rig rig(23, 5);
        rig.model.evict(3, false);
        for (bool statusOnly : {true, false}) {
            std::optional<core::ListResult> result;
            rig.provider->listVms(kSub, statusOnly, [&](const core::ListResult &r) { result = r; });
            QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15'000);
            QVERIFY2(result->call.ok(), qPrintable(result->call.errorMessage));
            QCOMPARE(result->vms.size(), 23);
            QCOMPARE(result->pages, 6); // five VM pages and the (empty) scale set list
            if (statusOnly) {
                QVERIFY(result->vms.at(3).powerState == core::PowerState::Deallocating);
                QVERIFY(result->vms.at(4).powerState == core::PowerState::Running);
            } else {
                QCOMPARE(result->vms.at(0).size, u"Standard_D2s_v5"_s);
                QCOMPARE(result->vms.at(0).priority, u"Spot"_s);
                QCOMPARE(result->vms.at(0).tags.value(u"spotkeeper:auto-restart"_s), u"true"_s);
            }
        }
        QVERIFY(rig.server.tokensIssued() >= 1);
    }

    void startFollowsTheAsyncOperation()
    {
        Rig rig(2);
        QVERIFY(rig.model.evict(1, false));
        rig.simClock.advanceMSecs(rig.model.timings().deallocatingMs);
        std::optional<core::PowerStateResult> power;
        rig.provider->powerState(rig.record(1),
                                 [&](const core::PowerStateResult &r) { power = r; });
        QTRY_VERIFY_WITH_TIMEOUT(power.has_value(), 15'000);
        QVERIFY(power->state == core::PowerState::Deallocated);

        QString asyncUrl;
        std::optional<core::StartResult> started;
        rig.provider->start(
            rig.record(1), [&](const QString &url) { asyncUrl = url; },
            [&](const core::StartResult &r) { started = r; });
        QTRY_VERIFY_WITH_TIMEOUT(!asyncUrl.isEmpty(), 15'000);
        QVERIFY(asyncUrl.startsWith(rig.server.baseUrl()));
        QVERIFY(asyncUrl.contains(u"/providers/Microsoft.Compute/locations/eastus/operations/"_s));
        QVERIFY(!started.has_value()); // InProgress until the simulated start completes
        rig.simClock.advanceMSecs(rig.model.timings().startingMs);
        QTRY_VERIFY_WITH_TIMEOUT(started.has_value(), 15'000);
        QVERIFY2(started->call.ok(), qPrintable(started->call.errorMessage));
        QVERIFY(started->finished);
        QCOMPARE(rig.model.vm(1).power, Power::Running);
        QCOMPARE(rig.model.counters().doubleStarts, 0);
        QCOMPARE(rig.model.counters().startsOnRunning, 0);
    }

    void capacityFailureArrivesOnTheOperation()
    {
        Rig rig(1);
        QVERIFY(rig.model.evict(0, false));
        rig.simClock.advanceMSecs(rig.model.timings().deallocatingMs);
        rig.server.capacityShortage(u"eastus"_s, {}, 3600, u"AllocationFailed"_s, true);
        std::optional<core::StartResult> started;
        rig.provider->start(rig.record(0), {}, [&](const core::StartResult &r) { started = r; });
        QTRY_COMPARE_WITH_TIMEOUT(rig.model.counters().startsAccepted, 1, 15'000);
        rig.simClock.advanceMSecs(rig.model.timings().startFailMs);
        QTRY_VERIFY_WITH_TIMEOUT(started.has_value(), 15'000);
        QCOMPARE(started->call.errorCode, u"AllocationFailed"_s);
        QVERIFY(!started->call.ok());
        QCOMPARE(rig.model.vm(0).power, Power::Deallocated);
    }

    void throttledStartCarriesRetryAfter()
    {
        Rig rig(1);
        LimitsConfig limits;
        limits.vmStartBurst = 1;
        rig.server.limits().setConfig(limits);
        delete rig.provider;
        rig.provider = rig.makeProvider(rig.server.options().clientSecret, false);
        QVERIFY(rig.model.evict(0, false));
        rig.simClock.advanceMSecs(rig.model.timings().deallocatingMs);
        std::optional<core::StartResult> first;
        rig.provider->start(rig.record(0), {}, [&](const core::StartResult &r) { first = r; });
        QTRY_COMPARE_WITH_TIMEOUT(rig.model.counters().startsAccepted, 1, 15'000);
        rig.simClock.advanceMSecs(rig.model.timings().startingMs);
        QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 15'000);
        QVERIFY(first->call.ok());
        std::optional<core::StartResult> second;
        rig.provider->start(rig.record(0), {}, [&](const core::StartResult &r) { second = r; });
        QTRY_VERIFY_WITH_TIMEOUT(second.has_value(), 15'000);
        QVERIFY(second->call.failure == core::FailureClass::Throttled);
        QVERIFY(second->call.retryAfter.isValid());
        QVERIFY(second->call.retryAfter > QDateTime::currentDateTimeUtc().addSecs(5));
        QCOMPARE(rig.server.limits().throttled(), 1);
    }

    void evictionEvidenceFromTheActivityLog()
    {
        Rig rig(3);
        const QDateTime since = rig.simClock.nowUtc().addSecs(-60);
        QVERIFY(rig.model.evict(2, false));
        std::optional<core::EvidenceResult> evidence;
        rig.provider->evictionEvidence(rig.record(2), since,
                                       [&](const core::EvidenceResult &r) { evidence = r; });
        QTRY_VERIFY_WITH_TIMEOUT(evidence.has_value(), 15'000);
        QVERIFY2(evidence->call.ok(), qPrintable(evidence->call.errorMessage));
        QVERIFY(evidence->evidence.contains(u"evictSpotVM/action Succeeded"_s));
        std::optional<core::EvidenceResult> none;
        rig.provider->evictionEvidence(rig.record(1), since,
                                       [&](const core::EvidenceResult &r) { none = r; });
        QTRY_VERIFY_WITH_TIMEOUT(none.has_value(), 15'000);
        QVERIFY(none->evidence.isEmpty());
    }

    void userDeallocationIsDeliberateInTheActivityLog()
    {
        Rig rig(4);
        const QDateTime since = rig.simClock.nowUtc().addSecs(-60);
        testsupport::TestHttpClient http;
        // A person deallocates vm1 through ARM; the log shows it 90 s (simulated) later.
        auto reply = http.post(QUrl(rig.url(u"/control/deallocate"_s)),
                               R"({"vms":["vm1"],"caller":"alice@contoso.com",)"
                               R"("logDelaySeconds":90})");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object().value("deallocated"_L1).toArray().size(), 1);
        QCOMPARE(http.post(QUrl(rig.url(u"/control/deallocate"_s)), R"({"vms":["vm2"]})").status,
                 400);
        QCOMPARE(rig.model.counters().userDeallocations, 1);
        QCOMPARE(rig.model.counters().evictions, 0);
        const auto read = [&](int index) {
            std::optional<core::EvidenceResult> out;
            rig.provider->evictionEvidence(rig.record(index), since,
                                           [&](const core::EvidenceResult &r) { out = r; });
            if (!QTest::qWaitFor([&] { return out.has_value(); }, 15'000))
                qFatal("no evidence reply");
            return *out;
        };
        QCOMPARE(core::toString(read(1).kind), core::toString(core::EvidenceKind::None));
        rig.simClock.advanceMSecs(90'000);
        const core::EvidenceResult user = read(1);
        QVERIFY2(user.call.ok(), qPrintable(user.call.errorMessage));
        QCOMPARE(core::toString(user.kind), core::toString(core::EvidenceKind::Deliberate));
        QCOMPARE(user.caller, u"alice@contoso.com"_s);
        QCOMPARE(user.operation, u"Microsoft.Compute/virtualMachines/deallocate/action"_s);
        // An eviction of another VM stays an eviction.
        QVERIFY(rig.model.evict(2, false));
        QCOMPARE(core::toString(read(2).kind), core::toString(core::EvidenceKind::Eviction));

        // SpotKeeper's own Stop on purpose: ARM deallocate, recorded with its client id.
        std::optional<core::CallResult> stop;
        rig.provider->deallocate(rig.record(3), [&](const core::CallResult &r) { stop = r; });
        QTRY_VERIFY_WITH_TIMEOUT(stop.has_value(), 15'000);
        QVERIFY2(stop->ok(), qPrintable(stop->errorMessage));
        QCOMPARE(stop->httpStatus, 202);
        QVERIFY(rig.model.vm(3).power == Power::Deallocating);
        const core::EvidenceResult own = read(3);
        QCOMPARE(core::toString(own.kind), core::toString(core::EvidenceKind::Deliberate));
        QCOMPARE(own.caller, rig.server.options().clientId);
    }

    void evidenceOfManyVmsIsOnePagedListing()
    {
        // Issue 12.5: the subscription's Compute records since the window start, paged by
        // nextLink (activityPageSize a page), with $select honoured; one listing answers them all.
        Rig rig(6);
        rig.server.options().activityPageSize = 2;
        const QDateTime since = rig.simClock.nowUtc().addSecs(-60);
        for (int i : {0, 2, 4})
            QVERIFY(rig.model.evict(i, false));
        QCOMPARE(rig.server.deallocateAsUser({u"vm5"_s}, u"alice@contoso.com"_s, 0).size(), 1);
        QList<core::VmRecord> asked;
        for (int i = 0; i < 6; ++i)
            asked.append(rig.record(i));
        const auto activityReads = [&rig] {
            return rig.server.stateJson()
                .value("counters"_L1)
                .toObject()
                .value("armReadActivityPages"_L1)
                .toInteger();
        };
        const qint64 readsBefore = activityReads();
        std::optional<core::FleetEvidenceResult> fleet;
        rig.provider->evictionEvidenceForVms(
            kSub, asked, since, [&](const core::FleetEvidenceResult &r) { fleet = r; });
        QTRY_VERIFY_WITH_TIMEOUT(fleet.has_value(), 15'000);
        QVERIFY2(fleet->call.ok(), qPrintable(fleet->call.errorMessage));
        QVERIFY(fleet->complete);
        QCOMPARE(fleet->pages, 2); // 4 records, 2 a page
        QCOMPARE(activityReads() - readsBefore, 2);
        QCOMPARE(fleet->byVm.size(), 4);
        for (int i : {0, 2, 4})
            QCOMPARE(core::toString(fleet->byVm.value(asked[i].resourceKey).kind),
                     core::toString(core::EvidenceKind::Eviction));
        const core::EvidenceResult alice = fleet->byVm.value(asked[5].resourceKey);
        QCOMPARE(core::toString(alice.kind), core::toString(core::EvidenceKind::Deliberate));
        QCOMPARE(alice.caller, u"alice@contoso.com"_s);
        // The window is honoured: nothing recorded since now.
        std::optional<core::FleetEvidenceResult> later;
        rig.provider->evictionEvidenceForVms(
            kSub, asked, rig.simClock.nowUtc().addSecs(1),
            [&](const core::FleetEvidenceResult &r) { later = r; });
        QTRY_VERIFY_WITH_TIMEOUT(later.has_value(), 15'000);
        QVERIFY(later->call.ok());
        QVERIFY(later->byVm.isEmpty());
        QCOMPARE(later->pages, 1);
    }

    void wrongSecretIsAFatalTokenError()
    {
        Rig rig(1);
        delete rig.provider;
        rig.provider = rig.makeProvider("not-the-secret", true);
        std::optional<core::ListResult> result;
        rig.provider->listVms(kSub, true, [&](const core::ListResult &r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15'000);
        QVERIFY(!result->call.ok());
        QCOMPARE(rig.server.tokensIssued(), 0);
    }

    void connectionResetIsATransientFailureAndTheRetryWorks()
    {
        Rig rig(1);
        rig.server.setFaults(0, 0, 0, 0, 1.0); // every ARM request: TCP RST
        std::optional<core::PowerStateResult> first;
        rig.provider->powerState(rig.record(0),
                                 [&](const core::PowerStateResult &r) { first = r; });
        QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 30'000);
        QVERIFY(!first->call.ok());
        // A reset, not a timeout: Qt reports the peer's RST as RemoteHostClosedError.
        QCOMPARE(first->call.errorCode, u"RemoteHostClosedError"_s);
        QVERIFY(core::isRetryable(first->call.failure));
        const qint64 resets =
            rig.server.stateJson().value("counters"_L1).toObject().value("resets"_L1).toInteger();
        QVERIFY(resets >= 1);

        rig.server.setFaults(0, 0, 0, 0, 0); // the network heals: the retry goes through
        std::optional<core::PowerStateResult> again;
        rig.provider->powerState(rig.record(0),
                                 [&](const core::PowerStateResult &r) { again = r; });
        QTRY_VERIFY_WITH_TIMEOUT(again.has_value(), 30'000);
        QVERIFY2(again->call.ok(), qPrintable(again->call.errorMessage));
        QVERIFY(again->state == core::PowerState::Running);
    }

    void armNeedsAValidToken()
    {
        Rig rig(1);
        testsupport::TestHttpClient http;
        const QUrl vmUrl(rig.url(rig.model.vm(0).resourceId() + u"?api-version=2024-07-01"_s));
        auto reply = http.get(vmUrl);
        QCOMPARE(reply.status, 401);
        reply = http.get(vmUrl, {{"Authorization", "Bearer forged"}});
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.json().object().value("error"_L1).toObject().value("code"_L1).toString(),
                 u"InvalidAuthenticationToken"_s);
    }

    void imdsPerVm()
    {
        Rig rig(2);
        testsupport::TestHttpClient http;
        const QUrl events(rig.url(u"/imds/vm1/metadata/scheduledevents?api-version=2020-07-01"_s));
        QCOMPARE(http.get(events).status, 400); // no Metadata: true
        const http::HeaderList md {{"Metadata", "true"}};
        auto reply = http.get(events, md);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object().value("Events"_L1).toArray().size(), 0);
        rig.model.evict(1);
        reply = http.get(events, md);
        const QJsonObject event =
            reply.json().object().value("Events"_L1).toArray().first().toObject();
        QCOMPARE(event.value("EventType"_L1).toString(), u"Preempt"_s);
        QCOMPARE(event.value("Resources"_L1).toArray().first().toString(), u"vm1"_s);
        QVERIFY(event.value("NotBefore"_L1).toString().endsWith(u" GMT"_s));
        const QByteArray ack = QByteArrayLiteral("{\"StartRequests\":[{\"EventId\":\"")
            + event.value("EventId"_L1).toString().toLatin1() + QByteArrayLiteral("\"}]}");
        QCOMPARE(http.post(events, ack, md).status, 200);
        QCOMPARE(rig.model.vm(1).power, Power::Deallocating);
        QCOMPARE(http.post(events, "{}", md).status, 400);
        // 5 requests per second per VM: hammering vm0 gets 429 within a second.
        const QUrl instance(rig.url(u"/imds/vm0/metadata/instance?api-version=2021-02-01"_s));
        int throttled = 0;
        QElapsedTimer burst;
        burst.start();
        for (int i = 0; i < 40 && burst.elapsed() < 900; ++i)
            throttled += http.get(instance, md).status == 429 ? 1 : 0;
        if (burst.elapsed() >= 900 && throttled == 0)
            QSKIP("the machine is too slow to send 6 requests within a second");
        QVERIFY(throttled >= 1);
        QCOMPARE(
            http.get(QUrl(rig.url(u"/imds/nope/metadata/instance?api-version=1"_s)), md).status,
            404);
    }

    void controlApi()
    {
        Rig rig(4);
        testsupport::TestHttpClient http;
        auto reply = http.post(QUrl(rig.url(u"/control/evict"_s)), R"({"count":2})");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object().value("evicted"_L1).toArray().size(), 2);
        QCOMPARE(http.post(QUrl(rig.url(u"/control/evict"_s)), "{}").status, 400);
        QCOMPARE(http.post(QUrl(rig.url(u"/control/capacity"_s)),
                           R"({"region":"eastus","seconds":60,"code":"Nope"})")
                     .status,
                 400);
        QCOMPARE(http.post(QUrl(rig.url(u"/control/agent-loss"_s)), R"({"vms":["vm3"]})").status,
                 200);
        QCOMPARE(rig.model.counters().evictionsWithoutNotice, 1);
        reply = http.get(QUrl(rig.url(u"/control/state"_s)));
        QCOMPARE(reply.status, 200);
        const QJsonObject state = reply.json().object();
        QCOMPARE(state.value("vmCount"_L1).toInt(), 4);
        // Two Preempts still pending (NotBefore in 30 s), one eviction without notice done.
        QCOMPARE(state.value("counters"_L1).toObject().value("evictions"_L1).toInt(), 1);
        int pending = 0;
        for (const auto &vm : state.value("vms"_L1).toArray())
            pending += vm.toObject().value("evictionPending"_L1).toBool() ? 1 : 0;
        QCOMPARE(pending, 2);
        reply = http.get(QUrl(rig.url(u"/control/records"_s)));
        QVERIFY(reply.json().object().value("requests"_L1).toArray().size() >= 4);
    }

    // Application health (docs/SIMULATOR.md "Application health"): /app/{vm}/health answers
    // what /control/app set, 503 while the VM is down; ARM's restart reboots a running VM
    // (recorded) and heals an application a restart fixes.
    void applicationHealthAndArmRestart()
    {
        Rig rig(3);
        testsupport::TestHttpClient http;
        const auto health = [&](const QString &vm) {
            return http.get(QUrl(rig.url(u"/app/%1/health"_s.arg(vm)))).status;
        };
        QCOMPARE(health(u"vm0"_s), 200);
        QCOMPARE(health(u"nope"_s), 404);
        QCOMPARE(http.post(QUrl(rig.url(u"/control/app"_s)), R"({"vms":["vm0"]})").status, 400);
        auto reply =
            http.post(QUrl(rig.url(u"/control/app"_s)), R"({"vms":["vm0","vm1"],"healthy":false})");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object().value("changed"_L1).toArray().size(), 2);
        QCOMPARE(health(u"vm0"_s), 503);
        QCOMPARE(health(u"vm2"_s), 200);
        QCOMPARE(http.post(QUrl(rig.url(u"/control/app"_s)),
                           R"({"vms":["vm1"],"healthy":false,"fixedByRestart":true})")
                     .status,
                 200);

        // ARM restart through the real client: accepted for a running VM, the VM stays up.
        std::optional<core::CallResult> result;
        rig.provider->restart(rig.record(1), [&](const core::CallResult &r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10'000);
        QVERIFY2(result->ok(), qPrintable(result->errorMessage));
        QCOMPARE(rig.model.vm(1).power, Power::Running);
        QCOMPARE(rig.model.vm(1).restarts, 1);
        QCOMPARE(health(u"vm1"_s), 200); // a restart fixed it
        result.reset();
        rig.provider->restart(rig.record(0), [&](const core::CallResult &r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10'000);
        QVERIFY(result->ok());
        QCOMPARE(health(u"vm0"_s), 503); // still broken: not fixed by a restart

        // A VM that is not running cannot be restarted, and its application is down.
        QVERIFY(rig.model.evict(2, false));
        QCOMPARE(health(u"vm2"_s), 503);
        result.reset();
        rig.provider->restart(rig.record(2), [&](const core::CallResult &r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10'000);
        QVERIFY(!result->ok());
        QCOMPARE(result->httpStatus, 409);

        const QJsonObject records = http.get(QUrl(rig.url(u"/control/records"_s))).json().object();
        QCOMPARE(records.value("counters"_L1).toObject().value("restarts"_L1).toInt(), 2);
        const QJsonArray restarts = records.value("restarts"_L1).toArray();
        QCOMPARE(restarts.size(), 2);
        QCOMPARE(restarts.at(0).toObject().value("vm"_L1).toString(), rig.model.vm(1).key());
        QCOMPARE(restarts.at(0).toObject().value("caller"_L1).toString(),
                 rig.server.options().clientId);
        const QJsonObject state = http.get(QUrl(rig.url(u"/control/state"_s))).json().object();
        const QJsonObject vm0 = state.value("vms"_L1).toArray().at(0).toObject();
        QCOMPARE(vm0.value("app"_L1).toString(), u"unhealthy"_s);
        QCOMPARE(vm0.value("restarts"_L1).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSimServer)
#include "tst_simserver.moc"
