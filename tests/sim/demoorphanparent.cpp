// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Helper of tst_demoorphan (not a test): plays the dashboard. Starts spotkeeper-sim
// through DemoSimulator exactly as app/main.cpp does, prints SIM_PID=<pid>, then idles
// until it is killed. Usage: demoorphanparent <path to spotkeeper-sim>
#include "sim/demosimulator.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    spotkeeper::sim::DemoSimulator demo;
    demo.setProgram(app.arguments().value(1));
    QString error;
    if (!demo.start({}, 0, &error, {u"--fleet"_s, u"2"_s})) {
        QTextStream(stderr) << "demoorphanparent: " << error << Qt::endl;
        return 1;
    }
    QTextStream(stdout) << "SIM_PID=" << demo.processId() << Qt::endl;
    return QCoreApplication::exec();
}
