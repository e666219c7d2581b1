// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The one signal watcher (base/signalwatcher.h): a POSIX signal arrives as `received` in
// the event loop; one watcher at a time; its end restores the default handler.
#include "base/signalwatcher.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace spotkeeper::base;
using namespace Qt::StringLiterals;

class TestSignalWatcher final : public QObject
{
    Q_OBJECT
private slots:
    void signalArrivesInTheEventLoop();
    void secondWatcherIsRefused();
    void endRestoresTheDefaultHandler();
    void badSignalNumberIsAnError();
};

void TestSignalWatcher::signalArrivesInTheEventLoop()
{
    SignalWatcher watcher;
    QString error;
    QVERIFY2(watcher.install({SIGUSR1, SIGUSR2}, &error), qPrintable(error));
    QSignalSpy received(&watcher, &SignalWatcher::received);
    ::raise(SIGUSR2);
    ::raise(SIGUSR1);
    QVERIFY(received.isEmpty()); // nothing happens inside the handler
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toInt(), SIGUSR2);
    QCOMPARE(received.at(1).at(0).toInt(), SIGUSR1);
}

void TestSignalWatcher::secondWatcherIsRefused()
{
    SignalWatcher first;
    QString error;
    QVERIFY2(first.install({SIGUSR1}, &error), qPrintable(error));
    QVERIFY2(first.install({SIGUSR2}, &error), qPrintable(error)); // adds to the watched ones
    SignalWatcher second;
    QVERIFY(!second.install({SIGUSR1}, &error));
    QCOMPARE(error, u"another signal watcher is installed"_s);
}

void TestSignalWatcher::endRestoresTheDefaultHandler()
{
    {
        SignalWatcher watcher;
        QString error;
        QVERIFY2(watcher.install({SIGUSR1}, &error), qPrintable(error));
    }
    struct sigaction current = {};
    QCOMPARE(::sigaction(SIGUSR1, nullptr, &current), 0);
    QVERIFY(current.sa_handler == SIG_DFL);
    // And a new watcher can be installed (the socket pair was released with the old one).
    SignalWatcher again;
    QString error;
    QVERIFY2(again.install({SIGUSR1}, &error), qPrintable(error));
    QSignalSpy received(&again, &SignalWatcher::received);
    ::raise(SIGUSR1);
    QTRY_COMPARE(received.size(), 1);
}

void TestSignalWatcher::badSignalNumberIsAnError()
{
    SignalWatcher watcher;
    QString error;
    QVERIFY(!watcher.install({SIGKILL}, &error)); // cannot be caught
    QVERIFY2(error.startsWith("sigaction: "_L1), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSignalWatcher)
#include "tst_signalwatcher.moc"
