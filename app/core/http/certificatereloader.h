// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

// Reloads an HttpServer's TLS certificate and key without a restart: on reload() (spotkeeperd
// calls it on SIGHUP) and, once watch() was called, when a file of the TlsOptions changes.
// The files' folders are watched too, so a file replaced atomically (written beside and renamed
// over, as certbot, `spotkeeperd tls renew` and configuration tools do) is seen, and a change
// reloads only after settleMs without further changes (a certificate and its key are two files
// written one after the other). Connections accepted afterwards use the new certificate; open
// ones keep theirs. A file that does not load (unreadable, not PEM, expired, a key that does
// not fit the certificate) changes nothing: the server keeps serving the previous certificate
// and the error is logged (category spotkeeper.tls) and emitted.
namespace spotkeeper::http {

class CertificateReloader final : public QObject
{
    Q_OBJECT
public:
    CertificateReloader(HttpServer &server, TlsOptions tls, QObject *parent = nullptr);
    ~CertificateReloader() override;
    Q_DISABLE_COPY_MOVE(CertificateReloader)

    void watch(int settleMs = 1000);
    // Loads the files now. false and *error when they do not load (the old ones stay).
    bool reload(QString *error = nullptr);

    qint64 reloadCount() const { return m_reloads; }
    qint64 failureCount() const { return m_failures; }

signals:
    void reloaded(const QString &summary); // "CN=..., expires 2027-...": never key material
    void reloadFailed(const QString &error);

private:
    void handlePathChanged();
    void handleSettled();
    void rewatch();
    QByteArray fingerprint() const;

    HttpServer &m_server;
    TlsOptions m_tls;
    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QByteArray m_lastSeen; // what the files held at the last load attempt
    qint64 m_reloads = 0;
    qint64 m_failures = 0;
};

} // namespace spotkeeper::http
