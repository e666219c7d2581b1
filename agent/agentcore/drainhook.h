// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/messages.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

#include <functional>

// Runs the operator's drain command before the agent approves a Preempt/Terminate
// (e.g. "kubectl drain" or stopping a job cleanly). It gets the event in
// SPOTKEEPER_EVENT_ID / _TYPE / _STATUS / _NOT_BEFORE, its output goes to the agent's
// stderr, and it is killed when the time limit passes: an eviction will not wait.
namespace spotkeeper::agent {

class DrainHook final : public QObject
{
    Q_OBJECT
public:
    explicit DrainHook(QObject *parent = nullptr);
    ~DrainHook() override;
    Q_DISABLE_COPY_MOVE(DrainHook)

    // done(ok, outcome) is called exactly once; ok is false on a non-zero exit, a
    // crash, a failure to start or the time limit.
    void run(const QString &command, int timeoutMs, const protocol::ScheduledEvent &event,
             std::function<void(bool ok, const QString &outcome)> done);
    bool isRunning() const { return m_process != nullptr; }

private:
    void finish(bool ok, const QString &outcome);

    QProcess *m_process = nullptr;
    QTimer m_deadline;
    bool m_timedOut = false;
    std::function<void(bool, const QString &)> m_done;
};

} // namespace spotkeeper::agent
