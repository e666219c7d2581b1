// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "scalesetstartbatcher.h"

#include "armclient.h"
#include "armparsers.h"

#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

ScaleSetStartBatcher::ScaleSetStartBatcher(ArmClient &client, int windowMs, int maxBatch,
                                           QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_windowMs(std::max(0, windowMs))
    , m_maxBatch(std::max(1, maxBatch))
{ }

ScaleSetStartBatcher::~ScaleSetStartBatcher() = default;

void ScaleSetStartBatcher::start(const QString &instanceResourceId,
                                 std::function<void(const QString &)> progress,
                                 std::function<void(StartResult)> done)
{
    const auto parts = armparsers::parseVmResourceId(instanceResourceId);
    if (!parts || !parts->isScaleSetInstance()) { // the client answers with its own error
        m_client.startVm(instanceResourceId, std::move(progress), std::move(done));
        return;
    }
    const QString scaleSetId = parts->scaleSetId();
    const QString key = scaleSetId.toLower();
    auto it = m_open.find(key);
    if (it == m_open.end()) {
        Batch batch;
        batch.serial = ++m_serial;
        batch.scaleSetId = scaleSetId;
        it = m_open.insert(key, batch);
        const quint64 serial = batch.serial;
        QTimer::singleShot(m_windowMs, this, [this, key, serial] { flush(key, serial); });
    }
    it->members.append(
        Member {instanceResourceId, parts->instanceId, std::move(progress), std::move(done)});
    if (it->members.size() >= m_maxBatch)
        flush(key, it->serial);
}

void ScaleSetStartBatcher::flush(const QString &key, quint64 serial)
{
    const auto it = m_open.constFind(key);
    if (it == m_open.cend() || it->serial != serial)
        return; // already sent (full), a later batch has its own timer
    const Batch batch = *it;
    m_open.remove(key);
    ++m_sent;
    if (batch.members.size() == 1) {
        const Member &only = batch.members.first();
        m_client.startVm(only.resourceId, only.progress, only.done);
        return;
    }
    QStringList ids;
    for (const Member &m : batch.members) {
        if (!ids.contains(m.instanceId))
            ids.append(m.instanceId);
    }
    auto members = std::make_shared<QList<Member>>(batch.members);
    m_client.startScaleSetInstances(
        batch.scaleSetId, ids,
        [members](const QString &url) {
            for (const Member &m : *members) {
                if (m.progress)
                    m.progress(url);
            }
        },
        [members](StartResult result) {
            for (const Member &m : *members)
                m.done(result);
        });
}

} // namespace spotkeeper::core
