// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard: wiring only (session, window, single instance, theme, language).
#include "apptranslations.h"
#include "clock.h"
#include "dashboardsession.h"
#include "dashboardsettings.h"
#include "demosimulator.h"
#include "mainwindow.h"
#include "secretstore.h"
#include "singleinstance.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QStatusBar>

#include <memory>

using namespace spotkeeper;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("spotkeeper"));
    QApplication::setOrganizationName(QStringLiteral("SpotKeeper"));
    QApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.spotkeeper.SpotKeeper"));
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
    parser.addOption(storeOption);
    parser.addOption(multiOption);
    parser.addOption(demoOption);
    parser.addOption(noDemoOption);
    parser.process(app);

    gui::SingleInstance instance;
    if (!parser.isSet(multiOption) && !instance.claim())
        return 0; // the running dashboard was raised

    gui::DashboardSettings settings = gui::DashboardSettings::load();
    if (parser.isSet(storeOption))
        settings.storePath = parser.value(storeOption);
    gui::installTranslations(settings.language);
    gui::applyTheme(gui::themeFromString(settings.theme));

    // No Azure credentials at all (no service principal, no Azure CLI): show SpotKeeper working
    // against the simulator, with its own store so demo VMs never mix with a real fleet.
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const bool wantDemo = parser.isSet(demoOption)
        || (!parser.isSet(noDemoOption) && settings.credentialSource == QLatin1StringView("auto")
            && !parser.isSet(storeOption) && !sim::DemoSimulator::credentialsConfigured(env)
            && QStandardPaths::findExecutable(QStringLiteral("az")).isEmpty());
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

    gui::DashboardSession session(core::systemClock());
    QString error;
    if (!session.open(settings, &error)) {
        QMessageBox::critical(nullptr, QObject::tr("SpotKeeper"), error);
        return 1;
    }
    gui::KeychainSecretStore secrets(QStringLiteral("io.github.spotkeeper.SpotKeeper"));
    gui::MainWindow window(session.source(), core::systemClock(), secrets);
    QObject::connect(&instance, &gui::SingleInstance::raiseRequested, &window,
                     &gui::MainWindow::raiseWindow);
    if (demo) {
        window.setWindowTitle(QObject::tr("SpotKeeper — Simulated Azure (demo)"));
        auto *label = new QLabel(QObject::tr("Simulated Azure: demo fleet from spotkeeper-sim"));
        label->setAccessibleName(label->text());
        window.statusBar()->addPermanentWidget(label);
    }
    window.show();
    return QApplication::exec();
}
