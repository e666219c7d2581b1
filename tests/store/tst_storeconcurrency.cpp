// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Concurrency on one file: the listener's notice writes and the engine's job/event
// writes run on their own threads (each with its own Store) while the UI thread reads
// through a third Store. Nothing may fail (no SQLITE_BUSY surfacing), readers see
// monotonic counts, and the final counts are exact.
#include "support/store/storetestutil.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <limits>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::testutil;

namespace {

constexpr int kNoticeBatches = 120;
constexpr int kNoticesPerBatch = 3;
constexpr int kEngineSteps = 120;

struct Failures
{
    std::atomic<int> count {0};
    QString first; // written once, by whoever fails first
    std::atomic_flag taken = ATOMIC_FLAG_INIT;
    void add(const QString &what)
    {
        if (!taken.test_and_set())
            first = what;
        ++count;
    }
};

} // namespace

class TestStoreConcurrency : public QObject
{
    Q_OBJECT

private slots:
    void writersAndReaderOnOneFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"shared.db"_s);
        {
            auto setup = Store::open(options(path), nullptr); // schema created once up front
            QVERIFY(setup);
            QVERIFY(setup->upsertVm(vmRecord(1000)) > 0);
        }
        Failures failures;
        std::atomic<int> writersDone {0};

        QThread *listener = QThread::create([&] {
            auto store = Store::open(options(path), nullptr);
            if (!store) {
                failures.add(u"listener open"_s);
                ++writersDone;
                return;
            }
            for (int b = 0; b < kNoticeBatches; ++b) {
                QList<IncomingNotice> batch;
                for (int i = 0; i < kNoticesPerBatch; ++i) {
                    const QString id = u"c-b%1-n%2"_s.arg(b).arg(i);
                    batch << notice((b * kNoticesPerBatch + i) % 20, id, id);
                }
                for (const NoticeOutcome &outcome : store->insertNotices(batch)) {
                    if (outcome.status != NoticeOutcome::Status::Inserted)
                        failures.add(u"notice: "_s + store->lastError().message);
                }
            }
            ++writersDone;
        });
        QThread *engine = QThread::create([&] {
            auto store = Store::open(options(path), nullptr);
            const auto vm = store ? store->vmByKey(vmKey(1000)) : std::nullopt;
            if (!vm) {
                failures.add(u"engine open"_s);
                ++writersDone;
                return;
            }
            for (int step = 0; step < kEngineSteps; ++step) {
                bool created = false;
                JobRecord job;
                job.vmId = vm->id;
                auto active = store->createJob(job, &created);
                if (!active) {
                    failures.add(u"createJob: "_s + store->lastError().message);
                    continue;
                }
                active->attempt = step;
                active->state = step % 2 ? JobState::Running : JobState::Starting;
                const EventRecord attempt = eventOf(EventKind::RestartAttempt, vm->id);
                if (!store->saveJob(*active, &attempt))
                    failures.add(u"saveJob: "_s + store->lastError().message);
                if (!store->claimJobs(u"engine"_s, QDateTime::currentDateTimeUtc().addSecs(30), 5)
                         .size()
                    && store->lastError().code != StoreError::Code::None)
                    failures.add(u"claimJobs: "_s + store->lastError().message);
            }
            ++writersDone;
        });
        listener->start();
        engine->start();

        auto reader = Store::open(options(path), nullptr);
        QVERIFY(reader);
        qint64 lastCount = 0;
        qint64 lastVms = 0;
        int reads = 0;
        int increases = 0;
        // No QVERIFY while the writers run: an early return would leave them running.
        QString readerFailure;
        while (writersDone.load() < 2 && readerFailure.isEmpty()) {
            const qint64 count = reader->eventCount({});
            if (count < 0)
                readerFailure = u"eventCount: "_s + reader->lastError().message;
            else if (count < lastCount)
                readerFailure =
                    u"event count went backwards: %1 after %2"_s.arg(count).arg(lastCount);
            increases += count > lastCount ? 1 : 0;
            lastCount = std::max(count, lastCount);
            EventFilter newest;
            newest.beforeId = std::numeric_limits<qint64>::max();
            newest.limit = 50;
            const auto page = reader->events(newest);
            if (reader->lastError().code != StoreError::Code::None || page.size() > 50)
                readerFailure = u"events: "_s + reader->lastError().message;
            const qint64 vms = reader->vms().size();
            if (vms < lastVms)
                readerFailure = u"VM count went backwards"_s;
            lastVms = vms;
            ++reads;
        }
        listener->wait();
        engine->wait();
        delete listener;
        delete engine;

        QVERIFY2(readerFailure.isEmpty(), qPrintable(readerFailure));
        QVERIFY2(
            failures.count.load() == 0,
            qPrintable(u"%1 failures, first: %2"_s.arg(failures.count.load()).arg(failures.first)));
        const qint64 expected = kNoticeBatches * kNoticesPerBatch + kEngineSteps;
        QCOMPARE(reader->eventCount({}), expected);
        QCOMPARE(reader->eventCount(byKinds({EventKind::Notice})),
                 kNoticeBatches * kNoticesPerBatch);
        QCOMPARE(reader->vms().size(), 21);
        QVERIFY(reader->activeJobs().size() <= 1);
        QString details;
        QVERIFY2(reader->integrityCheck(&details), qPrintable(details));
        qInfo("%d reads during the writes, %d saw new rows", reads, increases);
        QVERIFY(reads > 0);
    }
};

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_storeconcurrency.moc"
