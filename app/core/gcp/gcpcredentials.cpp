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

// A credentials file's JSON object when its "type" is `type`; else nullopt and *error (never
// a value of the file but its type).
std::optional<QJsonObject> credentialsOfType(QByteArrayView json, QLatin1StringView type,
                                             QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = u"not a JSON object"_s;
        return std::nullopt;
    }
    const QString found = document.object().value("type"_L1).toString();
    if (found != type) {
        *error = found.isEmpty() ? u"\"type\" is missing; this file needs \"%1\""_s.arg(type)
                                 : u"\"type\" is \"%1\", not \"%2\""_s.arg(found.left(40), type);
        return std::nullopt;
    }
    return document.object();
}

// "token_uri" when the file names one (https only; 127.0.0.1 for tests): into *target.
bool readTokenUri(const QJsonObject &object, QString *target, QString *error)
{
    const QString uri = object.value("token_uri"_L1).toString();
    if (uri.isEmpty())
        return true;
    const QUrl url(uri);
    if (!url.isValid() || (url.scheme() != "https"_L1 && url.host() != "127.0.0.1"_L1)) {
        *error = u"\"token_uri\" must be an https URL"_s;
        return false;
    }
    *target = uri;
    return true;
}

} // namespace

ServiceAccountKey::~ServiceAccountKey()
{
    privateKeyPem.fill('\0');
}

std::optional<ServiceAccountKey> parseServiceAccountKey(QByteArrayView json, QString *error)
{
    const auto parsed = credentialsOfType(json, "service_account"_L1, error);
    if (!parsed)
        return std::nullopt;
    const QJsonObject &object = *parsed;
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
    if (!readTokenUri(object, &key.tokenUri, error))
        return std::nullopt;
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

AuthorizedUser::~AuthorizedUser()
{
    clientSecret.fill('\0');
    refreshToken.fill('\0');
}

QString credentialFileType(QByteArrayView json)
{
    return QJsonDocument::fromJson(json.toByteArray()).object().value("type"_L1).toString();
}

std::optional<AuthorizedUser> parseAuthorizedUser(QByteArrayView json, QString *error)
{
    const auto parsed = credentialsOfType(json, "authorized_user"_L1, error);
    if (!parsed)
        return std::nullopt;
    const QJsonObject &object = *parsed;
    AuthorizedUser user;
    user.clientId = object.value("client_id"_L1).toString();
    user.clientSecret = object.value("client_secret"_L1).toString().toUtf8();
    user.refreshToken = object.value("refresh_token"_L1).toString().toUtf8();
    for (const auto &[name, missing] :
         {std::pair {"client_id"_L1, user.clientId.isEmpty()},
          std::pair {"client_secret"_L1, user.clientSecret.isEmpty()},
          std::pair {"refresh_token"_L1, user.refreshToken.isEmpty()}}) {
        if (missing) {
            *error = u"\"%1\" is missing or not a string"_s.arg(name);
            return std::nullopt;
        }
    }
    if (!readTokenUri(object, &user.tokenUri, error))
        return std::nullopt;
    user.quotaProjectId = object.value("quota_project_id"_L1).toString();
    return user;
}

QByteArray refreshTokenBody(const AuthorizedUser &user)
{
    // Every value percent-encoded ('+' included: a form decoder reads it as a space).
    return "grant_type=refresh_token&client_id=" + QUrl::toPercentEncoding(user.clientId)
        + "&client_secret=" + QUrl::toPercentEncoding(QString::fromUtf8(user.clientSecret))
        + "&refresh_token=" + QUrl::toPercentEncoding(QString::fromUtf8(user.refreshToken));
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
