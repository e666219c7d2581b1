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
const QString kRestartLimit = u"restart_limit"_s; // the status of a "no more restarts" alert
} // namespace

QString appHealthDuration(qint64 ms)
{
    // Seconds below two minutes (short settings, as in tests), whole minutes from there on.
    if (ms < 120'000)
        return u"%1 s"_s.arg(ms / 1000);
    return u"%1 min"_s.arg(ms / 60'000);
}

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
    QDateTime limitAlerted; // the last "restart limit" alert of this episode
    int restartsLastHour = 0;
    QDateTime lastRestart;
    for (const EventRecord &e : m_store.events(filter)) {
        if (e.kind == EventKind::Alert && e.eventType == eventtype::kAppUnhealthy.toString()
            && e.at >= vm.appHealthSince) {
            alerted = true;
            if (e.eventStatus == kRestartLimit && (!limitAlerted.isValid() || e.at > limitAlerted))
                limitAlerted = e.at;
        }
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
    const QString duration = appHealthDuration(unhealthyFor);
    const QString detail = vm.appHealthDetail.isEmpty() ? u"unhealthy"_s : vm.appHealthDetail;
    const QString limit = u"%1 restarts in the last hour (at most %2): alert only"_s.arg(
        QString::number(restartsLastHour), QString::number(m_config.restartsPerHour));
    if (!alerted) {
        QString remedy = u"alert only (not opted in to restarts)"_s;
        if (mayRestart)
            remedy = withinLimit ? u"restarting the VM"_s : limit;
        alert(vm, now, unhealthyFor,
              u"application unhealthy for %1 on a running VM (%2); %3"_s.arg(duration, detail,
                                                                             remedy),
              mayRestart && !withinLimit ? kRestartLimit : QString());
    } else if (mayRestart && !withinLimit && settled
               && !(limitAlerted.isValid()
                    && (!lastRestart.isValid() || limitAlerted >= lastRestart))) {
        // The restarts did not bring the application back and the limit stops the next one:
        // operators hear it once (again only after a later restart did not help either).
        alert(
            vm, now, unhealthyFor,
            u"application still unhealthy for %1 on a running VM (%2) after the restarts; %3"_s.arg(
                duration, detail, limit),
            kRestartLimit);
    }
    if (!mayRestart || !withinLimit || !settled)
        return;
    const OperationResult result =
        m_restart(vm.id, u"application unhealthy for %1 (%2)"_s.arg(duration, detail));
    if (result.status == OperationResult::Status::Ok)
        Q_EMIT restartRequested(vm.id);
}

void AppHealthWatch::alert(const VmRecord &vm, const QDateTime &now, qint64 unhealthyForMs,
                           const QString &message, const QString &status)
{
    EventRecord event;
    event.vmId = vm.id;
    event.kind = EventKind::Alert;
    event.at = now;
    event.source = u"engine"_s;
    event.eventType = eventtype::kAppUnhealthy.toString();
    event.eventStatus = status;
    event.message = message;
    if (m_store.appendEvent(event) > 0)
        Q_EMIT applicationUnhealthy(vm.id, unhealthyForMs);
}

} // namespace spotkeeper::core
