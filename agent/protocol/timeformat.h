// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>

// The two time formats on the wire, formatted and parsed strictly and without the
// locale: RFC 1123 exactly as Azure Scheduled Events writes NotBefore
// ("Tue, 09 Aug 2022 17:07:32 GMT"), and ISO 8601 UTC for our own timestamps
// ("2026-01-31T12:00:00.000Z"). Parsers return an invalid QDateTime on any deviation.
namespace spotkeeper::protocol {

QString formatRfc1123(const QDateTime &time); // "" for an invalid time; whole seconds
QDateTime parseRfc1123(QStringView text); // UTC; any day name (the date decides)

QString formatIso8601Utc(const QDateTime &time); // "" for invalid; milliseconds, 'Z'
// Accepts "yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z" (fraction truncated to milliseconds).
QDateTime parseIso8601Utc(QStringView text);

} // namespace spotkeeper::protocol
