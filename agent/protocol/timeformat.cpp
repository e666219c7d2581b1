// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/timeformat.h"

#include <algorithm>
#include <array>

namespace spotkeeper::protocol {

using namespace Qt::StringLiterals;

namespace {

constexpr std::array<QStringView, 7> kDays = {u"Mon", u"Tue", u"Wed", u"Thu",
                                              u"Fri", u"Sat", u"Sun"};
constexpr std::array<QStringView, 12> kMonths = {u"Jan", u"Feb", u"Mar", u"Apr", u"May", u"Jun",
                                                 u"Jul", u"Aug", u"Sep", u"Oct", u"Nov", u"Dec"};

QString twoDigits(int value)
{
    return QString::number(value).rightJustified(2, u'0');
}

// Reads exactly `count` ASCII digits at `pos`; -1 if any is not a digit.
int digits(QStringView text, qsizetype pos, qsizetype count)
{
    if (pos + count > text.size())
        return -1;
    int value = 0;
    for (qsizetype i = pos; i < pos + count; ++i) {
        const char16_t c = text.at(i).unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c - u'0');
    }
    return value;
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second, int ms)
{
    // digits() reports a non-digit as -1, and QDate takes negative years as BC.
    if (year < 1 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0 || ms < 0)
        return {};
    const QDate date(year, month, day);
    const QTime time(hour, minute, second, ms);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

} // namespace

QString formatRfc1123(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    const QDateTime t = time.toUTC();
    const QDate d = t.date();
    const QTime clock = t.time();
    return kDays[d.dayOfWeek() - 1] + u", "_s + twoDigits(d.day()) + u' ' + kMonths[d.month() - 1]
        + u' ' + QString::number(d.year()).rightJustified(4, u'0') + u' ' + twoDigits(clock.hour())
        + u':' + twoDigits(clock.minute()) + u':' + twoDigits(clock.second()) + u" GMT"_s;
}

QDateTime parseRfc1123(QStringView text)
{
    // "Tue, 09 Aug 2022 17:07:32 GMT": fixed width, 29 characters.
    if (text.size() != 29 || text.mid(3, 2) != u", " || text.at(7) != u' ' || text.at(11) != u' '
        || text.at(16) != u' ' || text.at(19) != u':' || text.at(22) != u':'
        || text.mid(25) != u" GMT")
        return {};
    int month = 0;
    for (int i = 0; i < 12; ++i) {
        if (text.mid(8, 3) == kMonths[i])
            month = i + 1;
    }
    // The day name must be a day name, but need not match the date: it is redundant,
    // and a copied sample in Azure's own docs carries a mismatched one. The date wins.
    if (std::find(kDays.begin(), kDays.end(), text.first(3)) == kDays.end())
        return {};
    return utc(digits(text, 12, 4), month, digits(text, 5, 2), digits(text, 17, 2),
               digits(text, 20, 2), digits(text, 23, 2), 0);
}

QString formatIso8601Utc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseIso8601Utc(QStringView text)
{
    // "2026-01-31T12:00:00Z" is the shortest form; the fraction is optional.
    if (text.size() < 20 || text.at(4) != u'-' || text.at(7) != u'-' || text.at(10) != u'T'
        || text.at(13) != u':' || text.at(16) != u':' || !text.endsWith(u'Z'))
        return {};
    int ms = 0;
    if (text.size() > 20) {
        const QStringView fraction = text.sliced(19, text.size() - 20);
        if (fraction.size() < 2 || fraction.size() > 10 || fraction.at(0) != u'.')
            return {};
        const QString padded = fraction.sliced(1).toString().leftJustified(3, u'0');
        for (const QChar c : fraction.sliced(1)) {
            if (c < u'0' || c > u'9')
                return {};
        }
        ms = digits(padded, 0, 3);
    }
    return utc(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
               digits(text, 14, 2), digits(text, 17, 2), ms);
}

} // namespace spotkeeper::protocol
