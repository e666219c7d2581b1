// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCommandLineParser;

namespace spotkeeper::base {

// The start of a command-line program of the project: names the application (name, and the
// project's version for --version) and gives parser the description and the --help and
// --version options. The program adds its own options after.
void describeProgram(QCommandLineParser &parser, const QString &name, const QString &description);

} // namespace spotkeeper::base
