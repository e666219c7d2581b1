// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The Win32 half of the Windows service shim, free of Qt so that it compiles with any
// Windows toolchain: on Linux CI it is cross-compiled with mingw-w64 and -Werror
// (tests/agent/tst_windowsserviceshim.cmake), since Qt for Windows is not available
// there. It implements ServiceMain for a SERVICE_WIN32_OWN_PROCESS service: registers
// the control handler (RegisterServiceCtrlHandlerExW), reports START_PENDING, RUNNING,
// STOP_PENDING (with a rising checkpoint) and STOPPED through SetServiceStatus, and turns
// SERVICE_CONTROL_STOP and SERVICE_CONTROL_SHUTDOWN into one requestStop() call. The Qt
// half (windowsservice.h) supplies the hooks. The header itself has no <windows.h>.
namespace spotkeeper::agent::winservice {

struct ServiceHooks
{
    // Runs the service on the ServiceMain thread once RUNNING is reported; its return
    // value is the exit code (non-zero is reported as a service-specific error).
    int (*run)(void *context) = nullptr;
    // Called on the SCM's control thread for STOP or SHUTDOWN, at most once: it must only
    // ask run() to return (e.g. post a quit to an event loop) and return at once.
    void (*requestStop)(void *context) = nullptr;
    void *context = nullptr;
    unsigned long stopWaitHintMs = 10'000; // how long the SCM waits between checkpoints
};

// Hands the calling thread to the Service Control Manager and serves serviceName until
// the service has stopped. Returns 0 then, or the Win32 error of
// StartServiceCtrlDispatcherW: 1063 (ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) when the
// program was started from a console rather than by the SCM.
unsigned long runService(const wchar_t *serviceName, const ServiceHooks &hooks);

} // namespace spotkeeper::agent::winservice
