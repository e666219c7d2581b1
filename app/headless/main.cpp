// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// spotkeeperd: wiring only. Exit codes: 0 clean stop, 1 refused to start / command
// failed, 2 bad command line or configuration.
#include "base/commandline.h"
#include "base/signalwatcher.h"
#include "headless/admincommands.h"
#include "headless/daemonlog.h"
#include "headless/serverconfig.h"
#include "headless/serverdaemon.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <csignal>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

namespace {

const QString kDefaultConfig = u"/etc/spotkeeperd/spotkeeperd.conf"_s;

int refuse(const QString &message, int code)
{
    QTextStream(stderr) << "<3>spotkeeperd: " << message << Qt::endl;
    return code;
}

// Command-line values win over the file.
QString applyOverrides(const QCommandLineParser &parser, headless::ServerConfig &config)
{
    if (parser.isSet(u"listen"_s) && !config.address.setAddress(parser.value(u"listen"_s)))
        return u"--listen: not an IP address: "_s + parser.value(u"listen"_s);
    if (parser.isSet(u"port"_s)) {
        bool ok = false;
        const uint port = parser.value(u"port"_s).toUInt(&ok);
        if (!ok || port > 65535)
            return u"--port: expected 0-65535"_s;
        config.port = quint16(port);
    }
    if (parser.isSet(u"store"_s))
        config.storePath = parser.value(u"store"_s);
    if (parser.isSet(u"insecure-listen"_s))
        config.insecureListen = true;
    if (parser.isSet(u"log-level"_s))
        config.logLevel = parser.value(u"log-level"_s).toLower();
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    base::describeProgram(
        parser, u"spotkeeperd"_s,
        u"SpotKeeper server: the listener and the restart engine without a GUI.\n\n"
        "Commands:\n"
        "  run (default)                      serve until SIGTERM\n"
        "  check-config                       validate the configuration and exit\n"
        "  keys generate --vm <resource id>   new agent key; prints the credential file\n"
        "  keys list | rotate <id> | revoke <id>\n"
        "  token create | list | revoke <id>  operator API tokens\n"
        "  export events|audit|fleet --out FILE\n"
        "  vm stop|start --vm <resource id>   stop on purpose (deallocate, never restarted) / "
        "start again\n"
        "  notify test <channel> | status     send a test notification now / outbox per channel\n"
        "  migrate-store --from sqlite:PATH [--to postgresql://...] [--into-non-empty]\n"
        "                                     copy a store into [store] (or --to)\n"
        "  tls init --san NAME [--san NAME...] [--dir DIR] [--valid-days N] [--force]\n"
        "                                     private CA and server certificate (default dir\n"
        "                                     /etc/spotkeeperd/tls)\n"
        "  tls renew --san NAME [--san NAME...] [--dir DIR] [--valid-days N]\n"
        "                                     new server certificate from the same CA"_s);
    parser.addOptions({
        {{u"c"_s, u"config"_s},
         u"Configuration file (default %1 if it exists)."_s.arg(kDefaultConfig),
         u"file"_s},
        {u"listen"_s, u"Listen address (default 127.0.0.1)."_s, u"address"_s},
        {u"port"_s, u"Listen port (default 8443; 0 = any free port)."_s, u"port"_s},
        {u"store"_s, u"SQLite store path."_s, u"path"_s},
        {u"insecure-listen"_s,
         u"Allow a non-loopback address without TLS (warns at every start)."_s},
        {u"log-level"_s, u"debug, info, warning or error."_s, u"level"_s},
        {u"vm"_s, u"keys generate / export events / vm: the VM's resource id."_s, u"resource id"_s},
        {u"out"_s, u"keys / export: output file."_s, u"file"_s},
        {u"overlap-hours"_s, u"keys rotate: hours the old secret stays valid (default 24)."_s,
         u"hours"_s},
        {u"valid-days"_s,
         u"token create: lifetime in days (default 0 = no expiry). tls: the server "
         "certificate's (default 365)."_s,
         u"days"_s},
        {u"san"_s, u"tls: a DNS name or IP address agents reach the server by (repeat)."_s,
         u"name"_s},
        {u"dir"_s, u"tls: the folder of the CA and certificate files."_s, u"folder"_s},
        {u"force"_s, u"tls init: replace an existing CA and certificate."_s},
        {u"from"_s,
         u"export: from (ISO 8601, inclusive). migrate-store: the store to copy (sqlite:PATH)."_s,
         u"time|store"_s},
        {u"to"_s,
         u"export: to (ISO 8601, exclusive). migrate-store: the target URL (default [store])."_s,
         u"time|url"_s},
        {u"into-non-empty"_s, u"migrate-store: add to a target that already holds rows."_s},
        {u"bom"_s, u"export: write a UTF-8 byte order mark (for Excel)."_s},
    });
    parser.addPositionalArgument(
        u"command"_s,
        u"run, check-config, keys, token, export, vm, notify, migrate-store or tls."_s);
    parser.process(app);

    QString configPath = parser.value(u"config"_s);
    if (configPath.isEmpty() && QFile::exists(kDefaultConfig))
        configPath = kDefaultConfig;
    headless::ServerConfig config;
    QString error;
    if (!configPath.isEmpty()) {
        auto loaded = headless::ServerConfig::load(configPath, &error);
        if (!loaded)
            return refuse(u"bad configuration: "_s + error, 2);
        config = *loaded;
    }
    if (error = applyOverrides(parser, config); !error.isEmpty())
        return refuse(error, 2);
    if (error = config.validate(); !error.isEmpty())
        return refuse(u"bad configuration: "_s + error, 2);

    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0, u"run"_s);
    if (command == "check-config"_L1) {
        QTextStream(stdout) << "configuration ok" << Qt::endl;
        return 0;
    }
    if (command != "run"_L1)
        return headless::runAdminCommand(positional, parser, config);

    headless::installDaemonLogging(config.logLevel);
    ::signal(SIGPIPE, SIG_IGN);
    headless::ServerDaemon daemon(config);
    // Installed before the port opens: a SIGTERM right after "listening on" still drains.
    base::SignalWatcher signalWatcher;
    if (!signalWatcher.install({SIGTERM, SIGINT, SIGHUP}, &error)) {
        qCCritical(lcDaemon).noquote() << "cannot watch signals:" << error;
        return 1;
    }
    QObject::connect(&signalWatcher, &base::SignalWatcher::received, &daemon,
                     [&daemon](int number) {
                         qCInfo(lcDaemon) << "signal" << number << "received";
                         if (number == SIGHUP)
                             daemon.reloadTls(); // `systemctl reload spotkeeperd`
                         else
                             daemon.stop();
                     });
    if (!daemon.start(&error)) {
        qCCritical(lcDaemon).noquote() << "refusing to start:" << error;
        return 1;
    }
    QObject::connect(&daemon, &headless::ServerDaemon::finished, &app,
                     [] { QCoreApplication::exit(0); });
    return QCoreApplication::exec();
}
