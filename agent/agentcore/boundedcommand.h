// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

#include <functional>

// One operator command with a time limit, as the agent runs its drain hook and its
// application health probe: split like a shell would split it (no shell), started with the
// scrubbed environment (the agent's own secrets removed) plus what the caller adds, stdin
// from the null device, killed when the limit passes.
namespace spotkeeper::agent {

class BoundedCommand final : public QObject
{
    Q_OBJECT
public:
    enum class Output { Forwarded, Discarded }; // to the agent's stdout/stderr, or dropped

    explicit BoundedCommand(QObject *parent = nullptr);
    ~BoundedCommand() override;
    Q_DISABLE_COPY_MOVE(BoundedCommand)

    // The agent's environment without the variables that carry its key.
    static QProcessEnvironment scrubbedEnvironment();

    // done(ok, outcome) is called exactly once, never from inside run(); ok is false on a
    // non-zero exit, a crash, a failure to start or the time limit ("killed after the N ms
    // time limit"). A run while one is still going fails at once.
    void run(const QString &command, int timeoutMs, const QProcessEnvironment &environment,
             Output output, std::function<void(bool ok, const QString &outcome)> done);
    bool isRunning() const { return m_process != nullptr; }

private:
    void finish(bool ok, const QString &outcome);

    QProcess *m_process = nullptr;
    QTimer m_deadline;
    bool m_timedOut = false;
    std::function<void(bool, const QString &)> m_done;
};

} // namespace spotkeeper::agent
