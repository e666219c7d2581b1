// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The capacity fallback end to end against the simulator: the restart engine with the real
// Azure provider (ArmCloudProvider over HTTP) on a simulated Azure whose clock the test moves.
// A capacity window on one size: the VM comes back on the next approved size once the refusals
// lasted the configured time; a price eviction: the max price is raised to the cap, never above,
// and above the cap the job waits for an operator with the reason.
#include "azure/armcloudprovider.h"
#include "azure/clientsecretcredential.h"
#include "engine/restartengine.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/store/storetestutil.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace spotkeeper;
using namespace spotkeeper::sim;
using namespace Qt::StringLiterals;

namespace {

const QString kSub = u"00000000-0000-4000-8000-000000000001"_s;
const QString kTenant = u"00000000-0000-4000-8000-0000000051a1"_s;
const QString kPreferred = u"Standard_D2s_v5"_s;
const QString kFallback = u"Standard_D4s_v5"_s;
constexpr qint64 kAfterMs = 60'000;

struct Rig
{
    testsupport::ManualClock clock; // the simulated Azure's and the engine's
    FleetModel model {clock, 7};
    SimServer server {model, base::systemClock()};
    QNetworkAccessManager network;
    QTemporaryDir dir;
    std::unique_ptr<core::Store> store;
    std::unique_ptr<core::ArmCloudProvider> provider;
    std::unique_ptr<core::RestartEngine> engine;
    int index = -1;
    core::VmRecord vm;

    explicit Rig(const QMap<QString, QString> &tags, double maxPrice = -1)
    {
        server.options().startRetryAfterSeconds = 1;
        server.options().pollRetryAfterSeconds = 1;
        SimVm simVm;
        simVm.subscriptionId = kSub;
        simVm.resourceGroup = u"rg"_s;
        simVm.name = u"batch-1"_s;
        simVm.location = u"westeurope"_s;
        simVm.size = kPreferred;
        simVm.maxPrice = maxPrice;
        simVm.tags = tags;
        index = model.addVm(simVm);
        model.setSpotPrice(kPreferred, 0.015);
        model.setSpotPrice(kFallback, 0.03);
        QString error;
        if (index < 0 || !server.listen(0, &error))
            qFatal("sim: %s", qPrintable(error));

        const QUrl base(server.baseUrl() + u"/"_s);
        const auto cloud = core::AzureCloud::custom(base, base, u"https://management.azure.com/"_s);
        auto *credential = new core::ClientSecretCredential(kTenant, server.options().clientId,
                                                            server.options().clientSecret, cloud,
                                                            &network, base::systemClock());
        core::ArmClientOptions options;
        options.armUrl = base;
        options.budgets.enabled = false; // the engine's own budgets pace; the test moves time
        provider =
            std::make_unique<core::ArmCloudProvider>(credential, options, base::systemClock());
        store = core::testutil::openStore(core::testutil::options(dir.filePath(u"s.db"_s)), clock);
        if (!store)
            qFatal("store");

        vm.resourceId = model.vm(index).resourceId();
        vm.resourceKey = vm.resourceId.toLower();
        vm.subscriptionId = kSub;
        vm.resourceGroup = u"rg"_s;
        vm.name = simVm.name;
        vm.location = simVm.location;
        vm.size = kPreferred;
        vm.priority = u"Spot"_s;
        vm.evictionPolicy = u"Deallocate"_s;
        vm.tags = tags;
        vm.managedBy = core::ManagedBy::Tag;
        vm.powerState = core::PowerState::Running;
        vm.powerStateAt = clock.nowUtc();
        vm.id = store->upsertVm(vm);

        core::EngineConfig config;
        config.owner = u"engine-sim"_s;
        config.seed = 1;
        config.driveWithTimer = false;
        config.backoff.capacityBaseMs = 5'000;
        config.backoff.capacityCapMs = 10'000;
        config.fallback.enabled = true;
        config.fallback.afterMs = kAfterMs;
        engine = std::make_unique<core::RestartEngine>(*store, *provider, clock, config);
        engine->start();
    }

    // The VM is evicted and deallocated; the reconciler would hand it to the engine.
    void evicted()
    {
        clock.advanceMSecs(model.timings().noticeMs + model.timings().deallocatingMs + 1'000);
        model.advance();
        QVERIFY(model.vm(index).power == Power::Deallocated);
        store->setPowerState(vm.id, core::PowerState::Deallocated, clock.nowUtc());
        QVERIFY(engine->handleUnreportedEviction(vm.id, core::PowerState::Deallocated));
    }

    std::optional<core::JobRecord> job() const
    {
        const QList<core::JobRecord> jobs = store->jobs(vm.id, 1);
        return jobs.isEmpty() ? std::nullopt : std::optional<core::JobRecord>(jobs.first());
    }

    bool jobIs(core::JobState state) const
    {
        const auto j = job();
        return j && j->state == state;
    }

    // Runs the engine, moving the simulated clock to its next due time (at most 5 s a step,
    // so the simulated operations progress) while the HTTP answers come in real time.
    bool drive(const std::function<bool()> &done, int steps = 600)
    {
        for (int i = 0; i < steps; ++i) {
            engine->processDue();
            if (done())
                return true;
            QTest::qWait(10);
            const QDateTime now = clock.nowUtc();
            const QDateTime due = engine->nextDueAt();
            qint64 step = 1'000;
            if (due.isValid() && due > now)
                step = std::clamp<qint64>(now.msecsTo(due), 100, 5'000);
            clock.advanceMSecs(step);
        }
        return done();
    }

    QList<core::AuditRecord> fallbackRows() const
    {
        QList<core::AuditRecord> rows;
        for (const core::AuditRecord &row : store->audit(QDateTime(), QDateTime(), 0)) {
            if (core::isFallbackAction(row.action))
                rows.append(row);
        }
        return rows;
    }
};

} // namespace

class TestSimFallback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capacityWindowOnOneSizeFallsBackToTheNextSize();
    void priceEvictionRaisesTheMaxPriceToTheCapNeverAbove();
    void patchAndSizesAsAzureAnswersThem();
};

void TestSimFallback::capacityWindowOnOneSizeFallsBackToTheNextSize()
{
    Rig rig({{u"spotkeeper-fallback-sizes"_s, kFallback}});
    CapacityWindow window;
    window.size = kPreferred;
    window.untilMs = rig.model.nowMs() + 3'600'000;
    window.async = false;
    rig.model.addCapacityWindow(window);
    QVERIFY(rig.model.evict(rig.index, false));
    rig.evicted();
    const QDateTime evictedAt = rig.clock.nowUtc();

    QVERIFY(rig.drive([&] { return rig.jobIs(core::JobState::Running); }));
    QCOMPARE(rig.model.vm(rig.index).size, kFallback);
    QVERIFY(rig.model.vm(rig.index).power == Power::Running);
    QCOMPARE(rig.store->vm(rig.vm.id)->size, kFallback);
    // The preferred size was refused until afterMs; the VM runs well inside the window.
    QVERIFY(rig.clock.nowUtc() >= evictedAt.addMSecs(kAfterMs));
    QVERIFY(rig.clock.nowUtc() < QDateTime::fromMSecsSinceEpoch(window.untilMs, Qt::UTC));
    QVERIFY(rig.model.counters().startsRefusedCapacity >= 1);
    const QList<core::AuditRecord> rows = rig.fallbackRows();
    QCOMPARE(rows.size(), 1);
    const auto change = core::decodeFallbackChange(rows.first().detail);
    QVERIFY(change);
    QCOMPARE(change->before, kPreferred);
    QCOMPARE(change->after, kFallback);
}

void TestSimFallback::priceEvictionRaisesTheMaxPriceToTheCapNeverAbove()
{
    Rig rig({{u"spotkeeper-fallback-max-price"_s, u"0.05"_s}}, 0.02);
    QCOMPARE(rig.server.raiseSpotPrice(kPreferred, 0.04), QStringList {u"batch-1"_s});
    rig.evicted();
    QVERIFY(rig.drive([&] { return rig.jobIs(core::JobState::Running); }));
    QCOMPARE(rig.model.vm(rig.index).maxPrice, 0.05);
    QVERIFY(rig.model.vm(rig.index).power == Power::Running);
    QCOMPARE(rig.fallbackRows().size(), 1);

    // The price rises above the cap: evicted again, raised no further, an operator decides.
    QCOMPARE(rig.server.raiseSpotPrice(kPreferred, 0.08), QStringList {u"batch-1"_s});
    rig.evicted();
    QVERIFY(rig.drive([&] { return rig.jobIs(core::JobState::NeedsOperator); }));
    QCOMPARE(rig.model.vm(rig.index).maxPrice, 0.05);
    QCOMPARE(rig.fallbackRows().size(), 1);
    const QString reason = rig.job()->reason;
    QVERIFY2(reason.contains(u"SpotPriceGreaterThanProvidedMaxPrice"_s), qPrintable(reason));
    QVERIFY2(reason.contains(u"already at or above the operator's cap"_s), qPrintable(reason));
}

void TestSimFallback::patchAndSizesAsAzureAnswersThem()
{
    Rig rig({});
    rig.model.setAvailableSizes(u"westeurope"_s, {kPreferred, kFallback});
    std::optional<core::VmSizesResult> sizes;
    rig.provider->availableSizes(rig.vm, [&](const core::VmSizesResult &r) { sizes = r; });
    QTRY_VERIFY_WITH_TIMEOUT(sizes.has_value(), 15'000);
    QVERIFY2(sizes->call.ok(), qPrintable(sizes->call.errorMessage));
    QCOMPARE(sizes->sizes, (QStringList {kPreferred, kFallback}));

    // A running VM is not resized (the engine only changes deallocated VMs).
    std::optional<core::CallResult> changed;
    const auto change = [&](const core::VmSettingsChange &what) {
        changed.reset();
        rig.provider->changeSettings(rig.vm, what, [&](const core::CallResult &r) { changed = r; });
        QTRY_VERIFY_WITH_TIMEOUT(changed.has_value(), 15'000);
    };
    change({kFallback, std::nullopt});
    QCOMPARE(changed->errorCode, u"OperationNotAllowed"_s);
    QVERIFY(rig.model.deallocate(rig.index, u"someone"_s));
    rig.clock.advanceMSecs(rig.model.timings().deallocatingMs + 1'000);
    change({u"Standard_E64s_v5"_s, std::nullopt}); // not offered in the region
    QCOMPARE(changed->errorCode, u"SkuNotAvailable"_s);
    change({kFallback, 0.07});
    QVERIFY2(changed->ok(), qPrintable(changed->errorMessage));
    QCOMPARE(rig.model.vm(rig.index).size, kFallback);
    QCOMPARE(rig.model.vm(rig.index).maxPrice, 0.07);

    std::optional<core::VmSettingsResult> settings;
    rig.provider->vmSettings(rig.vm, [&](const core::VmSettingsResult &r) { settings = r; });
    QTRY_VERIFY_WITH_TIMEOUT(settings.has_value(), 15'000);
    QVERIFY2(settings->call.ok(), qPrintable(settings->call.errorMessage));
    QCOMPARE(settings->size, kFallback);
    QCOMPARE(*settings->maxPrice, 0.07);
}

QTEST_GUILESS_MAIN(TestSimFallback)
#include "tst_simfallback.moc"
