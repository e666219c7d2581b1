// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The window's exports of events and of the audit log run on a worker thread: they finish
// asynchronously with the same bytes as the synchronous core export, Cancel and a write
// error leave no file.
#include "export/csvexport.h"
#include "models/apptranslations.h"
#include "models/localfleetsource.h"
#include "support/base/manualclock.h"
#include "support/gui/guitestsupport.h"
#include "ui/mainwindow.h"
#include "ui/secretstores.h"
#include "ui/timerangepicker.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace spotkeeper;
using namespace spotkeeper::gui;

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// On tmpfs when there is one: the store commits (and fsyncs) each seeded event.
QString tempDirTemplate()
{
    const QFileInfo shm(QStringLiteral("/dev/shm"));
    const QString base = shm.isDir() && shm.isWritable() ? shm.filePath() : QDir::tempPath();
    return base + QStringLiteral("/tst_mainwindowexport-XXXXXX");
}

// Closes every modal message box that appears while it lives, keeping their texts
// (the window reports a failed export in one).
class MessageBoxCloser
{
public:
    MessageBoxCloser()
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                texts.append(box->text());
                box->accept();
            }
        });
        m_timer.start(10);
    }
    QStringList texts;

private:
    QTimer m_timer;
};
// A window over `store` (time range: the last 30 days) whose exports go to `path`; when
// `held`, an export's worker waits at its start until gate.release().
struct ExportingWindow
{
    ExportingWindow(core::Store &store, const base::Clock &clock, QString outPath, bool held)
        : source(store, nullptr, clock)
        , window(source, clock, secrets)
        , path(std::move(outPath))
        , finished(&window, &MainWindow::storeExportFinished)
    {
        window.findChild<TimeRangePicker *>()->setPreset(TimeRangePicker::Preset::Last30d);
        window.setExportPathChooser([this](const QString &) { return path; });
        if (held)
            window.setExportWorkerStartHook([this] { gate.acquire(); });
        window.show();
    }
    ~ExportingWindow() { gate.release(100); } // a failed check must not leave the worker held
    Q_DISABLE_COPY_MOVE(ExportingWindow)

    QSemaphore gate; // outlives the window, whose destructor waits for the worker
    LocalFleetSource source;
    MemorySecretStore secrets;
    MainWindow window;
    QString path;
    QSignalSpy finished;
};
} // namespace

class TestMainWindowExport : public QObject
{
    Q_OBJECT
private:
    testsupport::ManualClock m_clock;
    QTemporaryDir m_dir {tempDirTemplate()};
    std::unique_ptr<core::Store> m_store;
    QString m_outDir;

    // The CSV files in the output folder (a QSaveFile's temporary file would show here too).
    QStringList outputFiles() const { return QDir(m_outDir).entryList(QDir::Files); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        installTranslations(QStringLiteral("en"));
        QVERIFY(m_dir.isValid());
        // A store file, so the worker can open its own read-only connection to it.
        m_store = test::openStore(m_dir.filePath(QStringLiteral("store.db")), &m_clock);
        test::seedDemoFleet(*m_store, m_clock.nowUtc(), {40, 80, 7});
        for (int i = 0; i < 30; ++i)
            m_store->appendAudit({0, m_clock.nowUtc().addSecs(-60 * (i + 1)),
                                  QStringLiteral("gui:alice"), QStringLiteral("pause"),
                                  QStringLiteral("vm-%1").arg(i), QStringLiteral("=detail")});
        core::EventFilter all;
        all.limit = 1'000'000;
        QVERIFY2(m_store->events(all).size() > 2000, "the store needs a few thousand events");
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("out")));
        m_outDir = m_dir.filePath(QStringLiteral("out"));
    }

    void init()
    {
        for (const QString &name : outputFiles())
            QFile::remove(QDir(m_outDir).filePath(name));
    }

    void eventsExportRunsOffTheGuiThread()
    {
        ExportingWindow w(*m_store, m_clock, QDir(m_outDir).filePath(QStringLiteral("events.csv")),
                          true);
        MainWindow &window = w.window;
        const QString &path = w.path;
        QSignalSpy &finished = w.finished;

        window.action(QStringLiteral("actionExportEvents"))->trigger();
        // The action returned while the worker is still held: the export is asynchronous.
        QVERIFY(window.isExporting());
        QVERIFY(window.findChild<QProgressDialog *>(QStringLiteral("exportProgress")));
        QCOMPARE(finished.size(), 0);
        QVERIFY(!QFile::exists(path));
        w.gate.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY(!window.isExporting());

        // Byte for byte what the synchronous core export (spotkeeperd export) writes.
        core::EventFilter filter;
        filter.from = m_clock.nowUtc().addDays(-30);
        filter.to = m_clock.nowUtc();
        const QString reference = m_dir.filePath(QStringLiteral("reference-events.csv"));
        QString error;
        QVERIFY2(core::exportEvents(*m_store, filter, reference, {}, &error), qPrintable(error));
        const QByteArray expected = readAll(reference);
        const QByteArray actual = readAll(path);
        QVERIFY(expected.count("\r\n") > 1000);
        QCOMPARE(actual.size(), expected.size());
        QVERIFY(actual == expected);
        const QString message = window.statusBar()->currentMessage();
        QVERIFY2(message.contains(QString::number(expected.count("\r\n") - 1))
                     && message.contains(path),
                 qPrintable(message));
        QCOMPARE(outputFiles(), QStringList {QStringLiteral("events.csv")});
    }

    void auditExportRunsOffTheGuiThread()
    {
        ExportingWindow w(*m_store, m_clock, QDir(m_outDir).filePath(QStringLiteral("audit.csv")),
                          false);
        MainWindow &window = w.window;
        const QString &path = w.path;
        QSignalSpy &finished = w.finished;
        window.action(QStringLiteral("actionExportAudit"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        const QString reference = m_dir.filePath(QStringLiteral("reference-audit.csv"));
        QString error;
        QVERIFY(core::exportAudit(*m_store, m_clock.nowUtc().addDays(-30), m_clock.nowUtc(),
                                  reference, {}, &error));
        QCOMPARE(readAll(path), readAll(reference));
        const qsizetype rows =
            m_store->audit(m_clock.nowUtc().addDays(-30), m_clock.nowUtc(), 0).size();
        QVERIFY(rows >= 30);
        QCOMPARE(readAll(path).count("\r\n"), rows + 1);
        const QString message = window.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("%1 rows").arg(rows)), qPrintable(message));
    }

    void cancelLeavesNoFile()
    {
        ExportingWindow w(*m_store, m_clock,
                          QDir(m_outDir).filePath(QStringLiteral("cancelled.csv")), true);
        MainWindow &window = w.window;
        const QString &path = w.path;
        QSignalSpy &finished = w.finished;

        window.action(QStringLiteral("actionExportEvents"))->trigger();
        auto *progress = window.findChild<QProgressDialog *>(QStringLiteral("exportProgress"));
        QVERIFY(progress);
        auto *cancel = progress->findChild<QPushButton *>();
        QVERIFY(cancel);
        cancel->click();
        w.gate.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY(!QFile::exists(path));
        QVERIFY2(outputFiles().isEmpty(), qPrintable(outputFiles().join(QLatin1Char(' '))));
        QVERIFY(window.statusBar()->currentMessage().contains(QLatin1StringView("cancelled")));
        QVERIFY(!window.isExporting());

        // The next export after a cancelled one works.
        window.setExportWorkerStartHook({});
        window.action(QStringLiteral("actionExportEvents"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        QVERIFY(QFile::exists(path));
    }

    void unwritablePathReportsAnError()
    {
        ExportingWindow w(*m_store, m_clock,
                          QDir(m_outDir).filePath(QStringLiteral("no/such/dir/events.csv")), false);
        MainWindow &window = w.window;
        const QString &path = w.path;
        QSignalSpy &finished = w.finished;
        MessageBoxCloser closer;
        window.action(QStringLiteral("actionExportEvents"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(closer.texts.size(), 1);
        QVERIFY2(closer.texts.constFirst().contains(path), qPrintable(closer.texts.constFirst()));
        QVERIFY(outputFiles().isEmpty());
        QVERIFY(!QDir(m_outDir).exists(QStringLiteral("no")));
    }

    void cleanupTestCase() { m_store.reset(); }
};

QTEST_MAIN(TestMainWindowExport)
#include "tst_mainwindowexport.moc"
