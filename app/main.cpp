// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard: wiring only (local session or remote spotkeeperd, window, single instance,
// theme, language).
#include "apptranslations.h"
#include "clock.h"
#include "dashboardsession.h"
#include "dashboardsettings.h"
#include "demosimulator.h"
#include "mainwindow.h"
#include "remoteattach.h"
#include "remotefleetsource.h"
#include "secretstore.h"
#include "singleinstance.h"
#include "theme.h"

#include <QApplication>
#include <QByteArrayView>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <functional>
#include <memory>

using namespace spotkeeper;

namespace {
// --help, --help-all and --version need no display: they are answered before any GUI object
// exists (QApplication aborts without one), so they work over SSH like spotkeeperd's and
// spotkeeper-agent's.
bool asksForHelpOrVersion(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if (arg == "--")
            break;
        if (arg == "-h" || arg == "-?" || arg == "--help" || arg == "--help-all" || arg == "-v"
            || arg == "--version")
            return true;
    }
    return false;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("spotkeeper"));
    QCoreApplication::setOrganizationName(QStringLiteral("SpotKeeper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("SpotKeeper dashboard: keeps Azure Spot VMs running."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption storeOption(
        QStringLiteral("store"),
        QStringLiteral("SQLite store to open (default: the per-user one)."),
        QStringLiteral("path"));
    const QCommandLineOption multiOption(
        QStringLiteral("allow-multiple"),
        QStringLiteral("Do not hand over to an already running dashboard."));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QStringLiteral(
            "Run against spotkeeper-sim, a simulated Azure with a demo fleet (the default "
            "when no Azure credentials are configured)."));
    const QCommandLineOption noDemoOption(QStringLiteral("no-demo"),
                                          QStringLiteral("Never start the simulated demo fleet."));
    const QCommandLineOption attachOption(
        QStringLiteral("attach"),
        QStringLiteral("Attach to a remote spotkeeperd through its operator API instead of "
                       "running the engine here (the operator token is read from the system "
                       "keychain, or asked for once)."),
        QStringLiteral("url"));
    const QCommandLineOption caOption(
        QStringLiteral("ca-file"),
        QStringLiteral("PEM CA certificate of the remote spotkeeperd, for a private certificate."),
        QStringLiteral("path"));
    parser.addOption(attachOption);
    parser.addOption(caOption);
    parser.addOption(storeOption);
    parser.addOption(multiOption);
    parser.addOption(demoOption);
    parser.addOption(noDemoOption);
    if (asksForHelpOrVersion(argc, argv)) {
        const QCoreApplication noGui(argc, argv);
        parser.process(noGui); // prints the answer and exits
    }

    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("io.github.spotkeeper.SpotKeeper"));
    parser.process(app);

    gui::SingleInstance instance;
    if (!parser.isSet(multiOption) && !instance.claim())
        return 0; // the running dashboard was raised

    gui::DashboardSettings settings = gui::DashboardSettings::load();
    if (parser.isSet(storeOption))
        settings.storePath = parser.value(storeOption);
    gui::installTranslations(settings.language);
    gui::applyTheme(gui::themeFromString(settings.theme));
    gui::KeychainSecretStore secrets(QStringLiteral("io.github.spotkeeper.SpotKeeper"));
    if (parser.isSet(attachOption)) { // for this run; Settings → Remote server keeps it
        settings.remoteUrl = parser.value(attachOption);
        settings.attachAtStart = true;
    }
    if (parser.isSet(caOption))
        settings.remoteCaFile = parser.value(caOption);
    const bool attach = settings.attachAtStart && !settings.remoteUrl.isEmpty()
        && (parser.isSet(attachOption) || !parser.isSet(storeOption));

    // No Azure credentials at all (no service principal, no Azure CLI): show SpotKeeper working
    // against the simulator, with its own store so demo VMs never mix with a real fleet.
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const bool wantDemo = !attach
        && (parser.isSet(demoOption)
            || (!parser.isSet(noDemoOption)
                && settings.credentialSource == QLatin1StringView("auto")
                && !parser.isSet(storeOption) && !sim::DemoSimulator::credentialsConfigured(env)
                && QStandardPaths::findExecutable(QStringLiteral("az")).isEmpty()));
    std::unique_ptr<sim::DemoSimulator> demo;
    if (wantDemo) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        settings.storePath = QDir(dir).filePath(QStringLiteral("spotkeeper-demo.db"));
        demo = std::make_unique<sim::DemoSimulator>();
        QString demoError;
        if (demo->start(settings.storePath, quint16(settings.listenPort), &demoError)) {
            const QProcessEnvironment demoEnv = demo->environment();
            for (const QString &key : demoEnv.keys())
                qputenv(key.toLatin1().constData(), demoEnv.value(key).toUtf8());
            settings.subscriptions = demo->subscriptions();
        } else {
            qWarning("demo: %s", qPrintable(demoError));
            demo.reset();
            settings.storePath.clear();
        }
    }

    // Local: the engine in-process (DashboardSession). Remote: a RemoteFleetSource. The
    // window is replaced when the operator attaches later (Settings → Remote server).
    std::unique_ptr<gui::DashboardSession> session;
    std::unique_ptr<gui::RemoteFleetSource> remote;
    std::unique_ptr<gui::MainWindow> window;
    std::function<void()> attachNow;
    const auto openWindow = [&](gui::FleetSource &source, const QString &title) {
        auto next = std::make_unique<gui::MainWindow>(source, core::systemClock(), secrets);
        if (!title.isEmpty())
            next->setWindowTitle(title);
        QObject::connect(&instance, &gui::SingleInstance::raiseRequested, next.get(),
                         &gui::MainWindow::raiseWindow);
        QObject::connect(
            next.get(), &gui::MainWindow::attachRequested, next.get(),
            [&attachNow] { attachNow(); }, Qt::QueuedConnection);
        next->show();
        window = std::move(next);
    };
    attachNow = [&] {
        QString attachError;
        const gui::DashboardSettings saved = gui::DashboardSettings::load();
        gui::DashboardSettings wanted = settings;
        wanted.remoteUrl = saved.remoteUrl.isEmpty() ? settings.remoteUrl : saved.remoteUrl;
        wanted.remoteCaFile = saved.remoteCaFile;
        auto next = gui::attachRemote(wanted, secrets, core::systemClock(), window.get(), true,
                                      &attachError);
        if (!next) {
            QMessageBox::warning(window.get(), QObject::tr("Attach to spotkeeperd"), attachError);
            return;
        }
        // The old window's models read the old source until the window is gone.
        if (window) {
            if (remote)
                remote.release()->setParent(window.get());
            window.release()->deleteLater();
        }
        if (session)
            session->shutdown(); // the local engine drains; the remote one is in charge now
        remote = std::move(next);
        openWindow(*remote, QObject::tr("SpotKeeper — %1").arg(remote->status().description));
    };

    if (attach) {
        QString attachError;
        remote =
            gui::attachRemote(settings, secrets, core::systemClock(), nullptr, true, &attachError);
        if (!remote) {
            QMessageBox::critical(nullptr, QObject::tr("SpotKeeper"), attachError);
            return 1;
        }
        openWindow(*remote, QObject::tr("SpotKeeper — %1").arg(remote->status().description));
        return QApplication::exec();
    }

    session = std::make_unique<gui::DashboardSession>(core::systemClock());
    QString error;
    if (!session->open(settings, &error)) {
        QMessageBox::critical(nullptr, QObject::tr("SpotKeeper"), error);
        return 1;
    }
    openWindow(session->source(),
               demo ? QObject::tr("SpotKeeper — Simulated Azure (demo)") : QString());
    if (demo)
        window->addStatusNote(QObject::tr("Demo: simulated Azure"),
                              QObject::tr("Simulated Azure: demo fleet from spotkeeper-sim"));
    const int rc = QApplication::exec();
    // Quit drains: no new connections, in-flight notices committed and answered, timers
    // stopped, job leases released, before the store closes.
    session->shutdown();
    return rc;
}
