// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

// `spotkeeperd tls init` and `tls renew`: a private CA and the server certificate it signs,
// made with OpenSSL's libcrypto (docs/SERVER.md, "TLS"). Keys are ECDSA P-256, signatures
// SHA-256; the CA is valid 10 years (it is copied to every agent: replacing it means
// re-enrolling every VM), the server certificate 1 year (renewed from the same CA without
// touching the agents). Files in one folder:
//   ca.pem          the CA certificate (0644): what agents trust (`ca-file`)
//   ca-key.pem      the CA's private key (0600): needed only to renew
//   server.pem      the server certificate (0644): [tls] certificate
//   server-key.pem  its private key (0600): [tls] private_key
// Private keys are written with base::writePrivateFile (owner-only before the first byte),
// certificates replaced atomically, so a running server's file watcher never reads half a file.
namespace spotkeeper::headless {

struct TlsInitOptions
{
    QString directory;
    // The server's names as agents reach it: DNS names (a leading "*." allowed) and IPv4 or
    // IPv6 addresses. At least one; the first is also the certificate's common name.
    QStringList subjectAltNames;
    int caValidityDays = 3650;
    int serverValidityDays = 365;
    bool force = false; // init: replace existing files
};

struct TlsFiles
{
    QString caCertificate;
    QString caKey;
    QString certificate;
    QString privateKey;
    QDateTime caExpiresAt;
    QDateTime certificateExpiresAt;
};

// The four file names of a folder (nothing is read or written).
TlsFiles tlsFilesIn(const QString &directory);

// Creates the CA and the server certificate. Refuses (nothing written) when a SAN is neither
// a DNS name nor an IP address, when there is none, or when one of the four files exists and
// force is off (a new CA would make every enrolled agent distrust the server).
std::optional<TlsFiles> tlsInit(const TlsInitOptions &options, QString *error);

// A new server key and certificate from the existing CA of the folder (ca.pem, ca-key.pem),
// replacing server.pem and server-key.pem: a running server reloads them, agents keep
// trusting it. The certificate ends no later than the CA.
std::optional<TlsFiles> tlsRenew(const TlsInitOptions &options, QString *error);

} // namespace spotkeeper::headless
