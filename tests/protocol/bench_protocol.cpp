// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// bench_protocol: how many signed notices the dashboard can verify and parse per
// second (what a burst of evictions costs the listener), and how fast an agent signs.
// Usage: bench_protocol [--runs N] [--count M]; prints the median of N runs of M
// messages each, per CPU-second of the benchmark thread and per wall-clock second. Not a test:
// figures go to docs/BENCHMARKS.md.
#include "protocol/messagecodec.h"
#include "protocol/webhooksignature.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <time.h>
#include <vector>

using namespace spotkeeper::protocol;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNow = 1'800'000'000;

Notice sampleNotice(int i)
{
    Notice notice;
    notice.vm = VmIdentity {u"0e073ec1-c22f-4488-adde-da35ed609ccd"_s,
                            u"rg-spot-fleet"_s,
                            u"vm-spot-"_s + QString::number(i),
                            u"220e2b43-0913-492f-ada0-b6b2795bdb9b"_s,
                            u"westeurope"_s,
                            QString(),
                            u"Spot"_s,
                            u"Deallocate"_s,
                            QString()};
    notice.event.eventId =
        u"C1BF8322-4CBF-4FC4-9C45-"_s + QString::number(i).rightJustified(12, u'0');
    notice.event.eventType = EventType::Preempt;
    notice.event.eventTypeText = u"Preempt"_s;
    notice.event.eventStatus = EventStatus::Scheduled;
    notice.event.notBefore = QDateTime::fromSecsSinceEpoch(kNow + 30, Qt::UTC);
    notice.event.eventSource = u"Platform"_s;
    notice.event.durationInSeconds = -1;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {notice.vm.vmName};
    notice.documentIncarnation = i + 1;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = QDateTime::fromMSecsSinceEpoch(kNow * 1000 + 250, Qt::UTC);
    return notice;
}

struct SignedMessage
{
    QByteArray body;
    SignedHeaders headers;
};

// CPU time of this thread: on a shared machine wall time mostly measures the other
// jobs, CPU time measures our code. Falls back to wall time where there is none.
double threadCpuSeconds()
{
#if defined(Q_OS_UNIX)
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
#else
    static QElapsedTimer wall;
    if (!wall.isValid())
        wall.start();
    return static_cast<double>(wall.nsecsElapsed()) / 1e9;
#endif
}

struct Rate
{
    double cpuMedian = 0; // items per CPU-second, median run
    double wallMedian = 0; // items per wall-clock second, median run
};

// Runs `work` over `count` items `runs` times and returns the median rates.
Rate measure(int runs, int count, const std::function<void(int)> &work)
{
    std::vector<double> cpuRates;
    std::vector<double> wallRates;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer wall;
        wall.start();
        const double cpuStart = threadCpuSeconds();
        for (int i = 0; i < count; ++i)
            work(i);
        const double cpu = threadCpuSeconds() - cpuStart;
        cpuRates.push_back(count / std::max(cpu, 1e-9));
        wallRates.push_back(count / (static_cast<double>(wall.nsecsElapsed()) / 1e9));
    }
    std::sort(cpuRates.begin(), cpuRates.end());
    std::sort(wallRates.begin(), wallRates.end());
    return Rate {cpuRates[cpuRates.size() / 2], wallRates[wallRates.size() / 2]};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int runs = 21;
    int count = 2000;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == u"--runs")
            runs = std::max(1, args.at(i + 1).toInt());
        else if (args.at(i) == u"--count")
            count = std::max(1, args.at(i + 1).toInt());
    }

    const WebhookSecret secret = WebhookSecret::generate();
    const QList<WebhookSecret> secrets {secret};
    const KeyLookup lookup = [&secrets](QByteArrayView) {
        return secrets;
    };

    std::vector<SignedMessage> messages;
    messages.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        SignedMessage m;
        m.body = encodeNotice(sampleNotice(i));
        m.headers = sign(secrets, QByteArray("msg_" + QByteArray::number(i)), kNow, m.body);
        messages.push_back(std::move(m));
    }

    qint64 accepted = 0;
    const Rate verifyParse = measure(runs, count, [&](int i) {
        const SignedMessage &m = messages[static_cast<std::size_t>(i)];
        const VerifyRequest request {m.headers.id, m.headers.timestamp, m.headers.signature,
                                     "agent-1", m.body};
        if (verify(request, kNow, lookup) == VerifyError::None && decodeNotice(m.body).ok())
            ++accepted;
    });
    if (accepted != qint64(runs) * count) {
        std::fprintf(stderr, "bench_protocol: only %lld of %lld notices accepted\n",
                     static_cast<long long>(accepted), static_cast<long long>(runs) * count);
        return 1;
    }
    const Rate verifyOnly = measure(runs, count, [&](int i) {
        const SignedMessage &m = messages[static_cast<std::size_t>(i)];
        const VerifyRequest request {m.headers.id, m.headers.timestamp, m.headers.signature,
                                     "agent-1", m.body};
        accepted += verify(request, kNow, lookup) == VerifyError::None;
    });
    const Rate parseOnly = measure(runs, count, [&](int i) {
        accepted += decodeNotice(messages[static_cast<std::size_t>(i)].body).ok();
    });
    qint64 signatureBytes = 0;
    const Rate signRate = measure(runs, count, [&](int i) {
        const SignedMessage &m = messages[static_cast<std::size_t>(i)];
        signatureBytes += sign(secrets, m.headers.id, kNow, m.body).signature.size();
    });
    const Rate encodeSignRate = measure(runs, count, [&](int i) {
        const QByteArray body = encodeNotice(sampleNotice(i));
        signatureBytes += sign(secrets, "msg", kNow, body).signature.size();
    });

    std::printf("bench_protocol: median of %d runs x %d notices (%lld-byte bodies), notices/s\n",
                runs, count, static_cast<long long>(messages.front().body.size()));
    const auto row = [](const char *what, Rate rate) {
        std::printf("  %-32s per CPU-second %9.0f   per wall-second %9.0f\n", what, rate.cpuMedian,
                    rate.wallMedian);
    };
    row("verify + parse (decodeNotice)", verifyParse);
    row("verify only", verifyOnly);
    row("parse only (decodeNotice)", parseOnly);
    row("sign (one secret)", signRate);
    row("encode + sign", encodeSignRate);
    return accepted > 0 && signatureBytes > 0 ? 0 : 1;
}
