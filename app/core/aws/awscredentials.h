// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "aws/sigv4.h"
#include "base/clock.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;

// Where the engine's AWS credentials come from (docs/AWS.md "Credentials"), in the order of the
// AWS SDKs' default chain: the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), the shared credentials and config files (AWS_SHARED_CREDENTIALS_FILE,
// AWS_CONFIG_FILE, profile AWS_PROFILE or "default"), web identity (AWS_WEB_IDENTITY_TOKEN_FILE +
// AWS_ROLE_ARN through STS AssumeRoleWithWebIdentity), then the instance's role through IMDSv2.
// Endpoints are overridden the SDKs' way (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL).
// A secret, session token or web identity token never appears in an error, status or log line.
namespace spotkeeper::core::aws {

// The https://<service>.<region>.amazonaws.com/ of a service, or the override: `configured`
// (spotkeeperd.conf) first, then AWS_ENDPOINT_URL_<SERVICE> (e.g. EC2, STS, CLOUDTRAIL), then
// AWS_ENDPOINT_URL. An invalid override gives an invalid URL (*problem says why).
QUrl serviceEndpoint(const QProcessEnvironment &env, const QString &configured,
                     const QString &serviceEnvName, const QString &hostPrefix,
                     const QString &region, QString *problem = nullptr);
// AWS_REGION, else AWS_DEFAULT_REGION; empty when neither is set.
QString regionFromEnvironment(const QProcessEnvironment &env);

// Long-term or temporary keys with their expiry (invalid = does not expire).
struct ResolvedCredentials
{
    AwsCredentials keys;
    QDateTime expiresAt;
    QString source; // "environment", "profile default", "web identity", "instance role NAME"
};

// The environment's keys. nullopt and *problem empty: not set (try the next source);
// nullopt with *problem: set but incomplete (an access key id without a secret).
std::optional<ResolvedCredentials> credentialsFromEnvironment(const QProcessEnvironment &env,
                                                              QString *problem);

// A profile's keys from the shared files' texts (INI: "[name]" in the credentials file,
// "[profile name]" or "[default]" in the config file; the credentials file wins). nullopt and
// *problem empty: the profile has no keys; *problem set: the profile is broken (e.g. a key id
// without its secret). roleArn/webIdentityTokenFile are read too (a profile for web identity).
struct ProfileSettings
{
    std::optional<ResolvedCredentials> credentials;
    QString region;
    QString roleArn;
    QString webIdentityTokenFile;
    bool found = false; // a section of that name exists in either file
};
ProfileSettings readProfile(QByteArrayView credentialsFile, QByteArrayView configFile,
                            const QString &profile, QString *problem);

// STS AssumeRoleWithWebIdentity's answer (XML), or its error: code and message.
struct StsAnswer
{
    std::optional<ResolvedCredentials> credentials;
    QString errorCode;
    QString errorMessage; // never the token
    QString assumedRoleArn;
};
StsAnswer parseAssumeRoleWithWebIdentity(QByteArrayView xml);
// The form body of the call (unsigned: the web identity token is the proof).
QByteArray assumeRoleWithWebIdentityBody(const QString &roleArn, const QString &sessionName,
                                         QByteArrayView webIdentityToken);

// IMDS' /latest/meta-data/iam/security-credentials/<role> JSON ("Code": "Success",
// AccessKeyId, SecretAccessKey, Token, Expiration).
std::optional<ResolvedCredentials> parseInstanceRoleCredentials(QByteArrayView json,
                                                                QString *problem);

struct CredentialResult
{
    std::optional<ResolvedCredentials> credentials;
    QString error; // why none; never a secret
    bool fatal = false; // a configuration error (operator), not a passing failure
    bool ok() const { return credentials.has_value(); }
};

struct CredentialChainOptions
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QString homeDir; // for ~/.aws/credentials and ~/.aws/config; empty = QDir::homePath()
    QString region; // of STS (and for the profile's region); empty = from env or profile
    QUrl imdsUrl = QUrl(QStringLiteral("http://169.254.169.254"));
    bool excludeInstanceRole = false; // a workstation probes no IMDS
    int timeoutMs = 5'000; // per HTTP call of STS or IMDS
    int refreshBeforeExpiryMs = 5 * 60'000; // temporary keys are renewed this early
};

// The chain. get() answers from the cache while the keys are good, else walks the sources in
// order (the first that is configured decides; a configured source that fails is an error,
// as in the SDKs), once at a time: calls during a walk wait for it.
class AwsCredentialChain final : public QObject
{
    Q_OBJECT
public:
    AwsCredentialChain(CredentialChainOptions options, const base::Clock &clock,
                       QObject *parent = nullptr);
    ~AwsCredentialChain() override;
    Q_DISABLE_COPY_MOVE(AwsCredentialChain)

    void get(std::function<void(CredentialResult)> done);
    void invalidate(); // AWS said the keys expired or are unknown: resolve again next time
    QString status() const; // the source of the keys in use (never a secret), or "not resolved"
    QString region() const; // the region found while resolving (options, env or profile)

private:
    void resolve();
    void finish(CredentialResult result);
    void fromWebIdentity(const QString &roleArn, const QString &tokenFile);
    void fromInstanceRole();
    QUrl stsUrl(QString *problem) const;

    CredentialChainOptions m_options;
    const base::Clock &m_clock;
    QNetworkAccessManager *m_network;
    std::optional<ResolvedCredentials> m_cached;
    QString m_region;
    QList<std::function<void(CredentialResult)>> m_waiting;
    bool m_resolving = false;
};

} // namespace spotkeeper::core::aws
