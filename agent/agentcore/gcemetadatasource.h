// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/backoff.h"
#include "agentcore/gcemetadataclient.h"
#include "agentcore/metadatasource.h"
#include "base/clock.h"

#include <QElapsedTimer>
#include <QTimer>

#include <functional>
#include <memory>

// Google Cloud's NoticeSource (docs/GCP-PROTOCOL.md §1-3, docs/AGENT.md). Identity from
// project/project-id, instance/id, instance/name, instance/zone and instance/scheduling/,
// read one after the other and retried as a whole with backoff. Then two watches run side
// by side, instance/preempted and instance/maintenance-event: each first reads its value
// and ETag, then long-polls with ?wait_for_change=true&last_etag=<etag>&timeout_sec=<n>, so
// a change is seen the moment the metadata server makes it. After an error (timeout, 503,
// 429, a missing Metadata-Flavor header, garbage) a watch falls back to plain reads at the
// poll interval with jittered backoff and long-polls again after its next good answer. One
// watch's requests start at least kMinRequestGapMs apart, so a server that ignores
// wait_for_change is polled, not hammered. Every answer publishes an EventSnapshot whose
// incarnation counts state changes: a preemption (Preempt, Started) and a host
// maintenance notice other than NONE (Freeze, Reboot or HostMaintenance, Scheduled).
namespace spotkeeper::agent {

struct GceTiming
{
    int pollIntervalMs = 1000; // plain reads after an error (and without ETags)
    int requestTimeoutMs = 5'000; // plain reads
    int waitTimeoutSec = 60; // timeout_sec of a long poll; its HTTP timeout is 5 s longer
    int errorBackoffBaseMs = 1'000;
    int errorBackoffCapMs = 30'000;
    int identityBackoffCapMs = 60'000;
};

class GceMetadataSource final : public MetadataSource
{
    Q_OBJECT
public:
    // bootId tells one boot's preemption from the next (QSysInfo::bootUniqueId() when
    // empty; a random id when the system has none).
    GceMetadataSource(const QUrl &metadataUrl, const GceTiming &timing, quint32 seed,
                      const base::Clock &clock, QString bootId = {}, QObject *parent = nullptr);
    ~GceMetadataSource() override;
    Q_DISABLE_COPY_MOVE(GceMetadataSource)

    void start() override;
    void stop() override;
    // Compute Engine has no call that lets a preemption or maintenance start early.
    void acknowledge(const QString &eventId,
                     std::function<void(bool ok, const QString &error)> done) override;

    int requestsSent() const { return m_client.requestsSent(); }
    bool longPolling(const QString &key) const; // the watch of key waits for changes now
    QString bootId() const { return m_bootId; }

    static constexpr int kMinRequestGapMs = 250;

private:
    struct Watch;

    void readIdentity();
    void handleIdentityStep(const GceReply &reply);
    void restartIdentity(const QString &problem); // from the first key, after a backoff
    void startWatch(Watch &watch);
    void request(Watch &watch);
    void handleWatch(Watch &watch, const GceReply &reply);
    void publish();

    GceMetadataClient m_client;
    GceTiming m_timing;
    QString m_bootId;
    QTimer m_identityTimer;
    int m_identityStep = 0;
    QList<QByteArray> m_identityAnswers;
    std::unique_ptr<Watch> m_preempted;
    std::unique_ptr<Watch> m_maintenance;
    bool m_running = false;
    quint64 m_generation = 0; // bumped by stop(): late answers of an earlier run are dropped
    qint64 m_incarnation = 0;
    QString m_lastState; // "preempted|maintenance" last published, to count changes
    QString m_lastMaintenance = QStringLiteral("NONE");
    int m_maintenanceOrdinal = 0;
};

} // namespace spotkeeper::agent
