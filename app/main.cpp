// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("spotkeeper"));
    QApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SpotKeeper dashboard: keeps Azure Spot VMs running."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);
    return 0;
}
