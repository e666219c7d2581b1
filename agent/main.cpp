// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Wiring only: configuration -> --check or the running agent.
#include "agent.h"
#include "agentcheck.h"
#include "agentconfig.h"
#include "agentlog.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <cstdio>

#ifdef Q_OS_WIN
#include "windows/windowsservice.h"
#endif

using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {

void printLine(FILE *stream, const QString &line)
{
    std::fprintf(stream, "%s\n", line.toLocal8Bit().constData());
    std::fflush(stream);
}

int runAgent(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
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
        AgentCheck check(config, systemNow(), [](const QString &line) { printLine(stdout, line); });
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

    SignalWatcher signals_;
    QString error;
    if (!signals_.install(&error)) {
        printLine(stderr, u"spotkeeper-agent: cannot install signal handlers: "_s + error);
        return 1;
    }
    Agent agent(config, nullptr, systemNow(), QRandomGenerator::system()->generate());
    QObject::connect(&signals_, &SignalWatcher::received, &app, [&agent](int number) {
        qCInfo(lcAgent).noquote() << u"stop: signal %1 received"_s.arg(number);
        agent.shutdown();
        QCoreApplication::quit();
    });
#ifdef Q_OS_WIN
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &agent, [&agent] { agent.shutdown(); });
#endif
    if (!agent.start(&error)) {
        qCCritical(lcAgent).noquote() << u"start: "_s + error;
        return 1;
    }
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
#ifdef Q_OS_WIN
    if (argc > 1 && qstrcmp(argv[1], "--service") == 0)
        return runAsWindowsService(argc, argv, &runAgent);
#endif
    return runAgent(argc, argv);
}
