// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

// Turns SIGTERM/SIGINT/SIGHUP into a Qt signal in the event loop (self-pipe trick): a
// signal handler may only write(2), everything else happens in signalReceived.
namespace spotkeeper::headless {

class UnixSignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(const QList<int> &watched, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;
    Q_DISABLE_COPY_MOVE(UnixSignalWatcher)

signals:
    void signalReceived(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace spotkeeper::headless
