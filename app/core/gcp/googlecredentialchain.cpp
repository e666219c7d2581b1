// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/googlecredentialchain.h"

#include "gcp/authorizedusercredential.h"
#include "gcp/gcpcredentials.h"
#include "gcp/metadataservercredential.h"
#include "gcp/serviceaccountcredential.h"

#include <QFile>
#include <QFileInfo>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;

namespace {

// The credential of one file (service account or authorized user), or why not.
core::AccessTokenSource *fromFile(const QString &path, const GoogleCredentialSetup &setup,
                                  QNetworkAccessManager *network, const base::Clock &clock,
                                  QString *problem)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = u"cannot read the Google Cloud credentials file "_s + path + u": "_s
            + file.errorString();
        return nullptr;
    }
    QByteArray json = file.readAll().trimmed();
    const QString type = credentialFileType(json);
    core::AccessTokenSource *credential = nullptr;
    QString why;
    if (type == "authorized_user"_L1) {
        if (auto user = parseAuthorizedUser(json, &why)) {
            if (!setup.tokenUri.isEmpty())
                user->tokenUri = setup.tokenUri;
            credential = new AuthorizedUserCredential(std::move(*user), network, clock);
        }
    } else if (auto key = parseServiceAccountKey(json, &why)) {
        if (!setup.tokenUri.isEmpty())
            key->tokenUri = setup.tokenUri;
        credential = new ServiceAccountCredential(std::move(*key), setup.scopes, network, clock);
    }
    json.fill('\0');
    if (!credential)
        *problem = u"Google Cloud credentials "_s + path + u": "_s + why;
    return credential;
}

} // namespace

std::optional<GoogleCredentialChoice>
chooseGoogleCredential(const GoogleCredentialSetup &setup, const QProcessEnvironment &env,
                       QNetworkAccessManager *network, const base::Clock &clock, QString *error)
{
    GoogleCredentialChoice choice;
    // The file the configuration names must work: spotkeeperd does not start otherwise. One
    // the environment names may be meant for another tool: unusable, Google Cloud stays off
    // with a warning (Azure-only deployments keep running).
    const QString named = env.value(u"GOOGLE_APPLICATION_CREDENTIALS"_s);
    for (const auto &[path, label] : {std::pair {setup.configuredFile, u"[gcp] credentials_file"_s},
                                      std::pair {named, u"GOOGLE_APPLICATION_CREDENTIALS"_s}}) {
        if (path.isEmpty())
            continue;
        QString problem;
        choice.credential = fromFile(path, setup, network, clock, &problem);
        if (choice.credential) {
            choice.from = label + u' ' + path;
        } else if (path == setup.configuredFile) {
            *error = problem;
            return std::nullopt;
        } else {
            choice.warning = problem;
        }
        return choice;
    }
    // gcloud's file, when there is one: an unusable one turns Google Cloud off with a warning.
    const QStringList files = applicationDefaultCredentialFiles(env, setup.windows);
    if (const QString gcloud = files.value(named.isEmpty() ? 0 : 1);
        !gcloud.isEmpty() && QFileInfo::exists(gcloud)) {
        QString problem;
        choice.credential = fromFile(gcloud, setup, network, clock, &problem);
        if (choice.credential)
            choice.from = u"gcloud application-default credentials "_s + gcloud;
        else
            choice.warning = problem;
        return choice;
    }
    if (setup.wanted || env.contains(u"GCE_METADATA_HOST"_s)) {
        const QUrl base = MetadataServerCredential::baseFrom(env);
        choice.credential = new MetadataServerCredential(base, clock);
        choice.from = u"the metadata server at "_s + base.toString();
    }
    return choice;
}

} // namespace spotkeeper::gcp
