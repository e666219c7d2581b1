// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The one `key = value` reader (base/configfile.h): comments, quotes, sections, and an
// error naming the file and the line for each way a line can be wrong.
#include "base/configfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper::base;
using namespace Qt::StringLiterals;

using Sections = ConfigFile::Sections;

class TestConfigFile final : public QObject
{
    Q_OBJECT
private slots:
    void readsKeysAndValues();
    void commentsAndQuotes_data();
    void commentsAndQuotes();
    void sections();
    void refuses_data();
    void refuses();
    void fileErrorsNameTheFile();
    void unreadableFile();
    void callerErrorsUseTheSameFormat();
    void booleans_data();
    void booleans();
};

void TestConfigFile::readsKeysAndValues()
{
    const QByteArray text = "\xEF\xBB\xBF# a comment\n"
                            "; another\n"
                            "\n"
                            "Poll-Interval = 2s\r\n"
                            "  spool-dir=/var/lib/x  \n"
                            "empty =\n"
                            "url = https://d.example/?a=b\n";
    QString error;
    const auto file = ConfigFile::parse(text, Sections::None, &error);
    QVERIFY2(file, qPrintable(error));
    const QList<ConfigEntry> &entries = file->entries();
    QCOMPARE(entries.size(), 4);
    QCOMPARE(entries.at(0).key, u"poll-interval"_s);
    QCOMPARE(entries.at(0).value, u"2s"_s);
    QCOMPARE(entries.at(0).line, 4);
    QCOMPARE(entries.at(0).section, QString());
    QCOMPARE(entries.at(1).key, u"spool-dir"_s);
    QCOMPARE(entries.at(1).value, u"/var/lib/x"_s);
    QCOMPARE(entries.at(1).line, 5);
    QCOMPARE(entries.at(2).value, QString());
    QCOMPARE(entries.at(3).value, u"https://d.example/?a=b"_s); // only the first '=' splits
    QVERIFY(file->path().isEmpty());
}

void TestConfigFile::commentsAndQuotes_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("value");
    QTest::newRow("plain") << QByteArray("k = v") << u"v"_s;
    QTest::newRow("trailing # comment") << QByteArray("k = 10   # seconds") << u"10"_s;
    QTest::newRow("trailing ; comment") << QByteArray("k = 10\t; seconds") << u"10"_s;
    QTest::newRow("# inside a word") << QByteArray("k = a#b;c") << u"a#b;c"_s;
    QTest::newRow("quoted") << QByteArray("k = \"  padded \"") << u"  padded "_s;
    QTest::newRow("quoted # kept") << QByteArray("k = \"a # b\"  # note") << u"a # b"_s;
    QTest::newRow("quotes inside kept")
        << QByteArray("k = sh -c \"a ; b\"  # note") << u"sh -c \"a ; b\""_s;
    QTest::newRow("one quote kept") << QByteArray("k = \"") << u"\""_s;
    QTest::newRow("utf-8") << QByteArray("k = Gr\xC3\xBC\xC3\x9F"
                                         "e")
                           << u"Grüße"_s;
}

void TestConfigFile::commentsAndQuotes()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, value);
    QString error;
    const auto file = ConfigFile::parse(line, Sections::None, &error);
    QVERIFY2(file, qPrintable(error));
    QCOMPARE(file->entries().size(), 1);
    QCOMPARE(file->entries().constFirst().value, value);
}

void TestConfigFile::sections()
{
    const QByteArray text = "[Listen]\n"
                            "port = 8443\n"
                            "[ engine ]   # the restart engine\n"
                            "backoff_base_seconds = 5\n";
    QString error;
    const auto file = ConfigFile::parse(text, Sections::Required, &error);
    QVERIFY2(file, qPrintable(error));
    QCOMPARE(file->entries().size(), 2);
    QCOMPARE(file->entries().at(0).section, u"listen"_s);
    QCOMPARE(file->entries().at(0).key, u"port"_s);
    QCOMPARE(file->entries().at(1).section, u"engine"_s);
    QCOMPARE(file->entries().at(1).line, 4);
}

void TestConfigFile::refuses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("withSections");
    QTest::addColumn<QString>("message");
    QTest::newRow("no equals") << QByteArray("ok = 1\nport 1\n") << false
                               << u"line 2: expected 'key = value'"_s;
    QTest::newRow("no key") << QByteArray("= 1\n") << false << u"line 1: expected 'key = value'"_s;
    QTest::newRow("section without sections")
        << QByteArray("[listen]\n") << false << u"line 1: expected 'key = value'"_s;
    QTest::newRow("outside a section")
        << QByteArray("\nport = 1\n") << true << u"line 2: 'port' is outside a [section]"_s;
    QTest::newRow("broken header") << QByteArray("[listen\nport = 1\n") << true
                                   << u"line 1: a section header must end with ']'"_s;
    QTest::newRow("no equals in a section")
        << QByteArray("[listen]\n\n\nport\n") << true << u"line 4: expected 'key = value'"_s;
}

void TestConfigFile::refuses()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, withSections);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!ConfigFile::parse(text, withSections ? Sections::Required : Sections::None, &error));
    QCOMPARE(error, message);
}

void TestConfigFile::fileErrorsNameTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"agent.conf"_s);
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("# settings\ndashboard-url\n");
    out.close();
    QString error;
    QVERIFY(!ConfigFile::read(path, Sections::None, &error));
    QCOMPARE(error, path + u":2: expected 'key = value'"_s);

    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write("dashboard-url = https://d.example\n");
    out.close();
    const auto file = ConfigFile::read(path, Sections::None, &error);
    QVERIFY2(file, qPrintable(error));
    QCOMPARE(file->path(), path);
    QCOMPARE(file->entries().constFirst().value, u"https://d.example"_s);
}

void TestConfigFile::unreadableFile()
{
    QString error;
    QVERIFY(!ConfigFile::read(u"/nonexistent/agent.conf"_s, Sections::None, &error));
    QVERIFY2(error.startsWith("cannot read the configuration file /nonexistent/agent.conf: "_L1),
             qPrintable(error));
}

void TestConfigFile::callerErrorsUseTheSameFormat()
{
    QString error;
    const auto fromMemory = ConfigFile::parse("k = v\n", Sections::None, &error);
    QVERIFY(fromMemory);
    QCOMPARE(fromMemory->errorAt(1, u"unknown setting 'k'"_s), u"line 1: unknown setting 'k'"_s);
    const auto fromFile = ConfigFile::parse("k = v\n", Sections::None, &error, u"/etc/x.conf"_s);
    QVERIFY(fromFile);
    QCOMPARE(fromFile->errorAt(1, u"unknown setting 'k'"_s),
             u"/etc/x.conf:1: unknown setting 'k'"_s);
}

void TestConfigFile::booleans_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("value"); // -1: refused
    for (const char *yes : {"yes", "true", "on", "1", "YES", " True "})
        QTest::newRow(yes) << QString::fromLatin1(yes) << 1;
    for (const char *no : {"no", "false", "off", "0", "Off"})
        QTest::newRow(no) << QString::fromLatin1(no) << 0;
    for (const char *neither : {"", "maybe", "2", "y", "enabled", "yes please"})
        QTest::newRow(neither) << QString::fromLatin1(neither) << -1;
}

void TestConfigFile::booleans()
{
    QFETCH(QString, text);
    QFETCH(int, value);
    const std::optional<bool> parsed = parseBool(text);
    QCOMPARE(parsed.has_value(), value >= 0);
    if (parsed)
        QCOMPARE(int(*parsed), value);
}

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_configfile.moc"
