// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/timeformat.h"

#include <QTest>
#include <QTimeZone>

using namespace spotkeeper::protocol;
using namespace Qt::StringLiterals;

namespace {
QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone::utc());
}
} // namespace

class TestTimeFormat final : public QObject
{
    Q_OBJECT

private slots:
    void rfc1123_data();
    void rfc1123();
    void rfc1123Format();
    void iso8601_data();
    void iso8601();
    void iso8601Format();
};

void TestTimeFormat::rfc1123_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected"); // invalid = rejected
    const QDateTime rejected;
    // As Azure writes NotBefore (fixtures in azure-fixtures/imds).
    QTest::newRow("preempt fixture")
        << u"Tue, 09 Aug 2022 17:07:32 GMT"_s << utc(2022, 8, 9, 17, 7, 32);
    QTest::newRow("reboot fixture")
        << u"Thu, 22 Jul 2021 04:50:17 GMT"_s << utc(2021, 7, 22, 4, 50, 17);
    // 11 Apr 2026 is a Saturday; the docs sample says Mon. The date decides.
    QTest::newRow("day name not matching the date")
        << u"Mon, 11 Apr 2026 22:26:58 GMT"_s << utc(2026, 4, 11, 22, 26, 58);
    QTest::newRow("leap day") << u"Thu, 29 Feb 2024 00:00:00 GMT"_s << utc(2024, 2, 29, 0, 0, 0);
    QTest::newRow("end of day") << u"Fri, 31 Dec 2027 23:59:59 GMT"_s
                                << utc(2027, 12, 31, 23, 59, 59);
    QTest::newRow("empty") << QString() << rejected;
    QTest::newRow("ISO instead") << u"2022-08-09T17:07:32Z"_s << rejected;
    QTest::newRow("numeric zone") << u"Tue, 09 Aug 2022 17:07:32 +0000"_s << rejected;
    QTest::newRow("lower-case gmt") << u"Tue, 09 Aug 2022 17:07:32 gmt"_s << rejected;
    QTest::newRow("UTC instead of GMT") << u"Tue, 09 Aug 2022 17:07:32 UTC"_s << rejected;
    QTest::newRow("one-digit day") << u"Tue, 9 Aug 2022 17:07:32 GMT"_s << rejected;
    QTest::newRow("two-digit year") << u"Tue, 09 Aug 22 17:07:32 GMT"_s << rejected;
    QTest::newRow("unknown day name")
        << u"Tue, 09 Aug 2022 17:07:32 GMT"_s.replace(0, 3, u"Xyz"_s) << rejected;
    QTest::newRow("unknown month") << u"Tue, 09 Agu 2022 17:07:32 GMT"_s << rejected;
    QTest::newRow("lower-case month") << u"Tue, 09 aug 2022 17:07:32 GMT"_s << rejected;
    QTest::newRow("30 February") << u"Tue, 30 Feb 2022 17:07:32 GMT"_s << rejected;
    QTest::newRow("hour 24") << u"Tue, 09 Aug 2022 24:00:00 GMT"_s << rejected;
    QTest::newRow("second 60") << u"Tue, 09 Aug 2022 23:59:60 GMT"_s << rejected;
    QTest::newRow("sign in a number") << u"Tue, 09 Aug 2022 1-:07:32 GMT"_s << rejected;
    QTest::newRow("trailing space") << u"Tue, 09 Aug 2022 17:07:32 GMT "_s << rejected;
    QTest::newRow("non-digit in the year") << u"Tue, 09 Aug .022 17:07:32 GMT"_s << rejected;
    QTest::newRow("full-width digit") << u"Tue, 0\uFF19 Aug 2022 17:07:32 GMT"_s << rejected;
}

void TestTimeFormat::rfc1123()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime parsed = parseRfc1123(text);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(parsed, expected);
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
    }
}

void TestTimeFormat::rfc1123Format()
{
    QCOMPARE(formatRfc1123(utc(2022, 8, 9, 17, 7, 32)), u"Tue, 09 Aug 2022 17:07:32 GMT"_s);
    QCOMPARE(formatRfc1123(utc(2026, 4, 11, 22, 26, 58)), u"Sat, 11 Apr 2026 22:26:58 GMT"_s);
    QCOMPARE(formatRfc1123(utc(2026, 1, 4, 3, 4, 5, 999)), u"Sun, 04 Jan 2026 03:04:05 GMT"_s);
    // Another zone is converted, never written with its offset.
    const QDateTime berlin(QDate(2026, 6, 1), QTime(2, 30, 0), QTimeZone(7200));
    QCOMPARE(formatRfc1123(berlin), u"Mon, 01 Jun 2026 00:30:00 GMT"_s);
    QCOMPARE(formatRfc1123(QDateTime()), QString());
    // Every day of one week, so no day name is off by one.
    const QStringList days {u"Mon"_s, u"Tue"_s, u"Wed"_s, u"Thu"_s, u"Fri"_s, u"Sat"_s, u"Sun"_s};
    for (int i = 0; i < 7; ++i) {
        const QDateTime t = utc(2026, 11, 23 + i, 12, 0, 0); // 23 Nov 2026 is a Monday
        QCOMPARE(formatRfc1123(t).left(3), days.at(i));
        QCOMPARE(parseRfc1123(formatRfc1123(t)), t);
    }
}

void TestTimeFormat::iso8601_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime rejected;
    QTest::newRow("seconds") << u"2026-11-26T12:00:01Z"_s << utc(2026, 11, 26, 12, 0, 1);
    QTest::newRow("milliseconds") << u"2026-11-26T12:00:01.250Z"_s
                                  << utc(2026, 11, 26, 12, 0, 1, 250);
    QTest::newRow("one fraction digit")
        << u"2026-11-26T12:00:01.5Z"_s << utc(2026, 11, 26, 12, 0, 1, 500);
    QTest::newRow("nanoseconds truncated")
        << u"2026-11-26T12:00:01.123456789Z"_s << utc(2026, 11, 26, 12, 0, 1, 123);
    QTest::newRow("empty") << QString() << rejected;
    QTest::newRow("no zone") << u"2026-11-26T12:00:01"_s << rejected;
    QTest::newRow("offset") << u"2026-11-26T12:00:01+01:00"_s << rejected;
    QTest::newRow("space separator") << u"2026-11-26 12:00:01Z"_s << rejected;
    QTest::newRow("lower-case z") << u"2026-11-26T12:00:01z"_s << rejected;
    QTest::newRow("no seconds") << u"2026-11-26T12:00Z"_s << rejected;
    QTest::newRow("empty fraction") << u"2026-11-26T12:00:01.Z"_s << rejected;
    QTest::newRow("ten fraction digits") << u"2026-11-26T12:00:01.1234567890Z"_s << rejected;
    QTest::newRow("comma fraction") << u"2026-11-26T12:00:01,5Z"_s << rejected;
    QTest::newRow("letter in fraction") << u"2026-11-26T12:00:01.5aZ"_s << rejected;
    QTest::newRow("month 13") << u"2026-13-26T12:00:01Z"_s << rejected;
    QTest::newRow("31 April") << u"2026-04-31T12:00:01Z"_s << rejected;
    QTest::newRow("year 0") << u"0000-01-01T00:00:00Z"_s << rejected;
    QTest::newRow("non-digit in the year (found by fuzzing)")
        << u".022-08-09T17:07:03.250Z"_s << rejected;
    QTest::newRow("non-digit in the minutes") << u"2022-08-09T17:-7:03Z"_s << rejected;
    QTest::newRow("RFC 1123 instead") << u"Tue, 09 Aug 2022 17:07:32 GMT"_s << rejected;
}

void TestTimeFormat::iso8601()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime parsed = parseIso8601Utc(text);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(parsed, expected);
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
    }
}

void TestTimeFormat::iso8601Format()
{
    QCOMPARE(formatIso8601Utc(utc(2026, 11, 26, 12, 0, 1, 250)), u"2026-11-26T12:00:01.250Z"_s);
    QCOMPARE(formatIso8601Utc(utc(2026, 1, 2, 3, 4, 5)), u"2026-01-02T03:04:05.000Z"_s);
    const QDateTime offset(QDate(2026, 6, 1), QTime(0, 30, 0), QTimeZone(-3600));
    QCOMPARE(formatIso8601Utc(offset), u"2026-06-01T01:30:00.000Z"_s);
    QCOMPARE(formatIso8601Utc(QDateTime()), QString());
    const QDateTime t = utc(2030, 7, 15, 23, 59, 59, 999);
    QCOMPARE(parseIso8601Utc(formatIso8601Utc(t)), t);
}

QTEST_GUILESS_MAIN(TestTimeFormat)
#include "tst_timeformat.moc"
