// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/csvexport.h"
#include "export/csvwriter.h"
#include "models/modelcsv.h"
#include "support/base/manualclock.h"
#include "support/gui/guitestsupport.h"

#include <QFile>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QString fixture(const char *name)
{
    return QStringLiteral(SPOTKEEPER_TEST_DATA "/csv/") + QLatin1StringView(name);
}
} // namespace

class TestCsvExport : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    void writeMixed(core::CsvWriter &w)
    {
        const QDateTime t1(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        // A local-time value is converted to UTC.
        const QDateTime t2 =
            QDateTime(QDate(2026, 7, 15), QTime(13, 45, 30), Qt::UTC).toOffsetFromUtc(7200);
        w.writeRow({QStringLiteral("text"), QStringLiteral("number"), QStringLiteral("time_utc")});
        w.text(u"plain").number(qint64(42)).time(t1).endRow();
        w.text(u"say \"hi\"").number(qint64(-17)).time(t2).endRow();
        w.text(u"line1\nline2").number(3.5).time(QDateTime()).endRow();
        w.text(u"=SUM(A1:A2)").number(qint64(0)).empty().endRow();
        w.text(u"+1").number(qint64(-1)).empty().endRow();
        w.text(u"-1").number(1e20).empty().endRow();
        w.text(u"@cmd").empty().empty().endRow();
        w.text(u"\tTAB").empty().empty().endRow();
        w.text(u"\rCR").empty().empty().endRow();
        w.text(QStringLiteral("Zürich – 東京 🚀")).empty().empty().endRow();
        w.text(u"a,b").empty().empty().endRow();
        w.text(u"=1,2").empty().empty().endRow();
        w.empty().empty().empty().endRow();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writesFixture_data()
    {
        QTest::addColumn<bool>("bom");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no BOM") << false << fixture("mixed.csv");
        QTest::newRow("BOM") << true << fixture("mixed_bom.csv");
    }
    void writesFixture()
    {
        QFETCH(bool, bom);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(QStringLiteral("out.csv"));
        core::CsvWriter w(path, core::CsvOptions {bom});
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        writeMixed(w);
        QVERIFY2(w.commit(&error), qPrintable(error));
        const QByteArray want = readAll(expected);
        QVERIFY(!want.isEmpty());
        QCOMPARE(readAll(path), want);
    }

    void escapeRules()
    {
        QCOMPARE(core::CsvWriter::escapeText(u"=cmd|' /C calc'!A0"),
                 QStringLiteral("'=cmd|' /C calc'!A0"));
        QCOMPARE(core::CsvWriter::escapeText(u"a\"b"), QStringLiteral("\"a\"\"b\""));
        QCOMPARE(core::CsvWriter::escapeText(u"x=1"), QStringLiteral("x=1")); // only a leading =
        QCOMPARE(core::CsvWriter::escapeText(u""), QString());
    }

    void failsCleanly()
    {
        core::CsvWriter w(m_dir.filePath(QStringLiteral("no/such/dir/out.csv")));
        QString error;
        QVERIFY(!w.open(&error));
        QVERIFY(error.contains(QLatin1StringView("does not exist")));
        core::CsvWriter notOpen(m_dir.filePath(QStringLiteral("x.csv")));
        QVERIFY(!notOpen.commit(&error));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.csv"))));
    }

    void exportsStoreEventsAuditFleet()
    {
        testsupport::ManualClock clock;
        auto store = gui::test::openStore(QStringLiteral(":memory:"), &clock);
        gui::test::seedDemoFleet(*store, clock.nowUtc(), {12, 3, 1});
        // A text that would run as a formula, and a secret-looking payload that must not leak.
        core::EventRecord ev;
        ev.vmId = store->vms().constFirst().id;
        ev.kind = core::EventKind::Notice;
        ev.at = clock.nowUtc();
        ev.message = QStringLiteral("=HYPERLINK(\"http://x\")");
        ev.payload = QByteArrayLiteral("{\"secret\":\"whsec_do-not-export\"}");
        store->appendEvent(ev);
        store->appendAudit({0, clock.nowUtc(), QStringLiteral("gui:alice"), QStringLiteral("pause"),
                            QStringLiteral("vm-1"), QStringLiteral("-detail")});

        QString error;
        const QString events = m_dir.filePath(QStringLiteral("events.csv"));
        QVERIFY2(core::exportEvents(*store, {}, events, {}, &error), qPrintable(error));
        const QByteArray csv = readAll(events);
        core::EventFilter all;
        all.limit = 100000;
        QCOMPARE(csv.count("\r\n"), int(store->events(all).size()) + 1);
        const QByteArray header = core::eventCsvColumns().join(QLatin1Char(',')).toUtf8() + "\r\n";
        QVERIFY(csv.startsWith(header));
        QVERIFY(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""));
        QVERIFY(!csv.contains("whsec_"));

        // A time range and a kind.
        core::EventFilter evictions;
        evictions.kinds = {core::EventKind::Eviction};
        evictions.from = clock.nowUtc().addDays(-7);
        QVERIFY(core::exportEvents(*store, evictions, events, {}, &error));
        evictions.limit = 100000;
        QCOMPARE(readAll(events).count("\r\n"), int(store->events(evictions).size()) + 1);

        const QString audit = m_dir.filePath(QStringLiteral("audit.csv"));
        QVERIFY(core::exportAudit(*store, {}, {}, audit, core::CsvOptions {true}, &error));
        const QByteArray auditCsv = readAll(audit);
        QVERIFY(auditCsv.startsWith("\xEF\xBB\xBF"
                                    "id,time_utc,actor"));
        QVERIFY(auditCsv.contains(",gui:alice,pause,vm-1,'-detail\r\n"));

        // A Google Cloud VM beside the Azure ones: the last column says each one's cloud.
        core::VmRecord gcp;
        gcp.resourceId = QStringLiteral("projects/spot-fleet-1/zones/europe-west1-b/instances/w-7");
        gcp.resourceKey = gcp.resourceId;
        gcp.subscriptionId = QStringLiteral("spot-fleet-1");
        gcp.name = QStringLiteral("w-7");
        QVERIFY(store->upsertVm(gcp) > 0);
        const QString fleet = m_dir.filePath(QStringLiteral("fleet.csv"));
        QVERIFY(core::exportFleet(*store, fleet, {}, &error));
        const QByteArray fleetCsv = readAll(fleet);
        QCOMPARE(fleetCsv.count("\r\n"), 14);
        QVERIFY(fleetCsv.startsWith("id,name,"));
        QVERIFY(fleetCsv.contains(",resource_id,cloud\r\n"));
        QCOMPARE(fleetCsv.count(",azure\r\n"), 12);
        QVERIFY(
            fleetCsv.contains(",projects/spot-fleet-1/zones/europe-west1-b/instances/w-7,gcp\r\n"));
    }

    void exportsAModelView()
    {
        QStandardItemModel model(2, 3);
        model.setHorizontalHeaderLabels(
            {QStringLiteral("Name"), QStringLiteral("Count"), QStringLiteral("Note")});
        model.setData(model.index(0, 0), QStringLiteral("vm-1"));
        model.setData(model.index(0, 1), -3); // a number: no guard
        model.setData(model.index(0, 2), QStringLiteral("-3")); // text: guarded
        model.setData(model.index(1, 0), QStringLiteral("vm-2"));
        model.setData(model.index(1, 1), 7);
        const QString path = m_dir.filePath(QStringLiteral("view.csv"));
        QString error;
        QVERIFY(gui::exportModel(model, {2, 0, 1}, path, {}, &error));
        QCOMPARE(readAll(path), QByteArray("Note,Name,Count\r\n'-3,vm-1,-3\r\n,vm-2,7\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestCsvExport)
#include "tst_csvexport.moc"
