// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Windows service shim (compiled only on Windows): `spotkeeper-agent.exe --service
// [options]` hands the process to the Service Control Manager; the native ServiceMain
// (servicecontrol.h, Qt-free) runs the ordinary agent on the service thread, which logs
// to a rotating file under %ProgramData%\SpotKeeper\, and SERVICE_CONTROL_STOP /
// SHUTDOWN become a clean quit that flushes the spool. Install with sc.exe (docs/AGENT.md).
namespace spotkeeper::agent {

using AgentMain = int (*)(int argc, char *argv[]);
int runAsWindowsService(int argc, char *argv[], AgentMain agentMain);
// True once the SCM asked the service to stop; agentMain checks it after creating the
// application, for a stop that came before there was an event loop to post a quit to.
bool windowsServiceStopRequested();

} // namespace spotkeeper::agent
