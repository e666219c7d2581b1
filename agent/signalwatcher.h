// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGTERM/SIGINT/SIGHUP into a Qt signal: the async-signal-safe handler only
// writes the signal number to one end of a socket pair, and a QSocketNotifier on the
// other end emits `received` from the event loop, where it is safe to flush the spool.
// On Windows (no POSIX signals) it does nothing; the service shim stops the agent.
namespace spotkeeper::agent {

class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;
    Q_DISABLE_COPY_MOVE(SignalWatcher)

    bool install(QString *error); // SIGTERM, SIGINT and SIGHUP

signals:
    void received(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace spotkeeper::agent
