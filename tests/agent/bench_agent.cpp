// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// bench_agent: the built spotkeeper-agent as a process against the fake IMDS and fake
// dashboard on 127.0.0.1, at the default 1 s poll interval.
//  1. Detection latency: a new Preempt appears in the fake IMDS at a random moment of
//     the poll cycle; latency = its signed notice arriving at the fake dashboard.
//  2. Resident memory and CPU of the agent process over a soak (from /proc).
//  3. With --baseline, a second agent with SPOTKEEPER_RELEASE_IDLE_PAGES=0 soaks beside
//     the first, so the effect of releasing idle pages is a side-by-side ratio.
// Usage: bench_agent [--agent PATH] [--events N] [--soak SECONDS] [--baseline]
// Not a test (not registered with CTest); results go to docs/BENCHMARKS.md.
#include "support/agent/agentfakes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <unistd.h>

using namespace spotkeeper;
using namespace spotkeeper::agenttest;
using namespace Qt::StringLiterals;

namespace {

struct ProcSample
{
    qint64 rssKb = 0;
    qint64 hwmKb = 0;
    qint64 cpuTicks = 0; // utime + stime
};

// "Rss 5316 kB, Pss 2239, Anonymous 864, Shared_Clean 4284, Private_Clean 276" plus the
// five largest mappings by Rss, from /proc/<pid>/smaps_rollup and smaps.
QString smapsSummary(qint64 pid)
{
    QStringList parts;
    QFile rollup(u"/proc/%1/smaps_rollup"_s.arg(pid));
    if (rollup.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : rollup.readAll().split('\n')) {
            for (const char *field : {"Rss:", "Pss:", "Anonymous:", "Shared_Clean:",
                                      "Private_Clean:", "Private_Dirty:"}) {
                if (line.startsWith(field))
                    parts.append(QString::fromLatin1(line.simplified()));
            }
        }
    }
    QHash<QString, qint64> byFile;
    QFile smaps(u"/proc/%1/smaps"_s.arg(pid));
    QString current;
    if (smaps.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : smaps.readAll().split('\n')) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() >= 5 && fields.first().contains('-') && !line.startsWith("VmFlags"))
                current = fields.size() >= 6 ? QString::fromLatin1(fields.at(5)) : u"[anon]"_s;
            else if (line.startsWith("Rss:") && fields.size() >= 2)
                byFile[current.section(u'/', -1)] += fields.at(1).toLongLong();
        }
    }
    QList<QPair<qint64, QString>> sorted;
    for (auto it = byFile.cbegin(); it != byFile.cend(); ++it)
        sorted.append({it.value(), it.key()});
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    QStringList top;
    for (qsizetype i = 0; i < std::min<qsizetype>(6, sorted.size()); ++i)
        top.append(u"%1 %2"_s.arg(sorted.at(i).second).arg(sorted.at(i).first));
    return parts.join(u", "_s) + u"; largest (kB): "_s + top.join(u", "_s);
}

ProcSample sample(qint64 pid)
{
    ProcSample s;
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                s.rssKb = line.mid(6).trimmed().split(' ').first().toLongLong();
            if (line.startsWith("VmHWM:"))
                s.hwmKb = line.mid(6).trimmed().split(' ').first().toLongLong();
        }
    }
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        // Fields after the ")" of the command name: utime and stime are 14 and 15.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 13)
            s.cpuTicks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    }
    return s;
}

void print(const QString &line)
{
    printLine(line);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption agentOption(u"agent"_s, u"spotkeeper-agent binary"_s, u"path"_s,
                                         QStringLiteral(SPOTKEEPER_AGENT_EXE));
    const QCommandLineOption eventsOption(u"events"_s, u"Preempts to time"_s, u"n"_s, u"60"_s);
    const QCommandLineOption soakOption(u"soak"_s, u"Seconds of idle soak"_s, u"s"_s, u"120"_s);
    const QCommandLineOption baselineOption(
        u"baseline"_s, u"Also soak an agent with SPOTKEEPER_RELEASE_IDLE_PAGES=0 beside it"_s);
    parser.addOptions({agentOption, eventsOption, soakOption, baselineOption});
    parser.process(app);
    const int events = parser.value(eventsOption).toInt();
    const int soakSeconds = parser.value(soakOption).toInt();

    FakeImds imds;
    FakeDashboard dashboard(testCredential());
    QString error;
    if (!imds.start(&error) || !dashboard.start(&error)) {
        print(u"cannot start fakes: "_s + error);
        return 1;
    }
    QTemporaryDir dir;
    const QProcessEnvironment env =
        agentProcessEnvironment(dir, dashboard.baseUrl(), imds.baseUrl().toString());
    // Defaults otherwise: 1 s poll interval, 60 s heartbeats.

    QProcess agent;
    agent.setProcessEnvironment(env);
    agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    agent.start(parser.value(agentOption), QStringList {});
    if (!agent.waitForStarted()) {
        print(u"cannot start "_s + parser.value(agentOption));
        return 1;
    }
    const qint64 pid = agent.processId();
    if (!QTest::qWaitFor([&] { return imds.eventPolls() >= 2; }, 30'000)) {
        print(u"the agent never polled"_s);
        return 1;
    }

    // 1. Detection latency.
    QElapsedTimer clock;
    clock.start();
    qint64 appearedAt = 0;
    qint64 arrivedAt = -1;
    QObject::connect(&dashboard.server(), &testsupport::FakeHttpServer::requestReceived, &app,
                     [&](const testsupport::RecordedRequest &request) {
                         if (request.path == "/api/v1/notices" && arrivedAt < 0)
                             arrivedAt = clock.elapsed();
                     });
    QList<qint64> latencies;
    qint64 incarnation = 1;
    QRandomGenerator random(42);
    for (int i = 0; i < events; ++i) {
        // A random moment within the poll cycle, as a real eviction would be.
        QTest::qWait(500 + int(random.bounded(1000)));
        arrivedAt = -1;
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper();
        imds.document = FakeImds::documentWith(
            ++incarnation, {{id, u"Preempt"_s, u"Scheduled"_s, {u"vm-spot"_s}}});
        appearedAt = clock.elapsed();
        if (!QTest::qWaitFor([&] { return arrivedAt >= 0; }, 30'000)) {
            print(u"notice %1 never arrived"_s.arg(i));
            return 1;
        }
        latencies.append(arrivedAt - appearedAt);
        imds.document = FakeImds::documentWith(++incarnation, {});
    }
    if (!latencies.isEmpty()) {
        qint64 sum = 0;
        for (qint64 l : latencies)
            sum += l;
        print(u"detection latency over %1 Preempts at the default 1 s interval: median %2 ms, "
              "p99 %3 ms, max %4 ms, mean %5 ms"_s.arg(latencies.size())
                  .arg(percentile(latencies, 0.5))
                  .arg(percentile(latencies, 0.99))
                  .arg(*std::max_element(latencies.begin(), latencies.end()))
                  .arg(double(sum) / double(latencies.size()), 0, 'f', 1));
    }
    print(u"notices accepted: %1 of %2 (duplicates %3)"_s.arg(dashboard.accepted.size())
              .arg(events)
              .arg(dashboard.duplicates));

    // 2. Idle soak: memory and CPU at 1 s polling.
    if (soakSeconds > 0) {
        QProcess baseline;
        qint64 baselinePid = 0;
        if (parser.isSet(baselineOption)) {
            QProcessEnvironment baselineEnv = env;
            baselineEnv.insert(u"SPOTKEEPER_RELEASE_IDLE_PAGES"_s, u"0"_s);
            baselineEnv.insert(u"SPOTKEEPER_SPOOL_DIR"_s, dir.filePath(u"spool-baseline"_s));
            baseline.setProcessEnvironment(baselineEnv);
            baseline.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            baseline.start(parser.value(agentOption), QStringList {});
            if (!baseline.waitForStarted()) {
                print(u"cannot start the baseline agent"_s);
                return 1;
            }
            baselinePid = baseline.processId();
        }
        const ProcSample before = sample(pid);
        const int pollsBefore = imds.eventPolls();
        QElapsedTimer wall;
        wall.start();
        qint64 maxRss = before.rssKb;
        while (wall.elapsed() < qint64(soakSeconds) * 1000) {
            QTest::qWait(1000);
            maxRss = std::max(maxRss, sample(pid).rssKb);
        }
        const ProcSample after = sample(pid);
        const double seconds = double(wall.elapsed()) / 1000.0;
        const double cpuSeconds =
            double(after.cpuTicks - before.cpuTicks) / double(sysconf(_SC_CLK_TCK));
        print(u"soak %1 s: %2 polls%8, RSS %3 KiB at end (max %4 KiB, VmHWM %5 KiB), CPU %6 s "
              "= %7% of one core"_s.arg(seconds, 0, 'f', 0)
                  .arg(imds.eventPolls() - pollsBefore)
                  .arg(after.rssKb)
                  .arg(maxRss)
                  .arg(after.hwmKb)
                  .arg(cpuSeconds, 0, 'f', 2)
                  .arg(100.0 * cpuSeconds / seconds, 0, 'f', 3)
                  .arg(baselinePid != 0 ? u" (of both agents)"_s : QString()));
        print(u"  smaps: "_s + smapsSummary(pid));
        if (baselinePid != 0) {
            const ProcSample other = sample(baselinePid);
            print(
                u"baseline agent (SPOTKEEPER_RELEASE_IDLE_PAGES=0, started with the soak): RSS "
                "%1 KiB at end, VmHWM %2 KiB; with release / without: RSS %3, VmHWM %4"_s
                    .arg(other.rssKb)
                    .arg(other.hwmKb)
                    .arg(double(after.rssKb) / double(std::max<qint64>(1, other.rssKb)), 0, 'f', 2)
                    .arg(double(after.hwmKb) / double(std::max<qint64>(1, other.hwmKb)), 0, 'f',
                         2));
            print(u"  smaps: "_s + smapsSummary(baselinePid));
            baseline.terminate();
            baseline.waitForFinished(10'000);
        }
    }
    agent.terminate();
    agent.waitForFinished(10'000);
    print(u"agent exit code %1"_s.arg(agent.exitCode()));
    return 0;
}
