// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The fast export path against straightforward references: the byte-buffer CsvWriter against
// the QString escaping it replaced, Store::forEachEvent against Store::events(), and the
// two-thread event export against a CSV built row by row from events().
#include "export/csvexport.h"
#include "export/csvwriter.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace spotkeeper;
using namespace spotkeeper::core;

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The cell as the string-based writer wrote it before the byte buffer.
QByteArray referenceText(QStringView value)
{
    return CsvWriter::escapeText(value).toUtf8();
}

QList<QString> trickyTexts()
{
    return {QString(),
            QStringLiteral("plain"),
            QStringLiteral("a,b"),
            QStringLiteral("say \"hi\""),
            QStringLiteral("line1\nline2"),
            QStringLiteral("cr\rhere"),
            QStringLiteral("=SUM(A1)"),
            QStringLiteral("+1"),
            QStringLiteral("-1,5"),
            QStringLiteral("@cmd"),
            QStringLiteral("\tTAB"),
            QStringLiteral("\r\n"),
            QStringLiteral("=\"quoted\",formula"),
            QStringLiteral("Zürich – 東京 🚀"),
            QStringLiteral("=Zürich,\"x\""),
            QString(QChar(0xD800)) + QStringLiteral("lone surrogate"),
            QStringLiteral("x=1"),
            QString(300000, QLatin1Char('"'))}; // larger than a buffer once doubled and quoted
}

QString csvPath(const QTemporaryDir &dir, const char *name)
{
    return dir.filePath(QLatin1StringView(name));
}

// What exportEvents must write, built from Store::events() with the reference escaping.
QByteArray referenceExport(Store &store, EventFilter filter)
{
    QHash<qint64, VmRecord> vms;
    for (const VmRecord &vm : store.vms())
        vms.insert(vm.id, vm);
    QByteArray out = eventCsvColumns().join(QLatin1Char(',')).toUtf8() + "\r\n";
    filter.limit = 5000;
    for (;;) {
        const QList<EventRecord> page = store.events(filter);
        for (const EventRecord &e : page) {
            const VmRecord vm = vms.value(e.vmId);
            QByteArrayList cells {QByteArray::number(e.id),
                                  CsvWriter::formatTime(e.at).toUtf8(),
                                  QByteArray::number(e.vmId),
                                  referenceText(vm.name),
                                  referenceText(vm.resourceGroup),
                                  referenceText(toString(e.kind)),
                                  referenceText(e.source),
                                  referenceText(e.eventType),
                                  referenceText(e.eventId),
                                  referenceText(e.eventStatus),
                                  e.httpStatus ? QByteArray::number(e.httpStatus) : QByteArray(),
                                  referenceText(e.armErrorCode),
                                  referenceText(e.correlationId),
                                  referenceText(e.message),
                                  referenceText(e.evidence)};
            out += cells.join(',') + "\r\n";
        }
        if (page.size() < filter.limit)
            return out;
        filter.afterId = page.constLast().id;
    }
}
} // namespace

class TestEventCsvExport : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<Store> m_store;
    QDateTime m_start = QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
    static constexpr int kEvents = 40000; // enough ids for several export chunks

    // VMs through the store; many events in one raw transaction (the store writes one
    // durable transaction per event, far too slow for 40,000).
    void seed()
    {
        QList<qint64> vmIds;
        for (int v = 0; v < 7; ++v) {
            VmRecord vm;
            vm.resourceKey = QStringLiteral("/subscriptions/s/resourcegroups/rg/providers/"
                                            "microsoft.compute/virtualmachines/vm-%1")
                                 .arg(v);
            vm.resourceId = vm.resourceKey;
            vm.name = v == 3 ? QStringLiteral("=vm,\"three\"") : QStringLiteral("vm-%1").arg(v);
            vm.resourceGroup = v == 5 ? QStringLiteral("rg-Zürich") : QStringLiteral("rg");
            vmIds.append(m_store->upsertVm(vm));
            QVERIFY(vmIds.constLast() > 0);
        }
        const QList<QString> texts = trickyTexts().mid(0, 15);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                    QStringLiteral("tst_eventcsvexport_seed"));
        db.setDatabaseName(m_dbPath);
        QVERIFY(db.open());
        QVERIFY(db.transaction());
        QSqlQuery q(db);
        QVERIFY(q.prepare(
            QStringLiteral("INSERT INTO events (vm_id, kind, occurred_at, source, event_type, "
                           "event_id, event_status, http_status, arm_error_code, "
                           "correlation_id, message, evidence, payload) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")));
        const QStringList kinds {QStringLiteral("notice"), QStringLiteral("eviction"),
                                 QStringLiteral("restart_attempt"), QStringLiteral("heartbeat")};
        const auto text = [&texts](int i) {
            const QString &t = texts.at(i % texts.size());
            return t.isEmpty() ? QVariant() : QVariant(t);
        };
        for (int i = 0; i < kEvents; ++i) {
            q.addBindValue(i % 97 == 0 ? QVariant() : QVariant(vmIds.at(i % vmIds.size())));
            q.addBindValue(kinds.at(i % kinds.size()));
            // Some before 1970 and some with milliseconds, to exercise the time formatting.
            q.addBindValue(i % 1000 == 7 ? qint64(-86'400'123) - i
                                         : m_start.toMSecsSinceEpoch() + qint64(i) * 60'001);
            q.addBindValue(text(i));
            q.addBindValue(text(i + 1));
            q.addBindValue(i % 5 ? QVariant() : QVariant(QStringLiteral("ev-%1").arg(i)));
            q.addBindValue(text(i + 3));
            q.addBindValue(i % 4 == 2 ? QVariant(i % 3 ? 202 : 409) : QVariant());
            q.addBindValue(text(i + 5));
            q.addBindValue(text(i + 7));
            q.addBindValue(
                QString(QStringLiteral("event %1: ").arg(i) + texts.at(i % texts.size())));
            q.addBindValue(text(i + 11));
            q.addBindValue(QByteArrayLiteral("{\"secret\":\"whsec_do-not-export\"}"));
            QVERIFY(q.exec());
        }
        QVERIFY(db.commit());
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("tst_eventcsvexport_seed"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_dbPath = m_dir.filePath(QStringLiteral("events.db"));
        StoreOptions options;
        options.path = m_dbPath;
        StoreError error;
        m_store = Store::open(options, &error);
        QVERIFY2(m_store, qPrintable(error.message));
        seed();
    }

    void textCellsMatchTheStringEscaping()
    {
        const QString path = csvPath(m_dir, "cells.csv");
        CsvWriter w(path);
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        QByteArray want;
        for (const QString &t : trickyTexts()) {
            w.text(t).text(QLatin1StringView("=latin,1")).endRow();
            want += referenceText(t) + ',' + referenceText(u"=latin,1") + "\r\n";
        }
        // Latin-1 beyond ASCII is re-encoded as UTF-8, not copied byte for byte.
        w.text(QLatin1StringView("caf\xe9")).encoded(CsvWriter::encodeText(u"=x")).endRow();
        want += QStringLiteral("caf\u00e9").toUtf8() + ",'=x\r\n";
        QVERIFY2(w.commit(&error), qPrintable(error));
        QCOMPARE(readAll(path), want);
    }

    void numbersAndTimesMatchQt()
    {
        const QString path = csvPath(m_dir, "times.csv");
        CsvWriter w(path);
        QString error;
        QVERIFY(w.open(&error));
        QByteArray want;
        QRandomGenerator rng(20261126);
        QList<QDateTime> times {
            QDateTime(QDate(1970, 1, 1), QTime(0, 0), Qt::UTC),
            QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC),
            QDateTime(QDate(2000, 2, 29), QTime(23, 59, 59, 999), Qt::UTC),
            QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC),
            QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), Qt::UTC),
            QDateTime(QDate(-5, 6, 1), QTime(12, 0), Qt::UTC), // Qt's path
            QDateTime(QDate(2026, 7, 15), QTime(13, 45, 30), Qt::UTC).toOffsetFromUtc(7200)};
        for (int i = 0; i < 2000; ++i) {
            const qint64 ms = qint64(rng.bounded(Q_INT64_C(400'000'000'000'000)))
                - Q_INT64_C(100'000'000'000'000);
            times.append(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
        }
        const QList<qint64> numbers {0, -1, 42, std::numeric_limits<qint64>::max(),
                                     std::numeric_limits<qint64>::min()};
        for (qsizetype i = 0; i < times.size(); ++i) {
            const qint64 n = numbers.at(i % numbers.size());
            w.time(times.at(i)).number(n).number(double(i) / 8).endRow();
            want += CsvWriter::formatTime(times.at(i)).toUtf8() + ',' + QByteArray::number(n) + ','
                + QString::number(double(i) / 8, 'g', 15).toUtf8() + "\r\n";
        }
        QVERIFY(w.commit(&error));
        QCOMPARE(readAll(path), want);
    }

    void encodedRowsMoveBetweenWriters()
    {
        CsvWriter memory;
        memory.text(u"a,b").number(qint64(1)).endRow();
        memory.text(u"=c").empty().endRow();
        qint64 rows = 0;
        const QByteArray bytes = memory.takeEncoded(&rows);
        QCOMPARE(rows, 2);
        QCOMPARE(bytes, QByteArray("\"a,b\",1\r\n'=c,\r\n"));
        memory.text(u"again").endRow(); // starts afresh
        QCOMPARE(memory.takeEncoded(&rows), QByteArray("again\r\n"));
        QCOMPARE(rows, 1);

        const QString path = csvPath(m_dir, "moved.csv");
        CsvWriter file(path, CsvOptions {true});
        QString error;
        QVERIFY(file.open(&error));
        file.text(u"head").endRow();
        file.appendEncodedRows(bytes, 2);
        QVERIFY(file.commit(&error));
        QCOMPARE(file.rowsWritten(), 3);
        QCOMPARE(readAll(path), QByteArray("\xEF\xBB\xBFhead\r\n\"a,b\",1\r\n'=c,\r\n"));
        QVERIFY(!memory.commit(&error)); // no file: nothing to commit
    }

    void forEachEventMatchesEvents_data()
    {
        QTest::addColumn<qint64>("vmId");
        QTest::addColumn<QList<EventKind>>("kinds");
        QTest::addColumn<int>("fromMinute");
        QTest::addColumn<int>("toMinute"); // -1 = open
        QTest::addColumn<qint64>("afterId");
        QTest::addColumn<qint64>("beforeId");
        QTest::newRow("all") << qint64(0) << QList<EventKind> {} << -1 << -1 << qint64(0)
                             << qint64(0);
        QTest::newRow("one VM") << qint64(3) << QList<EventKind> {} << -1 << -1 << qint64(0)
                                << qint64(0);
        QTest::newRow("kinds and range")
            << qint64(0) << QList<EventKind> {EventKind::Eviction, EventKind::Heartbeat} << 600
            << 30000 << qint64(0) << qint64(0);
        QTest::newRow("id bounds") << qint64(0) << QList<EventKind> {EventKind::Notice} << -1 << -1
                                   << qint64(1234) << qint64(20001);
        QTest::newRow("nothing") << qint64(0) << QList<EventKind> {} << 900000 << -1 << qint64(0)
                                 << qint64(0);
    }
    void forEachEventMatchesEvents()
    {
        QFETCH(qint64, vmId);
        QFETCH(QList<EventKind>, kinds);
        QFETCH(int, fromMinute);
        QFETCH(int, toMinute);
        QFETCH(qint64, afterId);
        QFETCH(qint64, beforeId);
        EventFilter filter;
        filter.vmId = vmId;
        filter.kinds = kinds;
        if (fromMinute >= 0)
            filter.from = m_start.addSecs(qint64(fromMinute) * 60);
        if (toMinute >= 0)
            filter.to = m_start.addSecs(qint64(toMinute) * 60);
        filter.afterId = afterId;
        filter.limit = 7; // ignored

        EventFilter all = filter;
        all.limit = 0;
        QList<EventRecord> want = m_store->events(all);
        if (beforeId > 0) {
            filter.beforeId = beforeId;
            want.removeIf([beforeId](const EventRecord &e) { return e.id >= beforeId; });
        }
        qsizetype seen = 0;
        bool same = true;
        QVERIFY(m_store->forEachEvent(filter, [&](const EventRecord &e) {
            const EventRecord &w = want.value(seen++);
            same = same && e.id == w.id && e.vmId == w.vmId && e.kind == w.kind && e.at == w.at
                && e.source == w.source && e.eventType == w.eventType && e.eventId == w.eventId
                && e.eventStatus == w.eventStatus && e.httpStatus == w.httpStatus
                && e.armErrorCode == w.armErrorCode && e.correlationId == w.correlationId
                && e.message == w.message && e.evidence == w.evidence && e.payload.isEmpty()
                && e.webhookId == w.webhookId;
            return true;
        }));
        QCOMPARE(seen, want.size());
        QVERIFY(same);
        if (QByteArray(QTest::currentDataTag()) == "all")
            QCOMPARE(seen, kEvents);
    }

    void forEachEventStopsWhenAsked()
    {
        int calls = 0;
        QVERIFY(m_store->forEachEvent({}, [&calls](const EventRecord &) { return ++calls < 5; }));
        QCOMPARE(calls, 5);
    }

    void exportMatchesTheReference_data()
    {
        QTest::addColumn<QList<EventKind>>("kinds");
        QTest::addColumn<int>("fromMinute");
        QTest::newRow("all, two threads") << QList<EventKind> {} << -1;
        QTest::newRow("filtered, two threads")
            << QList<EventKind> {EventKind::Eviction, EventKind::Notice} << 5000;
        QTest::newRow("nothing matches") << QList<EventKind> {} << 900000;
    }
    void exportMatchesTheReference()
    {
        QFETCH(QList<EventKind>, kinds);
        QFETCH(int, fromMinute);
        EventFilter filter;
        filter.kinds = kinds;
        if (fromMinute >= 0)
            filter.from = m_start.addSecs(qint64(fromMinute) * 60);
        filter.limit = 3; // ignored by the export
        const QString path = csvPath(m_dir, "export.csv");
        QString error;
        QVERIFY2(exportEvents(*m_store, filter, path, {}, &error), qPrintable(error));
        const QByteArray csv = readAll(path);
        const QByteArray want = referenceExport(*m_store, filter);
        QCOMPARE(csv.size(), want.size());
        QVERIFY(csv == want);
        QVERIFY(!csv.contains("whsec_"));
    }

    void progressReportsEveryChunkAndCancels()
    {
        const QString path = csvPath(m_dir, "progress.csv");
        QList<qint64> rows;
        QList<qint64> stepsDone;
        qint64 stepsInAll = 0;
        ExportProgress progress;
        progress.report = [&](qint64 done, qint64 step, qint64 steps) {
            rows.append(done);
            stepsDone.append(step);
            stepsInAll = steps;
            return true;
        };
        QString error;
        QVERIFY2(exportEvents(*m_store, {}, path, {}, &error, &progress), qPrintable(error));
        QCOMPARE(readAll(path), referenceExport(*m_store, {})); // the same bytes
        QVERIFY(!progress.cancelled);
        QCOMPARE(progress.rows, qint64(kEvents));
        QVERIFY(stepsInAll >= 2); // the two-thread path, one report per chunk
        QCOMPARE(stepsDone.size(), stepsInAll + 1);
        for (qsizetype i = 0; i < stepsDone.size(); ++i)
            QCOMPARE(stepsDone.at(i), qint64(i));
        QCOMPARE(rows.constFirst(), 0);
        QCOMPARE(rows.constLast(), qint64(kEvents));
        QVERIFY(std::is_sorted(rows.cbegin(), rows.cend()));

        // Cancelled after the second chunk: no file, and the caller learns why.
        QVERIFY(QFile::remove(path));
        ExportProgress cancelling;
        cancelling.report = [](qint64, qint64 step, qint64) {
            return step < 2;
        };
        QVERIFY(!exportEvents(*m_store, {}, path, {}, &error, &cancelling));
        QVERIFY(cancelling.cancelled);
        QVERIFY2(error.contains(QLatin1StringView("cancelled")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("progress.csv*")}, QDir::Files),
                 QStringList {});
    }

    void exportFromOneThreadIsTheSame()
    {
        // An in-memory database cannot be opened a second time: the export stays on one thread.
        StoreOptions options;
        options.path = QStringLiteral(":memory:");
        StoreError storeError;
        auto memory = Store::open(options, &storeError);
        QVERIFY(memory);
        VmRecord vm;
        vm.resourceKey = QStringLiteral("/subscriptions/s/resourcegroups/rg/providers/"
                                        "microsoft.compute/virtualmachines/solo");
        vm.name = QStringLiteral("solo");
        const qint64 vmId = memory->upsertVm(vm);
        for (int i = 0; i < 50; ++i) {
            EventRecord e;
            e.vmId = vmId;
            e.kind = i % 2 ? EventKind::Eviction : EventKind::Alert;
            e.at = m_start.addSecs(i);
            e.message = trickyTexts().at(i % 15);
            QVERIFY(memory->appendEvent(e) > 0);
        }
        const QString path = csvPath(m_dir, "memory.csv");
        QString error;
        QVERIFY2(exportEvents(*memory, {}, path, {}, &error), qPrintable(error));
        QCOMPARE(readAll(path), referenceExport(*memory, {}));
    }

    void storeErrorLeavesNoFile()
    {
        const QString dbPath = m_dir.filePath(QStringLiteral("broken.db"));
        StoreOptions options;
        options.path = dbPath;
        StoreError storeError;
        auto broken = Store::open(options, &storeError);
        QVERIFY(broken);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                        QStringLiteral("tst_eventcsvexport_drop"));
            db.setDatabaseName(dbPath);
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec(QStringLiteral("DROP TABLE events")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_eventcsvexport_drop"));
        int calls = 0;
        QVERIFY(!broken->forEachEvent({}, [&calls](const EventRecord &) { return ++calls > 0; }));
        QCOMPARE(calls, 0);
        QVERIFY(broken->lastError().code != StoreError::Code::None);

        const QString path = csvPath(m_dir, "never.csv");
        QString error;
        QVERIFY(!exportEvents(*broken, {}, path, {}, &error));
        QVERIFY2(error.contains(QLatin1StringView("events")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!exportEvents(*m_store, {}, m_dir.filePath(QStringLiteral("no/dir/x.csv")), {},
                              &error));
        QVERIFY(error.contains(QLatin1StringView("does not exist")));
    }
};

QTEST_GUILESS_MAIN(TestEventCsvExport)
#include "tst_eventcsvexport.moc"
