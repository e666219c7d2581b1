// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloudprovider.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>

namespace spotkeeper::core {

class ArmClient;

// Coalesces starts of uniform scale set instances. The first start of a scale set opens a
// batch for windowMs; every start of that scale set asked for meanwhile joins it. The batch
// then goes out as one ARM call: a lone instance as POST .../virtualMachines/{id}/start,
// several as POST .../virtualMachineScaleSets/{ss}/start {"instanceIds": [...]}, which costs
// one write and one start token instead of one per instance. While a scale set's start POST
// waits for its answer (in flight, or held back by the client's budgets), its next batch keeps
// collecting and goes out when that answer arrives: under throttling a storm becomes a few
// large calls instead of a queue of small ones. Every member sees the same async operation
// URL (progress) and the same result (done), so the engine's job per VM stays unaware of the
// batching. A batch that reaches maxBatch goes out at once.
class ScaleSetStartBatcher final : public QObject
{
    Q_OBJECT
public:
    ScaleSetStartBatcher(ArmClient &client, int windowMs, int maxBatch, QObject *parent = nullptr);
    ~ScaleSetStartBatcher() override;
    Q_DISABLE_COPY_MOVE(ScaleSetStartBatcher)

    // instanceResourceId must be a uniform scale set instance id (armparsers::parseVmResourceId).
    // follow = false: done() gets the POST's own answer (CloudProvider::startWithoutFollowing);
    // such starts batch among themselves.
    void start(const QString &instanceResourceId, std::function<void(const QString &)> progress,
               std::function<void(StartResult)> done, bool follow = true);
    int openBatches() const { return int(m_open.size()); }
    qint64 batchesSent() const { return m_sent; }

private:
    struct Member
    {
        QString resourceId;
        QString instanceId;
        std::function<void(const QString &)> progress;
        std::function<void(StartResult)> done;
    };
    struct Batch
    {
        quint64 serial = 0;
        QString scaleSetId;
        bool follow = true;
        QList<Member> members;
    };
    void flush(const QString &key, quint64 serial);
    void send(const QString &key, const Batch &batch);
    void answered(const QString &key); // the POST got its HTTP answer

    ArmClient &m_client;
    int m_windowMs;
    int m_maxBatch;
    QHash<QString, Batch> m_open; // by lower-cased scale set id (+ "#nofollow")
    QHash<QString, int> m_unanswered; // start POSTs per scale set without an HTTP answer yet
    quint64 m_serial = 0;
    qint64 m_sent = 0;
};

} // namespace spotkeeper::core
