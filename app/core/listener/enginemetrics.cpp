// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/enginemetrics.h"

#include "azure/armrequestqueue.h"
#include "engine/agentwatch.h"
#include "engine/reconciler.h"
#include "engine/restartengine.h"
#include "listener/listenermetrics.h"

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {
void counterMap(QByteArray &out, QByteArrayView name, QByteArrayView help, const QString &label,
                const QMap<QString, qint64> &values)
{
    ListenerMetrics::appendHeader(out, name, "counter", help);
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        ListenerMetrics::appendSample(out, name, {{label, it.key()}}, double(it.value()));
}
void counter(QByteArray &out, QByteArrayView name, QByteArrayView help, qint64 value)
{
    ListenerMetrics::appendHeader(out, name, "counter", help);
    ListenerMetrics::appendSample(out, name, {}, double(value));
}
} // namespace

EngineMetrics::EngineMetrics(QObject *parent)
    : QObject(parent)
{ }

EngineMetrics::~EngineMetrics() = default;

void EngineMetrics::watch(RestartEngine &engine)
{
    connect(&engine, &RestartEngine::restartAttempted, this,
            [this](qint64, int, FailureClass failure) { ++m_startCalls[toString(failure)]; });
    connect(&engine, &RestartEngine::restartSucceeded, this, [this] { ++m_recovered; });
    connect(&engine, &RestartEngine::needsOperator, this, [this] { ++m_needsOperator; });
    connect(&engine, &RestartEngine::alertRaised, this, [this] { ++m_alerts; });
    connect(&engine, &RestartEngine::evictionRecorded, this,
            [this](qint64, const QString &source) { ++m_evictions[source]; });
}

void EngineMetrics::watch(Reconciler &reconciler)
{
    connect(&reconciler, &Reconciler::sweepFinished, this, [this](const SweepStats &stats) {
        ++m_sweeps[stats.ok ? u"ok"_s : u"failed"_s];
        m_listCalls += stats.armCalls;
    });
}

void EngineMetrics::watch(AgentWatch &watch)
{
    connect(&watch, &AgentWatch::agentSilent, this, [this] { ++m_silentAgentAlerts; });
}

void EngineMetrics::watch(ArmRequestQueue &queue)
{
    connect(&queue, &ArmRequestQueue::throttled, this, [this] { ++m_throttled; });
    connect(&queue, &ArmRequestQueue::callFinished, this,
            [this](int status, ArmRequestQueue::Kind kind, bool) {
                const QString statusLabel =
                    status > 0 ? QString::number(status) : u"network_error"_s;
                const QString kindLabel = kind == ArmRequestQueue::Kind::Start ? u"start"_s
                    : kind == ArmRequestQueue::Kind::Write                     ? u"write"_s
                                                                               : u"read"_s;
                ++m_armCalls[{statusLabel, kindLabel}];
            });
}

QByteArray EngineMetrics::render() const
{
    QByteArray out;
    counterMap(out, "spotkeeper_restart_start_calls_total",
               "ARM start calls by result (failure class; none = accepted).", u"result"_s,
               m_startCalls);
    counter(out, "spotkeeper_restarts_recovered_total",
            "Restart jobs that ended with the VM running.", m_recovered);
    counter(out, "spotkeeper_restarts_needs_operator_total",
            "Restart jobs stopped until an operator acts.", m_needsOperator);
    counter(out, "spotkeeper_alerts_total", "Still-down alerts raised.", m_alerts);
    counter(out, "spotkeeper_agent_silent_alerts_total",
            "Running VMs whose agent fell silent (alerts raised).", m_silentAgentAlerts);
    counterMap(out, "spotkeeper_evictions_detected_total",
               "Evictions the engine recorded, by source.", u"source"_s, m_evictions);
    counter(out, "spotkeeper_arm_throttled_total", "ARM answers of 429 (throttled).", m_throttled);
    counter(out, "spotkeeper_arm_list_calls_total", "ARM list calls made by reconciler sweeps.",
            m_listCalls);
    {
        const QByteArrayView name = "spotkeeper_arm_requests_total";
        ListenerMetrics::appendHeader(
            out, name, "counter",
            "ARM HTTP calls by status (network_error = no response) and kind (read, write, "
            "start); 401s that were retried with a fresh token count too.");
        for (auto it = m_armCalls.cbegin(); it != m_armCalls.cend(); ++it)
            ListenerMetrics::appendSample(
                out, name, {{u"status"_s, it.key().first}, {u"kind"_s, it.key().second}},
                double(it.value()));
    }
    counterMap(out, "spotkeeper_reconcile_sweeps_total", "Reconciler sweeps by result.",
               u"result"_s, m_sweeps);
    return out;
}

} // namespace spotkeeper::core
