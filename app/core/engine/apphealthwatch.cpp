// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/apphealthwatch.h"

#include "fleet/eventtypes.h"
#include "fleet/fleettypes.h"
#include "store/store.h"

#include <algorithm>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kHourMs = 3'600'000;
const QString kRestartType = u"app_restart"_s;
const QString kRequested = u"requested"_s;
} // namespace

AppHealthWatch::AppHealthWatch(Store &store, base::Clock &clock, AppHealthWatchConfig config,
                               Restarter restart, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
    , m_config(std::move(config))
    , m_restart(std::move(restart))
{
    m_timer.setInterval(int(std::clamp<qint64>(m_config.checkIntervalMs, 1000, 3'600'000)));
    connect(&m_timer, &QTimer::timeout, this, &AppHealthWatch::check);
}

AppHealthWatch::~AppHealthWatch() = default;

void AppHealthWatch::start()
{
    check();
    m_timer.start();
}

void AppHealthWatch::stop()
{
    m_timer.stop();
}

bool AppHealthWatch::optedIn(const VmRecord &vm) const
{
    switch (m_config.restart) {
    case AppHealthWatchConfig::Restart::All:
        return true;
    case AppHealthWatchConfig::Restart::Tagged:
        return vm.tags.value(m_config.restartTag).compare("true"_L1, Qt::CaseInsensitive) == 0;
    case AppHealthWatchConfig::Restart::Off:
        break;
    }
    return false;
}

void AppHealthWatch::check()
{
    if (m_config.unhealthyAfterMs <= 0)
        return;
    const QDateTime now = m_clock.nowUtc();
    for (const VmRecord &vm : m_store.vms()) {
        if (isAppUnhealthy(vm) && vm.appHealthSince.isValid()
            && vm.appHealthSince.msecsTo(now) >= m_config.unhealthyAfterMs)
            checkVm(vm, now);
    }
}

void AppHealthWatch::checkVm(const VmRecord &vm, const QDateTime &now)
{
    if (m_store.activeJob(vm.id))
        return; // a restart job decides (it waits for the application itself)
    const qint64 unhealthyFor = vm.appHealthSince.msecsTo(now);
    EventFilter filter;
    filter.vmId = vm.id;
    filter.kinds = {EventKind::Alert, EventKind::RestartAttempt};
    filter.from = std::min(vm.appHealthSince, now.addMSecs(-kHourMs));
    filter.limit = 10'000;
    bool alerted = false;
    int restartsLastHour = 0;
    QDateTime lastRestart;
    for (const EventRecord &e : m_store.events(filter)) {
        if (e.kind == EventKind::Alert && e.eventType == eventtype::kAppUnhealthy.toString()
            && e.at >= vm.appHealthSince)
            alerted = true;
        if (e.kind == EventKind::RestartAttempt && e.eventType == kRestartType
            && e.eventStatus == kRequested) {
            if (e.at.msecsTo(now) < kHourMs)
                ++restartsLastHour;
            if (!lastRestart.isValid() || e.at > lastRestart)
                lastRestart = e.at;
        }
    }
    const bool mayRestart = m_restart && optedIn(vm);
    const bool withinLimit = restartsLastHour < m_config.restartsPerHour;
    const bool settled =
        !lastRestart.isValid() || lastRestart.msecsTo(now) >= m_config.unhealthyAfterMs;
    const QString minutes = QString::number(unhealthyFor / 60'000);
    const QString detail = vm.appHealthDetail.isEmpty() ? u"unhealthy"_s : vm.appHealthDetail;
    if (!alerted) {
        QString remedy = u"alert only (not opted in to restarts)"_s;
        if (mayRestart)
            remedy = withinLimit
                ? u"restarting the VM"_s
                : u"%1 restarts in the last hour: alert only"_s.arg(restartsLastHour);
        EventRecord alert;
        alert.vmId = vm.id;
        alert.kind = EventKind::Alert;
        alert.at = now;
        alert.source = u"engine"_s;
        alert.eventType = eventtype::kAppUnhealthy.toString();
        alert.message = u"application unhealthy for %1 min on a running VM (%2); %3"_s.arg(
            minutes, detail, remedy);
        if (m_store.appendEvent(alert) > 0)
            Q_EMIT applicationUnhealthy(vm.id, unhealthyFor);
    }
    if (!mayRestart || !withinLimit || !settled)
        return;
    const OperationResult result =
        m_restart(vm.id, u"application unhealthy for %1 min (%2)"_s.arg(minutes, detail));
    if (result.status == OperationResult::Status::Ok)
        Q_EMIT restartRequested(vm.id);
}

} // namespace spotkeeper::core
