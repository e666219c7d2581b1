// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/boundedcommand.h"

#include <QPointer>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

BoundedCommand::BoundedCommand(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_process)
            return;
        m_timedOut = true;
        m_process->kill();
    });
}

BoundedCommand::~BoundedCommand()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

QProcessEnvironment BoundedCommand::scrubbedEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // An operator's command has no business with the agent's key.
    env.remove(u"SPOTKEEPER_AGENT_KEY"_s);
    env.remove(u"WEBHOOK_API_KEY"_s);
    return env;
}

void BoundedCommand::run(const QString &command, int timeoutMs,
                         const QProcessEnvironment &environment, Output output,
                         std::function<void(bool, const QString &)> done)
{
    const QStringList parts = QProcess::splitCommand(command);
    if (m_process || parts.isEmpty()) {
        const QString why = m_process ? u"the previous run is still going"_s : u"empty command"_s;
        QTimer::singleShot(0, this, [done = std::move(done), why] { done(false, why); });
        return;
    }
    m_done = std::move(done);
    m_timedOut = false;
    m_process = new QProcess(this);
    m_process->setProcessEnvironment(environment);
    if (output == Output::Forwarded) {
        m_process->setProcessChannelMode(QProcess::ForwardedChannels);
    } else {
        m_process->setStandardOutputFile(QProcess::nullDevice());
        m_process->setStandardErrorFile(QProcess::nullDevice());
    }
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && m_process)
            finish(false, u"failed to start: "_s + m_process->errorString());
    });
    connect(m_process, &QProcess::finished, this,
            [this, timeoutMs](int code, QProcess::ExitStatus status) {
                if (m_timedOut)
                    finish(false, u"killed after the %1 ms time limit"_s.arg(timeoutMs));
                else if (status == QProcess::CrashExit)
                    finish(false, u"crashed"_s);
                else
                    finish(code == 0, u"exited with status %1"_s.arg(code));
            });
    m_deadline.start(timeoutMs);
    m_process->start(parts.first(), parts.mid(1));
}

void BoundedCommand::finish(bool ok, const QString &outcome)
{
    m_deadline.stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    if (auto done = std::exchange(m_done, {}))
        done(ok, outcome);
}

} // namespace spotkeeper::agent
