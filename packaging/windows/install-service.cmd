@echo off
rem SPDX-License-Identifier: GPL-3.0-or-later
rem Installs spotkeeper-agent as a Windows service (run from an elevated prompt).
rem Expects the binaries in %ProgramFiles%\SpotKeeper and, in %ProgramData%\SpotKeeper,
rem agent.conf (dashboard-url = ...) and agent.key ("<keyId> whsec_..."). See docs/AGENT.md.
setlocal
set "SK_BIN=%ProgramFiles%\SpotKeeper\spotkeeper-agent.exe"
set "SK_DATA=%ProgramData%\SpotKeeper"

rem LocalService: no network credentials, no admin rights. The service SID
rem (NT SERVICE\spotkeeper-agent) is what the ACLs below grant access to.
sc.exe create spotkeeper-agent binPath= "\"%SK_BIN%\" --service" start= delayed-auto obj= "NT AUTHORITY\LocalService" DisplayName= "SpotKeeper agent" || exit /b 1
sc.exe description spotkeeper-agent "Reports this VM's Azure Scheduled Events (Spot evictions) to the SpotKeeper dashboard."
sc.exe sidtype spotkeeper-agent unrestricted
rem Restart forever, 2 s apart, also after a non-zero exit.
sc.exe failure spotkeeper-agent reset= 0 actions= restart/2000/restart/2000/restart/2000
sc.exe failureflag spotkeeper-agent 1

if not exist "%SK_DATA%\spool" mkdir "%SK_DATA%\spool"
rem The key: readable by the service and administrators only.
icacls "%SK_DATA%\agent.key" /inheritance:r /grant:r "SYSTEM:F" "Administrators:F" "NT SERVICE\spotkeeper-agent:R"
rem The spool: the only place the service writes (besides its log, agent.log).
icacls "%SK_DATA%\spool" /grant "NT SERVICE\spotkeeper-agent:(OI)(CI)M"
icacls "%SK_DATA%" /grant "NT SERVICE\spotkeeper-agent:(M)"

"%SK_BIN%" --check
sc.exe start spotkeeper-agent
endlocal
