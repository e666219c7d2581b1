// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// base::appendPath: a route under an operator's base URL, one slash between.
#include "base/urlpath.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace spotkeeper;

class TestUrlPath final : public QObject
{
    Q_OBJECT
private slots:
    void appendsUnderTheBasePath_data();
    void appendsUnderTheBasePath();
};

void TestUrlPath::appendsUnderTheBasePath_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bare origin") << u"http://169.254.169.254"_s << u"/metadata/instance"_s
                                 << u"http://169.254.169.254/metadata/instance"_s;
    QTest::newRow("root slash") << u"https://dash.example:8443/"_s << u"/api/v1/notices"_s
                                << u"https://dash.example:8443/api/v1/notices"_s;
    QTest::newRow("base path") << u"https://proxy.example/spotkeeper"_s << u"/api/v1/heartbeats"_s
                               << u"https://proxy.example/spotkeeper/api/v1/heartbeats"_s;
    QTest::newRow("base path, slashes")
        << u"https://proxy.example/spotkeeper//"_s << u"/api/v1/notices"_s
        << u"https://proxy.example/spotkeeper/api/v1/notices"_s;
    QTest::newRow("query kept") << u"http://127.0.0.1:9/x/?a=b"_s << u"/y"_s
                                << u"http://127.0.0.1:9/x/y?a=b"_s;
}

void TestUrlPath::appendsUnderTheBasePath()
{
    QFETCH(QString, base);
    QFETCH(QString, route);
    QFETCH(QString, expected);
    QCOMPARE(base::appendPath(QUrl(base), route).toString(), expected);
}

QTEST_GUILESS_MAIN(TestUrlPath)
#include "tst_urlpath.moc"
