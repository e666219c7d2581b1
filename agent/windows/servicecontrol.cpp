// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/servicecontrol.h"

#include <atomic>
#include <windows.h>

namespace spotkeeper::agent::winservice {

namespace {

// ServiceMain takes no context argument: one service per process, so one global state.
struct ServiceState
{
    const wchar_t *name = nullptr;
    ServiceHooks hooks;
    SERVICE_STATUS_HANDLE handle = nullptr;
    SERVICE_STATUS status = {};
    std::atomic_bool stopRequested = false;
};
ServiceState g_service;

void reportStatus(DWORD state, int exitCode = 0, DWORD waitHintMs = 0)
{
    SERVICE_STATUS &s = g_service.status;
    s.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    s.dwCurrentState = state;
    s.dwWin32ExitCode = exitCode == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    s.dwServiceSpecificExitCode = static_cast<DWORD>(exitCode);
    s.dwWaitHint = waitHintMs;
    // Stop and shutdown are accepted only while running: before, there is nothing to
    // stop; after, a second request would be a no-op anyway.
    s.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    // Pending states must show progress or the SCM gives up after the wait hint.
    const bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    s.dwCheckPoint = pending ? s.dwCheckPoint + 1 : 0;
    SetServiceStatus(g_service.handle, &s);
}

DWORD WINAPI controlHandler(DWORD control, DWORD /*eventType*/, LPVOID /*eventData*/,
                            LPVOID /*context*/)
{
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
        if (!g_service.stopRequested.exchange(true)) {
            reportStatus(SERVICE_STOP_PENDING, 0, g_service.hooks.stopWaitHintMs);
            if (g_service.hooks.requestStop)
                g_service.hooks.requestStop(g_service.hooks.context);
        }
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR; // the SCM reads the last reported status
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI serviceMain(DWORD /*argc*/, LPWSTR * /*argv*/)
{
    g_service.handle = RegisterServiceCtrlHandlerExW(g_service.name, controlHandler, nullptr);
    if (!g_service.handle)
        return; // nothing can be reported without a handle
    reportStatus(SERVICE_START_PENDING, 0, 5'000);
    reportStatus(SERVICE_RUNNING);
    const int exitCode = g_service.hooks.run ? g_service.hooks.run(g_service.hooks.context) : 1;
    reportStatus(SERVICE_STOPPED, exitCode);
}

} // namespace

unsigned long runService(const wchar_t *serviceName, const ServiceHooks &hooks)
{
    g_service.name = serviceName;
    g_service.hooks = hooks;
    // The table is read by the dispatcher; the name is not modified despite the LPWSTR.
    SERVICE_TABLE_ENTRYW table[] = {{const_cast<LPWSTR>(serviceName), serviceMain},
                                    {nullptr, nullptr}};
    if (!StartServiceCtrlDispatcherW(table))
        return GetLastError();
    return 0;
}

} // namespace spotkeeper::agent::winservice
