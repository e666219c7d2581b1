// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Windows service shim (compiled only on Windows): `spotkeeper-agent.exe --service
// [options]` hands the process to the Service Control Manager; the native ServiceMain
// runs the ordinary agent on the service thread, logs to a rotating file under
// %ProgramData%\SpotKeeper\, and turns SERVICE_CONTROL_STOP / SHUTDOWN into a clean
// quit that flushes the spool. Install with sc.exe (docs/AGENT.md).
namespace spotkeeper::agent {

using AgentMain = int (*)(int argc, char *argv[]);
int runAsWindowsService(int argc, char *argv[], AgentMain agentMain);

} // namespace spotkeeper::agent
