// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The one duration grammar (base/duration.h): every unit, rounding, the limits, and a
// message naming the problem for each way a duration can be wrong.
#include "base/duration.h"

#include <QTest>

#include <limits>

using namespace spotkeeper::base;
using namespace Qt::StringLiterals;

class TestDuration final : public QObject
{
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void errorIsOptional();
    void seconds_data();
    void seconds();
};

void TestDuration::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("ms") << u"250ms"_s << qint64(250);
    QTest::newRow("s") << u"1s"_s << qint64(1000);
    QTest::newRow("fraction") << u"1.5s"_s << qint64(1500);
    QTest::newRow("leading point") << u".5s"_s << qint64(500);
    QTest::newRow("bare number is seconds") << u"3"_s << qint64(3000);
    QTest::newRow("m") << u"2m"_s << qint64(120'000);
    QTest::newRow("min") << u"2min"_s << qint64(120'000);
    QTest::newRow("h") << u"1h"_s << qint64(3'600'000);
    QTest::newRow("zero") << u"0"_s << qint64(0);
    QTest::newRow("blanks") << u"  5 s \t"_s << qint64(5000);
    QTest::newRow("sub-millisecond rounds") << u"1.0006s"_s << qint64(1001);
    QTest::newRow("half a millisecond rounds up") << u"0.5ms"_s << qint64(1);
    QTest::newRow("seven days") << u"168h"_s << qint64(604'800'000);
    QTest::newRow("the longest") << u"8784h"_s << kMaxDurationMs;
}

void TestDuration::parses()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QString error;
    const auto parsed = parseDuration(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, ms);
}

void TestDuration::refuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    const QString grammar = u"(a number and a unit ms, s, m, min or h, e.g. 500ms, 1.5s, 2m, 1h)"_s;
    QTest::newRow("empty") << QString()
                           << u"'' is not a duration: it is empty (e.g. 500ms, 1.5s, 2m, 1h)"_s;
    QTest::newRow("blank") << u"   "_s
                           << u"'   ' is not a duration: it is empty (e.g. 500ms, 1.5s, 2m, 1h)"_s;
    QTest::newRow("word") << u"soon"_s << u"'soon' is not a duration "_s + grammar;
    QTest::newRow("negative") << u"-1s"_s << u"'-1s' is not a duration "_s + grammar;
    QTest::newRow("plus sign") << u"+1s"_s << u"'+1s' is not a duration "_s + grammar;
    QTest::newRow("unit alone") << u"ms"_s << u"'ms' is not a duration "_s + grammar;
    QTest::newRow("point alone") << u".s"_s << u"'.s' is not a duration "_s + grammar;
    QTest::newRow("unknown unit")
        << u"2d"_s
        << u"'2d' is not a duration: unknown unit 'd' (ms, s, m, min or h; e.g. 500ms, 1.5s, "
           "2m, 1h)"_s;
    QTest::newRow("exponent") << u"1e3s"_s
                              << u"'1e3s' is not a duration: unknown unit 'e3s' (ms, s, m, min or "
                                 "h; e.g. 500ms, 1.5s, 2m, 1h)"_s;
    QTest::newRow("two points")
        << u"1.2.3s"_s
        << u"'1.2.3s' is not a duration: unknown unit '.3s' (ms, s, m, min or h; e.g. 500ms, "
           "1.5s, 2m, 1h)"_s;
    QTest::newRow("upper case unit")
        << u"5S"_s
        << u"'5S' is not a duration: unknown unit 'S' (ms, s, m, min or h; e.g. 500ms, 1.5s, 2m, "
           "1h)"_s;
    QTest::newRow("unit twice") << u"5 s s"_s
                                << u"'5 s s' is not a duration: unknown unit 's s' (ms, s, m, min "
                                   "or h; e.g. 500ms, 1.5s, 2m, 1h)"_s;
    QTest::newRow("longer than a year")
        << u"8785h"_s << u"'8785h' is longer than the longest duration (366 days)"_s;
    QTest::newRow("overflow")
        << u"99999999999999999999999999h"_s
        << u"'99999999999999999999999999h' is longer than the longest duration (366 days)"_s;
    QTest::newRow("non-ascii digits")
        << u"\u0663s"_s << u"'\u0663s' is not a duration "_s + grammar;
}

void TestDuration::refuses()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!parseDuration(text, &error));
    QCOMPARE(error, message);
}

void TestDuration::errorIsOptional()
{
    QVERIFY(!parseDuration(u"soon"));
    QCOMPARE(parseDuration(u"2m").value_or(-1), 120'000);
}

void TestDuration::seconds_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<qint64>("ms"); // -1: refused
    QTest::newRow("whole") << 90.0 << qint64(90'000);
    QTest::newRow("fraction") << 0.25 << qint64(250);
    QTest::newRow("zero") << 0.0 << qint64(0);
    QTest::newRow("negative") << -3.0 << qint64(-1);
    QTest::newRow("infinite") << std::numeric_limits<double>::infinity() << qint64(-1);
    QTest::newRow("not a number") << std::numeric_limits<double>::quiet_NaN() << qint64(-1);
    QTest::newRow("longer than a year") << 366.0 * 86'400 + 1 << qint64(-1);
}

void TestDuration::seconds()
{
    QFETCH(double, seconds);
    QFETCH(qint64, ms);
    QString error;
    const auto parsed = durationFromSeconds(seconds, &error);
    if (ms < 0) {
        QVERIFY(!parsed);
        QVERIFY2(error.contains("not a duration"_L1) || error.contains("longer than"_L1),
                 qPrintable(error));
    } else {
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(*parsed, ms);
    }
}

QTEST_GUILESS_MAIN(TestDuration)
#include "tst_duration.moc"
