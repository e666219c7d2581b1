// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// The one duration grammar of every setting, command-line option and scenario file:
//
//   duration := number [unit]          blanks allowed before, between and after
//   number   := digits ["." digits]    or "." digits; no sign, no exponent
//   unit     := ms | s | m | min | h   (a bare number counts seconds)
//
// e.g. "250ms", "1.5s", "90", "2m", "2 min", "1h". The result is whole milliseconds (a
// fraction of a millisecond is rounded to the nearest) and at most kMaxDurationMs; a
// caller narrows the range further where its setting needs it (the agent's poll interval
// is at least 200 ms, for instance) and says so in its own message.
namespace spotkeeper::base {

inline constexpr qint64 kMaxDurationMs = 366LL * 24 * 3600 * 1000; // a year, leap or not

// The duration in milliseconds; std::nullopt with *error (when given) saying why not,
// quoting the text: "'soon' is not a duration (...)".
std::optional<qint64> parseDuration(QStringView text, QString *error = nullptr);

// A count of seconds given as a number (a JSON number in a scenario file), with the same
// limits and rounding as parseDuration().
std::optional<qint64> durationFromSeconds(double seconds, QString *error = nullptr);

} // namespace spotkeeper::base
