// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The demo's simulator never outlives the dashboard: a parent that starts it through
// DemoSimulator is SIGKILLed and the simulator must exit by itself. Also each trigger of
// --exit-with-parent on its own (stdin EOF, a parent pid that is not ours).
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace Qt::StringLiterals;

namespace {

// Alive = exists and is not a zombie (an orphan may wait for a reaper that never comes
// in a container whose pid 1 does not reap).
bool alive(qint64 pid)
{
    if (::kill(pid_t(pid), 0) != 0)
        return errno != ESRCH;
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 || line.mid(close + 2, 1) != "Z";
}

bool gone(qint64 pid, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!alive(pid))
            return true;
        QTest::qWait(100);
    }
    return !alive(pid);
}

// Reads the process's stdout until it contains marker (or it ends, or 60 s pass).
QByteArray readUntil(QProcess &process, const QByteArray &marker)
{
    QByteArray out;
    QDeadlineTimer deadline(60'000);
    while (!out.contains(marker) && !deadline.hasExpired()
           && process.state() == QProcess::Running) {
        process.waitForReadyRead(200);
        out += process.readAllStandardOutput();
    }
    return out;
}

const QString kSim = QStringLiteral(SPOTKEEPER_SIM_PROGRAM);
const QString kParent = QStringLiteral(SPOTKEEPER_DEMO_PARENT);

} // namespace

class TestDemoOrphan : public QObject
{
    Q_OBJECT

private slots:
    void simExitsWhenTheDashboardIsKilled()
    {
        QProcess parent;
        parent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        parent.start(kParent, {kSim});
        QVERIFY2(parent.waitForStarted(10'000), qPrintable(parent.errorString()));
        const QByteArray out = readUntil(parent, "\n");
        QVERIFY2(out.startsWith("SIM_PID="), out.constData());
        const qint64 simPid = out.mid(8).trimmed().toLongLong();
        QVERIFY(simPid > 0);
        QVERIFY(alive(simPid));

        ::kill(pid_t(parent.processId()), SIGKILL); // no destructor, no cleanup
        QVERIFY(parent.waitForFinished(10'000));
        QCOMPARE(parent.exitStatus(), QProcess::CrashExit);
        const bool exited = gone(simPid, 20'000);
        if (!exited)
            ::kill(pid_t(simPid), SIGKILL); // don't leave it behind ourselves
        QVERIFY2(exited, "spotkeeper-sim outlived the SIGKILLed dashboard");
    }

    void simExitsOnEndOfStdin()
    {
        QProcess sim;
        sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        sim.start(kSim, {u"--fleet"_s, u"1"_s, u"--print-endpoints"_s, u"--exit-with-parent"_s});
        QVERIFY(sim.waitForStarted(10'000));
        const QByteArray out = readUntil(sim, "SPOTKEEPER_SIM_READY=1");
        QVERIFY2(out.contains("SPOTKEEPER_SIM_READY=1"), out.constData());
        QTest::qWait(300);
        QCOMPARE(sim.state(), QProcess::Running); // an open stdin keeps it running
        sim.closeWriteChannel(); // what the kernel does when the parent dies
        QVERIFY2(sim.waitForFinished(20'000), "spotkeeper-sim ignored EOF on stdin");
        QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
        QCOMPARE(sim.exitCode(), 0);
    }

    void simRefusesToStartForAParentThatIsNotItsParent()
    {
        QProcess sim;
        sim.setProcessChannelMode(QProcess::MergedChannels);
        // Pid 1 is never our test process: as if the real parent died before we started.
        sim.start(kSim, {u"--fleet"_s, u"1"_s, u"--exit-with-parent"_s, u"--parent-pid"_s, u"1"_s});
        QVERIFY(sim.waitForFinished(20'000));
        QCOMPARE(sim.exitCode(), 1);
        QVERIFY2(sim.readAll().contains("already gone"), "no message naming the problem");
    }
};

QTEST_GUILESS_MAIN(TestDemoOrphan)
#include "tst_demoorphan.moc"
