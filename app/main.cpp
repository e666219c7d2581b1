// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard: wiring only (session, window, single instance, theme, language).
#include "apptranslations.h"
#include "clock.h"
#include "dashboardsession.h"
#include "dashboardsettings.h"
#include "mainwindow.h"
#include "secretstore.h"
#include "singleinstance.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

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
    parser.addOption(storeOption);
    parser.addOption(multiOption);
    parser.process(app);

    gui::SingleInstance instance;
    if (!parser.isSet(multiOption) && !instance.claim())
        return 0; // the running dashboard was raised

    gui::DashboardSettings settings = gui::DashboardSettings::load();
    if (parser.isSet(storeOption))
        settings.storePath = parser.value(storeOption);
    gui::installTranslations(settings.language);
    gui::applyTheme(gui::themeFromString(settings.theme));

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
    window.show();
    return QApplication::exec();
}
