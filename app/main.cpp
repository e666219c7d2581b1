// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard: wiring only. DashboardStartup decides (local engine, demo or remote attach);
// this file creates what it decided and connects it (session or remote source, window,
// single instance, theme, language, the drain on quit).
#include "base/clock.h"
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

#include <functional>
#include <memory>

using namespace spotkeeper;

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("spotkeeper"));
    QCoreApplication::setOrganizationName(QStringLiteral("SpotKeeper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    gui::DashboardStartup::addOptions(parser);
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (gui::DashboardStartup::asksForHelpOrVersion(arguments)) {
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

    // The demo: spotkeeper-sim as a child process (it exits with this one), whose Azure
    // endpoints and service principal the in-process engine then uses.
    std::unique_ptr<sim::DemoSimulator> demo;
    if (plan.mode == gui::DashboardStartup::Mode::Demo) {
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

    // Quit drains the local engine first: no new connections, in-flight notices committed
    // and answered, timers stopped, job leases released, before the store closes.
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

    if (plan.mode == gui::DashboardStartup::Mode::Attach) {
        // From inside the event loop: the keychain answers there, and a failure ends it.
        QMetaObject::invokeMethod(
            &app,
            [&] {
                gui::attachRemote(
                    settings, secrets, base::systemClock(), nullptr, true,
                    [&](std::unique_ptr<gui::RemoteFleetSource> next, const QString &error) {
                        if (!next) {
                            QMessageBox::critical(nullptr, QObject::tr("SpotKeeper"), error);
                            QCoreApplication::exit(1);
                            return;
                        }
                        showRemote(std::move(next));
                    });
            },
            Qt::QueuedConnection);
        return QApplication::exec();
    }

    session = std::make_unique<gui::DashboardSession>(base::systemClock());
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
    return QApplication::exec();
}
