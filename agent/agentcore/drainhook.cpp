// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/drainhook.h"

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

DrainHook::DrainHook(QObject *parent)
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

DrainHook::~DrainHook()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void DrainHook::run(const QString &command, int timeoutMs, const protocol::ScheduledEvent &event,
                    std::function<void(bool, const QString &)> done)
{
    const QStringList parts = QProcess::splitCommand(command);
    if (m_process || parts.isEmpty()) {
        done(false,
             m_process ? u"another drain hook is still running"_s : u"empty drain-hook command"_s);
        return;
    }
    m_done = std::move(done);
    m_timedOut = false;
    m_process = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"SPOTKEEPER_AGENT_KEY"_s); // the hook has no business with the agent's key
    env.remove(u"WEBHOOK_API_KEY"_s);
    env.insert(u"SPOTKEEPER_EVENT_ID"_s, event.eventId);
    env.insert(u"SPOTKEEPER_EVENT_TYPE"_s, event.eventTypeText);
    env.insert(u"SPOTKEEPER_EVENT_STATUS"_s, protocol::toString(event.eventStatus));
    env.insert(u"SPOTKEEPER_NOT_BEFORE"_s,
               event.notBefore.isValid() ? event.notBefore.toString(Qt::ISODate) : QString());
    m_process->setProcessEnvironment(env);
    m_process->setProcessChannelMode(QProcess::ForwardedChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
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

void DrainHook::finish(bool ok, const QString &outcome)
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
