// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/gcpdemokey.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

struct PkeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};

// PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), as Google writes it into key files.
QByteArray newRsaKeyPem()
{
    const std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(2048));
    const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!key || !bio
        || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    QByteArray pem(data, qsizetype(size));
    OPENSSL_cleanse(data, size_t(size));
    return pem;
}

} // namespace

QByteArray makeGcpDemoKeyFile(const QString &project, const QString &tokenUri, QString *error)
{
    QByteArray pem = newRsaKeyPem();
    if (pem.isEmpty()) {
        *error = u"OpenSSL could not make an RSA key for the demo's service account"_s;
        return {};
    }
    QByteArray json =
        QJsonDocument(
            QJsonObject {
                {u"type"_s, u"service_account"_s},
                {u"project_id"_s, project},
                {u"private_key_id"_s, u"spotkeeper-sim-demo"_s},
                {u"private_key"_s, QString::fromLatin1(pem)},
                {u"client_email"_s, u"spotkeeper-demo@%1.iam.gserviceaccount.com"_s.arg(project)},
                {u"token_uri"_s, tokenUri},
            })
            .toJson();
    pem.fill('\0');
    return json;
}

} // namespace spotkeeper::sim
