// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spotkeeperd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SpotKeeper server: the restart engine without a GUI."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);
    return 0;
}
