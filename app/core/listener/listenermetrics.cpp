// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listenermetrics.h"

#include "clock.h"
#include "fleettypes.h"
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

QByteArray ListenerMetrics::render(Store &store, Clock &clock,
                                   const std::function<QByteArray()> &extra) const
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

    // Fleet gauges straight from the store, so they are right after a restart too.
    const QList<VmRecord> vms = store.vms();
    const QList<JobRecord> jobs = store.activeJobs();
    const bool storeUp = store.lastError().code == StoreError::Code::None;
    appendHeader(out, "spotkeeper_store_up", "gauge", "1 if the store answered the last query.");
    appendSample(out, "spotkeeper_store_up", {}, storeUp ? 1 : 0);
    if (storeUp) {
        appendHeader(out, "spotkeeper_vms", "gauge", "VMs in the fleet.");
        appendSample(out, "spotkeeper_vms", {}, double(vms.size()));

        constexpr std::array kStates = {JobState::WaitingForDeallocation, JobState::Starting,
                                        JobState::BackingOff, JobState::NeedsOperator,
                                        JobState::Paused};
        appendHeader(out, "spotkeeper_jobs", "gauge", "Non-terminal restart jobs, by state.");
        qint64 oldestWaitingMs = 0;
        const qint64 now = clock.nowMSecs();
        for (const JobState state : kStates) {
            qint64 count = 0;
            for (const JobRecord &job : jobs) {
                if (job.state != state)
                    continue;
                ++count;
                if (state == JobState::WaitingForDeallocation || state == JobState::BackingOff)
                    oldestWaitingMs =
                        std::max(oldestWaitingMs, now - job.createdAt.toMSecsSinceEpoch());
            }
            appendSample(out, "spotkeeper_jobs", {{u"state"_s, toString(state)}}, double(count));
        }
        appendHeader(out, "spotkeeper_oldest_waiting_job_age_seconds", "gauge",
                     "Age of the oldest job waiting for deallocation or backing off.");
        appendSample(out, "spotkeeper_oldest_waiting_job_age_seconds", {},
                     double(oldestWaitingMs) / 1000.0);

        EventFilter evictions;
        evictions.kinds = {EventKind::Eviction};
        appendHeader(out, "spotkeeper_evictions_total", "counter",
                     "Evictions recorded in the store.");
        appendSample(out, "spotkeeper_evictions_total", {}, double(store.eventCount(evictions)));
        EventFilter notices;
        notices.kinds = {EventKind::Notice};
        appendHeader(out, "spotkeeper_notices_stored_total", "counter",
                     "Agent notices recorded in the store.");
        appendSample(out, "spotkeeper_notices_stored_total", {}, double(store.eventCount(notices)));
    }
    if (extra)
        out += extra();
    return out;
}

} // namespace spotkeeper::core
