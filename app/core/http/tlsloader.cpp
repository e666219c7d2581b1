// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/tlsloader.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace spotkeeper::http {

using namespace Qt::StringLiterals;

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool readFile(const QString &path, const QString &what, QByteArray *data, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(error,
                    u"cannot read TLS %1 file \"%2\": %3"_s.arg(what, path, f.errorString()));
    // Certificates and keys are small; refuse anything that is clearly not one.
    if (f.size() > 1024 * 1024)
        return fail(error, u"TLS %1 file \"%2\" is too large to be PEM"_s.arg(what, path));
    *data = f.readAll();
    return true;
}

bool loadCertificates(const QString &path, const QString &what, QList<QSslCertificate> *out,
                      QString *error)
{
    QByteArray pem;
    if (!readFile(path, what, &pem, error))
        return false;
    const QList<QSslCertificate> certs = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certs.isEmpty() || certs.constFirst().isNull())
        return fail(error, u"TLS %1 file \"%2\" holds no PEM certificate"_s.arg(what, path));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QSslCertificate &c : certs) {
        if (c.expiryDate().isValid() && c.expiryDate() < now)
            return fail(error,
                        u"TLS %1 in \"%2\" expired on %3"_s.arg(
                            what, path, c.expiryDate().toString(Qt::ISODate)));
    }
    *out = certs;
    return true;
}

// Qt has no "does this key fit" API. Both RSA (PKCS#1) and EC (SEC1) private keys embed
// their public part, which ends the certificate's SubjectPublicKeyInfo (RSA modulus and
// exponent, EC point): a 32-byte window of it must appear in the private key's DER.
bool keyMatchesCertificate(const QSslKey &key, const QSslCertificate &cert)
{
    const QSslKey publicKey = cert.publicKey();
    if (publicKey.algorithm() != key.algorithm())
        return false;
    const QByteArray spki = publicKey.toDer();
    const QByteArray der = key.toDer();
    if (spki.size() < 40 || der.isEmpty())
        return publicKey.length() == key.length(); // unknown layout: weaker check
    return der.contains(spki.right(40).left(32));
}

} // namespace

std::optional<QList<QSslCertificate>> loadCertificateFile(const QString &path, const QString &what,
                                                          QString *error)
{
    QList<QSslCertificate> certificates;
    if (!loadCertificates(path, what, &certificates, error))
        return std::nullopt;
    return certificates;
}

std::optional<QSslConfiguration> loadServerTls(const TlsOptions &tls, QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        fail(error, u"TLS is not available: no TLS backend could be loaded"_s);
        return std::nullopt;
    }
    if (tls.privateKeyFile.isEmpty()) {
        fail(error, u"TLS needs a private key file along with the certificate"_s);
        return std::nullopt;
    }
    QList<QSslCertificate> chain;
    if (!loadCertificates(tls.certificateFile, u"certificate"_s, &chain, error))
        return std::nullopt;

    QByteArray keyPem;
    if (!readFile(tls.privateKeyFile, u"private key"_s, &keyPem, error))
        return std::nullopt;
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull()) {
        fail(error,
             u"TLS private key file \"%1\" holds no unencrypted PEM RSA or EC private key"_s.arg(
                 tls.privateKeyFile));
        return std::nullopt;
    }
    if (!keyMatchesCertificate(key, chain.constFirst())) {
        fail(error,
             u"TLS private key \"%1\" does not match the certificate \"%2\""_s.arg(
                 tls.privateKeyFile, tls.certificateFile));
        return std::nullopt;
    }

    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setProtocol(QSsl::TlsV1_2OrLater);
    conf.setLocalCertificateChain(chain);
    conf.setPrivateKey(key);
    if (!tls.clientCaFile.isEmpty()) {
        QList<QSslCertificate> cas;
        if (!loadCertificates(tls.clientCaFile, u"client CA"_s, &cas, error))
            return std::nullopt;
        conf.setCaCertificates(cas);
        conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return conf;
}

} // namespace spotkeeper::http
