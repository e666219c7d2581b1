// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/duration.h"

#include <cmath>

namespace spotkeeper::base {

using namespace Qt::StringLiterals;

namespace {

const QString kExamples = u"e.g. 500ms, 1.5s, 2m, 1h"_s;

std::optional<qint64> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

std::optional<qint64> toMilliseconds(double value, double factor, const QString &quoted,
                                     QString *error)
{
    if (!std::isfinite(value) || value < 0)
        return fail(error,
                    quoted + u" is not a duration (a number of seconds at least 0, "_s + kExamples
                        + u')');
    const double ms = std::round(value * factor);
    if (ms > double(kMaxDurationMs))
        return fail(error, quoted + u" is longer than the longest duration (366 days)"_s);
    return qint64(ms);
}

} // namespace

std::optional<qint64> parseDuration(QStringView text, QString *error)
{
    const QString quoted = u'\'' + text.toString() + u'\'';
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(error, quoted + u" is not a duration: it is empty ("_s + kExamples + u')');
    // The number: digits with at most one '.', and at least one digit.
    qsizetype end = 0;
    int digits = 0;
    bool point = false;
    for (; end < trimmed.size(); ++end) {
        const QChar c = trimmed.at(end);
        if (c.isDigit() && c.unicode() < 128)
            ++digits;
        else if (c == u'.' && !point)
            point = true;
        else
            break;
    }
    if (digits == 0)
        return fail(error,
                    quoted + u" is not a duration (a number and a unit ms, s, m, min or h, "_s
                        + kExamples + u')');
    const QStringView unit = trimmed.mid(end).trimmed();
    double factor = 0;
    if (unit.isEmpty() || unit == u"s")
        factor = 1000;
    else if (unit == u"ms")
        factor = 1;
    else if (unit == u"m" || unit == u"min")
        factor = 60'000;
    else if (unit == u"h")
        factor = 3'600'000;
    else
        return fail(error,
                    quoted + u" is not a duration: unknown unit '"_s + unit.toString()
                        + u"' (ms, s, m, min or h; "_s + kExamples + u')');
    bool ok = false;
    const double number = trimmed.left(end).toDouble(&ok);
    if (!ok)
        return fail(error, quoted + u" is not a duration ("_s + kExamples + u')');
    return toMilliseconds(number, factor, quoted, error);
}

std::optional<qint64> durationFromSeconds(double seconds, QString *error)
{
    return toMilliseconds(seconds, 1000, QString::number(seconds), error);
}

} // namespace spotkeeper::base
