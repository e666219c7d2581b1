// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/dashboardsettings.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace spotkeeper::gui {

// What the dashboard's command line asked for.
struct StartupRequest
{
    QString storePath; // --store
    bool allowMultiple = false; // --allow-multiple
    bool demo = false; // --demo
    bool noDemo = false; // --no-demo
    QString attachUrl; // --attach
    QString caFile; // --ca-file
};

// The startup decisions of the `spotkeeper` dashboard, out of main() so they can be tested:
// attach to a remote spotkeeperd (--attach, or Settings → Remote server unless --store
// names a local store), the simulated demo (--demo, or no Azure credentials of any kind:
// no service principal variables, no Azure CLI, credential source "auto", no --store), or
// the in-process engine over the settings' store. main() parses, asks plan(), and wires.
class DashboardStartup
{
public:
    enum class Mode { Local, Demo, Attach };
    struct Plan
    {
        Mode mode = Mode::Local;
        DashboardSettings settings; // with the command line applied (store, URL, CA)
        bool claimSingleInstance = true; // hand over to a running dashboard first
    };

    // --help, --help-all, -v and --version: answered before any GUI object exists (no
    // display needed: over SSH).
    static bool asksForHelpOrVersion(const QStringList &arguments);
    static void addOptions(QCommandLineParser &parser);
    static StartupRequest request(const QCommandLineParser &parser);
    // True when the environment names Azure credentials (service principal variables or a
    // custom ARM endpoint).
    static bool credentialsConfigured(const QProcessEnvironment &env);
    // azureCliFound: an `az` executable is on PATH.
    static Plan plan(const StartupRequest &request, DashboardSettings saved,
                     const QProcessEnvironment &env, bool azureCliFound);
    // The demo's own store, so demo VMs never mix with a real fleet.
    static QString demoStorePath();
};

} // namespace spotkeeper::gui
