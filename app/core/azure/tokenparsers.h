// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/accesstokensource.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonValue>

#include <optional>

// Pure parsers for the three token replies (AZURE-PROTOCOL.md §3). No I/O, no logging; tested on
// the fixtures. Error strings name the problem but never include the token.
namespace spotkeeper::core::tokenparsers {

// A JSON number or a numeric string ("3599"); nullopt for anything else.
std::optional<qint64> integerOf(const QJsonValue &value);

// Entra v2 (and v1) token endpoint reply: 200 {access_token, expires_in, expires_on?}, or
// 4xx/5xx {error, error_codes[], ...}. Configuration errors (invalid_client, unauthorized_client,
// invalid_scope, AADSTS7000215/7000222/700016/90002) are fatal; 5xx, 429 and garbage are not.
TokenResult parseEntraReply(int httpStatus, const QByteArray &body, const QDateTime &now);

// IMDS managed-identity reply: every field is a string; prefers expires_on over expires_in.
TokenResult parseImdsReply(int httpStatus, const QByteArray &body, const QDateTime &now);
// Whether IMDS identity answered with a status worth retrying (404, 410, 429, 5xx).
bool isRetryableImdsStatus(int httpStatus);

// `az account get-access-token --output json`: accessToken plus expires_on (epoch seconds,
// CLI >= 2.54) or, for older CLIs, expiresOn as a local "yyyy-MM-dd HH:mm:ss[.ffffff]".
TokenResult parseAzCliOutput(const QByteArray &stdoutBytes, const QDateTime &now);

} // namespace spotkeeper::core::tokenparsers
