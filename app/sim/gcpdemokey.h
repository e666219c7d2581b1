// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// A throwaway Google service-account key file for the demo's engine (DemoSimulator): a fresh
// 2048-bit RSA key made with OpenSSL, in the JSON Google hands out ({"type":
// "service_account", "private_key", "client_email", "token_uri", ...}), with token_uri the
// simulator's /gcp/token. The key is made anew at every start and is good for nothing but the
// simulator (whose token endpoint checks the grant's shape and claims); it is still written
// owner-only (base::writePrivateFile).
namespace spotkeeper::sim {

// The key file's JSON; empty and *error when OpenSSL cannot make a key.
QByteArray makeGcpDemoKeyFile(const QString &project, const QString &tokenUri, QString *error);

} // namespace spotkeeper::sim
