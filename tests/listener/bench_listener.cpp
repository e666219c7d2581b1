// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// bench_listener: the listener with its real SQLite store (WAL, synchronous=FULL) on
// 127.0.0.1, driven by Debian's `wrk` with pre-signed requests (a Lua script cycles
// through them; wrk's Lua has no HMAC), or by 200 slow sockets.
//   bench_listener notices    [seconds=10] [connections=64] [thread|inline]
//     (inline: group commits on the event loop instead of the writer thread)
//   bench_listener heartbeats [seconds=10] [rate=2000] [connections=20]
//   bench_listener slow       [sockets=200] [seconds=12]
//   bench_listener metrics    [seconds=4] [vms=10000] [rounds=3] [connections=16]
//   SPOTKEEPER_BENCH_STORE=postgresql bench_listener notices ...: the same on a throwaway
//     PostgreSQL (tests/support/common/pgcluster.h) with fsync and full_page_writes on, so a
//     commit is as durable as SQLite's synchronous=FULL
//   bench_listener replicas [seconds=10] [connections=64] [replicas=3]: that PostgreSQL
//     with REPLICAS listener processes on its one database (this program, "serve" mode),
//     the connections dealt round robin over them (one wrk per replica, side by side)
//     (notices while a second wrk polls GET /metrics as hard as it can: the store gauges
//      read on every scrape, as before, side by side with the cached ones; medians)
// The FleetOperations behind the listener does nothing: this measures ingest, not restarts.
#include "base/clock.h"
#include "http/httpserver.h"
#include "listener/webhooklistener.h"
#include "protocol/messagecodec.h"
#include "store/store.h"
#include "support/common/pgcluster.h"
#include "support/listener/listenertestkit.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace spotkeeper;
using namespace spotkeeper::listenertest;
using namespace Qt::StringLiterals;

namespace {

class NoOperations final : public core::FleetOperations
{
public:
    void handleNoticeStored(qint64, const core::EventRecord &) override { }
    void handleUnconfirmedNotice(qint64) override { }
    core::OperationResult forceRestart(qint64, const QString &) override { return {}; }
    core::OperationResult pauseAutoRestart(qint64, const QString &) override { return {}; }
    core::OperationResult resumeAutoRestart(qint64, const QString &) override { return {}; }
    core::OperationResult stopOnPurpose(qint64, const QString &) override { return {}; }
    core::OperationResult startVm(qint64, const QString &) override { return {}; }
    core::OperationResult cancelJob(qint64, const QString &) override { return {}; }
    core::OperationResult addVm(const QString &, const QString &) override { return {}; }
};

const char *kLua = R"(
local lines = {}
local idx = 0
local path = "/"
local pause = 0
function init(args)
  path = args[2]
  pause = tonumber(args[3])
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
end
function delay()
  return pause
end
function request()
  idx = idx + 1
  if idx > #lines then idx = 1 end
  local id, ts, sig, key, body = lines[idx]:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
  return wrk.format("POST", path, {["webhook-id"] = id, ["webhook-timestamp"] = ts,
    ["webhook-signature"] = sig, ["spotkeeper-key-id"] = key,
    ["Content-Type"] = "application/json"}, body)
end
)";

double cpuSeconds() // this process (the listener), not wrk
{
    rusage usage = {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long statusKb(const char *field)
{
    QFile file(u"/proc/self/status"_s);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

struct Bench
{
    QTemporaryDir dir;
    std::unique_ptr<testsupport::PgCluster> pg; // SPOTKEEPER_BENCH_STORE=postgresql
    std::unique_ptr<core::Store> store;
    NoOperations operations;
    http::HttpServer server;
    std::unique_ptr<core::WebhookListener> listener;
    QList<QPair<QString, protocol::WebhookSecret>> keys; // per VM "bench-<i>"

    bool start(int vms, bool commitThread, QString *error)
    {
        core::StoreOptions storeOptions {dir.filePath(u"bench.db"_s), false, 5000, nullptr};
        if (qEnvironmentVariable("SPOTKEEPER_BENCH_STORE") == u"postgresql"_s) {
            pg = std::make_unique<testsupport::PgCluster>();
            pg->setServerSetting(u"fsync"_s, u"on"_s); // durable like SQLite's FULL
            pg->setServerSetting(u"full_page_writes"_s, u"on"_s);
            if (!pg->start(error) || !pg->createDatabase(u"bench"_s, error))
                return false;
            storeOptions.path = pg->url(u"bench"_s);
            storeOptions.passwordFile = pg->passwordFile();
        }
        std::printf("store: %s\n", qPrintable(pg ? u"PostgreSQL (fsync on)"_s : u"SQLite"_s));
        core::StoreError storeError;
        store = core::Store::open(storeOptions, &storeError);
        if (!store) {
            *error = storeError.message;
            return false;
        }
        core::ListenerOptions options;
        options.commitThread = commitThread;
        listener = std::make_unique<core::WebhookListener>(*store, operations, base::systemClock(),
                                                           options);
        listener->attach(server);
        for (int i = 0; i < vms; ++i) {
            core::KeyError code = core::KeyError::None;
            const auto key = listener->keys().generate(
                vmResourceId(u"bench-"_s + QString::number(i)), u"bench"_s, &code, error);
            if (!key)
                return false;
            keys.append({key->keyId, key->secret});
        }
        return server.listen(QHostAddress(QHostAddress::LocalHost), 0, error);
    }

    // One line per request: id, timestamp, signature, key id, body (tab-separated).
    QString writeRequests(bool notices, int count, int first = 0)
    {
        const QString path = dir.filePath((notices ? u"notices-"_s : u"heartbeats-"_s)
                                          + QString::number(first) + u".tsv"_s);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int n = first; n < first + count; ++n) {
            const int vm = n % int(keys.size());
            const QString name = u"bench-"_s + QString::number(vm);
            const QByteArray body = notices
                ? protocol::encodeNotice(makeNotice(name, newEventId(n), now))
                : protocol::encodeHeartbeat(makeHeartbeat(name, now));
            const SignedRequest r = sign(body, keys.at(vm).first, {keys.at(vm).second},
                                         u"msg_"_s + QString::number(n), now.toSecsSinceEpoch());
            QByteArray line;
            for (const auto &h : r.headers)
                line += h.second + '\t';
            file.write(line + body + '\n');
        }
        return path;
    }
};

// wrk's script that sends the pre-signed requests; empty when it cannot be written.
QString writeLuaScript(Bench &bench)
{
    const QString script = bench.dir.filePath(u"signed.lua"_s);
    QFile lua(script);
    if (!lua.open(QIODevice::WriteOnly) || lua.write(kLua) < 0)
        return {};
    return script;
}

int runWrk(QCoreApplication &app, Bench &bench, const QString &requests, const QByteArray &path,
           int seconds, int connections, int delayMs)
{
    const QString script = writeLuaScript(bench);
    if (script.isEmpty())
        return 1;
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::ForwardedChannels);
    QObject::connect(&wrk, &QProcess::finished, &app, [&] { app.exit(wrk.exitCode()); });
    QObject::connect(&wrk, &QProcess::errorOccurred, &app, [&] {
        std::fprintf(stderr, "cannot run wrk (apt install wrk)\n");
        app.exit(1);
    });
    const QString url = u"http://127.0.0.1:"_s + QString::number(bench.server.serverPort()) + u'/';
    wrk.start(u"wrk"_s,
              {u"-t1"_s, u"-c"_s + QString::number(connections),
               u"-d"_s + QString::number(seconds) + u's', u"--latency"_s, u"-s"_s, script, url,
               u"--"_s, requests, QString::fromLatin1(path), QString::number(delayMs)});
    return app.exec();
}

// --- metrics mode: notices while a scraper polls /metrics

struct WrkFigures
{
    double requestsPerSec = 0;
    double p50Ms = 0;
    double p99Ms = 0;
};

double toMs(const QString &value) // wrk's "850.00us", "1.23ms", "1.02s"
{
    if (value.endsWith(u"us"_s))
        return value.chopped(2).toDouble() / 1000.0;
    if (value.endsWith(u"ms"_s))
        return value.chopped(2).toDouble();
    if (value.endsWith(u's'))
        return value.chopped(1).toDouble() * 1000.0;
    return value.toDouble();
}

WrkFigures parseWrk(const QByteArray &output)
{
    WrkFigures f;
    const QString text = QString::fromUtf8(output);
    const QRegularExpression rps(u"Requests/sec:\\s+([0-9.]+)"_s);
    const QRegularExpression p50(u"\\s50%\\s+([0-9.]+[mu]?s)"_s);
    const QRegularExpression p99(u"\\s99%\\s+([0-9.]+[mu]?s)"_s);
    if (const auto m = rps.match(text); m.hasMatch())
        f.requestsPerSec = m.captured(1).toDouble();
    if (const auto m = p50.match(text); m.hasMatch())
        f.p50Ms = toMs(m.captured(1));
    if (const auto m = p99.match(text); m.hasMatch())
        f.p99Ms = toMs(m.captured(1));
    return f;
}

// Runs the wrk command lines side by side and returns what each printed.
QList<QByteArray> runWrks(const QList<QStringList> &argLists)
{
    std::vector<std::unique_ptr<QProcess>> processes;
    QEventLoop loop;
    int running = int(argLists.size());
    for (const QStringList &args : argLists) {
        auto process = std::make_unique<QProcess>();
        process->setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(process.get(), &QProcess::finished, &loop, [&] {
            if (--running == 0)
                loop.quit();
        });
        QObject::connect(process.get(), &QProcess::errorOccurred, &loop, [&] {
            std::fprintf(stderr, "cannot run wrk (apt install wrk)\n");
            loop.exit(1);
        });
        process->start(u"wrk"_s, args);
        processes.push_back(std::move(process));
    }
    QList<QByteArray> outputs;
    if (loop.exec() != 0)
        return outputs;
    for (const auto &process : processes)
        outputs.append(process->readAll());
    return outputs;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

// 10,000 VMs (each with one stored notice) in one transaction, as a big fleet's store.
bool fillStore(core::Store &store, int vms)
{
    QList<core::IncomingNotice> batch;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < vms; ++i) {
        core::IncomingNotice n;
        n.webhookId = u"fill_"_s + QString::number(i);
        n.vm.name = u"fill-"_s + QString::number(i);
        n.vm.resourceId = vmResourceId(n.vm.name);
        n.vm.resourceKey = n.vm.resourceId.toLower();
        n.vm.resourceGroup = u"rg-fill"_s;
        n.vm.location = i % 2 ? u"eastus"_s : u"westeurope"_s;
        n.vmResourceKey = n.vm.resourceKey;
        n.event.kind = core::EventKind::Notice;
        n.event.at = now;
        n.event.source = u"agent"_s;
        n.event.eventType = u"Preempt"_s;
        n.event.eventStatus = u"Scheduled"_s;
        n.event.eventId = newEventId(10'000'000 + i);
        n.event.webhookId = n.webhookId;
        batch.append(n);
    }
    const QList<core::NoticeOutcome> outcomes = store.insertNotices(batch);
    return std::all_of(outcomes.cbegin(), outcomes.cend(), [](const core::NoticeOutcome &o) {
        return o.status == core::NoticeOutcome::Status::Inserted;
    });
}

int metricsBench(Bench &bench, int seconds, int vms, int rounds, int connections)
{
    QElapsedTimer fillTimer;
    fillTimer.start();
    if (!fillStore(*bench.store, vms)) {
        std::fprintf(stderr, "cannot fill the store\n");
        return 1;
    }
    std::printf("metrics: %d VMs (and notices) written in %lld ms\n", vms, fillTimer.elapsed());

    // What one scrape costs the event loop, measured in-process.
    core::ListenerMetrics &metrics = bench.listener->metrics();
    QElapsedTimer t;
    metrics.setStoreGaugeTtlMs(0);
    constexpr int kUncached = 20;
    t.start();
    for (int i = 0; i < kUncached; ++i)
        metrics.render(*bench.store, base::systemClock(), {});
    const double uncachedMs = double(t.nsecsElapsed()) / 1e6 / kUncached;
    metrics.setStoreGaugeTtlMs(core::ListenerMetrics::kDefaultStoreGaugeTtlMs);
    metrics.render(*bench.store, base::systemClock(), {});
    constexpr int kCached = 2000;
    t.restart();
    for (int i = 0; i < kCached; ++i)
        metrics.render(*bench.store, base::systemClock(), {});
    const double cachedMs = double(t.nsecsElapsed()) / 1e6 / kCached;
    std::printf("one /metrics render: %.2f ms reading the store on every scrape, %.4f ms with "
                "the store gauges cached (%lld ms TTL)\n",
                uncachedMs, cachedMs, core::ListenerMetrics::kDefaultStoreGaugeTtlMs);

    const QString script = writeLuaScript(bench);
    if (script.isEmpty())
        return 1;
    const QString base = u"http://127.0.0.1:"_s + QString::number(bench.server.serverPort());
    const QString duration = u"-d"_s + QString::number(seconds) + u's';

    struct Phase
    {
        const char *name;
        bool scraper;
        qint64 ttlMs;
        QList<double> notices, p50, p99, scrapes, reads;
    };
    const qint64 ttl = core::ListenerMetrics::kDefaultStoreGaugeTtlMs;
    QList<Phase> phases {{"no scraper", false, ttl, {}, {}, {}, {}, {}},
                         {"scraper, store read every scrape (before)", true, 0, {}, {}, {}, {}, {}},
                         {"scraper, store gauges cached (after)", true, ttl, {}, {}, {}, {}, {}}};
    int first = 0;
    for (int round = 1; round <= rounds; ++round) {
        for (Phase &phase : phases) {
            const int count = seconds * 10'000;
            const QString requests = bench.writeRequests(true, count, first);
            first += count;
            metrics.setStoreGaugeTtlMs(phase.ttlMs);
            const qint64 readsBefore = metrics.storeGaugeReads();
            QList<QStringList> commands {{u"-t1"_s, u"-c"_s + QString::number(connections),
                                          duration, u"--latency"_s, u"-s"_s, script, base + u'/',
                                          u"--"_s, requests, u"/api/v1/notices"_s, u"0"_s}};
            if (phase.scraper)
                commands.append(
                    {u"-t1"_s, u"-c4"_s, duration, u"--latency"_s, base + u"/metrics"_s});
            const QList<QByteArray> outputs = runWrks(commands);
            if (outputs.size() != commands.size())
                return 1;
            const WrkFigures notices = parseWrk(outputs.at(0));
            const WrkFigures scrapes = phase.scraper ? parseWrk(outputs.at(1)) : WrkFigures {};
            bench.listener->flushNow();
            const qint64 reads = metrics.storeGaugeReads() - readsBefore;
            phase.notices.append(notices.requestsPerSec);
            phase.p50.append(notices.p50Ms);
            phase.p99.append(notices.p99Ms);
            phase.scrapes.append(scrapes.requestsPerSec);
            phase.reads.append(double(reads));
            std::printf("round %d, %-42s notices %7.0f/s p50 %6.2f ms p99 %7.2f ms; scrapes "
                        "%7.0f/s, store reads %lld\n",
                        round, phase.name, notices.requestsPerSec, notices.p50Ms, notices.p99Ms,
                        scrapes.requestsPerSec, reads);
            std::fflush(stdout);
        }
    }
    std::printf("\nmedians of %d rounds of %d s (%d notice connections, 4 scraper connections, "
                "%d VMs):\n",
                rounds, seconds, connections, vms);
    for (const Phase &phase : std::as_const(phases))
        std::printf("  %-42s notices %7.0f/s p50 %6.2f ms p99 %7.2f ms; scrapes %7.0f/s, "
                    "store reads %.0f\n",
                    phase.name, median(phase.notices), median(phase.p50), median(phase.p99),
                    median(phase.scrapes), median(phase.reads));
    return 0;
}

// --- replicas mode: several listener processes on one PostgreSQL database

// A replica ("serve" mode): the listener on its own connections to the database, on a free
// port it prints; it ends when its standard input closes and then prints its figures.
int serveReplica(QCoreApplication &app, const QString &url, const QString &passwordFile)
{
    core::StoreOptions storeOptions(url);
    storeOptions.passwordFile = passwordFile;
    core::StoreError storeError;
    const std::unique_ptr<core::Store> store = core::Store::open(storeOptions, &storeError);
    if (!store) {
        std::fprintf(stderr, "replica: %s\n", qPrintable(storeError.message));
        return 1;
    }
    NoOperations operations;
    http::HttpServer server;
    core::WebhookListener listener(*store, operations, base::systemClock());
    listener.attach(server);
    QString error;
    if (!server.listen(QHostAddress(QHostAddress::LocalHost), 0, &error)) {
        std::fprintf(stderr, "replica: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("port %d\n", int(server.serverPort()));
    std::fflush(stdout);
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&app] { app.quit(); });
    const double cpuBefore = cpuSeconds();
    app.exec();
    listener.flushNow();
    const core::NoticeBatcher &batcher = listener.batcher();
    std::printf("figures %.3f %lld %lld %lld %lld\n", cpuSeconds() - cpuBefore,
                listener.metrics().notices(u"stored"_s), batcher.batches(), batcher.notices(),
                batcher.commitMicroseconds());
    std::fflush(stdout);
    return 0;
}

struct Replica
{
    std::unique_ptr<QProcess> process;
    quint16 port = 0;
    double cpu = 0;
    qint64 stored = 0, batches = 0, batched = 0, commitUs = 0;
};

bool startReplica(Replica *replica, const QString &url, const QString &passwordFile)
{
    replica->process = std::make_unique<QProcess>();
    replica->process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    replica->process->start(QCoreApplication::applicationFilePath(),
                            {u"serve"_s, url, passwordFile});
    while (!replica->process->canReadLine()) {
        if (!replica->process->waitForReadyRead(60'000))
            return false;
    }
    const QByteArray line = replica->process->readLine().trimmed();
    replica->port = quint16(line.mid(5).toUInt());
    return line.startsWith("port ") && replica->port != 0;
}

void stopReplica(Replica *replica)
{
    replica->process->closeWriteChannel();
    replica->process->waitForFinished(60'000);
    for (const QByteArray &line : replica->process->readAll().split('\n')) {
        const QList<QByteArray> f = line.split(' ');
        if (f.size() == 6 && f.at(0) == "figures") {
            replica->cpu = f.at(1).toDouble();
            replica->stored = f.at(2).toLongLong();
            replica->batches = f.at(3).toLongLong();
            replica->batched = f.at(4).toLongLong();
            replica->commitUs = f.at(5).toLongLong();
        }
    }
}

int replicasBench(Bench &bench, int seconds, int connections, int replicas)
{
    const QString url = bench.pg->url(u"bench"_s);
    std::vector<Replica> children(size_t(std::max(1, replicas)));
    for (Replica &replica : children) {
        if (!startReplica(&replica, url, bench.pg->passwordFile())) {
            std::fprintf(stderr, "a replica did not start\n");
            return 1;
        }
    }
    const QString script = writeLuaScript(bench);
    if (script.isEmpty())
        return 1;
    const int count = seconds * 15'000 / int(children.size()); // never wraps to duplicates
    QList<QStringList> commands;
    for (size_t i = 0; i < children.size(); ++i) {
        // Connections dealt round robin: replica i gets every children.size()-th one.
        const int mine = connections / int(children.size())
            + (int(i) < connections % int(children.size()) ? 1 : 0);
        const QString requests = bench.writeRequests(true, count, int(i) * count);
        commands.append({u"-t1"_s, u"-c"_s + QString::number(std::max(1, mine)),
                         u"-d"_s + QString::number(seconds) + u's', u"--latency"_s, u"-s"_s, script,
                         u"http://127.0.0.1:"_s + QString::number(children.at(i).port) + u'/',
                         u"--"_s, requests, u"/api/v1/notices"_s, u"0"_s});
    }
    std::printf("replicas: %d listener processes on one PostgreSQL database, %d connections, "
                "%d s, %d pre-signed notices each\n",
                int(children.size()), connections, seconds, count);
    std::fflush(stdout);
    const QList<QByteArray> outputs = runWrks(commands);
    if (outputs.size() != commands.size())
        return 1;
    double answered = 0;
    QList<double> p50, p99;
    for (const QByteArray &output : outputs) {
        const WrkFigures f = parseWrk(output);
        answered += f.requestsPerSec;
        p50.append(f.p50Ms);
        p99.append(f.p99Ms);
    }
    for (Replica &replica : children)
        stopReplica(&replica);
    core::EventFilter filter;
    filter.kinds = {core::EventKind::Notice};
    filter.limit = 0;
    const qint64 stored = bench.store->eventCount(filter);
    qint64 acknowledged = 0;
    for (size_t i = 0; i < children.size(); ++i) {
        const Replica &r = children.at(i);
        acknowledged += r.stored;
        std::printf("replica %d: stored %lld, CPU %.2f s (%.0f%% of a core), group commits %lld, "
                    "mean batch %.1f, mean commit %.2f ms; wrk p50 %.2f ms p99 %.2f ms\n",
                    int(i), r.stored, r.cpu, 100.0 * r.cpu / seconds, r.batches,
                    r.batches ? double(r.batched) / double(r.batches) : 0.0,
                    r.batches ? double(r.commitUs) / 1000.0 / double(r.batches) : 0.0,
                    p50.at(qsizetype(i)), p99.at(qsizetype(i)));
    }
    std::printf("stored notices: %lld (%.0f durable notices/s over %d s); acknowledged as stored "
                "by the replicas: %lld; wrk answers %.0f/s; p50 %.2f ms, p99 %.2f ms (median of "
                "the replicas)\n",
                stored, double(stored) / seconds, seconds, acknowledged, answered, median(p50),
                median(p99));
    return stored >= acknowledged ? 0 : 1; // every acknowledged notice is in the database
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString mode = args.value(1, u"notices"_s);
    const auto arg = [&](int i, int fallback) {
        return args.size() > i ? args.at(i).toInt() : fallback;
    };
    if (mode == u"serve"_s)
        return serveReplica(app, args.value(2), args.value(3));
    if (mode == u"replicas"_s)
        qputenv("SPOTKEEPER_BENCH_STORE", "postgresql");
    Bench bench;
    QString error;
    const bool inlineCommits = mode == u"notices"_s && args.value(4) == u"inline"_s;
    if (!bench.start(64, !inlineCommits, &error)) {
        std::fprintf(stderr, "cannot start: %s\n", qPrintable(error));
        return 1;
    }
    if (mode == u"notices"_s || mode == u"heartbeats"_s) {
        const bool notices = mode == u"notices"_s;
        const int seconds = arg(2, 10);
        const int rate = notices ? 0 : arg(3, 2000);
        const int connections = notices ? arg(3, 64) : arg(4, 20);
        // Enough distinct notices that wrk never wraps around to duplicates.
        const int count = notices ? seconds * 15'000 : std::max(1000, rate * 2);
        const QString requests = bench.writeRequests(notices, count);
        const int delayMs = notices ? 0 : connections * 1000 / std::max(1, rate);
        std::printf(
            "%s: %d pre-signed requests, %d connections, %d s%s\n", qPrintable(mode), count,
            connections, seconds,
            notices ? "" : qPrintable(u", %1 ms between requests per connection"_s.arg(delayMs)));
        std::fflush(stdout);
        const long rssBefore = statusKb("VmRSS:");
        const double cpuBefore = cpuSeconds();
        const int rc =
            runWrk(app, bench, requests, notices ? "/api/v1/notices" : "/api/v1/heartbeats",
                   seconds, connections, delayMs);
        bench.listener->flushNow();
        core::EventFilter filter;
        filter.kinds = {core::EventKind::Notice};
        filter.limit = 0;
        const qint64 stored = bench.store->eventCount(filter);
        std::printf(
            "stored notices: %lld (%.0f durable notices/s over %d s); answered: stored %lld, "
            "duplicate %lld, failed %lld; rejections: %lld\n",
            stored, double(stored) / seconds, seconds,
            bench.listener->metrics().notices(u"stored"_s),
            bench.listener->metrics().notices(u"duplicate"_s),
            bench.listener->metrics().notices(u"failed"_s),
            bench.listener->metrics().rejections(u"bad_signature"_s)
                + bench.listener->metrics().rejections(u"timestamp_too_old"_s));
        const double cpu = cpuSeconds() - cpuBefore;
        const qint64 answered =
            notices ? stored : bench.listener->metrics().heartbeats(u"accepted"_s);
        std::printf("listener CPU: %.2f s over %d s wall (%.0f%% of one core); %.0f requests per "
                    "listener CPU-second\n",
                    cpu, seconds, 100.0 * cpu / seconds, cpu > 0 ? double(answered) / cpu : 0.0);
        const core::NoticeBatcher &batcher = bench.listener->batcher();
        std::printf("group commits: %lld, mean batch %.1f, largest %lld, mean commit %.2f ms\n",
                    batcher.batches(),
                    batcher.batches() ? double(batcher.notices()) / batcher.batches() : 0.0,
                    batcher.largestBatch(),
                    batcher.batches()
                        ? double(batcher.commitMicroseconds()) / 1000.0 / batcher.batches()
                        : 0.0);
        std::printf("commits on %s\n",
                    bench.listener->batcher().hasWriterThread() ? "the writer thread"
                                                                : "the event loop");
        std::printf("heartbeats accepted: %lld, written %lld in %lld transactions; RSS before %ld "
                    "KiB, peak (VmHWM) %ld KiB\n",
                    bench.listener->metrics().heartbeats(u"accepted"_s),
                    bench.listener->metrics().heartbeatsWritten(),
                    bench.listener->metrics().heartbeatBatches(), rssBefore, statusKb("VmHWM:"));
        return rc;
    }
    if (mode == u"slow"_s) {
        const int sockets = arg(2, 200);
        const int seconds = arg(3, 12);
        const long rssBefore = statusKb("VmRSS:");
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        const QByteArray drip =
            "POST /api/v1/notices HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n";
        int sent = 0;
        long rssPeak = rssBefore;
        for (int i = 0; i < sockets; ++i) {
            slow.push_back(std::make_unique<QTcpSocket>());
            slow.back()->connectToHost(QHostAddress(QHostAddress::LocalHost),
                                       bench.server.serverPort());
        }
        QTimer drip1s;
        QObject::connect(&drip1s, &QTimer::timeout, &app, [&] {
            for (auto &s : slow) {
                if (s->state() == QAbstractSocket::ConnectedState)
                    s->write(drip.mid(sent % drip.size(), 1));
            }
            ++sent;
            rssPeak = std::max(rssPeak, statusKb("VmRSS:"));
            std::printf("t=%ds open=%d rss=%ld KiB\n", sent, bench.server.openConnections(),
                        statusKb("VmRSS:"));
            std::fflush(stdout);
            if (sent >= seconds)
                app.exit(0);
        });
        drip1s.start(1000);
        // A signed notice in the middle of it: how long does it take?
        QTcpSocket probe;
        QElapsedTimer probeTimer;
        QTimer::singleShot(3000, &app, [&] {
            const QByteArray body = protocol::encodeNotice(
                makeNotice(u"bench-0"_s, newEventId(1), QDateTime::currentDateTimeUtc()));
            const SignedRequest r = sign(body, bench.keys.at(0).first, {bench.keys.at(0).second},
                                         u"probe"_s, QDateTime::currentSecsSinceEpoch());
            probe.connectToHost(QHostAddress(QHostAddress::LocalHost), bench.server.serverPort());
            probeTimer.start();
            probe.write(rawRequest("POST", "/api/v1/notices", r.headers, r.body));
        });
        QObject::connect(&probe, &QTcpSocket::readyRead, &app, [&] {
            const QByteArray answer = probe.readAll();
            std::printf("signed notice answered in %lld ms: %s\n", probeTimer.elapsed(),
                        answer.left(answer.indexOf('\r')).constData());
        });
        app.exec();
        std::printf("%d slow sockets: RSS before %ld KiB, peak %ld KiB (+%ld KiB, client sockets "
                    "included), server peak buffered bytes per connection %lld\n",
                    sockets, rssBefore, rssPeak, rssPeak - rssBefore,
                    qint64(bench.server.peakConnectionBufferedBytes()));
        return 0;
    }
    if (mode == u"metrics"_s)
        return metricsBench(bench, arg(2, 4), arg(3, 10'000), arg(4, 3), arg(5, 16));
    if (mode == u"replicas"_s)
        return replicasBench(bench, arg(2, 10), arg(3, 64), arg(4, 3));
    std::fprintf(stderr, "usage: bench_listener notices|heartbeats|slow|metrics|replicas [...]\n");
    return 2;
}
