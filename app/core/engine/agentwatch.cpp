// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/agentwatch.h"

#include "base/clock.h"
#include "fleet/eventtypes.h"
#include "fleet/fleettypes.h"
#include "store/store.h"

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QString minutesText(qint64 ms)
{
    const qint64 minutes = ms / 60'000;
    return minutes > 0 ? QString::number(minutes) + u" min"_s
                       : QString::number(ms / 1000) + u" s"_s;
}

EventRecord watchEvent(EventKind kind, const QString &type, const QDateTime &at,
                       const QString &message)
{
    EventRecord event;
    event.kind = kind;
    event.at = at;
    event.source = u"engine"_s;
    event.eventType = type;
    event.message = message;
    return event;
}

} // namespace

AgentWatch::AgentWatch(Store &store, base::Clock &clock, AgentWatchConfig config, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
    , m_config(config)
{
    m_timer.setInterval(int(std::clamp<qint64>(m_config.checkIntervalMs, 1000, 3'600'000)));
    connect(&m_timer, &QTimer::timeout, this, &AgentWatch::check);
}

AgentWatch::~AgentWatch() = default;

void AgentWatch::start()
{
    check();
    m_timer.start();
}

void AgentWatch::stop()
{
    m_timer.stop();
}

void AgentWatch::check()
{
    const QDateTime now = m_clock.nowUtc();
    const qint64 silentAfter = m_config.silentAfterMs();
    const QList<VmRecord> vms = m_store.vms();
    for (const VmRecord &vm : vms) {
        const bool running =
            vm.powerState == PowerState::Running && vm.desiredState == DesiredState::Running;
        // Silence counts from the last heartbeat, or from the VM's return to running if that
        // is later (its agent is still booting).
        QDateTime quietSince = vm.agentLastSeen;
        if (quietSince.isValid() && vm.powerStateAt.isValid() && vm.powerStateAt > quietSince)
            quietSince = vm.powerStateAt;
        const qint64 silentFor = quietSince.isValid() ? quietSince.msecsTo(now) : 0;
        const bool silent =
            silentAfter > 0 && running && quietSince.isValid() && silentFor >= silentAfter;

        if (!vm.agentSilentSince.isValid()) {
            if (!silent)
                continue;
            const QString message = u"agent silent for "_s + minutesText(silentFor)
                + u" on a running VM (last heartbeat "_s + vm.agentLastSeen.toString(Qt::ISODate)
                + u')';
            if (m_store.setAgentSilent(
                    vm.id, now,
                    watchEvent(EventKind::Alert, eventtype::kAgentSilent.toString(), now, message)))
                Q_EMIT agentSilent(vm.id, silentFor);
            continue;
        }
        if (silent)
            continue; // still silent: alerted once
        const qint64 flaggedFor = std::max<qint64>(0, vm.agentSilentSince.msecsTo(now));
        if (running && silentAfter > 0 && vm.agentLastSeen > vm.agentSilentSince) {
            // A heartbeat came: the agent is back. It was quiet from about silentAfter before
            // the flag until that heartbeat.
            const qint64 silentTotal =
                std::max<qint64>(0, vm.agentSilentSince.msecsTo(vm.agentLastSeen) + silentAfter);
            const QString message = u"agent heartbeats resumed after "_s + minutesText(silentTotal);
            if (m_store.setAgentSilent(
                    vm.id, QDateTime(),
                    watchEvent(EventKind::Heartbeat, u"agent_resumed"_s, now, message)))
                Q_EMIT agentResumed(vm.id, silentTotal);
            continue;
        }
        // Not running any more, restarted since (its agent gets the grace again), or the
        // watch was turned off: no alert, the flag goes.
        QString message = u"silent-agent alerts turned off"_s;
        if (silentAfter > 0 && running)
            message = u"VM running again since "_s + vm.powerStateAt.toString(Qt::ISODate)
                + u": its agent gets the grace of a fresh start"_s;
        else if (silentAfter > 0)
            message = u"VM "_s + toString(vm.powerState)
                + u": its agent is expected to be silent (flag cleared after "_s
                + minutesText(flaggedFor) + u')';
        m_store.setAgentSilent(
            vm.id, QDateTime(),
            watchEvent(EventKind::Heartbeat, u"agent_silence_cleared"_s, now, message));
    }
}

} // namespace spotkeeper::core
