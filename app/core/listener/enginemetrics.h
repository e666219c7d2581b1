// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMap>
#include <QObject>

// Counts what the restart engine, the reconciler and the ARM request queue report
// through their signals, for /metrics: start calls by result (the failure class of
// each ARM start call), recoveries, needs-operator stops, evictions by source,
// ARM HTTP calls by status and kind, throttling and reconciler sweeps. Counters restart at zero
// with the process, as Prometheus counters do; the store-derived gauges come from ListenerMetrics.
namespace spotkeeper::core {

class AgentWatch;
class ArmRequestQueue;
class Reconciler;
class RestartEngine;

class EngineMetrics final : public QObject
{
    Q_OBJECT
public:
    explicit EngineMetrics(QObject *parent = nullptr);
    ~EngineMetrics() override;
    Q_DISABLE_COPY_MOVE(EngineMetrics)

    void watch(RestartEngine &engine);
    void watch(Reconciler &reconciler);
    void watch(ArmRequestQueue &queue);
    void watch(AgentWatch &watch);
    QByteArray render() const;

private:
    QMap<QString, qint64> m_startCalls; // by failure class ("none" = accepted)
    QMap<QString, qint64> m_evictions; // by source
    QMap<QString, qint64> m_sweeps; // ok | failed
    qint64 m_recovered = 0;
    qint64 m_needsOperator = 0;
    qint64 m_alerts = 0;
    qint64 m_silentAgentAlerts = 0;
    qint64 m_throttled = 0;
    qint64 m_listCalls = 0;
    QMap<QPair<QString, QString>, qint64> m_armCalls; // by (HTTP status, kind)
};

} // namespace spotkeeper::core
