// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the demo fleet into a new SQLite store, for the README screenshot:
//   gui_demo_seed /tmp/demo.db [vms]  &&  spotkeeper --store /tmp/demo.db
#include "base/clock.h"
#include "support/gui/guitestsupport.h"

#include <QCoreApplication>
#include <QFile>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        qWarning("usage: gui_demo_seed <store.db> [vms]");
        return 2;
    }
    QFile::remove(args.at(1));
    auto store = spotkeeper::gui::test::openStore(args.at(1), nullptr);
    spotkeeper::gui::test::DemoOptions options;
    if (args.size() > 2)
        options.vms = args.at(2).toInt();
    spotkeeper::gui::test::seedDemoFleet(*store, spotkeeper::base::systemClock().nowUtc(), options);
    return 0;
}
