// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QSslConfiguration>

#include <optional>

namespace spotkeeper::http {

// Reads the PEM files of TlsOptions into a server QSslConfiguration (TLS 1.2+, client
// certificates required and verified against clientCaFile when it is set). Returns
// nothing and a message naming the file and the problem when a file is unreadable,
// holds no usable certificate/key, is expired, or the key does not match the certificate.
std::optional<QSslConfiguration> loadServerTls(const TlsOptions &tls, QString *error);

// The certificates of one PEM file (a CA, a chain), checked as above: readable, PEM, none
// expired; `what` names it in the message ("agent CA").
std::optional<QList<QSslCertificate>> loadCertificateFile(const QString &path, const QString &what,
                                                          QString *error);

} // namespace spotkeeper::http
