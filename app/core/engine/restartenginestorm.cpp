// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine in a storm: many jobs of one subscription read their power states from one
// paged statusOnly list (50 VMs a read) instead of one GET each, and accepted starts are
// confirmed by the same list instead of one operation poll each (issue 12, point 5).
#include "base/clock.h"
#include "engine/restartengine.h"
#include "store/store.h"

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

bool RestartEngine::inStorm(const Tracked &t)
{
    if (m_config.listPowerThreshold <= 0 || t.subscriptionKey.isEmpty())
        return false;
    if (m_jobsBySubscriptionDirty) {
        m_jobsBySubscription.clear();
        for (const Tracked &other : std::as_const(m_jobs))
            ++m_jobsBySubscription[other.subscriptionKey];
        m_jobsBySubscriptionDirty = false;
    }
    return m_jobsBySubscription.value(t.subscriptionKey) >= m_config.listPowerThreshold;
}

void RestartEngine::wantPowerList(const QString &subscriptionKey)
{
    PowerList &list = m_powerLists[subscriptionKey];
    list.wanted = true;
    if (!list.nextAt.isValid())
        list.nextAt = now();
}

void RestartEngine::processPowerLists()
{
    const QDateTime at = now();
    QStringList due;
    for (auto it = m_powerLists.cbegin(); it != m_powerLists.cend(); ++it) {
        if (it->wanted && !it->inFlight && (!it->nextAt.isValid() || it->nextAt <= at))
            due.append(it.key());
    }
    for (const QString &key : std::as_const(due))
        startPowerList(key);
}

void RestartEngine::startPowerList(const QString &subscriptionKey)
{
    PowerList &list = m_powerLists[subscriptionKey];
    const qint64 nowMs = m_clock.nowMSecs();
    RateBudget &subRead = budget(m_subRead, subscriptionKey, m_config.budgets.subscriptionReads);
    if (const qint64 earliest = subRead.earliestMs(nowMs); earliest > nowMs) {
        list.nextAt = QDateTime::fromMSecsSinceEpoch(earliest, Qt::UTC);
        return;
    }
    subRead.tryTake(nowMs); // the first page; the others are charged when the list is in
    list.wanted = false;
    list.inFlight = true;
    m_cloud.listVms(subscriptionKey, true,
                    [alive = m_alive, this, subscriptionKey](ListResult result) {
                        if (*alive)
                            handlePowerList(subscriptionKey, result);
                    });
}

void RestartEngine::handlePowerList(const QString &subscriptionKey, const ListResult &result)
{
    const QDateTime at = now();
    PowerList &list = m_powerLists[subscriptionKey];
    list.inFlight = false;
    list.nextAt = at.addMSecs(m_config.listPowerIntervalMs);
    if (result.pages > 1)
        budget(m_subRead, subscriptionKey, m_config.budgets.subscriptionReads)
            .charge(m_clock.nowMSecs(), result.pages - 1);

    QList<qint64> ids;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
        if (it->subscriptionKey == subscriptionKey && !it->inFlight)
            ids.append(it.key());
    }
    if (!result.call.ok()) {
        // Throttled or down: the waiting jobs look again after the usual poll interval (or
        // the Retry-After), each asking for the next list.
        QDateTime retry = at.addMSecs(m_config.deallocationPollMs);
        if (result.call.retryAfter.isValid() && result.call.retryAfter > retry)
            retry = result.call.retryAfter;
        if (result.call.failure == FailureClass::Throttled)
            budget(m_subRead, subscriptionKey, m_config.budgets.subscriptionReads)
                .blockUntil(retry.toMSecsSinceEpoch());
        list.nextAt = std::max(list.nextAt, retry);
        for (qint64 vmId : std::as_const(ids)) {
            auto it = m_jobs.find(vmId);
            if (it != m_jobs.end() && it->awaitingList) {
                it->awaitingList = false;
                it->dueAt = retry;
            }
        }
        reschedule();
        return;
    }
    QHash<QString, PowerState> listed;
    listed.reserve(result.vms.size());
    for (const VmRecord &vm : result.vms)
        listed.insert(vm.resourceKey.isEmpty() ? vm.resourceId.toLower() : vm.resourceKey,
                      vm.powerState);
    for (qint64 vmId : std::as_const(ids)) {
        auto it = m_jobs.find(vmId);
        if (it == m_jobs.end() || it->inFlight)
            continue;
        const auto found = listed.constFind(it->resourceKey);
        if (found == listed.cend() || *found == PowerState::Unknown) {
            if (it->awaitingList) { // a list cannot answer for this VM: one GET
                it->awaitingList = false;
                it->listMissed = true;
                it->dueAt = at;
            }
            continue;
        }
        observePowerState(vmId, *found);
    }
    // Keep listing while jobs still wait on it (deallocation, accepted starts).
    for (const Tracked &t : std::as_const(m_jobs)) {
        if (t.subscriptionKey == subscriptionKey
            && (t.awaitingList || (t.job.state == JobState::Starting && t.acceptedAt.isValid()))) {
            list.wanted = true;
            break;
        }
    }
    reschedule();
}

bool RestartEngine::handleStartAccepted(qint64 vmId, const StartResult &result, EventRecord event)
{
    // Accepted, not followed (a storm): persist the URL (a restarted engine follows it), then
    // let the subscription's power list confirm the start.
    auto it = m_jobs.find(vmId);
    it->job.asyncOperationUrl = result.asyncOperationUrl;
    it->job.updatedAt = now();
    event.message = u"start attempt "_s + QString::number(it->job.attempt)
        + u" accepted; confirming by the power-state list"_s;
    if (!m_store.saveJobIfUnchanged(it->job, &event)) {
        if (m_store.lastError().code == StoreError::Code::Conflict)
            loseJob(vmId, m_store.lastError().message);
        else
            Q_EMIT storeFailed(u"cannot save the async operation URL: "_s
                               + m_store.lastError().message);
        return false;
    }
    it->acceptedAt = now();
    it->observedAt = QDateTime();
    it->dueAt = now().addMSecs(m_config.startConfirmTimeoutMs); // then follow the operation
    wantPowerList(it->subscriptionKey);
    return true;
}

} // namespace spotkeeper::core
