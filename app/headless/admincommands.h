// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "headless/serverconfig.h"

#include <QStringList>

class QCommandLineParser;

// The operator subcommands of spotkeeperd, run against the configured store (the
// server may be running: SQLite WAL lets both write). Every change is audited with
// actor "cli". Secrets are printed once to stdout (or written to --out, mode 0600),
// never logged.
//   keys generate --vm <resource id> [--out FILE] | keys list | keys rotate <key id>
//   [--overlap-hours N] [--out FILE] | keys revoke <key id>
//   token create [--valid-days N] | token list | token revoke <token id>
//   export events|audit|fleet --out FILE [--vm ID] [--from T] [--to T] [--bom]
//   vm stop --vm <resource id>   Stop on purpose: desired state stopped, then ARM deallocate
//   vm start --vm <resource id>  undo it: desired state running, a restart job if it is down
//   notify test <channel>        send a test notification through a [notify.<channel>] now
//   notify status                each channel's outbox rows (pending, delivered, failed)
//   tls init --san NAME... [--dir DIR] [--valid-days N] [--force]  private CA + server cert
//   tls renew --san NAME... [--dir DIR] [--valid-days N]  new server cert from the same CA
// Returns the process exit code: 0 done, 1 failed, 2 usage error.
namespace spotkeeper::headless {

int runAdminCommand(const QStringList &positional, const QCommandLineParser &parser,
                    const ServerConfig &config);

} // namespace spotkeeper::headless
