// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test): durable notice inserts per second through Store::insertNotices
// with WAL + synchronous=FULL on a real file, one notice per transaction versus groups
// of 10/50/200 per transaction (group commit). Prints medians over several runs.
// Usage: bench_store [--runs N] [--single N] [--grouped N] [--dir DIR]
#include "support/store/storetestutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;

namespace {

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct Sample
{
    double perWallSecond = -1; // durable notices per wall-clock second
    double cpuMicros = 0; // process CPU time per notice (the machine is shared)
};

double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

Sample runOnce(const QString &dir, int group, int total, int run)
{
    const QString path = u"%1/bench-g%2-r%3.db"_s.arg(dir).arg(group).arg(run);
    StoreError error;
    auto store = Store::open(testutil::options(path), &error);
    if (!store) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(error.message));
        return {};
    }
    // Notices are prepared up front: only the store is timed.
    QList<QList<IncomingNotice>> batches;
    for (int i = 0; i < total; i += group) {
        QList<IncomingNotice> batch;
        for (int j = i; j < std::min(total, i + group); ++j) {
            const QString id = u"bench-%1"_s.arg(j);
            IncomingNotice notice = testutil::notice(j % 100, id, id);
            notice.event.payload = QByteArray(600, 'p'); // about a real notice body
            batch << notice;
        }
        batches << batch;
    }
    QElapsedTimer timer;
    timer.start();
    const double cpuStart = cpuSeconds();
    for (const auto &batch : std::as_const(batches)) {
        const auto outcomes = store->insertNotices(batch);
        if (outcomes.isEmpty() || outcomes.front().status != NoticeOutcome::Status::Inserted) {
            std::fprintf(stderr, "insert failed: %s\n", qPrintable(store->lastError().message));
            return {};
        }
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuStart;
    store.reset();
    QFile::remove(path);
    QFile::remove(path + u"-wal"_s);
    QFile::remove(path + u"-shm"_s);
    return {total / seconds, cpu * 1e6 / total};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Durable notice inserts per second (group commit)"_s);
    parser.addHelpOption();
    const QCommandLineOption runsOption(u"runs"_s, u"Runs per configuration."_s, u"n"_s, u"5"_s);
    const QCommandLineOption singleOption(u"single"_s, u"Notices per run, 1 per transaction."_s,
                                          u"n"_s, u"300"_s);
    const QCommandLineOption groupedOption(u"grouped"_s, u"Notices per run when grouped."_s, u"n"_s,
                                           u"4000"_s);
    const QCommandLineOption dirOption(u"dir"_s, u"Directory on the disk to measure."_s, u"dir"_s);
    parser.addOptions({runsOption, singleOption, groupedOption, dirOption});
    parser.process(app);

    QTemporaryDir temp(parser.isSet(dirOption) ? parser.value(dirOption) + u"/bench-XXXXXX"_s
                                               : QString());
    if (!temp.isValid()) {
        std::fprintf(stderr, "cannot create a temporary directory\n");
        return 1;
    }
    const int runs = std::max(1, parser.value(runsOption).toInt());
    std::printf("store: %s, WAL, synchronous=FULL, %d runs per row\n", qPrintable(temp.path()),
                runs);
    std::printf("%-20s %8s %17s %17s %12s %14s\n", "notices/transaction", "notices",
                "median notices/s", "min..max", "median tx/s", "CPU us/notice");
    for (const int group : {1, 10, 50, 200}) {
        const int total =
            (group == 1 ? parser.value(singleOption) : parser.value(groupedOption)).toInt();
        QList<double> rates;
        QList<double> cpu;
        for (int run = 0; run < runs; ++run) {
            const Sample sample = runOnce(temp.path(), group, total, run);
            if (sample.perWallSecond < 0)
                return 1;
            rates << sample.perWallSecond;
            cpu << sample.cpuMicros;
        }
        const auto [lo, hi] = std::minmax_element(rates.cbegin(), rates.cend());
        const double med = median(rates);
        std::printf("%-20d %8d %17.0f %8.0f..%-8.0f %12.1f %14.0f\n", group, total, med, *lo, *hi,
                    med / group, median(cpu));
    }
    return 0;
}
