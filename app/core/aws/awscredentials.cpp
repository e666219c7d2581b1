// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/awscredentials.h"

#include "aws/awshttp.h"
#include "aws/ec2query.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QXmlStreamReader>

namespace spotkeeper::core::aws {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcCredentials, "spotkeeper.aws.credentials")

constexpr qsizetype kMaxCredentialFileBytes = qsizetype {1} << 20;

QDateTime isoTime(const QString &value)
{
    QDateTime time = QDateTime::fromString(value.trimmed(), Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(value.trimmed(), Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

// One INI file: section -> key -> value, keys lower-cased, '#' and ';' comments, values trimmed.
using IniFile = QHash<QString, QHash<QString, QString>>;

IniFile parseIni(QByteArrayView text)
{
    IniFile ini;
    QString section;
    const QList<QByteArray> lines = text.toByteArray().split('\n');
    for (const QByteArray &line : lines) {
        const QString trimmed = QString::fromUtf8(line).trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(u'#') || trimmed.startsWith(u';'))
            continue;
        if (trimmed.startsWith(u'[') && trimmed.endsWith(u']')) {
            section = trimmed.mid(1, trimmed.size() - 2).simplified();
            ini[section];
            continue;
        }
        const qsizetype eq = trimmed.indexOf(u'=');
        if (eq <= 0 || section.isEmpty())
            continue;
        ini[section][trimmed.left(eq).trimmed().toLower()] = trimmed.mid(eq + 1).trimmed();
    }
    return ini;
}

QByteArray readSmallFile(const QString &path, bool *exists, QString *problem)
{
    QFile file(path);
    *exists = file.exists();
    if (!*exists)
        return {};
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    QByteArray data = file.read(kMaxCredentialFileBytes + 1);
    if (data.size() > kMaxCredentialFileBytes) {
        *problem = u"%1 is larger than 1 MiB"_s.arg(path);
        data.fill('\0');
        return {};
    }
    return data;
}

// The XML element text at a path below the document element, namespace ignored.
void readSts(QXmlStreamReader &reader, StsAnswer &answer, ResolvedCredentials &keys,
             const QStringList &path)
{
    while (reader.readNextStartElement()) {
        const QString name = reader.name().toString();
        const QStringList here = path + QStringList {name};
        const QString joined = here.join(u'/');
        if (joined.endsWith(u"Credentials/AccessKeyId"_s)) {
            keys.keys.accessKeyId = reader.readElementText().trimmed();
        } else if (joined.endsWith(u"Credentials/SecretAccessKey"_s)) {
            keys.keys.secretAccessKey = reader.readElementText().trimmed();
        } else if (joined.endsWith(u"Credentials/SessionToken"_s)) {
            keys.keys.sessionToken = reader.readElementText().trimmed();
        } else if (joined.endsWith(u"Credentials/Expiration"_s)) {
            keys.expiresAt = isoTime(reader.readElementText());
        } else if (joined.endsWith(u"AssumedRoleUser/Arn"_s)) {
            answer.assumedRoleArn = reader.readElementText().trimmed();
        } else if (joined.endsWith(u"Error/Code"_s)) {
            answer.errorCode = reader.readElementText().trimmed();
        } else if (joined.endsWith(u"Error/Message"_s)) {
            answer.errorMessage = reader.readElementText().trimmed().left(500);
        } else if (here.size() < 5) {
            readSts(reader, answer, keys, here);
        } else {
            reader.skipCurrentElement();
        }
    }
}

} // namespace

QString regionFromEnvironment(const QProcessEnvironment &env)
{
    const QString region = env.value(u"AWS_REGION"_s).trimmed();
    return region.isEmpty() ? env.value(u"AWS_DEFAULT_REGION"_s).trimmed() : region;
}

QUrl serviceEndpoint(const QProcessEnvironment &env, const QString &configured,
                     const QString &serviceEnvName, const QString &hostPrefix,
                     const QString &region, QString *problem)
{
    QString override = configured.trimmed();
    QString from = u"the configured endpoint"_s;
    if (override.isEmpty()) {
        override = env.value(u"AWS_ENDPOINT_URL_"_s + serviceEnvName).trimmed();
        from = u"AWS_ENDPOINT_URL_"_s + serviceEnvName;
    }
    if (override.isEmpty()) {
        override = env.value(u"AWS_ENDPOINT_URL"_s).trimmed();
        from = u"AWS_ENDPOINT_URL"_s;
    }
    if (!override.isEmpty()) {
        QUrl url(override, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)) {
            if (problem != nullptr)
                *problem = u"%1 is not an http(s) URL: %2"_s.arg(from, override);
            return {};
        }
        if (url.path().isEmpty())
            url.setPath(u"/"_s);
        return url;
    }
    if (region.isEmpty()) {
        if (hostPrefix == "sts"_L1) // STS has a global endpoint; the others need a region
            return QUrl(u"https://sts.amazonaws.com/"_s);
        if (problem != nullptr)
            *problem = u"no AWS region for the %1 endpoint"_s.arg(hostPrefix);
        return {};
    }
    return QUrl(u"https://%1.%2.amazonaws.com/"_s.arg(hostPrefix, region));
}

std::optional<ResolvedCredentials> credentialsFromEnvironment(const QProcessEnvironment &env,
                                                              QString *problem)
{
    problem->clear();
    ResolvedCredentials resolved;
    resolved.keys.accessKeyId = env.value(u"AWS_ACCESS_KEY_ID"_s).trimmed();
    resolved.keys.secretAccessKey = env.value(u"AWS_SECRET_ACCESS_KEY"_s).trimmed();
    resolved.keys.sessionToken = env.value(u"AWS_SESSION_TOKEN"_s).trimmed();
    resolved.source = u"environment"_s;
    if (resolved.keys.accessKeyId.isEmpty() && resolved.keys.secretAccessKey.isEmpty())
        return std::nullopt;
    if (!resolved.keys.isComplete()) {
        *problem = resolved.keys.accessKeyId.isEmpty()
            ? u"AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"_s
            : u"AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"_s;
        return std::nullopt;
    }
    return resolved;
}

ProfileSettings readProfile(QByteArrayView credentialsFile, QByteArrayView configFile,
                            const QString &profile, QString *problem)
{
    problem->clear();
    ProfileSettings settings;
    const IniFile credentials = parseIni(credentialsFile);
    const IniFile config = parseIni(configFile);
    const QString configSection = profile == "default"_L1 ? profile : u"profile "_s + profile;
    QHash<QString, QString> values;
    if (auto it = config.find(configSection); it != config.end()) {
        settings.found = true;
        values = *it;
    } else if (auto plain = config.find(profile);
               plain != config.end() && profile == "default"_L1) {
        settings.found = true;
        values = *plain;
    }
    if (auto it = credentials.find(profile); it != credentials.end()) {
        settings.found = true;
        for (auto value = it->begin(); value != it->end(); ++value)
            values.insert(value.key(), value.value()); // the credentials file wins
    }
    settings.region = values.value(u"region"_s);
    settings.roleArn = values.value(u"role_arn"_s);
    settings.webIdentityTokenFile = values.value(u"web_identity_token_file"_s);
    ResolvedCredentials resolved;
    resolved.keys.accessKeyId = values.value(u"aws_access_key_id"_s);
    resolved.keys.secretAccessKey = values.value(u"aws_secret_access_key"_s);
    resolved.keys.sessionToken = values.value(u"aws_session_token"_s);
    resolved.source = u"profile "_s + profile;
    if (resolved.keys.accessKeyId.isEmpty() && resolved.keys.secretAccessKey.isEmpty())
        return settings;
    if (!resolved.keys.isComplete()) {
        *problem = u"profile %1 has %2 but not %3"_s.arg(
            profile,
            resolved.keys.accessKeyId.isEmpty() ? u"aws_secret_access_key"_s
                                                : u"aws_access_key_id"_s,
            resolved.keys.accessKeyId.isEmpty() ? u"aws_access_key_id"_s
                                                : u"aws_secret_access_key"_s);
        return settings;
    }
    settings.credentials = resolved;
    return settings;
}

StsAnswer parseAssumeRoleWithWebIdentity(QByteArrayView xml)
{
    StsAnswer answer;
    ResolvedCredentials keys;
    keys.source = u"web identity"_s;
    QXmlStreamReader reader(xml.toByteArray());
    if (reader.readNextStartElement())
        readSts(reader, answer, keys, {reader.name().toString()});
    if (reader.hasError()) {
        answer.errorCode = u"InvalidResponse"_s;
        answer.errorMessage = u"STS answer is not well-formed XML: "_s + reader.errorString();
        return answer;
    }
    if (answer.errorCode.isEmpty()) {
        if (keys.keys.isComplete() && !keys.keys.sessionToken.isEmpty())
            answer.credentials = keys;
        else {
            answer.errorCode = u"InvalidResponse"_s;
            answer.errorMessage = u"STS answer without credentials"_s;
        }
    }
    return answer;
}

QByteArray assumeRoleWithWebIdentityBody(const QString &roleArn, const QString &sessionName,
                                         QByteArrayView webIdentityToken)
{
    Ec2Query query("AssumeRoleWithWebIdentity", "2011-06-15");
    query.add("RoleArn", roleArn.toUtf8());
    query.add("RoleSessionName", sessionName.toUtf8());
    query.add("WebIdentityToken", webIdentityToken.toByteArray());
    return query.formBody();
}

std::optional<ResolvedCredentials> parseInstanceRoleCredentials(QByteArrayView json,
                                                                QString *problem)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (!document.isObject()) {
        *problem = u"instance role credentials are not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    const QString code = object.value("Code"_L1).toString();
    if (!code.isEmpty() && code != "Success"_L1) {
        *problem = u"instance role credentials: Code %1"_s.arg(code.left(100));
        return std::nullopt;
    }
    ResolvedCredentials resolved;
    resolved.keys.accessKeyId = object.value("AccessKeyId"_L1).toString();
    resolved.keys.secretAccessKey = object.value("SecretAccessKey"_L1).toString();
    resolved.keys.sessionToken = object.value("Token"_L1).toString();
    resolved.expiresAt = isoTime(object.value("Expiration"_L1).toString());
    if (!resolved.keys.isComplete() || resolved.keys.sessionToken.isEmpty()
        || !resolved.expiresAt.isValid()) {
        *problem = u"instance role credentials lack AccessKeyId, SecretAccessKey, Token or "
                   "Expiration"_s;
        return std::nullopt;
    }
    return resolved;
}

AwsCredentialChain::AwsCredentialChain(CredentialChainOptions options, const base::Clock &clock,
                                       QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_network(new QNetworkAccessManager(this))
{
    m_region = m_options.region.isEmpty() ? regionFromEnvironment(m_options.env) : m_options.region;
}

AwsCredentialChain::~AwsCredentialChain()
{
    if (m_cached)
        m_cached->keys.secretAccessKey.fill(u'\0');
}

QString AwsCredentialChain::status() const
{
    return m_cached ? m_cached->source : u"not resolved"_s;
}

QString AwsCredentialChain::region() const
{
    return m_region;
}

void AwsCredentialChain::invalidate()
{
    if (m_cached)
        m_cached->keys.secretAccessKey.fill(u'\0');
    m_cached.reset();
}

void AwsCredentialChain::get(std::function<void(CredentialResult)> done)
{
    if (m_cached) {
        const QDateTime now = m_clock.nowUtc();
        if (!m_cached->expiresAt.isValid()
            || now.msecsTo(m_cached->expiresAt) > m_options.refreshBeforeExpiryMs) {
            done(CredentialResult {m_cached, {}, false});
            return;
        }
        invalidate();
    }
    m_waiting.append(std::move(done));
    if (!m_resolving) {
        m_resolving = true;
        resolve();
    }
}

void AwsCredentialChain::finish(CredentialResult result)
{
    m_resolving = false;
    if (result.ok()) {
        m_cached = result.credentials;
        qCInfo(lcCredentials).noquote() << "AWS credentials from" << m_cached->source;
    } else {
        qCWarning(lcCredentials).noquote() << "no AWS credentials:" << result.error;
    }
    const auto waiting = std::exchange(m_waiting, {});
    for (const auto &done : waiting)
        done(result);
}

void AwsCredentialChain::resolve()
{
    const QProcessEnvironment &env = m_options.env;
    // 1. The environment.
    QString problem;
    if (auto keys = credentialsFromEnvironment(env, &problem)) {
        finish(CredentialResult {keys, {}, false});
        return;
    }
    if (!problem.isEmpty()) {
        finish(CredentialResult {std::nullopt, problem, true});
        return;
    }
    // 2. The shared credentials and config files, profile AWS_PROFILE or "default".
    const QString home = m_options.homeDir.isEmpty() ? QDir::homePath() : m_options.homeDir;
    const QString explicitProfile = env.value(u"AWS_PROFILE"_s).trimmed();
    const QString profile = explicitProfile.isEmpty() ? u"default"_s : explicitProfile;
    QString credentialsPath = env.value(u"AWS_SHARED_CREDENTIALS_FILE"_s);
    if (credentialsPath.isEmpty())
        credentialsPath = home + u"/.aws/credentials"_s;
    QString configPath = env.value(u"AWS_CONFIG_FILE"_s);
    if (configPath.isEmpty())
        configPath = home + u"/.aws/config"_s;
    bool credentialsExists = false;
    bool configExists = false;
    QByteArray credentialsText = readSmallFile(credentialsPath, &credentialsExists, &problem);
    if (problem.isEmpty()) {
        const QByteArray configText = readSmallFile(configPath, &configExists, &problem);
        if (problem.isEmpty()) {
            const ProfileSettings settings =
                readProfile(credentialsText, configText, profile, &problem);
            if (m_region.isEmpty())
                m_region = settings.region;
            if (problem.isEmpty() && settings.credentials) {
                credentialsText.fill('\0');
                finish(CredentialResult {settings.credentials, {}, false});
                return;
            }
            if (problem.isEmpty() && !settings.roleArn.isEmpty()
                && !settings.webIdentityTokenFile.isEmpty()) {
                credentialsText.fill('\0');
                fromWebIdentity(settings.roleArn, settings.webIdentityTokenFile);
                return;
            }
            if (problem.isEmpty() && !explicitProfile.isEmpty() && !settings.found)
                problem = u"AWS_PROFILE names profile %1, which neither %2 nor %3 has"_s.arg(
                    profile, credentialsPath, configPath);
            else if (problem.isEmpty() && !explicitProfile.isEmpty())
                problem = u"profile %1 has no keys and no web identity role"_s.arg(profile);
        }
    }
    credentialsText.fill('\0');
    if (!problem.isEmpty()) {
        finish(CredentialResult {std::nullopt, problem, true});
        return;
    }
    // 3. Web identity (EKS IRSA and the like).
    const QString tokenFile = env.value(u"AWS_WEB_IDENTITY_TOKEN_FILE"_s).trimmed();
    const QString roleArn = env.value(u"AWS_ROLE_ARN"_s).trimmed();
    if (!tokenFile.isEmpty() || !roleArn.isEmpty()) {
        if (tokenFile.isEmpty() || roleArn.isEmpty()) {
            finish(CredentialResult {
                std::nullopt,
                u"web identity needs both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN"_s, true});
            return;
        }
        fromWebIdentity(roleArn, tokenFile);
        return;
    }
    // 4. The instance's role through IMDSv2.
    if (m_options.excludeInstanceRole
        || env.value(u"AWS_EC2_METADATA_DISABLED"_s)
                .trimmed()
                .compare(u"true"_s, Qt::CaseInsensitive)
            == 0) {
        finish(CredentialResult {std::nullopt,
                                 u"no AWS credentials: none in the environment, no profile "
                                 "%1, no web identity, and the instance role is off"_s.arg(profile),
                                 true});
        return;
    }
    fromInstanceRole();
}

QUrl AwsCredentialChain::stsUrl(QString *problem) const
{
    return serviceEndpoint(m_options.env, {}, u"STS"_s, u"sts"_s, m_region, problem);
}

void AwsCredentialChain::fromWebIdentity(const QString &roleArn, const QString &tokenFile)
{
    QString problem;
    bool exists = false;
    QByteArray token = readSmallFile(tokenFile, &exists, &problem);
    if (problem.isEmpty() && (!exists || token.trimmed().isEmpty()))
        problem = u"web identity token file %1 is missing or empty"_s.arg(tokenFile);
    const QUrl url = stsUrl(&problem);
    if (!problem.isEmpty()) {
        token.fill('\0');
        finish(CredentialResult {std::nullopt, problem, true});
        return;
    }
    QString session = m_options.env.value(u"AWS_ROLE_SESSION_NAME"_s).trimmed();
    if (session.isEmpty())
        session = u"spotkeeperd"_s;
    QByteArray body = assumeRoleWithWebIdentityBody(roleArn, session, token.trimmed());
    token.fill('\0');
    const BytePairList headers {
        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
        {"Accept", "application/xml"}};
    sendAwsHttp(
        m_network, this, "POST", url, headers, body, m_options.timeoutMs,
        [this, roleArn](const AwsHttpAnswer &answer) {
            if (answer.status == 0) {
                finish(CredentialResult {std::nullopt,
                                         u"STS did not answer: "_s + answer.networkText, false});
                return;
            }
            StsAnswer sts = parseAssumeRoleWithWebIdentity(answer.body);
            if (answer.status / 100 == 2 && sts.credentials) {
                sts.credentials->source = u"web identity "_s + roleArn;
                finish(CredentialResult {sts.credentials, {}, false});
                return;
            }
            const bool fatal = answer.status / 100 == 4;
            finish(CredentialResult {
                std::nullopt,
                u"STS AssumeRoleWithWebIdentity for %1: HTTP %2 %3 %4"_s.arg(
                    roleArn, QString::number(answer.status), sts.errorCode, sts.errorMessage),
                fatal});
        });
    body.fill('\0');
}

void AwsCredentialChain::fromInstanceRole()
{
    QUrl base = m_options.imdsUrl;
    const QString endpoint = m_options.env.value(u"AWS_EC2_METADATA_SERVICE_ENDPOINT"_s).trimmed();
    if (!endpoint.isEmpty())
        base = QUrl(endpoint);
    const auto at = [base](const QString &path) {
        QUrl url = base;
        QString prefix = url.path();
        if (prefix.endsWith(u'/'))
            prefix.chop(1);
        url.setPath(prefix + path);
        return url;
    };
    const int timeout = m_options.timeoutMs;
    const auto failed = [this](const QString &step, const AwsHttpAnswer &answer) {
        const QString why =
            answer.status == 0 ? answer.networkText : u"HTTP %1"_s.arg(answer.status);
        // No IMDS (not on EC2) is a configuration matter; a 5xx of a present IMDS passes.
        finish(CredentialResult {
            std::nullopt, u"instance role through IMDSv2: %1: %2"_s.arg(step, why),
            answer.status == 0 || answer.status == 404 || answer.status == 403});
    };
    sendAwsHttp(
        m_network, this, "PUT", at(u"/latest/api/token"_s),
        {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, {}, timeout,
        [=, this](const AwsHttpAnswer &tokenAnswer) {
            if (tokenAnswer.status != 200 || tokenAnswer.body.isEmpty()) {
                failed(u"session token"_s, tokenAnswer);
                return;
            }
            const QByteArray token = tokenAnswer.body.trimmed();
            const BytePairList headers {{"X-aws-ec2-metadata-token", token}};
            sendAwsHttp(
                m_network, this, "GET", at(u"/latest/meta-data/iam/security-credentials/"_s),
                headers, {}, timeout, [=, this](const AwsHttpAnswer &roleAnswer) {
                    const QString role =
                        QString::fromUtf8(roleAnswer.body).trimmed().section(u'\n', 0, 0);
                    if (roleAnswer.status != 200 || role.isEmpty() || role.contains(u'/')) {
                        failed(u"role name (is an instance profile attached?)"_s, roleAnswer);
                        return;
                    }
                    sendAwsHttp(m_network, this, "GET",
                                at(u"/latest/meta-data/iam/security-credentials/"_s + role),
                                headers, {}, timeout, [=, this](const AwsHttpAnswer &keysAnswer) {
                                    if (keysAnswer.status != 200) {
                                        failed(u"credentials of role "_s + role, keysAnswer);
                                        return;
                                    }
                                    QString problem;
                                    auto keys =
                                        parseInstanceRoleCredentials(keysAnswer.body, &problem);
                                    if (!keys) {
                                        finish(CredentialResult {std::nullopt, problem, false});
                                        return;
                                    }
                                    keys->source = u"instance role "_s + role;
                                    finish(CredentialResult {keys, {}, false});
                                });
                });
        });
}

} // namespace spotkeeper::core::aws
