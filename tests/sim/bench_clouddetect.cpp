// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// bench_clouddetect: detection latency end to end, at spotkeeperd, for Google Cloud (--cloud
// gcp, the default) or AWS (--cloud aws). Real processes (tests/support/e2e): spotkeeper-sim
// serves the Compute Engine metadata server of N Spot VMs (or the IMDSv2 of N EC2 Spot
// instances), spotkeeperd listens with its store, and for each VM in turn a real
// `spotkeeper-agent --cloud gcp|aws` watches /gce/{vm} (/aws-imds/{vm}) with a key bound to
// the instance's id (its ARN on AWS). Once the agent's first heartbeat is stored (identity
// read, watching) the VM is interrupted at a random moment 0.3-1.3 s later: latency = from
// just before the simulator's evict call (instance/preempted reads TRUE, or
// spot/instance-action appears, from then on) to the moment spotkeeperd received the signed
// notice it stored (the notice event's time, same clock).
// Usage: bench_clouddetect [--cloud gcp|aws] [--events N]
// Not a test (not registered with CTest); results go to docs/BENCHMARKS.md.
#include "support/e2e/e2echecks.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

namespace {

void printLine(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

qint64 percentile(QList<qint64> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto index = static_cast<qsizetype>(p * double(values.size() - 1) + 0.5);
    return values.at(std::min(index, values.size() - 1));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption eventsOption(u"events"_s, u"Preemptions to time (one VM each)"_s,
                                          u"n"_s, u"100"_s);
    parser.addOption(eventsOption);
    const QCommandLineOption cloudOption(u"cloud"_s, u"gcp or aws"_s, u"cloud"_s, u"gcp"_s);
    parser.addOption(cloudOption);
    parser.process(app);
    const int events = std::clamp(parser.value(eventsOption).toInt(), 1, 999);
    const bool aws = parser.value(cloudOption) == "aws"_L1;
    if (!aws && parser.value(cloudOption) != "gcp"_L1) {
        printLine(u"--cloud must be gcp or aws"_s);
        return 2;
    }
    if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty()) {
        printLine(missing);
        return 1;
    }
    const QString project = u"spot-bench"_s;
    const QString zone = u"europe-west1-b"_s;
    E2eRig rig;
    QString error;
    const QString scenario = aws ? rig.writeAwsScenario(QStringList(events, u"terminate"_s),
                                                        u"123456789012"_s, u"eu-west-1"_s)
                                 : rig.writeGcpScenario(events, project, zone);
    if (!rig.startSim(1, 0, 1, {u"--scenario"_s, scenario}, &error) || !rig.startDaemon(&error)) {
        printLine(u"cannot start: "_s + error);
        return 1;
    }
    auto store = rig.openStore();
    if (!store) {
        printLine(u"cannot open the store"_s);
        return 1;
    }
    QRandomGenerator random(42);
    QList<qint64> latencies;
    int duplicates = 0;
    for (int i = 1; i <= events; ++i) {
        const QString name =
            aws ? E2eRig::awsName(i) : u"gce-"_s + QString::number(i).rightJustified(3, u'0');
        const QString key =
            aws ? rig.arnOf(name) : u"projects/%1/zones/%2/instances/%3"_s.arg(project, zone, name);
        if (aws ? !rig.startRealAwsAgent(name, &error)
                : !rig.startRealGcpAgent(name, project, zone, &error)) {
            printLine(error);
            return 1;
        }
        if (!E2eRig::waitFor(
                [&] {
                    const auto vm = store->vmByKey(key);
                    return vm && vm->agentLastSeen.isValid() && !vm->vmId.isEmpty();
                },
                30'000)) {
            printLine(u"agent %1 never reported its identity"_s.arg(name));
            return 1;
        }
        QTest::qWait(300 + int(random.bounded(1000))); // a random moment of the long poll
        const qint64 vmRow = store->vmByKey(key)->id;
        core::EventFilter filter;
        filter.vmId = vmRow;
        filter.kinds = {core::EventKind::Notice};
        const qint64 flippedAt = QDateTime::currentMSecsSinceEpoch();
        rig.control("evict", u"{\"vms\":[\"%1\"]}"_s.arg(name).toUtf8());
        QList<core::EventRecord> notices;
        const bool arrived = QTest::qWaitFor(
            [&] {
                notices = store->events(filter);
                return !notices.isEmpty();
            },
            30'000);
        if (!arrived) {
            printLine(u"notice of %1 never stored; daemon log tail: %2"_s.arg(
                name, rig.daemonLog().right(1500)));
            return 1;
        }
        latencies.append(notices.constFirst().at.toMSecsSinceEpoch() - flippedAt);
        rig.stopAgents();
        duplicates += int(store->eventCount(filter)) - 1;
    }
    qint64 sum = 0;
    for (const qint64 l : std::as_const(latencies))
        sum += l;
    printLine(u"%6 detection latency over %1 interruptions (simulator metadata service -> "
              "signed notice received and stored by spotkeeperd): median %2 ms, p99 %3 ms, max "
              "%4 ms, mean %5 ms"_s.arg(latencies.size())
                  .arg(percentile(latencies, 0.5))
                  .arg(percentile(latencies, 0.99))
                  .arg(*std::max_element(latencies.begin(), latencies.end()))
                  .arg(double(sum) / double(latencies.size()), 0, 'f', 1)
                  .arg(aws ? u"AWS"_s : u"GCP"_s));
    printLine(u"notices stored: %1 of %2 (extra notice rows %3)"_s.arg(latencies.size())
                  .arg(events)
                  .arg(duplicates));
    return 0;
}
