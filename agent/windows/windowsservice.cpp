// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "windowsservice.h"

#include "agentlog.h"

#include <QCoreApplication>
#include <QDir>
#include <QMetaObject>

#include <vector>
#include <windows.h>

namespace spotkeeper::agent {

namespace {
wchar_t kServiceName[] = L"spotkeeper-agent";
SERVICE_STATUS_HANDLE g_statusHandle = nullptr;
SERVICE_STATUS g_status = {};
AgentMain g_agentMain = nullptr;
std::vector<char *> g_arguments; // argv without "--service"

void reportStatus(DWORD state, DWORD exitCode = NO_ERROR, DWORD waitHintMs = 0)
{
    g_status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    g_status.dwCurrentState = state;
    g_status.dwWin32ExitCode = exitCode == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    g_status.dwServiceSpecificExitCode = exitCode;
    g_status.dwWaitHint = waitHintMs;
    g_status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    SetServiceStatus(g_statusHandle, &g_status);
}

DWORD WINAPI controlHandler(DWORD control, DWORD, LPVOID, LPVOID)
{
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
        reportStatus(SERVICE_STOP_PENDING, NO_ERROR, 10'000);
        // Runs on the SCM's thread: hand the quit to the agent's event loop, where
        // aboutToQuit flushes the spool.
        if (QCoreApplication *app = QCoreApplication::instance())
            QMetaObject::invokeMethod(app, &QCoreApplication::quit, Qt::QueuedConnection);
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI serviceMain(DWORD, LPWSTR *)
{
    g_statusHandle = RegisterServiceCtrlHandlerExW(kServiceName, controlHandler, nullptr);
    if (!g_statusHandle)
        return;
    reportStatus(SERVICE_START_PENDING, NO_ERROR, 5'000);
    const QString programData = QString::fromLocal8Bit(qgetenv("ProgramData"));
    const QString logDir = (programData.isEmpty() ? QStringLiteral("C:/ProgramData") : programData)
        + QStringLiteral("/SpotKeeper");
    QDir().mkpath(logDir);
    setAgentLogFile(logDir + QStringLiteral("/agent.log"));
    reportStatus(SERVICE_RUNNING);
    const int exitCode = g_agentMain(static_cast<int>(g_arguments.size()) - 1, g_arguments.data());
    reportStatus(SERVICE_STOPPED, static_cast<DWORD>(exitCode));
}
} // namespace

int runAsWindowsService(int argc, char *argv[], AgentMain agentMain)
{
    g_agentMain = agentMain;
    for (int i = 0; i < argc; ++i) {
        if (i != 1) // argv[1] is "--service"
            g_arguments.push_back(argv[i]);
    }
    g_arguments.push_back(nullptr);
    SERVICE_TABLE_ENTRYW table[] = {{kServiceName, serviceMain}, {nullptr, nullptr}};
    if (!StartServiceCtrlDispatcherW(table))
        return static_cast<int>(GetLastError()); // not started by the SCM
    return 0;
}

} // namespace spotkeeper::agent
