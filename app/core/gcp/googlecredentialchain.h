// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

class QNetworkAccessManager;

namespace spotkeeper::core {
class AccessTokenSource;
} // namespace spotkeeper::core

// Which Google credential spotkeeperd uses, in the order of Google's Application Default
// Credentials (docs/GCP-PROTOCOL.md §6, docs/GCP.md): [gcp] credentials_file when set, else
// the file GOOGLE_APPLICATION_CREDENTIALS names, else gcloud's application-default
// credentials file when it exists (a service-account key or a user's refresh token, by its
// "type"), else — when Google Cloud is wanted ([gcp] projects) or GCE_METADATA_HOST is set —
// the metadata server's token of the VM spotkeeperd runs on.
namespace spotkeeper::gcp {

struct GoogleCredentialSetup
{
    QString configuredFile; // [gcp] credentials_file
    QString tokenUri; // [gcp] token_uri: overrides the file's
    bool wanted = false; // [gcp] projects are configured
    QStringList scopes; // for a service account's JWT grant
    bool windows = false; // where gcloud keeps its files
};

struct GoogleCredentialChoice
{
    core::AccessTokenSource *credential = nullptr; // caller owns; null = Google Cloud off
    QString from; // where it came from, for the log (a path or URL, never a secret)
    QString warning; // a file found but not usable (Google Cloud then off), said once
};

// nullopt and *error when [gcp] credentials_file cannot be used (the reason names the file
// and the field, never a secret); a file GOOGLE_APPLICATION_CREDENTIALS names or gcloud's
// that is unusable is a warning (choice.warning, credential null: Google Cloud off).
std::optional<GoogleCredentialChoice>
chooseGoogleCredential(const GoogleCredentialSetup &setup, const QProcessEnvironment &env,
                       QNetworkAccessManager *network, const base::Clock &clock, QString *error);

} // namespace spotkeeper::gcp
