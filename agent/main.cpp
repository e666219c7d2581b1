// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Wiring only: configuration -> --check or the running agent.
#include "agentcore/agent.h"
#include "agentcore/agentcheck.h"
#include "agentcore/agentconfig.h"
#include "agentcore/agentlog.h"
#include "agentcore/residentmemory.h"
#include "base/signalwatcher.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QTimer>

#include <csignal>
#include <cstdio>

#ifdef Q_OS_WIN
#include "windows/windowsservice.h"
#endif

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {

void printLine(FILE *stream, const QString &line)
{
    std::fprintf(stream, "%s\n", line.toLocal8Bit().constData());
    std::fflush(stream);
}

// Drops the pages only start-up needed from the resident set (residentmemory.h): first
// thing in main(), once the agent runs, again when the first polls and heartbeat are
// done, then every 10 min (a delivered notice or a TLS handshake touches code an idle
// agent does not need). SPOTKEEPER_RELEASE_IDLE_PAGES=0 turns it off (the benchmark
// compares both).
bool idlePageReleaseEnabled()
{
    return qEnvironmentVariable("SPOTKEEPER_RELEASE_IDLE_PAGES") != "0"_L1;
}

void scheduleIdlePageRelease(QCoreApplication &app)
{
    if (!idlePageReleaseEnabled())
        return;
    const auto release = [](bool log) {
        const PageRelease released = releaseIdlePages();
        if (log && released.ok)
            qCInfo(lcAgent).noquote()
                << u"memory: released %1 KiB of clean read-only file pages (%2 mappings)"_s
                       .arg(released.residentKb)
                       .arg(released.mappings);
    };
    release(false);
    QTimer::singleShot(30'000, &app, [release] { release(true); });
    auto *timer = new QTimer(&app);
    timer->setInterval(10 * 60'000);
    QObject::connect(timer, &QTimer::timeout, &app, [release] { release(false); });
    timer->start();
}

int runAgent(int argc, char *argv[])
{
    // The glib event dispatcher maps and runs GLib's main loop for nothing the agent
    // uses; Qt's own (Unix) dispatcher touches less memory. Only for this process: the
    // drain hook's environment does not inherit the setting.
    const bool glibChosen = qEnvironmentVariableIsSet("QT_NO_GLIB");
    if (!glibChosen)
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    if (!glibChosen)
        qunsetenv("QT_NO_GLIB");
    QCoreApplication::setApplicationName(u"spotkeeper-agent"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    // Under systemd stderr is the journal: priority prefixes give it the log level.
    installAgentMessageHandler(qEnvironmentVariableIsSet("JOURNAL_STREAM"));

    const ConfigResult loaded =
        loadAgentConfig(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    if (!loaded.config) {
        printLine(stderr, u"spotkeeper-agent: "_s + loaded.error);
        return 2;
    }
    const AgentConfig &config = *loaded.config;
    switch (config.mode) {
    case AgentConfig::Mode::Help:
    case AgentConfig::Mode::Version:
        printLine(stdout, loaded.text);
        return 0;
    case AgentConfig::Mode::Check: {
        AgentCheck check(config, base::systemClock(),
                         [](const QString &line) { printLine(stdout, line); });
        int failures = 0;
        check.run([&failures](int count) {
            failures = count;
            QCoreApplication::quit();
        });
        QCoreApplication::exec();
        return failures == 0 ? 0 : 1;
    }
    case AgentConfig::Mode::Run:
        break;
    }

    base::SignalWatcher signals_;
#ifdef Q_OS_WIN
    const QList<int> stopSignals; // the service shim stops the agent
#else
    const QList<int> stopSignals {SIGTERM, SIGINT, SIGHUP};
#endif
    QString error;
    if (!signals_.install(stopSignals, &error)) {
        printLine(stderr, u"spotkeeper-agent: cannot install signal handlers: "_s + error);
        return 1;
    }
    Agent agent(config, nullptr, base::systemClock(), QRandomGenerator::system()->generate());
    QObject::connect(&signals_, &base::SignalWatcher::received, &app, [&agent](int number) {
        qCInfo(lcAgent).noquote() << u"stop: signal %1 received"_s.arg(number);
        agent.shutdown();
        QCoreApplication::quit();
    });
#ifdef Q_OS_WIN
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &agent, [&agent] { agent.shutdown(); });
    if (windowsServiceStopRequested()) // stopped while starting: quit once the loop runs
        QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
#endif
    if (!agent.start(&error)) {
        qCCritical(lcAgent).noquote() << u"start: "_s + error;
        return 1;
    }
    scheduleIdlePageRelease(app);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    prepareSmallFootprint();
    if (idlePageReleaseEnabled())
        releaseIdlePages(); // what only the dynamic loader needed: symbol tables, relocations
#ifdef Q_OS_WIN
    if (argc > 1 && qstrcmp(argv[1], "--service") == 0)
        return runAsWindowsService(argc, argv, &runAgent);
#endif
    return runAgent(argc, argv);
}
