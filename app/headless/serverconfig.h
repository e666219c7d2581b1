// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/enginehostconfig.h"
#include "store/store.h"

#include <QString>

#include <optional>

// spotkeeperd's settings: one INI file (documented in docs/SERVER.md, example in
// packaging/spotkeeperd/spotkeeperd.conf.example, syntax base/configfile.h) overridden by
// command-line options: the EngineHost's settings plus the daemon's own (store, log).
// Parsing is strict: an unknown section or key, a malformed value or an unsafe
// combination is an error naming the line, never silently ignored.
namespace spotkeeper::headless {

struct ServerConfig : core::EngineHostConfig
{
    // [store]
    QString storePath = QStringLiteral("/var/lib/spotkeeperd/spotkeeper.db");
    // PostgreSQL instead (several servers on one database): postgresql://USER@HOST:PORT/DB;
    // the password from a 0600 file or libpq's PGPASSFILE, TLS through libpq's sslmode and
    // sslrootcert.
    QString storeUrl;
    QString storePasswordFile;
    QString storeSslMode;
    QString storeSslRootCert;
    // [log]
    QString logLevel = QStringLiteral("info"); // debug | info | warning | error

    static std::optional<ServerConfig> parse(const QByteArray &data, QString *error);
    static std::optional<ServerConfig> load(const QString &path, QString *error);
    // How to open the store: [store] url when set, else [store] path.
    core::StoreOptions storeOptions() const;
    // EngineHostConfig::validate(), and a store path. Empty when fine.
    QString validate() const;
};

} // namespace spotkeeper::headless
