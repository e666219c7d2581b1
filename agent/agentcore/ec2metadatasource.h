// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/backoff.h"
#include "agentcore/ec2imdsclient.h"
#include "agentcore/ec2metadata.h"
#include "agentcore/metadatasource.h"
#include "base/clock.h"

#include <QElapsedTimer>
#include <QTimer>

#include <array>
#include <functional>
#include <optional>

// AWS's NoticeSource (docs/AWS-PROTOCOL.md §4, docs/AGENT.md "AWS"), IMDSv2 only through
// Ec2ImdsClient. Identity from /latest/dynamic/instance-identity/document and
// /latest/meta-data/instance-life-cycle, retried with backoff until both answer. Then every
// poll interval (start to start) three reads side by side: spot/instance-action (404 = no
// interruption), events/recommendations/rebalance (404 = none) and
// events/maintenance/scheduled. A read that fails (timeout, 5xx, unreadable answer) keeps
// what that item last said, so one bad read never makes a notice look gone; the poll then
// counts as incomplete, and only when all three fail does it fail and back off (jittered
// doubling up to errorBackoffCapMs). Every complete or incomplete poll publishes an
// EventSnapshot: the interruption (Preempt), the rebalance recommendation and the active
// maintenance events; its incarnation counts state changes.
namespace spotkeeper::agent {

struct Ec2Timing
{
    int pollIntervalMs = 1000;
    int requestTimeoutMs = 5'000;
    int errorBackoffBaseMs = 1'000;
    int errorBackoffCapMs = 30'000;
    int identityBackoffCapMs = 60'000;
    int tokenTtlSeconds = Ec2ImdsClient::kMaxTokenTtl;
};

class Ec2MetadataSource final : public MetadataSource
{
    Q_OBJECT
public:
    Ec2MetadataSource(const QUrl &imdsUrl, const Ec2Timing &timing, quint32 seed,
                      const base::Clock &clock, QObject *parent = nullptr);
    ~Ec2MetadataSource() override;
    Q_DISABLE_COPY_MOVE(Ec2MetadataSource)

    void start() override;
    void stop() override;
    // EC2 has no call that lets an interruption or a scheduled event start early from the
    // instance.
    void acknowledge(const QString &eventId,
                     std::function<void(bool ok, const QString &error)> done) override;

    const Ec2ImdsClient &client() const { return m_client; }

    static constexpr int kMinRequestGapMs = 200;

private:
    enum Item { Action, Rebalance, Maintenance, kItems };
    struct Read
    {
        bool done = false;
        Ec2Reply reply;
    };

    void readIdentity();
    void handleIdentity(const Ec2Reply &document, const Ec2Reply &lifecycle);
    void poll();
    void handlePoll();
    QString applyItem(Item item, const Ec2Reply &reply); // the problem, empty when read
    void publish();
    void scheduleNext(int delayMs);

    Ec2ImdsClient m_client;
    Ec2Timing m_timing;
    Backoff m_pollBackoff;
    QTimer m_timer;
    QElapsedTimer m_sinceLastStart;
    bool m_running = false;
    quint64 m_generation = 0; // bumped by stop(): late answers of an earlier run are dropped
    std::array<Read, kItems> m_reads;
    std::optional<Ec2InstanceAction> m_action;
    std::optional<QDateTime> m_rebalance;
    QList<Ec2MaintenanceEvent> m_maintenance;
    qint64 m_incarnation = 0;
    QString m_lastState; // the state last published, to count changes
    QString m_lastProblem; // last logged, so a bad item is not logged every second
};

} // namespace spotkeeper::agent
