// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/boundedcommand.h"
#include "protocol/messages.h"

#include <QObject>

#include <functional>

// Runs the operator's drain command before the agent approves a Preempt/Terminate
// (e.g. "kubectl drain" or stopping a job cleanly). It gets the event in
// SPOTKEEPER_EVENT_ID / _TYPE / _STATUS / _NOT_BEFORE, its output goes to the agent's
// stderr, and it is killed when the time limit passes: an eviction will not wait. It runs as
// every operator command of the agent does (boundedcommand.h).
namespace spotkeeper::agent {

class DrainHook final : public QObject
{
    Q_OBJECT
public:
    explicit DrainHook(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DrainHook)

    // done(ok, outcome) is called exactly once; ok is false on a non-zero exit, a
    // crash, a failure to start or the time limit.
    void run(const QString &command, int timeoutMs, const protocol::ScheduledEvent &event,
             std::function<void(bool ok, const QString &outcome)> done);
    bool isRunning() const { return m_command.isRunning(); }

private:
    BoundedCommand m_command;
};

} // namespace spotkeeper::agent
