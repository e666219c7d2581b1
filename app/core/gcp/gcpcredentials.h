// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

// Google Cloud credentials, the parts that need no network (docs/GCP-PROTOCOL.md §6):
// reading a service-account key file, signing the JWT bearer grant with RS256 (OpenSSL),
// the token request body and answer, and the order in which Application Default
// Credentials are looked for. The private key is a secret: it never reaches an error
// message, and the parsed key wipes it from memory when destroyed.
namespace spotkeeper::gcp {

inline constexpr auto kDefaultTokenUri = "https://oauth2.googleapis.com/token";
inline constexpr auto kComputeScope = "https://www.googleapis.com/auth/compute";
// Reading Cloud Audit Logs (entries.list) for the evidence of a deliberate stop.
inline constexpr auto kLoggingReadScope = "https://www.googleapis.com/auth/logging.read";

struct ServiceAccountKey
{
    QString clientEmail;
    QString privateKeyId; // the JWT's "kid"
    QByteArray privateKeyPem; // secret
    QString tokenUri = QLatin1StringView(kDefaultTokenUri);
    QString projectId;

    ServiceAccountKey() = default;
    ServiceAccountKey(const ServiceAccountKey &) = default;
    ServiceAccountKey &operator=(const ServiceAccountKey &) = default;
    ~ServiceAccountKey(); // overwrites privateKeyPem
};

// {"type":"service_account", "client_email", "private_key", "private_key_id", "token_uri"?,
// "project_id"?}. nullopt and *error (naming the field, never its value) otherwise; a file
// of another type (e.g. "authorized_user" from gcloud) says so.
std::optional<ServiceAccountKey> parseServiceAccountKey(QByteArrayView json, QString *error);

// header.claims.signature, base64url without padding: header {"alg":"RS256","typ":"JWT",
// "kid"}, claims {iss: clientEmail, scope (space-separated), aud: tokenUri, iat, exp = iat +
// lifetime (at most 3600 s)}. Empty and *error when the key cannot be read or used.
QByteArray signJwtGrant(const ServiceAccountKey &key, const QStringList &scopes,
                        const QDateTime &issuedAt, int lifetimeSeconds, QString *error);

// gcloud's application-default credentials of a user (`gcloud auth application-default
// login`): {"type":"authorized_user", "client_id", "client_secret", "refresh_token",
// "quota_project_id"?, "token_uri"?}. The secret and the refresh token are wiped on
// destruction and never reach an error.
struct AuthorizedUser
{
    QString clientId;
    QByteArray clientSecret; // secret
    QByteArray refreshToken; // secret
    QString tokenUri = QLatin1StringView(kDefaultTokenUri);
    QString quotaProjectId;

    AuthorizedUser() = default;
    AuthorizedUser(const AuthorizedUser &) = default;
    AuthorizedUser &operator=(const AuthorizedUser &) = default;
    ~AuthorizedUser();
};
std::optional<AuthorizedUser> parseAuthorizedUser(QByteArrayView json, QString *error);

// The form of the refresh grant POSTed to tokenUri: grant_type=refresh_token&client_id=...&
// client_secret=...&refresh_token=... (secret: the caller wipes it).
QByteArray refreshTokenBody(const AuthorizedUser &user);

// The "type" of a credentials file ("service_account", "authorized_user", ...), empty when it
// is no JSON object.
QString credentialFileType(QByteArrayView json);

// The form POSTed to tokenUri: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=...
QByteArray jwtGrantBody(const QByteArray &assertion);

struct AccessToken
{
    QByteArray token; // secret
    QDateTime expiresAt; // UTC
};
// {"access_token","expires_in","token_type":"Bearer"} (the token endpoint's and the metadata
// server's answer) received at now; nullopt and *error otherwise.
std::optional<AccessToken> parseTokenResponse(QByteArrayView json, const QDateTime &now,
                                              QString *error);

// Where Application Default Credentials are looked for, in order: GOOGLE_APPLICATION_CREDENTIALS,
// then gcloud's file ($CLOUDSDK_CONFIG, else ~/.config/gcloud, or %APPDATA%\gcloud on Windows,
// + /application_default_credentials.json). The metadata server comes after these on
// Compute Engine and is not a file.
QStringList applicationDefaultCredentialFiles(const QProcessEnvironment &env, bool windows);

} // namespace spotkeeper::gcp
