// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The one owner-only file writer (base/privatefile.h): 0600 whatever the umask or the old
// file's mode, the old content replaced whole, nothing left behind on a failure.
#include "base/privatefile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#ifndef Q_OS_WIN
#include <sys/stat.h>
#endif

using namespace spotkeeper::base;
using namespace Qt::StringLiterals;

namespace {

#ifndef Q_OS_WIN
int modeOf(const QString &path)
{
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 0777);
}
#endif

QByteArray contentsOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestPrivateFile final : public QObject
{
    Q_OBJECT
private slots:
    void newFileIsOwnerOnly();
    void readableFileIsReplacedOwnerOnly();
    void failureNamesThePathAndLeavesNothing();
    void failureKeepsTheOldFile();
};

void TestPrivateFile::newFileIsOwnerOnly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"agent.key"_s);
    QString error;
#ifndef Q_OS_WIN
    const mode_t old = ::umask(0); // the most permissive umask: the writer must not rely on it
    const bool written = writePrivateFile(path, "agk_1 whsec_x\n", &error);
    ::umask(old);
    QVERIFY2(written, qPrintable(error));
    QCOMPARE(modeOf(path), 0600);
#else
    QVERIFY2(writePrivateFile(path, "agk_1 whsec_x\n", &error), qPrintable(error));
#endif
    QCOMPARE(contentsOf(path), QByteArray("agk_1 whsec_x\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList {u"agent.key"_s});
}

void TestPrivateFile::readableFileIsReplacedOwnerOnly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"client-secret"_s);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("an old and longer secret\n");
    old.close();
    QVERIFY(QFile::setPermissions(path,
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                      | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QString error;
    QVERIFY2(writePrivateFile(path, "new", &error), qPrintable(error));
    QCOMPARE(contentsOf(path), QByteArray("new"));
#ifndef Q_OS_WIN
    QCOMPARE(modeOf(path), 0600);
#endif
}

void TestPrivateFile::failureNamesThePathAndLeavesNothing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"missing/agent.key"_s);
    QString error;
    QVERIFY(!writePrivateFile(path, "secret", &error));
    QVERIFY2(error.startsWith(u"cannot write "_s + path + u": "_s), qPrintable(error));
    QVERIFY(!error.contains("secret"_L1));
    QVERIFY(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
}

void TestPrivateFile::failureKeepsTheOldFile()
{
    // A folder where the file should be: the write fails and the folder is untouched.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"spool.json"_s);
    QVERIFY(QDir(dir.path()).mkdir(u"spool.json"_s));
    QString error;
    QVERIFY(!writePrivateFile(path, "{}", &error));
    QVERIFY2(error.startsWith(u"cannot write "_s + path), qPrintable(error));
    QVERIFY(QFileInfo(path).isDir());
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList {u"spool.json"_s});
}

QTEST_GUILESS_MAIN(TestPrivateFile)
#include "tst_privatefile.moc"
