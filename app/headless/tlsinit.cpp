// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/tlsinit.h"

#include "base/privatefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSaveFile>

#include <memory>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace spotkeeper::headless {

using namespace Qt::StringLiterals;

namespace {

struct Free
{
    void operator()(BIO *bio) const { BIO_free(bio); }
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
    void operator()(X509 *cert) const { X509_free(cert); }
    void operator()(X509_EXTENSION *ext) const { X509_EXTENSION_free(ext); }
    void operator()(BIGNUM *bn) const { BN_free(bn); }
};
using Bio = std::unique_ptr<BIO, Free>;
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// The reason OpenSSL queued last (for "cannot sign: ..."), clearing its queue.
QString openSslReason()
{
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0)
        return u"unknown OpenSSL error"_s;
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

// One SAN as OpenSSL's config syntax ("DNS:name" / "IP:address"), or empty with *error.
QString sanEntry(const QString &name, QString *error)
{
    const QString trimmed = name.trimmed();
    QHostAddress address;
    if (address.setAddress(trimmed))
        return u"IP:"_s + address.toString();
    // RFC 1123 labels, at most 63 characters each, 253 in all; "*." only as the first label.
    static const QRegularExpression label(u"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"_s);
    QString host = trimmed.toLower();
    if (host.endsWith(u'.'))
        host.chop(1);
    QStringList labels = host.split(u'.');
    if (labels.size() > 1 && labels.constFirst() == "*"_L1)
        labels.removeFirst();
    bool valid = !host.isEmpty() && host.size() <= 253;
    for (const QString &part : std::as_const(labels))
        valid = valid && label.match(part).hasMatch();
    if (!valid) {
        fail(error,
             u"--san \"%1\" is neither an IP address nor a DNS name (letters, digits and "
             "hyphens in dot-separated labels, e.g. spotkeeper.example.com)"_s.arg(name));
        return {};
    }
    return u"DNS:"_s + host;
}

Key newKey(QString *error)
{
    Key key(EVP_EC_gen("P-256"));
    if (!key)
        fail(error, u"cannot generate an EC P-256 key: "_s + openSslReason());
    return key;
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const QString &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    const QByteArray text = value.toLatin1();
    std::unique_ptr<X509_EXTENSION, Free> ext(
        X509V3_EXT_conf_nid(nullptr, &context, nid, text.constData()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool setName(X509 *cert, const QString &commonName)
{
    X509_NAME *name = X509_get_subject_name(cert);
    const QByteArray cn = commonName.toUtf8();
    const QByteArray org = QByteArrayLiteral("SpotKeeper");
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(org.constData()),
                                      int(org.size()), -1, 0)
        == 1
        && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(cn.constData()),
                                      int(cn.size()), -1, 0)
        == 1;
}

struct CertificateSpec
{
    QString commonName;
    int validityDays = 365;
    bool ca = false;
    QString subjectAltNames; // "DNS:a,IP:b"; server only
};

// A certificate for `key`, signed by issuerKey under issuer (both null: self-signed CA).
Cert makeCertificate(const CertificateSpec &spec, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuerKey,
                     QString *error)
{
    Cert cert(X509_new());
    std::unique_ptr<BIGNUM, Free> serial(BN_new());
    // A random, positive 127-bit serial (RFC 5280 asks for at most 20 octets, unique per CA).
    bool ok = cert && serial && X509_set_version(cert.get(), X509_VERSION_3) == 1
        && BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1
        && BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr
        // Five minutes back: a client whose clock is a little behind still accepts it.
        && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300) != nullptr
        && X509_time_adj_ex(X509_getm_notAfter(cert.get()), spec.validityDays, 0, nullptr)
            != nullptr
        && X509_set_pubkey(cert.get(), key) == 1 && setName(cert.get(), spec.commonName);
    X509 *signer = issuer ? issuer : cert.get();
    if (ok && issuer) {
        ok = X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) == 1;
        // Never past the CA: a client would refuse the chain from that day on anyway.
        if (ok && ASN1_TIME_compare(X509_get0_notAfter(cert.get()), X509_get0_notAfter(issuer)) > 0)
            ok = X509_set1_notAfter(cert.get(), X509_get0_notAfter(issuer)) == 1;
    } else if (ok) {
        ok = X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) == 1;
    }
    ok = ok && addExtension(cert.get(), signer, NID_subject_key_identifier, u"hash"_s)
        && addExtension(cert.get(), signer, NID_authority_key_identifier, u"keyid:always"_s);
    if (spec.ca) {
        ok = ok
            && addExtension(cert.get(), signer, NID_basic_constraints,
                            u"critical,CA:TRUE,pathlen:0"_s)
            && addExtension(cert.get(), signer, NID_key_usage, u"critical,keyCertSign,cRLSign"_s);
    } else {
        ok = ok && addExtension(cert.get(), signer, NID_basic_constraints, u"critical,CA:FALSE"_s)
            && addExtension(cert.get(), signer, NID_key_usage, u"critical,digitalSignature"_s)
            && addExtension(cert.get(), signer, NID_ext_key_usage, u"serverAuth"_s)
            && addExtension(cert.get(), signer, NID_subject_alt_name, spec.subjectAltNames);
    }
    ok = ok && X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) > 0;
    if (!ok) {
        fail(error,
             u"cannot make the certificate \"%1\": %2"_s.arg(spec.commonName, openSslReason()));
        return nullptr;
    }
    return cert;
}

QByteArray drain(BIO *bio)
{
    QByteArray out(qsizetype(BIO_ctrl_pending(bio)), Qt::Uninitialized);
    if (BIO_read(bio, out.data(), int(out.size())) != int(out.size()))
        return {};
    return out;
}

QByteArray certificatePem(X509 *cert)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return drain(bio.get());
}

QByteArray keyPem(EVP_PKEY *key) // unencrypted PKCS#8, which Qt and OpenSSL both read
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio
        || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return drain(bio.get());
}

QDateTime notAfter(X509 *cert)
{
    struct tm at = {};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &at) != 1)
        return {};
    return QDateTime(QDate(at.tm_year + 1900, at.tm_mon + 1, at.tm_mday),
                     QTime(at.tm_hour, at.tm_min, at.tm_sec), Qt::UTC);
}

bool writePublicFile(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile file(path);
    const bool written = file.open(QIODevice::WriteOnly)
        && file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                               | QFileDevice::ReadGroup | QFileDevice::ReadOther)
        && file.write(data) == data.size() && file.commit();
    if (!written)
        fail(error, u"cannot write "_s + path + u": "_s + file.errorString());
    return written;
}

// The checks both commands share: the folder exists (made 0700 if missing), names are valid.
bool prepare(const TlsInitOptions &options, QString *sans, QString *error)
{
    if (options.subjectAltNames.isEmpty())
        return fail(error,
                    u"tls: give the names agents use to reach this server, e.g. --san "
                    "spotkeeper.example.com --san 10.0.0.5"_s);
    if (options.caValidityDays < 1 || options.serverValidityDays < 1)
        return fail(error, u"tls: validity must be at least one day"_s);
    QStringList entries;
    for (const QString &name : options.subjectAltNames) {
        const QString entry = sanEntry(name, error);
        if (entry.isEmpty())
            return false;
        entries.append(entry);
    }
    *sans = entries.join(u',');
    if (QFileInfo::exists(options.directory))
        return true;
    if (!QDir().mkpath(options.directory)
        || !QFile::setPermissions(options.directory,
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                      | QFileDevice::ExeOwner))
        return fail(error, u"cannot create the folder "_s + options.directory);
    return true;
}

// A PEM object from a file through OpenSSL's PEM_read_bio_<kind>; null with *error naming the
// file when it cannot be read or holds no such object (`what`).
template<typename T>
std::unique_ptr<T, Free> readPem(const QString &path,
                                 T *(*read)(BIO *, T **, pem_password_cb *, void *),
                                 const QString &what, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(error, u"cannot read "_s + path + u": "_s + file.errorString());
        return nullptr;
    }
    const QByteArray pem = file.read(1024 * 1024);
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size()))); // reads `pem` in place
    std::unique_ptr<T, Free> object(bio ? read(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!object)
        fail(error, path + u" holds no "_s + what);
    return object;
}

// Issues and writes the server key and certificate (key first: both files change within
// milliseconds, and the reloading server waits for the pair to settle).
bool issueServer(const TlsInitOptions &options, const QString &sans, X509 *ca, EVP_PKEY *caKey,
                 TlsFiles *files, QString *error)
{
    Key key = newKey(error);
    if (!key)
        return false;
    CertificateSpec spec;
    spec.commonName = sans.section(u',', 0, 0).section(u':', 1);
    spec.validityDays = options.serverValidityDays;
    spec.subjectAltNames = sans;
    Cert cert = makeCertificate(spec, key.get(), ca, caKey, error);
    if (!cert)
        return false;
    if (!base::writePrivateFile(files->privateKey, keyPem(key.get()), error)
        || !writePublicFile(files->certificate, certificatePem(cert.get()), error))
        return false;
    files->certificateExpiresAt = notAfter(cert.get());
    files->caExpiresAt = notAfter(ca);
    return true;
}

} // namespace

TlsFiles tlsFilesIn(const QString &directory)
{
    const QDir dir(directory);
    TlsFiles files;
    files.caCertificate = dir.filePath(u"ca.pem"_s);
    files.caKey = dir.filePath(u"ca-key.pem"_s);
    files.certificate = dir.filePath(u"server.pem"_s);
    files.privateKey = dir.filePath(u"server-key.pem"_s);
    return files;
}

std::optional<TlsFiles> tlsInit(const TlsInitOptions &options, QString *error)
{
    TlsFiles files = tlsFilesIn(options.directory);
    if (!options.force) {
        for (const QString &path :
             {files.caKey, files.caCertificate, files.privateKey, files.certificate}) {
            if (QFileInfo::exists(path)) {
                fail(error,
                     path
                         + u" exists: a new CA would make every enrolled agent distrust this "
                           "server. Use `tls renew` for a new server certificate from the same "
                           "CA, or --force to replace everything"_s);
                return std::nullopt;
            }
        }
    }
    QString sans;
    if (!prepare(options, &sans, error))
        return std::nullopt;
    Key caKey = newKey(error);
    if (!caKey)
        return std::nullopt;
    CertificateSpec spec;
    spec.commonName = u"SpotKeeper CA "_s + sans.section(u',', 0, 0).section(u':', 1);
    spec.validityDays = options.caValidityDays;
    spec.ca = true;
    Cert ca = makeCertificate(spec, caKey.get(), nullptr, nullptr, error);
    if (!ca)
        return std::nullopt;
    if (!base::writePrivateFile(files.caKey, keyPem(caKey.get()), error)
        || !writePublicFile(files.caCertificate, certificatePem(ca.get()), error)
        || !issueServer(options, sans, ca.get(), caKey.get(), &files, error))
        return std::nullopt;
    return files;
}

std::optional<TlsFiles> tlsRenew(const TlsInitOptions &options, QString *error)
{
    TlsFiles files = tlsFilesIn(options.directory);
    QString sans;
    if (!prepare(options, &sans, error))
        return std::nullopt;
    Cert ca = readPem<X509>(files.caCertificate, PEM_read_bio_X509, u"PEM certificate"_s, error);
    Key caKey = ca ? readPem<EVP_PKEY>(files.caKey, PEM_read_bio_PrivateKey,
                                       u"unencrypted PEM private key"_s, error)
                   : nullptr;
    if (!caKey)
        return std::nullopt;
    if (X509_check_private_key(ca.get(), caKey.get()) != 1) {
        ERR_clear_error();
        fail(error, files.caKey + u" is not the key of "_s + files.caCertificate);
        return std::nullopt;
    }
    if (X509_cmp_current_time(X509_get0_notAfter(ca.get())) <= 0) {
        fail(error,
             files.caCertificate
                 + u" has expired: make a new CA with `tls init --force` and enroll the agents "
                   "again"_s);
        return std::nullopt;
    }
    if (!issueServer(options, sans, ca.get(), caKey.get(), &files, error))
        return std::nullopt;
    return files;
}

} // namespace spotkeeper::headless
