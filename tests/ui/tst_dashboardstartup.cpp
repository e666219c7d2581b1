// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard's startup decisions (DashboardStartup): local engine, simulated demo or remote
// attach, from the command line, the saved settings and the environment.
#include "ui/dashboardstartup.h"

#include <QCommandLineParser>
#include <QStandardPaths>
#include <QTest>

using namespace spotkeeper::gui;
using namespace Qt::StringLiterals;
using Mode = DashboardStartup::Mode;

class TestDashboardStartup final : public QObject
{
    Q_OBJECT
private:
    static StartupRequest parse(const QStringList &arguments)
    {
        QCommandLineParser parser;
        DashboardStartup::addOptions(parser);
        if (!parser.parse(QStringList {u"spotkeeper"_s} + arguments))
            qWarning("%s", qPrintable(parser.errorText()));
        return DashboardStartup::request(parser);
    }
    static DashboardStartup::Plan plan(const QStringList &arguments,
                                       const DashboardSettings &saved = {},
                                       const QProcessEnvironment &env = {}, bool azureCli = false)
    {
        return DashboardStartup::plan(parse(arguments), saved, env, azureCli);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void parsesTheCommandLine()
    {
        const StartupRequest r =
            parse({u"--store"_s, u"/tmp/s.db"_s, u"--allow-multiple"_s, u"--attach"_s,
                   u"https://h:8443"_s, u"--ca-file"_s, u"/tmp/ca.pem"_s, u"--no-demo"_s});
        QCOMPARE(r.storePath, u"/tmp/s.db"_s);
        QVERIFY(r.allowMultiple);
        QCOMPARE(r.attachUrl, u"https://h:8443"_s);
        QCOMPARE(r.caFile, u"/tmp/ca.pem"_s);
        QVERIFY(r.noDemo);
        QVERIFY(!r.demo);
        QVERIFY(parse({u"--demo"_s}).demo);
    }

    void helpAndVersionNeedNoDisplay()
    {
        QVERIFY(DashboardStartup::asksForHelpOrVersion({u"spotkeeper"_s, u"--version"_s}));
        QVERIFY(DashboardStartup::asksForHelpOrVersion({u"spotkeeper"_s, u"-h"_s}));
        QVERIFY(DashboardStartup::asksForHelpOrVersion({u"spotkeeper"_s, u"--help-all"_s}));
        QVERIFY(!DashboardStartup::asksForHelpOrVersion({u"spotkeeper"_s, u"--demo"_s}));
        QVERIFY(!DashboardStartup::asksForHelpOrVersion({u"spotkeeper"_s, u"--"_s, u"-v"_s}));
    }

    void noCredentialsAtAllStartsTheDemo()
    {
        const DashboardStartup::Plan p = plan({});
        QVERIFY(p.mode == Mode::Demo);
        QVERIFY(p.settings.storePath.endsWith(u"spotkeeper-demo.db"_s)); // never the real store
        QVERIFY(p.claimSingleInstance);
    }

    void anyCredentialRunsTheEngine()
    {
        QProcessEnvironment sp;
        sp.insert(u"AZURE_CLIENT_ID"_s, u"c"_s);
        QVERIFY(plan({}, {}, sp).mode == Mode::Local);
        QProcessEnvironment arm;
        arm.insert(u"SPOTKEEPER_ARM_URL"_s, u"http://127.0.0.1:1"_s);
        QVERIFY(plan({}, {}, arm).mode == Mode::Local);
        QVERIFY(plan({}, {}, {}, true).mode == Mode::Local); // az on PATH
        DashboardSettings cli;
        cli.credentialSource = u"cli"_s;
        QVERIFY(plan({}, cli).mode == Mode::Local);
        const DashboardStartup::Plan local = plan({}, {}, sp);
        QVERIFY(local.settings.storePath.isEmpty()); // the per-user default store
    }

    void theCommandLineDecidesTheDemo()
    {
        QVERIFY(plan({u"--no-demo"_s}).mode == Mode::Local);
        const DashboardStartup::Plan store = plan({u"--store"_s, u"/tmp/x.db"_s});
        QVERIFY(store.mode == Mode::Local);
        QCOMPARE(store.settings.storePath, u"/tmp/x.db"_s);
        QProcessEnvironment sp;
        sp.insert(u"AZURE_TENANT_ID"_s, u"t"_s);
        QVERIFY(plan({u"--demo"_s}, {}, sp).mode == Mode::Demo);
        QVERIFY(!plan({u"--allow-multiple"_s}).claimSingleInstance);
    }

    void attachFromTheCommandLineOrTheSettings()
    {
        const DashboardStartup::Plan cli =
            plan({u"--attach"_s, u"https://h:8443"_s, u"--ca-file"_s, u"/tmp/ca.pem"_s});
        QVERIFY(cli.mode == Mode::Attach);
        QCOMPARE(cli.settings.remoteUrl, u"https://h:8443"_s);
        QCOMPARE(cli.settings.remoteCaFile, u"/tmp/ca.pem"_s);
        QVERIFY(cli.settings.attachAtStart);

        DashboardSettings saved;
        saved.remoteUrl = u"https://saved:8443"_s;
        saved.attachAtStart = true;
        QVERIFY(plan({}, saved).mode == Mode::Attach);
        // --store names a local store: it wins over the saved attach, not over --attach.
        QVERIFY(plan({u"--store"_s, u"/tmp/x.db"_s}, saved).mode == Mode::Local);
        QVERIFY(plan({u"--store"_s, u"/tmp/x.db"_s, u"--attach"_s, u"https://h"_s}, saved).mode
                == Mode::Attach);
        saved.remoteUrl.clear(); // nothing to attach to
        QVERIFY(plan({}, saved).mode == Mode::Demo);
    }
};

QTEST_MAIN(TestDashboardStartup)
#include "tst_dashboardstartup.moc"
