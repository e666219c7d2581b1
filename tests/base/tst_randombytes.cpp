// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// base::randomBytes: the one source of secrets, token ids and engine identities.
#include "base/randombytes.h"

#include <QSet>
#include <QTest>

using namespace spotkeeper;

class TestRandomBytes final : public QObject
{
    Q_OBJECT
private slots:
    void givesTheCountAskedFor();
    void spreadsOverEveryByteValue();
};

void TestRandomBytes::givesTheCountAskedFor()
{
    QCOMPARE(base::randomBytes(0).size(), 0);
    QCOMPARE(base::randomBytes(32).size(), 32);
    QVERIFY(base::randomBytes(32) != base::randomBytes(32)); // 2^-256 to fail by chance
}

void TestRandomBytes::spreadsOverEveryByteValue()
{
    // 64 KiB of uniform bytes miss one of the 256 values with odds of about 256 * e^-256.
    const QByteArray bytes = base::randomBytes(qsizetype {64} * 1024);
    QSet<char> seen;
    for (const char c : bytes)
        seen.insert(c);
    QCOMPARE(seen.size(), 256);
}

QTEST_GUILESS_MAIN(TestRandomBytes)
#include "tst_randombytes.moc"
