// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace spotkeeper::base {

void describeProgram(QCommandLineParser &parser, const QString &name, const QString &description)
{
    QCoreApplication::setApplicationName(name);
    QCoreApplication::setApplicationVersion(QStringLiteral(SPOTKEEPER_VERSION));
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addVersionOption();
}

} // namespace spotkeeper::base
