// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/admincommands.h"

#include "base/clock.h"
#include "base/privatefile.h"
#include "engine/restartengine.h"
#include "export/csvexport.h"
#include "fleet/enginehost.h"
#include "headless/tlsinit.h"
#include "listener/agentkeymanager.h"
#include "listener/operatortokens.h"
#include "notify/notifier.h"
#include "store/store.h"
#include "store/storecopy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QTimer>

namespace spotkeeper::headless {

using namespace Qt::StringLiterals;

namespace {

const QString kActor = u"cli"_s;
const QString kDefaultTlsDirectory = u"/etc/spotkeeperd/tls"_s;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int fail(const QString &message, int code = 1)
{
    QTextStream(stderr) << "spotkeeperd: " << message << Qt::endl;
    return code;
}

QString time(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODate) : u"-"_s;
}

int printIssued(const core::IssuedKey &key, const QCommandLineParser &parser)
{
    if (parser.isSet(u"out"_s)) {
        QString error;
        if (!base::writePrivateFile(parser.value(u"out"_s), key.credentialFile, &error))
            return fail(error);
        out() << "key " << key.keyId << " for " << key.vmResourceKey << " written to "
              << parser.value(u"out"_s) << Qt::endl;
    } else {
        // The credential file itself on stdout, so `> agent.key` just works.
        out() << "# SpotKeeper agent key for " << key.vmResourceKey << '\n'
              << QString::fromUtf8(key.credentialFile) << Qt::flush;
    }
    if (key.previousSecretsExpireAt.isValid())
        QTextStream(stderr) << "spotkeeperd: the previous secret stays valid until "
                            << time(key.previousSecretsExpireAt) << Qt::endl;
    return 0;
}

int keysCommand(const QStringList &args, const QCommandLineParser &parser, core::Store &store)
{
    core::AgentKeyManager keys(store, base::systemClock());
    const QString verb = args.value(1);
    QString error;
    core::KeyError code = core::KeyError::None;
    if (verb == "generate"_L1) {
        if (!parser.isSet(u"vm"_s))
            return fail(u"keys generate needs --vm <VM resource id>"_s, 2);
        const auto issued = keys.generate(parser.value(u"vm"_s), kActor, &code, &error);
        return issued ? printIssued(*issued, parser) : fail(error);
    }
    if (verb == "list"_L1) {
        const QDateTime now = base::systemClock().nowUtc();
        const QList<core::AgentKeyRecord> all = keys.list();
        for (const core::AgentKeyRecord &key : all) {
            int active = 0;
            for (const core::AgentKeySecret &s : key.secrets)
                active += (!s.expiresAt.isValid() || s.expiresAt > now) ? 1 : 0;
            out() << key.keyId << '\t' << key.vmResourceKey << "\tcreated " << time(key.createdAt)
                  << '\t'
                  << (key.revokedAt.isValid() ? u"revoked "_s + time(key.revokedAt)
                                              : QString::number(active) + u" active secret(s)"_s)
                  << '\n';
        }
        out() << Qt::flush;
        return 0;
    }
    if (verb == "rotate"_L1 || verb == "revoke"_L1) {
        if (args.size() != 3)
            return fail(u"keys "_s + verb + u" needs a key id"_s, 2);
        if (verb == "revoke"_L1) {
            if (keys.revoke(args.at(2), kActor, &error) != core::KeyError::None)
                return fail(error);
            out() << "revoked " << args.at(2) << Qt::endl;
            return 0;
        }
        bool ok = true;
        const int hours =
            parser.isSet(u"overlap-hours"_s) ? parser.value(u"overlap-hours"_s).toInt(&ok) : 24;
        if (!ok || hours < 0)
            return fail(u"--overlap-hours needs a whole number of hours"_s, 2);
        const auto issued = keys.rotate(args.at(2), qint64(hours) * 3600, kActor, &code, &error);
        return issued ? printIssued(*issued, parser) : fail(error);
    }
    return fail(u"keys: use generate, list, rotate or revoke"_s, 2);
}

int tokenCommand(const QStringList &args, const QCommandLineParser &parser, core::Store &store)
{
    core::OperatorTokens tokens(store, base::systemClock());
    const QString verb = args.value(1);
    QString error;
    if (verb == "create"_L1) {
        bool ok = true;
        const int days =
            parser.isSet(u"valid-days"_s) ? parser.value(u"valid-days"_s).toInt(&ok) : 0;
        if (!ok || days < 0)
            return fail(u"--valid-days needs a whole number of days (0 = no expiry)"_s, 2);
        const auto created = tokens.create(kActor, qint64(days) * 86'400, &error);
        if (!created)
            return fail(error);
        QTextStream(stderr) << "spotkeeperd: operator token " << created->tokenId
                            << " created (expires " << time(created->expiresAt)
                            << "); it is shown only now" << Qt::endl;
        out() << created->token << Qt::endl;
        return 0;
    }
    if (verb == "list"_L1) {
        const QList<core::OperatorTokenRecord> all = store.operatorTokens();
        for (const core::OperatorTokenRecord &t : all)
            out() << t.tokenId << "\tcreated " << time(t.createdAt) << "\texpires "
                  << time(t.expiresAt)
                  << (t.revokedAt.isValid() ? u"\trevoked "_s + time(t.revokedAt) : QString())
                  << '\n';
        out() << Qt::flush;
        return 0;
    }
    if (verb == "revoke"_L1) {
        if (args.size() != 3)
            return fail(u"token revoke needs a token id"_s, 2);
        if (!tokens.revoke(args.at(2), kActor, &error))
            return fail(error);
        out() << "revoked " << args.at(2) << Qt::endl;
        return 0;
    }
    return fail(u"token: use create, list or revoke"_s, 2);
}

bool parseTime(const QCommandLineParser &parser, const QString &name, QDateTime *at, QString *error)
{
    if (!parser.isSet(name))
        return true;
    *at = QDateTime::fromString(parser.value(name), Qt::ISODate);
    if (!at->isValid())
        *error = u"--"_s + name + u" is not an ISO 8601 time (e.g. 2026-01-31T00:00:00Z)"_s;
    return at->isValid();
}

int exportCommand(const QStringList &args, const QCommandLineParser &parser, core::Store &store)
{
    const QString what = args.value(1);
    if (!parser.isSet(u"out"_s))
        return fail(u"export needs --out FILE"_s, 2);
    core::CsvOptions options;
    options.bom = parser.isSet(u"bom"_s);
    QString error;
    QDateTime from;
    QDateTime to;
    if (!parseTime(parser, u"from"_s, &from, &error) || !parseTime(parser, u"to"_s, &to, &error))
        return fail(error, 2);
    const QString path = parser.value(u"out"_s);
    bool ok = false;
    if (what == "events"_L1) {
        core::EventFilter filter;
        filter.from = from;
        filter.to = to;
        filter.limit = 0;
        if (parser.isSet(u"vm"_s)) {
            const auto vm = store.vmByKey(parser.value(u"vm"_s).toLower());
            if (!vm)
                return fail(u"no VM "_s + parser.value(u"vm"_s) + u" in the fleet"_s);
            filter.vmId = vm->id;
        }
        ok = core::exportEvents(store, filter, path, options, &error);
    } else if (what == "audit"_L1) {
        ok = core::exportAudit(store, from, to, path, options, &error);
    } else if (what == "fleet"_L1) {
        ok = core::exportFleet(store, path, options, &error);
    } else {
        return fail(u"export: use events, audit or fleet"_s, 2);
    }
    if (!ok)
        return fail(error);
    out() << "wrote " << path << Qt::endl;
    return 0;
}

// vm stop|start --vm <resource id>: the engine's own Stop on purpose / Start, through ARM.
int vmCommand(const QStringList &args, const QCommandLineParser &parser, const ServerConfig &config,
              core::Store &store)
{
    const QString what = args.value(1);
    if ((what != "stop"_L1 && what != "start"_L1) || !parser.isSet(u"vm"_s))
        return fail(u"usage: vm stop|start --vm <resource id>"_s, 2);
    const std::optional<core::VmRecord> vm = store.vmByKey(parser.value(u"vm"_s).toLower());
    if (!vm)
        return fail(u"no VM "_s + parser.value(u"vm"_s) + u" in the fleet"_s);
    core::EngineHost host(config, store, base::systemClock());
    QString error;
    if (!host.prepare(&error))
        return fail(error);
    core::RestartEngine &engine = *host.engine();
    if (what == "start"_L1) {
        // The server's engine (or this one's job, claimed by the server) does the start.
        const core::OperationResult result = engine.startVm(vm->id, kActor);
        store.releaseJobs(engine.config().owner); // the running server takes the job at once
        if (!result.ok())
            return fail(result.message);
        out() << vm->name << ": " << result.message << Qt::endl;
        return 0;
    }
    bool answered = false;
    bool accepted = false;
    QString message;
    QObject::connect(&engine, &core::RestartEngine::deallocateAnswered, &engine,
                     [&](qint64 id, bool ok, const QString &text) {
                         if (id != vm->id)
                             return;
                         answered = true;
                         accepted = ok;
                         message = text;
                         QCoreApplication::exit(0);
                     });
    const core::OperationResult result = engine.stopOnPurpose(vm->id, kActor);
    if (!result.ok())
        return fail(result.message);
    if (!answered) {
        QTimer::singleShot(120'000, [] { QCoreApplication::exit(1); });
        QCoreApplication::exec();
    }
    if (!answered)
        return fail(vm->name
                    + u": desired state stopped; no answer from Azure to the deallocate "
                      "request within 120 s"_s);
    if (!accepted)
        return fail(message);
    out() << vm->name << ": desired state stopped; deallocation accepted" << Qt::endl;
    return 0;
}

// notify test <channel>: one test message through the channel now (outside the outbox);
// notify status: each configured channel's outbox rows and its last error in this process.
int notifyCommand(const QStringList &args, const ServerConfig &config, core::Store &store)
{
    const QString what = args.value(1);
    if (!((what == "test"_L1 && args.size() == 3) || (what == "status"_L1 && args.size() == 2)))
        return fail(u"usage: notify test <channel> | notify status"_s, 2);
    QString error;
    const auto notifier = core::Notifier::create(config.notify, store, base::systemClock(), &error);
    if (!notifier)
        return fail(error);
    if (what == "status"_L1) {
        for (const core::ChannelStatus &status : notifier->channelStatuses())
            out() << status.name << " (" << core::toString(status.type) << "): " << status.pending
                  << " pending, " << status.delivered << " delivered, " << status.failed
                  << " failed" << Qt::endl;
        return 0;
    }
    const QString channel = args.at(2);
    bool answered = false;
    QString outcome;
    const bool known = notifier->sendTest(channel, [&](int status, const QString &problem) {
        answered = true;
        outcome =
            problem.isEmpty() ? u"delivered (status "_s + QString::number(status) + u')' : problem;
        QCoreApplication::exit(problem.isEmpty() ? 0 : 1);
    });
    if (!known) {
        QStringList names;
        for (const core::NotifyChannel &c : config.notify.channels)
            names << c.name;
        return fail(u"no notify channel '"_s + channel + u"' (configured: "_s
                    + (names.isEmpty() ? u"none"_s : names.join(u", "_s)) + u')');
    }
    const int code =
        answered ? (outcome.startsWith(u"delivered"_s) ? 0 : 1) : QCoreApplication::exec();
    if (code != 0)
        return fail(channel + u": test notification failed: "_s + outcome);
    out() << channel << ": test notification " << outcome << Qt::endl;
    return 0;
}

// migrate-store --from sqlite:PATH [--to postgresql://...] [--into-non-empty]: the target is
// [store] (url, password_file, sslmode, sslrootcert) unless --to names another URL.
int migrateStoreCommand(const QCommandLineParser &parser, const ServerConfig &config)
{
    QString from = parser.value(u"from"_s);
    if (from.startsWith(u"sqlite:"_s))
        from = from.mid(7);
    if (from.isEmpty())
        return fail(u"migrate-store needs --from sqlite:PATH"_s, 2);
    core::StoreOptions target = config.storeOptions();
    if (parser.isSet(u"to"_s))
        target.path = parser.value(u"to"_s);
    if (target.path == from)
        return fail(u"migrate-store: --from and the target are the same store"_s, 2);
    core::StoreOptions source(from, true);
    const core::StoreCopyResult result =
        core::copyStore(source, target, parser.isSet(u"into-non-empty"_s));
    if (!result.error.isEmpty())
        return fail(u"migrate-store: "_s + result.error);
    QTextStream out(stdout);
    for (const auto &[table, rows] : result.rowsPerTable)
        out << table << ": " << rows << " rows\n";
    out << "copied " << from << " to " << target.path << "\n";
    return 0;
}

// tls init|renew --san NAME... [--dir DIR] [--valid-days N] [--force]: no store involved.
int tlsCommand(const QStringList &args, const QCommandLineParser &parser)
{
    const QString verb = args.value(1);
    if (args.size() != 2 || (verb != "init"_L1 && verb != "renew"_L1))
        return fail(u"usage: tls init|renew --san NAME [--san NAME...] [--dir DIR] "
                    "[--valid-days N] [--force]"_s,
                    2);
    TlsInitOptions options;
    options.directory = parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) : kDefaultTlsDirectory;
    options.subjectAltNames = parser.values(u"san"_s);
    options.force = parser.isSet(u"force"_s);
    if (parser.isSet(u"valid-days"_s)) {
        bool ok = false;
        options.serverValidityDays = parser.value(u"valid-days"_s).toInt(&ok);
        if (!ok || options.serverValidityDays < 1 || options.serverValidityDays > 3650)
            return fail(u"--valid-days: the server certificate's validity, 1-3650 days"_s, 2);
    }
    QString error;
    const std::optional<TlsFiles> files =
        verb == "init"_L1 ? tlsInit(options, &error) : tlsRenew(options, &error);
    if (!files)
        return fail(error);
    if (verb == "init"_L1)
        out() << "CA certificate  " << files->caCertificate << " (until "
              << time(files->caExpiresAt) << "; agents trust it)\n"
              << "CA private key  " << files->caKey << " (owner only; needed to renew)\n";
    out() << "certificate     " << files->certificate << " (until "
          << time(files->certificateExpiresAt) << ")\n"
          << "private key     " << files->privateKey << " (owner only)\n";
    if (verb == "init"_L1)
        out() << "\nIn spotkeeperd.conf:\n[tls]\ncertificate = " << files->certificate
              << "\nprivate_key = " << files->privateKey << "\nagent_ca = " << files->caCertificate
              << '\n';
    else
        out() << "A running spotkeeperd serves the new certificate to new connections.\n";
    out() << Qt::flush;
    return 0;
}

} // namespace

int runAdminCommand(const QStringList &args, const QCommandLineParser &parser,
                    const ServerConfig &config)
{
    const QString command = args.value(0);
    if (command == "migrate-store"_L1)
        return migrateStoreCommand(parser, config);
    if (command == "tls"_L1)
        return tlsCommand(args, parser);
    if (command != "keys"_L1 && command != "token"_L1 && command != "export"_L1
        && command != "vm"_L1 && command != "notify"_L1)
        return fail(u"unknown command '"_s + command
                        + u"' (use keys, token, export, vm, notify, tls or run)"_s,
                    2);
    core::StoreError error;
    const core::StoreOptions storeOptions = config.storeOptions();
    auto store = core::Store::open(storeOptions, &error);
    if (!store)
        return fail(u"cannot open the store "_s + storeOptions.path + u": "_s + error.message);
    if (command == "keys"_L1)
        return keysCommand(args, parser, *store);
    if (command == "token"_L1)
        return tokenCommand(args, parser, *store);
    if (command == "vm"_L1)
        return vmCommand(args, parser, config, *store);
    if (command == "notify"_L1)
        return notifyCommand(args, config, *store);
    return exportCommand(args, parser, *store);
}

} // namespace spotkeeper::headless
