// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Cost tab benchmark (not a test; see docs/BENCHMARKS.md "## Cost tab"): one year of history
// of 10,000 Spot VMs (an eviction about every two weeks each: 26 restart jobs and 53 power
// spans per VM, 530,000 spans and 260,000 jobs) in an SQLite file, then the Cost tab's
// "Last 12 months" from reload() to the drawn tab: the two reports (by size with a weekly
// savings series, and by size for the top-sizes charts) computed by the database on the
// worker thread, the charts and the table filled and the panel painted.
//   bench_cost [--runs 7] [--vms 10000] [--db FILE]
// The file is created on first use and reused afterwards (--db keeps it).
#include "models/costmodel.h"
#include "models/localfleetsource.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "ui/costpanel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 24 * kHourMs;
const QDateTime kNow(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC);

const QStringList kSizes {u"Standard_D2s_v3"_s, u"Standard_D4s_v3"_s,  u"Standard_D8s_v3"_s,
                          u"Standard_E2s_v5"_s, u"Standard_E4s_v5"_s,  u"Standard_F4s_v2"_s,
                          u"Standard_F8s_v2"_s, u"Standard_D2as_v5"_s, u"Standard_D4as_v5"_s,
                          u"Standard_B2ms"_s};
const QStringList kRegions {
    u"westeurope"_s,    u"northeurope"_s, u"eastus"_s,        u"eastus2"_s,
    u"westus2"_s,       u"uksouth"_s,     u"francecentral"_s, u"germanywestcentral"_s,
    u"southeastasia"_s, u"japaneast"_s};

bool exec(QSqlQuery &q, const QString &what)
{
    if (q.exec())
        return true;
    std::fprintf(stderr, "bench_cost: %s: %s\n", qPrintable(what),
                 qPrintable(q.lastError().text()));
    return false;
}

// The history, written straight into the file (the store's own calls would take a transaction
// per change: hours for 800,000 rows).
bool seed(const QString &path, int vms, base::Clock &clock)
{
    {
        core::StoreOptions options(path);
        options.clock = &clock;
        core::StoreError error;
        auto store = core::Store::open(options, &error);
        if (!store) {
            std::fprintf(stderr, "bench_cost: %s\n", qPrintable(error.message));
            return false;
        }
        QList<core::PriceRecord> prices;
        for (const QString &region : kRegions) {
            for (int s = 0; s < kSizes.size(); ++s) {
                core::PriceRecord p;
                p.region = region;
                p.size = kSizes.at(s).toLower();
                p.kind = core::PriceKind::PayAsYouGo;
                p.perHour = 0.1 * (s + 1);
                prices << p;
                p.kind = core::PriceKind::Spot;
                p.perHour = 0.02 * (s + 1);
                prices << p;
            }
        }
        store->savePrices(prices);
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bench-seed"_s);
    db.setDatabaseName(path);
    if (!db.open())
        return false;
    {
        QSqlQuery q(db);
        q.exec(u"PRAGMA synchronous=OFF"_s);
        db.transaction();
        QSqlQuery vm(db);
        vm.prepare(u"INSERT INTO vms (id, resource_key, resource_id, subscription_id, "
                   "resource_group, name, location, size, priority, power_state, power_state_at, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Spot', 'running', ?, "
                   "?, ?)"_s);
        QSqlQuery span(db);
        span.prepare(u"INSERT INTO power_history (vm_id, state, started_at, ended_at) "
                     "VALUES (?, ?, ?, ?)"_s);
        QSqlQuery job(db);
        job.prepare(u"INSERT INTO jobs (vm_id, state, trigger_source, attempt, evicted_at, "
                    "created_at, updated_at, finished_at) VALUES (?, 'running', 'notice', 1, ?, "
                    "?, ?, ?)"_s);
        QRandomGenerator rng(18);
        const qint64 end = kNow.toMSecsSinceEpoch();
        const qint64 start = end - 365 * kDayMs;
        for (int i = 1; i <= vms; ++i) {
            const QString id = u"/subscriptions/00000000-0000-0000-0000-%1/resourceGroups/rg-%2/"
                               "providers/Microsoft.Compute/virtualMachines/vm-%3"_s
                                   .arg(i % 4 + 1, 12, 10, QChar(u'0'))
                                   .arg(i % 50)
                                   .arg(i);
            vm.addBindValue(i);
            vm.addBindValue(id.toLower());
            vm.addBindValue(id);
            vm.addBindValue(u"00000000-0000-0000-0000-%1"_s.arg(i % 4 + 1, 12, 10, QChar(u'0')));
            vm.addBindValue(u"rg-%1"_s.arg(i % 50));
            vm.addBindValue(u"vm-%1"_s.arg(i));
            vm.addBindValue(kRegions.at(i % kRegions.size()));
            vm.addBindValue(kSizes.at((i / kRegions.size()) % kSizes.size()));
            vm.addBindValue(start);
            vm.addBindValue(start);
            vm.addBindValue(start);
            if (!exec(vm, u"vm"_s))
                return false;
            // Runs about two weeks, is evicted, comes back after 5 to 120 minutes.
            qint64 at = start;
            while (at < end) {
                const qint64 evictAt = at + 10 * kDayMs + qint64(rng.bounded(8 * kDayMs));
                if (evictAt >= end) {
                    span.addBindValue(i);
                    span.addBindValue(u"running"_s);
                    span.addBindValue(at);
                    span.addBindValue(QVariant());
                    if (!exec(span, u"span"_s))
                        return false;
                    break;
                }
                const qint64 backAt = evictAt + 5 * 60'000 + qint64(rng.bounded(115 * 60'000));
                for (const auto &[state, from, to] :
                     {std::tuple {u"running"_s, at, evictAt},
                      std::tuple {u"deallocated"_s, evictAt, backAt}}) {
                    span.addBindValue(i);
                    span.addBindValue(state);
                    span.addBindValue(from);
                    span.addBindValue(to);
                    if (!exec(span, u"span"_s))
                        return false;
                }
                job.addBindValue(i);
                job.addBindValue(evictAt);
                job.addBindValue(evictAt);
                job.addBindValue(backAt);
                job.addBindValue(backAt);
                if (!exec(job, u"job"_s))
                    return false;
                at = backAt;
            }
        }
        db.commit();
        q.exec(u"ANALYZE"_s);
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"bench-seed"_s);
    return true;
}

// CPU time of the whole process (the report runs on a worker thread): on a machine shared
// with other jobs it says what the wall time would be on a quiet one.
double processCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1000 + double(ts.tv_nsec) / 1e6;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    int runs = 7;
    int vms = 10'000;
    QString dbPath;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == "--runs"_L1)
            runs = args.at(i + 1).toInt();
        else if (args.at(i) == "--vms"_L1)
            vms = args.at(i + 1).toInt();
        else if (args.at(i) == "--db"_L1)
            dbPath = args.at(i + 1);
    }
    QTemporaryDir dir;
    if (dbPath.isEmpty())
        dbPath = dir.filePath(u"cost.db"_s);
    testsupport::ManualClock clock(kNow);
    if (!QFile::exists(dbPath)) {
        QElapsedTimer seeding;
        seeding.start();
        if (!seed(dbPath, vms, clock))
            return 1;
        std::printf("seeded %d VMs x 1 year in %.1f s\n", vms, double(seeding.elapsed()) / 1000);
    }
    core::StoreOptions options(dbPath);
    options.clock = &clock;
    core::StoreError error;
    auto store = core::Store::open(options, &error);
    if (!store) {
        std::fprintf(stderr, "bench_cost: %s\n", qPrintable(error.message));
        return 1;
    }
    gui::LocalFleetSource source(*store, nullptr, clock);
    gui::CostReports reports(source, clock);
    reports.setRange(gui::CostReports::Range::Last12Months); // first load: warms the page cache
    gui::CostPanel panel(reports);
    panel.resize(1280, 900);
    panel.show();
    QSignalSpy reloaded(&reports, &gui::CostReports::reloaded);
    if (!reloaded.wait(120'000)) {
        std::fprintf(stderr, "bench_cost: the first report did not arrive\n");
        return 1;
    }
    QList<double> wall;
    QList<double> cpu;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = processCpuMs();
        reports.reload();
        if (!reloaded.wait(120'000)) {
            std::fprintf(stderr, "bench_cost: run %d: no report\n", run);
            return 1;
        }
        panel.repaint();
        QCoreApplication::processEvents();
        wall << double(timer.nsecsElapsed()) / 1e6;
        cpu << processCpuMs() - cpuStart;
        std::printf("run %d: %.0f ms wall, %.0f ms CPU\n", run + 1, wall.constLast(),
                    cpu.constLast());
    }
    const core::CostRow total = reports.table()->report().total();
    std::printf("rows %lld, series %lld points, running %.0f h, lost %.0f h, %lld evictions\n",
                qint64(reports.table()->report().rows.size()),
                qint64(reports.table()->report().series.size()), total.runningHours,
                total.lostHours, total.evictions);
    std::printf("median of %d: %.0f ms wall, %.0f ms CPU (reload to painted Cost tab, 1 year x "
                "%d VMs)\n",
                runs, median(wall), median(cpu), vms);
    return 0;
}
