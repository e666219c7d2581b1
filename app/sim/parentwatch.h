// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <memory>

// Ends spotkeeper-sim when the process that started it is gone, even when that process
// was killed by a signal (kill -9) and could not stop its child: the dashboard's demo
// must not leave a simulator running. Three independent triggers, any one suffices:
// Linux's parent-death signal (prctl PR_SET_PDEATHSIG, SIGTERM), end of file on stdin
// when stdin is a pipe (its write end lives in the parent, so the kernel closes it when
// the parent dies), and a once-a-second check that getppid() is still the parent.
namespace spotkeeper::sim {

class ParentWatch final : public QObject
{
    Q_OBJECT
public:
    explicit ParentWatch(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ParentWatch)

    // expectedParent: the parent's pid (0 = whatever getppid() is now). False (and *error)
    // when the parent is already gone: the caller exits at once.
    bool arm(qint64 expectedParent, QString *error);

signals:
    void parentGone(const QString &why);

private:
    void check();
    qint64 m_parent = 0;
    std::unique_ptr<QSocketNotifier> m_stdin;
    QTimer m_poll;
    bool m_reported = false;
};

} // namespace spotkeeper::sim
