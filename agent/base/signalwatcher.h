// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

// Turns POSIX signals (SIGTERM, SIGINT, ...) into a Qt signal emitted from the event loop,
// where it is safe to drain a server or flush a spool: the async-signal-safe handler only
// writes the signal number to one end of a socket pair, and a QSocketNotifier on the other
// end emits `received`. One watcher per process at a time (signal handlers are
// process-wide); destroying it restores the default handlers. On Windows, which has no
// POSIX signals to speak of, install() does nothing: the service shim stops the agent.
namespace spotkeeper::base {

class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;
    Q_DISABLE_COPY_MOVE(SignalWatcher)

    // false with *error when the socket pair or a handler cannot be set up, or when another
    // watcher is installed. Installing again adds signals to the watched ones.
    bool install(const QList<int> &signalNumbers, QString *error);

signals:
    void received(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
    QList<int> m_watched;
};

} // namespace spotkeeper::base
