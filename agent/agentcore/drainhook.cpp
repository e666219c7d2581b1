// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/drainhook.h"

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

DrainHook::DrainHook(QObject *parent)
    : QObject(parent)
{ }

void DrainHook::run(const QString &command, int timeoutMs, const protocol::ScheduledEvent &event,
                    std::function<void(bool, const QString &)> done)
{
    QProcessEnvironment env = BoundedCommand::scrubbedEnvironment();
    env.insert(u"SPOTKEEPER_EVENT_ID"_s, event.eventId);
    env.insert(u"SPOTKEEPER_EVENT_TYPE"_s, event.eventTypeText);
    env.insert(u"SPOTKEEPER_EVENT_STATUS"_s, protocol::toString(event.eventStatus));
    env.insert(u"SPOTKEEPER_NOT_BEFORE"_s,
               event.notBefore.isValid() ? event.notBefore.toString(Qt::ISODate) : QString());
    m_command.run(command, timeoutMs, env, BoundedCommand::Output::Forwarded, std::move(done));
}

} // namespace spotkeeper::agent
