// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/listenermetrics.h"

#include "base/clock.h"
#include "fleet/fleettypes.h"
#include "store/store.h"

#include <algorithm>
#include <array>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QByteArray escapeLabel(const QString &value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

constexpr std::array kJobStates = {JobState::WaitingForDeallocation, JobState::Starting,
                                   JobState::BackingOff, JobState::NeedsOperator, JobState::Paused};

template<typename Map>
void appendCounterMap(QByteArray &out, QByteArrayView name, QByteArrayView help,
                      const QString &label, const Map &values)
{
    ListenerMetrics::appendHeader(out, name, "counter", help);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        QString key;
        if constexpr (std::is_same_v<typename Map::key_type, int>)
            key = QString::number(it.key());
        else
            key = it.key();
        ListenerMetrics::appendSample(out, name, {{label, key}}, double(it.value()));
    }
}

} // namespace

void ListenerMetrics::countBatch(int size, qint64 commitMicroseconds)
{
    ++m_batches;
    m_batchedNotices += size;
    m_commitUs = commitMicroseconds;
}

void ListenerMetrics::appendHeader(QByteArray &out, QByteArrayView name, QByteArrayView type,
                                   QByteArrayView help)
{
    out += "# HELP " + name.toByteArray() + ' ' + help.toByteArray() + '\n';
    out += "# TYPE " + name.toByteArray() + ' ' + type.toByteArray() + '\n';
}

void ListenerMetrics::appendSample(QByteArray &out, QByteArrayView name,
                                   const QMap<QString, QString> &labels, double value)
{
    out += name.toByteArray();
    if (!labels.isEmpty()) {
        out += '{';
        bool first = true;
        for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
            if (!first)
                out += ',';
            first = false;
            out += it.key().toUtf8() + "=\"" + escapeLabel(it.value()) + '"';
        }
        out += '}';
    }
    out += ' ' + QByteArray::number(value, 'g', 15) + '\n';
}

void ListenerMetrics::setStoreGaugeTtlMs(qint64 ms)
{
    m_storeGaugeTtlMs = ms;
    m_gaugesReadMs = -1; // the next scrape reads
}

void ListenerMetrics::readStoreGauges(Store &store, qint64 nowMs)
{
    static_assert(kJobStates.size() == std::tuple_size_v<decltype(StoreGauges::jobs)>);
    ++m_storeGaugeReads;
    m_gaugesReadMs = nowMs;
    StoreGauges g;
    const QList<VmRecord> vms = store.vms();
    g.vms = vms.size();
    g.silentAgents = std::count_if(vms.cbegin(), vms.cend(), isAgentSilent);
    const QList<JobRecord> jobs = store.activeJobs();
    EventFilter evictions;
    evictions.kinds = {EventKind::Eviction};
    g.evictions = store.eventCount(evictions);
    EventFilter notices;
    notices.kinds = {EventKind::Notice};
    g.notices = store.eventCount(notices);
    g.up = store.lastError().code == StoreError::Code::None;
    for (const JobRecord &job : jobs) {
        const auto state = std::find(kJobStates.cbegin(), kJobStates.cend(), job.state);
        if (state == kJobStates.cend())
            continue;
        ++g.jobs.at(size_t(state - kJobStates.cbegin()));
        if (job.state == JobState::WaitingForDeallocation || job.state == JobState::BackingOff) {
            const qint64 created = job.createdAt.toMSecsSinceEpoch();
            if (g.oldestWaitingCreatedMs < 0 || created < g.oldestWaitingCreatedMs)
                g.oldestWaitingCreatedMs = created;
        }
    }
    m_gauges = g;
}

QByteArray ListenerMetrics::render(Store &store, base::Clock &clock,
                                   const std::function<QByteArray()> &extra)
{
    QByteArray out;
    out.reserve(4096);
    appendCounterMap(out, "spotkeeper_listener_notices_total",
                     "Signed notices answered, by result (stored, duplicate, failed).", u"result"_s,
                     m_notices);
    appendCounterMap(out, "spotkeeper_listener_heartbeats_total",
                     "Signed heartbeats answered, by result.", u"result"_s, m_heartbeats);
    appendCounterMap(out, "spotkeeper_listener_rejections_total",
                     "Requests the listener refused, by reason.", u"reason"_s, m_rejections);
    appendCounterMap(out, "spotkeeper_listener_responses_total",
                     "Responses sent by the listener, by HTTP status.", u"status"_s, m_responses);
    appendHeader(out, "spotkeeper_listener_commit_batches_total", "counter",
                 "Group-commit transactions of notices.");
    appendSample(out, "spotkeeper_listener_commit_batches_total", {}, double(m_batches));
    appendHeader(out, "spotkeeper_listener_committed_notices_total", "counter",
                 "Notices that went through a group commit (incl. duplicates).");
    appendSample(out, "spotkeeper_listener_committed_notices_total", {}, double(m_batchedNotices));
    appendHeader(out, "spotkeeper_listener_commit_seconds_total", "counter",
                 "Time spent committing notice batches to the store.");
    appendSample(out, "spotkeeper_listener_commit_seconds_total", {}, double(m_commitUs) / 1e6);
    appendHeader(out, "spotkeeper_listener_heartbeat_batches_total", "counter",
                 "Transactions writing coalesced heartbeats.");
    appendSample(out, "spotkeeper_listener_heartbeat_batches_total", {},
                 double(m_heartbeatBatches));
    appendHeader(out, "spotkeeper_listener_heartbeat_writes_total", "counter",
                 "VM heartbeats written to the store (at most one per VM per batch).");
    appendSample(out, "spotkeeper_listener_heartbeat_writes_total", {},
                 double(m_heartbeatsWritten));

    // Fleet gauges from the store, so they are right after a restart too; read at most once
    // per TTL so that polling /metrics costs the event loop next to nothing.
    const qint64 now = clock.nowMSecs();
    if (m_gaugesReadMs < 0 || m_storeGaugeTtlMs <= 0 || now < m_gaugesReadMs
        || now - m_gaugesReadMs >= m_storeGaugeTtlMs)
        readStoreGauges(store, now);
    appendHeader(out, "spotkeeper_store_up", "gauge", "1 if the store answered the last query.");
    appendSample(out, "spotkeeper_store_up", {}, m_gauges.up ? 1 : 0);
    appendHeader(out, "spotkeeper_store_gauges_age_seconds", "gauge",
                 "Seconds since the store gauges (store_up, vms, jobs, evictions_total, "
                 "notices_stored_total) were read; they are read at most every few seconds.");
    appendSample(out, "spotkeeper_store_gauges_age_seconds", {},
                 double(qMax<qint64>(0, now - m_gaugesReadMs)) / 1000.0);
    if (m_gauges.up) {
        appendHeader(out, "spotkeeper_vms", "gauge", "VMs in the fleet.");
        appendSample(out, "spotkeeper_vms", {}, double(m_gauges.vms));
        appendHeader(out, "spotkeeper_agents_silent", "gauge",
                     "Running VMs whose agent has been silent too long (agent dead, VM up).");
        appendSample(out, "spotkeeper_agents_silent", {}, double(m_gauges.silentAgents));
        appendHeader(out, "spotkeeper_jobs", "gauge", "Non-terminal restart jobs, by state.");
        for (size_t i = 0; i < kJobStates.size(); ++i)
            appendSample(out, "spotkeeper_jobs", {{u"state"_s, toString(kJobStates.at(i))}},
                         double(m_gauges.jobs.at(i)));
        appendHeader(out, "spotkeeper_oldest_waiting_job_age_seconds", "gauge",
                     "Age of the oldest job waiting for deallocation or backing off.");
        const qint64 oldestMs = m_gauges.oldestWaitingCreatedMs < 0
            ? 0
            : std::max<qint64>(0, now - m_gauges.oldestWaitingCreatedMs);
        appendSample(out, "spotkeeper_oldest_waiting_job_age_seconds", {},
                     double(oldestMs) / 1000.0);
        appendHeader(out, "spotkeeper_evictions_total", "counter",
                     "Evictions recorded in the store.");
        appendSample(out, "spotkeeper_evictions_total", {}, double(m_gauges.evictions));
        appendHeader(out, "spotkeeper_notices_stored_total", "counter",
                     "Agent notices recorded in the store.");
        appendSample(out, "spotkeeper_notices_stored_total", {}, double(m_gauges.notices));
    }
    if (extra)
        out += extra();
    return out;
}

} // namespace spotkeeper::core
