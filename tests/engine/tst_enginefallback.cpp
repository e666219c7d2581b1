// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The restart engine's capacity fallback against the fake cloud, in simulated time: resize
// after the configured time of capacity errors, the max price raised to the cap and never
// above, the daily limit, the dry run, undo, and a cloud that cannot resize.
#include "fleet/eventtypes.h"
#include "support/engine/enginetestharness.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using Kind = FakeCloudProvider::Kind;
using Script = FakeCloudProvider::StartScript;

namespace {

const QString kPreferred = u"Standard_D2s_v5"_s; // the harness's VMs have this size
const QString kFirst = u"Standard_D4s_v5"_s;
const QString kSecond = u"Standard_D8s_v5"_s;
constexpr qint64 kAfterMs = 5 * 60'000;

EngineConfig fallbackConfig()
{
    EngineConfig config = EngineHarness::defaultConfig();
    config.fallback.enabled = true;
    config.fallback.afterMs = kAfterMs;
    config.fallback.maxChangesPerDay = 3;
    return config;
}

VmRecord tagged(EngineHarness &h, VmRecord vm, const QMap<QString, QString> &tags)
{
    vm.tags = tags;
    vm.id = h.store->upsertVm(vm);
    return vm;
}

// Starts of the sizes in `short` fail with AllocationFailed; the others succeed.
void capacityShortOf(EngineHarness &h, const QStringList &shortSizes)
{
    FakeCloudProvider *cloud = h.cloud.get();
    h.cloud->startRule = [cloud, shortSizes](const QString &key) -> std::optional<Script> {
        if (shortSizes.contains(cloud->size(key), Qt::CaseInsensitive))
            return Script {FailureClass::Capacity, u"AllocationFailed"_s, 409};
        return std::nullopt;
    };
}

// Starts fail with SpotPriceGreaterThanProvidedMaxPrice while the max price is below `price`.
void spotPrice(EngineHarness &h, double price)
{
    FakeCloudProvider *cloud = h.cloud.get();
    h.cloud->startRule = [cloud, price](const QString &key) -> std::optional<Script> {
        const std::optional<double> max = cloud->maxPrice(key);
        if (max && *max != -1.0 && *max < price)
            return Script {FailureClass::Price, u"SpotPriceGreaterThanProvidedMaxPrice"_s, 409};
        return std::nullopt;
    };
}

QList<AuditRecord> fallbackRows(EngineHarness &h)
{
    QList<AuditRecord> rows;
    for (const AuditRecord &row : h.store->audit(QDateTime(), QDateTime(), 0)) {
        if (isFallbackAction(row.action))
            rows.append(row);
    }
    return rows;
}

QList<EventRecord> fallbackEvents(EngineHarness &h, qint64 vmId)
{
    QList<EventRecord> events;
    for (const EventRecord &event : h.events(vmId, EventKind::JobTransition)) {
        if (event.eventType == eventtype::kFallback)
            events.append(event);
    }
    return events;
}

// A deallocated VM that opted in with these approved sizes, in a region offering `offered`,
// whose starts of the sizes in `shortSizes` are refused for capacity; its eviction is noticed
// now.
VmRecord evictedInShortage(EngineHarness &h, const QString &name, const QString &approved,
                           const QStringList &offered, const QStringList &shortSizes)
{
    VmRecord vm = h.addVm(name, ManagedBy::Agent, PowerState::Deallocated);
    vm = tagged(h, vm, {{u"spotkeeper-fallback-sizes"_s, approved}});
    h.cloud->settingsSupported = true;
    h.cloud->sizesOffered = offered;
    capacityShortOf(h, shortSizes);
    h.notice(vm, h.clock.nowUtc());
    return vm;
}

bool recovered(EngineHarness &h, qint64 vmId)
{
    const auto job = h.latestJob(vmId);
    return job && job->state == JobState::Running;
}

} // namespace

class TestEngineFallback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resizesToTheNextApprovedSizeAfterTheConfiguredTime();
    void skipsApprovedSizesTheRegionDoesNotOffer();
    void vmsThatDidNotOptInKeepTheirSize();
    void dryRunRecordsOnceAndChangesNothing();
    void dailyLimitStopsFurtherChanges();
    void priceRefusalRaisesTheMaxPriceToTheCap();
    void priceAboveTheCapNeedsAnOperator();
    void undoAppliesTheBeforeValueAndIsAudited();
    void aCloudThatCannotResizeSaysSo();
    void aDeliberateStopReturnsToThePreferredSize();
};

void TestEngineFallback::resizesToTheNextApprovedSizeAfterTheConfiguredTime()
{
    EngineHarness h(fallbackConfig());
    VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    vm = tagged(h, vm, {{u"spotkeeper-fallback-sizes"_s, kFirst + u", "_s + kSecond}});
    h.cloud->settingsSupported = true;
    h.cloud->sizesOffered = {kPreferred, kFirst, kSecond};
    capacityShortOf(h, {kPreferred});
    QSignalSpy recorded(h.engine.get(), &RestartEngine::fallbackRecorded);
    const QDateTime t0 = h.clock.nowUtc();
    h.notice(vm, t0);

    QVERIFY(h.runUntilTrue([&] { return recovered(h, vm.id); }, 60 * 60'000));
    QCOMPARE(h.cloud->size(vm.resourceKey), kFirst);
    QCOMPARE(h.store->vm(vm.id)->size, kFirst);
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 1);
    // Not before the configured time of capacity errors, and soon after it: the resize
    // follows the first refusal past afterMs (backoff capped at 5 min).
    const QDateTime resizedAt = h.cloud->times(Kind::ChangeSettings).first();
    QVERIFY(resizedAt >= t0.addMSecs(kAfterMs));
    QVERIFY(resizedAt <= t0.addMSecs(kAfterMs + 5 * 60'000 + 1'000));
    // Started right after the resize, on the new size.
    const QList<QDateTime> starts = h.cloud->times(Kind::Start);
    QVERIFY(starts.last() > resizedAt);
    QVERIFY(starts.last() <= resizedAt.addMSecs(1'000));

    const QList<AuditRecord> rows = fallbackRows(h);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].action, QLatin1StringView(kAuditFallbackResize));
    QCOMPARE(rows[0].actor, u"engine"_s);
    QCOMPARE(rows[0].target, vm.resourceKey);
    const auto change = decodeFallbackChange(rows[0].detail);
    QVERIFY(change);
    QCOMPARE(change->before, kPreferred);
    QCOMPARE(change->after, kFirst);
    QVERIFY(!change->dryRun);
    const QList<EventRecord> events = fallbackEvents(h, vm.id);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].eventId, QString::number(rows[0].id)); // the timeline's undo target
    QVERIFY(events[0].message.contains(kPreferred + u" -> "_s + kFirst));
    QCOMPARE(recorded.size(), 1);
}

void TestEngineFallback::skipsApprovedSizesTheRegionDoesNotOffer()
{
    EngineHarness h(fallbackConfig());
    const VmRecord vm = evictedInShortage(h, u"spot-1"_s, kFirst + u","_s + kSecond,
                                          {kPreferred, kSecond}, {kPreferred});
    QVERIFY(h.runUntilTrue([&] { return recovered(h, vm.id); }, 60 * 60'000));
    QCOMPARE(h.cloud->size(vm.resourceKey), kSecond);

    // The last approved size short too: nothing left to try, said once, retries go on.
    EngineHarness last(fallbackConfig());
    const VmRecord big =
        evictedInShortage(last, u"spot-2"_s, kFirst, {kPreferred, kFirst}, {kPreferred, kFirst});
    last.runFor(2 * 60 * 60'000);
    QCOMPARE(last.cloud->size(big.resourceKey), kFirst);
    QCOMPARE(last.cloud->count(Kind::ChangeSettings), 1);
    const QList<EventRecord> events = fallbackEvents(last, big.id);
    QCOMPARE(events.size(), 2); // the resize, then "the last approved size" once
    QVERIFY(events[1].message.contains(u"last approved size"_s));
    QCOMPARE_ENUM(last.latestJob(big.id)->state, JobState::BackingOff);
}

void TestEngineFallback::vmsThatDidNotOptInKeepTheirSize()
{
    EngineHarness h(fallbackConfig());
    const VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    h.cloud->settingsSupported = true;
    h.cloud->sizesOffered = {kPreferred, kFirst};
    capacityShortOf(h, {kPreferred});
    h.notice(vm, h.clock.nowUtc());
    h.runFor(60 * 60'000);
    QCOMPARE(h.cloud->count(Kind::Sizes), 0);
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 0);
    QVERIFY(fallbackRows(h).isEmpty());
}

void TestEngineFallback::dryRunRecordsOnceAndChangesNothing()
{
    EngineConfig config = fallbackConfig();
    config.fallback.dryRun = true;
    EngineHarness h(config);
    const VmRecord vm =
        evictedInShortage(h, u"spot-1"_s, kFirst, {kPreferred, kFirst}, {kPreferred});
    h.runFor(60 * 60'000);
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 0);
    QCOMPARE(h.cloud->size(vm.resourceKey), kPreferred);
    QCOMPARE(h.store->vm(vm.id)->size, kPreferred);
    const QList<AuditRecord> rows = fallbackRows(h);
    QCOMPARE(rows.size(), 1);
    const auto change = decodeFallbackChange(rows[0].detail);
    QVERIFY(change && change->dryRun);
    QCOMPARE(change->after, kFirst);
    const QList<EventRecord> events = fallbackEvents(h, vm.id);
    QCOMPARE(events.size(), 1);
    QVERIFY(events[0].message.contains(u"dry run: would change the size"_s));
    QCOMPARE(events[0].eventStatus, u"dry_run"_s);
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::BackingOff);
    // Undo refuses a row that changed nothing.
    QVERIFY(h.engine->undoFallback(rows[0].id, u"gui:alice"_s).status
            == OperationResult::Status::Invalid);
}

void TestEngineFallback::dailyLimitStopsFurtherChanges()
{
    EngineConfig config = fallbackConfig();
    config.fallback.maxChangesPerDay = 1;
    EngineHarness h(config);
    const QDateTime t0 = h.clock.nowUtc();
    const VmRecord vm = evictedInShortage(h, u"spot-1"_s, kFirst + u","_s + kSecond,
                                          {kPreferred, kFirst, kSecond}, {kPreferred, kFirst});
    h.runUntil(t0.addSecs(23 * 3600));
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 1);
    QCOMPARE(h.cloud->size(vm.resourceKey), kFirst);
    const QList<EventRecord> events = fallbackEvents(h, vm.id);
    QVERIFY(std::any_of(events.cbegin(), events.cend(), [](const EventRecord &e) {
        return e.message.contains(u"limit of 1 changes a day"_s);
    }));
    // A day after the first change the limit allows the next one.
    QVERIFY(h.runUntilTrue([&] { return recovered(h, vm.id); }, 2 * 3600'000));
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 2);
    QCOMPARE(h.cloud->size(vm.resourceKey), kSecond);
    const QList<QDateTime> changes = h.cloud->times(Kind::ChangeSettings);
    QVERIFY(changes[0].secsTo(changes[1]) >= 24 * 3600);
}

void TestEngineFallback::priceRefusalRaisesTheMaxPriceToTheCap()
{
    EngineHarness h(fallbackConfig());
    VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    vm = tagged(h, vm, {{u"spotkeeper-fallback-max-price"_s, u"0.05"_s}});
    h.cloud->settingsSupported = true;
    h.cloud->setMaxPrice(vm.resourceKey, 0.02);
    spotPrice(h, 0.04); // a price eviction: the price rose above the VM's max price
    h.notice(vm, h.clock.nowUtc());
    QVERIFY(h.runUntilTrue([&] { return recovered(h, vm.id); }, 10 * 60'000));
    QCOMPARE(*h.cloud->maxPrice(vm.resourceKey), 0.05); // the cap, not the price
    QCOMPARE(h.cloud->count(Kind::Start), 2);
    const QList<AuditRecord> rows = fallbackRows(h);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].action, QLatin1StringView(kAuditFallbackMaxPrice));
    const auto change = decodeFallbackChange(rows[0].detail);
    QVERIFY(change);
    QCOMPARE(change->before, u"0.02"_s);
    QCOMPARE(change->after, u"0.05"_s);
}

void TestEngineFallback::priceAboveTheCapNeedsAnOperator()
{
    EngineHarness h(fallbackConfig());
    VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    vm = tagged(h, vm, {{u"spotkeeper-fallback-max-price"_s, u"0.05"_s}});
    h.cloud->settingsSupported = true;
    h.cloud->setMaxPrice(vm.resourceKey, 0.02);
    spotPrice(h, 0.08); // above the cap
    h.notice(vm, h.clock.nowUtc());
    QVERIFY(h.runUntilTrue(
        [&] {
            const auto job = h.latestJob(vm.id);
            return job && job->state == JobState::NeedsOperator;
        },
        10 * 60'000));
    QCOMPARE(*h.cloud->maxPrice(vm.resourceKey), 0.05); // raised to the cap, never above
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 1);
    const QString reason = h.latestJob(vm.id)->reason;
    QVERIFY2(reason.contains(u"already at or above the operator's cap"_s), qPrintable(reason));
    QVERIFY2(reason.contains(u"0.05 USD/h"_s), qPrintable(reason));
    h.runFor(60 * 60'000);
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 1);
}

void TestEngineFallback::undoAppliesTheBeforeValueAndIsAudited()
{
    EngineHarness h(fallbackConfig());
    const VmRecord vm =
        evictedInShortage(h, u"spot-1"_s, kFirst, {kPreferred, kFirst}, {kPreferred});
    QVERIFY(h.runUntilTrue([&] { return recovered(h, vm.id); }, 60 * 60'000));
    const qint64 resizeRow = fallbackRows(h).first().id;

    // Running: undo would need a deallocation first.
    const OperationResult running = h.engine->undoFallback(resizeRow, u"gui:alice"_s);
    QVERIFY(running.status == OperationResult::Status::Conflict);
    QVERIFY(running.message.contains(u"deallocated"_s));
    QVERIFY(h.engine->undoFallback(9'999, u"gui:alice"_s).status
            == OperationResult::Status::NotFound);

    h.cloud->setPower(vm.resourceKey, PowerState::Deallocated);
    h.store->setPowerState(vm.id, PowerState::Deallocated, h.clock.nowUtc());
    const OperationResult undone = h.engine->undoFallback(resizeRow, u"gui:alice"_s);
    QVERIFY2(undone.ok(), qPrintable(undone.message));
    h.runFor(1'000);
    QCOMPARE(h.cloud->size(vm.resourceKey), kPreferred);
    QCOMPARE(h.store->vm(vm.id)->size, kPreferred);
    const QList<AuditRecord> rows = fallbackRows(h);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].action, QLatin1StringView(kAuditFallbackUndo));
    QCOMPARE(rows[1].actor, u"gui:alice"_s);
    const auto change = decodeFallbackChange(rows[1].detail);
    QVERIFY(change);
    QCOMPARE(change->before, kFirst);
    QCOMPARE(change->after, kPreferred);
    QCOMPARE(change->undoes, resizeRow);
    QVERIFY(fallbackEvents(h, vm.id).last().message.startsWith(u"undo: "_s));
    // Undone already: the VM's size is no longer the row's "after".
    QVERIFY(h.engine->undoFallback(resizeRow, u"gui:alice"_s).status
            == OperationResult::Status::Conflict);
}

void TestEngineFallback::aCloudThatCannotResizeSaysSo()
{
    EngineHarness h(fallbackConfig());
    VmRecord vm = h.addVm(u"spot-1"_s, ManagedBy::Agent, PowerState::Deallocated);
    vm = tagged(h, vm, {{u"spotkeeper-fallback-sizes"_s, kFirst}});
    capacityShortOf(h, {kPreferred}); // settingsSupported stays false
    h.notice(vm, h.clock.nowUtc());
    h.runFor(60 * 60'000);
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 0);
    const QList<EventRecord> events = fallbackEvents(h, vm.id);
    QCOMPARE(events.size(), 1);
    QVERIFY2(events[0].message.contains(u"cannot resize"_s), qPrintable(events[0].message));
    QCOMPARE_ENUM(h.latestJob(vm.id)->state, JobState::BackingOff);
}

void TestEngineFallback::aDeliberateStopReturnsToThePreferredSize()
{
    EngineConfig config = fallbackConfig();
    config.fallback.returnToPreferred = true;
    EngineHarness h(config);
    const VmRecord vm =
        evictedInShortage(h, u"spot-1"_s, kFirst, {kPreferred, kFirst}, {kPreferred});
    QVERIFY(h.runUntilTrue([&] { return recovered(h, vm.id); }, 60 * 60'000));
    QCOMPARE(h.cloud->size(vm.resourceKey), kFirst);

    QVERIFY(h.engine->stopOnPurpose(vm.id, u"gui:alice"_s).ok());
    h.runFor(1'000);
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 1); // not while it is still running
    h.store->setPowerState(vm.id, PowerState::Deallocated, h.clock.nowUtc());
    h.engine->observePowerState(vm.id, PowerState::Deallocated); // the reconciler's sweep
    h.runFor(1'000);
    QCOMPARE(h.cloud->size(vm.resourceKey), kPreferred);
    QCOMPARE(h.store->vm(vm.id)->size, kPreferred);
    const QList<AuditRecord> rows = fallbackRows(h);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].action, QLatin1StringView(kAuditFallbackReturn));
    const auto change = decodeFallbackChange(rows[1].detail);
    QVERIFY(change);
    QCOMPARE(change->before, kFirst);
    QCOMPARE(change->after, kPreferred);
    // Once back, another deallocation returns nothing.
    h.engine->observePowerState(vm.id, PowerState::Deallocated);
    h.runFor(1'000);
    QCOMPARE(h.cloud->count(Kind::ChangeSettings), 2);
}

QTEST_GUILESS_MAIN(TestEngineFallback)
#include "tst_enginefallback.moc"
