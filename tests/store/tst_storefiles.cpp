// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The store file holds every agent key's secret: it, its -wal/-shm and the folders the
// store creates are owner-only, whatever the umask (issue 13). Checked with stat(2).
#include "support/store/storetestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;

namespace {

int modeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

// A permissive umask for the duration of a test, as a desktop session often has.
class Umask
{
public:
    explicit Umask(mode_t mask)
        : m_previous(::umask(mask))
    { }
    ~Umask() { ::umask(m_previous); }
    Q_DISABLE_COPY_MOVE(Umask)

private:
    mode_t m_previous;
};

} // namespace

class TestStoreFiles : public QObject
{
    Q_OBJECT

private slots:
    void newStoreIsOwnerOnly()
    {
        QTemporaryDir dir;
        const Umask permissive(022);
        const QString folder = dir.filePath(u"data/SpotKeeper"_s);
        const QString path = folder + u"/spotkeeper-demo.db"_s;
        StoreError error;
        auto store = Store::open(options(path), &error);
        QVERIFY2(store, qPrintable(error.message));
        // A write, so the WAL and its index exist while the store is open.
        QVERIFY(store->upsertVm(vmRecord(1)) > 0);
        QVERIFY(QFile::exists(path + u"-wal"_s));
        QVERIFY(QFile::exists(path + u"-shm"_s));
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(path + u"-wal"_s), 0600);
        QCOMPARE(modeOf(path + u"-shm"_s), 0600);
        QCOMPARE(modeOf(folder), 0700);
        QCOMPARE(modeOf(dir.filePath(u"data"_s)), 0700);
        QCOMPARE(modeOf(dir.path()), 0700); // QTemporaryDir's own: untouched, already 0700
    }

    void storeLeftReadableIsTightened()
    {
        // What an earlier build left behind: the database readable by everyone.
        QTemporaryDir dir;
        const Umask permissive(022);
        const QString path = dir.filePath(u"old.db"_s);
        QVERIFY(Store::open(options(path), nullptr));
        for (const QString &file : QStringList {path, path + u"-wal"_s}) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::Append));
            f.close();
            QVERIFY(::chmod(QFile::encodeName(file).constData(), 0644) == 0);
        }
        QCOMPARE(modeOf(path), 0644);
        auto store = Store::open(options(path), nullptr);
        QVERIFY(store);
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(path + u"-wal"_s), 0600);
        QVERIFY(store->upsertVm(vmRecord(2)) > 0);
        QCOMPARE(modeOf(path + u"-shm"_s), 0600);
    }

    void readOnlyOpenChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"shared.db"_s);
        QVERIFY(Store::open(options(path), nullptr));
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0640) == 0);
        QVERIFY(Store::open(options(path, true), nullptr));
        QCOMPARE(modeOf(path), 0640);
    }
};

QTEST_GUILESS_MAIN(TestStoreFiles)
#include "tst_storefiles.moc"
