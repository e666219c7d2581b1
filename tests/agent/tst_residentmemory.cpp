// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// releaseIdlePages() drops clean read-only file pages from the resident set and never
// touches a page that differs from its file (the agent would lose data otherwise).
#include "agentcore/residentmemory.h"

#include <QFile>
#include <QTemporaryFile>
#include <QTest>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {
#ifdef Q_OS_LINUX
constexpr qsizetype kSize = 256 * 1024;

// Rss and Anonymous (kB) of the mapping that starts at address, from /proc/self/smaps.
QPair<long, long> residency(const void *address)
{
    QFile smaps(u"/proc/self/smaps"_s);
    if (!smaps.open(QIODevice::ReadOnly))
        return {-1, -1};
    const QByteArray start = QByteArray::number(quintptr(address), 16) + '-';
    bool inside = false;
    long rss = -1;
    for (const QByteArray &line : smaps.readAll().split('\n')) {
        if (!line.isEmpty() && line.at(0) != ' ' && line.contains('-') && !line.contains(':'))
            inside = false;
        if (line.startsWith(start))
            inside = true;
        if (inside && line.startsWith("Rss:"))
            rss = line.mid(4).trimmed().split(' ').first().toLong();
        if (inside && line.startsWith("Anonymous:"))
            return {rss, line.mid(10).trimmed().split(' ').first().toLong()};
    }
    return {-1, -1};
}

// Volatile reads: an optimised build would otherwise drop a touch whose sum is unused.
long touch(const char *data)
{
    const volatile char *pages = data;
    long sum = 0;
    for (qsizetype i = 0; i < kSize; i += 4096)
        sum += pages[i];
    return sum;
}
#endif
} // namespace

class TestResidentMemory final : public QObject
{
    Q_OBJECT
private slots:
    void cleanReadOnlyPagesAreReleasedAndReadable();
    void copyOnWritePagesAreKept();
};

void TestResidentMemory::cleanReadOnlyPagesAreReleasedAndReadable()
{
#ifndef Q_OS_LINUX
    QSKIP("Linux only");
#else
    QTemporaryFile file;
    QVERIFY(file.open());
    QVERIFY(file.write(QByteArray(kSize, 'x')) == kSize);
    QVERIFY(file.flush());
    void *map = ::mmap(nullptr, kSize, PROT_READ, MAP_PRIVATE, int(file.handle()), 0);
    QVERIFY(map != MAP_FAILED);
    const auto *data = static_cast<const char *>(map);
    QCOMPARE(touch(data), long('x') * (kSize / 4096));
    QCOMPARE(residency(map).first, long(kSize / 1024));

    const PageRelease released = releaseIdlePages();
    QVERIFY(released.ok);
    QVERIFY(released.mappings >= 1);
    QVERIFY(released.residentKb >= kSize / 1024);
    QCOMPARE(residency(map), qMakePair(0L, 0L));
    QCOMPARE(touch(data), long('x') * (kSize / 4096)); // mapped back from the file
    ::munmap(map, kSize);
#endif
}

void TestResidentMemory::copyOnWritePagesAreKept()
{
#ifndef Q_OS_LINUX
    QSKIP("Linux only");
#else
    // Like a library's RELRO segment: written (relocated) once, then made read-only.
    QTemporaryFile file;
    QVERIFY(file.open());
    QVERIFY(file.write(QByteArray(kSize, 'x')) == kSize);
    QVERIFY(file.flush());
    void *map = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE, int(file.handle()), 0);
    QVERIFY(map != MAP_FAILED);
    auto *data = static_cast<char *>(map);
    QCOMPARE(touch(data), long('x') * (kSize / 4096));
    data[0] = 'y'; // one private copy in a mapping of otherwise clean pages
    QVERIFY(::mprotect(map, kSize, PROT_READ) == 0);
    QCOMPARE(residency(map).second, 4L);

    releaseIdlePages();
    QCOMPARE(data[0], 'y'); // the private copy survives
    QCOMPARE(residency(map).first, long(kSize / 1024)); // the mapping was left alone
    ::munmap(map, kSize);
#endif
}

QTEST_GUILESS_MAIN(TestResidentMemory)
#include "tst_residentmemory.moc"
