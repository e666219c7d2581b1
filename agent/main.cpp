// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spotkeeper-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Watches Azure Scheduled Events on this VM and reports them to SpotKeeper."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);
    return 0;
}
