// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Durability: a writer process (storewriter) is SIGKILLed at different moments, several
// times over the same file. After each kill the database passes integrity_check, every
// notice the writer acknowledged (printed after commit) is there, and every batch is
// either wholly present or wholly absent.
#include "support/store/storetestutil.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;

namespace {

constexpr int kBatchSizes[] = {1, 5, 23, 64}; // must match storewriter.cpp

int batchSize(int batchNo)
{
    return kBatchSizes[batchNo % 4];
}

} // namespace

class TestStoreCrash : public QObject
{
    Q_OBJECT

private slots:
    void killedWriterLosesNothingAcknowledged()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"crash.db"_s);
        QSet<QString> acknowledged;
        // 0 = kill right after the process started (maybe while creating the schema);
        // then after more and more acknowledged notices, landing in different batches.
        const QList<int> killAfter {0, 1, 7, 40, 93, 180, 300};
        for (int round = 0; round < killAfter.size(); ++round) {
            const QString tag = u"r%1"_s.arg(round);
            QProcess writer;
            writer.setProcessChannelMode(QProcess::SeparateChannels);
            writer.start(QStringLiteral(STOREWRITER_PATH), {path, tag});
            QVERIFY2(writer.waitForStarted(10'000), qPrintable(writer.errorString()));
            QByteArray out;
            auto acks = [&out] {
                return out.count("ack ");
            };
            QDeadlineTimer hangGuard(120'000); // only against a hung writer, not a timing check
            while (acks() < killAfter[round] && writer.state() == QProcess::Running
                   && !hangGuard.hasExpired()) {
                writer.waitForReadyRead(1000);
                out += writer.readAllStandardOutput();
            }
            const bool wasRunning = writer.state() == QProcess::Running;
            writer.kill(); // SIGKILL on Unix: no cleanup, no atexit, no rollback
            writer.waitForFinished(10'000);
            const QByteArray errors = writer.readAllStandardError();
            QVERIFY2(errors.isEmpty(), errors.constData()); // the writer itself never failed
            QVERIFY(wasRunning);
            QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
            out += writer.readAllStandardOutput();
            // Only complete lines were acknowledged.
            const QList<QByteArray> lines = out.left(out.lastIndexOf('\n') + 1).split('\n');
            int roundAcks = 0;
            for (const QByteArray &line : lines) {
                if (line.startsWith("ack ")) {
                    acknowledged.insert(QString::fromLatin1(line.mid(4)));
                    ++roundAcks;
                }
            }
            QVERIFY(roundAcks >= killAfter[round]);

            StoreError error;
            auto store = Store::open(options(path), &error);
            QVERIFY2(store, qPrintable(error.message));
            QString details;
            QVERIFY2(store->integrityCheck(&details), qPrintable(details));
            EventFilter all;
            all.limit = 0;
            QSet<QString> stored;
            QHash<QString, int> perBatch; // "r3-b7" -> rows present
            static const QRegularExpression idPattern(u"^(r\\d+-b(\\d+))-n\\d+$"_s);
            for (const EventRecord &event : store->events(all)) {
                stored.insert(event.webhookId);
                const auto match = idPattern.match(event.webhookId);
                QVERIFY2(match.hasMatch(), qPrintable(event.webhookId));
                ++perBatch[match.captured(1)];
            }
            for (const QString &id : std::as_const(acknowledged))
                QVERIFY2(stored.contains(id), qPrintable(u"acknowledged but lost: "_s + id));
            for (auto it = perBatch.cbegin(); it != perBatch.cend(); ++it) {
                const int batchNo = it.key().section(u"-b"_s, 1).toInt();
                QVERIFY2(it.value() == batchSize(batchNo),
                         qPrintable(u"torn batch %1: %2 rows"_s.arg(it.key()).arg(it.value())));
            }
            qInfo("round %d: killed after %d acks; %lld rows stored", round, roundAcks,
                  qint64(stored.size()));
        }
        QVERIFY(acknowledged.size() >= 300);
    }
};

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_storecrash.moc"
