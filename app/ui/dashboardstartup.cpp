// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dashboardstartup.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>

namespace spotkeeper::gui {

using namespace Qt::StringLiterals;

bool DashboardStartup::asksForHelpOrVersion(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (arg == "--"_L1)
            break;
        if (arg == "-h"_L1 || arg == "-?"_L1 || arg == "--help"_L1 || arg == "--help-all"_L1
            || arg == "-v"_L1 || arg == "--version"_L1)
            return true;
    }
    return false;
}

void DashboardStartup::addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(u"SpotKeeper dashboard: keeps Azure Spot VMs running."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {u"attach"_s,
         u"Attach to a remote spotkeeperd through its operator API instead of running the "
         "engine here (the operator token is read from the system keychain, or asked for "
         "once)."_s,
         u"url"_s},
        {u"ca-file"_s,
         u"PEM CA certificate of the remote spotkeeperd, for a private certificate."_s, u"path"_s},
        {u"store"_s, u"SQLite store to open (default: the per-user one)."_s, u"path"_s},
        {u"allow-multiple"_s, u"Do not hand over to an already running dashboard."_s},
        {u"demo"_s,
         u"Run against spotkeeper-sim, a simulated Azure with a demo fleet (the default when "
         "no Azure credentials are configured)."_s},
        {u"no-demo"_s, u"Never start the simulated demo fleet."_s},
    });
}

StartupRequest DashboardStartup::request(const QCommandLineParser &parser)
{
    StartupRequest r;
    r.storePath = parser.value(u"store"_s);
    r.allowMultiple = parser.isSet(u"allow-multiple"_s);
    r.demo = parser.isSet(u"demo"_s);
    r.noDemo = parser.isSet(u"no-demo"_s);
    r.attachUrl = parser.value(u"attach"_s);
    r.caFile = parser.value(u"ca-file"_s);
    return r;
}

bool DashboardStartup::credentialsConfigured(const QProcessEnvironment &env)
{
    return !env.value(u"AZURE_CLIENT_ID"_s).isEmpty() || !env.value(u"AZURE_TENANT_ID"_s).isEmpty()
        || !env.value(u"SPOTKEEPER_ARM_URL"_s).isEmpty();
}

QString DashboardStartup::demoStorePath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(u"spotkeeper-demo.db"_s);
}

DashboardStartup::Plan DashboardStartup::plan(const StartupRequest &request,
                                              DashboardSettings saved,
                                              const QProcessEnvironment &env, bool azureCliFound)
{
    Plan plan;
    plan.claimSingleInstance = !request.allowMultiple;
    plan.settings = std::move(saved);
    DashboardSettings &s = plan.settings;
    const bool storeGiven = !request.storePath.isEmpty();
    if (storeGiven)
        s.storePath = request.storePath;
    if (!request.attachUrl.isEmpty()) { // for this run; Settings → Remote server keeps it
        s.remoteUrl = request.attachUrl;
        s.attachAtStart = true;
    }
    if (!request.caFile.isEmpty())
        s.remoteCaFile = request.caFile;
    // A --store names a local store: it wins over an attach the settings ask for, not over
    // an explicit --attach.
    if (s.attachAtStart && !s.remoteUrl.isEmpty()
        && (!request.attachUrl.isEmpty() || !storeGiven)) {
        plan.mode = Mode::Attach;
        return plan;
    }
    const bool noCredentials = s.credentialSource == "auto"_L1 && !storeGiven
        && !credentialsConfigured(env) && !azureCliFound;
    if (request.demo || (!request.noDemo && noCredentials)) {
        plan.mode = Mode::Demo;
        s.storePath = demoStorePath();
    }
    return plan;
}

} // namespace spotkeeper::gui
