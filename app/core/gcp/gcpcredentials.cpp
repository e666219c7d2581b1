// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/gcpcredentials.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QUrlQuery>

#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;

namespace {

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct KeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct MdContextFree
{
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};

} // namespace

ServiceAccountKey::~ServiceAccountKey()
{
    privateKeyPem.fill('\0');
}

std::optional<ServiceAccountKey> parseServiceAccountKey(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = u"not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    const QString type = object.value("type"_L1).toString();
    if (type != "service_account"_L1) {
        *error = type.isEmpty()
            ? u"\"type\" is missing; a service-account key file has \"service_account\""_s
            : u"\"type\" is \"%1\", not \"service_account\""_s.arg(type.left(40));
        return std::nullopt;
    }
    ServiceAccountKey key;
    for (const auto &[name, target] : {std::pair {"client_email"_L1, &key.clientEmail},
                                       std::pair {"private_key_id"_L1, &key.privateKeyId}}) {
        *target = object.value(name).toString();
        if (target->isEmpty()) {
            *error = u"\"%1\" is missing or not a string"_s.arg(name);
            return std::nullopt;
        }
    }
    key.privateKeyPem = object.value("private_key"_L1).toString().toUtf8();
    if (!key.privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----")) {
        *error = u"\"private_key\" is missing or not a PEM private key"_s;
        return std::nullopt;
    }
    if (const QString uri = object.value("token_uri"_L1).toString(); !uri.isEmpty()) {
        const QUrl url(uri);
        if (!url.isValid() || (url.scheme() != "https"_L1 && url.host() != "127.0.0.1"_L1)) {
            *error = u"\"token_uri\" must be an https URL"_s;
            return std::nullopt;
        }
        key.tokenUri = uri;
    }
    key.projectId = object.value("project_id"_L1).toString();
    return key;
}

QByteArray signJwtGrant(const ServiceAccountKey &key, const QStringList &scopes,
                        const QDateTime &issuedAt, int lifetimeSeconds, QString *error)
{
    if (lifetimeSeconds <= 0 || lifetimeSeconds > 3600) {
        *error = u"the assertion may live at most 3600 s"_s;
        return {};
    }
    const QJsonObject header {
        {u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}, {u"kid"_s, key.privateKeyId}};
    const qint64 iat = issuedAt.toSecsSinceEpoch();
    const QJsonObject claims {
        {u"iss"_s, key.clientEmail},       {u"scope"_s, scopes.join(u' ')},
        {u"aud"_s, key.tokenUri},          {u"iat"_s, iat},
        {u"exp"_s, iat + lifetimeSeconds},
    };
    const QByteArray signingInput = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact))
        + '.' + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));

    std::unique_ptr<BIO, BioFree> bio(
        BIO_new_mem_buf(key.privateKeyPem.constData(), int(key.privateKeyPem.size())));
    std::unique_ptr<EVP_PKEY, KeyFree> pkey(
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) {
        *error = u"the private key cannot be read as an RSA key"_s;
        return {};
    }
    std::unique_ptr<EVP_MD_CTX, MdContextFree> context(EVP_MD_CTX_new());
    size_t length = 0;
    if (!context
        || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1
        || EVP_DigestSign(context.get(), nullptr, &length,
                          reinterpret_cast<const unsigned char *>(signingInput.constData()),
                          size_t(signingInput.size()))
            != 1) {
        *error = u"RS256 signing failed"_s;
        return {};
    }
    QByteArray signature(qsizetype(length), '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       size_t(signingInput.size()))
        != 1) {
        *error = u"RS256 signing failed"_s;
        return {};
    }
    signature.resize(qsizetype(length));
    return signingInput + '.' + base64Url(signature);
}

QByteArray jwtGrantBody(const QByteArray &assertion)
{
    QUrlQuery form;
    form.addQueryItem(u"grant_type"_s, u"urn:ietf:params:oauth:grant-type:jwt-bearer"_s);
    form.addQueryItem(u"assertion"_s, QString::fromLatin1(assertion));
    return form.toString(QUrl::FullyEncoded).toLatin1();
}

std::optional<AccessToken> parseTokenResponse(QByteArrayView json, const QDateTime &now,
                                              QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(json.toByteArray()).object();
    const QString token = object.value("access_token"_L1).toString();
    const QJsonValue expiresIn = object.value("expires_in"_L1);
    if (token.isEmpty()) {
        *error = object.contains("error"_L1)
            ? u"token endpoint error \"%1\""_s.arg(object.value("error"_L1).toString().left(64))
            : u"no access_token in the answer"_s;
        return std::nullopt;
    }
    if (!expiresIn.isDouble() || expiresIn.toDouble() <= 0) {
        *error = u"expires_in is missing or not a positive number"_s;
        return std::nullopt;
    }
    if (object.value("token_type"_L1).toString().compare("Bearer"_L1, Qt::CaseInsensitive) != 0) {
        *error = u"token_type is not Bearer"_s;
        return std::nullopt;
    }
    return AccessToken {token.toUtf8(), now.toUTC().addSecs(qint64(expiresIn.toDouble()))};
}

QStringList applicationDefaultCredentialFiles(const QProcessEnvironment &env, bool windows)
{
    QStringList files;
    if (const QString named = env.value(u"GOOGLE_APPLICATION_CREDENTIALS"_s); !named.isEmpty())
        files.append(named);
    QString dir = env.value(u"CLOUDSDK_CONFIG"_s);
    if (dir.isEmpty()) {
        if (windows) {
            if (const QString appData = env.value(u"APPDATA"_s); !appData.isEmpty())
                dir = appData + u"/gcloud"_s;
        } else if (const QString home = env.value(u"HOME"_s); !home.isEmpty()) {
            dir = home + u"/.config/gcloud"_s;
        }
    }
    if (!dir.isEmpty())
        files.append(dir + u"/application_default_credentials.json"_s);
    return files;
}

} // namespace spotkeeper::gcp
