// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// A Qt-free stand-in service on the agent's Win32 shim (servicecontrol.h), cross-compiled
// by tst_windowsserviceshim. On Windows it is a real service to try the shim with:
//   sc.exe create sk-shim-test binPath= "C:\path\servicedriver.exe"
//   sc.exe start sk-shim-test & sc.exe query sk-shim-test & sc.exe stop sk-shim-test
// It runs until the SCM stops it and then exits 0; started from a console it says so.
#include "windows/servicecontrol.h"

#include <cstdio>
#include <windows.h>

namespace {
HANDLE g_stopEvent = nullptr;

int runUntilStopped(void *)
{
    return WaitForSingleObject(g_stopEvent, INFINITE) == WAIT_OBJECT_0 ? 0 : 1;
}

void stop(void *)
{
    SetEvent(g_stopEvent);
}
} // namespace

int main()
{
    g_stopEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    spotkeeper::agent::winservice::ServiceHooks hooks;
    hooks.run = &runUntilStopped;
    hooks.requestStop = &stop;
    const unsigned long error = spotkeeper::agent::winservice::runService(L"sk-shim-test", hooks);
    if (error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
        std::puts("servicedriver: not started by the Service Control Manager (use sc.exe)");
        return 0;
    }
    return static_cast<int>(error);
}
