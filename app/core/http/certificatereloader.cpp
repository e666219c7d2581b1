// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/certificatereloader.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSslCertificate>

namespace spotkeeper::http {

Q_LOGGING_CATEGORY(lcTls, "spotkeeper.tls")

using namespace Qt::StringLiterals;

namespace {

QString describe(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return u"no certificate"_s;
    return u"\"%1\", expires %2"_s.arg(certificate.subjectDisplayName(),
                                       certificate.expiryDate().toUTC().toString(Qt::ISODate));
}

} // namespace

CertificateReloader::CertificateReloader(HttpServer &server, TlsOptions tls, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_tls(std::move(tls))
{
    m_settle.setSingleShot(true);
    connect(&m_settle, &QTimer::timeout, this, &CertificateReloader::handleSettled);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this,
            &CertificateReloader::handlePathChanged);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &CertificateReloader::handlePathChanged);
    m_lastSeen = fingerprint();
}

CertificateReloader::~CertificateReloader() = default;

void CertificateReloader::watch(int settleMs)
{
    m_settle.setInterval(settleMs);
    rewatch();
}

void CertificateReloader::rewatch()
{
    // A file replaced by a rename is a new inode: the watch on the old one is gone, so the
    // paths are added again whenever something changed (already watched ones are skipped).
    QStringList wanted;
    for (const QString &file : {m_tls.certificateFile, m_tls.privateKeyFile, m_tls.clientCaFile}) {
        if (file.isEmpty())
            continue;
        const QFileInfo info(file);
        wanted << info.absolutePath();
        if (info.exists())
            wanted << info.absoluteFilePath();
    }
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    QStringList missing;
    for (const QString &path : std::as_const(wanted))
        if (!watched.contains(path) && !missing.contains(path))
            missing << path;
    if (!missing.isEmpty())
        m_watcher.addPaths(missing);
}

void CertificateReloader::handlePathChanged()
{
    rewatch();
    m_settle.start();
}

void CertificateReloader::handleSettled()
{
    rewatch();
    // Their folder also changes for other files (a CA key, an editor's backup): only a
    // change of what the files hold is a reason to reload, and a failed pair is not retried
    // until it changes again.
    if (fingerprint() == m_lastSeen)
        return;
    reload();
}

QByteArray CertificateReloader::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &path : {m_tls.certificateFile, m_tls.privateKeyFile, m_tls.clientCaFile}) {
        if (path.isEmpty())
            continue;
        QFile file(path);
        // Bounded like the loader: a PEM file over 1 MiB is refused there anyway.
        hash.addData(file.open(QIODevice::ReadOnly) ? file.read(1024 * 1024 + 1) : QByteArray());
        hash.addData(QByteArrayView("\0", 1));
    }
    return hash.result();
}

bool CertificateReloader::reload(QString *error)
{
    m_lastSeen = fingerprint();
    QString problem;
    if (!m_server.setTls(m_tls, &problem)) {
        ++m_failures;
        qCCritical(lcTls).noquote() << u"TLS certificate not reloaded, still serving %1: %2"_s.arg(
            describe(m_server.certificate()), problem);
        if (error)
            *error = problem;
        emit reloadFailed(problem);
        return false;
    }
    ++m_reloads;
    const QString summary = describe(m_server.certificate());
    qCInfo(lcTls).noquote() << u"TLS certificate reloaded: now serving %1"_s.arg(summary);
    emit reloaded(summary);
    return true;
}

} // namespace spotkeeper::http
