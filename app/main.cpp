// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard: wiring only. DashboardStartup decides (local engine, demo or remote attach);
// this file creates what it decided and connects it (session or remote source, window,
// single instance, theme, language, the drain on quit).
#include "base/clock.h"
#include "fleet/enginehostconfig.h"
#include "models/apptranslations.h"
#include "models/remotefleetsource.h"
#include "sim/demosimulator.h"
#include "ui/dashboardsession.h"
#include "ui/dashboardsettings.h"
#include "ui/dashboardstartup.h"
#include "ui/mainwindow.h"
#include "ui/remoteattach.h"
#include "ui/secretstores.h"
#include "ui/singleinstance.h"
#include "ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>

using namespace spotkeeper;

namespace {

QStringList argumentList(int argc, char **argv)
{
    QStringList arguments;
    for (const char *argument : std::span(argv, std::size_t(argc)))
        arguments.append(QString::fromLocal8Bit(argument));
    return arguments;
}

// The demo: spotkeeper-sim as a child process (it exits with this one), whose Azure
// endpoints and service principal the in-process engine then uses; null, with the settings'
// store cleared, when it did not start.
std::unique_ptr<sim::DemoSimulator> startDemo(gui::DashboardSettings &settings)
{
    auto demo = std::make_unique<sim::DemoSimulator>();
    QString error;
    if (!demo->start(settings.storePath, quint16(settings.listenPort), &error)) {
        qWarning("demo: %s", qPrintable(error));
        settings.storePath.clear();
        return nullptr;
    }
    const QProcessEnvironment env = demo->environment();
    const QStringList names = env.keys();
    for (const QString &name : names)
        qputenv(name.toLatin1().constData(), env.value(name).toUtf8());
    settings.subscriptions = demo->subscriptions();
    return demo;
}

// The in-process engine over the settings' store. In the demo its Google Cloud VMs are
// restarted through the simulator's Compute API ([gcp] from the demo, whose key file is
// deleted once the engine has read it) and its AWS instances through the simulator's EC2
// ([aws] from the demo, the simulator's fake keys in the environment). Null and *error when the
// store does not open.
std::unique_ptr<gui::DashboardSession> openSession(const gui::DashboardSettings &settings,
                                                   sim::DemoSimulator *demo, QString *error)
{
    auto session = std::make_unique<gui::DashboardSession>(base::systemClock());
    if (demo != nullptr) {
        session->setEngineOverlay([gcp = demo->googleCloud(), aws = demo->amazonWebServices()](
                                      core::EngineHostConfig &config) {
            if (!gcp.isEmpty()) {
                config.gcpCredentialsFile = gcp.credentialsFile;
                config.gcpTokenUri = gcp.tokenUri;
                config.gcpComputeEndpoint = gcp.computeEndpoint;
                config.gcpLoggingEndpoint = gcp.loggingEndpoint;
                config.gcpProjects = gcp.projects;
            }
            if (aws.isEmpty())
                return;
            config.awsRegions = aws.regions;
            config.awsAccountId = aws.accountId;
            config.awsEc2Endpoint = aws.endpoint;
            config.awsCloudTrailEndpoint = aws.endpoint;
            config.awsStsEndpoint = aws.endpoint;
            config.awsInstanceRole = false;
            config.awsReplaceTerminated = true; // the ec2-job- instances opted in by tag
        });
    }
    const bool opened = session->open(settings, error);
    if (demo != nullptr)
        demo->removeKeyFiles(); // the engine holds the demo's Google key now
    if (!opened)
        return nullptr;
    return session;
}

// --attach: from inside the event loop (the keychain answers there); a failure ends it.
void attachAtStart(const gui::DashboardSettings &settings, gui::SecretStore &secrets,
                   std::function<void(std::unique_ptr<gui::RemoteFleetSource>)> show)
{
    QMetaObject::invokeMethod(
        qApp,
        [&settings, &secrets, show = std::move(show)] {
            gui::attachRemote(
                settings, secrets, base::systemClock(), nullptr, true,
                [show](std::unique_ptr<gui::RemoteFleetSource> next, const QString &error) {
                    if (!next) {
                        QMessageBox::critical(nullptr, QObject::tr("SpotKeeper"), error);
                        QCoreApplication::exit(1);
                        return;
                    }
                    show(std::move(next));
                });
        },
        Qt::QueuedConnection);
}

// Quit drains the local engine first: no new connections, in-flight notices committed
// and answered, timers stopped, job leases released, before the store closes.
void drainOnQuit(QApplication &app, const std::unique_ptr<gui::DashboardSession> &session)
{
    QApplication::setQuitOnLastWindowClosed(false);
    QObject::connect(&app, &QGuiApplication::lastWindowClosed, &app, [&session] {
        if (!session || session->isStopped()) {
            QCoreApplication::quit();
            return;
        }
        QObject::connect(session.get(), &gui::DashboardSession::stopped, qApp,
                         &QCoreApplication::quit);
        session->shutdown();
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("spotkeeper"));
    QCoreApplication::setOrganizationName(QStringLiteral("SpotKeeper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    gui::DashboardStartup::addOptions(parser);
    if (gui::DashboardStartup::asksForHelpOrVersion(argumentList(argc, argv))) {
        const QCoreApplication noGui(argc, argv);
        parser.process(noGui); // prints the answer and exits
    }

    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("io.github.spotkeeper.SpotKeeper"));
    parser.process(app);
    gui::DashboardStartup::Plan plan = gui::DashboardStartup::plan(
        gui::DashboardStartup::request(parser), gui::DashboardSettings::load(),
        QProcessEnvironment::systemEnvironment(),
        !QStandardPaths::findExecutable(QStringLiteral("az")).isEmpty());

    gui::SingleInstance instance;
    if (plan.claimSingleInstance && !instance.claim())
        return 0; // the running dashboard was raised

    gui::DashboardSettings &settings = plan.settings;
    gui::installTranslations(settings.language);
    gui::applyTheme(gui::themeFromString(settings.theme));
    gui::KeychainSecretStore secrets(QStringLiteral("io.github.spotkeeper.SpotKeeper"));

    std::unique_ptr<sim::DemoSimulator> demo;
    if (plan.mode == gui::DashboardStartup::Mode::Demo)
        demo = startDemo(settings);

    // Local: the engine in-process (DashboardSession). Remote: a RemoteFleetSource. The
    // window is replaced when the operator attaches later (Settings → Remote server).
    std::unique_ptr<gui::DashboardSession> session;
    std::unique_ptr<gui::RemoteFleetSource> remote;
    std::unique_ptr<gui::MainWindow> window;
    std::function<void()> attachLater;
    const auto openWindow = [&](gui::FleetSource &source, const QString &title) {
        auto next = std::make_unique<gui::MainWindow>(source, base::systemClock(), secrets);
        if (!title.isEmpty())
            next->setWindowTitle(title);
        QObject::connect(&instance, &gui::SingleInstance::raiseRequested, next.get(),
                         &gui::MainWindow::raiseWindow);
        QObject::connect(
            next.get(), &gui::MainWindow::attachRequested, next.get(),
            [&attachLater] { attachLater(); }, Qt::QueuedConnection);
        next->show();
        window = std::move(next);
    };
    const auto showRemote = [&](std::unique_ptr<gui::RemoteFleetSource> next) {
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
    attachLater = [&] {
        const gui::DashboardSettings saved = gui::DashboardSettings::load();
        gui::DashboardSettings wanted = settings;
        wanted.remoteUrl = saved.remoteUrl.isEmpty() ? settings.remoteUrl : saved.remoteUrl;
        wanted.remoteCaFile = saved.remoteCaFile;
        gui::attachRemote(wanted, secrets, base::systemClock(), window.get(), true,
                          [&](std::unique_ptr<gui::RemoteFleetSource> next, const QString &error) {
                              if (!next)
                                  QMessageBox::warning(window.get(),
                                                       QObject::tr("Attach to spotkeeperd"), error);
                              else
                                  showRemote(std::move(next));
                          });
    };

    drainOnQuit(app, session);

    if (plan.mode == gui::DashboardStartup::Mode::Attach) {
        attachAtStart(settings, secrets, showRemote);
        return QApplication::exec();
    }

    QString error;
    session = openSession(settings, demo.get(), &error);
    if (!session) {
        QMessageBox::critical(nullptr, QObject::tr("SpotKeeper"), error);
        return 1;
    }
    openWindow(session->source(),
               demo ? QObject::tr("SpotKeeper — Simulated clouds (demo)") : QString());
    // Settings -> Notifications: the engine's notifier runs the saved channels, and is
    // rebuilt whenever they (or their secrets) change.
    session->applyNotify(settings.notifyChannels, secrets);
    QObject::connect(
        window.get(), &gui::MainWindow::notifyChannelsChanged, session.get(), [&session, &secrets] {
            session->applyNotify(gui::DashboardSettings::load().notifyChannels, secrets);
        });
    if (demo)
        window->addStatusNote(QObject::tr("Demo: simulated clouds"),
                              QObject::tr("Simulated clouds: demo fleet from spotkeeper-sim"));
    return QApplication::exec();
}
