// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt half of the service shim: log file, arguments, and the stop request as a quit
// posted to the agent's event loop. The Win32 half is servicecontrol.cpp.
#include "windows/windowsservice.h"

#include "agentcore/agentlog.h"
#include "windows/servicecontrol.h"

#include <QCoreApplication>
#include <QDir>
#include <QMetaObject>

#include <atomic>
#include <vector>

namespace spotkeeper::agent {

namespace {
std::atomic_bool g_stopRequested = false;

struct ServiceRun
{
    AgentMain agentMain = nullptr;
    std::vector<char *> arguments; // argv without "--service", null-terminated
};

int runAgentAsService(void *context)
{
    auto *run = static_cast<ServiceRun *>(context);
    // Services have no console: log to a rotating file next to the config.
    const QString programData = QString::fromLocal8Bit(qgetenv("ProgramData"));
    const QString logDir = (programData.isEmpty() ? QStringLiteral("C:/ProgramData") : programData)
        + QStringLiteral("/SpotKeeper");
    QDir().mkpath(logDir);
    setAgentLogFile(logDir + QStringLiteral("/agent.log"));
    return run->agentMain(static_cast<int>(run->arguments.size()) - 1, run->arguments.data());
}

void requestQuit(void *)
{
    // The SCM's thread: hand the quit to the agent's event loop, where aboutToQuit
    // flushes the spool. The flag is set first: a stop that comes before the application
    // exists is seen by runAgent() once it does (windowsServiceStopRequested()).
    g_stopRequested = true;
    if (QCoreApplication *app = QCoreApplication::instance())
        QMetaObject::invokeMethod(app, &QCoreApplication::quit, Qt::QueuedConnection);
}
} // namespace

bool windowsServiceStopRequested()
{
    return g_stopRequested;
}

int runAsWindowsService(int argc, char *argv[], AgentMain agentMain)
{
    static ServiceRun run;
    run.agentMain = agentMain;
    for (int i = 0; i < argc; ++i) {
        if (i != 1) // argv[1] is "--service"
            run.arguments.push_back(argv[i]);
    }
    run.arguments.push_back(nullptr);
    winservice::ServiceHooks hooks;
    hooks.run = &runAgentAsService;
    hooks.requestStop = &requestQuit;
    hooks.context = &run;
    return static_cast<int>(winservice::runService(L"spotkeeper-agent", hooks));
}

} // namespace spotkeeper::agent
