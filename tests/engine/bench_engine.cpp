// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Engine benchmarks in simulated time (docs/BENCHMARKS.md, "## Engine"):
//   single      time from the fake VM reaching deallocated to the start call (default settings)
//   mass        1,000 simultaneous evictions against a fake ARM write bucket (200 burst, 10/s)
//   reconciler  one statusOnly sweep over 10,000 VMs: ARM calls and CPU time
// Usage: bench_engine [single|mass|reconciler|all] [--trials N] [--no-reconciler]
#include "support/engine/enginetestharness.h"

#include <QCoreApplication>
#include <QDir>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace spotkeeper::core;
using namespace spotkeeper::core::test;
using namespace Qt::StringLiterals;
using Kind = FakeCloudProvider::Kind;

namespace {

double cpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Stores live on tmpfs when there is one: the benchmarks measure the engine, not fsync.
QString storeDir()
{
    return QDir(u"/dev/shm"_s).exists() ? u"/dev/shm"_s : QDir::tempPath();
}

struct BenchStore
{
    QTemporaryDir dir {storeDir() + u"/spotkeeper-bench-XXXXXX"_s};
    QString path() const { return dir.filePath(u"bench.db"_s); }
};

VmRecord fleetVm(int i, const QString &prefix)
{
    VmRecord vm;
    vm.subscriptionId = kSubscription;
    vm.resourceGroup = u"rg-bench"_s;
    vm.name = prefix + u"-%1"_s.arg(i, 5, 10, QLatin1Char('0'));
    vm.resourceId = u"/subscriptions/"_s + kSubscription
        + u"/resourceGroups/rg-bench/providers/Microsoft.Compute/virtualMachines/"_s + vm.name;
    vm.resourceKey = vm.resourceId.toLower();
    vm.priority = u"Spot"_s;
    return vm;
}

double percentile(QList<qint64> values, double p)
{
    std::sort(values.begin(), values.end());
    const qsizetype index =
        std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size())));
    return double(values[index]);
}

void single(int trials)
{
    BenchStore file;
    EngineConfig config;
    config.owner = u"bench"_s;
    config.seed = 1;
    config.driveWithTimer = false;
    EngineHarness h(config, file.path());
    h.cloud->latencyMs = 150;
    QRandomGenerator random(2026);
    QList<qint64> delays;
    int startsWhileRunning = 0;
    for (int i = 0; i < trials; ++i) {
        const VmRecord vm = h.addVm(u"spot-%1"_s.arg(i), ManagedBy::Agent, PowerState::Running);
        const QDateTime notBefore = h.clock.nowUtc().addSecs(30);
        const QDateTime deallocating = notBefore.addMSecs(random.bounded(10'000));
        const QDateTime deallocated = deallocating.addMSecs(10'000 + random.bounded(50'000));
        h.cloud->setPowerAt(vm.resourceKey, deallocating, PowerState::Deallocating);
        h.cloud->setPowerAt(vm.resourceKey, deallocated, PowerState::Deallocated);
        h.notice(vm, notBefore);
        h.runUntilTrue([&] { return h.cloud->count(Kind::Start, vm.resourceKey) > 0; },
                       10 * 60'000);
        const QList<QDateTime> starts = h.cloud->times(Kind::Start, vm.resourceKey);
        if (starts.isEmpty()) {
            std::printf("trial %d: no start\n", i);
            continue;
        }
        delays.append(deallocated.msecsTo(starts.first()));
        h.runFor(60'000);
    }
    startsWhileRunning = h.cloud->startsWhileRunning;
    std::printf("single eviction, %lld trials (poll every %lld ms, ARM latency %lld ms):\n",
                qlonglong(delays.size()), qlonglong(config.deallocationPollMs),
                qlonglong(h.cloud->latencyMs));
    std::printf("  deallocated -> start call: median %.0f ms, p90 %.0f ms, max %.0f ms; "
                "starts on a running VM: %d\n",
                percentile(delays, 0.5), percentile(delays, 0.9), percentile(delays, 1.0),
                startsWhileRunning);
}

void mass(int count, bool withReconciler)
{
    BenchStore file;
    EngineConfig config;
    config.owner = u"bench"_s;
    config.seed = 1;
    config.driveWithTimer = false;
    EngineHarness h(config, file.path());
    h.cloud->latencyMs = 150;
    h.cloud->enforceWriteBucket(200, 10);
    h.cloud->enforceVmStartPace(12, 4);
    QList<VmRecord> vms;
    for (int i = 0; i < count; ++i) {
        VmRecord vm = fleetVm(i, u"mass"_s);
        vm.managedBy = ManagedBy::Agent;
        vm.powerState = PowerState::Running;
        vm.id = h.store->upsertVm(vm);
        h.cloud->addVm(vm, PowerState::Running);
        vms.append(vm);
    }
    if (withReconciler) {
        ReconcilerConfig rc;
        rc.subscriptions = {kSubscription};
        h.addReconciler(rc);
        h.runFor(5'000);
    }
    const QDateTime t0 = h.clock.nowUtc();
    const QDateTime notBefore = t0.addSecs(30);
    const QDateTime deallocated = t0.addSecs(60);
    for (const VmRecord &vm : std::as_const(vms)) {
        h.cloud->setPowerAt(vm.resourceKey, t0.addSecs(40), PowerState::Deallocating);
        h.cloud->setPowerAt(vm.resourceKey, deallocated, PowerState::Deallocated);
    }
    const double cpu0 = cpuMs();
    for (const VmRecord &vm : std::as_const(vms))
        h.notice(vm, notBefore);
    h.runUntilTrue([&] { return h.cloud->count(Kind::Start) >= count; }, 3'600'000);
    const double cpu = cpuMs() - cpu0;
    const QList<QDateTime> starts = h.cloud->times(Kind::Start);
    const qint64 lastMs = deallocated.msecsTo(*std::max_element(starts.cbegin(), starts.cend()));
    const double bound = double(count - 200) / 10.0 * 1'000.0;
    h.runFor(120'000);
    int running = 0;
    for (const VmRecord &vm : std::as_const(vms))
        running += h.latestJob(vm.id) && h.latestJob(vm.id)->state == JobState::Running;
    std::printf("mass eviction, %d VMs deallocated at once, write bucket 200 burst / 10 per s, "
                "reconciler %s:\n",
                count, withReconciler ? "on (15 s while jobs wait)" : "off");
    std::printf("  start calls: %lld, 429s: %d, per-VM pace violations: %d, power reads: %d\n",
                qlonglong(starts.size()), h.cloud->throttledStarts(), h.cloud->paceViolations(),
                h.cloud->count(Kind::PowerState));
    std::printf("  deallocated -> last start call: %.1f s; bucket lower bound %.1f s; ratio %.3f\n",
                double(lastMs) / 1e3, bound / 1e3, double(lastMs) / bound);
    std::printf("  jobs Running: %d / %d; engine CPU %.0f ms\n", running, count, cpu);
}

void reconciler(int count, int pageSize)
{
    BenchStore file;
    EngineConfig config;
    config.owner = u"bench"_s;
    config.driveWithTimer = false;
    EngineHarness h(config, file.path());
    h.cloud->listPageSize = pageSize;
    for (int i = 0; i < count; ++i)
        h.cloud->addVm(fleetVm(i, u"fleet"_s), PowerState::Running);
    QList<SweepStats> sweeps;
    QList<double> cpu;
    ReconcilerConfig rc;
    rc.subscriptions = {kSubscription};
    rc.fullListIntervalMs = 0; // statusOnly sweeps only
    h.addReconciler(rc);
    double cpuStart = 0;
    QObject::connect(h.reconciler.get(), &Reconciler::sweepFinished, [&](const SweepStats &s) {
        sweeps.append(s);
        cpu.append(cpuMs() - cpuStart);
    });
    auto sweepOnce = [&] {
        cpuStart = cpuMs();
        const qsizetype before = sweeps.size();
        h.reconciler->sweepNow();
        h.runUntilTrue([&] { return sweeps.size() > before; }, 600'000);
    };
    sweepOnce(); // first sight: every VM inserted
    sweepOnce(); // steady state: nothing changed
    for (int i = 0; i < count / 100; ++i) // 1% deallocated (unmanaged: observed only)
        h.cloud->setPower(fleetVm(i * 100, u"fleet"_s).resourceKey, PowerState::Deallocated);
    sweepOnce();
    const char *labels[] = {"first sweep (inserts)", "steady sweep, no change",
                            "sweep, 1% changed"};
    std::printf("reconciler, %d VMs, page size %d (target calls/sweep = ceil(N/page) = %d):\n",
                count, pageSize, (count + pageSize - 1) / pageSize);
    for (int i = 0; i < int(sweeps.size()) && i < 3; ++i)
        std::printf("  %-26s ARM calls %d, VMs %d, new %d, power changes %d, CPU %.0f ms\n",
                    labels[i], sweeps[i].armCalls, sweeps[i].vms, sweeps[i].newVms,
                    sweeps[i].powerChanges, cpu[i]);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString what = args.size() > 1 && !args[1].startsWith(u"--"_s) ? args[1] : u"all"_s;
    int trials = 200;
    if (const qsizetype i = args.indexOf(u"--trials"_s); i > 0 && i + 1 < args.size())
        trials = args[i + 1].toInt();
    const bool withReconciler = !args.contains(u"--no-reconciler"_s);
    std::printf("store on %s (tmpfs when available)\n", qPrintable(storeDir()));
    if (what == u"single"_s || what == u"all"_s)
        single(trials);
    if (what == u"mass"_s || what == u"all"_s)
        mass(1'000, withReconciler);
    if (what == u"reconciler"_s || what == u"all"_s)
        reconciler(10'000, 1'000);
    return 0;
}
