// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Dashboard benchmarks (not a test; see docs/BENCHMARKS.md "## Dashboard"). One scenario per
// process so each peak RSS (VmHWM) is its own:
//   bench_gui latency [seconds]   10,000 VMs, 1,000 state changes/s, GUI event-loop latency
//   bench_gui firstpaint <db>     start to first paint of the fleet table over 1,000,000 events
//   bench_gui export <db>         CSV export of 1,000,000 events
// <db> is created (with 1,000,000 events) on first use and reused afterwards.
#include "base/clock.h"
#include "export/csvexport.h"
#include "models/fleettablemodel.h"
#include "models/localfleetsource.h"
#include "support/gui/guitestsupport.h"
#include "ui/fleetview.h"
#include "ui/mainwindow.h"
#include "ui/secretstores.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

using namespace spotkeeper;

namespace {

long peakRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

// CPU time of this thread: on a machine shared with other jobs it says what the wall time
// would be on a quiet one (the scenario is single-threaded and CPU-bound).
qint64 threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

void seedVms(core::Store &store, int count, const QDateTime &now)
{
    gui::test::DemoOptions options;
    options.vms = count;
    options.eventsPerVm = 0;
    gui::test::seedDemoFleet(store, now, options);
}

// 1,000 VMs and 1,000,000 events over 30 days, inserted in one transaction for speed.
void ensureMillionEvents(const QString &path)
{
    if (QFile::exists(path))
        return;
    const QDateTime now = base::systemClock().nowUtc();
    {
        auto store = gui::test::openStore(path, nullptr);
        seedVms(*store, 1000, now);
    }
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("seed"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery(db).exec(QStringLiteral("PRAGMA synchronous=OFF"));
        db.transaction();
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("INSERT INTO events (vm_id, kind, occurred_at, source, event_type, "
                           "event_status, http_status, arm_error_code, correlation_id, message) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const qint64 end = now.toMSecsSinceEpoch();
        const qint64 span = 30LL * 24 * 3600 * 1000;
        for (int i = 0; i < 1'000'000; ++i) {
            const int k = i % 20;
            q.addBindValue(qint64(1 + i % 1000));
            q.addBindValue(k == 0       ? QStringLiteral("eviction")
                               : k < 4  ? QStringLiteral("restart_attempt")
                               : k < 10 ? QStringLiteral("notice")
                                        : QStringLiteral("heartbeat"));
            q.addBindValue(end - span + span * i / 1'000'000);
            q.addBindValue(k < 4 ? QStringLiteral("engine") : QStringLiteral("agent"));
            q.addBindValue(k == 0 || (k >= 4 && k < 10) ? QStringLiteral("Preempt") : QString());
            q.addBindValue(k >= 4 && k < 10 ? QStringLiteral("Scheduled") : QString());
            q.addBindValue(k > 0 && k < 4 ? QVariant(k == 1 ? 409 : 202) : QVariant());
            q.addBindValue(k == 1 ? QStringLiteral("ZonalAllocationFailed") : QString());
            q.addBindValue(k > 0 && k < 4 ? QStringLiteral("5c7e9a1b-2d3f-4e5a-8b6c-%1").arg(i)
                                          : QString());
            q.addBindValue(QStringLiteral("event %1, with \"quotes\", commas and =formula").arg(i));
            q.exec();
        }
        db.commit();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("seed"));
}

int latency(int seconds)
{
    // The simulated engine commits every change (synchronous=FULL) on the GUI thread, as
    // the in-process engine does; /dev/shm keeps fsync from measuring the disk, not the GUI.
    QTemporaryDir dir(QDir(QStringLiteral("/dev/shm")).exists()
                          ? QStringLiteral("/dev/shm/spotkeeper-bench-XXXXXX")
                          : QDir::temp().filePath(QStringLiteral("spotkeeper-bench-XXXXXX")));
    base::Clock &clock = base::systemClock();
    auto store = gui::test::openStore(dir.filePath(QStringLiteral("bench.db")), nullptr);
    seedVms(*store, 10000, clock.nowUtc());
    gui::LocalFleetSource source(*store, nullptr, clock);
    gui::SourceStatus status;
    status.credentialsAvailable = true;
    source.setStatus(status);
    gui::MemorySecretStore secrets;
    gui::MainWindow window(source, clock, secrets);
    window.resize(1400, 900);
    window.show();
    QCoreApplication::processEvents();
    const QList<core::VmRecord> vms = store->vms();

    QList<double> samples;
    QElapsedTimer total;
    total.start();
    int changes = 0;
    QTimer load;
    load.setInterval(10); // 10 changes every 10 ms = 1,000 per second
    QObject::connect(&load, &QTimer::timeout, [&] {
        const qint64 due = total.elapsed() * 1000 / 1000; // changes owed so far
        while (changes < due) {
            const core::VmRecord &vm = vms.at((changes * 7919) % vms.size());
            store->setPowerState(
                vm.id, changes % 2 ? core::PowerState::Running : core::PowerState::Deallocated,
                clock.nowUtc());
            source.notifyVmChanged(vm.id);
            ++changes;
        }
    });
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        auto *posted = new QElapsedTimer;
        posted->start();
        QMetaObject::invokeMethod(
            qApp,
            [&samples, posted] {
                samples.append(double(posted->nsecsElapsed()) / 1e6);
                delete posted;
            },
            Qt::QueuedConnection);
    });
    // A second probe from another thread, every 5 ms by the wall clock: unlike the GUI-timer
    // probe it also catches the time a long slice keeps the GUI thread (and its timers) busy,
    // i.e. what an input event arriving at a random moment waits.
    QList<double> threadSamples;
    std::atomic_bool probing = true;
    std::thread poster([&threadSamples, &probing] {
        while (probing) {
            const auto posted = std::chrono::steady_clock::now();
            QMetaObject::invokeMethod(
                qApp,
                [&threadSamples, posted] {
                    threadSamples.append(std::chrono::duration<double, std::milli>(
                                             std::chrono::steady_clock::now() - posted)
                                             .count());
                },
                Qt::QueuedConnection);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    const qint64 cpuBefore = threadCpuMs();
    load.start();
    probe.start();
    QTimer::singleShot(seconds * 1000, qApp, &QCoreApplication::quit);
    QApplication::exec();
    const qint64 guiCpuMs = threadCpuMs() - cpuBefore;
    probing = false;
    poster.join();
    QCoreApplication::removePostedEvents(qApp); // probes posted after quit never ran
    const auto pct = [](QList<double> &values, double p) {
        std::sort(values.begin(), values.end());
        return values.isEmpty() ? 0.0
                                : values.at(qMin(values.size() - 1, qsizetype(values.size() * p)));
    };
    const double elapsedS = total.elapsed() / 1000.0;
    std::printf("latency: %d VMs, %d changes in %.1f s (%.0f/s); GUI thread busy %.0f%% (CPU); "
                "queued-call latency from a 5 ms GUI timer: p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                "(%lld samples); from another thread every 5 ms: p50 %.2f ms, p99 %.2f ms, max "
                "%.2f ms (%lld samples); peak RSS %ld MiB\n",
                int(vms.size()), changes, elapsedS, changes / elapsedS, guiCpuMs / 10.0 / elapsedS,
                pct(samples, 0.5), pct(samples, 0.99), pct(samples, 1.0), qint64(samples.size()),
                pct(threadSamples, 0.5), pct(threadSamples, 0.99), pct(threadSamples, 1.0),
                qint64(threadSamples.size()), peakRssKb() / 1024);
    return 0;
}

class PaintWatch final : public QObject
{
public:
    QElapsedTimer *timer = nullptr;
    qint64 paintedAt = -1;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && paintedAt < 0) {
            paintedAt = timer->elapsed();
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return QObject::eventFilter(watched, event);
    }
};

int firstPaint(const QString &path)
{
    ensureMillionEvents(path);
    QElapsedTimer timer;
    timer.start();
    base::Clock &clock = base::systemClock();
    auto store = gui::test::openStore(path, nullptr);
    gui::LocalFleetSource source(*store, nullptr, clock);
    gui::MemorySecretStore secrets;
    gui::MainWindow window(source, clock, secrets);
    PaintWatch watch;
    watch.timer = &timer;
    window.fleetView()->table()->viewport()->installEventFilter(&watch);
    window.resize(1400, 900);
    window.show();
    QApplication::exec();
    std::printf("firstpaint: %d VMs over 1,000,000 stored events: first paint of the fleet table "
                "after %lld ms; peak RSS %ld MiB\n",
                window.fleetModel()->rowCount(), watch.paintedAt, peakRssKb() / 1024);
    return 0;
}

int exportMillion(const QString &path)
{
    ensureMillionEvents(path);
    auto store = gui::test::openStore(path, nullptr);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("events.csv"));
    QElapsedTimer timer;
    timer.start();
    qint64 cpu = threadCpuMs();
    QString error;
    const bool ok = core::exportEvents(*store, {}, out, {}, &error);
    const qint64 ms = timer.elapsed();
    const qint64 cpuMs = threadCpuMs() - cpu;
    // The same forward-only read without writing: how much of the time is the store's.
    timer.restart();
    cpu = threadCpuMs();
    qint64 rows = 0;
    store->forEachEvent({}, [&rows](const core::EventRecord &) {
        ++rows;
        return true;
    });
    const qint64 readMs = timer.elapsed();
    const qint64 readCpuMs = threadCpuMs() - cpu;
    std::printf("export: %s, %lld events to CSV (%lld MB) in %lld ms (CPU %lld ms); reading them "
                "from the store alone: %lld ms (CPU %lld ms); peak RSS %ld MiB\n",
                ok ? "ok" : qPrintable(error), rows, QFileInfo(out).size() / 1'000'000, ms, cpuMs,
                readMs, readCpuMs, peakRssKb() / 1024);
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("spotkeeper-bench"));
    QStandardPaths::setTestModeEnabled(true);
    const QStringList args = QCoreApplication::arguments();
    const QString scenario = args.value(1);
    const QString db =
        args.value(2, QDir::temp().filePath(QStringLiteral("spotkeeper-bench-1m.db")));
    if (scenario == QLatin1StringView("latency"))
        return latency(args.value(2, QStringLiteral("10")).toInt());
    if (scenario == QLatin1StringView("firstpaint"))
        return firstPaint(db);
    if (scenario == QLatin1StringView("export"))
        return exportMillion(db);
    std::fprintf(stderr, "usage: bench_gui latency [seconds] | firstpaint [db] | export [db]\n");
    return 2;
}
