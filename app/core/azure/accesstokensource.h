// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>

class QNetworkAccessManager;
class QUrl;

// Where ARM bearer tokens come from. Implementations: ClientSecretCredential (environment),
// AzureCliCredential, ManagedIdentityCredential, and ChainedCredential over them.
// A token or secret never appears in a TokenResult's error, principal or any log line.
namespace spotkeeper::core {

struct AccessToken
{
    QByteArray token; // the bearer value; never logged
    QDateTime expiresOn; // UTC
    QDateTime obtainedAt; // UTC, when it was received (refresh is planned from this)
    bool isValid() const { return !token.isEmpty() && expiresOn.isValid(); }
};

struct TokenResult
{
    enum class Status {
        Ok,
        Unavailable, // this source is not configured here (no env vars, no az, no IMDS): try the
                     // next
        Failed, // configured but failed
    };
    Status status = Status::Failed;
    AccessToken token;
    QString error; // what went wrong, for operators; never a secret
    bool fatal = false; // Failed because of configuration (bad secret, unknown app): do not retry
    int httpStatus = 0; // of the token endpoint, when there was one
    QString errorCode; // e.g. Entra "invalid_client" or "AADSTS7000215"
    bool ok() const { return status == Status::Ok; }

    static TokenResult success(AccessToken token);
    static TokenResult unavailable(QString error);
    static TokenResult failure(QString error, bool fatal, int httpStatus = 0, QString code = {});
};

class AccessTokenSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~AccessTokenSource() override = default;

    // Short source name: "environment", "azure-cli", "managed-identity", "chain".
    virtual QString sourceName() const = 0;
    // Who tokens are issued to (client id, tenant, identity); never a secret. May be empty.
    virtual QString principal() const = 0;
    // Asks for a token for ARM. done is called exactly once, possibly synchronously.
    virtual void requestToken(std::function<void(TokenResult)> done) = 0;
    // Forget any cached token (ARM answered 401); sources without a cache ignore it.
    virtual void invalidate() { }

protected:
    using FormAnswer =
        std::function<void(int httpStatus, const QByteArray &body, const QString &error)>;
    // The OAuth 2.0 token request of the sources that hold a secret (Entra ID's client
    // credentials, Google's JWT grant): POSTs `form` (application/x-www-form-urlencoded) to
    // `url` and wipes `form` once the request has it. `answered` runs once, on this object
    // and never after it is gone, with the HTTP status and body; status 0 means no answer,
    // `error` then says why (host and socket error, never the form).
    void postTokenForm(QNetworkAccessManager *network, const QUrl &url, QByteArray &form,
                       int timeoutMs, FormAnswer answered);
};

} // namespace spotkeeper::core
