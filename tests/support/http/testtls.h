// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QSslConfiguration>
#include <QString>

// The committed test PKI in tests/data/tls (see its README): a CA, a server certificate
// for 127.0.0.1/localhost, a client certificate signed by the CA, and an untrusted one.
namespace spotkeeper::testsupport {

QString tlsFile(const QString &name); // e.g. "server.pem" -> absolute path
// Server certificate + key; with requireClientCert, client certificates are verified
// against the test CA.
http::TlsOptions testServerTls(bool requireClientCert = false);
// Client side trusting only the test CA. clientName "client" (signed by the CA) or
// "other-client" (untrusted CA) adds that certificate and key; empty = no certificate.
QSslConfiguration testClientTls(const QString &clientName = {});

} // namespace spotkeeper::testsupport
