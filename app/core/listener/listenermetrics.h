// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <array>
#include <functional>

// Counters the listener owns, and the Prometheus text exposition (format 0.0.4) of
// them plus the fleet gauges read from the store and whatever the engine reports
// through an extra provider (ARM calls, throttling, restarts by outcome).
// /metrics is unauthenticated and answered on the event loop that also answers agents, so
// the store-derived gauges (which read every VM and count events) are read at most once
// per store-gauge TTL, however often a scraper polls; everything else is in memory.
namespace spotkeeper::core {

class Store;

class ListenerMetrics
{
public:
    void countNotice(const QString &result) { ++m_notices[result]; } // stored|duplicate|failed
    void countHeartbeat(const QString &result) { ++m_heartbeats[result]; } // accepted|failed
    void countRejection(const QString &reason) { ++m_rejections[reason]; }
    void countResponse(int status) { ++m_responses[status]; }
    void countBatch(int size, qint64 commitMicroseconds);
    void countHeartbeatBatch(int size)
    {
        ++m_heartbeatBatches;
        m_heartbeatsWritten += size;
    }
    qint64 heartbeatBatches() const { return m_heartbeatBatches; }
    qint64 heartbeatsWritten() const { return m_heartbeatsWritten; }

    qint64 notices(const QString &result) const { return m_notices.value(result); }
    qint64 rejections(const QString &reason) const { return m_rejections.value(reason); }
    qint64 heartbeats(const QString &result) const { return m_heartbeats.value(result); }

    // Text exposition; store gauges are skipped (and spotkeeper_store_up is 0) when
    // the store fails. The store is read only when the last read is older than the TTL
    // (by clock); the oldest waiting job's age is still computed against clock's now.
    QByteArray render(Store &store, base::Clock &clock, const std::function<QByteArray()> &extra);

    static constexpr qint64 kDefaultStoreGaugeTtlMs = 5000;
    // 0 reads the store on every scrape (the benchmark's "before").
    void setStoreGaugeTtlMs(qint64 ms);
    qint64 storeGaugeReads() const { return m_storeGaugeReads; }

    // Helpers for other metric providers (the engine) so the format stays uniform.
    static void appendHeader(QByteArray &out, QByteArrayView name, QByteArrayView type,
                             QByteArrayView help);
    static void appendSample(QByteArray &out, QByteArrayView name,
                             const QMap<QString, QString> &labels, double value);

private:
    // What one read of the store found; rendered until it is older than the TTL.
    struct StoreGauges
    {
        bool up = false;
        qint64 vms = 0;
        std::array<qint64, 5> jobs {}; // by kJobStates in listenermetrics.cpp
        qint64 oldestWaitingCreatedMs = -1; // -1: no job waiting or backing off
        qint64 evictions = 0;
        qint64 notices = 0;
        qint64 silentAgents = 0; // running VMs whose agent is silent (isAgentSilent)
    };
    void readStoreGauges(Store &store, qint64 nowMs);

    QMap<QString, qint64> m_notices;
    QMap<QString, qint64> m_heartbeats;
    QMap<QString, qint64> m_rejections;
    QMap<int, qint64> m_responses;
    qint64 m_batches = 0;
    qint64 m_batchedNotices = 0;
    qint64 m_commitUs = 0;
    qint64 m_heartbeatBatches = 0;
    qint64 m_heartbeatsWritten = 0;
    StoreGauges m_gauges;
    qint64 m_gaugesReadMs = -1; // clock time of the last store read, -1 = never
    qint64 m_storeGaugeTtlMs = kDefaultStoreGaugeTtlMs;
    qint64 m_storeGaugeReads = 0;
};

} // namespace spotkeeper::core
