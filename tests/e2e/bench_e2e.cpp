// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// bench_e2e: simulator + spotkeeperd benchmarks (docs/BENCHMARKS.md "Simulator and
// end-to-end"). Not a test. Usage: bench_e2e recovery [VMS [SCALE_SET_INSTANCES]] |
// storm [VMS RECONCILE LISTS] | availability [SCENARIO SPEED]
// | latency | takeover [VMS LEASE_SECONDS ROUNDS] (two replicas on a throwaway PostgreSQL)
#include "support/common/pgcluster.h"
#include "support/e2e/e2echecks.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTextStream>
#include <QThread>

#include <algorithm>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

// Wall ms of a simulated ISO time, from one (simTime, wallTime) pair of /control/state.
qint64 simToWall(const QJsonObject &state, const QString &simIso, double speed)
{
    const qint64 simNow =
        QDateTime::fromString(state.value("simTime"_L1).toString(), Qt::ISODateWithMs)
            .toMSecsSinceEpoch();
    const qint64 wallNow =
        QDateTime::fromString(state.value("wallTime"_L1).toString(), Qt::ISODateWithMs)
            .toMSecsSinceEpoch();
    const qint64 sim = QDateTime::fromString(simIso, Qt::ISODateWithMs).toMSecsSinceEpoch();
    return wallNow - qint64(double(simNow - sim) / speed);
}

int recovery(int vms, int instances)
{
    const double speed = 10;
    E2eRig rig;
    QString error;
    QStringList extra; // not a conditional of temporaries: GCC 12 -O3 warns of a dangling one
    if (instances > 0)
        extra << u"--scale-set-instances"_s << QString::number(instances);
    if (!rig.startSim(vms, vms, speed, extra, &error) || !rig.startDaemon(&error, 60)) {
        out() << "setup failed: " << error << Qt::endl;
        return 1;
    }
    QThread::sleep(3);
    rig.control("evict", QByteArray("{\"count\":") + QByteArray::number(vms) + "}");
    QElapsedTimer timer;
    timer.start();
    const bool ok = E2eRig::waitFor(
        [&] {
            const QJsonObject s = rig.state();
            return counter(s, "evictions") == vms && runningVms(s) == vms;
        },
        20 * 60'000);
    const QJsonObject state = rig.state();
    const QJsonObject records = rig.records();
    // Deallocation time of each VM = the start of its current "deallocated" is gone once it
    // runs again, so take it from the starts: the first accepted start found it deallocated;
    // the eviction schedule is the same for every VM (same notice, same deallocation time).
    qint64 lastStartWall = 0;
    qint64 firstStartWall = std::numeric_limits<qint64>::max();
    for (const QJsonValue &v : records.value("starts"_L1).toArray()) {
        const QJsonObject s = v.toObject();
        if (s.value("status"_L1).toInt() != 202)
            continue;
        lastStartWall = std::max(lastStartWall, s.value("wallMs"_L1).toInteger());
        firstStartWall = std::min(firstStartWall, s.value("wallMs"_L1).toInteger());
    }
    // All VMs were evicted in one call: they deallocate together, at the earliest the first
    // start could go out. The write bucket then allows 200 at once and 10 per second.
    const double boundSeconds = std::max(0.0, double(vms - 200) / 10.0);
    const double seconds = double(lastStartWall - firstStartWall) / 1000.0;
    out() << "recovered: " << (ok ? "yes" : "NO") << " in " << timer.elapsed() / 1000 << " s\n"
          << "VMs: " << vms << ", starts accepted: " << counter(state, "startsAccepted")
          << ", double starts: " << counter(state, "doubleStarts")
          << ", starts on running: " << counter(state, "startsOnRunning") << '\n'
          << "first deallocated -> last start call: " << seconds << " s; lower bound "
          << boundSeconds << " s; ratio " << (boundSeconds > 0 ? seconds / boundSeconds : 0.0)
          << '\n'
          << "start POSTs: "
          << counter(state, "scaleSetStarts") + records.value("starts"_L1).toArray().size()
            - counter(state, "scaleSetStartInstances")
          << " (" << counter(state, "scaleSetStarts") << " scale set starts naming "
          << counter(state, "scaleSetStartInstances") << " of the " << instances << " instances)\n"
          << "429s sent by the simulator: " << counter(state, "throttled")
          << ", requests before Retry-After: " << counter(state, "requestsBeforeRetryAfter")
          << Qt::endl;
    Q_UNUSED(simToWall)
    return ok ? 0 : 1;
}

// Issue 12: 1,000 VMs evicted at once with no agent (only the reconciler sees them go), the
// simulator's default ARM limits (writes 200 + 10/s, reads 250 + 25/s per subscription). The
// physical bound is the write bucket; the ARM reads it took are counted per evicted VM.
int storm(int vms, int reconcileSeconds, int listThreshold)
{
    const double speed = 10;
    E2eRig rig;
    QString error;
    if (listThreshold >= 0) // 0: per-VM reads and followed starts, as before issue 12
        rig.setEngineOptions(u"list_power_threshold = %1"_s.arg(listThreshold));
    if (!rig.startSim(vms, 0, speed, {}, &error) || !rig.startDaemon(&error, reconcileSeconds)) {
        out() << "setup failed: " << error << Qt::endl;
        return 1;
    }
    // The reconciler must have seen every VM running (and tagged) before they go.
    auto store = rig.openStore();
    const bool known =
        E2eRig::waitFor([&] { return managedRunningVms(*store) == vms; }, 5 * 60'000);
    if (!known) {
        out() << "the reconciler did not list the fleet" << Qt::endl;
        return 1;
    }
    const QJsonObject before = rig.state();
    rig.control("evict", QByteArray("{\"count\":") + QByteArray::number(vms) + "}");
    QElapsedTimer timer;
    timer.start();
    const bool ok = E2eRig::waitFor(
        [&] {
            const QJsonObject s = rig.state();
            return counter(s, "evictions") == vms && runningVms(s) == vms;
        },
        20 * 60'000);
    const qint64 recoveredMs = timer.elapsed();
    const QJsonObject state = rig.state();
    const auto delta = [&](const char *name) {
        return counter(state, name) - counter(before, name);
    };
    qint64 lastStartWall = 0;
    qint64 firstStartWall = std::numeric_limits<qint64>::max();
    for (const QJsonValue &v : rig.records().value("starts"_L1).toArray()) {
        const QJsonObject s = v.toObject();
        if (s.value("status"_L1).toInt() != 202)
            continue;
        lastStartWall = std::max(lastStartWall, s.value("wallMs"_L1).toInteger());
        firstStartWall = std::min(firstStartWall, s.value("wallMs"_L1).toInteger());
    }
    const double boundSeconds = std::max(0.0, double(vms - 200) / 10.0);
    const double seconds = double(lastStartWall - firstStartWall) / 1000.0;
    const double reads = double(delta("armReads"));
    out() << "recovered: " << (ok ? "yes" : "NO") << "; eviction call -> all " << vms
          << " running: " << recoveredMs / 1000.0 << " s\n"
          << "first start -> last start: " << seconds << " s; write-bucket bound " << boundSeconds
          << " s; ratio " << (boundSeconds > 0 ? seconds / boundSeconds : 0.0) << '\n'
          << "starts accepted: " << delta("startsAccepted")
          << ", double starts: " << delta("doubleStarts")
          << ", starts on running: " << delta("startsOnRunning") << ", 429s: " << delta("throttled")
          << ", requests before Retry-After: " << delta("requestsBeforeRetryAfter") << '\n'
          << "ARM reads: " << reads << " (" << reads / vms << " per evicted VM): list pages "
          << delta("armReadListPages") << ", VM GETs " << delta("armReadVmGets")
          << ", operation polls " << delta("armReadOperationPolls") << ", Activity Log pages "
          << delta("armReadActivityPages") << ", other "
          << (reads - delta("armReadListPages") - delta("armReadVmGets")
              - delta("armReadOperationPolls") - delta("armReadActivityPages"))
          << "; ARM writes: " << delta("armWrites") << Qt::endl;
    return ok ? 0 : 1;
}

int availability(const QString &scenario, double speed, int seconds)
{
    E2eRig rig;
    QString error;
    if (!rig.startSim(0, 0, speed, {u"--scenario"_s, scenario}, &error)
        || !rig.startDaemon(&error, 10)) {
        out() << "setup failed: " << error << Qt::endl;
        return 1;
    }
    // Progress every simulated hour, so a long run shows where it stands.
    QElapsedTimer timer;
    timer.start();
    const qint64 stepMs = std::max<qint64>(1'000, qint64(3'600'000.0 / speed));
    while (timer.elapsed() < qint64(seconds) * 1000) {
        const qint64 left = qint64(seconds) * 1000 - timer.elapsed();
        E2eRig::waitFor([] { return false; }, int(std::min(stepMs, left)));
        const QJsonObject s = rig.state();
        out() << "  " << s.value("simTime"_L1).toString() << "  availability "
              << s.value("availability"_L1).toDouble() * 100.0 << " %  evictions "
              << counter(s, "evictions") << Qt::endl;
    }
    const QJsonObject state = rig.state();
    const QJsonObject l = state.value("losses"_L1).toObject();
    const double running = state.value("runningVmMinutes"_L1).toDouble();
    const double best = state.value("bestVmMinutes"_L1).toDouble();
    const auto perOutage = [&](const char *key, qint64 outages) {
        const double minutes = l.value(QLatin1StringView(key)).toDouble();
        return u"%1 VM-min (%2 simulated s = %3 real s per outage)"_s.arg(minutes, 0, 'f', 1)
            .arg(outages > 0 ? minutes * 60.0 / double(outages) : 0.0, 0, 'f', 1)
            .arg(outages > 0 ? minutes * 60.0 / double(outages) / speed : 0.0, 0, 'f', 2);
    };
    const qint64 outages = l.value("outages"_L1).toInteger();
    const qint64 noticed = l.value("outagesWithNotice"_L1).toInteger();
    const qint64 shortage = l.value("outagesWithShortage"_L1).toInteger();
    out() << "simulated until " << state.value("simTime"_L1).toString() << " (speed " << speed
          << ", " << seconds << " s real)\n"
          << "evictions: " << counter(state, "evictions")
          << ", without notice: " << counter(state, "evictionsWithoutNotice")
          << ", starts refused for capacity: " << counter(state, "startsRefusedCapacity")
          << ", double starts: " << counter(state, "doubleStarts")
          << ", starts on running: " << counter(state, "startsOnRunning")
          << ", requests before Retry-After: " << counter(state, "requestsBeforeRetryAfter")
          << ", 429s: " << counter(state, "throttled") << '\n'
          << "VM-minutes running " << running << " of best possible " << best << ", lost "
          << (best - running) << '\n'
          << "finished outages: " << outages << " (" << noticed << " with notice, " << shortage
          << " met a capacity shortage)\n"
          << "  lost to detection, notice (deallocated -> start POST): "
          << perOutage("detectionVmMinutes", noticed) << '\n'
          << "  lost to detection, no notice (reconciler): "
          << perOutage("detectionNoNoticeVmMinutes", outages - noticed) << '\n'
          << "  lost to retries after a capacity shortage (capacity back -> accepted start): "
          << perOutage("retriesShortageVmMinutes", shortage) << '\n'
          << "  lost to other retries (409 while deallocating, 5xx, ...): "
          << l.value("retriesVmMinutes"_L1).toDouble() << " VM-min\n"
          << "  worst single outage: " << l.value("maxLossMinutes"_L1).toDouble()
          << " min beyond the unavoidable\n"
          << "availability (VM-minutes running / best possible): "
          << state.value("availability"_L1).toDouble() * 100.0 << " %" << Qt::endl;
    return 0;
}

int latency()
{
    E2eRig rig;
    QString error;
    if (!rig.startSim(2, 0, 1, {}, &error) || !rig.startDaemon(&error, 60)
        || !rig.startRealAgent(u"vm-0001"_s, &error)) {
        out() << "setup failed: " << error << Qt::endl;
        return 1;
    }
    QThread::sleep(5);
    const qint64 evictedAt = QDateTime::currentMSecsSinceEpoch();
    rig.control("evict", R"({"vms":["vm-0001"]})");
    qint64 storedAt = 0;
    E2eRig::waitFor(
        [&] {
            auto store = rig.openStore();
            if (store && !storedNoticeIds(*store).isEmpty()) {
                storedAt = QDateTime::currentMSecsSinceEpoch();
                return true;
            }
            return false;
        },
        60'000);
    E2eRig::waitFor([&] { return counter(rig.state(), "startsAccepted") >= 1; }, 180'000);
    const QJsonObject records = rig.records();
    const QJsonObject start = records.value("starts"_L1).toArray().first().toObject();
    // Speed 1: simulated time is wall time. Default timings: NotBefore = eviction + 30 s,
    // then 30 s deallocating.
    const qint64 deallocatedAt = evictedAt + 30'000 + 30'000;
    const qint64 startAt = start.value("wallMs"_L1).toInteger();
    out() << "IMDS Preempt -> notice in the store: " << (storedAt - evictedAt)
          << " ms (store polled every 250 ms)\n"
          << "VM deallocated -> start POST: " << (startAt - deallocatedAt)
          << " ms (VM state at the POST: " << start.value("powerBefore"_L1).toString() << ")\n"
          << "eviction -> start POST: " << (startAt - evictedAt) << " ms" << Qt::endl;
    return 0;
}

// Issue 14: two replicas on one PostgreSQL database; the one that owns an eviction wave's jobs
// is SIGKILLed while they are in flight (claimed, no VM started yet). Measured from the kill:
// the survivor's first accepted start, and every VM running. Rounds on fresh databases.
int takeover(int vms, int leaseSeconds, int rounds)
{
    testsupport::PgCluster pg;
    QString error;
    if (!pg.start(&error) || !pg.usePgPassFile(&error)) {
        out() << "PostgreSQL: " << error << Qt::endl;
        return 1;
    }
    QList<double> firstStarts;
    QList<double> allRunning;
    for (int round = 1; round <= rounds; ++round) {
        const QString database = u"takeover_%1"_s.arg(round);
        if (!pg.createDatabase(database, &error)) {
            out() << "PostgreSQL: " << error << Qt::endl;
            return 1;
        }
        E2eRig rig;
        rig.setStoreLocation(pg.url(database));
        rig.setEngineOptions(u"lease_seconds = %1"_s.arg(leaseSeconds));
        if (!rig.startSim(vms, vms, 10, {}, &error) || !rig.startDaemon(&error)
            || !rig.startSecondDaemon(&error)) {
            out() << "setup failed: " << error << Qt::endl;
            return 1;
        }
        auto store = rig.openStore();
        rig.control("evict", QByteArray("{\"count\":") + QByteArray::number(vms) + "}");
        // The agents report to the first replica only: it creates and owns every job.
        if (!E2eRig::waitFor([&] { return store->activeJobs().size() == vms; }, 60'000)) {
            out() << "the jobs were not created" << Qt::endl;
            return 1;
        }
        const qint64 startsBefore = rig.records().value("starts"_L1).toArray().size();
        const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
        rig.killDaemon();
        const bool ok = E2eRig::waitFor(
            [&] {
                const QJsonObject s = rig.state();
                return counter(s, "evictions") == vms && runningVms(s) == vms;
            },
            10 * 60'000);
        const qint64 runningAt = QDateTime::currentMSecsSinceEpoch();
        const QJsonObject state = rig.state();
        qint64 firstStart = 0;
        for (const QJsonValue &v : rig.records().value("starts"_L1).toArray()) {
            const QJsonObject start = v.toObject();
            const qint64 at = start.value("wallMs"_L1).toInteger();
            if (start.value("status"_L1).toInt() == 202 && at >= killedAt
                && (firstStart == 0 || at < firstStart))
                firstStart = at;
        }
        const double first = firstStart ? double(firstStart - killedAt) / 1000.0 : -1.0;
        const double all = double(runningAt - killedAt) / 1000.0;
        out() << "round " << round << ": " << vms << " VMs, lease " << leaseSeconds
              << " s, starts before the kill " << startsBefore
              << "; kill -> first start by the survivor " << first << " s, -> all running " << all
              << " s (" << (ok ? "recovered" : "NOT recovered") << "); double starts "
              << counter(state, "doubleStarts") << ", starts on running "
              << counter(state, "startsOnRunning") << Qt::endl;
        if (!ok || firstStart == 0 || counter(state, "doubleStarts") != 0)
            return 1;
        firstStarts << first;
        allRunning << all;
    }
    std::sort(firstStarts.begin(), firstStarts.end());
    std::sort(allRunning.begin(), allRunning.end());
    out() << "median of " << rounds << " rounds: kill -> first start "
          << firstStarts.at(firstStarts.size() / 2) << " s (" << firstStarts.first() << "-"
          << firstStarts.last() << "), kill -> all running " << allRunning.at(allRunning.size() / 2)
          << " s" << Qt::endl;
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty()) {
        out() << missing << Qt::endl;
        return 2;
    }
    const QStringList args = app.arguments();
    const QString mode = args.value(1, u"recovery"_s);
    if (mode == "recovery"_L1)
        return recovery(args.value(2, u"1000"_s).toInt(), args.value(3, u"0"_s).toInt());
    if (mode == "storm"_L1)
        return storm(args.value(2, u"1000"_s).toInt(), args.value(3, u"10"_s).toInt(),
                     args.value(4, u"-1"_s).toInt());
    if (mode == "availability"_L1)
        return availability(args.value(2,
                                       QStringLiteral(SPOTKEEPER_SOURCE_DIR)
                                           + u"/packaging/sim/capacity-day.json"_s),
                            args.value(3, u"24"_s).toDouble(), args.value(4, u"3600"_s).toInt());
    if (mode == "latency"_L1)
        return latency();
    if (mode == "takeover"_L1)
        return takeover(args.value(2, u"20"_s).toInt(), args.value(3, u"10"_s).toInt(),
                        args.value(4, u"3"_s).toInt());
    out() << "usage: bench_e2e recovery [VMS [INSTANCES]] | storm [VMS RECONCILE_SECONDS "
             "LIST_THRESHOLD] | availability [SCENARIO SPEED SECONDS] | latency | takeover "
             "[VMS LEASE_SECONDS ROUNDS]"
          << Qt::endl;
    return 2;
}
